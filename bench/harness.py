"""Tiny timing harness: medians of repeated runs, printed with ratios against a floor."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection


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


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A fresh, migrated database beside the configured one (SQLite: a temporary file), dropped afterwards."""
    old_name = connection.settings_dict["NAME"]
    test_settings = connection.settings_dict.setdefault("TEST", {})
    old_test_name = test_settings.get("NAME")
    if connection.vendor == "sqlite":
        handle, path = tempfile.mkstemp(prefix="cg_bench_", suffix=".sqlite3")
        os.close(handle)
        os.unlink(path)
        test_settings["NAME"] = path
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield name
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        test_settings["NAME"] = old_test_name
