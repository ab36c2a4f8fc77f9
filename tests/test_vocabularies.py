"""pipelinekit.vocabularies: the vendor tables, both mapping directions, the ready specs."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit import vocabularies as voc

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ODOO = voc.ready_spec("odoo")

#: Every row of every table, with its table: the population of the round-trip laws.
ROWS = [
    (table, term) for system in voc.SYSTEMS for table in voc.tables(system) for term in table.terms
]
#: Every (system, stage) pair of the ready specs.
STAGES = [(system, s.name) for system in voc.SYSTEMS for s in voc.ready_spec(system).stages]

rows = st.sampled_from(ROWS)
stages = st.sampled_from(STAGES)


def _row(system: str, value: str) -> tuple[voc.Vocabulary, voc.Term]:
    return next((t, term) for t, term in ROWS if t.system == system and term.value == value)


class TestTables:
    """The tables hold what the vendors ship (the values checked here are the sources')."""

    def test_salesforce_opportunity_stages(self) -> None:
        """Names, default probabilities and forecast categories, in Salesforce's order."""
        spec = voc.ready_spec("salesforce")
        table = voc.tables("salesforce")[0]
        assert table.field == "Opportunity.StageName"
        got = [
            (v, spec.stage(voc.to_pipelinekit("salesforce", v)).probability) for v in table.values
        ]
        assert got == [
            ("Prospecting", Decimal("0.1")),
            ("Qualification", Decimal("0.1")),
            ("Needs Analysis", Decimal("0.2")),
            ("Value Proposition", Decimal("0.5")),
            ("Id. Decision Makers", Decimal("0.6")),
            ("Perception Analysis", Decimal("0.7")),
            ("Proposal/Price Quote", Decimal("0.75")),
            ("Negotiation/Review", Decimal("0.9")),
            ("Closed Won", Decimal(1)),
            ("Closed Lost", Decimal(0)),
        ]

    def test_salesforce_lead_statuses(self) -> None:
        """Both default Lead Status picklists, each read as lead, prospect, converted, not."""
        long, short = voc.tables("salesforce")[1:]
        assert long.values == (
            "Open - Not Contacted",
            "Working - Contacted",
            "Closed - Converted",
            "Closed - Not Converted",
        )
        assert short.values == ("Open", "Contacted", "Qualified", "Unqualified")
        for table in (long, short):
            assert [t.stage for t in table.terms] == [
                "lead",
                "prospect",
                "prospecting",
                "disqualified",
            ]

    def test_hubspot_deal_stages(self) -> None:
        """The default pipeline's internal ids and probabilities."""
        spec = voc.ready_spec("hubspot")
        got = {
            v: spec.stage(voc.to_pipelinekit("hubspot", v)).probability
            for v in voc.tables("hubspot")[0].values
        }
        assert got == {
            "appointmentscheduled": Decimal("0.2"),
            "qualifiedtobuy": Decimal("0.4"),
            "presentationscheduled": Decimal("0.6"),
            "decisionmakerboughtin": Decimal("0.8"),
            "contractsent": Decimal("0.9"),
            "closedwon": Decimal(1),
            "closedlost": Decimal(0),
        }

    def test_hubspot_lifecycle_stages(self) -> None:
        """Internal values, labels and readings of the eight default lifecycle stages."""
        table = voc.tables("hubspot")[1]
        assert [(t.value, t.label, t.stage) for t in table.terms] == [
            ("subscriber", "Subscriber", "lead"),
            ("lead", "Lead", "lead"),
            ("marketingqualifiedlead", "Marketing Qualified Lead", "lead"),
            ("salesqualifiedlead", "Sales Qualified Lead", "prospect"),
            ("opportunity", "Opportunity", "appointmentscheduled"),
            ("customer", "Customer", "customer"),
            ("evangelist", "Evangelist", "customer"),
            ("other", "Other", "disqualified"),
        ]

    def test_odoo_and_frappe(self) -> None:
        odoo, frappe = voc.ready_spec("odoo"), voc.ready_spec("frappe")
        assert voc.tables("odoo")[0].values == ("New", "Qualified", "Proposition", "Won")
        assert [s.probability for s in odoo.stages[1:4]] == [None, None, None]
        assert voc.tables("frappe")[1].values == (
            "New",
            "Contacted",
            "Nurture",
            "Qualified",
            "Unqualified",
            "Junk",
        )
        assert {
            v: frappe.stage(voc.to_pipelinekit("frappe", v)).probability
            for v in voc.tables("frappe")[0].values
        } == {
            "Qualification": Decimal("0.1"),
            "Demo/Making": Decimal("0.25"),
            "Proposal/Quotation": Decimal("0.5"),
            "Negotiation": Decimal("0.7"),
            "Ready to Close": Decimal("0.9"),
            "Won": Decimal(1),
            "Lost": Decimal(0),
        }

    def test_every_table_names_its_source(self) -> None:
        for table, _ in ROWS:
            assert table.source.startswith(("https://", "Odoo's")), table.name

    def test_values_are_unique_per_system(self) -> None:
        """So ``to_pipelinekit`` without ``vocabulary=`` is never ambiguous."""
        for system in voc.SYSTEMS:
            values = [v for table in voc.tables(system) for v in table.values]
            assert len(values) == len(set(values)), system

    def test_the_lossy_rows_are_these(self) -> None:
        """The documented lossy cases, all of them: a new lossy row must be documented."""
        lossy = sorted((t.system, term.value) for t, term in ROWS if term.note is not None)
        assert lossy == [
            ("frappe", "Contacted"),
            ("frappe", "Junk"),
            ("frappe", "Nurture"),
            ("hubspot", "evangelist"),
            ("hubspot", "marketingqualifiedlead"),
            ("hubspot", "opportunity"),
            ("hubspot", "other"),
            ("hubspot", "subscriber"),
            ("odoo", "lost"),
            ("odoo", "opportunity"),
            ("odoo", "pending"),
            ("salesforce", "Closed - Converted"),
            ("salesforce", "Qualified"),
        ]


class TestVocabularyChecks:
    def test_a_value_listed_twice_is_refused(self) -> None:
        term = voc.Term(value="A", label="A", stage="lead")
        with pytest.raises(pk.InvalidPipeline, match="values listed twice"):
            voc.Vocabulary(
                system="odoo",
                spec=ODOO,
                name="x",
                field="f",
                source="s",
                terms=(term, term),
                gap="g",
            )

    def test_a_stage_written_back_twice_is_refused(self) -> None:
        """The reverse direction must be a function."""
        a = voc.Term(value="A", label="A", stage="lead")
        b = voc.Term(value="B", label="B", stage="lead")
        with pytest.raises(pk.InvalidPipeline, match="written-back stages listed twice"):
            voc.Vocabulary(
                system="odoo", spec=ODOO, name="x", field="f", source="s", terms=(a, b), gap="g"
            )

    def test_a_stage_of_another_pipeline_is_refused(self) -> None:
        a = voc.Term(value="A", label="A", stage="prospect")
        with pytest.raises(pk.InvalidPipeline, match=r"names \['prospect'\], not stages of Odoo"):
            voc.Vocabulary(
                system="odoo", spec=ODOO, name="x", field="f", source="s", terms=(a,), gap="g"
            )

    def test_a_lossy_row_needs_a_note(self) -> None:
        a = voc.Term(value="A", label="A", stage="lead", stages=())
        with pytest.raises(pk.InvalidPipeline, match="without a note"):
            voc.Vocabulary(
                system="odoo", spec=ODOO, name="x", field="f", source="s", terms=(a,), gap="g"
            )


class TestRoundTrips:
    """Both directions, over every row of every table and every stage of every ready spec."""

    @given(rows)
    @example(_row("salesforce", "Closed Won"))
    @example(_row("hubspot", "salesqualifiedlead"))
    def test_read_then_write(self, row: tuple[voc.Vocabulary, voc.Term]) -> None:
        """from(to(x)) == x for a one-to-one or covering row; a lossy row comes back as its
        stage's canonical value, which reads as the same stage."""
        table, term = row
        stage = table.to_pipelinekit(term.value)
        assert stage == term.stage
        assert voc.to_pipelinekit(table.system, term.value) == stage
        if term.round_trips:
            assert table.from_pipelinekit(stage) == term.value
        else:
            assert term.note
            back = table.from_pipelinekit(stage)
            assert back != term.value
            assert table.to_pipelinekit(back) == stage

    @given(stages)
    @example(("hubspot", "lost"))
    @example(("odoo", "disqualified"))
    def test_write_then_read(self, pair: tuple[voc.System, str]) -> None:
        """to(from(s)) == s where the written value is s's own; a value standing for several
        stages reads back as the first of them, and writing that again is stable."""
        system, stage = pair
        for table in voc.tables(system):
            if all(stage not in t.stages for t in table.terms):
                with pytest.raises(pk.FieldValueError, match=re.escape(table.gap)) as caught:
                    table.from_pipelinekit(stage)
                assert caught.value.field == "stage"
                continue
            value = table.from_pipelinekit(stage)
            term = table.term(value)
            assert stage in term.stages
            read = table.to_pipelinekit(value)
            assert read == stage or (len(term.stages) > 1 and term.note)
            assert table.from_pipelinekit(read) == value
        value = voc.from_pipelinekit(system, stage)
        assert any(value in t.values for t in voc.tables(system))

    def test_the_default_writer_prefers_deal_fields(self) -> None:
        assert voc.from_pipelinekit("salesforce", "customer") == "Closed Won"
        assert voc.from_pipelinekit("salesforce", "lead") == "Open - Not Contacted"
        assert voc.from_pipelinekit("hubspot", "lead") == "lead"
        assert voc.from_pipelinekit("hubspot", "contractsent") == "contractsent"
        assert voc.from_pipelinekit("frappe", "prospect") == "Qualified"
        assert voc.from_pipelinekit("odoo", "new") == "New"
        assert voc.from_pipelinekit("odoo", "lead") == "lead"


class TestLossyCases:
    """Each documented lossy case, explicitly."""

    def test_mql_and_subscriber_are_leads(self) -> None:
        """HubSpot: subscriber, lead and MQL all read as lead; a lead writes back as lead."""
        for value in ("subscriber", "lead", "marketingqualifiedlead"):
            assert voc.to_pipelinekit("hubspot", value) == "lead"
        assert voc.from_pipelinekit("hubspot", "lead", vocabulary="lifecyclestage") == "lead"
        assert voc.to_pipelinekit("hubspot", "salesqualifiedlead") == "prospect"

    def test_hubspot_has_no_lost_lifecycle_stage(self) -> None:
        with pytest.raises(pk.FieldValueError, match="no lost lifecycle stage") as caught:
            voc.from_pipelinekit("hubspot", "lost", vocabulary="lifecyclestage")
        assert caught.value.field == "stage"
        assert voc.from_pipelinekit("hubspot", "lost") == "closedlost"

    def test_hubspot_opportunity_is_every_open_deal(self) -> None:
        assert voc.to_pipelinekit("hubspot", "opportunity") == "appointmentscheduled"
        for stage in ("qualifiedtobuy", "contractsent"):
            assert voc.from_pipelinekit("hubspot", stage, vocabulary="lifecyclestage") == (
                "opportunity"
            )

    def test_salesforce_conversion_is_one_event(self) -> None:
        """A converted lead reads as the first deal stage; every later stage, won and lost
        included, has the lead status "Closed - Converted"."""
        assert voc.to_pipelinekit("salesforce", "Closed - Converted") == "prospecting"
        assert voc.to_pipelinekit("salesforce", "Qualified") == "prospecting"
        for stage in ("negotiation_review", "customer", "lost"):
            assert voc.from_pipelinekit("salesforce", stage, vocabulary="lead_status") == (
                "Closed - Converted"
            )
        with pytest.raises(pk.FieldValueError, match="no Opportunity yet"):
            voc.from_pipelinekit("salesforce", "lead", vocabulary="opportunity_stage")

    def test_odoo_has_no_prospect_stage(self) -> None:
        assert "prospect" not in [s.name for s in voc.ready_spec("odoo").stages]
        with pytest.raises(pk.FieldValueError, match="not a stage of the Odoo pipeline"):
            voc.from_pipelinekit("odoo", "prospect")

    def test_odoo_lost_is_archived_with_a_reason(self) -> None:
        with pytest.raises(pk.FieldValueError, match="no lost stage"):
            voc.from_pipelinekit("odoo", "lost", vocabulary="stage_id")
        assert voc.from_pipelinekit("odoo", "lost") == "lost"
        assert voc.from_pipelinekit("odoo", "disqualified") == "lost"
        assert voc.to_pipelinekit("odoo", "lost") == "lost"


class TestErrors:
    """Bad input is a pipelinekit error naming the argument, with the closest choice."""

    @pytest.mark.parametrize(
        ("function", "args", "field", "message"),
        [
            ("to_pipelinekit", ("salesfroce", "Open"), "system", "did you mean 'salesforce'"),
            ("to_pipelinekit", ("salesforce", "closed won"), "value", "did you mean 'Closed Won'"),
            ("from_pipelinekit", ("hubspot", "prospekt"), "stage", "did you mean 'prospect'"),
            ("ready_spec", ("Odoo",), "system", "did you mean 'odoo'"),
            ("tables", ("",), "system", "not a supported system"),
        ],
    )
    def test_unknown_names(
        self, function: str, args: tuple[object, ...], field: str, message: str
    ) -> None:
        call: Any = getattr(voc, function)  # called with what a caller's data may hold
        with pytest.raises(pk.FieldValueError, match=message) as caught:
            call(*args)
        assert caught.value.field == field

    def test_unknown_vocabulary(self) -> None:
        with pytest.raises(pk.FieldValueError, match="did you mean 'lifecyclestage'") as caught:
            voc.to_pipelinekit("hubspot", "lead", vocabulary="lifecycle")
        assert caught.value.field == "vocabulary"

    @pytest.mark.parametrize(
        ("function", "args", "field"),
        [
            ("to_pipelinekit", (None, "Open"), "system"),
            ("to_pipelinekit", ("hubspot", 3), "value"),
            ("from_pipelinekit", ("hubspot", ["lead"]), "stage"),
            ("ready_spec", (b"odoo",), "system"),
        ],
    )
    def test_wrong_types(self, function: str, args: tuple[object, ...], field: str) -> None:
        call: Any = getattr(voc, function)
        with pytest.raises(pk.FieldTypeError) as caught:
            call(*args)
        assert caught.value.field == field

    def test_wrong_vocabulary_type(self) -> None:
        vocabulary: Any = 1
        with pytest.raises(pk.FieldTypeError) as caught:
            voc.from_pipelinekit("hubspot", "lead", vocabulary=vocabulary)
        assert caught.value.field == "vocabulary"

    @given(st.text(max_size=30))
    @example("\x1b[2Jx\n")
    def test_any_text_is_a_stage_or_a_clear_error(self, text: str) -> None:
        """Never a KeyError or a raw message: a value or a FieldValueError with the input
        escaped (no control character reaches the message)."""
        for system in voc.SYSTEMS:
            values = {v for table in voc.tables(system) for v in table.values}
            names = {s.name for s in voc.ready_spec(system).stages}
            for call, known in ((voc.to_pipelinekit, values), (voc.from_pipelinekit, names)):
                if text in known:
                    assert call(system, text)
                    continue
                with pytest.raises(pk.FieldValueError) as caught:
                    call(system, text)
                assert not any(c in str(caught.value) for c in "\x1b\n\r")


class TestReadySpecs:
    def test_nothing_is_built_at_import(self) -> None:
        """``import pipelinekit`` builds no ready spec: checking a spec's names loads
        python-statemachine, which the package import must not pay for."""
        code = "import sys, pipelinekit\nprint('statemachine' in sys.modules)\n"
        out = subprocess.run(  # noqa: S603  # our own interpreter, fixed code
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert out.strip() == "False"

    @pytest.mark.parametrize("system", voc.SYSTEMS)
    def test_valid_and_round_trips_through_documents(self, system: voc.System) -> None:
        spec = voc.ready_spec(system)
        assert isinstance(spec, pk.PipelineSpec)
        assert pk.from_dict(pk.to_dict(spec), pk.PipelineSpec) == spec
        assert pk.PipelineSpec.from_dict(pk.to_dict(spec)) == spec

    @pytest.mark.parametrize(
        ("system", "won", "lost"),
        [
            ("salesforce", "Closed Won", "Closed Lost"),
            ("hubspot", "closedwon", "closedlost"),
            ("odoo", "Won", "lost"),
            ("frappe", "Won", "Lost"),
        ],
    )
    def test_won_and_lost_are_the_vendors(self, system: voc.System, won: str, lost: str) -> None:
        """The won stage is what the vendor calls won, the lost one what it calls lost."""
        spec = voc.ready_spec(system)
        assert spec.won_stages == (voc.to_pipelinekit(system, won),) == ("customer",)
        assert spec.lost_stages == (voc.to_pipelinekit(system, lost),) == ("lost",)
        assert spec.disqualified_stages == ("disqualified",)
        customer, gone = spec.stage("customer"), spec.stage("lost")
        assert customer.final
        assert (customer.probability, customer.forecast) == (Decimal(1), "closed")
        assert (gone.probability, gone.forecast) == (Decimal(0), "omitted")
        assert customer.label == voc.tables(system)[0].term(won).label
        assert voc.from_pipelinekit(system, "customer") == won
        assert voc.from_pipelinekit(system, "lost") == lost

    @pytest.mark.parametrize("system", voc.SYSTEMS)
    def test_deal_stages_carry_the_vendors_semantics(self, system: voc.System) -> None:
        """Each open deal stage is open, forecast "pipeline", labelled as the vendor labels
        it, with the vendor's probability; the funnel is lead (prospect), the deal stages,
        customer."""
        spec = voc.ready_spec(system)
        deal_table = voc.tables(system)[0]
        deals = [t for t in deal_table.terms if t.stage not in spec.closed_stages]
        assert [t.stage for t in deals] == [
            s for s in spec.open_stages if s not in ("lead", "prospect")
        ]
        for term in deals:
            stage = spec.stage(term.stage)
            assert (stage.outcome, stage.forecast, stage.label) == ("open", "pipeline", term.label)
            assert stage.action == "close"
        early = [s for s in ("lead", "prospect") if s in spec.open_stages]
        assert spec.forward_stages == (*early, *(t.stage for t in deals), "customer")
        for name in early:  # labelled with the value a lead there is written back as
            written = voc.from_pipelinekit(system, name)
            labels = {t.label for table, t in ROWS if table.system == system and t.value == written}
            assert labels == {spec.stage(name).label}

    @pytest.mark.parametrize("system", voc.SYSTEMS)
    def test_a_deal_goes_all_the_way(self, system: voc.System) -> None:
        """End to end: a Pipeline over the ready spec qualifies, converts, moves through
        every deal stage and wins; its machine class and diagrams build."""
        spec = voc.ready_spec(system)
        pipeline = pk.Pipeline(spec=spec)
        contact = pk.Contact(id="c-1", name="Jane")
        at = NOW
        events = ["qualify"] if "prospect" in [s.name for s in spec.stages] else []
        deals = [t.target for t in spec.transitions if t.event.startswith("move_to_")]
        events += ["convert", *(f"move_to_{d}" for d in deals[1:]), "win"]
        for event in events:
            at += timedelta(days=1)
            contact = pipeline.advance(contact, event, at=at).contact
        assert contact.stage == "customer"
        assert len(contact.history) == len(events)
        assert pipeline.machine_class is not None
        assert "customer" in pipeline.to_mermaid()
        assert "customer" in pipeline.to_dot()

    @pytest.mark.parametrize("system", voc.SYSTEMS)
    def test_deal_stages_move_either_way_but_not_from_a_lead(self, system: voc.System) -> None:
        spec = voc.ready_spec(system)
        pipeline = pk.Pipeline(spec=spec)
        deals = [t.target for t in spec.transitions if t.event.startswith("move_to_")]
        late = pk.Contact(id="c-2", name="Sam", stage=deals[-1])
        back = pipeline.advance(late, f"move_to_{deals[0]}", at=NOW, by="rep")
        assert back.contact.stage == deals[0]
        with pytest.raises(pk.InvalidTransition):
            pipeline.advance(pk.Contact(id="c-3", name="Li"), f"move_to_{deals[-1]}", at=NOW)
        with pytest.raises(pk.ReasonRequired):
            pipeline.advance(late, "lose", at=NOW)
