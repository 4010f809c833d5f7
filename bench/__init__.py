"""Benchmarks: each prints a table and writes bench/results/<name>.json, with a baseline from the same run."""
