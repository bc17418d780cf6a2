"""Reads while 20 clients guess passwords: does guessing starve the API? (issue 9, §7)

Against a running server (seeded city; 127.0.0.1 only, bounded): 40 sequential reads of a page
of lamps alone, then again while 20 threads post wrong passwords (one user name each) as fast as
they are answered. Prints the reads' median and p95 both times and how the guesses were answered
(401 checked, 429 throttled, 503 refused while the password checks are busy).
Run: `.venv/bin/python -m bench.bench_signin http://127.0.0.1:PORT`.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from collections import Counter

import httpx

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


def main(base: str) -> None:
    """Measure and print."""
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
    print(f"reads alone: median {alone[0]:.1f} ms, p95 {alone[1]:.1f} ms")
    print(
        f"reads with {GUESSERS} guessers: median {attacked[0]:.1f} ms, p95 {attacked[1]:.1f} ms "
        f"({attacked[0] / alone[0]:.1f}x the median alone)"
    )
    print(f"guesses answered: {dict(sorted(answers.items()))}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
