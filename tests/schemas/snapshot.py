"""The published JSON Schemas, stored: a change to one fails until the stored copy is updated.

Projects validate their documents (and generate OpenAPI components) with
``pk.json_schema(...)``; a schema that changes by accident breaks them as surely as a
renamed function. ``python -m tests.schemas.snapshot`` prints which stored schemas differ;
``--update`` rewrites them (``tests/schemas/<Name>.json``). Update CHANGELOG.md with them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pipelinekit as pk

HERE = Path(__file__).parent

#: Every class ``pk.json_schema`` has a schema for, by the file name of its stored schema.
TARGETS: dict[str, type[Any]] = {
    "Money": pk.Money,
    "Contact": pk.Contact,
    "Account": pk.Account,
    "Stakeholder": pk.Stakeholder,
    "Touchpoint": pk.Touchpoint,
    "Opportunity": pk.Opportunity,
    "StageChange": pk.StageChange,
    "Verdict": pk.Verdict,
    "Qualifier": pk.Qualifier,
}


def text(schema: object) -> str:
    """The stored form of a schema: indented JSON with sorted keys and a final newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def path(name: str) -> Path:
    return HERE / f"{name}.json"


def main(argv: list[str]) -> int:
    changed = [
        n
        for n, cls in TARGETS.items()
        if not path(n).exists() or path(n).read_text(encoding="utf-8") != text(pk.json_schema(cls))
    ]
    if "--update" in argv:
        for name in changed:
            path(name).write_text(text(pk.json_schema(TARGETS[name])), encoding="utf-8")
        sys.stdout.write(f"updated {len(changed)} stored schemas: {', '.join(changed) or 'none'}\n")
        return 0
    sys.stdout.write(f"{len(changed)} stored schemas differ: {', '.join(changed) or 'none'}\n")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
