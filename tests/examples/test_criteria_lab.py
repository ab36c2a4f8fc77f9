"""The criteria-lab notebook: saved clean, and executed by nbclient with real outputs.

The notebook runs once per test session (a real Jupyter kernel, as the documentation
build runs it); the tests read what each tagged cell showed. One extra cell, appended
only here, reports values from the kernel's own state, so the tests can check that the
tables shown agree with pipelinekit's other paths (the fast boolean, the metrics) and that
the population is the same on every run of its seed.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "criteria_lab.ipynb"

#: Appended to the executed copy only: facts from the kernel, as one JSON line.
REPORT = """
import json as _json
_rng = random.Random(SEED)
_people = [contact(_rng, n) for n in range(SIZE)]
print(_json.dumps({
    "size": len(people),
    "same_population": _people == people,
    "bant_filter": len(bant.filter(people, at=NOW)),
    "meddic_filter": len(meddic.filter(people, at=NOW)),
    "narrow_filter": len(narrow.filter(people, at=NOW)),
    "broad_filter": len(broad.filter(people, at=NOW)),
    "stages": {str(s): sum(str(p.stage) == str(s) for p in people) for s in pk.Stage},
    "replays": all(DEFAULT.replay(p) == p.stage for p in people),
    "customers": sum(p.stage == pk.Stage.CUSTOMER for p in people),
}))
"""


def read() -> Any:
    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def executed() -> Any:
    notebook = read()
    notebook.cells.append(nbformat.v4.new_code_cell(REPORT, metadata={"tags": ["report"]}))
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3")
    client.execute(cwd=str(NOTEBOOK.parent))
    return notebook


def cell(notebook: Any, tag: str) -> Any:
    (found,) = [c for c in notebook.cells if tag in c.get("metadata", {}).get("tags", [])]
    return found


def text(notebook: Any, tag: str) -> str:
    """Everything the cell printed (streams) and its results' plain text."""
    parts = []
    for output in cell(notebook, tag).outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        elif "data" in output:
            parts.append(output.data.get("text/plain", ""))
    return "".join(parts)


def html(notebook: Any, tag: str) -> str:
    (result,) = [o for o in cell(notebook, tag).outputs if o.output_type == "execute_result"]
    value: str = result.data["text/html"]
    return value


def report(notebook: Any) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(text(notebook, "report"))
    return value


class TestSavedNotebook:
    def test_it_is_saved_without_outputs(self) -> None:
        """Outputs and execution counts are never committed: the file diffs as code."""
        notebook = read()
        code = [c for c in notebook.cells if c.cell_type == "code"]
        assert code
        assert [c.outputs for c in code] == [[] for _ in code]
        assert [c.execution_count for c in code] == [None for _ in code]
        assert "widgets" not in notebook.metadata
        for c in code:
            assert set(c.metadata) <= {"tags"}, c.metadata

    def test_it_is_a_valid_notebook_with_unique_tags(self) -> None:
        notebook = read()
        nbformat.validate(notebook)
        tags = [t for c in notebook.cells for t in c.get("metadata", {}).get("tags", [])]
        assert len(tags) == len(set(tags))
        assert notebook.metadata["kernelspec"]["name"] == "python3"

    def test_the_outcome_table_cell_is_named_for_the_frames_switch(self) -> None:
        """The row-wise table is the one cell to switch to pipelinekit.frames later."""
        source = cell(read(), "criteria-table").source
        assert source.startswith("# Per-criterion outcome table")
        assert "pipelinekit.frames.outcomes" in source


