"""The qualifier base class: evaluation, the fast boolean path and the operators.

Qualifiers are trees of frozen, hashable nodes. Leaves compare a field path with a value
(:mod:`pipelinekit.qualifiers.fields`); composites combine them
(:mod:`pipelinekit.qualifiers.composites`). Every node has three ways to run:

* ``q.evaluate(subject, at=...)`` builds a :class:`~pipelinekit.Verdict` tree explaining
  the outcome of every node;
* ``q(subject, at=...)`` is the fast boolean (``True`` only on PASS), generated Python
  source compiled once per tree (:mod:`pipelinekit._codegen`);
* ``q.filter(subjects, at=...)`` is the bulk form of the fast boolean.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import copy
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar, Final, Self, TypeVar

import attrs

from pipelinekit._checks import describe, got, not_text
from pipelinekit._pretty import PrettyPrinter
from pipelinekit._text import one_line_problem
from pipelinekit.entities import (
    Account,
    Contact,
    Opportunity,
    StageChange,
    Stakeholder,
    Touchpoint,
)
from pipelinekit.errors import QualifierError
from pipelinekit.qualifiers.checklist import Checklist, checklist
from pipelinekit.qualifiers.paths import check_paths, python_scalar
from pipelinekit.qualifiers.verdict import Outcome, Verdict
from pipelinekit.values import Money

__all__ = [
    "MAX_DEPTH",
    "MAX_DESCRIPTION",
    "MAX_NAME",
    "Node",
    "Qualifier",
    "check_at",
    "check_label",
    "format_set",
    "format_value",
    "install_compiler",
    "install_operators",
    "interpreted",
    "sorted_values",
]

S = TypeVar("S")
Q = TypeVar("Q", bound="Qualifier")

#: Subject types whose verdicts may be explained lazily: deeply immutable, so an
#: explanation built later is the one that would have been built at once.
IMMUTABLE_SUBJECTS: Final = frozenset(
    {Contact, Account, Stakeholder, Touchpoint, Opportunity, StageChange, Money}
)

#: The deepest qualifier tree that can be built or loaded (a leaf has depth 1).
MAX_DEPTH: Final = 64
#: The longest ``name`` of a qualifier, in characters.
MAX_NAME: Final = 200
#: The longest ``description`` of a qualifier, in characters.
MAX_DESCRIPTION: Final = 2000

PASS: Final = Outcome.PASS
FAIL: Final = Outcome.FAIL
UNKNOWN: Final = Outcome.UNKNOWN


def check_at(at: object, *, needs_time: bool, qualifier: Qualifier | None = None) -> None:
    """Refuse an ``at`` that is not a timezone-aware datetime (or absent when needed).

    The generated fast path performs the same test inline; both call this function
    whenever the quick test (``type(at) is datetime and at.tzinfo is not None``) fails.
    ``qualifier`` (the tree being run) lets the error name its time-relative check.
    """
    if type(at) is datetime and at.tzinfo is not None:
        return
    if at is None:
        if needs_time:
            rules = time_rules(qualifier) if qualifier is not None else ()
            shown = "; ".join(rules[:3]) or "within, within_next, within_last or older_than"
            if len(rules) > 3:
                shown += f"; and {len(rules) - 3} more"
            raise QualifierError(
                f"this qualifier has a time-relative check ({shown}): pass "
                "at=<timezone-aware datetime> to say when 'now' is"
            )
        return
    if not isinstance(at, datetime):
        raise QualifierError(f"at must be a datetime, got {got(at)}")
    if at.utcoffset() is None:
        raise QualifierError(f"at must be timezone-aware, got naive {at.isoformat()}")


#: The longest rendering of one value in an explanation, in characters.
MAX_VALUE_TEXT: Final = 60
#: The most items of a collection rendered in an explanation.
MAX_ITEMS_SHOWN: Final = 6
_ADDRESS: Final = re.compile(r" at 0x[0-9A-Fa-f]+")
_DEFAULT_REPR: Final = re.compile(r"<(?:[\w.<>]+\.)?(\w+) object>")
_CLASS_REPR: Final = re.compile(r"<class '(?:[\w.<>]+\.)?(\w+)'>")


def time_rules(qualifier: Qualifier) -> tuple[str, ...]:
    """The time-relative checks in ``qualifier``, as they read (``timeline within 180 days``)."""
    found: list[str] = []
    stack = [qualifier]
    while stack:
        node = stack.pop()
        below = node.children
        if node.needs_time and not any(child.needs_time for child in below):
            text = node.infix() if node.name is None else f"{node.name}: {node.infix()}"
            if text not in found:
                found.append(text)
        stack.extend(reversed(below))
    return tuple(found)


def format_value(value: object, limit: int = MAX_VALUE_TEXT) -> str:  # noqa: PLR0911  # one return per kind
    """Render a value for explanations (``10,000.00 EUR``, ``'software'``, ``('x', 1)``).

    Tuples read as tuples, lists as lists and sets as sets; long values are cut at an
    item or word boundary with ``…``, never in the middle of a name, and no memory
    address is shown.

    >>> format_value(("x", 1)), format_value(()), format_value(frozenset({2, 1}))
    ("('x', 1)", '()', '{1, 2}')
    >>> format_value(type(format_value))
    '<class function>'
    """
    kind = type(value)
    if kind is bool or (kind is int and value.bit_length() <= 128):  # type: ignore[attr-defined]
        return repr(value)
    if kind is str:
        return _cut_text(value, limit)  # type: ignore[arg-type]  # a str
    if isinstance(value, Enum):
        return format_value(value.value, limit)
    if isinstance(value, Money):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return format_delta(value)
    if isinstance(value, Decimal):
        return _cut(str(value), limit)
    if kind is tuple or kind is list or isinstance(value, frozenset | set):
        return _format_items(value, limit)  # type: ignore[arg-type]  # a collection
    if isinstance(value, str):
        return _cut_text(str.__str__(value), limit)
    scalar = python_scalar(value)  # NumPy's True reads as True
    if scalar is not value:
        return format_value(scalar, limit)
    text = _ADDRESS.sub("", describe(value, 4 * limit))
    text = _CLASS_REPR.sub(r"<class \1>", _DEFAULT_REPR.sub(r"<\1 object>", text))
    return _cut(text, limit)


def sorted_values(values: Iterable[object]) -> tuple[object, ...]:
    """The values in a stable order (sorted, or by type and repr when types mix)."""
    try:
        return tuple(sorted(values))  # type: ignore[type-var]  # mixed types fall back below
    except (TypeError, ValueError):
        return tuple(sorted(values, key=lambda v: (type(v).__name__, repr(v))))


def format_set(values: Iterable[object]) -> str:
    """Render the values of a criterion, in full (``{'fintech', 'software'}``, ``{}``)."""
    return "{" + ", ".join(format_value(v) for v in values) + "}"


def _format_items(value: tuple[object, ...] | list[object] | frozenset[object], limit: int) -> str:
    if isinstance(value, frozenset | set):
        items: tuple[object, ...] | list[object] = sorted_values(frozenset(value))
        opening, closing = "{", "}"
    elif type(value) is tuple:
        items, opening, closing = value, "(", ",)" if len(value) == 1 else ")"
    else:
        items, opening, closing = value, "[", "]"
    room = max(limit - len(opening) - len(closing) - 3, 12)  # what one item may take
    shown = [format_value(v, room) for v in list(items)[:MAX_ITEMS_SHOWN]]
    text = ", ".join(shown)
    cut = len(items) > MAX_ITEMS_SHOWN
    while shown and len(text) + len(opening) + len(closing) + 3 > limit:
        shown.pop()
        text = ", ".join(shown)
        cut = True
    if cut:
        text = f"{text}, …" if shown else "…"
    return opening + text + (")" if cut and closing == ",)" else closing)


def _cut_text(text: str, limit: int) -> str:
    """``repr(text)``, cut at a word boundary when longer than ``limit``."""
    quoted = repr(text)
    if len(quoted) <= limit:
        return quoted
    head = text[: max(limit - 3, 8)]
    space = head.rfind(" ")
    if space >= limit // 2:
        head = head[:space]
    while len(repr(head)) > limit - 1 and len(head) > 1:
        head = head[:-1]
    return repr(head) + "…"


def _cut(text: str, limit: int) -> str:
    """``text`` cut at the last separator before ``limit``, with ``…`` (and a closing ``>``)."""
    if len(text) <= limit:
        return text
    closing = ">" if text.startswith("<") else ""
    head = text[: limit - 1 - len(closing)]
    boundary = max(head.rfind(sep) for sep in (" ", ",", "(", "."))
    if boundary >= limit // 2:
        head = head[: boundary + (head[boundary] != " ")]
    return head.rstrip() + "…" + closing


def format_delta(delta: timedelta) -> str:
    """``180 days``, ``1 day``, or ``2 days, 3:00:00`` when there is a time part."""
    if delta.seconds == 0 and delta.microseconds == 0:
        return f"{delta.days} day" + ("" if delta.days == 1 else "s")
    return str(delta)


class Qualifier:
    """A criterion over a subject, evaluated under three-valued (Kleene) logic.

    Build qualifiers with :func:`pipelinekit.field` and combine them with ``&``, ``|``,
    ``~``, :func:`~pipelinekit.all_of`, :func:`~pipelinekit.any_of`,
    :func:`~pipelinekit.at_least` and :func:`~pipelinekit.weighted`.

    >>> import pipelinekit as pk
    >>> big = pk.field("account.employees") >= 100
    >>> q = big & (pk.field("budget") >= pk.Money("10000", "EUR"))
    >>> str(q)
    '(account.employees >= 100) & (budget >= 10,000.00 EUR)'
    >>> q({"account": {"employees": 3}, "budget": pk.Money("50000", "EUR")})
    False
    >>> print(q.evaluate({"account": {"employees": 3}}))
    ✗ (account.employees >= 100) & (budget >= 10,000.00 EUR) — 0 of 2 passed, 1 failed, 1 unknown
      ✗ account.employees >= 100 — account.employees 3 < 100 (to pass: account.employees >= 100)
      ? budget >= 10,000.00 EUR — budget is missing (to pass: find out budget)

    Every qualifier, built in or your own, has the same interface: ``name``,
    ``description``, ``label``, ``children``, :meth:`named`, the operators, ``q(subject)``,
    :meth:`filter` and :meth:`evaluate`. To write your own check, subclass it and implement
    :meth:`outcome` (and optionally :meth:`infix`, :meth:`explain` and
    :attr:`needs_time`); see ``docs/custom-qualifiers.md``.
    """

    __slots__ = ("_qualifier_description", "_qualifier_name")

    # --- what a custom qualifier implements ---------------------------------------

    def outcome(self, subject: object, at: datetime | None) -> Outcome:
        """The outcome for ``subject`` without an explanation (``at`` already checked).

        Custom qualifiers must implement this; it is called once per subject and call.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement outcome(subject, at)")

    def explain(self, subject: object, at: datetime | None, prefix: str) -> Verdict:
        """The verdict for ``subject`` (``at`` already checked); its outcome is :meth:`outcome`'s.

        The default is a verdict labelled :attr:`label` whose reason is the outcome. Override
        it to say why; ``prefix`` is put before the paths of verdicts read inside a collection
        item (``"stakeholders[0]."``).
        """
        outcome = self.outcome(subject, at)
        return Verdict(
            outcome=outcome, label=self.label, name=self.name, reason=_DEFAULT_REASON[outcome]
        )

    def infix(self) -> str:
        """How the check reads in explanations: by default the class name (``HasMeeting``)."""
        return type(self).__name__

    @property
    def needs_time(self) -> bool:
        """Whether evaluating needs ``at`` (then ``at=None`` is refused before evaluating)."""
        return False

    # --- structure ----------------------------------------------------------------

    @property
    def name(self) -> str | None:
        """The name given with :meth:`named`, shown in explanations instead of :meth:`infix`."""
        return getattr(self, "_qualifier_name", None)

    @property
    def description(self) -> str | None:
        """Free text for people reading the criteria."""
        return getattr(self, "_qualifier_description", None)

    @property
    def label(self) -> str:
        """The name, or :meth:`infix` for unnamed qualifiers: what explanations and history show."""
        name = self.name
        return name if name is not None else self.infix()

    @property
    def children(self) -> tuple[Qualifier, ...]:
        """The direct sub-qualifiers, in order (empty for a leaf)."""
        return ()

    @property
    def depth(self) -> int:
        """Levels in this tree (a leaf is 1)."""
        return 1 + max((child.depth for child in self.children), default=0)

    def named(self, name: str, description: str | None = None) -> Self:
        """This qualifier with a name (shown in explanations) and an optional description.

        >>> import pipelinekit as pk
        >>> (pk.field("account.employees") >= 100).named("Company size")
        (field('account.employees') >= 100).named('Company size')
        """
        check_label(name, "name")
        if name is None:
            raise QualifierError("name must be a non-blank str, got None")
        check_label(description, "description")
        copy = _copy(self)
        object.__setattr__(copy, "_qualifier_name", name)
        object.__setattr__(copy, "_qualifier_description", description or self.description)
        return copy

    def check_paths(self, subject_type: object) -> Self:
        """This qualifier, after checking its paths can exist on ``subject_type``.

        A typo in a path is otherwise UNKNOWN ("missing") forever. Paths are followed
        through attrs classes by field name and annotated type, into the items of
        :func:`~pipelinekit.any_item`; mappings (``facts.<key>``) accept any key. A
        :class:`~pipelinekit.Pipeline` checks its guards against
        :class:`~pipelinekit.Contact` this way when it is built.

        Raises:
            QualifierError: a path names a field the type does not have (with a "did you
                mean"), or reads into a value that has no fields.

        >>> import pipelinekit as pk
        >>> (pk.field("account.employes") >= 100).check_paths(pk.Contact)
        Traceback (most recent call last):
        ...
        pipelinekit.errors.QualifierError: path 'account.employes' does not fit Contact: Account has no field 'employes' (did you mean 'employees'?)

        .. versionadded:: 0.1.0
        """  # noqa: E501  # the doctest's message is one line
        check_paths(self, subject_type)
        return self

    def checklist(self) -> Checklist:
        """The criteria as a checklist to read, without evaluating anything.

        One box per check, composites as headings over their parts; ``str`` gives the
        text, a notebook shows nested lists. See :class:`~pipelinekit.Checklist`.

        .. versionadded:: 0.2.0
        """
        return checklist(self)

    def operand(self) -> str:
        """How this qualifier reads as an operand of a parent: its name, or its infix form."""
        return self.label

    def infix_build(self) -> bool:
        """Whether ``repr`` is an operator expression (needs parentheses as an operand)."""
        return False

    def __str__(self) -> str:
        return self.infix()

    def __repr__(self) -> str:
        text = f"{type(self).__name__}()"
        if self.name is not None:
            extra = "" if self.description is None else f", {self.description!r}"
            text = f"{text}.named({self.name!r}{extra})"
        return text

    # --- evaluation ---------------------------------------------------------------

    def evaluate(self, subject: object, *, at: datetime | None = None) -> Verdict:
        """Evaluate ``subject`` with a full explanation: a :class:`~pipelinekit.Verdict` tree.

        Raises:
            QualifierError: ``at`` is naive, or missing while a time-relative check needs it.
        """
        check_at(at, needs_time=self.needs_time, qualifier=self)
        return self.explain(subject, at, "")

    def __call__(self, subject: object, *, at: datetime | None = None) -> bool:
        """The fast boolean: ``True`` only when the outcome is PASS."""
        check_at(at, needs_time=self.needs_time, qualifier=self)
        return self.outcome(subject, at) is PASS

    def filter(self, subjects: Iterable[S], *, at: datetime | None = None) -> list[S]:
        """The subjects that PASS, in order (the bulk form of ``q(subject)``)."""
        if (problem := not_text(subjects, "an iterable of subjects")) is not None:
            raise QualifierError(f"filter: {problem}")
        check_at(at, needs_time=self.needs_time, qualifier=self)
        return [s for s in subjects if self.outcome(s, at) is PASS]

    # --- operators ----------------------------------------------------------------

    def __and__(self, other: object) -> Qualifier:
        if not isinstance(other, Qualifier):
            return NotImplemented
        return _OPERATORS["&"](self, other)

    def __or__(self, other: object) -> Qualifier:
        if not isinstance(other, Qualifier):
            return NotImplemented
        return _OPERATORS["|"](self, other)

    def __invert__(self) -> Qualifier:
        return _OPERATORS["~"](self)

    def __bool__(self) -> bool:
        raise TypeError(
            "the truth value of a Qualifier is undefined: combine qualifiers with & (and), "
            "| (or), ~ (not) instead of 'and' / 'or' / 'not', and call q(subject, at=...) "
            "or q.evaluate(subject, at=...) to check a subject"
        )


