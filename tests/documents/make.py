"""Write one stored document of each kind, as the pipelinekit on ``sys.path`` writes them.

``python -m tests.documents.make <folder>`` writes ``<name>.json`` files; run against a
release's source (``git archive v0.1.0 src``) it records that release's documents, which
``tests/documents/test_stored.py`` loads with today's code. Only public API is used, and
kinds a release did not have are skipped, so the same script serves every version.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pipelinekit as pk

AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def _contact() -> Any:
    return pk.Contact(
        id="c-1",
        name="Jane Doe",
        email="jane@acme.example",
        title="CTO",
        account=pk.Account(name="Acme", industry="software", employees=250, country="DE"),
        source="web",
        created_at=AT - timedelta(days=40),
        budget=pk.Money("25000.00", "EUR"),
        authority=True,
        need="replace spreadsheets",
        pains=("churn",),
        timeline=date(2027, 3, 1),
        facts={"score": 7, "segment": "mid"},
        stakeholders=(pk.Stakeholder(name="Max", role="champion", influence=8),),
        touchpoints=(pk.Touchpoint(channel="call", timestamp=AT - timedelta(days=3)),),
        opportunity=pk.Opportunity(amount=pk.Money("40000", "EUR"), probability="0.4"),
    )


def _qualifier() -> Any:
    size = (pk.field("account.employees") >= 100).named("Size", "big enough")
    return pk.any_of(
        size & pk.field("account.industry").is_in({"software", "fintech"}),
        pk.at_least(
            2,
            pk.field("budget") >= pk.Money("10000", "EUR"),
            pk.field("authority") == True,  # noqa: E712  # a qualifier, not a comparison
            ~pk.field("need").is_missing(),
            pk.field("pains").contains("churn"),
        ),
        pk.weighted(
            {
                pk.field("title").matches("(?i)cto"): 2,
                pk.field("timeline").within_next(timedelta(days=180)): 1,
            },
            threshold=2,
        ),
        pk.any_item("touchpoints", pk.field("timestamp").within_last(timedelta(days=30))),
        pk.count_items("stakeholders", pk.field("role") == "champion", at_least=1),
        pk.field("created_at").older_than(timedelta(days=7)) & pk.field("source").not_in({"spam"}),
        pk.field("facts.segment").is_not_empty() | pk.field("email").is_empty(),
        pk.field("phone").is_known() | pk.field("timeline").within(timedelta(days=365)),
    )


def _step() -> Any:
    return pk.Pipeline().advance(_contact(), "qualify", at=AT)


#: name -> (what to_dict is given, the class from_dict is asked for)
DOCUMENTS: dict[str, tuple[Callable[[], Any], str]] = {
    "contact": (_contact, "Contact"),
    "money": (lambda: pk.Money("0.100", "BHD"), "Money"),
    "qualifier": (_qualifier, "Qualifier"),
    "verdict": (lambda: _qualifier().evaluate(_contact(), at=AT), "Verdict"),
    "pipeline_spec": (lambda: pk.DEFAULT_SPEC, "PipelineSpec"),
    "step": (_step, "Step"),
    "stage_change": (lambda: _step().change, "StageChange"),
}


def main(folder: str) -> int:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, (build, cls) in DOCUMENTS.items():
        if not hasattr(pk, cls):
            continue
        document = pk.to_dict(build())
        text = json.dumps({"class": cls, "document": document}, indent=1, sort_keys=True)
        (out / f"{name}.json").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
