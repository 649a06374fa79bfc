"""A small bounded HTTP load generator (stdlib only) shared by the web benchmarks.

Each of `concurrency` threads keeps one connection and sends requests from a shared
bounded list of paths until the list is used up, so a run always stops by itself.
Latency is measured per request from send to the end of the body.
"""
from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class LoadResult:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
        return ordered[index]

    def row(self) -> str:
        return (f"{self.name:<28} {self.requests:>6} {self.errors:>6} {self.requests_per_second:>9.1f} "
                f"{self.percentile(0.5):>8.1f} {self.percentile(0.95):>8.1f} "
                f"{statistics.fmean(self.latencies_ms) if self.latencies_ms else float('nan'):>8.1f}")


HEADER = f"{'scenario':<28} {'reqs':>6} {'errors':>6} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}"


def run_load(name: str, host: str, port: int, paths: list[str], concurrency: int = 4,
             method: str = "GET", body: bytes | None = None, headers: dict | None = None,
             timeout: float = 30.0) -> LoadResult:
    """Send every path in `paths` once, `concurrency` at a time; returns timings and errors."""
    lock = threading.Lock()
    position = 0
    latencies: list[float] = []
    errors = 0

    def worker() -> None:
        nonlocal position, errors
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        while True:
            with lock:
                if position >= len(paths):
                    break
                path = paths[position]
                position += 1
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers or {})
                response = connection.getresponse()
                response.read()
                ok = response.status < 400
                if response.will_close:
                    connection.close()
                    connection = http.client.HTTPConnection(host, port, timeout=timeout)
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=timeout)
            elapsed_ms = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed_ms)
                if not ok:
                    errors += 1
        connection.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(name, len(latencies), errors, time.perf_counter() - started, latencies)