_DEFAULT_REASON: Final = {PASS: "passed", FAIL: "failed", UNKNOWN: "could not be decided"}

#: The builders behind ``&``, ``|`` and ``~``, installed by
#: :mod:`pipelinekit.qualifiers.composites` (which sits above this module) when it loads.
_OPERATORS: Final[dict[str, Callable[..., Qualifier]]] = {}


def install_operators(
    all_of: Callable[..., Qualifier],
    any_of: Callable[..., Qualifier],
    negate: Callable[[Qualifier], Qualifier],
) -> None:
    """Install the builders of ``&``, ``|`` and ``~`` (called once by the composites module)."""
    _OPERATORS.update({"&": all_of, "|": any_of, "~": negate})


def _copy(q: Q) -> Q:
    try:
        return copy.copy(q)
    except Exception as error:  # a custom class that cannot be copied
        raise QualifierError(
            f"cannot name {type(q).__name__}: copying it failed ({type(error).__name__}: "
            f"{error}); give it a name of its own by overriding infix()"
        ) from None


def check_label(value: object, what: str) -> None:
    """Refuse a ``name`` / ``description`` that is not a short, printable, one-line str.

    Names are shown in explanations, logs and error messages: a newline or control
    character could forge a line there, so they are refused, not escaped.
    """
    if value is None:
        return
    if not isinstance(value, str) or not value.strip():
        raise QualifierError(f"{what} must be a non-blank str, got {describe(value)}")
    limit = MAX_NAME if what == "name" else MAX_DESCRIPTION
    if len(value) > limit:
        raise QualifierError(f"{what} is longer than {limit} characters")
    problem = one_line_problem(value)
    if problem is not None:
        raise QualifierError(f"{what} {problem}")


