"""Write down the public API: every exported name with its signature, one line each.

``python -m tests.api.snapshot`` prints the snapshot; ``--update`` rewrites
``tests/api/current.txt``. What counts as public: every name in ``pipelinekit.__all__`` and
in the ``__all__`` of the public submodules (``pk.frameworks``, ``pk.metrics``,
``pk.schemas``, ``pk.scoring``, ``pk.vocabularies``, and ``pipelinekit.frames`` when its
extra is installed). For a function, its signature; for a class, its constructor, its
public methods and properties with their signatures, its attrs fields and enum members; for
a constant, its type and (for plain values) its value.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs

HERE = Path(__file__).parent
CURRENT = HERE / "current.txt"
#: The public submodules, besides the package itself (``frames`` needs its extra).
SUBMODULES = ("frameworks", "metrics", "schemas", "scoring", "vocabularies", "frames")
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")
_PLAIN = (bool, int, float, str, type(None))


def _text(value: object) -> str:
    return _ADDRESS.sub("", repr(value))


def _signature(obj: Any) -> str:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return "(...)"
    return _ADDRESS.sub("", str(signature))


def _annotation(cls: type[Any], name: str) -> str:
    """The annotation of ``name`` as written in the source (attrs may resolve ``field.type``)."""
    for klass in cls.__mro__:
        written = inspect.get_annotations(klass).get(name)
        if written is not None:
            return written if isinstance(written, str) else _ADDRESS.sub("", repr(written))
    return "?"


def _constant(value: object) -> str:
    if isinstance(value, _PLAIN) or (
        isinstance(value, tuple | frozenset) and all(isinstance(v, _PLAIN) for v in value)
    ):
        return f"{type(value).__name__} = {_text(value)}"
    return type(value).__name__


def _class(prefix: str, cls: type[Any]) -> Iterator[str]:  # noqa: PLR0912  # one branch per member kind
    bases = ", ".join(b.__name__ for b in cls.__bases__ if b is not object)
    yield f"{prefix}: class({bases})"
    if issubclass(cls, enum.Enum):
        for member in cls:
            yield f"{prefix}.{member.name}: member = {_text(member.value)}"
    elif not issubclass(cls, BaseException):
        yield f"{prefix}.__init__{_signature(cls)}"
    if attrs.has(cls):
        for field in attrs.fields(cls):
            if not field.name.startswith("_"):
                yield f"{prefix}.{field.name}: field {_annotation(cls, field.name)}"
    for name in sorted(dir(cls)):
        if name.startswith("_") or (issubclass(cls, enum.Enum) and name in cls.__members__):
            continue
        owner = next((k for k in cls.__mro__ if name in k.__dict__), None)
        if owner is None or not owner.__module__.startswith("pipelinekit"):
            continue  # inherited from object, Enum, str, Exception ...
        raw = owner.__dict__[name]
        if attrs.has(cls) and name in attrs.fields_dict(cls):
            continue
        if isinstance(raw, property):
            returns = raw.fget.__annotations__.get("return", "?") if raw.fget else "?"
            yield f"{prefix}.{name}: property -> {returns}"
        elif isinstance(raw, staticmethod | classmethod):
            kind = type(raw).__name__
            yield f"{prefix}.{name}: {kind}{_signature(getattr(cls, name))}"
        elif inspect.isfunction(raw):
            yield f"{prefix}.{name}{_signature(raw)}"
        else:
            yield f"{prefix}.{name}: {_constant(raw)}"


def _module(prefix: str, module: ModuleType) -> Iterator[str]:
    for name in sorted(module.__all__):
        obj = getattr(module, name)
        where = f"{prefix}.{name}"
        if inspect.ismodule(obj):
            yield f"{where}: module"
        elif inspect.isclass(obj):
            yield from _class(where, obj)
        elif callable(obj):
            yield f"{where}{_signature(obj)}"
        else:
            yield f"{where}: {_constant(obj)}"


def collect() -> list[str]:
    """The snapshot lines of the installed pipelinekit, sorted."""
    import pipelinekit  # noqa: PLC0415  # after sys.path is set by the caller

    lines = list(_module("pk", pipelinekit))
    for name in SUBMODULES:
        # pk.frameworks is pipelinekit.qualifiers.frameworks: read it as pk exposes it.
        module = getattr(pipelinekit, name, None)
        if module is None:  # not loaded by import pipelinekit (frames: its extra)
            try:
                module = importlib.import_module(f"pipelinekit.{name}")
            except ImportError:
                continue
        lines.extend(_module(f"pk.{name}", module))
    return sorted(set(lines))


def main(argv: list[str]) -> int:
    lines = collect()
    if "--update" in argv:
        CURRENT.write_text("\n".join(lines) + "\n", encoding="utf-8")
        sys.stdout.write(f"wrote {len(lines)} lines to {CURRENT}\n")
    else:
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
