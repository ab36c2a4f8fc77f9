"""The guarded lead → prospect → opportunity → customer lifecycle."""

__all__: list[str] = []