def _check_name(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_label(value, attribute.name)


@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class Node(Qualifier, ABC):
    """Base of the built-in nodes: a name, a description and the compiled fast path.

    Attributes:
        name: Shown in explanations instead of the infix form (``"ICP fit"``).
        description: Free text for people reading the criteria.
    """

    #: The kind of node a concrete class builds, as its documents write it (``"compare"``,
    #: ``"all_of"``; see :mod:`pipelinekit.qualifiers.visitors`).
    NODE_KIND: ClassVar[str]

    name: str | None = attrs.field(default=None, validator=_check_name)
    description: str | None = attrs.field(default=None, validator=_check_name)
    _depth: int = attrs.field(init=False, default=1, eq=False, repr=False)
    _check: Callable[[object, object], bool] | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )
    _bulk: Callable[[Iterable[Any], object], list[Any]] | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )
    _decide: Callable[[object, object], Outcome] | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )
    _cache: dict[str, Any] | None = attrs.field(init=False, default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        below = max((child.depth for child in self.subqualifiers()), default=0)
        if below + 1 > MAX_DEPTH:
            raise QualifierError(f"qualifier tree deeper than {MAX_DEPTH} levels")
        object.__setattr__(self, "_depth", below + 1)

    # --- structure --------------------------------------------------------------

    def subqualifiers(self) -> tuple[Qualifier, ...]:
        """The direct sub-qualifiers (empty for plain leaves)."""
        return ()

    @property
    def children(self) -> tuple[Qualifier, ...]:
        """The direct sub-qualifiers, in order (empty for a leaf)."""
        return self.subqualifiers()

    @property
    def depth(self) -> int:
        """Levels in this tree (a leaf is 1)."""
        return self._depth

    @property
    def needs_time(self) -> bool:
        """Whether evaluating needs ``at`` (a time-relative leaf is somewhere below)."""
        return any(child.needs_time for child in self.subqualifiers())

    def _cached(self) -> dict[str, Any]:
        """Texts derived from the (immutable) node, computed once for explanations."""
        cache = self._cache
        if cache is None:
            infix = self.infix()
            cache = {
                "infix": infix,
                "label": self.name if self.name is not None else infix,
                "needs_time": self.needs_time,
                # A custom qualifier somewhere below: its code must run once per call.
                "custom": any(
                    not isinstance(child, Node) or child._cached()["custom"]
                    for child in self.subqualifiers()
                ),
            }
            object.__setattr__(self, "_cache", cache)
        return cache

    def named(self, name: str, description: str | None = None) -> Self:
        """This qualifier with a name (shown in explanations) and an optional description.

        >>> import pipelinekit as pk
        >>> (pk.field("account.employees") >= 100).named("Company size")
        (field('account.employees') >= 100).named('Company size')
        """
        return attrs.evolve(self, name=name, description=description or self.description)

    @property
    def label(self) -> str:
        """The name, or the infix form for unnamed qualifiers."""
        return self._cached()["label"]  # type: ignore[no-any-return]  # a str

    @abstractmethod
    def infix(self) -> str:
        """The infix form of the structure (``account.employees >= 100``)."""

    def operand(self) -> str:
        """How this node reads as an operand of a parent: its name, or its infix form."""
        return self.name if self.name is not None else self.infix()

    def __str__(self) -> str:
        return self.infix()

    @abstractmethod
    def build(self) -> str:
        """The expression that builds this node, without its name (used by ``repr``)."""

    def infix_build(self) -> bool:
        """Whether :meth:`build` is an operator expression (needs parentheses as an operand)."""
        return False

    def _repr_pretty_(self, p: PrettyPrinter, cycle: bool) -> None:  # noqa: FBT001  # IPython's
        self.checklist()._repr_pretty_(p, cycle)  # IPython shows a tree as its checklist

    def __repr__(self) -> str:
        text = self.build()
        if self.name is not None:
            extra = "" if self.description is None else f", {self.description!r}"
            text = f"({text}).named({self.name!r}{extra})"
        return text

    # --- evaluation -------------------------------------------------------------

    @abstractmethod
    def outcome(self, subject: object, at: datetime | None) -> Outcome:
        """The outcome without an explanation (``at`` already checked)."""

    @abstractmethod
    def explain(self, subject: object, at: datetime | None, prefix: str) -> Verdict:
        """The verdict tree (``at`` already checked); ``prefix`` is put before paths."""

    def evaluate(self, subject: object, *, at: datetime | None = None) -> Verdict:
        """Evaluate ``subject`` and explain every node of the tree.

        For pipelinekit's own (immutable) entities the outcome is decided by the compiled
        fast path and the explanation is built on first access; other subjects (dict rows,
        a caller's mutable objects), and trees holding a custom qualifier, are explained at
        once, so later changes cannot leak into the verdict and custom code runs once.

        Raises:
            QualifierError: ``at`` is naive, or missing while a time-relative leaf needs it.
        """
        cache = self._cached()
        if type(subject) in IMMUTABLE_SUBJECTS and not cache["custom"]:
            decide = self._decide
            if decide is None:
                decide = self._compile()[1]
            outcome = decide(subject, at)  # also checks ``at``
            return Verdict._deferred(outcome, self.explain, subject, at, "")  # our own class
        check_at(at, needs_time=cache["needs_time"], qualifier=self)
        return self.explain(subject, at, "")

    def __call__(self, subject: object, *, at: datetime | None = None) -> bool:
        """The fast boolean: ``True`` only when ``evaluate`` would give PASS."""
        check = self._check
        if check is None:
            check = self._compile()[0]
        return check(subject, at)

    def filter(self, subjects: Iterable[S], *, at: datetime | None = None) -> list[S]:
        """The subjects that PASS, in their order (the bulk form of ``q(subject)``)."""
        if (problem := not_text(subjects, "an iterable of subjects")) is not None:
            raise QualifierError(f"filter: {problem}")
        bulk = self._bulk
        if bulk is None:
            bulk = self._compile()[2]
        return bulk(subjects, at)

    def _compile(
        self,
    ) -> tuple[
        Callable[[object, object], bool],
        Callable[[object, object], Outcome],
        Callable[[Iterable[Any], object], list[Any]],
    ]:
        check, decide, bulk = _COMPILER[0](self)
        object.__setattr__(self, "_check", check)
        object.__setattr__(self, "_decide", decide)
        object.__setattr__(self, "_bulk", bulk)
        return check, decide, bulk

    def __getstate__(self) -> dict[str, Any]:
        # Generated functions do not pickle; they are rebuilt on first use.
        return {a.name: getattr(self, a.name) for a in attrs.fields(type(self)) if a.init}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)
        object.__setattr__(self, "_check", None)
        object.__setattr__(self, "_bulk", None)
        object.__setattr__(self, "_decide", None)
        object.__setattr__(self, "_cache", None)
        attrs.validate(self)  # recomputes derived private fields (parsed path, regex)
        self.__attrs_post_init__()

    def leaf_verdict(
        self, outcome: Outcome, reason: str, path: str, hint: str | None = None
    ) -> Verdict:
        """A verdict for a leaf of this node (helper for subclasses)."""
        return Verdict(
            outcome=outcome, label=self.label, name=self.name, reason=reason, path=path, hint=hint
        )


