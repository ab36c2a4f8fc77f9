"""IPython's ``_repr_pretty_``: values print on several readable, bounded lines.

Checked twice: through IPython's own ``IPython.lib.pretty.pretty`` (what a notebook or the
IPython prompt calls) and through a fake printer that records the two calls the protocol
makes, so the layout does not depend on IPython's version.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given

import pipelinekit as pk
from pipelinekit import _pretty, metrics
from tests import strategies as s
from tests.display.helpers import IMG, NOW, FakePrinter, fake_pretty, hostile_contact, pretty


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _shown_names(obj: object) -> set[str]:
    """The non-empty field names of ``obj`` and of the entities nested in it."""
    names: set[str] = set()
    stack = [obj]
    while stack:
        value = stack.pop()
        cls: Any = type(value)
        if attrs.has(cls):
            for attribute in attrs.fields(cls):
                item = getattr(value, attribute.name)
                if item is None or (isinstance(item, tuple | Mapping) and not item):
                    continue
                names.add(attribute.name)
                stack.append(item)
        elif isinstance(value, tuple):
            stack.extend(value)
    return names


class TestEntities:
    def test_contact_prints_one_field_a_line(self) -> None:
        """A contact with an account reads as a block, the account indented under it."""
        contact = pk.Contact(
            id="c-1",
            name="Jane Roe",
            email="jane.roe@acme.example",
            phone="+49 170 1234567",
            account=pk.Account(name="Acme", industry="software", employees=250),
            budget=pk.Money("20000", "EUR"),
        )
        text = pretty(contact)
        assert _lines(text) == [
            "Contact(",
            "  id='c-1',",
            "  name='Jane Roe',",
            "  email='j***@acme.example',",
            "  phone='***67',",
            "  account=Account(name='Acme', industry='software', employees=250),",
            "  stage=Stage.LEAD,",
            "  budget=Money(amount=Decimal('20000'), currency='EUR'),",
            "  version=0,",
            ")",
        ]
        assert fake_pretty(contact) == text
        assert len(repr(contact)) > 300  # what IPython showed before: one long line

    def test_nested_entities_are_indented_and_collections_bounded(self) -> None:
        """Stakeholders that do not fit a line are blocks; past MAX_ITEMS a line counts them."""
        people = [
            pk.Stakeholder(name=f"Person {i}", role="influencer", title="VP " * 10)
            for i in range(_pretty.MAX_ITEMS + 3)
        ]
        text = pretty(pk.Contact(id="c-1", name="Jane", stakeholders=people))
        lines = _lines(text)
        assert "  stakeholders=(" in lines
        assert "    Stakeholder(" in lines
        assert "      name='Person 0'," in lines
        assert "      role=Role.INFLUENCER," in lines
        assert "    … 3 more" in lines
        assert "Person 10" not in text
        assert max(map(len, lines)) <= _pretty.MAX_LINE

    def test_long_text_is_cut(self) -> None:
        """A value longer than MAX_VALUE is cut, so no line runs on."""
        text = pretty(pk.Contact(id="c-1", name="x" * 5000, need="word " * 1000))
        assert max(map(len, _lines(text))) <= _pretty.MAX_LINE
        assert "..." in text

    def test_small_values_stay_on_one_line(self) -> None:
        """Money, and other values whose fields fit, print on one line."""
        assert pretty(pk.Money("25000", "EUR")) == "Money(amount=Decimal('25000'), currency='EUR')"
        touchpoint = pk.Touchpoint(channel="call", timestamp=NOW)
        assert (
            pretty(touchpoint)
            == "Touchpoint(channel=Channel.CALL, timestamp=2026-03-01 00:00:00+00:00)"
        )

    def test_inside_an_ipython_container(self) -> None:
        """In a list, IPython's own indentation is kept for every line of the block."""
        account = pk.Account(
            name="Acme",
            industry="software",
            employees=250,
            country="DE",
            website="https://acme.example/",
        )
        text = pretty([account])
        assert _lines(text)[0] == "[Account("
        assert _lines(text)[1] == "   name='Acme',"
        assert text.endswith(" )]")

    def test_masks_personal_data(self) -> None:
        """Emails and phones are masked as in ``repr``, stakeholders' too."""
        contact = pk.Contact(
            id="c-1",
            name="Jane",
            email="jane.roe@acme.example",
            phone="+49 170 1234567",
            stakeholders=[pk.Stakeholder(name="Bob", email="bob.smith@acme.example")],
        )
        text = pretty(contact)
        assert "jane.roe@" not in text
        assert "bob.smith@" not in text
        assert "1234567" not in text
        assert "b***@acme.example" in text

    def test_unsafe_characters_are_escaped(self) -> None:
        """A newline or bidi control in a value cannot break or forge a line."""
        contact = pk.Contact(id="c-1", name="Jane", facts={"note": "a\nb\u202e"})
        text = pretty(contact)
        assert "\u202e" not in text
        assert all(not line.startswith("b") for line in _lines(text))

    def test_cycle(self) -> None:
        """Asked for a cycle, the protocol writes the short form."""
        assert fake_pretty(pk.Account(name="Acme"), cycle=True) == "Account(...)"
        assert fake_pretty(pk.frameworks.bant(), cycle=True) == "Checklist(...)"

    def test_ideal_customer_profile(self) -> None:
        """A profile shows the bounds it sets, on one line while they fit."""
        icp = pk.frameworks.IdealCustomerProfile(min_employees=100, industries={"software"})
        assert pretty(icp) == (
            "IdealCustomerProfile(industries=frozenset({'software'}), min_employees=100)"
        )
        icp = attrs.evolve(icp, countries={"DE", "FR", "US"}, min_revenue=pk.Money("1e6", "EUR"))
        assert _lines(pretty(icp)) == [
            "IdealCustomerProfile(",
            "  industries=frozenset({'software'}),",
            "  min_employees=100,",
            "  countries=frozenset({'DE', 'FR', 'US'}),",
            "  min_revenue=Money(amount=Decimal('1E+6'), currency='EUR'),",
            ")",
        ]

    @given(contact=s.contacts)
    def test_bounded_and_complete(self, contact: pk.Contact) -> None:
        """Any contact: no line over MAX_LINE, and every non-empty field is named."""
        text = pretty(contact)
        assert fake_pretty(contact) == text
        lines = _lines(text)
        assert max(map(len, lines)) <= _pretty.MAX_LINE
        for name in _shown_names(contact):
            assert f"{name}=" in text, name
        if contact.email is not None:
            assert contact.email not in text

    @given(value=s.accounts | s.stakeholders | s.touchpoints | s.opportunities | s.stage_changes)
    def test_every_entity_bounded_and_complete(self, value: Any) -> None:
        text = pretty(value)
        assert max(map(len, _lines(text))) <= _pretty.MAX_LINE
        for name in _shown_names(value):
            assert f"{name}=" in text, name


