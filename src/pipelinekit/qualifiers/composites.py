"""Composite qualifiers: all of, any of, not, at least k of, weighted.

Build them with the operators (``a & b``, ``a | b``, ``~a``) or the factories
(:func:`all_of`, :func:`any_of`, :func:`at_least`, :func:`weighted`): normalisation lives
in the factories. Unnamed children of the same kind are flattened (``(a & b) & c`` is
``all_of(a, b, c)``), repeated children of ``all_of`` / ``any_of`` are dropped, a
single-child ``all_of`` / ``any_of`` is the child itself, and ``~~q == q``.

Outcomes follow Kleene's three-valued logic: an UNKNOWN child can only make the result
UNKNOWN when the known children do not already decide it.

.. versionadded:: 0.1.0
"""

# ruff: noqa: D102  # overrides are documented where Node declares them

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Context, Decimal, localcontext
from typing import Any, ClassVar, Final

import attrs

from pipelinekit._checks import describe, got, type_name
from pipelinekit.errors import QualifierError
from pipelinekit.qualifiers.core import FAIL, PASS, UNKNOWN, Node, Qualifier, install_operators
from pipelinekit.qualifiers.verdict import Outcome, Verdict
from pipelinekit.qualifiers.visitors import register_kind

__all__ = [
    "AllOf",
    "AnyOf",
    "AtLeast",
    "Not",
    "Weighted",
    "all_of",
    "any_of",
    "at_least",
    "negate",
    "weighted",
]

#: The most children one composite may have.
MAX_CHILDREN: Final = 10_000
#: The largest weight or threshold of :func:`weighted` (an int or a float).
MAX_WEIGHT: Final = 10**15
#: Weights are added in this context, whatever the caller's: the sums are exact. With
#: weights at most :data:`MAX_WEIGHT` (20 digits for the sum of ``MAX_CHILDREN`` of them)
#: and float weights reading as decimals of at most 17 digits down to ``5e-324``, a sum
#: needs under 400 digits.
_EXACT: Final = Context(prec=1000, Emax=10_000, Emin=-10_000)


def _as_nodes(function: str, qualifiers: Iterable[object]) -> tuple[Qualifier, ...]:
    """The qualifiers, checked: built-in nodes and custom :class:`Qualifier` subclasses alike."""
    nodes: list[Qualifier] = []
    for index, q in enumerate(qualifiers):
        if isinstance(q, Qualifier):
            nodes.append(q)
        else:
            hint = " (did you mean pk.field(...) == value?)" if type(q) is bool else ""
            raise QualifierError(
                f"{function}() argument {index + 1} must be a qualifier, got {got(q)}{hint}"
            )
    if not nodes:
        raise QualifierError(f"{function}() needs at least one qualifier")
    if len(nodes) > MAX_CHILDREN:
        raise QualifierError(f"{function}() takes at most {MAX_CHILDREN} qualifiers")
    return tuple(nodes)


def _counts(outcomes: Iterable[Outcome]) -> tuple[int, int, int]:
    passed = failed = unknown = 0
    for outcome in outcomes:
        if outcome is PASS:
            passed += 1
        elif outcome is FAIL:
            failed += 1
        else:
            unknown += 1
    return passed, failed, unknown


def _tally(children: tuple[Verdict, ...]) -> str:
    passed, failed, unknown = _counts(v.outcome for v in children)
    text = f"{passed} of {len(children)} passed"
    if failed:
        text += f", {failed} failed"
    if unknown:
        text += f", {unknown} unknown"
    return text


def _pending(children: tuple[Verdict, ...]) -> str:
    return ", ".join(v.label for v in children if v.outcome is not PASS)


