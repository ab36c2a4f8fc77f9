"""Three-valued verdicts: what a qualifier decided about a subject, and why.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any, Final

__all__ = ["UNSAFE_TEXT", "Outcome", "Verdict", "escape_text"]

#: Characters that could forge or hide lines in a text explanation: controls (newlines
#: included), line and paragraph separators, and bidirectional overrides.
UNSAFE_TEXT: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape_text(text: str) -> str:
    r"""``text`` with unsafe characters written as escapes (``\n``), the rest unchanged.

    >>> print(escape_text("Budget\n  ✓ Authority"))
    Budget\n  ✓ Authority
    """
    if UNSAFE_TEXT.search(text) is None:
        return text
    return UNSAFE_TEXT.sub(lambda m: repr(m.group())[1:-1], text)


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
#: The fields of a verdict, in order (its repr, equality, pickles and documents).
VERDICT_FIELDS: Final = (
    "outcome",
    "label",
    "reason",
    "children",
    "path",
    "hint",
    "negated",
    "error",
)
_new: Final = object.__new__
_COLOUR: Final = {Outcome.PASS: "#1a7f37", Outcome.FAIL: "#cf222e", Outcome.UNKNOWN: "#9a6700"}


class Verdict:
    """The explained outcome of evaluating a qualifier: a tree mirroring the qualifier.

    Verdicts are immutable values (compared and hashed by their contents). A verdict
    from :meth:`Qualifier.evaluate <pipelinekit.Qualifier.evaluate>` on a pipelinekit
    entity knows its ``outcome`` at once and builds the rest of its explanation (labels,
    reasons, children) the first time any of it is read: entities are immutable, so the
    explanation is the same whenever it is built, and code that only looks at the
    outcome does not pay for the text.

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

    __slots__ = (
        "_children",
        "_error",
        "_hint",
        "_label",
        "_negated",
        "_outcome",
        "_path",
        "_pending",
        "_reason",
    )

    _outcome: Outcome
    _label: str
    _reason: str
    _children: tuple[Verdict, ...]
    _path: str | None
    _hint: str | None
    _negated: bool
    _error: str | None
    _pending: tuple[Callable[..., Verdict], tuple[object, ...]] | None

    def __init__(
        self,
        *,
        outcome: Outcome,
        label: str,
        reason: str,
        children: tuple[Verdict, ...] = (),
        path: str | None = None,
        hint: str | None = None,
        negated: bool = False,
        error: str | None = None,
    ) -> None:
        self._outcome = outcome
        self._label = label
        self._reason = reason
        self._children = children
        self._path = path
        self._hint = hint
        self._negated = negated
        self._error = error
        self._pending = None

    @classmethod
    def _deferred(cls, outcome: Outcome, explain: Callable[..., Verdict], *args: object) -> Verdict:
        """A verdict whose explanation ``explain(*args)`` is built on first access.

        ``explain`` must return a verdict with the same ``outcome``, whenever it is called:
        use this only for immutable subjects.
        """
        verdict: Verdict = _new(cls)
        verdict._outcome = outcome
        verdict._pending = (explain, args)
        return verdict

    def _load(self) -> None:
        pending = self._pending
        if pending is None:
            return
        explain, args = pending
        full = explain(*args)
        full._load()
        if full._outcome is not self._outcome:  # pragma: no cover  # guarded by property tests
            raise AssertionError(f"explanation says {full._outcome}, verdict {self._outcome}")
        self._label = full._label
        self._reason = full._reason
        self._children = full._children
        self._path = full._path
        self._hint = full._hint
        self._negated = full._negated
        self._error = full._error
        self._pending = None  # last: other threads may read the fields once this is None

    @property
    def outcome(self) -> Outcome:
        """PASS, FAIL or UNKNOWN."""
        return self._outcome

    @property
    def label(self) -> str:
        """What was checked: the qualifier's name, or its infix form."""
        if self._pending is not None:
            self._load()
        return self._label

    @property
    def reason(self) -> str:
        """Why, with the actual value."""
        if self._pending is not None:
            self._load()
        return self._reason

    @property
    def children(self) -> tuple[Verdict, ...]:
        """The verdicts of the sub-qualifiers, in order."""
        if self._pending is not None:
            self._load()
        return self._children

    @property
    def path(self) -> str | None:
        """For a leaf, the field path it read."""
        if self._pending is not None:
            self._load()
        return self._path

    @property
    def hint(self) -> str | None:
        """What would make it pass, where that is computable."""
        if self._pending is not None:
            self._load()
        return self._hint

    @property
    def negated(self) -> bool:
        """Whether this is a ``~q`` node."""
        if self._pending is not None:
            self._load()
        return self._negated

    @property
    def error(self) -> str | None:
        """Why a present fact could not be checked (the leaf is then UNKNOWN)."""
        if self._pending is not None:
            self._load()
        return self._error

    def replace(self, **changes: Any) -> Verdict:
        """A copy with some attributes changed (``verdict.replace(label="[0] ...")``)."""
        values = {name: getattr(self, name) for name in VERDICT_FIELDS}
        values.update(changes)
        return Verdict(**values)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle the explanation itself, never the pending subject and qualifier.
        return (_restore, self._key())

    def _key(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in VERDICT_FIELDS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Verdict):
            return NotImplemented
        return self is other or self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in VERDICT_FIELDS)
        return f"Verdict({fields})"

    @property
    def passed(self) -> bool:
        """``True`` only when the outcome is PASS."""
        return self._outcome is Outcome.PASS

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
            yield escape_text(line)  # a loaded or odd verdict cannot forge a line
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


def _restore(*values: Any) -> Verdict:
    """Rebuild a pickled verdict from its fields, in ``VERDICT_FIELDS`` order."""
    return Verdict(**dict(zip(VERDICT_FIELDS, values, strict=True)))
