"""The public API is a contract: a change to it fails here until the snapshot and the changelog
say so together.

``tests/api/current.txt`` is the API of this tree (``python -m tests.api.snapshot --update``
rewrites it); ``tests/api/0.1.0.txt`` is the API of the last release, as the tag ``v0.1.0``
built it. Two rules:

* the API equals the snapshot, line for line: an accidental change (a renamed parameter, a
  default, a removed method) fails with the difference;
* every public name added or removed since the release is named in CHANGELOG.md's
  ``[Unreleased]`` section, so the snapshot cannot be regenerated silently.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from tests.api.snapshot import CURRENT, HERE, collect

ROOT = Path(__file__).parents[2]
RELEASED = HERE / "0.1.0.txt"
_NAME = re.compile(r"^(pk(?:\.[A-Za-z_][A-Za-z0-9_]*)+?)(?=[(:]|\.__init__)")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _names(lines: list[str]) -> set[str]:
    """The public names the lines are about (``pk.Contact``, ``pk.metrics.funnel``)."""
    names = set()
    for line in lines:
        match = _NAME.match(line)
        if match:
            names.add(match.group(1))
    return names


def _unreleased() -> str:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    start = text.index("## [Unreleased]")
    return text[start : text.index("\n## [", start + 1)]


def test_the_api_is_the_snapshot() -> None:
    expected = _lines(CURRENT)
    actual = collect()
    diff = "\n".join(difflib.unified_diff(expected, actual, "snapshot", "api", lineterm="", n=0))
    assert actual == expected, (
        "The public API changed. If that is intended, run `python -m tests.api.snapshot "
        "--update` and say what changed in CHANGELOG.md:\n" + diff
    )


def _top_level(names: set[str]) -> set[str]:
    """Names a user imports or calls (``pk.X``, ``pk.sub.X``), not members of a class."""
    found = set()
    for name in names:
        parts = name.split(".")
        # pk.X or pk.<submodule>.X: the first capitalised or lower-case name after them.
        if len(parts) == 2 or (len(parts) == 3 and parts[1] in _submodules()):
            found.add(name)
    return found


def _submodules() -> set[str]:
    lines = _lines(CURRENT)
    return {line.split(":")[0].split(".")[1] for line in lines if line.endswith(": module")}


def test_every_added_or_removed_name_is_in_the_changelog() -> None:
    released = _top_level(_names(_lines(RELEASED)))
    current = _top_level(_names(_lines(CURRENT)))
    unreleased = _unreleased()
    unnamed = sorted(
        name
        for name in (current - released) | (released - current)
        if name.rsplit(".", 1)[1] not in unreleased
    )
    assert not unnamed, f"not named in CHANGELOG.md [Unreleased]: {', '.join(unnamed)}"


def test_the_snapshot_sees_changes() -> None:
    """The comparison is not vacuous: the released API differs from today's, and both parse."""
    assert _names(_lines(RELEASED))
    assert _names(_lines(CURRENT))
    assert "pk.Contact" in _names(_lines(RELEASED))
    assert _lines(RELEASED) != _lines(CURRENT)
    assert any(line.startswith("pk.Contact.__init__(") for line in _lines(CURRENT))
