"""The lifecycle under hostile specs and inputs (issue 9)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit.lifecycle._rules import reserved_names, reserved_prefixes
from tests.lifecycle.guards import NOW, FactGuard, contact
from tests.lifecycle.test_machine import POLICIES, check_agreement


def spec_of(events: list[tuple[str, str, str]], stages: list[str]) -> pk.PipelineSpec:
    return pk.PipelineSpec(
        stages=[
            pk.StageSpec(name, final=last, outcome="won" if last else "open")
            for index, name in enumerate(stages)
            for last in [index == len(stages) - 1]
        ],
        transitions=[pk.Transition(event, source, target) for event, source, target in events],
    )


class TestCallbackConventions:
    """High 4: names python-statemachine would call as callbacks are refused."""

    @pytest.mark.parametrize(
        "event",
        [
            "after_go",
            "before_go",
            "on_go",
            "on_enter_end",
            "on_exit_start",
            "before_transition",
            "on_transition",
            "after_transition",
            "prepare_event",
            "initial_state",
            "final_states",
        ],
    )
    def test_reported_event_names_refused(self, event: str) -> None:
        with pytest.raises(pk.InvalidPipeline, match="python-statemachine"):
            spec_of([("go", "start", "mid"), (event, "mid", "end")], ["start", "mid", "end"])

    @pytest.mark.parametrize("stage", ["after_go", "on_enter_mid", "on_exit_state", "final_states"])
    def test_stage_names_refused(self, stage: str) -> None:
        with pytest.raises(pk.InvalidPipeline, match="python-statemachine"):
            spec_of([("go", "start", stage)], ["start", stage])

    def test_prefixes_come_from_the_library(self) -> None:
        assert {"before_", "on_", "after_", "on_enter_", "on_exit_"} <= set(reserved_prefixes())
        assert {"prepare_event", "before_transition", "after_transition"} <= reserved_names()
        assert {"initial_state", "final_states", "on_enter_state"} <= reserved_names()

    def test_default_names_stay_allowed(self) -> None:
        pk.Pipeline()  # builds, with its own names


#: Names near python-statemachine's conventions, and plain ones.
def _near_names() -> st.SearchStrategy[str]:
    plain = st.sampled_from(["go", "mid", "end", "start", "win", "state", "event", "transition"])
    prefixed = st.builds(
        lambda prefix, name: prefix + name, st.sampled_from(reserved_prefixes()), plain
    )
    tweaked = st.builds(
        lambda prefix, name: prefix.rstrip("_") + name,
        st.sampled_from(reserved_prefixes()),
        plain,
    )  # "aftergo", "onenter_x": not a convention
    return st.one_of(
        plain,
        prefixed,
        tweaked,
        st.sampled_from(sorted(reserved_names())),
        st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True),
    )


@st.composite
def hostile_specs(draw: st.DrawFn) -> pk.PipelineSpec | None:
    """A random spec whose names are drawn near the conventions; None if refused."""
    names = draw(st.lists(_near_names(), min_size=2, max_size=5, unique=True))
    events = draw(st.lists(_near_names(), min_size=len(names) - 1, max_size=6, unique=True))
    transitions = [(events[i], names[i], names[i + 1]) for i in range(len(names) - 1)]
    transitions.extend(
        (event, draw(st.sampled_from(names[:-1])), draw(st.sampled_from(names)))
        for event in events[len(names) - 1 :]
    )
    try:
        return spec_of(transitions, names)
    except pk.InvalidPipeline:
        return None


@given(spec=hostile_specs(), policy=st.sampled_from(POLICIES), data=st.data())
def test_machine_agrees_with_advance_on_hostile_names(
    spec: pk.PipelineSpec | None, policy: dict[str, Any], data: st.DataObject
) -> None:
    """Every accepted spec: the machine and advance agree on random event sequences."""
    if spec is None:
        return
    guarded = data.draw(st.sets(st.sampled_from(spec.events)))
    guards = {event: FactGuard(f"f_{event}") for event in sorted(guarded)}
    try:
        pipeline = pk.Pipeline(guards=guards, spec=spec, **policy)
    except pk.InvalidPipeline:
        return  # a policy may leave the spec unworkable: refused the same way
    stage = spec.stages[0].name
    for event in data.draw(st.lists(st.sampled_from([*spec.events, "teleport"]), max_size=8)):
        facts = {
            f"f_{e}": value
            for e in sorted(guarded)
            if (value := data.draw(st.sampled_from([True, False, None]))) is not None
        }
        reason = data.draw(st.sampled_from([None, "why"]))
        kind = check_agreement(
            pipeline, policy, stage=stage, facts=facts, event=event, reason=reason
        )
        if kind == "moved":
            step = pipeline.advance(contact(stage, **facts), event, at=NOW, reason=reason)
            stage = str(step.contact.stage)


SPEC_DOCUMENT: dict[str, Any] = {
    "stages": ["lead", {"name": "won", "final": True}],
    "transitions": [{"event": "win", "sources": "lead", "target": "won"}],
}


@pytest.mark.parametrize("version", [3, 0, -1, "1", "2", True, 1.0, 2.0, None, [1]])
def test_spec_schema_version_checked_as_pk_from_dict(version: object) -> None:
    """Medium 7: PipelineSpec.from_dict and pk.from_dict refuse the same versions, alike."""
    document = {**SPEC_DOCUMENT, "schema_version": version}
    with pytest.raises(pk.SchemaError) as spec_error:
        pk.PipelineSpec.from_dict(document)
    with pytest.raises(pk.SchemaError) as library_error:
        pk.from_dict(document, pk.PipelineSpec)
    assert spec_error.value.path == library_error.value.path == "$.schema_version"
    assert str(spec_error.value) == str(library_error.value)


@pytest.mark.parametrize("version", [1, 2])
def test_spec_schema_versions_1_and_2_accepted(version: int) -> None:
    final = {"name": "won", "final": True, **({"outcome": "won"} if version == 2 else {})}
    document = {**SPEC_DOCUMENT, "stages": ["lead", final], "schema_version": version}
    assert pk.PipelineSpec.from_dict(document) == pk.from_dict(document, pk.PipelineSpec)


@given(
    event=st.one_of(
        st.lists(st.text()),
        st.dictionaries(st.text(), st.none()),
        st.sets(st.integers()),
        st.none(),
        st.integers(),
    )
)
def test_non_str_event_is_a_field_error(event: object) -> None:
    """Low 18: an unhashable (or any non-str) event is a FieldTypeError naming ``event``."""
    pipeline = pk.Pipeline()
    with pytest.raises(pk.FieldTypeError) as error:
        pipeline.advance(contact("lead"), event, at=NOW)  # type: ignore[arg-type]
    assert error.value.field == "event"
    with pytest.raises(pk.FieldTypeError) as error:
        pipeline.blockers(contact("lead"), event, at=NOW)  # type: ignore[arg-type]
    assert error.value.field == "event"


def test_step_without_changes_refused() -> None:
    """Low 18: a Step with no changes is refused when made or loaded, not at ``.change``."""
    step = pk.Pipeline().advance(contact("lead"), "qualify", at=NOW)
    with pytest.raises(pk.FieldValueError) as error:
        pk.Step(step.contact, ())
    assert error.value.field == "changes"
    document = {**pk.to_dict(step), "changes": []}
    with pytest.raises(pk.SchemaError) as schema_error:
        pk.from_dict(document, pk.Step)
    assert "changes" in schema_error.value.path


@given(
    event=st.text(min_size=1, max_size=12).filter(lambda e: e not in pk.DEFAULT_SPEC.events),
    control=st.sampled_from(["\n", "\r", "\x1b", "\x00", "\u2028"]),
)
def test_invalid_history_messages_are_one_line(event: str, control: str) -> None:
    """Low 18: control characters in a stored history never reach the message raw."""
    change = pk.StageChange(event=event + control + "x", source="lead", target="prospect", at=NOW)
    with pytest.raises(pk.InvalidHistory) as error:
        pk.Pipeline().replay([change])
    assert control not in str(error.value)
