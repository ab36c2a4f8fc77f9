"""The model document: what it holds, and SchemaError paths for every broken part."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

import pipelinekit as pk
from pipelinekit.scoring import NaiveBayes


def contacts() -> list[pk.Contact]:
    return [
        pk.Contact(
            id=f"c{i}",
            name="n",
            stage="customer" if i % 3 == 0 else "lost",
            source=["web", "fair"][i % 2],
            account=pk.Account(name="A", employees=i * 5),
            budget=pk.Money(str(i), "EUR") if i % 5 else None,
        )
        for i in range(30)
    ]


FEATURES = ["source", "account.employees", "budget"]


@pytest.fixture(params=[None, "isotonic", "platt"])
def model(request: pytest.FixtureRequest) -> NaiveBayes:
    return NaiveBayes.fit(contacts(), features=FEATURES, bins=3, calibrate=request.param)


def test_document_is_json_and_round_trips(model: NaiveBayes) -> None:
    doc = pk.to_dict(model)
    assert json.loads(json.dumps(doc)) == doc
    assert doc["kind"] == "naive_bayes"
    assert [t["type"] for t in doc["tables"]] == ["category", "number", "number"]
    assert doc["tables"][1]["edges"] == ["50", "100"]
    assert doc["tables"][2]["currency"] == "EUR"
    assert pk.from_dict(doc, NaiveBayes) == model


Edit = Callable[[dict[str, Any]], None]


def _set(path: list[Any], value: object) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _delete(path: list[Any]) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


BROKEN: list[tuple[Edit, str, str]] = [
    (_set(["kind"], "points"), "$.kind", "expected 'naive_bayes'"),
    (_set(["extra"], 1), "$.extra", "unknown key"),
    (_delete(["won"]), "$", "missing key 'won'"),
    (_set(["won"], "12"), "$.won", "expected a count"),
    (_set(["won"], 11), "$.tables[0].counts", "do not add up to $.won"),
    (_set(["smoothing"], 0), "$.smoothing", "expected a number > 0"),
    (_set(["smoothing"], float("nan")), "$.smoothing", "expected a finite number"),
    (_set(["bins"], 0), "$.bins", "expected an int from 1"),
    (_set(["features", 0], "stage"), "$.features[0]", "reads the contact's stage"),
    (_set(["features", 0], "a..b"), "$.features[0]", "bad path"),
    (_set(["features"], "source"), "$.features", "expected a list"),
    (_set(["tables", 0, "feature"], "owner"), "$.tables[0].feature", "expected 'source'"),
    (_set(["tables", 0, "type"], "text"), "$.tables[0].type", "expected 'category' or"),
    (_set(["tables", 0, "edges"], []), "$.tables[0]", "no edges or currency"),
    (_set(["tables", 0, "counts", 0, "value"], 3), "$.tables[0].counts[0].value", "a str"),
    (_set(["tables", 0, "counts", 1, "value"], "fair"), "$.tables[0].counts[1].value", "twice"),
    (_set(["tables", 0, "counts", 0, "won"], -1), "$.tables[0].counts[0].won", "a count"),
    (_set(["tables", 0, "counts", 0, "lost"], True), "$.tables[0].counts[0].lost", "a count"),
    (_delete(["tables", 0, "counts", 0, "won"]), "$.tables[0].counts[0]", "missing key"),
    (_set(["tables", 1, "edges", 0], "x"), "$.tables[1].edges[0]", "expected a decimal"),
    (_set(["tables", 1, "edges", 0], 50), "$.tables[1].edges[0]", "as a string"),
    (_set(["tables", 1, "edges", 1], "10"), "$.tables[1].edges[1]", "increasing order"),
    (_set(["tables", 1, "counts", 0, "bin"], 7), "$.tables[1].counts[0].bin", "from 0 to 2"),
    (_set(["tables", 2, "currency"], "euro"), "$.tables[2].currency", "ISO 4217"),
    (_set(["tables"], []), "$.tables", "one table per feature"),
    (_set(["tables"], [{}] * 500), "$.tables", "at most 200 items"),
    (_set(["calibration"], {"method": "beta"}), "$.calibration", "missing key"),
    (_set(["calibration"], {"method": "beta", "x": [], "y": []}), "$.calibration.method", ""),
    (_set(["calibration"], {"method": "isotonic", "x": [0.0], "y": []}), "$.calibration", ""),
    (
        _set(["calibration"], {"method": "isotonic", "x": [0.0, 1.0], "y": [0.5, 0.4]}),
        "$.calibration.x[1]",
        "non-decreasing",
    ),
    (
        _set(["calibration"], {"method": "isotonic", "x": [0.0], "y": [1.5]}),
        "$.calibration.y[0]",
        "",
    ),
    (
        _set(["calibration"], {"method": "platt", "slope": "1", "intercept": 0}),
        "$.calibration.slope",
        "",
    ),
    (_set(["schema_version"], 99), "$.schema_version", "unsupported schema_version"),
]


@pytest.mark.parametrize(("edit", "path", "problem"), BROKEN)
def test_broken_documents_name_the_place(edit: Edit, path: str, problem: str) -> None:
    model = NaiveBayes.fit(contacts(), features=FEATURES, bins=3, calibrate=None)
    doc = copy.deepcopy(pk.to_dict(model))
    edit(doc)
    with pytest.raises(pk.SchemaError) as caught:
        pk.from_dict(doc, NaiveBayes)
    assert caught.value.path == path
    assert problem in caught.value.problem


@pytest.mark.parametrize("document", [None, [], "x", 3])
def test_not_an_object(document: object) -> None:
    with pytest.raises(pk.SchemaError, match=r"^\$: expected an object"):
        pk.from_dict(document, NaiveBayes)
