"""Stored documents of every released format version (docs/versioning.md)."""
