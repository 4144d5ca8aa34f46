"""Benchmarks: `python -m bench NAME`. Each benchmark is a module in this package exposing
`main(argv) -> int`; add it to `bench.__main__.BENCHMARKS` to make it runnable."""
