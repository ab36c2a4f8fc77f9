"""Three-valued verdicts: what a qualifier decided about a subject, and why.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from typing import Any, Final

from pipelinekit._pretty import PrettyPrinter, pretty_lines
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
#: The fields of one node, its children left out.
_OWN_FIELDS: Final = tuple(name for name in VERDICT_FIELDS if name != "children")
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

    # Every operation on a whole tree below is iterative (an explicit stack, never
    # recursion): a verdict document may nest MAX_VERDICT_DEPTH levels, and a verdict
    # built in code any number, and each must still print, compare, hash and pickle.

    def _own(self) -> tuple[object, ...]:
        """The fields of this node alone, children left out, in ``VERDICT_FIELDS`` order."""
        return tuple(getattr(self, name) for name in _OWN_FIELDS)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle the explanation itself, never the pending subject and qualifier, as one
        # flat list of nodes (pickling nested objects recurses once per level).
        return (
            _restore_preorder,
            (tuple((node._own(), len(node.children)) for node in self.walk()),),
        )

    def __copy__(self) -> Verdict:
        return self  # immutable

    def __deepcopy__(self, memo: dict[int, object]) -> Verdict:
        return self  # immutable, all the way down

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Verdict):
            return NotImplemented
        pairs = [(self, other)]
        while pairs:
            mine, theirs = pairs.pop()
            if mine is theirs:
                continue
            if mine._own() != theirs._own():
                return False
            children, others = mine.children, theirs.children
            if len(children) != len(others):
                return False
            pairs.extend(zip(children, others, strict=True))
        return True

    def __hash__(self) -> int:
        hashes: dict[int, int] = {}  # by id: every node stays alive in the tree meanwhile
        for node in _children_first(self, _children):
            below = tuple(hashes[id(child)] for child in node.children)
            hashes[id(node)] = hash((node._own(), below))
        return hashes[id(self)]

    def __repr__(self) -> str:
        before = VERDICT_FIELDS[: VERDICT_FIELDS.index("children")]
        after = VERDICT_FIELDS[len(before) + 1 :]

        def expand(node: Verdict) -> list[str | Verdict]:
            head = ", ".join(f"{name}={getattr(node, name)!r}" for name in before)
            tail = "".join(f", {name}={getattr(node, name)!r}" for name in after)
            children = node.children
            tokens: list[str | Verdict] = [f"Verdict({head}, children=("]
            for index, child in enumerate(children):
                tokens.extend((", ", child) if index else (child,))
            tokens.append(",)" if len(children) == 1 else ")")
            tokens.append(f"{tail})")
            return tokens

        return _render(self, expand)

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
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

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
        found: list[Verdict] = []
        stack = [self]
        while stack:
            node = stack.pop()
            if not node.children or node.negated:
                found.append(node)
            else:
                stack.extend(reversed([c for c in node.children if c.outcome is Outcome.FAIL]))
        return found

    def _failing_criteria(self, found: list[Verdict], named: Verdict | None) -> None:
        # ``named``: the innermost named ancestor seen so far (this verdict excluded at the top).
        seen: set[int] = set()
        stack: list[tuple[Verdict, Verdict | None]] = [(self, named)]
        while stack:
            node, named = stack.pop()
            if not node.children or node.negated or _is_items(node):
                target = node if node.name is not None else (named if named is not None else node)
                if id(target) not in seen:
                    seen.add(id(target))
                    found.append(target)
                continue
            stack.extend(
                reversed(
                    [
                        (child, child if child.name is not None else named)
                        for child in node.children
                        if child.outcome is Outcome.FAIL
                    ]
                )
            )

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
        named = self._named_below()
        found: list[Verdict] = []
        stack: list[Verdict] = [self]
        while stack:
            node = stack.pop()
            below = _below(node)
            if node.name is not None and not any(named[id(child)] for child in below):
                found.append(node)
                continue
            stack.extend(reversed(below))
        return tuple(found)

    def _named_below(self) -> dict[int, bool]:
        """For this verdict and each below it (by id): is it or anything below it named?

        Per-item verdicts (below a collection check) are not entered.
        """
        named: dict[int, bool] = {}
        for node in _children_first(self, _below):
            named[id(node)] = node.name is not None or any(named[id(c)] for c in _below(node))
        return named

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

    def _repr_pretty_(self, p: PrettyPrinter, cycle: bool) -> None:  # noqa: FBT001  # IPython's
        pretty_lines(p, cycle, "Verdict", self.lines())

    def _repr_html_(self) -> str:
        def expand(node: Verdict) -> list[str | Verdict]:
            colour = _COLOUR[node.outcome]
            text = html.escape(node.label)
            if node.reason and node.reason != node.label:
                text += f" <span style='opacity:.75'>— {html.escape(node.reason)}</span>"
            if node.hint and node.outcome is not Outcome.PASS:
                text += f" <em>(to pass: {html.escape(node.hint)})</em>"
            mark = f"{node.outcome.symbol} {node.outcome.value.upper()}"
            tokens: list[str | Verdict] = [f"<li><b style='color:{colour}'>{mark}</b> {text}"]
            if node.children:
                tokens += ["<ul style='margin:0'>", *node.children, "</ul>"]
            tokens.append("</li>")
            return tokens

        return f"<ul style='list-style:none;padding-left:1em'>{_render(self, expand)}</ul>"


def _render(root: Verdict, expand: Callable[[Verdict], list[str | Verdict]]) -> str:
    """The text of ``root``: ``expand`` gives each node's text, its children in place."""
    parts: list[str] = []
    stack: list[str | Verdict] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
        else:
            stack.extend(reversed(expand(item)))
    return "".join(parts)


