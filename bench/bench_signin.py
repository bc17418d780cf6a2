"""Reads while 20 clients guess passwords: does guessing starve the API? (issue 9, §7)

A throwaway cluster seeded at scale 1 and `geo-assets serve --workers 2` on 127.0.0.1 (bounded):
40 sequential reads of a page of lamps alone (the alternative: the same server unattacked), then
again while 20 threads post wrong passwords (one user name each) as fast as they are answered.
Prints the reads' median and p95 both times, the ratio, and how the guesses were answered (401
checked, 429 throttled, 503 refused while the password checks are busy).
Run: `.venv/bin/python -m bench.bench_signin` (or `make bench`).
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter

import httpx

from bench.common import bench_cluster, geo_assets_serve, machine_line, table
from geo_assets.database import make_engine
from geo_assets.seed import seed_city

READ = "/api/v1/lamps?limit=50&kecamatan=Banjarbaru%20Utara"
READS = 40
GUESSERS = 20


def read_latencies(base: str, count: int = READS) -> tuple[float, float]:
    """Median and p95 of `count` sequential reads, in ms."""
    seconds = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for _ in range(count):
            started = time.perf_counter()
            response = client.get(READ)
            seconds.append(time.perf_counter() - started)
            response.raise_for_status()
    seconds.sort()
    return statistics.median(seconds) * 1000, seconds[int(len(seconds) * 0.95) - 1] * 1000


def measure(base: str) -> tuple[tuple[float, float], tuple[float, float], Counter[int]]:
    """Reads alone, reads under guessing (median, p95 in ms), and the guesses' answers."""
    read_latencies(base, 5)  # warm-up
    alone = read_latencies(base)
    stop, lock, answers = threading.Event(), threading.Lock(), Counter[int]()

    def guess(number: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while not stop.is_set():
                data = {"username": f"guess{number}", "password": "not-the-password"}
                status = client.post("/api/v1/auth/token", data=data).status_code
                with lock:
                    answers[status] += 1

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(GUESSERS)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    attacked = read_latencies(base)
    stop.set()
    for thread in threads:
        thread.join()
    return alone, attacked, answers


def main() -> None:
    """Seed, serve, measure, print the Markdown section."""
    with bench_cluster("signin") as cluster:
        engine = make_engine(cluster.url())
        seed_city(engine, scale=1)
        engine.dispose()
        with geo_assets_serve(cluster.url()) as base:
            alone, attacked, answers = measure(base)
    print("## Sign-in guessing vs everyone else's reads (bench_signin)\n")
    print(
        f"{machine_line()}; `geo-assets serve --workers 2` on the seeded city; {READS} sequential "
        f"reads of `{READ}`, alone and while {GUESSERS} threads post wrong passwords as fast as "
        "they are answered. Ratio = with guessers / alone (lower is better; 1 = no effect).\n"
    )
    rows = [
        (
            f"{label} (ms)",
            f"{alone[index]:.1f}",
            f"{attacked[index]:.1f}",
            f"{attacked[index] / alone[index]:.2f}",
        )
        for index, label in enumerate(("median", "p95"))
    ]
    print(table(rows, ("read", "alone", f"with {GUESSERS} guessers", "ratio")))
    print(f"\nGuesses answered, by status: {dict(sorted(answers.items()))}.")


if __name__ == "__main__":
    main()