def _check_children(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not tuple:
        raise QualifierError(f"{attribute.name} must be a tuple of qualifiers")
    _as_nodes(type(instance).__name__, value)


@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class _Junction(Node):
    """What ``all_of`` and ``any_of`` share: children, infix and repr forms."""

    children: tuple[Qualifier, ...] = attrs.field(validator=_check_children)
    SYMBOL: ClassVar[str] = ""
    FUNCTION: ClassVar[str] = ""

    def subqualifiers(self) -> tuple[Qualifier, ...]:
        return self.children

    def infix(self) -> str:
        return f" {self.SYMBOL} ".join(f"({c.operand()})" for c in self.children)

    def build(self) -> str:
        return f"{self.FUNCTION}(" + ", ".join(repr(c) for c in self.children) + ")"


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class AllOf(_Junction):
    """PASS when every child passes; FAIL when any fails; else UNKNOWN."""

    NODE_KIND: ClassVar[str] = "all_of"

    SYMBOL: ClassVar[str] = "&"
    FUNCTION: ClassVar[str] = "all_of"

    def outcome(self, subject: object, at: datetime | None) -> Outcome:
        result = PASS
        for child in self.children:
            outcome = child.outcome(subject, at)
            if outcome is FAIL:
                return FAIL
            if outcome is UNKNOWN:
                result = UNKNOWN
        return result

    def explain(self, subject: object, at: datetime | None, prefix: str) -> Verdict:
        children = tuple(c.explain(subject, at, prefix) for c in self.children)
        outcome = PASS
        for v in children:
            outcome &= v.outcome
        return Verdict(
            outcome=outcome,
            label=self.label,
            name=self.name,
            reason=_tally(children),
            children=children,
        )


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class AnyOf(_Junction):
    """PASS when any child passes; FAIL when every child fails; else UNKNOWN."""

    NODE_KIND: ClassVar[str] = "any_of"

    SYMBOL: ClassVar[str] = "|"
    FUNCTION: ClassVar[str] = "any_of"

    def outcome(self, subject: object, at: datetime | None) -> Outcome:
        result = FAIL
        for child in self.children:
            outcome = child.outcome(subject, at)
            if outcome is PASS:
                return PASS
            if outcome is UNKNOWN:
                result = UNKNOWN
        return result

    def explain(self, subject: object, at: datetime | None, prefix: str) -> Verdict:
        children = tuple(c.explain(subject, at, prefix) for c in self.children)
        outcome = FAIL
        for v in children:
            outcome |= v.outcome
        hint = None if outcome is PASS else f"any of: {_pending(children)}"
        return Verdict(
            outcome=outcome,
            label=self.label,
            name=self.name,
            reason=_tally(children),
            children=children,
            hint=hint,
        )


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class Not(Node):
    """PASS when the child fails, FAIL when it passes, UNKNOWN when it is unknown."""

    NODE_KIND: ClassVar[str] = "not"

    child: Qualifier = attrs.field()

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.child, Qualifier):
            raise QualifierError(f"~ needs a qualifier, got {type_name(self.child)}")
        super().__attrs_post_init__()

    def subqualifiers(self) -> tuple[Qualifier, ...]:
        return (self.child,)

    def infix(self) -> str:
        return f"~({self.child.operand()})"

    def build(self) -> str:
        # ``~`` binds tighter than a comparison: ``~field('a') == 1`` would negate the field.
        if self.child.name is None and not self.child.infix_build():
            return f"~{self.child!r}"
        return f"~({self.child!r})"

    def outcome(self, subject: object, at: datetime | None) -> Outcome:
        return ~self.child.outcome(subject, at)

    def explain(self, subject: object, at: datetime | None, prefix: str) -> Verdict:
        child = self.child.explain(subject, at, prefix)
        if child.outcome is UNKNOWN:
            reason = "not: the inner check is unknown"
        else:
            reason = f"not: the inner check {child.outcome.value}ed"
            if child.reason and child.reason != child.label:
                reason += f" ({child.reason})"  # the value that decided it
        return Verdict(
            outcome=~child.outcome,
            label=self.label,
            name=self.name,
            reason=reason,
            children=(child,),
            hint=f"not {child.label}" if child.outcome is PASS else None,
            negated=True,
        )