class TestExecutedNotebook:
    def test_no_cell_raised(self, executed: Any) -> None:
        outputs = [o for c in executed.cells for o in c.get("outputs", [])]
        assert [o for o in outputs if o.output_type == "error"] == []

    def test_the_population_is_seeded_and_every_history_replays(self, executed: Any) -> None:
        facts = report(executed)
        assert facts["size"] == 600
        assert facts["same_population"] is True
        assert facts["replays"] is True
        shown = text(executed, "population")
        for stage, count in facts["stages"].items():
            if count:
                assert re.search(rf"^{stage} +{count}$", shown, re.MULTILINE), stage
        # a population worth comparing: every kind of ending is there
        assert all(facts["stages"][s] > 10 for s in ("customer", "lost", "disqualified", "lead"))

    def test_the_frame_has_the_dotted_columns(self, executed: Any) -> None:
        table = html(executed, "frame")
        for column in ("account.industry", "account.employees", "budget.amount"):
            assert f"<th>{column}</th>" in table

    def test_the_icp_comparison_agrees_with_the_fast_path(self, executed: Any) -> None:
        facts = report(executed)
        shown = text(executed, "compare-icp")
        # the result's plain text (IPython's _repr_pretty_) is its text table
        assert re.search(rf"^a +{facts['narrow_filter']} ", shown, re.MULTILINE), shown
        assert re.search(rf"^b +{facts['broad_filter']} ", shown, re.MULTILINE), shown
        assert 0 < facts["narrow_filter"] < facts["broad_filter"] < facts["size"]
        table = html(executed, "compare-icp")
        for part in ("<table", "a only", "win_rate"):
            assert part in table

    def test_bant_and_meddic_counts_agree_with_the_fast_path(self, executed: Any) -> None:
        facts = report(executed)
        table = html(executed, "bant-meddic-counts")
        assert f"<td>{facts['bant_filter']}</td>" in table
        assert f"<td>{facts['meddic_filter']}</td>" in table
        # MEDDIC asks for facts leads rarely have: more unknowns than passes
        assert facts["meddic_filter"] < facts["bant_filter"]
        assert "<table" in html(executed, "compare-bant-meddic")

    def test_the_explanations_are_shown(self, executed: Any) -> None:
        shown = text(executed, "explanations")
        assert shown.startswith("✓ BANT — ")
        for criterion in ("Budget", "Authority", "Need", "Timeframe"):
            assert re.search(rf"^  [✓✗?] {criterion} — ", shown, re.MULTILINE)
        assert "MEDDIC" in shown
        assert "still to find out: " in shown

    def test_the_per_criterion_table(self, executed: Any) -> None:
        facts = report(executed)
        table = html(executed, "criteria-table")
        for column in ("Budget", "Authority", "Need", "Timeframe", "BANT"):
            assert f"<th>{column}</th>" in table
        summary = text(executed, "criteria-summary")
        first, *rows = summary.splitlines()
        assert first.split() == ["Budget", "Authority", "Need", "Timeframe", "BANT"]
        counts = {row.split()[0]: [int(n) for n in row.split()[1:]] for row in rows}
        assert set(counts) == {"pass", "fail", "unknown"}
        # every contact is in exactly one row of each column
        for index in range(5):
            assert sum(counts[o][index] for o in counts) == facts["size"]
        assert counts["pass"][4] == facts["bant_filter"]

    def test_the_funnel(self, executed: Any) -> None:
        facts = report(executed)
        shown = text(executed, "funnel")
        # every contact started as a lead; customers are those who reached the last stage
        assert re.search(rf"^lead +{facts['size']} ", shown, re.MULTILINE), shown
        assert re.search(rf"^customer +{facts['customers']} ", shown, re.MULTILINE), shown
        assert "<table" in html(executed, "funnel")

    def test_the_funnel_chart_is_a_png(self, executed: Any) -> None:
        images = [
            o.data["image/png"]
            for o in cell(executed, "funnel-chart").outputs
            if "data" in o and "image/png" in o.data
        ]
        assert len(images) == 1
        assert base64.b64decode(images[0]).startswith(b"\x89PNG\r\n\x1a\n")

    def test_the_breakdowns(self, executed: Any) -> None:
        shown = text(executed, "funnel-by-source")
        assert shown.startswith("win rate: ")
        assert re.search(r"^ads +lead +\d+ ", shown, re.MULTILINE), shown
        assert "median_km" in html(executed, "time-in-stage")

    def test_the_points_model(self, executed: Any) -> None:
        facts = report(executed)
        table = html(executed, "points")
        for grade in ("mql", "sql"):
            assert f"<th>{grade}</th>" in table
        assert text(executed, "points-explained").startswith("score ")
        backtest = text(executed, "backtest")
        assert re.search(r"^grade mql +0\.\d+ +0\.\d+$", backtest, re.MULTILINE)
        assert re.search(r"^grade sql +0\.\d+ +0\.\d+$", backtest, re.MULTILINE)
        assert facts["customers"] > 0
