"""`geo-assets backup` and `restore`: one archive round-trips every row and every photo."""

from __future__ import annotations

import io
import json
import stat
import tarfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from cli.main import app
from geo_assets.backup import table_counts
from geo_assets.database import make_engine
from geo_assets.embedded import EmbeddedCluster
from geo_assets.lamp_status import NewLampEvent, record_lamp_events
from geo_assets.photos import store_photo
from tests.databases import TEMPLATE, clone_database, drop_database
from tests.factories import add_interment
from tests.io.small_city import build_city, stock_city

# Every column of every row, in id order: equal digests mean equal tables.
CHECKSUMMED = ("lamp", "lamp_event", "interment")


def _checksums(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return {
            table: connection.execute(
                text(f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM {table} t")
            ).scalar_one()
            for table in CHECKSUMMED
        }


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return table_counts(connection)


def _media(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def small_city(engine: Engine, tmp_path: Path) -> Engine:
    """The small test city with lamp events, two interments and a photo on an event."""
    build_city(engine)
    stock_city(engine, tmp_path)
    photo = store_photo(_photo_bytes(), media_dir=tmp_path / "media")
    with engine.begin() as conn:
        lamp_id = conn.execute(text("SELECT min(id) FROM lamp")).scalar_one()
        record_lamp_events(
            conn,
            [NewLampEvent(lamp_id, "damaged", "field", datetime.now(UTC), photo=photo)],
        )
        plots = {code: id_ for code, id_ in conn.execute(text("SELECT code, id FROM plot"))}
        add_interment(
            conn,
            plot_id=plots["TPU01-A-1-1"],
            deceased_name="Hj. Siti Aminah",
            died_on=date(2024, 3, 1),
            buried_on=date(2024, 3, 2),
            heir_name="Rahmat",
        )
        add_interment(
            conn,
            plot_id=plots["TPU01-A-1-2"],
            deceased_name="Abdul Karim",
            died_on=date(2025, 1, 10),
            buried_on=date(2025, 1, 10),
        )
    return engine


@pytest.fixture
def empty_url(cluster: EmbeddedCluster) -> Iterator[str]:
    """A second fresh, migrated, empty database to restore into."""
    url = clone_database(cluster, TEMPLATE)
    yield url
    drop_database(cluster, url)


def _cli(monkeypatch: pytest.MonkeyPatch, url: str, media: Path, *args: str):  # noqa: ANN202
    monkeypatch.setenv("GEO_ASSETS_DATABASE_URL", url)
    monkeypatch.setenv("GEO_ASSETS_MEDIA_DIR", str(media))
    return CliRunner().invoke(app, list(args))


def test_round_trip_keeps_every_row_and_photo(
    small_city: Engine, db_url: str, empty_url: str, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    """Backup then restore into an empty database: same rows per table, same data, same media."""
    archive = tmp_path / "out" / "city.tar"
    made = _cli(monkeypatch, db_url, tmp_path / "media", "backup", "-o", str(archive))
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        assert tar.extractfile("database.dump").read(5) == b"PGDMP"  # type: ignore[union-attr]
    before = _counts(small_city)
    assert manifest["tables"] == before and before["public.interment"] == 2
    assert before["public.lamp_event"] >= 4 and manifest["media"]["files"] == 1

    restored = _cli(monkeypatch, empty_url, tmp_path / "restored-media", "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    target = make_engine(empty_url)
    try:
        assert _counts(target) == before
        assert _checksums(target) == _checksums(small_city)
        assert _media(tmp_path / "restored-media") == _media(tmp_path / "media")
        with target.begin() as conn:  # sequences came along: new rows get fresh ids
            lamp_id = conn.execute(text("SELECT min(id) FROM lamp")).scalar_one()
            (event,) = record_lamp_events(
                conn, [NewLampEvent(lamp_id, "working", "staff", datetime.now(UTC))]
            )
            assert (
                event.id
                > conn.execute(
                    text("SELECT max(id) FROM lamp_event WHERE id <> :i"), {"i": event.id}
                ).scalar_one()
            )
    finally:
        target.dispose()


def test_restore_refuses_a_full_database_unless_forced(
    small_city: Engine, db_url: str, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    """A database with data is left untouched without --force, and replaced with it."""
    archive = tmp_path / "city.tar"
    assert (
        _cli(monkeypatch, db_url, tmp_path / "media", "backup", "-o", str(archive)).exit_code == 0
    )
    saved = _counts(small_city)
    with small_city.begin() as conn:
        conn.execute(text("DELETE FROM prayer_room WHERE code = 'MSL-02'"))
    changed = _counts(small_city)
    (tmp_path / "media" / "extra.txt").write_text("added after the backup")

    refused = _cli(monkeypatch, db_url, tmp_path / "media", "restore", str(archive))
    assert refused.exit_code == 1
    message = " ".join(refused.output.split())  # rich wraps long lines
    assert "--force" in message and "not empty" in message
    assert _counts(small_city) == changed
    assert (tmp_path / "media" / "extra.txt").exists()

    forced = _cli(monkeypatch, db_url, tmp_path / "media", "restore", str(archive), "--force")
    assert forced.exit_code == 0, forced.output
    assert _counts(small_city) == saved
    assert not (tmp_path / "media" / "extra.txt").exists()
    kept = list(tmp_path.glob("media.before-restore-*"))
    assert len(kept) == 1 and (kept[0] / "extra.txt").exists()


def test_restore_of_a_file_that_is_no_backup_says_so(
    db_url: str, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    """A tar without a manifest is refused in one line, and nothing is changed."""
    bogus = tmp_path / "bogus.tar"
    with tarfile.open(bogus, "w") as tar:
        tar.add(__file__, arcname="database.dump")
    result = _cli(monkeypatch, db_url, tmp_path / "media", "restore", str(bogus))
    assert result.exit_code == 1
    assert "is not a geo-assets backup" in " ".join(result.output.split())


def test_failed_restore_leaves_the_database_as_it_was(
    small_city: Engine, db_url: str, empty_url: str, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    """A restore that fails half-way (after the wipe) rolls back: the old rows all remain."""
    source = make_engine(empty_url)
    with source.begin() as conn:
        # Refreshing this view at restore time fails: the setting exists only in this session.
        conn.execute(text("SET geo_assets_test.divisor = '1'"))
        conn.execute(
            text(
                "CREATE MATERIALIZED VIEW fragile AS "
                "SELECT current_setting('geo_assets_test.divisor')::int AS divisor"
            )
        )
    source.dispose()
    archive = tmp_path / "fragile.tar"
    made = _cli(monkeypatch, empty_url, tmp_path / "no-media", "backup", "-o", str(archive))
    assert made.exit_code == 0, made.output
    before, checksums = _counts(small_city), _checksums(small_city)
    media = _media(tmp_path / "media")

    failed = _cli(monkeypatch, db_url, tmp_path / "media", "restore", str(archive), "--force")
    assert failed.exit_code == 1 and "psql failed" in failed.output
    assert _counts(small_city) == before and _checksums(small_city) == checksums
    assert _media(tmp_path / "media") == media