def _check_k(instance: AtLeast, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int:
        raise QualifierError(f"at_least: k must be an int, got {got(value)}")
    count = len(instance.children)
    if not 1 <= value <= count:
        raise QualifierError(f"at_least: k must be between 1 and {count}, got {describe(value)}")


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class AtLeast(Node):
    """PASS when at least ``k`` children pass; FAIL when that can no longer happen."""

    NODE_KIND: ClassVar[str] = "at_least"

    children: tuple[Qualifier, ...] = attrs.field(validator=_check_children)
    k: int = attrs.field(validator=_check_k)

    def subqualifiers(self) -> tuple[Qualifier, ...]:
        return self.children

    def infix(self) -> str:
        return f"at_least({self.k}, " + ", ".join(c.operand() for c in self.children) + ")"

    def build(self) -> str:
        return f"at_least({self.k}, " + ", ".join(repr(c) for c in self.children) + ")"

    def decide(self, passed: int, failed: int) -> Outcome:
        """The outcome for these counts of passing and failing children."""
        if passed >= self.k:
            return PASS
        if failed > len(self.children) - self.k:
            return FAIL
        return UNKNOWN

    def outcome(self, subject: object, at: datetime | None) -> Outcome:
        passed, failed, _ = _counts(c.outcome(subject, at) for c in self.children)
        return self.decide(passed, failed)

    def explain(self, subject: object, at: datetime | None, prefix: str) -> Verdict:
        children = tuple(c.explain(subject, at, prefix) for c in self.children)
        passed, failed, _ = _counts(v.outcome for v in children)
        outcome = self.decide(passed, failed)
        hint = None
        if outcome is not PASS:
            hint = f"{self.k - passed} more of: {_pending(children)}"
        return Verdict(
            outcome=outcome,
            label=self.label,
            name=self.name,
            reason=f"{_tally(children)} (needs {self.k})",
            children=children,
            hint=hint,
        )


Weight = int | float
#: A weight as an exact number: an int, or the ``Decimal`` a float's shortest repr reads as.
Exact = int | Decimal


def exact(weight: Weight) -> Exact:
    """``weight`` as an exact number, so sums and hints never show float noise.

    >>> exact(3), exact(0.1)
    (3, Decimal('0.1'))
    """
    return weight if type(weight) is int else Decimal(repr(weight))


def _sum(values: Iterable[Exact]) -> Exact:
    total: Exact = 0
    with localcontext(_EXACT):
        for value in values:
            total += value
    return total


def _scaled(value: Exact, scale: int) -> int:
    """``value * 10**scale`` as an int (exact, no decimal context involved)."""
    if type(value) is int:
        return value * int(10**scale)
    assert isinstance(value, Decimal)  # noqa: S101  # narrowing
    _, digits, exponent = value.as_tuple()
    assert type(exponent) is int  # noqa: S101  # weights are finite
    number = int("".join(map(str, digits)) or "0")
    shift = exponent + scale
    return number * int(10**shift) if shift >= 0 else number // int(10**-shift)


def check_weight(what: str, value: object) -> Weight:
    """Refuse a weight or threshold that is not a positive, finite int or float."""
    if type(value) is not int and type(value) is not float:
        raise QualifierError(f"weighted: {what} must be an int or float, got {describe(value)}")
    if not 0 < value <= MAX_WEIGHT or not math.isfinite(value):  # int first: 10**5000
        # describe(): a huge int has no str in Python (over 4,300 digits).
        raise QualifierError(
            f"weighted: {what} must be positive, finite and at most 10**15, got {describe(value)}"
        )
    return value


def _check_weighted(instance: Weighted, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not tuple or not value:
        raise QualifierError("weighted: criteria must be a non-empty tuple of (qualifier, weight)")
    for pair in value:
        if type(pair) is not tuple or len(pair) != 2 or not isinstance(pair[0], Qualifier):
            raise QualifierError(f"weighted: expected (qualifier, weight), got {describe(pair)}")
        check_weight("a weight", pair[1])


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class Weighted(Node):
    """PASS when the weights of passing children reach ``threshold``; FAIL when they cannot."""

    NODE_KIND: ClassVar[str] = "weighted"

    criteria: tuple[tuple[Qualifier, Weight], ...] = attrs.field(validator=_check_weighted)
    threshold: Weight = attrs.field()

    def __attrs_post_init__(self) -> None:
        check_weight("threshold", self.threshold)
        if self.exact_threshold > self.total:
            raise QualifierError(
                f"weighted: threshold {self.threshold!r} exceeds the total weight {self.total}"
            )
        super().__attrs_post_init__()

    @property
    def total(self) -> Exact:
        """The sum of all weights, exactly (``0.1 + 0.2`` is ``Decimal('0.3')``)."""
        return _sum(self.exact_weights)

    @property
    def slack(self) -> Exact:
        """How much weight may fail before the threshold is out of reach (exact)."""
        with localcontext(_EXACT):
            return self.total - self.exact_threshold

    @property
    def scale(self) -> int:
        """The power of ten that makes every weight and the threshold an integer."""
        cache = self._cached()
        if "scale" not in cache:
            exponents = [
                w.as_tuple().exponent
                for w in (*self.exact_weights, self.exact_threshold)
                if isinstance(w, Decimal)
            ]
            cache["scale"] = max([0, *(-e for e in exponents if type(e) is int)])
        return cache["scale"]  # type: ignore[no-any-return]  # an int

    @property
    def scaled_weights(self) -> tuple[int, ...]:
        """The weights times ``10**scale``: integers, so sums are exact in any context."""
        return tuple(_scaled(w, self.scale) for w in self.exact_weights)

    @property
    def scaled_threshold(self) -> int:
        """The threshold times ``10**scale`` (see :attr:`scaled_weights`)."""
        return _scaled(self.exact_threshold, self.scale)

    @property
    def scaled_slack(self) -> int:
        """The slack times ``10**scale`` (see :attr:`scaled_weights`)."""
        return sum(self.scaled_weights) - self.scaled_threshold

    @property
    def exact_weights(self) -> tuple[Exact, ...]:
        """The weights as exact numbers: ints as given, floats as the decimal they read as."""
        cache = self._cached()
        if "weights" not in cache:
            cache["weights"] = tuple(exact(w) for _, w in self.criteria)
        return cache["weights"]  # type: ignore[no-any-return]  # a tuple

    @property
    def exact_threshold(self) -> Exact:
        """The threshold as an exact number (see :attr:`exact_weights`)."""
        return exact(self.threshold)

    def subqualifiers(self) -> tuple[Qualifier, ...]:
        return tuple(q for q, _ in self.criteria)

    def infix(self) -> str:
        parts = ", ".join(f"{q.operand()}: {w!r}" for q, w in self.criteria)
        return f"weighted({parts}; threshold {self.threshold!r})"

    def build(self) -> str:
        parts = ", ".join(f"{q!r}: {w!r}" for q, w in self.criteria)
        return f"weighted({{{parts}}}, threshold={self.threshold!r})"

    def decide(self, passed: Exact, failed: Exact) -> Outcome:
        """The outcome for these (exact) sums of passing and failing weights."""
        if passed >= self.exact_threshold:
            return PASS
        if failed > self.slack:
            return FAIL
        return UNKNOWN

    def _sums(self, outcomes: Iterable[Outcome]) -> tuple[Exact, Exact]:
        passed: Exact = 0
        failed: Exact = 0
        with localcontext(_EXACT):
            for weight, outcome in zip(self.exact_weights, outcomes, strict=True):
                if outcome is PASS:
                    passed += weight
                elif outcome is FAIL:
                    failed += weight
        return passed, failed

    def outcome(self, subject: object, at: datetime | None) -> Outcome:
        return self.decide(*self._sums(q.outcome(subject, at) for q, _ in self.criteria))

    def explain(self, subject: object, at: datetime | None, prefix: str) -> Verdict:
        children = tuple(q.explain(subject, at, prefix) for q, _ in self.criteria)
        passed, failed = self._sums(v.outcome for v in children)
        outcome = self.decide(passed, failed)
        hint = None
        if outcome is not PASS:
            with localcontext(_EXACT):
                needed = self.exact_threshold - passed
            hint = f"{needed} more weight from: {_pending(children)}"
        return Verdict(
            outcome=outcome,
            label=self.label,
            name=self.name,
            reason=f"weight {passed} of {self.total} passed, {failed} failed "
            f"(needs {self.exact_threshold})",
            children=children,
            hint=hint,
        )


def _plain(q: Qualifier, cls: type[Node]) -> bool:
    return type(q) is cls and q.name is None and q.description is None


def _flatten(cls: type[AllOf | AnyOf], function: str, qualifiers: tuple[object, ...]) -> Qualifier:
    nodes = _as_nodes(function, qualifiers)
    # An ordered set: repeated children are dropped. The key holds the name too, for
    # custom qualifiers whose equality may not look at it.
    flat: dict[tuple[Qualifier, str | None, str | None], Qualifier] = {}
    for q in nodes:
        for child in q.children if _plain(q, cls) else (q,):
            flat.setdefault((child, child.name, child.description), child)
    children = tuple(flat.values())
    if len(children) == 1:
        return children[0]
    return cls(children=children)


def all_of(*qualifiers: Qualifier) -> Qualifier:
    """PASS when every qualifier passes (``a & b & ...``).

    >>> import pipelinekit as pk
    >>> a, b, c = pk.field("a") == 1, pk.field("b") == 2, pk.field("c") == 3
    >>> pk.all_of(a & b, c) == pk.all_of(a, b, c) == a & b & c
    True
    """
    return _flatten(AllOf, "all_of", qualifiers)


def any_of(*qualifiers: Qualifier) -> Qualifier:
    """PASS when any qualifier passes (``a | b | ...``)."""
    return _flatten(AnyOf, "any_of", qualifiers)


def negate(qualifier: Qualifier) -> Qualifier:
    """``~qualifier``: PASS on FAIL, FAIL on PASS; ``~~q`` is ``q``."""
    (q,) = _as_nodes("negate", (qualifier,))
    if isinstance(q, Not) and _plain(q, Not):
        return q.child
    return Not(child=q)


install_operators(all_of, any_of, negate)


def at_least(k: int, *qualifiers: Qualifier) -> AtLeast:
    """PASS when at least ``k`` of the qualifiers pass (IBM's BANT rule is 3 of 4).

    FAIL once fewer than ``k`` could still pass; UNKNOWN in between.

    >>> import pipelinekit as pk
    >>> q = pk.at_least(2, pk.field("a") == 1, pk.field("b") == 1, pk.field("c") == 1)
    >>> q.evaluate({"a": 1, "b": 0}).reason
    '1 of 3 passed, 1 failed, 1 unknown (needs 2)'
    """
    return AtLeast(children=_as_nodes("at_least", qualifiers), k=k)


def weighted(criteria: Mapping[Qualifier, Weight], *, threshold: Weight) -> Weighted:
    """PASS when the weights of the passing criteria add up to ``threshold``.

    FAIL once the failing weight leaves the threshold out of reach; UNKNOWN in between.

    >>> import pipelinekit as pk
    >>> q = pk.weighted({pk.field("a") == 1: 3, pk.field("b") == 1: 1}, threshold=3)
    >>> q({"a": 1}), q.evaluate({"b": 1}).outcome
    (True, <Outcome.UNKNOWN: 'unknown'>)
    """
    if not isinstance(criteria, Mapping):
        raise QualifierError(
            f"weighted() takes a mapping of qualifier to weight, got {describe(criteria)}"
        )
    nodes = _as_nodes("weighted", criteria.keys())
    pairs = tuple((q, check_weight("a weight", criteria[q])) for q in nodes)
    return Weighted(criteria=pairs, threshold=threshold)
