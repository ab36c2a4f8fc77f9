"""Metric results as pandas or polars frames, the library imported only when asked.

Each table column gets one type from its values (``plan``): the frame column is then built
with that backend's own constructor and an explicit dtype, so an all-``None`` or empty
column, a nullable int or a Decimal does not depend on a backend's guesses.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Context, Decimal
from enum import Enum
from typing import Any, Final

from pipelinekit._checks import describe
from pipelinekit.errors import FieldValueError, MissingDependency
from pipelinekit.metrics._render import COLUMN_KINDS, Kind
from pipelinekit.values import Money, minor_unit

__all__ = ["BACKENDS", "frame", "plan"]

BACKENDS: Final = ("pandas", "polars")


_MAX_DIGITS: Final = 38  # polars Decimal precision
#: Rounding to a column's scale: enough digits for any value that fits the column.
_EXACT: Final = Context(prec=_MAX_DIGITS, rounding=ROUND_HALF_EVEN)


#: The kind of a value by its type, most specific type first (bool is an int, datetime a date).
_KINDS: Final[tuple[tuple[type, Kind], ...]] = (
    (bool, "bool"),
    (int, "int"),
    (float, "float"),
    (Decimal, "decimal"),
    (Money, "money"),
    (timedelta, "duration"),
    (datetime, "datetime"),
    (date, "date"),
)


def _kind(value: object) -> Kind:
    return next((kind for type_, kind in _KINDS if isinstance(value, type_)), "text")


def plan(values: Sequence[object]) -> Kind:
    """The one type of a column: its values' own, ints widened to float or Decimal, else text."""
    kinds = {_kind(v) for v in values if v is not None}
    if not kinds:
        return "null"
    if len(kinds) == 1:
        return kinds.pop()
    if kinds in ({"int", "float"}, {"int", "decimal"}):
        return "float" if "float" in kinds else "decimal"
    return "text"


def _convert(kind: Kind, values: list[object]) -> list[Any]:
    """The values as the column's type: ints widened to Decimal or float, text as str."""
    if kind == "text":
        return [_text(v) for v in values]
    if kind == "decimal":
        return [Decimal(v) if type(v) is int else v for v in values]
    if kind == "float":
        return [float(v) if type(v) is int else v for v in values]
    return values


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


#: A frame column: its name, type, values and (for Decimals) the fewest places to keep.
_Column = tuple[str, Kind, list[Any], int]


def _columns(columns: Sequence[str], rows: Sequence[Mapping[str, object]]) -> list[_Column]:
    """The frame columns; a Money column is split in amounts and currency codes."""
    out: list[_Column] = []
    names = set(columns)
    for column in columns:
        values = [row[column] for row in rows]
        kind = plan(values)
        if kind == "null":
            kind = COLUMN_KINDS.get(column, kind)
        if kind != "money":
            out.append((column, kind, _convert(kind, values), 0))
            continue
        monies = [v if isinstance(v, Money) else None for v in values]
        places = max((minor_unit(m.currency) for m in monies if m is not None), default=0)
        out.append((column, "decimal", [None if m is None else m.amount for m in monies], places))
        if "currency" not in names:
            currency = f"{column}_currency"
            if currency in names:
                raise FieldValueError(
                    "columns",
                    f"{currency!r} is a column, so Money column {column!r} cannot be split",
                )
            out.append((currency, "text", [None if m is None else m.currency for m in monies], 0))
    return out


def _scale(values: Sequence[Decimal | None], least: int) -> tuple[int, list[Decimal | None]] | None:
    """A polars Decimal scale that fits every value in 38 digits, and the values at it.

    The scale is the most places a value has, and at least ``least`` (a currency's minor
    unit), as far as 38 digits allow; the values are rounded half-even to it in a context
    of our own (the caller's decimal context changes nothing). ``None`` when no Decimal
    type can hold the values: one is not finite, or has more than 38 whole digits.
    """
    finite = [v for v in values if v is not None]
    if not all(v.is_finite() for v in finite):
        return None
    whole = max((v.adjusted() + 1 for v in finite if v), default=1)
    if whole > _MAX_DIGITS:
        return None
    places = [least] + [-e for v in finite if isinstance(e := v.as_tuple().exponent, int)]
    scale = max(0, min(max(places), _MAX_DIGITS - max(whole, 1)))
    quantum = Decimal(1).scaleb(-scale)
    return scale, [None if v is None else _EXACT.quantize(v, quantum) for v in values]


def _polars(module: Any, columns: list[_Column]) -> Any:
    types = {
        "int": module.Int64,
        "float": module.Float64,
        "bool": module.Boolean,
        "duration": module.Duration("us"),
        "date": module.Date,
        "text": module.String,
        "null": module.Null,
    }
    series = []
    for name, kind, values, least in columns:
        if kind == "decimal":
            scaled = _scale(values, least)
            if scaled is None:  # NaN, infinities or huge values: floats hold them
                floats = [None if v is None else float(v) for v in values]
                series.append(module.Series(name, floats, dtype=module.Float64))
                continue
            scale, exact = scaled
            series.append(module.Series(name, exact, dtype=module.Decimal(_MAX_DIGITS, scale)))
        elif kind == "datetime":
            series.append(module.Series(name, values))
        else:
            series.append(module.Series(name, values, dtype=types[kind]))
    return module.DataFrame(series)


def _pandas(module: Any, columns: list[_Column]) -> Any:
    types = {
        "int": "Int64",
        "float": "Float64",
        "bool": "boolean",
        "duration": "timedelta64[us]",
        "text": module.StringDtype(),
        "decimal": object,
        "date": object,
        "null": object,
    }
    data = {}
    for name, kind, values, _ in columns:
        if kind == "datetime":
            data[name] = module.Series(values, dtype=None)
        else:
            data[name] = module.Series(values, dtype=types[kind])
    return module.DataFrame(data)


def frame(
    backend: object, columns: Sequence[str], rows: Sequence[Mapping[str, object]], *, feature: str
) -> Any:
    """A new ``backend`` frame of ``rows``; the backend is imported here, and only here."""
    if backend not in BACKENDS:
        raise FieldValueError("backend", f"expected 'pandas' or 'polars', got {describe(backend)}")
    try:
        module = importlib.import_module(str(backend))
    except ImportError:
        raise MissingDependency(str(backend), feature=feature) from None
    planned = _columns(columns, rows)
    return _polars(module, planned) if backend == "polars" else _pandas(module, planned)
