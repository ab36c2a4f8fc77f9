"""Qualifiers over collections: some item passes, or at least *n* items pass.

``pk.any_item("stakeholders", pk.field("role") == pk.Role.ECONOMIC_BUYER)`` runs the inner
qualifier on every item of the collection at the path. A missing collection is UNKNOWN;
an empty one decides (no item passes), unless ``empty_is_unknown=True`` says an empty
collection means "not recorded yet" (as :class:`~pipelinekit.Contact`'s ``stakeholders``
defaults to ``()``): then it is UNKNOWN and ``missing()`` names its path. Text, bytes and
mappings are not collections here.

.. versionadded:: 0.1.0
"""

# ruff: noqa: D102  # overrides are documented where Node declares them

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import ClassVar, Final

import attrs

from pipelinekit._checks import describe, got, type_name
from pipelinekit.errors import QualifierError
from pipelinekit.qualifiers.core import FAIL, PASS, UNKNOWN, Qualifier, format_value
from pipelinekit.qualifiers.leaves import Leaf
from pipelinekit.qualifiers.paths import resolve
from pipelinekit.qualifiers.verdict import Outcome, Verdict
from pipelinekit.qualifiers.visitors import register_kind

__all__ = ["AnyItem", "CountItems", "any_item", "count_items", "is_collection"]


def is_collection(value: object) -> bool:
    """Whether ``value`` holds items (a tuple, list, set, ...; not text or a mapping)."""
    kind = type(value)
    if kind is tuple or kind is list:
        return True
    return isinstance(value, Collection) and not isinstance(
        value, str | bytes | bytearray | Mapping
    )


def _check_child(instance: object, attribute: attrs.Attribute[Qualifier], value: object) -> None:
    if not isinstance(value, Qualifier):
        raise QualifierError(f"expected a qualifier for the items, got {got(value)}")


