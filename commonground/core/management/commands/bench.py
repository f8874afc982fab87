"""`commonground bench [NAME ...]`: run the benchmarks under bench/ and print their figures."""

from __future__ import annotations

import importlib
import inspect
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the benchmarks in bench/ (all, or those named) against the current database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("names", nargs="*", help="e.g. place_tree (runs bench/bench_place_tree.py)")
        parser.add_argument("--size", help="for benchmarks that grow the data: sizes, e.g. 100k,500k,2m")

    def handle(self, *args, names: list[str], size: str | None, **options) -> None:
        bench_dir = settings.BASE_DIR / "bench"
        if str(settings.BASE_DIR) not in sys.path:
            sys.path.insert(0, str(settings.BASE_DIR))
        available = sorted(p.stem.removeprefix("bench_") for p in bench_dir.glob("bench_*.py"))
        for name in names or available:
            if name not in available:
                self.stderr.write(f"unknown benchmark {name!r}; available: {', '.join(available)}")
                sys.exit(1)
            run = importlib.import_module(f"bench.bench_{name}").run
            if size and "sizes" in inspect.signature(run).parameters:
                run(sizes=size)
            else:
                run()
