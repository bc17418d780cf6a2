"""`make bench`: run every bench/bench_*.py and write their sections to BENCHMARKS.md."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

from bench.common import machine_line

ROOT = Path(__file__).resolve().parent.parent
# Run before the others: bench_seed writes bench/.cache/scale100.dump, which bench_ogc restores.
RUN_FIRST = ("bench_seed",)


def main() -> int:
    """Run each benchmark in its own process; a failed one is reported, the others still run."""
    sections, failed = [], []
    scripts = sorted((ROOT / "bench").glob("bench_*.py"))
    for script in sorted(scripts, key=lambda path: path.stem not in RUN_FIRST):
        print(f"== {script.name}", flush=True)
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", f"bench.{script.stem}"], cwd=ROOT, capture_output=True, text=True
        )
        took = time.perf_counter() - start
        sys.stderr.write(result.stderr[-4000:])
        if result.returncode != 0:
            failed.append(script.name)
            sections.append(
                f"## {script.stem}\n\nFAILED (exit {result.returncode}) after "
                f"{took:.0f} s; see its output.\n"
            )
        else:
            sections.append(result.stdout.strip() + "\n")
        print(result.stdout, flush=True)
    header = (
        "# Benchmarks\n\nWritten by `make bench` on "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {machine_line()}.\n"
        "Each section measures geo-assets and a well-known alternative in the same run; "
        "ratios are ours / theirs (for times and sizes lower is better, for throughput higher).\n"
    )
    (ROOT / "BENCHMARKS.md").write_text(header + "\n" + "\n".join(sections))
    print(f"wrote BENCHMARKS.md ({len(sections)} sections, {len(failed)} failed)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
