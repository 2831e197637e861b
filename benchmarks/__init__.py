"""Benchmarks: run with `python benchmarks/run.py [name ...]`; never part of the test suite."""
