"""Shared pieces of the display tests: a fake IPython printer and hostile text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from IPython.lib import pretty as ipython

import pipelinekit as pk

#: Markup that would run a script if a repr pasted it into HTML unescaped: each sets
#: ``window.__pwned``, which the browser test reads.
IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "<script>window.__pwned=2</script>"
HOSTILE = (IMG, SCRIPT, "<b onmouseover=window.__pwned=3>&amp;'\"</b>")

NOW = datetime(2026, 3, 1, tzinfo=UTC)


class FakePrinter:
    """The two calls of IPython's printer that ``_repr_pretty_`` makes, recorded as text."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.breaks = 0

    def text(self, obj: str) -> None:
        assert "\n" not in obj, obj  # a line break must go through break_()
        self.parts.append(obj)

    def break_(self) -> None:
        self.breaks += 1
        self.parts.append("\n")

    @property
    def output(self) -> str:
        return "".join(self.parts)


def pretty(obj: object) -> str:
    """What IPython shows for ``obj`` (``IPython.lib.pretty.pretty``, typed)."""
    text: str = ipython.pretty(obj)  # type: ignore[no-untyped-call]  # IPython has no types
    return text


def fake_pretty(obj: object, *, cycle: bool = False) -> str:
    """What ``obj._repr_pretty_`` writes to a :class:`FakePrinter`."""
    printer = FakePrinter()
    obj._repr_pretty_(printer, cycle)  # type: ignore[attr-defined]
    return printer.output


def hostile_contact() -> pk.Contact:
    """A contact whose every text field is markup, with a full history and a deal."""
    at = NOW - timedelta(days=60)
    contact = pk.Contact(
        id="c-1",
        name=IMG,
        title=SCRIPT,
        email="jane.roe@acme.example",
        source=IMG,
        created_at=at,
        account=pk.Account(name=SCRIPT, industry=IMG, employees=250),
        stakeholders=[pk.Stakeholder(name=IMG, role="champion")],
        touchpoints=[pk.Touchpoint(channel="event", kind=SCRIPT, timestamp=NOW)],
        opportunity=pk.Opportunity(amount=pk.Money("5000", "EUR"), next_step=IMG),
        budget=pk.Money("20000", "EUR"),
    )
    pipeline = pk.Pipeline()
    contact = pipeline.advance(contact, "qualify", at=at + timedelta(days=1), by=IMG).contact
    return pipeline.advance(contact, "disqualify", at=at + timedelta(days=2), reason=SCRIPT).contact
