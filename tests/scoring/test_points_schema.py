"""Model documents: the format, SchemaError paths, limits at their edge, hostile documents."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit.scoring import _schema
from tests.fuzz.test_documents import check_only_two_outcomes, json_values, mutated

KNOWN = {"kind": "known", "path": "email"}


def model_doc(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "points_model",
        "rules": [
            {"kind": "rule", "when": KNOWN, "points": "5"},
            {"kind": "event_rule", "channel": "call", "points": 2},
        ],
        **extra,
    }


class TestFormat:
    def test_short_documents_use_the_defaults(self) -> None:
        model = pk.from_dict(model_doc(), pk.PointsModel)
        assert model == pk.PointsModel(
            rules=[
                pk.Rule(pk.field("email").is_known(), points=5),
                pk.EventRule(channel="call", points=2),
            ]
        )

    def test_the_written_document(self) -> None:
        model = pk.PointsModel(
            rules=[
                pk.EventRule(channel="event", kind="demo", points=3, window=timedelta(hours=36))
            ],
            cap=10,
            thresholds={"mql": 3},
        )
        assert pk.to_dict(model) == {
            "kind": "points_model",
            "rules": [
                {
                    "kind": "event_rule",
                    "channel": "event",
                    "touchpoint_kind": "demo",
                    "points": "3",
                    "group": "engagement",
                    "decay": None,
                    "window": {"days": 1, "seconds": 43200},
                    "max_events": None,
                }
            ],
            "group_caps": {},
            "group_floors": {},
            "cap": "10",
            "floor": None,
            "thresholds": {"mql": "3"},
            "matrix": None,
            "schema_version": 1,
        }

    def test_parts_read_on_their_own(self) -> None:
        decay = pk.Decay.linear(percent="12.5", every=timedelta(days=7))
        assert pk.from_dict(pk.to_dict(decay), pk.Decay) == decay
        rule = pk.Rule(pk.field("email").is_known(), points=1)
        assert pk.from_dict(pk.to_dict(rule), pk.Rule) == rule
        with pytest.raises(pk.SchemaError, match="expected an EventRule document, got a Rule one"):
            pk.from_dict(pk.to_dict(rule), pk.EventRule)
        with pytest.raises(pk.SchemaError, match="got null"):
            pk.from_dict(None, pk.Decay)

    def test_grade_model(self) -> None:
        model = pk.GradeModel(criteria=[pk.Criterion(pk.field("email").is_known(), steps=3)])
        doc = pk.to_dict(model)
        assert doc == {
            "kind": "grade_model",
            "criteria": [{"when": KNOWN, "steps": 3}],
            "start": "D",
            "schema_version": 1,
        }
        assert pk.from_dict(doc, pk.GradeModel) == model


class TestPaths:
    """Every refusal names the place."""

    @pytest.mark.parametrize(
        ("change", "path", "problem"),
        [
            (lambda d: d.update(kind="grade_model"), "$.kind", "expected 'points_model'"),
            (lambda d: d.pop("rules"), "$.rules", "required field is missing"),
            (lambda d: d.update(rules={}), "$.rules", "expected a list"),
            (lambda d: d.update(extra=1), "$", "unknown field(s) 'extra'"),
            (
                lambda d: d["rules"][0].update(kind="rules"),
                "$.rules[0].kind",
                "expected 'rule' or 'event_rule'",
            ),
            (lambda d: d["rules"].append(3), "$.rules[2]", "expected a rule object"),
            (
                lambda d: d["rules"][0].update(points=1.5),
                "$.rules[0].points",
                "floats are not exact",
            ),
            (lambda d: d["rules"][0].update(points="1e10"), "$.rules[0].points", "between"),
            (lambda d: d["rules"][0].update(group=""), "$.rules[0].group", "group name"),
            (lambda d: d["rules"][0]["when"].update(path="a..b"), "$.rules[0].when.path", ""),
            (lambda d: d["rules"][0].pop("when"), "$.rules[0].when", "required field is missing"),
            (
                lambda d: d["rules"][1].update(channel="fax"),
                "$.rules[1].channel",
                "expected one of",
            ),
            (
                lambda d: d["rules"][1].update(max_events=-1),
                "$.rules[1].max_events",
                "between 1 and",
            ),
            (lambda d: d["rules"][1].update(window={"weeks": 1}), "$.rules[1].window", "keys from"),
            (
                lambda d: d["rules"][1].update(window={"days": 10**10}),
                "$.rules[1].window.days",
                "between",
            ),
            (
                lambda d: d["rules"][1].update(decay={"kind": "cubic", "every": {"days": 1}}),
                "$.rules[1].decay.kind",
                "'linear' or 'half_life'",
            ),
            (
                lambda d: d["rules"][1].update(decay={"kind": "linear", "every": {"days": 1}}),
                "$.rules[1].decay.percent",
                "required",
            ),
            (
                lambda d: d["rules"][1].update(
                    decay={"kind": "half_life", "every": {"days": 1}, "percent": "5"}
                ),
                "$.rules[1].decay.percent",
                "no percent",
            ),
            (
                lambda d: d["rules"][1].update(
                    decay={"kind": "half_life", "every": {"days": 1}}, window={"days": 1}
                ),
                "$.rules[1].window",
                "exclude each other",
            ),
            (lambda d: d.update(group_caps=[]), "$.group_caps", "expected an object"),
            (lambda d: d.update(group_caps={"fit": "-1"}), "$.group_caps.fit", "0 or more"),
            (lambda d: d.update(thresholds={"mql": None}), "$.thresholds.mql", "expected an int"),
            (lambda d: d.update(cap=True), "$.cap", "expected an int"),
            (
                lambda d: d.update(matrix={"fit": ["1"], "engagement": "2"}),
                "$.matrix.engagement",
                "expected a list",
            ),
            (
                lambda d: d.update(
                    matrix={"fit": ["1"], "engagement": ["2"], "fit_group": "intent"}
                ),
                "$.matrix",
                "no rule is in group 'intent'",
            ),
        ],
    )
    def test_schema_error_paths(self, change: Any, path: str, problem: str) -> None:
        doc = copy.deepcopy(model_doc())
        change(doc)
        with pytest.raises(pk.SchemaError) as raised:
            pk.from_dict(doc, pk.PointsModel)
        assert raised.value.path == path
        assert problem in raised.value.problem

    def test_grade_model_paths(self) -> None:
        doc = {"kind": "grade_model", "criteria": [{"when": KNOWN, "steps": 0}]}
        with pytest.raises(pk.SchemaError) as raised:
            pk.from_dict(doc, pk.GradeModel)
        assert raised.value.path == "$.criteria[0].steps"
        with pytest.raises(pk.SchemaError) as raised:
            pk.from_dict({"kind": "grade_model", "criteria": [], "start": "Z"}, pk.GradeModel)
        assert raised.value.path == "$.start"


class TestLimits:
    """Each limit at its edge: the value itself accepted, one more refused (docs/limits.md)."""

    def test_rules(self) -> None:
        rule = {"kind": "event_rule", "channel": "call", "points": 1}
        assert (
            len(
                pk.from_dict({"kind": "points_model", "rules": [rule] * 1000}, pk.PointsModel).rules
            )
            == 1000
        )
        with pytest.raises(pk.SchemaError) as raised:
            pk.from_dict({"kind": "points_model", "rules": [rule] * 1001}, pk.PointsModel)
        assert raised.value.path == "$.rules"

    def test_criteria(self) -> None:
        criterion = {"when": KNOWN}
        doc = {"kind": "grade_model", "criteria": [criterion] * 1000}
        assert len(pk.from_dict(doc, pk.GradeModel).criteria) == 1000
        with pytest.raises(pk.SchemaError, match="more than 1000 criteria"):
            pk.from_dict({**doc, "criteria": [criterion] * 1001}, pk.GradeModel)

    def test_thresholds(self) -> None:
        ok = {f"g{i}": str(i) for i in range(100)}
        assert len(pk.from_dict(model_doc(thresholds=ok), pk.PointsModel).thresholds) == 100
        with pytest.raises(pk.SchemaError, match="more than 100 entries"):
            pk.from_dict(model_doc(thresholds={**ok, "g100": "100"}), pk.PointsModel)

    def test_values_in_all(self) -> None:
        """Rules each holding a large ``in`` list: the whole document is counted first."""
        values = {"kind": "in", "path": "source", "values": [str(i) for i in range(9_000)]}
        rule = {"kind": "rule", "when": values, "points": 1}
        with pytest.raises(pk.SchemaError, match="more than 200000 values"):
            pk.from_dict({"kind": "points_model", "rules": [rule] * 23}, pk.PointsModel)

    def test_nesting(self) -> None:
        deep: Any = 1
        for _ in range(_schema.MAX_DOCUMENT_NESTING):
            deep = [deep]
        with pytest.raises(pk.SchemaError, match="nested deeper than"):
            pk.from_dict(model_doc(extra=deep), pk.PointsModel)

    def test_deep_qualifiers_are_refused_by_their_own_limit(self) -> None:
        when: Any = KNOWN
        for _ in range(70):
            when = {"kind": "not", "child": when}
        doc = {"kind": "points_model", "rules": [{"kind": "rule", "when": when, "points": 1}]}
        with pytest.raises(pk.SchemaError) as raised:
            pk.from_dict(doc, pk.PointsModel)
        assert raised.value.path.startswith("$.rules[0].when")

    @pytest.mark.parametrize(
        ("field", "value", "ok"),
        [
            ("points", "1000000000", True),
            ("points", "1000000001", False),
            ("points", "0.000001", True),
            ("points", "0.0000001", False),
            ("max_events", 1_000_000, True),
            ("max_events", 1_000_001, False),
            ("touchpoint_kind", "k" * 200, True),
            ("touchpoint_kind", "k" * 201, False),
        ],
    )
    def test_field_limits(self, field: str, value: object, ok: bool) -> None:
        doc = model_doc()
        doc["rules"][1][field] = value
        if ok:
            pk.from_dict(doc, pk.PointsModel)
        else:
            with pytest.raises(pk.SchemaError) as raised:
                pk.from_dict(doc, pk.PointsModel)
            assert raised.value.path == f"$.rules[1].{field}"


_budget = settings(settings.get_profile("fuzz"))
SEED = pk.to_dict(
    pk.PointsModel(
        rules=[
            pk.Rule(pk.field("account.employees") >= 100, points=20),
            pk.EventRule(
                channel="event",
                kind="webinar",
                points=10,
                decay=pk.Decay.half_life(timedelta(days=7)),
            ),
            pk.EventRule(channel="email", points=-1, window=timedelta(days=3), max_events=2),
        ],
        group_caps={"engagement": 15},
        cap=30,
        thresholds={"mql": 10},
        matrix=pk.ScoreMatrix(fit=(10,), engagement=(5,)),
    )
)


@_budget
@given(document=json_values)
def test_hostile_json(document: object) -> None:
    check_only_two_outcomes(document, pk.PointsModel)
    check_only_two_outcomes(document, pk.GradeModel)


@_budget
@given(data=st.data())
def test_mutated_documents(data: st.DataObject) -> None:
    check_only_two_outcomes(data.draw(mutated(SEED)), pk.PointsModel)


def test_the_limits_table_matches_the_code() -> None:
    """docs/limits.md's scoring rows show the values the code enforces."""
    import re  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from pipelinekit.scoring import _points_grades, _points_rules, _points_values, points  # noqa: PLC0415

    text = (Path(__file__).resolve().parents[2] / "docs" / "limits.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| ([\d_,]+|10\*\*\d+) \|", text, flags=re.MULTILINE))
    code = {
        "MAX_RULES": points.MAX_RULES,
        "MAX_THRESHOLDS": points.MAX_THRESHOLDS,
        "MAX_MATRIX_THRESHOLDS": points.MAX_MATRIX_THRESHOLDS,
        "MAX_POINTS": _points_values.MAX_POINTS,
        "MAX_POINT_PLACES": _points_values.MAX_POINT_PLACES,
        "MAX_EVENTS": _points_rules.MAX_EVENTS,
        "MAX_KIND": _points_rules.MAX_KIND,
        "MAX_CRITERIA": _points_grades.MAX_CRITERIA,
        "MAX_STEPS": _points_grades.MAX_STEPS,
        "MAX_DOCUMENT_VALUES": _schema.MAX_DOCUMENT_VALUES,
        "MAX_DOCUMENT_NESTING": _schema.MAX_DOCUMENT_NESTING,
    }
    for name, value in code.items():
        shown = rows[name].replace(",", "")
        base, _, power = shown.partition("**")
        assert (int(base) ** int(power) if power else int(base)) == value, name


