"""Re-fetch the vendored Leaflet stack from the npm registry, at pinned versions.

Run `python maps/static/vendor.py` (needs `npm`). Each package is fetched with `npm pack`, and only
the files the maps load (plus the package's licence) are copied into `vendor/<package>/`. The
copies are committed, so the maps never load code or styles from a CDN.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parent / "vendor"

# package, version, {path inside the npm tarball: path under vendor/<package>/}
PACKAGES: list[tuple[str, str, dict[str, str]]] = [
    (
        "leaflet",
        "1.9.4",
        {
            "LICENSE": "LICENSE",
            "dist/leaflet.js": "leaflet.js",
            "dist/leaflet.css": "leaflet.css",
            "dist/images/layers.png": "images/layers.png",
            "dist/images/layers-2x.png": "images/layers-2x.png",
            "dist/images/marker-icon.png": "images/marker-icon.png",
            "dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
            "dist/images/marker-shadow.png": "images/marker-shadow.png",
        },
    ),
    (
        "leaflet.markercluster",
        "1.5.3",
        {
            "MIT-LICENCE.txt": "LICENSE",
            "dist/leaflet.markercluster.js": "leaflet.markercluster.js",
            "dist/MarkerCluster.css": "MarkerCluster.css",
            "dist/MarkerCluster.Default.css": "MarkerCluster.Default.css",
        },
    ),
    (
        "leaflet.fullscreen",
        "3.0.0",
        {
            "LICENSE": "LICENSE",
            "Control.FullScreen.js": "Control.FullScreen.js",
            "Control.FullScreen.css": "Control.FullScreen.css",
            "icon-fullscreen.svg": "icon-fullscreen.svg",
        },
    ),
    (
        "leaflet-measure",
        "2.1.7",
        {
            "LICENSE": "LICENSE",
            "dist/leaflet-measure.min.js": "leaflet-measure.min.js",
            "dist/leaflet-measure.css": "leaflet-measure.css",
            **{
                f"dist/images/{name}": f"images/{name}"
                for name in (
                    "cancel.png",
                    "cancel_@2X.png",
                    "check.png",
                    "check_@2X.png",
                    "focus.png",
                    "focus_@2X.png",
                    "rulers.png",
                    "rulers_@2X.png",
                    "start.png",
                    "start_@2X.png",
                    "trash.png",
                    "trash_@2X.png",
                )
            },
        },
    ),
    (
        "leaflet-minimap",
        "3.6.1",
        {
            "LICENSE.txt": "LICENSE",
            "dist/Control.MiniMap.min.js": "Control.MiniMap.min.js",
            "dist/Control.MiniMap.min.css": "Control.MiniMap.min.css",
            "dist/images/toggle.png": "images/toggle.png",
            "dist/images/toggle.svg": "images/toggle.svg",
        },
    ),
    (
        # Beerware; the npm package has no LICENSE file, the licence is the README's last section.
        # The bundled build carries pbf, vector-tile, ieee754, topojson-client, geojson-vt and
        # whatwg-fetch: their licences are copied below (BUNDLED_LICENCES).
        "leaflet.vectorgrid",
        "1.3.0",
        {
            "README.md": "README.md",
            "dist/Leaflet.VectorGrid.bundled.min.js": "Leaflet.VectorGrid.bundled.min.js",
        },
    ),
]

# Licences of the packages inside Leaflet.VectorGrid.bundled.min.js (versions within the ranges
# of its package.json): package, version, licence file -> vendor/leaflet.vectorgrid/licences/.
BUNDLED_LICENCES: list[tuple[str, str, str]] = [
    ("pbf", "3.0.5", "LICENSE"),
    ("vector-tile", "1.3.0", "LICENSE.txt"),
    ("ieee754", "1.1.8", "LICENSE"),
    ("topojson-client", "2.1.0", "LICENSE.md"),
    ("geojson-vt", "2.2.0", "LICENSE"),
    ("whatwg-fetch", "2.0.3", "LICENSE"),
]
LICENCE_MARK = '"THE BEER-WARE LICENSE"'


def _pack(name: str, version: str, work: Path) -> Path:
    """`npm pack` one package into `work`; returns the tarball."""
    subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--silent"],
        cwd=work,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return next(work.glob(f"{name}-{version}.tgz"))


def fetch_package(name: str, version: str, files: dict[str, str], work: Path) -> None:
    """`npm pack` one package and copy the listed files into vendor/<name>/."""
    tarball = _pack(name, version, work)
    target = VENDOR_DIR / name
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(tarball) as archive:
        for source, destination in files.items():
            member = archive.extractfile(f"package/{source}")
            if member is None:
                raise FileNotFoundError(f"{name}@{version} has no {source}")
            path = target / destination
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(member.read())
    (target / "VERSION").write_text(f"{name}@{version} (npm)\n")
    print(f"vendored {name}@{version}: {len(files)} files")


def vectorgrid_licences(work: Path) -> None:
    """Leaflet.VectorGrid's licence (from its README) and those of the packages it bundles."""
    target = VENDOR_DIR / "leaflet.vectorgrid"
    readme = (target / "README.md").read_text()
    start = readme.index(LICENCE_MARK)
    (target / "LICENSE").write_text(readme[start : readme.index("-----", start)].strip() + "\n")
    for name, version, licence in BUNDLED_LICENCES:
        with tarfile.open(_pack(name, version, work)) as archive:
            member = archive.extractfile(f"package/{licence}")
            if member is None:
                raise FileNotFoundError(f"{name}@{version} has no {licence}")
            path = target / "licences" / f"{name}@{version}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(member.read())


def main() -> None:
    """Fetch every pinned package; leaflet-measure's templates are then compiled ahead of time."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from maps.measure_templates import precompile_file

    with tempfile.TemporaryDirectory() as work:
        for name, version, files in PACKAGES:
            fetch_package(name, version, files, Path(work))
        vectorgrid_licences(Path(work))
    # So that the maps' Content-Security-Policy needs no 'unsafe-eval' (see the module).
    precompile_file(VENDOR_DIR / "leaflet-measure" / "leaflet-measure.min.js")


if __name__ == "__main__":
    main()
