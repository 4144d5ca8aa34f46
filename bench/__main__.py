"""`python -m bench [NAME] [ARGS…]`: run one benchmark, or list them.

Registry of benchmark name → module; each module exposes `main(argv: list[str]) -> int`. Modules that are
not written yet (another engineer's part) are listed as unavailable rather than failing the others.
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS: dict[str, tuple[str, str]] = {
    "native": ("bench.native", "extraction speed and accuracy on generated DOCX/PDF/HTML/text reports"),
    "scanned": ("bench.scanned", "OCR route on rasterised reports"),
    "queue": ("bench.queue", "throughput of the worker queue"),
    "archive": ("bench.archive", "archive views and full-text search over 2,000 stored reports (p50/p95 ms)"),
    "layouts": (
        "bench.layouts",
        "accuracy per layout knob value (rules, vertical labels, fonts, titles, scans …)",
    ),
    "misses": (
        "bench.misses",
        "every miss of a kept corpus, per document (--needless: reviews and their reasons)",
    ),
    "skew": ("bench.skew", "deskew angle against the skew the scan generator applied (degrees)"),
}


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def usage() -> str:
    lines = ["usage: python -m bench NAME [ARGS...]", "", "benchmarks:"]
    for name, (module, about) in BENCHMARKS.items():
        lines.append(f"  {name:<8} {about}{'' if _available(module) else '  (not available yet)'}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in BENCHMARKS:
        print(usage(), file=sys.stderr if argv and argv[0] not in ("-h", "--help") else sys.stdout)
        return 0 if not argv or argv[0] in ("-h", "--help") else 2
    module = BENCHMARKS[argv[0]][0]
    if not _available(module):
        print(f"benchmark {argv[0]!r} is not available yet ({module} missing)", file=sys.stderr)
        return 2
    return int(importlib.import_module(module).main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
