"""Benchmarks and the data generator (see docs/benchmarks.md); never run as tests."""