def _check_flag(instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if type(value) is not bool:
        raise QualifierError(f"{attribute.name} must be a bool, got {describe(value)}")


#: The largest ``at_least`` of :func:`count_items` (an int of any size could not be printed).
MAX_COUNT: Final = 10**9


def _check_count(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or not 1 <= value <= MAX_COUNT:
        raise QualifierError(
            f"at_least must be an int >= 1 and at most 10**9, got {describe(value)}"
        )


@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class _ItemsBase(Leaf):
    child: Qualifier = attrs.field(validator=_check_child)

    def subqualifiers(self) -> tuple[Qualifier, ...]:
        return (self.child,)

    @property
    def needs_time(self) -> bool:
        return self.child.needs_time

    @property
    def empty_unknown(self) -> bool:
        """Whether an empty collection is UNKNOWN (not recorded) rather than decided."""
        return False

    def decide(self, passed: int, failed: int, count: int) -> Outcome:
        raise NotImplementedError

    def outcome(self, subject: object, at: datetime | None) -> Outcome:
        items = resolve(subject, self.segments)
        if items is None or not is_collection(items):
            return UNKNOWN
        passed = failed = 0
        for item in items:  # type: ignore[attr-defined]  # a Collection
            result = self.child.outcome(item, at)
            if result is PASS:
                passed += 1
            elif result is FAIL:
                failed += 1
        return self.decide(passed, failed, len(items))  # type: ignore[arg-type]  # a Collection

    def explain(self, subject: object, at: datetime | None, prefix: str) -> Verdict:
        path = prefix + self.path
        items = resolve(subject, self.segments)
        if items is None:
            return self.leaf_verdict(UNKNOWN, f"{path} is missing", path, f"find out {path}")
        if not is_collection(items):
            problem = f"not a collection: {type_name(items)}"
            return Verdict(
                outcome=UNKNOWN,
                label=self.label,
                name=self.name,
                reason=f"{path} {format_value(items)} is {problem}",
                path=path,
                error=problem,
            )
        children = []
        collection: Collection[object] = items  # type: ignore[assignment]  # checked above
        for index, item in enumerate(collection):
            verdict = self.child.explain(item, at, f"{path}[{index}].")
            children.append(verdict.replace(label=f"[{index}] {verdict.label}"))
        if not children and self.empty_unknown:
            reason = f"{path} is empty: not recorded yet"
            return self.leaf_verdict(UNKNOWN, reason, path, f"find out {path}")
        passed = sum(v.outcome is PASS for v in children)
        failed = sum(v.outcome is FAIL for v in children)
        outcome = self.decide(passed, failed, len(children))
        reason = f"{passed} of {len(children)} {path} passed"
        if not children:
            reason = f"{path} is empty"
        return Verdict(
            outcome=outcome,
            label=self.label,
            name=self.name,
            reason=reason,
            children=tuple(children),
            path=path,
            hint=None if outcome is PASS else self.infix(),
        )


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class AnyItem(_ItemsBase):
    """PASS when some item passes; FAIL when every item fails.

    An empty collection FAILs, or is UNKNOWN when ``empty_is_unknown`` is set.
    """

    NODE_KIND: ClassVar[str] = "any_item"

    empty_is_unknown: bool = attrs.field(default=False, validator=_check_flag)

    @property
    def empty_unknown(self) -> bool:
        return self.empty_is_unknown

    def decide(self, passed: int, failed: int, count: int) -> Outcome:
        """The outcome for these counts."""
        if passed:
            return PASS
        if count == 0 and self.empty_is_unknown:
            return UNKNOWN
        return FAIL if failed == count else UNKNOWN

    def infix(self) -> str:
        empty = ", empty is unknown" if self.empty_is_unknown else ""
        return f"any {self.path}{empty}: ({self.child.operand()})"

    def build(self) -> str:
        empty = ", empty_is_unknown=True" if self.empty_is_unknown else ""
        return f"any_item({self.path!r}, {self.child!r}{empty})"


@register_kind
@attrs.frozen(kw_only=True, repr=False, getstate_setstate=False)
class CountItems(_ItemsBase):
    """PASS when at least ``at_least`` items pass; FAIL when that can no longer happen."""

    NODE_KIND: ClassVar[str] = "count_items"

    at_least: int = attrs.field(validator=_check_count)

    def decide(self, passed: int, failed: int, count: int) -> Outcome:
        """The outcome for these counts."""
        if passed >= self.at_least:
            return PASS
        return FAIL if count - failed < self.at_least else UNKNOWN

    def infix(self) -> str:
        return f"at least {self.at_least} {self.path}: ({self.child.operand()})"

    def build(self) -> str:
        return f"count_items({self.path!r}, {self.child!r}, at_least={self.at_least!r})"


def _node(qualifier: Qualifier) -> Qualifier:
    if not isinstance(qualifier, Qualifier):
        raise QualifierError(f"expected a qualifier for the items, got {type_name(qualifier)}")
    return qualifier


def any_item(path: str, qualifier: Qualifier, *, empty_is_unknown: bool = False) -> AnyItem:
    """PASS when some item of the collection at ``path`` passes ``qualifier``.

    The qualifier's paths are read from each item. An empty collection FAILs (no item
    passes); with ``empty_is_unknown=True`` it is UNKNOWN instead, for collections where
    empty means "nobody recorded them yet", and ``missing()`` lists ``path``.

    >>> import pipelinekit as pk
    >>> has_buyer = pk.any_item("stakeholders", pk.field("role") == pk.Role.ECONOMIC_BUYER)
    >>> has_buyer({"stakeholders": [{"role": "user"}, {"role": "economic_buyer"}]})
    True
    >>> has_buyer.evaluate({"stakeholders": []}).reason
    'stakeholders is empty'
    >>> champion = pk.field("role") == "champion"
    >>> recorded = pk.any_item("stakeholders", champion, empty_is_unknown=True)
    >>> recorded.evaluate({"stakeholders": []}).missing()
    ('stakeholders',)
    """
    return AnyItem(path=path, child=_node(qualifier), empty_is_unknown=empty_is_unknown)


def count_items(path: str, qualifier: Qualifier, *, at_least: int) -> CountItems:
    """PASS when at least ``at_least`` items of the collection at ``path`` pass ``qualifier``.

    >>> import pipelinekit as pk
    >>> engaged = pk.count_items("stakeholders", pk.field("influence") >= 7, at_least=2)
    >>> engaged.evaluate({"stakeholders": [{"influence": 9}, {"influence": None}]}).outcome
    <Outcome.UNKNOWN: 'unknown'>
    """
    return CountItems(path=path, child=_node(qualifier), at_least=at_least)