class TestTextBlocks:
    def test_verdict_prints_its_explanation(self) -> None:
        """A verdict shows the indented explanation ``str`` gives, lines bounded."""
        verdict = pk.frameworks.bant().evaluate(pk.Contact(id="c-1", name="Jane"), at=NOW)
        text = pretty(verdict)
        assert _lines(text)[0].startswith("? BANT — 0 of 4 passed")
        assert len(_lines(text)) == len(str(verdict).splitlines())
        assert max(map(len, _lines(text))) <= _pretty.MAX_LINE
        assert fake_pretty(verdict) == text

    def test_framework_prints_as_its_checklist(self) -> None:
        """A qualifier tree shows as the checklist of its criteria."""
        bant = pk.frameworks.bant(min_budget=pk.Money("10000", "EUR"))
        text = pretty(bant)
        assert text == str(bant.checklist())
        assert _lines(text)[1] == (
            "  ☐ Budget: budget >= 10,000.00 EUR — a budget of at least 10,000.00 EUR"
        )

    def test_score_and_grade(self) -> None:
        contact = pk.Contact(id="c-1", name="Jane", authority=True)
        model = pk.PointsModel(
            rules=[pk.Rule(pk.field("authority") == True, points=20, group="fit")],  # noqa: E712
            thresholds={"mql": 10},
        )
        score = model.score(contact, at=NOW)
        assert _lines(pretty(score)) == str(score).splitlines()
        assert _lines(pretty(score))[0] == "score 20: grade 'mql'"
        grades = pk.GradeModel(criteria=[pk.Criterion(pk.field("authority") == True, steps=2)])  # noqa: E712
        grade = grades.score(contact, at=None)
        assert _lines(pretty(grade)) == str(grade).splitlines()

    @pytest.mark.parametrize(
        "result",
        [
            pytest.param(metrics.funnel, id="funnel"),
            pytest.param(metrics.lost_reasons, id="lost_reasons"),
            pytest.param(lambda cs: metrics.time_in_stage(cs, at=NOW), id="time_in_stage"),
            pytest.param(lambda cs: metrics.cohorts(cs, at=NOW), id="cohorts"),
        ],
    )
    def test_metric_results_print_their_table(self, result: Any) -> None:
        """Every kind of metric result shows its text table, not its attrs ``repr``."""
        table = result([hostile_contact()])
        text = pretty(table)
        assert text == str(table)
        assert fake_pretty(table) == text

    def test_pipeline_and_spec(self) -> None:
        """A pipeline shows its stages and transitions, with guards and policy."""
        icp = (pk.field("account.employees") >= 100).named("ICP")
        pipeline = pk.Pipeline(guards={"qualify": icp}, forward_only=True)
        lines = _lines(pretty(pipeline))
        assert lines[0] == "Pipeline 'SalesPipeline' (forward_only)"
        assert "    lead 'Lead': open, forecast pipeline, p 0.05, action 'nurture'" in lines
        assert "    qualify: lead → prospect; guard: ICP" in lines
        assert "    lose: opportunity → lost (reason required)" in lines
        assert _lines(pretty(pipeline.spec))[0] == "PipelineSpec 'SalesPipeline'"

    def test_text_blocks_are_bounded(self) -> None:
        """Past MAX_LINES lines a block says how many more there are."""
        printer_lines = [f"line {i}" for i in range(_pretty.MAX_LINES + 5)]
        printer = FakePrinter()
        _pretty.pretty_lines(printer, False, "X", printer_lines)
        lines = _lines(printer.output)
        assert len(lines) == _pretty.MAX_LINES + 1
        assert lines[-1] == "… 5 more lines"

    def test_deep_indentation_is_capped(self) -> None:
        line = _pretty.bounded("  " * 500 + "leaf")
        assert line == " " * _pretty.MAX_INDENT + "» leaf"


def test_hostile_contact_reads_as_text() -> None:
    """Markup in a value is shown as written (pretty output is text, not HTML)."""
    assert f"name={IMG!r}" in pretty(hostile_contact())


def test_timedelta_values() -> None:
    """Values without a special form use a bounded ``repr``."""
    assert _pretty.value_text(timedelta(days=2)) == "datetime.timedelta(days=2)"
