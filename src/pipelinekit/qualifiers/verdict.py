"""Three-valued verdicts: what a qualifier decided about a subject, and why.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from enum import StrEnum
from typing import Final

import attrs

__all__ = ["Outcome", "Verdict"]


class Outcome(StrEnum):
    """The result of a check under Kleene's three-valued logic.

    ``UNKNOWN`` means the facts needed to decide are missing: it is not ``FAIL``.

    >>> from pipelinekit import Outcome
    >>> Outcome.PASS & Outcome.UNKNOWN, Outcome.FAIL & Outcome.UNKNOWN
    (<Outcome.UNKNOWN: 'unknown'>, <Outcome.FAIL: 'fail'>)
    >>> Outcome.PASS | Outcome.UNKNOWN, ~Outcome.UNKNOWN
    (<Outcome.PASS: 'pass'>, <Outcome.UNKNOWN: 'unknown'>)
    """

    PASS = "pass"  # noqa: S105  # an outcome, not a password
    FAIL = "fail"
    UNKNOWN = "unknown"

    def __and__(self, other: Outcome) -> Outcome:  # Kleene logic
        if self is Outcome.FAIL or other is Outcome.FAIL:
            return Outcome.FAIL
        if self is Outcome.UNKNOWN or other is Outcome.UNKNOWN:
            return Outcome.UNKNOWN
        return Outcome.PASS

    def __or__(self, other: Outcome) -> Outcome:  # Kleene logic
        if self is Outcome.PASS or other is Outcome.PASS:
            return Outcome.PASS
        if self is Outcome.UNKNOWN or other is Outcome.UNKNOWN:
            return Outcome.UNKNOWN
        return Outcome.FAIL

    def __invert__(self) -> Outcome:
        return _NEGATED[self]

    @property
    def symbol(self) -> str:
        """A one-character mark for text output (✓, ✗, ?)."""
        return _SYMBOL[self]


_NEGATED: Final = {
    Outcome.PASS: Outcome.FAIL,
    Outcome.FAIL: Outcome.PASS,
    Outcome.UNKNOWN: Outcome.UNKNOWN,
}
_SYMBOL: Final = {Outcome.PASS: "✓", Outcome.FAIL: "✗", Outcome.UNKNOWN: "?"}
_COLOUR: Final = {Outcome.PASS: "#1a7f37", Outcome.FAIL: "#cf222e", Outcome.UNKNOWN: "#9a6700"}


@attrs.frozen(kw_only=True)
class Verdict:
    """The explained outcome of evaluating a qualifier: a tree mirroring the qualifier.

    Attributes:
        outcome: PASS, FAIL or UNKNOWN.
        label: What was checked (the qualifier's name, or its infix form).
        reason: Why, with the actual value (``"account.employees 3 < 100"``).
        children: The verdicts of the sub-qualifiers, in order.
        path: For a leaf, the field path it read; ``None`` for composites.
        hint: What would make it pass, where that is computable.
        negated: ``True`` for a ``~q`` node (its child's outcome is inverted).
        error: For a leaf whose fact is present but could not be checked (a budget in
            another currency, text where a number was expected): why. Such a leaf is
            UNKNOWN, but its path is not listed by :meth:`missing`.
    """

    outcome: Outcome
    label: str
    reason: str
    children: tuple[Verdict, ...] = ()
    path: str | None = None
    hint: str | None = None
    negated: bool = False
    error: str | None = None

    @property
    def passed(self) -> bool:
        """``True`` only when the outcome is PASS."""
        return self.outcome is Outcome.PASS

    def __bool__(self) -> bool:
        raise TypeError(
            "the truth value of a Verdict is ambiguous (it has three outcomes); "
            "use verdict.passed or compare verdict.outcome"
        )

    def walk(self) -> Iterator[Verdict]:
        """This verdict and all below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def failures(self) -> list[Verdict]:
        """The verdicts that made this one FAIL: failing leaves under failing nodes.

        A negated node that fails because its child passed is reported itself.
        """
        if self.outcome is not Outcome.FAIL:
            return []
        if not self.children or self.negated:
            return [self]
        found: list[Verdict] = []
        for child in self.children:
            found.extend(child.failures())
        return found

    def missing(self) -> tuple[str, ...]:
        """Field paths whose values would settle an UNKNOWN outcome (sorted, unique).

        Empty when the outcome is already decided: no missing fact could change it.
        """
        if self.outcome is not Outcome.UNKNOWN:
            return ()
        found: set[str] = set()
        stack = [self]
        while stack:
            node = stack.pop()
            if node.outcome is not Outcome.UNKNOWN:
                continue
            if node.path is not None and not node.children and node.error is None:
                found.add(node.path)
            stack.extend(node.children)
        return tuple(sorted(found))

    def summary(self) -> str:
        """One line: the outcome, label and the failing or missing parts."""
        text = f"{self.outcome.value.upper()} {self.label}"
        failures = self.failures()
        if failures:
            text += ": " + "; ".join(f.reason for f in failures)
        missing = self.missing()
        if missing:
            text += "; missing " + ", ".join(missing)
        return text

    def lines(self, indent: str = "  ") -> Iterator[str]:
        """The text explanation, one line per node."""
        stack: list[tuple[Verdict, int]] = [(self, 0)]
        while stack:
            node, depth = stack.pop()
            line = f"{indent * depth}{node.outcome.symbol} {node.label}"
            if node.reason and node.reason != node.label:
                line += f" — {node.reason}"
            if node.hint and node.outcome is not Outcome.PASS:
                line += f" (to pass: {node.hint})"
            yield line
            stack.extend((child, depth + 1) for child in reversed(node.children))

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_html_(self) -> str:
        def render(node: Verdict) -> str:
            colour = _COLOUR[node.outcome]
            text = html.escape(node.label)
            if node.reason and node.reason != node.label:
                text += f" <span style='opacity:.75'>— {html.escape(node.reason)}</span>"
            if node.hint and node.outcome is not Outcome.PASS:
                text += f" <em>(to pass: {html.escape(node.hint)})</em>"
            inner = "".join(render(c) for c in node.children)
            nested = f"<ul style='margin:0'>{inner}</ul>" if inner else ""
            return (
                f"<li><b style='color:{colour}'>{node.outcome.symbol} "
                f"{node.outcome.value.upper()}</b> {text}{nested}</li>"
            )

        return f"<ul style='list-style:none;padding-left:1em'>{render(self)}</ul>"
