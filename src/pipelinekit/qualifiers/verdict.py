"""Three-valued verdicts: what a qualifier decided about a subject, and why.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any, Final

from pipelinekit._text import UNSAFE_TEXT, escape_text

__all__ = ["UNSAFE_TEXT", "Outcome", "Verdict", "escape_text"]


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
    "name",
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
        name: The name given to the qualifier with ``.named(...)``, else ``None``: the
            verdicts with a name are the *criteria* (:meth:`criteria`).
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
        "_name",
        "_negated",
        "_outcome",
        "_path",
        "_pending",
        "_reason",
    )

    _outcome: Outcome
    _label: str
    _name: str | None
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
        name: str | None = None,
        children: tuple[Verdict, ...] = (),
        path: str | None = None,
        hint: str | None = None,
        negated: bool = False,
        error: str | None = None,
    ) -> None:
        self._outcome = outcome
        self._label = label
        self._name = name
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
        self._name = full._name
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
    def name(self) -> str | None:
        """The qualifier's name (``.named(...)``), or ``None`` for an unnamed one."""
        if self._pending is not None:
            self._load()
        return self._name

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

    def failures(self, *, named: bool = False) -> list[Verdict]:
        """The verdicts that made this one FAIL: failing leaves under failing nodes.

        A negated node that fails because its child passed is reported itself.

        Args:
            named: Report the failing *criteria* instead of leaves: for each failing
                leaf, its innermost named ancestor (see :meth:`criteria`), once; a
                failing leaf without a named ancestor below this verdict is reported
                itself. This is the view in the framework's words (``"Champion"``).

        >>> import pipelinekit as pk
        >>> meddic = pk.frameworks.meddic()
        >>> verdict = meddic.evaluate({"stakeholders": [{"role": "user"}]})
        >>> [v.name for v in verdict.failures(named=True)]
        ['Economic buyer', 'Champion']
        >>> [v.path for v in verdict.failures()]
        ['stakeholders[0].role', 'stakeholders[0].role']

        .. versionchanged:: 0.1.0 ``named``.
        """
        if self.outcome is not Outcome.FAIL:
            return []
        if not named:
            return self._failing_leaves()
        found: list[Verdict] = []
        self._failing_criteria(found, None)
        return found

    def _failing_leaves(self) -> list[Verdict]:
        if not self.children or self.negated:
            return [self]
        found: list[Verdict] = []
        for child in self.children:
            if child.outcome is Outcome.FAIL:
                found.extend(child._failing_leaves())
        return found

    def _failing_criteria(self, found: list[Verdict], named: Verdict | None) -> None:
        # ``named``: the innermost named ancestor seen so far (this verdict excluded at the top).
        if not self.children or self.negated or _is_items(self):
            target = self if self.name is not None else (named or self)
            if not any(f is target for f in found):
                found.append(target)
            return
        for child in self.children:
            if child.outcome is Outcome.FAIL:
                child._failing_criteria(found, child if child.name is not None else named)

    def criteria(self) -> tuple[Verdict, ...]:
        """The named criteria below this verdict: the innermost named verdicts, in order.

        A framework's criteria are named (``"Budget"``, ``"Champion"``), so this is the
        list to show one row per criterion. A named verdict counts unless a named
        verdict lies below it; the per-item verdicts of :func:`~pipelinekit.any_item`
        and :func:`~pipelinekit.count_items` are not searched (the collection check is
        the criterion). This verdict itself is listed only when nothing below it is
        named; an unnamed tree has no criteria.

        >>> import pipelinekit as pk
        >>> from datetime import datetime, timezone
        >>> now = datetime(2026, 11, 22, tzinfo=timezone.utc)
        >>> verdict = pk.frameworks.bant().evaluate({"budget": pk.Money("5", "EUR")}, at=now)
        >>> [(v.name, v.outcome.value) for v in verdict.criteria()]
        [('Budget', 'pass'), ('Authority', 'unknown'), ('Need', 'unknown'),
         ('Timeframe', 'unknown')]

        .. versionadded:: 0.1.0
        """
        found: list[Verdict] = []
        stack: list[Verdict] = [self]
        while stack:
            node = stack.pop()
            below = [] if _is_items(node) else list(node.children)
            if node.name is not None and not any(
                v.name is not None for child in below for v in child._named_walk()
            ):
                found.append(node)
                continue
            stack.extend(reversed(below))
        return tuple(found)

    def _named_walk(self) -> Iterator[Verdict]:
        """This verdict and those below it, not entering per-item verdicts."""
        yield self
        if not _is_items(self):
            for child in self.children:
                yield from child._named_walk()

    def missing(self) -> tuple[str, ...]:
        """Field paths whose values would settle an UNKNOWN outcome (sorted, unique).

        Empty when the outcome is already decided: no missing fact could change it. For
        every fact not recorded, whatever the outcome, see :meth:`unknown_facts`.
        """
        if self.outcome is not Outcome.UNKNOWN:
            return ()
        return self._missing_paths(all_unknown=False)

    def unknown_facts(self) -> tuple[str, ...]:
        """Every field path left unknown anywhere in the tree, whatever the outcome (sorted).

        :meth:`missing` answers "what would settle this verdict" and is empty once the
        outcome is decided; this answers "what has nobody recorded yet", the list for a
        "what to ask next" screen. Paths of leaves whose fact is present but could not be
        checked (:attr:`error`) are not listed: see :meth:`undecided`.

        >>> import pipelinekit as pk
        >>> verdict = pk.frameworks.meddic().evaluate({"facts": {"metrics": " "}})
        >>> verdict.outcome.value, verdict.missing()
        ('fail', ())
        >>> verdict.unknown_facts()
        ('facts.decision_criteria', 'facts.decision_process', 'need', 'pains', 'stakeholders')

        .. versionadded:: 0.1.0
        """
        return self._missing_paths(all_unknown=True)

    def _missing_paths(self, *, all_unknown: bool) -> tuple[str, ...]:
        found: set[str] = set()
        stack = [self]
        while stack:
            node = stack.pop()
            if node.outcome is not Outcome.UNKNOWN:
                if all_unknown:
                    stack.extend(node.children)
                continue
            if node.path is not None and not node.children and node.error is None:
                found.add(node.path)
            stack.extend(node.children)
        return tuple(sorted(found))

    def undecided(self) -> list[Verdict]:
        """The UNKNOWN leaves that are not missing data, in order (unique by reason).

        A present value that cannot be checked (naive datetimes against an aware ``at``,
        text where a number was expected: see :attr:`error`), or a leaf that reads no
        path (a custom qualifier that could not decide). Their reasons say why.

        .. versionadded:: 0.1.0
        """
        found: list[Verdict] = []
        reasons: set[str] = set()
        stack = [self]
        while stack:
            node = stack.pop()
            if node.outcome is not Outcome.UNKNOWN:
                continue
            if node.children:
                stack.extend(reversed(node.children))
            elif (node.error is not None or node.path is None) and node.reason not in reasons:
                reasons.add(node.reason)
                found.append(node)
        return found

    def summary(self) -> str:
        """One line: the outcome, label and the failing, missing or undecided parts.

        Failing parts are named by their criterion where the tree names one
        (``failures(named=True)``).
        """
        text = f"{self.outcome.value.upper()} {self.label}"
        failures = self.failures(named=True)
        if failures:
            text += ": " + "; ".join(_criterion_text(f) for f in failures)
        missing = self.missing()
        if missing:
            text += "; missing " + ", ".join(missing)
        if self.outcome is Outcome.UNKNOWN:
            undecided = self.undecided()
            if undecided:
                text += "; undecided: " + "; ".join(v.reason or v.label for v in undecided)
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


def _is_items(verdict: Verdict) -> bool:
    """Whether ``verdict`` is a collection check (its children are per-item verdicts)."""
    return verdict.path is not None and bool(verdict.children)


def _criterion_text(verdict: Verdict) -> str:
    """How a failing criterion reads in a summary: ``Champion: 0 of 2 stakeholders passed``."""
    if verdict.name is None or verdict.reason == verdict.name:
        return verdict.reason or verdict.label
    return f"{verdict.name}: {verdict.reason}"


def _restore(*values: Any) -> Verdict:
    """Rebuild a pickled verdict from its fields, in ``VERDICT_FIELDS`` order."""
    return Verdict(**dict(zip(VERDICT_FIELDS, values, strict=True)))
