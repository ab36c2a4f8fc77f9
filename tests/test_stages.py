"""Stage: a StrEnum with per-stage metadata."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import pytest

import pipelinekit as pk


class TestStage:
    def test_values_are_names(self) -> None:
        """Each member is its lower-case name as a str."""
        assert issubclass(pk.Stage, StrEnum)
        for stage in pk.Stage:
            assert stage == stage.name.lower()
            assert isinstance(stage, str)
            assert str(stage) == stage.value

    def test_members(self) -> None:
        assert [s.value for s in pk.Stage] == [
            "lead",
            "prospect",
            "opportunity",
            "customer",
            "disqualified",
            "lost",
        ]

    def test_lookup_by_value(self) -> None:
        assert pk.Stage("opportunity") is pk.Stage.OPPORTUNITY
        with pytest.raises(ValueError, match="'won' is not a valid Stage"):
            pk.Stage("won")

    def test_order(self) -> None:
        """The funnel stages come first, in order; every order is distinct."""
        orders = [s.order for s in pk.Stage]
        assert orders == sorted(orders) == list(range(1, 7))

    @pytest.mark.parametrize(
        ("stage", "terminal", "closed", "won", "probability"),
        [
            (pk.Stage.LEAD, False, False, False, "0.05"),
            (pk.Stage.PROSPECT, False, False, False, "0.1"),
            (pk.Stage.OPPORTUNITY, False, False, False, "0.4"),
            (pk.Stage.CUSTOMER, True, True, True, "1"),
            (pk.Stage.DISQUALIFIED, False, True, False, "0"),
            (pk.Stage.LOST, False, True, False, "0"),
        ],
    )
    def test_metadata(
        self, stage: pk.Stage, terminal: bool, closed: bool, won: bool, probability: str
    ) -> None:
        """Terminal / closed / won flags and default probability per stage."""
        assert stage.is_terminal is terminal
        assert stage.is_closed is closed
        assert stage.is_won is won
        assert stage.default_probability == Decimal(probability)
        assert type(stage.default_probability) is Decimal
        assert stage.info == pk.StageInfo(stage.order, terminal, closed, won, Decimal(probability))

    def test_probabilities_within_unit_interval(self) -> None:
        for stage in pk.Stage:
            assert Decimal(0) <= stage.default_probability <= Decimal(1)

    def test_won_implies_closed(self) -> None:
        for stage in pk.Stage:
            assert not stage.is_won or stage.is_closed


class TestOtherStrEnums:
    @pytest.mark.parametrize("enum_cls", [pk.Role, pk.Channel])
    def test_values_are_lower_snake_names(self, enum_cls: type[StrEnum]) -> None:
        """Role and Channel values are their names in lower case (the document format)."""
        for member in enum_cls:
            assert member.value == member.name.lower()
            assert member == member.value

    def test_some_members(self) -> None:
        assert pk.Role("economic_buyer") is pk.Role.ECONOMIC_BUYER
        assert pk.Channel("web_form") is pk.Channel.WEB_FORM


class TestStageSemantics:
    @pytest.mark.parametrize(
        ("stage", "outcome", "label"),
        [
            (pk.Stage.LEAD, "open", "Lead"),
            (pk.Stage.PROSPECT, "open", "Prospect"),
            (pk.Stage.OPPORTUNITY, "open", "Opportunity"),
            (pk.Stage.CUSTOMER, "won", "Customer"),
            (pk.Stage.DISQUALIFIED, "disqualified", "Disqualified"),
            (pk.Stage.LOST, "lost", "Lost"),
        ],
    )
    def test_outcome_and_label(self, stage: pk.Stage, outcome: str, label: str) -> None:
        assert stage.outcome == outcome
        assert stage.label == label

    @pytest.mark.parametrize("stage", list(pk.Stage))
    def test_flags_follow_the_outcome(self, stage: pk.Stage) -> None:
        """``is_closed`` and ``is_won`` are derived from the outcome, never kept apart."""
        assert stage.info.is_closed is (stage.outcome != "open")
        assert stage.info.is_won is (stage.outcome == "won")
