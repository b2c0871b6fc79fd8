"""Bumped whenever the same seed would give different data, so a benchmark never reuses a
stale dataset (importable before Django is set up)."""

GENERATOR_VERSION = 3