Check = Callable[[object, object], bool]
Decide = Callable[[object, object], Outcome]
Bulk = Callable[[Iterable[Any], object], list[Any]]
Compiled = tuple[Check, Decide, Bulk]


def interpreted(root: Node) -> Compiled:
    """The (check, outcome, bulk) functions of ``root`` that walk the tree (no generated code)."""
    needs_time = root.needs_time

    def decide(subject: object, at: object) -> Outcome:
        check_at(at, needs_time=needs_time, qualifier=root)
        return root.outcome(subject, at)  # type: ignore[arg-type]  # checked above

    def check(subject: object, at: object) -> bool:
        check_at(at, needs_time=needs_time, qualifier=root)
        return root.outcome(subject, at) is PASS  # type: ignore[arg-type]  # checked above

    def bulk(subjects: Iterable[Any], at: object) -> list[Any]:
        check_at(at, needs_time=needs_time, qualifier=root)
        return [s for s in subjects if root.outcome(s, at) is PASS]  # type: ignore[arg-type]

    return check, decide, bulk


#: How a tree is compiled on first use: :func:`interpreted` until
#: :mod:`pipelinekit._codegen` (which sits above the node kinds it generates code for)
#: installs itself with :func:`install_compiler` when it loads.
_COMPILER: Final[list[Callable[[Node], Compiled]]] = [interpreted]


def install_compiler(compiler: Callable[[Node], Compiled]) -> None:
    """Make ``compiler`` compile every tree on first use (called once by the code generator)."""
    _COMPILER[0] = compiler
