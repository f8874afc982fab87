"""Tiny timing harness: medians of repeated runs, printed with ratios against a floor."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(func: Callable[[], object], *, repeat: int = 7, warmup: int = 1) -> float:
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def report(title: str, rows: list[tuple[str, float]], *, floor: str) -> None:
    """Print each row's median in ms and its ratio to the row named `floor`."""
    base = dict(rows)[floor]
    print(f"\n{title}")
    for name, seconds in rows:
        print(f"  {name:<48} {seconds * 1000:10.2f} ms   x{seconds / base:6.2f} of {floor}")
