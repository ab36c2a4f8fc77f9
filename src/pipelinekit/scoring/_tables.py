"""The parts of a fitted naive Bayes model: frequency tables and calibration maps.

Public classes (:class:`FeatureTable`, :class:`Calibration`) re-exported by
:mod:`pipelinekit.scoring`; the functions build and check them for
:meth:`NaiveBayes.fit <pipelinekit.scoring.NaiveBayes.fit>`.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Final, Literal, TypeAlias

import attrs

from pipelinekit.errors import FieldTypeError, FieldValueError
from pipelinekit.scoring._calibration import interpolate, logistic
from pipelinekit.scoring._features import (
    Category,
    Kind,
    Raw,
    bin_label,
    bin_of,
    kind_of,
    quantile_edges,
)

__all__ = [
    "MAX_BINS",
    "MAX_FEATURES",
    "METHODS",
    "Calibration",
    "FeatureTable",
    "Method",
    "build_table",
    "check_arguments",
]

Method: TypeAlias = Literal["isotonic", "platt"]
#: The most features a model may have.
MAX_FEATURES: Final = 200
#: The most quantile bins a numeric feature may have.
MAX_BINS: Final = 100
METHODS: Final = ("isotonic", "platt")


def _category_key(value: Category) -> tuple[int, str]:
    if value is None:
        return (0, "")
    if isinstance(value, bool):
        return (1, str(int(value)))
    if isinstance(value, int):
        return (2, f"{value:020d}")
    return (3, value)


@attrs.frozen(kw_only=True)
class FeatureTable:
    """The frequency table of one feature: per value, how many won and lost contacts had it.

    Attributes:
        feature: The feature's path.
        kind: ``"category"`` (values are the categories) or ``"number"`` (values are bin
            indexes: bin ``i`` holds ``edges[i-1] <= x < edges[i]``); ``None`` is missing.
        edges: The quantile cut points of a numeric feature.
        currency: The currency of a Money feature (other currencies read as missing).
        counts: ``(value, won, lost)`` per value, in a fixed order.
    """

    feature: str
    kind: Kind
    counts: tuple[tuple[Category, int, int], ...]
    edges: tuple[Decimal, ...] = ()
    currency: str | None = None

    def label(self, value: Category) -> str | bool | None:
        """The value as a factor shows it (a bin's range for numbers)."""
        if self.kind == "number" and isinstance(value, int) and not isinstance(value, bool):
            return bin_label(value, self.edges)
        return value  # type: ignore[return-value]  # categories are never plain ints

    def category(self, raw: Raw) -> Category:
        """The value of this table a reading falls into (``None`` for missing)."""
        kind = kind_of(raw)
        if kind is None or raw is None:
            return None
        if kind != self.kind:
            if all(value is None for value, _, _ in self.counts):
                # learnt from missing values only: any known value is one it never saw
                return str(raw[1])
            learnt = "categories" if self.kind == "category" else "numbers"
            raise FieldTypeError(
                self.feature, f"the model learnt {learnt} for this feature, got a {kind}"
            )
        if len(raw) == 2:  # a category reading
            return raw[1]
        if raw[2] != self.currency:
            return None
        return bin_of(raw[1], self.edges)


@attrs.frozen(kw_only=True)
class Calibration:
    """A fitted map from log-odds to probability.

    Attributes:
        method: ``"isotonic"`` or ``"platt"``.
        xs: Isotonic: the fitted log-odds points, increasing.
        ys: Isotonic: the probability at each point, non-decreasing.
        slope: Platt: ``a`` in ``1 / (1 + exp(-(a·s + b)))``.
        intercept: Platt: ``b``.
    """

    method: Method
    xs: tuple[float, ...] = ()
    ys: tuple[float, ...] = ()
    slope: float = 0.0
    intercept: float = 0.0

    def apply(self, log_odds: float) -> float:
        """The calibrated probability for ``log_odds``."""
        if self.method == "isotonic":
            return min(1.0, max(0.0, interpolate(log_odds, self.xs, self.ys)))
        return logistic(self.slope * log_odds + self.intercept)


def check_arguments(
    features: object, bins: object, smoothing: object, calibrate: object, folds: object
) -> tuple[str, ...]:
    if isinstance(features, str) or not isinstance(features, Sequence):
        raise FieldTypeError("features", "expected a list of field paths")
    paths = tuple(features)
    if not paths or len(paths) > MAX_FEATURES:
        raise FieldValueError("features", f"expected 1 to {MAX_FEATURES} field paths")
    if len(set(paths)) != len(paths):
        raise FieldValueError("features", "a feature is listed twice")
    if type(bins) is not int or not 1 <= bins <= MAX_BINS:
        raise FieldValueError("bins", f"expected an int from 1 to {MAX_BINS}, got {bins!r}")
    if (
        isinstance(smoothing, bool)
        or not isinstance(smoothing, (int, float, Decimal))
        or (isinstance(smoothing, Decimal) and smoothing.is_snan())
        or not 0 < float(smoothing) < math.inf
    ):
        raise FieldValueError("smoothing", f"expected a finite number > 0, got {smoothing!r}")
    if calibrate is not None and calibrate not in METHODS:
        raise FieldValueError(
            "calibrate", f"expected 'isotonic', 'platt' or None, got {calibrate!r}"
        )
    if type(folds) is not int or not 2 <= folds <= 20:  # fold bounds
        raise FieldValueError("folds", f"expected an int from 2 to 20, got {folds!r}")
    return paths


def build_table(
    feature: str,
    raws: Sequence[Raw],
    labels: Sequence[bool],
    bins: int,
    kind: Kind | None = None,
) -> FeatureTable:
    """The frequency table of one feature (``kind``: as learnt from all the data, if known).

    Raises:
        FieldTypeError: the readings mix categories and numbers.
        FieldValueError: Money amounts in several currencies.
    """
    kinds = {kind_of(raw) for raw in raws} - {None}
    if len(kinds) > 1:
        raise FieldTypeError(feature, "mixes categories (str, bool, enum) and numbers")
    if kind is None:
        kind = "number" if kinds == {"number"} else "category"
    edges: tuple[Decimal, ...] = ()
    currency: str | None = None
    if kind == "number":
        currencies = {raw[2] for raw in raws if raw is not None and len(raw) == 3}
        if len(currencies) > 1:
            names = ", ".join(sorted(str(c) for c in currencies))
            raise FieldValueError(feature, f"expected amounts in one currency, got {names}")
        currency = next(iter(currencies), None)
        numbers = [raw[1] for raw in raws if raw is not None]
        edges = quantile_edges(numbers, bins)  # type: ignore[arg-type]  # numbers are Decimals
    table = FeatureTable(feature=feature, kind=kind, counts=(), edges=edges, currency=currency)
    counts: dict[Category, list[int]] = {}
    for raw, won in zip(raws, labels, strict=True):
        cell = counts.setdefault(table.category(raw), [0, 0])
        cell[0 if won else 1] += 1
    ordered = tuple(
        (v, w, lo) for v, (w, lo) in sorted(counts.items(), key=lambda i: _category_key(i[0]))
    )
    return attrs.evolve(table, counts=ordered)