@pytest.mark.parametrize(
    ("side", "size", "ok"), [("fit", 8, True), ("fit", 9, False), ("engagement", 9, False)]
)
def test_matrix_thresholds_at_the_edge(side: str, size: int, ok: bool) -> None:
    doc = model_doc()
    doc["rules"][0]["group"] = "fit"
    doc["matrix"] = {"fit": ["1"], "engagement": ["1"], side: [str(100 - i) for i in range(size)]}
    if ok:
        pk.from_dict(doc, pk.PointsModel)
    else:
        with pytest.raises(pk.SchemaError) as raised:
            pk.from_dict(doc, pk.PointsModel)
        assert raised.value.path == f"$.matrix.{side}"


@pytest.mark.parametrize(("steps", "ok"), [(12, True), (13, False)])
def test_steps_at_the_edge(steps: int, ok: bool) -> None:
    doc = {"kind": "grade_model", "criteria": [{"when": KNOWN, "steps": steps}]}
    if ok:
        pk.from_dict(doc, pk.GradeModel)
    else:
        with pytest.raises(pk.SchemaError, match="between 1 and 12"):
            pk.from_dict(doc, pk.GradeModel)


def test_document_values_at_the_edge() -> None:
    """Exactly MAX_DOCUMENT_VALUES values are read; one more is refused before reading."""
    base = model_doc()
    used = _count(base) + 1  # the "pad" list itself
    pad = ["x"] * (_schema.MAX_DOCUMENT_VALUES - used)
    with pytest.raises(pk.SchemaError) as at_limit:  # read, then refused for the unknown key
        pk.from_dict({**base, "pad": pad}, pk.PointsModel)
    assert "unknown field" in at_limit.value.problem
    with pytest.raises(pk.SchemaError, match="more than 200000 values"):
        pk.from_dict({**base, "pad": [*pad, "x"]}, pk.PointsModel)


def _count(doc: object) -> int:
    if isinstance(doc, dict):
        return 1 + sum(_count(v) for v in doc.values())
    if isinstance(doc, list):
        return 1 + sum(_count(v) for v in doc)
    return 1
