"""Paths checked against the subject type (issue 8: a typo was "missing" forever)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import attrs
import pytest

import pipelinekit as pk
from pipelinekit.qualifiers import Node

fw = pk.frameworks


class TestAgainstContact:
    @pytest.mark.parametrize(
        "q",
        [
            pk.field("account.employees") >= 100,
            pk.field("budget.amount") > 0,
            pk.field("budget.currency") == "EUR",
            pk.field("facts.anything") == "free",  # facts is a mapping: any key
            pk.field("facts.deep.er") == "free",
            pk.field("opportunity.amount.amount") > 0,
            pk.field("pains").contains("slow"),
            pk.field("stage") == "lead",
            pk.any_item("stakeholders", pk.field("role") == "champion"),
            pk.count_items("touchpoints", pk.field("channel") == "meeting", at_least=2),
            pk.any_item("history", pk.field("target") == "prospect"),
        ],
    )
    def test_real_paths_pass(self, q: Node) -> None:
        assert q.check_paths(pk.Contact) is q

    @pytest.mark.parametrize(
        "q", [*(f() for f in (fw.bant, fw.champ, fw.anum, fw.faint, fw.gpctba_ci, fw.meddic))]
    )
    def test_every_framework_fits_contact(self, q: Node) -> None:
        q.check_paths(pk.Contact)

    @pytest.mark.parametrize(
        ("q", "message"),
        [
            (
                pk.field("acount.employees") >= 100,
                (
                    "path 'acount.employees' does not fit Contact: Contact has no field 'acount' "
                    "(did you mean 'account'?)"
                ),
            ),
            (
                pk.field("account.employes") >= 100,
                (
                    "path 'account.employes' does not fit Contact: Account has no field 'employes' "
                    "(did you mean 'employees'?)"
                ),
            ),
            (
                pk.field("budget.amont") > 0,
                (
                    "path 'budget.amont' does not fit Contact: Money has no field 'amont' "
                    "(did you mean 'amount'?)"
                ),
            ),
            (
                pk.field("name.first") == "x",
                "path 'name.first' does not fit Contact: name is a str, it has no field 'first'",
            ),
            (
                pk.field("stakeholders.role") == "champion",
                (
                    "path 'stakeholders.role' does not fit Contact: stakeholders is a collection: "
                    "check its items with pk.any_item('stakeholders', pk.field('role') ...)"
                ),
            ),
            (
                pk.any_item("stakeholders", pk.field("rol") == "champion"),
                (
                    "path 'stakeholders[].rol' does not fit Stakeholder: Stakeholder has no field "
                    "'rol' (did you mean 'role'?)"
                ),
            ),
            (
                pk.any_item("title", pk.field("x") == 1),
                "path 'title' does not fit Contact: title is a str, not a collection",
            ),
            (
                pk.field("zzz") == 1,
                "path 'zzz' does not fit Contact: Contact has no field 'zzz'",
            ),
        ],
    )
    def test_typos_are_refused(self, q: Node, message: str) -> None:
        with pytest.raises(pk.QualifierError) as info:
            q.check_paths(pk.Contact)
        assert str(info.value) == message

    def test_deep_in_a_tree(self) -> None:
        q = fw.bant() & ~(pk.field("account.industri") == "gambling")
        with pytest.raises(pk.QualifierError, match="did you mean 'industry'"):
            q.check_paths(pk.Contact)


@attrs.frozen
class Inner:
    size: int


@attrs.frozen
class Outer:
    inner: Inner | None
    rows: tuple[Inner, ...]
    extra: Mapping[str, Any]
    anything: Any

    @property
    def total(self) -> Inner:
        """A computed field is a field too."""
        return self.inner or Inner(size=0)


@dataclasses.dataclass
class Plain:
    size: int


class TestOtherTypes:
    def test_own_attrs_class(self) -> None:
        (pk.field("inner.size") >= 1).check_paths(Outer)
        (pk.field("total.size") >= 1).check_paths(Outer)
        (pk.field("extra.what.ever") >= 1).check_paths(Outer)
        (pk.field("anything.goes") >= 1).check_paths(Outer)
        pk.count_items("rows", pk.field("size") >= 1, at_least=1).check_paths(Outer)
        with pytest.raises(pk.QualifierError, match="Inner has no field 'sise'"):
            (pk.field("inner.sise") >= 1).check_paths(Outer)

    def test_dataclass_and_free_types(self) -> None:
        (pk.field("size") >= 1).check_paths(Plain)
        with pytest.raises(pk.QualifierError, match="did you mean 'size'"):
            (pk.field("sizes") >= 1).check_paths(Plain)
        (pk.field("whatever") >= 1).check_paths(dict)  # rows: any key
        (pk.field("whatever") >= 1).check_paths(Any)


class TestPipeline:
    def test_typo_in_a_guard_is_refused_when_built(self) -> None:
        """The guards of a pipeline run on contacts: check them when it is built."""
        bad = pk.field("acount.employees") >= 100
        with pytest.raises(pk.InvalidPipeline) as info:
            pk.Pipeline(guards={"qualify": bad})
        assert str(info.value) == (
            "guards: the guard of 'qualify': path 'acount.employees' does not fit Contact: "
            "Contact has no field 'acount' (did you mean 'account'?)"
        )
        with pytest.raises(pk.InvalidPipeline, match="did you mean 'account'"):
            pk.PipelineSpec(
                stages=pk.DEFAULT_SPEC.stages,
                transitions=pk.DEFAULT_SPEC.transitions,
                guards={"qualify": bad},
            )

    def test_good_guards_and_facts_are_accepted(self) -> None:
        pk.Pipeline(guards={"qualify": fw.bant(), "convert": pk.field("facts.x") == 1})
