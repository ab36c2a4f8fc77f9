"""How the predictive model reads a feature: categories, quantile bins and missing values.

A feature is a field path read as :func:`pipelinekit.field` reads it (``None``, NaN and
the other "no value" markers are *missing*). A value is then one of:

* a **category**: ``str``, ``bool`` or an enum member (a member counts by its value when
  that is a ``str``, else by its name, so ``Stage.LEAD`` and ``"lead"`` are one category);
* a **number**: ``int``, ``float``, ``Decimal`` or :class:`~pipelinekit.Money` (its amount;
  one currency per feature, fixed at fit). Numbers are read exactly as decimals
  (a float as its shortest ``repr``) and put into the quantile bin learnt at fit;
* **missing** (``None``): a value of its own, counted like any other.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Sequence
from decimal import Decimal
from typing import Final, Literal, TypeAlias

from pipelinekit._checks import describe
from pipelinekit.errors import FieldTypeError, FieldValueError
from pipelinekit.qualifiers.paths import parse_path, python_scalar, resolve
from pipelinekit.values import Money

__all__ = [
    "LEAKING_ROOTS",
    "Category",
    "Kind",
    "Raw",
    "bin_label",
    "bin_of",
    "check_feature",
    "kind_of",
    "quantile_edges",
    "read_raw",
]

#: A category as the model stores it: a str, a bool, a bin index (numeric features) or
#: ``None`` for missing.
Category: TypeAlias = str | bool | int | None
#: What one reading gives: ``("category", value)``, ``("number", Decimal, currency)`` or
#: ``None`` for missing.
Raw: TypeAlias = tuple[str, str | bool] | tuple[str, Decimal, str | None] | None
Kind: TypeAlias = Literal["category", "number"]

#: Paths that would let the model read the outcome it predicts.
LEAKING_ROOTS: Final = frozenset({"stage", "history", "stage_entered_at", "version"})


def check_feature(path: object) -> tuple[str, ...]:
    """Validate a feature path; refuse those that read the outcome.

    >>> check_feature("account.industry")
    ('account', 'industry')
    >>> check_feature("stage")
    Traceback (most recent call last):
    ...
    pipelinekit.errors.FieldValueError: features: 'stage' reads the contact's stage, ...
    """
    segments = parse_path(path)
    if segments[0] in LEAKING_ROOTS:
        raise FieldValueError(
            "features",
            f"{path!r} reads the contact's stage, the outcome the model predicts;"
            " a prediction must never read it",
        )
    return segments


def read_raw(subject: object, feature: str, segments: tuple[str, ...]) -> Raw:  # noqa: PLR0911  # one return per kind
    """Read one feature of ``subject`` and say what kind of value it is.

    Raises:
        FieldTypeError: the value is neither a category nor a number (a date, a list).
    """
    value = python_scalar(resolve(subject, segments))
    if value is None:
        return None
    if isinstance(value, bool):
        return ("category", value)
    if isinstance(value, enum.Enum):
        member = value.value
        return ("category", member if isinstance(member, str) else value.name)
    if isinstance(value, str):
        return ("category", value)
    if isinstance(value, int):
        return ("number", Decimal(value), None)
    if isinstance(value, float):
        return ("number", Decimal(repr(value)), None)
    if isinstance(value, Decimal):
        return ("number", value, None)
    if isinstance(value, Money):
        return ("number", value.amount, value.currency)
    raise FieldTypeError(
        feature,
        f"expected a category (str, bool, enum) or a number (int, float, Decimal, Money),"
        f" got {describe(value)}",
    )


def kind_of(raw: Raw) -> Kind | None:
    """``"category"`` or ``"number"`` for a reading; ``None`` when missing."""
    if raw is None:
        return None
    return "category" if raw[0] == "category" else "number"


def quantile_edges(values: Sequence[Decimal], bins: int) -> tuple[Decimal, ...]:
    """The cut points of ``bins`` quantile bins over ``values`` (distinct, increasing).

    The k-th cut is the value at rank ``k * n // bins`` of the sorted values; cuts equal
    to the smallest value or to an earlier cut are dropped, so every bin is non-empty.

    >>> quantile_edges([Decimal(v) for v in range(10)], 5)
    (Decimal('2'), Decimal('4'), Decimal('6'), Decimal('8'))
    >>> quantile_edges([Decimal(1)] * 4, 3)
    ()
    """
    # equal decimals ("0" and "0.0") in a fixed order, the shortest first: the same cuts
    # whatever the order of the values
    ordered = sorted(values, key=lambda d: (d, len(str(d)), str(d)))
    if not ordered:
        return ()
    edges: list[Decimal] = []
    for k in range(1, bins):
        cut = ordered[k * len(ordered) // bins]
        if cut > ordered[0] and (not edges or cut > edges[-1]):
            edges.append(cut)
    return tuple(edges)


def bin_of(value: Decimal, edges: tuple[Decimal, ...]) -> int:
    """The index of the bin holding ``value``: bin ``i`` is ``edges[i-1] <= value < edges[i]``.

    >>> bin_of(Decimal(3), (Decimal(2), Decimal(4))), bin_of(Decimal(4), (Decimal(2), Decimal(4)))
    (1, 2)
    """
    return bisect.bisect_right(edges, value)


def bin_label(index: int, edges: tuple[Decimal, ...]) -> str:
    """A readable name for bin ``index``.

    >>> [bin_label(i, (Decimal(10), Decimal(50))) for i in range(3)]
    ['< 10', '10 to < 50', '>= 50']
    >>> bin_label(0, ())
    'any'
    """
    if not edges:
        return "any"
    if index == 0:
        return f"< {edges[0]}"
    if index == len(edges):
        return f">= {edges[-1]}"
    return f"{edges[index - 1]} to < {edges[index]}"