def _children(verdict: Verdict) -> tuple[Verdict, ...]:
    return verdict.children


def _below(verdict: Verdict) -> tuple[Verdict, ...]:
    """The children of ``verdict`` that count for criteria: none below a collection check."""
    return () if _is_items(verdict) else verdict.children


def _children_first(
    root: Verdict, below: Callable[[Verdict], tuple[Verdict, ...]]
) -> Iterator[Verdict]:
    """``root`` and each verdict ``below`` it, once each, every one after those below it."""
    seen: set[int] = set()
    stack: list[tuple[Verdict, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            yield node
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in below(node))


def _is_items(verdict: Verdict) -> bool:
    """Whether ``verdict`` is a collection check (its children are per-item verdicts)."""
    return verdict.path is not None and bool(verdict.children)


def _criterion_text(verdict: Verdict) -> str:
    """How a failing criterion reads in a summary: ``Champion: 0 of 2 stakeholders passed``."""
    if verdict.name is None or verdict.reason == verdict.name:
        return verdict.reason or verdict.label
    return f"{verdict.name}: {verdict.reason}"


def _restore(*values: Any) -> Verdict:
    """Rebuild a verdict pickled by pipelinekit 0.1.0 (its fields, in ``VERDICT_FIELDS`` order)."""
    return Verdict(**dict(zip(VERDICT_FIELDS, values, strict=True)))


def _restore_preorder(nodes: tuple[tuple[tuple[object, ...], int], ...]) -> Verdict:
    """Rebuild a pickled verdict from its nodes (see :func:`from_preorder`)."""
    return from_preorder((dict(zip(_OWN_FIELDS, own, strict=True)), count) for own, count in nodes)


def from_preorder(nodes: Iterable[tuple[dict[str, Any], int]]) -> Verdict:
    """The verdict tree of ``nodes``, given depth first (parents first) as pairs.

    Each pair is a node's fields (children left out) and its number of children.
    Iterative, so any depth builds.

    >>> leaf = {"outcome": Outcome.PASS, "label": "a", "reason": "a"}
    >>> root = from_preorder([({**leaf, "label": "all"}, 2), (leaf, 0), (leaf, 0)])
    >>> root.label, [child.label for child in root.children]
    ('all', ['a', 'a'])
    """
    built: list[Verdict] = []  # roots of the subtrees built so far, the next one last
    for fields, count in reversed(list(nodes)):
        if count > len(built):
            raise ValueError(f"a node has {count} children, only {len(built)} follow it")
        children = tuple(reversed(built[len(built) - count :])) if count else ()
        if count:
            del built[-count:]
        built.append(Verdict(**fields, children=children))
    if len(built) != 1:
        raise ValueError(f"expected one tree, got {len(built)} roots")
    return built[0]
