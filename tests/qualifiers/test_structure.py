"""The qualifier modules import at the top only: no cycle hidden in a function body."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pipelinekit as pk
from pipelinekit import _codegen
from pipelinekit.qualifiers import core

SRC = Path(pk.__file__).resolve().parent
MODULES = [SRC / "_codegen.py", *sorted((SRC / "qualifiers").glob("*.py"))]


def _local_imports(path: Path) -> list[str]:
    """``import`` statements inside a function or method of the module at ``path``."""
    return [
        f"{path.name}:{inner.lineno}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
        if isinstance(inner, ast.Import | ast.ImportFrom)
    ]


class TestImports:
    @pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
    def test_no_function_local_imports(self, path: Path) -> None:
        """``core`` reaches the code generator and the composites through the hooks they
        install, not through an import inside a function (a cycle in disguise)."""
        assert _local_imports(path) == []

    def test_core_imports_neither_codegen_nor_composites(self) -> None:
        tree = ast.parse((SRC / "qualifiers" / "core.py").read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert "pipelinekit._codegen" not in imported
        assert "pipelinekit.qualifiers.composites" not in imported

    def test_the_generator_is_installed(self) -> None:
        """Importing pipelinekit installs the code generator: trees run generated code."""
        assert core._COMPILER[0] is _codegen.compile_qualifier
        q = pk.field("a") >= 1
        assert q({"a": 1})
        assert getattr(q._check, "__code__").co_filename.startswith("<pipelinekit generated")  # noqa: B009
