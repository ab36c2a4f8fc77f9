"""The reprs under test, built from hostile data: shared by the HTML unit tests and the
browser test, so both check the same output."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pipelinekit as pk
from pipelinekit import metrics
from tests.display.helpers import HOSTILE, IMG, NOW, SCRIPT, hostile_contact

#: The tags the reprs write; anything else in their output came from the data.
ALLOWED_TAGS = frozenset(
    {"ul", "li", "b", "em", "span", "table", "caption", "thead", "tbody", "tr", "th", "td"}
)


def hostile_qualifier() -> pk.Qualifier:
    """Criteria whose names, descriptions and values are markup."""
    return pk.all_of(
        (pk.field("name") == IMG).named(SCRIPT, IMG),
        pk.field("title").is_in({SCRIPT, IMG}).named("Title", SCRIPT),
        pk.field("account.industry").matches("^<").named(IMG),
    ).named("Hostile <ICP>")


def reprs() -> dict[str, str]:
    """Every ``_repr_html_`` with hostile text in it, by name."""
    contact = hostile_contact()
    q = hostile_qualifier()
    model = pk.PointsModel(
        rules=[
            pk.Rule(q.children[0], points=10, group="fit"),
            pk.EventRule(channel="event", kind=SCRIPT, points=5, group="engagement"),
        ],
        thresholds={"mql": 5},
    )
    grades = pk.GradeModel(criteria=[pk.Criterion(c) for c in q.children])
    return {
        "verdict": q.evaluate(contact, at=NOW)._repr_html_(),
        "checklist": q.checklist()._repr_html_(),
        "score": model.score(contact, at=NOW)._repr_html_(),
        "grade": grades.score(contact, at=NOW)._repr_html_(),
        "funnel": metrics.funnel([contact], by="source")._repr_html_(),
        "lost_reasons": metrics.lost_reasons([contact])._repr_html_(),
        "stale": metrics.stale(
            [pk.Contact(id=IMG, name="x", created_at=contact.created_at)],
            at=NOW,
            limits={"lead": timedelta(days=1)},
        )._repr_html_(),
    }


class Parsed(HTMLParser):
    """The tags, attributes and text of an HTML fragment, as a browser would parse them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.data: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.data.append(data)

    @property
    def text(self) -> str:
        return "".join(self.data)


__all__ = ["ALLOWED_TAGS", "HOSTILE", "Parsed", "hostile_qualifier", "reprs"]
