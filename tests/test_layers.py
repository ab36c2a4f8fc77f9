"""The layer order of the package, and no import cycles, checked by an AST scan of the source.

The layers, lowest first (ARCHITECTURE.md, "Layout"): ``errors`` and ``_checks``; ``values``
and ``stages``; ``entities``; ``qualifiers`` (with ``_codegen``, the qualifiers' code
generator); ``lifecycle`` and ``scoring``; ``metrics``; ``serialization`` and ``frames``; the
package ``__init__`` on top (it only re-exports). A module may import from its own layer or a
lower one, never from a higher one, and the imports between modules must not form a cycle.

What the scan counts:

- every ``import`` and ``from ... import`` of a ``pipelinekit`` module, at module level, in a
  class body or inside a function (a function-local import is still a dependency, it only runs
  later; hiding a cycle in a function is what this test exists to catch), and
  ``importlib.import_module("pipelinekit...")`` with a literal name;
- ``from pkg import name`` counts as importing ``pkg.name`` when that is a module, else ``pkg``;
- the implicit import of parent packages (importing ``pipelinekit.qualifiers.core`` first runs
  ``pipelinekit/qualifiers/__init__.py``) is not an edge: every module would otherwise depend
  on the top-level ``__init__`` and so on everything.

Imports under ``if TYPE_CHECKING:`` are scanned and classified but do not count, neither for
the layers nor for cycles: they never run, so they cannot make a lower layer load a higher
one or make two modules wait on each other at import; what they express is that an
annotation names a type from above (``errors.TransitionBlocked.verdict`` is a ``Verdict``, by
design: exceptions carry the data a caller needs). A runtime need cannot hide there either:
cattrs and attrs resolve annotations at run time, so a type-only import that is needed at run
time fails the rest of the suite.

A rule that is knowingly broken for now is listed in ``KNOWN_VIOLATIONS``, with why; an entry
that no longer occurs fails the test, so whoever fixes a violation deletes its entry.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal, NamedTuple

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "pipelinekit"

# Lowest first. A module's layer is that of the longest entry its dotted name starts with;
# "pipelinekit" itself (the __init__) is only its own exact name, so a new module that is
# not listed here fails test_every_module_has_a_layer instead of landing on top.
LAYERS: Mapping[str, int] = {
    "pipelinekit.errors": 0,
    "pipelinekit._checks": 0,
    "pipelinekit._text": 0,  # safe one-line text: used by errors, qualifiers and lifecycle
    "pipelinekit._pretty": 0,  # IPython's _repr_pretty_ layout, for every layer's values
    "pipelinekit.values": 1,
    "pipelinekit.stages": 1,
    "pipelinekit.entities": 2,
    "pipelinekit.qualifiers": 3,
    "pipelinekit._codegen": 3,  # the qualifiers' fast path: part of the qualifiers layer
    "pipelinekit.lifecycle": 4,
    "pipelinekit.scoring": 4,
    "pipelinekit.metrics": 5,
    "pipelinekit.vocabularies": 5,  # reads lifecycle specs; lifecycle must never import it
    "pipelinekit.serialization": 6,
    "pipelinekit._loaders": 6,  # serialization's hand-written fast loaders
    "pipelinekit._dumpers": 6,  # serialization's hand-written fast writers
    "pipelinekit.schemas": 6,  # JSON Schemas of the documents serialization reads
    "pipelinekit.frames": 6,
    "pipelinekit": 7,  # the package __init__: re-exports only
}

# Edges (importer, imported) that break the rules today and are to be removed: an upward
# import, or the edge that closes a cycle (the test ignores it when it looks for cycles). Each
# entry must still occur and still break a rule (import upward, or lie on a cycle):
# test_known_violations_are_not_stale fails otherwise.
# None today: issue 8's cycles (qualifiers/core.py <-> _codegen.py and <-> composites.py,
# lifecycle/spec.py <-> documents.py) and documents.py's import of serialization are broken.
# Add an entry only with a comment saying why and which issue removes it.
KNOWN_VIOLATIONS: frozenset[tuple[str, str]] = frozenset()

Kind = Literal["module", "local", "type-checking"]


class Import(NamedTuple):
    """One import of a pipelinekit module found by the scan."""

    importer: str
    imported: str
    kind: Kind
    line: int

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported} ({self.kind} import, line {self.line})"


def module_name(path: Path, root: Path = SRC) -> str:
    """The dotted module name of a source file (a package's ``__init__.py`` is the package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules(root: Path = SRC) -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    return {module_name(p, root): p for p in sorted((root / PACKAGE).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Scanner(ast.NodeVisitor):
    def __init__(self, module: str, *, is_package: bool, modules: frozenset[str]) -> None:
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.modules = modules
        self.functions = 0
        self.type_checking = False
        self.found: list[Import] = []

    def _target(self, name: str) -> str | None:
        if name != PACKAGE and not name.startswith(PACKAGE + "."):
            return None
        while name not in self.modules and "." in name:
            name = name.rpartition(".")[0]
        return name

    def _add(self, name: str, node: ast.AST) -> None:
        target = self._target(name)
        if target is None:
            return
        kind: Kind = (
            "type-checking" if self.type_checking else "local" if self.functions else "module"
        )
        self.found.append(Import(self.module, target, kind, getattr(node, "lineno", 0)))

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions += 1
        self.generic_visit(node)
        self.functions -= 1

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815  # the NodeVisitor protocol

    def visit_If(self, node: ast.If) -> None:
        if not _is_type_checking(node.test):
            self.generic_visit(node)
            return
        outer, self.type_checking = self.type_checking, True
        for statement in node.body:
            self.visit(statement)
        self.type_checking = outer
        for statement in node.orelse:  # the else branch of `if TYPE_CHECKING:` runs
            self.visit(statement)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            base = f"{base}.{node.module}" if node.module else base
        else:
            base = node.module or ""
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            self._add(submodule if submodule in self.modules else base, node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if (
            name in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            self._add(node.args[0].value, node)
        self.generic_visit(node)


def scan(
    module: str, source: str, *, modules: Iterable[str], is_package: bool = False
) -> list[Import]:
    """The pipelinekit imports in one module's source."""
    scanner = _Scanner(module, is_package=is_package, modules=frozenset(modules))
    scanner.visit(ast.parse(source))
    return scanner.found


def scan_package(root: Path = SRC) -> list[Import]:
    """The pipelinekit imports of every module of the package."""
    modules = source_modules(root)
    found: list[Import] = []
    for name, path in modules.items():
        found += scan(
            name, path.read_text(), modules=modules, is_package=path.name == "__init__.py"
        )
    return found


def layer_of(module: str) -> int | None:
    """The layer of a module, or None when LAYERS does not place it."""
    if module == PACKAGE:
        return LAYERS[PACKAGE]
    best = max((k for k in LAYERS if k != PACKAGE and module.startswith(k)), key=len, default="")
    if best and (module == best or module.startswith(best + ".")):
        return LAYERS[best]
    return None


def runtime_edges(imports: Iterable[Import]) -> set[tuple[str, str]]:
    """The (importer, imported) pairs that run: every import but ``TYPE_CHECKING`` ones."""
    return {(i.importer, i.imported) for i in imports if i.kind != "type-checking"}


def upward(edges: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """The edges that import from a higher layer."""
    return {
        (a, b)
        for a, b in edges
        if (la := layer_of(a)) is not None and (lb := layer_of(b)) is not None and lb > la
    }


def cycles(edges: Iterable[tuple[str, str]]) -> list[set[str]]:
    """The strongly connected components with a cycle (Tarjan), each a set of modules."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component: set[str] = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                found.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def cycle_edges(edges: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """The edges that lie on some cycle."""
    edges = set(edges)
    components = cycles(edges)
    return {(a, b) for a, b in edges for c in components if a in c and b in c}


def _describe(edges: Iterable[tuple[str, str]], imports: Iterable[Import]) -> str:
    wanted = set(edges)
    return "\n".join(
        sorted(
            {
                str(i)
                for i in imports
                if (i.importer, i.imported) in wanted and i.kind != "type-checking"
            }
        )
    )


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return scan_package()


class TestPackage:
    def test_the_scan_sees_the_package(self, imports: list[Import]) -> None:
        """A scan that found nothing would make every other test here pass vacuously."""
        modules = source_modules()
        assert {"pipelinekit", "pipelinekit._codegen", "pipelinekit.qualifiers.core"} <= set(
            modules
        )
        assert ("pipelinekit.entities", "pipelinekit.values") in runtime_edges(imports)

    def test_every_module_has_a_layer(self) -> None:
        unplaced = sorted(m for m in source_modules() if layer_of(m) is None)
        assert not unplaced, f"add these modules to LAYERS in {__file__}: {unplaced}"

    def test_imports_run_down_the_layers(self, imports: list[Import]) -> None:
        bad = upward(runtime_edges(imports)) - KNOWN_VIOLATIONS
        assert not bad, "imports from a higher layer:\n" + _describe(bad, imports)

    def test_no_import_cycles(self, imports: list[Import]) -> None:
        edges = runtime_edges(imports) - KNOWN_VIOLATIONS
        bad = cycle_edges(edges)
        assert not bad, f"import cycles {cycles(edges)}:\n" + _describe(bad, imports)

    def test_known_violations_are_not_stale(self, imports: list[Import]) -> None:
        edges = runtime_edges(imports)
        on_cycles = cycle_edges(edges)
        stale = {
            edge
            for edge in KNOWN_VIOLATIONS
            if edge not in edges or not (upward([edge]) or edge in on_cycles)
        }
        assert not stale, "fixed, so remove these entries of KNOWN_VIOLATIONS: " + repr(
            sorted(stale)
        )


def private_names_crossing(root: Path = SRC) -> list[str]:
    """``from pipelinekit.x import _name`` anywhere in the package: a private name used by
    another module (private *modules* such as ``lifecycle._table`` are fine; their names are
    their public surface inside the package, as in httpx)."""
    found = []
    for module, path in sorted(source_modules(root).items()):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level == 0 and not (node.module or "").startswith(PACKAGE):
                continue
            for alias in node.names:
                target = f"{node.module}.{alias.name}" if node.module else alias.name
                if alias.name.startswith("_") and target not in source_modules(root):
                    found.append(f"{module}:{node.lineno} imports {alias.name}")
    return found


class TestPrivateNames:
    def test_no_private_name_crosses_modules(self) -> None:
        """Shared rules live under a public name in the module both sides import."""
        assert private_names_crossing() == []

    def test_the_check_sees_a_crossing(self, tmp_path: Path) -> None:
        package = tmp_path / PACKAGE
        package.mkdir()
        (package / "__init__.py").write_text("")
        (package / "_inner.py").write_text("def _secret() -> None: ...\n")
        (package / "user.py").write_text(
            "from pipelinekit import _inner\nfrom pipelinekit._inner import _secret\n"
        )
        assert private_names_crossing(tmp_path) == ["pipelinekit.user:2 imports _secret"]


MODULES = (
    "pipelinekit",
    "pipelinekit.values",
    "pipelinekit.entities",
    "pipelinekit.lifecycle",
    "pipelinekit.lifecycle.spec",
    "pipelinekit.lifecycle.documents",
)


class TestScanner:
    """The scan itself: each kind of import it must see, so the package tests can fail."""

    def test_function_local_imports_count(self) -> None:
        source = "def f():\n    from pipelinekit.entities import Contact\n"
        assert scan("pipelinekit.values", source, modules=MODULES) == [
            Import("pipelinekit.values", "pipelinekit.entities", "local", 2)
        ]

    @pytest.mark.parametrize("test", ["TYPE_CHECKING", "typing.TYPE_CHECKING", "t.TYPE_CHECKING"])
    def test_type_checking_imports_are_classified(self, test: str) -> None:
        source = (
            f"if {test}:\n    import pipelinekit.entities\n"
            "else:\n    import pipelinekit.lifecycle\n"
        )
        found = scan("pipelinekit.values", source, modules=MODULES)
        assert [(i.imported, i.kind) for i in found] == [
            ("pipelinekit.entities", "type-checking"),
            ("pipelinekit.lifecycle", "module"),
        ]
        assert runtime_edges(found) == {("pipelinekit.values", "pipelinekit.lifecycle")}

    def test_relative_and_submodule_imports_resolve(self) -> None:
        source = "from . import documents\nfrom .. import entities\nfrom ..values import Money\n"
        found = scan("pipelinekit.lifecycle.spec", source, modules=MODULES)
        assert [i.imported for i in found] == [
            "pipelinekit.lifecycle.documents",
            "pipelinekit.entities",
            "pipelinekit.values",
        ]

    def test_package_relative_imports_resolve_from_the_package(self) -> None:
        found = scan(
            "pipelinekit.lifecycle", "from .spec import X\n", modules=MODULES, is_package=True
        )
        assert [i.imported for i in found] == ["pipelinekit.lifecycle.spec"]

    def test_dynamic_imports_and_class_bodies_count(self) -> None:
        source = (
            "import importlib\nclass A:\n    import pipelinekit.entities\n"
            "def f():\n    return importlib.import_module('pipelinekit.lifecycle.spec')\n"
        )
        found = scan("pipelinekit.values", source, modules=MODULES)
        assert [(i.imported, i.kind) for i in found] == [
            ("pipelinekit.entities", "module"),
            ("pipelinekit.lifecycle.spec", "local"),
        ]

    def test_other_packages_are_ignored(self) -> None:
        source = "import attrs\nfrom statemachine import State\nimport pipelinekitx\n"
        assert scan("pipelinekit.values", source, modules=MODULES) == []

    def test_upward_edges_are_found(self) -> None:
        edges = {
            ("pipelinekit.values", "pipelinekit.entities"),  # up
            ("pipelinekit.entities", "pipelinekit.values"),  # down
            ("pipelinekit.stages", "pipelinekit.values"),  # same layer
            ("pipelinekit.lifecycle.documents", "pipelinekit.serialization"),  # up
            ("pipelinekit.qualifiers.core", "pipelinekit._codegen"),  # same layer
        }
        assert upward(edges) == {
            ("pipelinekit.values", "pipelinekit.entities"),
            ("pipelinekit.lifecycle.documents", "pipelinekit.serialization"),
        }

    def test_layers_are_by_dotted_prefix(self) -> None:
        assert layer_of("pipelinekit") == 7
        assert layer_of("pipelinekit.qualifiers.leaves") == 3
        assert layer_of("pipelinekit.valuesx") is None
        assert layer_of("pipelinekit.new_module") is None

    def test_cycles_are_found(self) -> None:
        edges = {("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("e", "e"), ("d", "f")}
        assert sorted(map(sorted, cycles(edges))) == [["a", "b", "c"], ["e"]]
        assert cycle_edges(edges) == {("a", "b"), ("b", "c"), ("c", "a"), ("e", "e")}
        assert cycles({("a", "b"), ("b", "c"), ("a", "c")}) == []
