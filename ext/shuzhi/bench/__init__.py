"""Benchmarks of the whole pipeline on synthetic archives (``make bench``)."""
