"""Benchmarks: synthetic incidents and the measurements of bench/RESULTS.md."""
