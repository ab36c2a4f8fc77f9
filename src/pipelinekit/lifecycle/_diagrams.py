"""Drawing a pipeline: Mermaid and Graphviz DOT text, with stage labels and outcomes.

python-statemachine renders the generated class (states named by their label, so the
diagrams show it); this module escapes what it writes for each format and marks the
stages that are won, lost or disqualified (a fill colour per outcome). The text is
deterministic: the same pipeline gives the same text in every build and process.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from pipelinekit.lifecycle.spec import PipelineSpec
from pipelinekit.stages import StageOutcome

if TYPE_CHECKING:
    from statemachine import StateMachine

__all__ = ["dot", "mermaid"]

#: The fill colour of a closed stage, by outcome (open stages stay white).
_FILLS: Final[dict[StageOutcome, tuple[str, str]]] = {
    "won": ("#dcfce7", "#15803d"),
    "lost": ("#fee2e2", "#b91c1c"),
    "disqualified": ("#f3f4f6", "#6b7280"),
}
#: Characters with a meaning in a Mermaid state description, as Mermaid entity codes.
_MERMAID_ENTITIES: Final = {
    "#": "#35;",
    '"': "#quot;",
    ";": "#59;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
}
_MERMAID_SPECIAL: Final = re.compile("[" + re.escape("".join(_MERMAID_ENTITIES)) + "]")


def _mermaid_text(text: str) -> str:
    return _MERMAID_SPECIAL.sub(lambda m: _MERMAID_ENTITIES[m.group()], text)


def mermaid(spec: PipelineSpec, machine: type[StateMachine]) -> str:
    """The Mermaid ``stateDiagram-v2`` of ``machine`` (generated from ``spec``)."""
    from statemachine.contrib.diagram import formatter  # noqa: PLC0415  # optional path

    lines = str(formatter.render(machine, "mermaid")).split("\n")
    described = {
        f'    state "{stage.label}" as {stage.name}': stage
        for stage in spec.stages
        if stage.label is not None and stage.label != stage.name
    }
    lines = [
        line
        if line not in described
        else f'    state "{_mermaid_text(described[line].display)}" as {described[line].name}'
        for line in lines
    ]
    while lines and not lines[-1]:
        lines.pop()
    for outcome, (fill, stroke) in _FILLS.items():
        names = [s.name for s in spec.stages if s.outcome == outcome]
        if names:
            lines.append(f"    classDef {outcome} fill:{fill},stroke:{stroke}")
            lines.append(f"    class {','.join(names)} {outcome}")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _nodes(graph: Any) -> list[Any]:
    found = list(graph.get_node_list())
    for subgraph in graph.get_subgraph_list():
        found += _nodes(subgraph)
    return found


def dot(spec: PipelineSpec, machine: type[StateMachine]) -> str:
    """The Graphviz DOT source of ``machine`` (generated from ``spec``); needs pydot."""
    from statemachine.contrib.diagram import DotGraphMachine  # noqa: PLC0415  # optional path

    graph = DotGraphMachine(machine).get_graph()  # type: ignore[no-untyped-call]  # untyped upstream
    stages = {stage.name: stage for stage in spec.stages}
    for node in _nodes(graph):
        stage = stages.get(node.get_name())
        if stage is None:
            continue
        node.set("label", _dot_text(stage.display))
        if stage.outcome in _FILLS:
            fill, stroke = _FILLS[stage.outcome]
            node.set("fillcolor", f'"{fill}"')
            node.set("color", f'"{stroke}"')
    return _stable_ids(graph.to_string())


#: The graph names python-statemachine's DOT renderer builds from ``id()`` values.
_ID_NAMES: Final = re.compile(r"(?<![A-Za-z0-9_])(__initial_|cluster___atomic_)([0-9]+)")


def _stable_ids(text: str) -> str:
    """``text`` with every ``id()``-based name renumbered 0, 1, ... in order of appearance."""
    numbers: dict[str, str] = {}

    def renumber(match: re.Match[str]) -> str:
        number = numbers.setdefault(match[2], str(len(numbers)))
        return f"{match[1]}{number}"

    return _ID_NAMES.sub(renumber, text)
