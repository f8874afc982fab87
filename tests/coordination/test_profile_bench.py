"""The coordination benchmark's generator, floor, check and pages run on the current schema at a tiny size."""

from __future__ import annotations

from bench.bench_coordination import build_city, check, floor, measure, report


def test_bench_coordination__tiny_city__pages_selector_and_floor_run(db, capsys):
    city = build_city(12, prefix="T")
    check(city)  # the floor and the selector agree on every estate's warnings
    assert len(floor(city.district)) == 12
    results = measure(city, repeat=1)
    assert len(results) == 5
    report(city, results)
    assert "floor: one SQL, district" in capsys.readouterr().out
