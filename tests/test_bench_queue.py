"""`bench queue --repeat N` summarises each backend and worker count by the median of its rounds' ratios."""

from __future__ import annotations

from bench.queue import medians


def _row(backend: str, workers: int, overhead: float, vs_one: float | str, cpu: float) -> dict[str, object]:
    return {
        "backend": backend,
        "workers": workers,
        "overhead_x": overhead,
        "vs_1_worker": vs_one,
        "cpu_overhead_x": cpu,
    }


def test_medians_per_backend_and_worker_count() -> None:
    rows = [
        _row("embedded", 1, 1.40, 1.0, 1.7),
        _row("embedded", 2, 0.95, 1.50, 1.8),
        _row("embedded", 1, 1.20, 1.0, 1.6),
        _row("embedded", 2, 0.80, 1.62, 1.9),
        _row("embedded", 1, 1.90, 1.0, 1.8),
        _row("embedded", 2, 1.30, 1.41, 2.0),
        _row("redis", 1, 1.5, "", 2.0),
    ]
    summary = {(m["backend"], m["workers"]): m for m in medians(rows)}
    assert summary["embedded", 1]["median_overhead_x"] == 1.40
    assert summary["embedded", 1]["overhead_x_range"] == "1.2–1.9"
    assert summary["embedded", 2]["median_vs_1_worker"] == 1.50 and summary["embedded", 2]["rounds"] == 3
    assert summary["embedded", 2]["median_cpu_overhead_x"] == 1.9
    assert summary["redis", 1]["median_vs_1_worker"] == ""  # no one-worker run to compare with
