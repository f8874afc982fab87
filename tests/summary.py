"""Figures the nets print at the end of a run (crawl, fuzzers, axe, operations), also when pytest-xdist runs the
tests in worker processes, whose own output nobody sees: each process appends its lines to a file under
test-artifacts/summary/, and the process that reports (the controller, or the only one) prints them all."""

from __future__ import annotations

import os
from pathlib import Path

SUMMARY = Path(__file__).resolve().parent.parent / "test-artifacts" / "summary"


def is_worker() -> bool:
    return "PYTEST_XDIST_WORKER" in os.environ


def note(section: str, line: str) -> None:
    """Add `line` to the end-of-run section `section`."""
    SUMMARY.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with (SUMMARY / f"{section}.{worker}.txt").open("a", encoding="utf-8") as file:
        file.write(line.rstrip("\n") + "\n")


def start() -> None:
    """A new run starts with no lines (called once, by the reporting process, before any worker starts)."""
    if SUMMARY.is_dir():
        for path in SUMMARY.glob("*.txt"):
            path.unlink()


def sections() -> dict[str, list[str]]:
    """Every section's lines, from every process, in section order."""
    found: dict[str, list[str]] = {}
    for path in sorted(SUMMARY.glob("*.txt")) if SUMMARY.is_dir() else []:
        found.setdefault(path.name.split(".")[0], []).extend(path.read_text(encoding="utf-8").splitlines())
    return found


def axe_line(lines: list[str]) -> str:
    """One line for the pages axe checked in every process (each noted "<checks> <page> <page>..."); the distinct
    pages also go to test-artifacts/axe-pages.txt."""
    checks = sum(int(line.split(" ", 1)[0]) for line in lines)
    pages = sorted({page for line in lines for page in line.split(" ")[1:]})
    (SUMMARY.parent / "axe-pages.txt").write_text("\n".join(pages) + "\n", encoding="utf-8")
    return f"axe checked {checks} pages ({len(pages)} distinct): " + " ".join(pages)
