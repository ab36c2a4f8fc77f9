"""The public surface: ``__all__`` is complete, sorted and importable."""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import re
import runpy
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

import pytest

import pipelinekit as pk

ROOT = Path(__file__).resolve().parent.parent


class TestAll:
    def test_sorted(self) -> None:
        """``__all__`` is sorted, so additions are easy to review."""
        assert pk.__all__ == sorted(pk.__all__)

    def test_every_name_exists(self) -> None:
        """Every name in ``__all__`` is importable from the package."""
        for name in pk.__all__:
            assert hasattr(pk, name), name

    def test_complete(self) -> None:
        """Every public name the package exposes (classes, functions, constants, type
        aliases) is listed in ``__all__``; submodules are listed only when meant for users."""
        public = {
            name
            for name, value in vars(pk).items()
            if not name.startswith("_") and not inspect.ismodule(value)
        }
        assert public <= set(pk.__all__)

    def test_no_duplicates(self) -> None:
        assert len(pk.__all__) == len(set(pk.__all__))


class TestVersion:
    def test_matches_the_installed_metadata(self) -> None:
        """``pk.__version__`` is the version pyproject.toml declares."""
        assert pk.__version__ == importlib.metadata.version("pipelinekit")


class TestExamples:
    @pytest.mark.parametrize("script", sorted((ROOT / "examples").glob("*.py")), ids=str)
    def test_example_runs(self, script: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Every example runs to the end and prints what happened."""
        runpy.run_path(str(script), run_name="__main__")
        assert capsys.readouterr().out.strip()


#: Operator methods a user calls through syntax: their results must be nameable too.
_OPERATORS = frozenset(
    {"__and__", "__or__", "__invert__", "__call__", "__eq__", "__ne__", "__lt__", "__le__"}
    | {"__gt__", "__ge__", "__add__", "__sub__", "__mul__", "__truediv__", "__neg__"}
)


def _pipelinekit_classes(annotation: object) -> Iterator[type]:
    """The pipelinekit classes named anywhere in a (resolved) annotation."""
    if isinstance(annotation, type) and annotation.__module__.startswith("pipelinekit"):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _pipelinekit_classes(argument)


def _public_callables() -> Iterator[tuple[str, Callable[..., object]]]:
    for name in pk.__all__:
        value = getattr(pk, name)
        if inspect.isfunction(value):
            yield name, value
        elif isinstance(value, type) and value.__module__.startswith("pipelinekit"):
            for member, attribute in inspect.getmembers(value):
                if member.startswith("_") and member not in _OPERATORS:
                    continue
                if isinstance(attribute, property) and attribute.fget is not None:
                    yield f"{name}.{member}", attribute.fget
                elif inspect.isfunction(attribute) or inspect.ismethod(attribute):
                    yield f"{name}.{member}", attribute
    for module in (pk.frameworks, pk.vocabularies):
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isfunction(value):
                yield f"{module.__name__}.{name}", value


def _nameable(cls: type) -> bool:
    return any(
        getattr(module, cls.__name__, None) is cls
        for module in (pk, pk.frameworks, pk.vocabularies)
    )


class TestPublicReturns:
    def test_every_public_return_type_is_exported(self) -> None:
        """A dependent can annotate what any public function, method, property or operator
        returns with names from ``pk`` (``pk.Compare``, ``pk.Qualifier``, ...)."""
        hidden: dict[str, list[str]] = {}
        for where, function in _public_callables():
            try:
                hints = typing.get_type_hints(function)
            except NameError:  # a name only visible to type checkers
                continue
            for cls in _pipelinekit_classes(hints.get("return")):
                if not _nameable(cls):
                    hidden.setdefault(f"{cls.__module__}.{cls.__qualname__}", []).append(where)
        assert hidden == {}

    def test_qualifier_interface_is_on_the_base(self) -> None:
        """What every qualifier has is on ``pk.Qualifier``, so one annotation serves all."""
        for name in ("named", "children", "name", "description", "label", "evaluate", "filter"):
            assert hasattr(pk.Qualifier, name), name


_CITATION = re.compile(r"\b(pk|pipelinekit)((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")


#: Public submodules that ``import pipelinekit`` does not load (their extra's library would
#: be imported with it): ``from pipelinekit import frames``.
LAZY_SUBMODULES: Final = frozenset({"frames"})


def _exported(parts: list[str]) -> bool:
    """Whether ``pk.<parts>`` is reachable through ``__all__`` (and listed submodules')."""
    module: object = pk
    if parts and parts[0] in LAZY_SUBMODULES:
        module = importlib.import_module(f"pipelinekit.{parts[0]}")
        parts = parts[1:]
    for part in parts:
        if part not in getattr(module, "__all__", ()):
            return False
        module = getattr(module, part)
        if not inspect.ismodule(module):
            return True  # an attribute of a public object (``pk.Stage.LEAD``)
    return True


class TestDocsCitePublicNames:
    @pytest.mark.parametrize(
        "page", [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))], ids=str
    )
    def test_cited_names_are_exported(self, page: Path) -> None:
        """Every ``pk.X`` a page names is reachable from ``__all__`` (``pk.frameworks.bant``
        through the listed submodule); a ``pipelinekit.errors.SchemaError`` (as a traceback
        prints it) counts when its last name is exported."""
        unexported = []
        for match in _CITATION.finditer(page.read_text(encoding="utf-8")):
            parts = match.group(2).strip(".").split(".")
            if parts[0].startswith("__"):
                continue
            if _exported(parts):
                continue
            if match.group(1) == "pipelinekit" and parts[-1] in pk.__all__:
                continue
            unexported.append(match.group(0))
        assert unexported == []
