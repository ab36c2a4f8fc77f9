"""Mutation testing with mutmut: ``bash tests/mutation/run.sh`` (see docs/quality.md)."""
