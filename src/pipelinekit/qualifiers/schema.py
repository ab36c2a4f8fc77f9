"""The JSON format of qualifier trees (filled in by the qualifier work)."""

from __future__ import annotations

import cattrs

__all__ = ["register"]


def register(converter: cattrs.Converter) -> None:
    """Register the qualifier structure/unstructure hooks on ``converter``."""
