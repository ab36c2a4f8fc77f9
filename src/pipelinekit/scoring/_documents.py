"""The JSON document of a fitted :class:`~pipelinekit.scoring.NaiveBayes`: its frequency tables.

>>> import pipelinekit as pk
>>> from pipelinekit.scoring import NaiveBayes
>>> won = pk.Contact(id="1", name="A", stage="customer", source="web")
>>> lost = pk.Contact(id="2", name="B", stage="lost", source="fair")
>>> model = NaiveBayes.fit([won, lost], features=["source"], calibrate=None)
>>> doc = pk.to_dict(model)
>>> doc["tables"]
[{'feature': 'source', 'type': 'category', 'counts': [{'value': 'fair', 'won': 0, 'lost': 1},
  {'value': 'web', 'won': 1, 'lost': 0}]}]
>>> pk.from_dict(doc, NaiveBayes) == model
True
>>> doc["tables"][0]["counts"][1]["won"] = -1
>>> pk.from_dict(doc, NaiveBayes)
Traceback (most recent call last):
...
pipelinekit.errors.SchemaError: $.tables[0].counts[1].won: expected a count (an int >= 0), ...

Reading is bounded (at most :data:`MAX_VALUES` values per table, :data:`MAX_FEATURES`
features) and checks that each table's counts add up to the model's won and lost totals.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Final

from pipelinekit._checks import got, path_key
from pipelinekit.errors import FieldError, PipelineError, SchemaError
from pipelinekit.scoring._features import Category, check_feature
from pipelinekit.scoring.predictive import (
    MAX_BINS,
    MAX_FEATURES,
    Calibration,
    FeatureTable,
    NaiveBayes,
)

if TYPE_CHECKING:
    import cattrs  # only in annotations: serialization passes its converter

__all__ = ["KIND", "MAX_POINTS", "MAX_VALUES", "read_model", "register", "write_model"]

#: The document's tag.
KIND: Final = "naive_bayes"
#: The most values (categories or bins) one table may hold.
MAX_VALUES: Final = 10_000
#: The most points an isotonic calibration may hold.
MAX_POINTS: Final = 100_000
_KEYS: Final = ("kind", "features", "won", "lost", "smoothing", "bins", "tables", "calibration")
_MAX_COUNT: Final = 10**12


def write_model(model: NaiveBayes) -> dict[str, Any]:
    """The document of ``model`` (JSON-ready)."""
    return {
        "kind": KIND,
        "features": list(model.features),
        "won": model.won,
        "lost": model.lost,
        "smoothing": model.smoothing,
        "bins": model.bins,
        "tables": [_write_table(t) for t in model.tables],
        "calibration": _write_calibration(model.calibration),
    }


def _write_table(table: FeatureTable) -> dict[str, Any]:
    key = "bin" if table.kind == "number" else "value"
    doc: dict[str, Any] = {"feature": table.feature, "type": table.kind}
    if table.kind == "number":
        doc["edges"] = [str(e) for e in table.edges]
        doc["currency"] = table.currency
    doc["counts"] = [{key: v, "won": w, "lost": lo} for v, w, lo in table.counts]
    return doc


def _write_calibration(calibration: Calibration | None) -> dict[str, Any] | None:
    if calibration is None:
        return None
    if calibration.method == "isotonic":
        return {"method": "isotonic", "x": list(calibration.xs), "y": list(calibration.ys)}
    return {"method": "platt", "slope": calibration.slope, "intercept": calibration.intercept}


def _object(
    value: object, where: str, keys: tuple[str, ...], required: tuple[str, ...]
) -> dict[str, Any]:
    if type(value) is not dict:
        raise SchemaError(where, f"expected an object, got {got(value)}")
    for key in value:
        if key not in keys:
            raise SchemaError(
                where + path_key(key), f"unknown key; expected one of {', '.join(keys)}"
            )
    for key in required:
        if key not in value:
            raise SchemaError(where, f"missing key {key!r}")
    return value


def _list(value: object, where: str, limit: int) -> list[Any]:
    if type(value) is not list:
        raise SchemaError(where, f"expected a list, got {got(value)}")
    if len(value) > limit:
        raise SchemaError(where, f"expected at most {limit} items, got {len(value)}")
    return value


def _count(value: object, where: str) -> int:
    if type(value) is not int or not 0 <= value <= _MAX_COUNT:
        raise SchemaError(where, f"expected a count (an int >= 0), got {got(value)}")
    return value


def _number(value: object, where: str) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):  # type: ignore[arg-type]
        raise SchemaError(where, f"expected a finite number, got {got(value)}")
    return float(value)  # type: ignore[arg-type]  # checked just above


def read_model(document: object) -> NaiveBayes:
    """Build a model from its document; raise :class:`~pipelinekit.SchemaError` naming the place."""
    doc = _object(document, "$", _KEYS, _KEYS)
    if doc["kind"] != KIND:
        raise SchemaError("$.kind", f"expected {KIND!r}, got {got(doc['kind'])}")
    features = _list(doc["features"], "$.features", MAX_FEATURES)
    for i, feature in enumerate(features):
        try:
            check_feature(feature)
        except PipelineError as error:
            raise SchemaError(f"$.features[{i}]", str(error)) from None
    won = _count(doc["won"], "$.won")
    lost = _count(doc["lost"], "$.lost")
    smoothing = _number(doc["smoothing"], "$.smoothing")
    if smoothing <= 0:
        raise SchemaError("$.smoothing", f"expected a number > 0, got {got(doc['smoothing'])}")
    bins = doc["bins"]
    if type(bins) is not int or not 1 <= bins <= MAX_BINS:
        raise SchemaError("$.bins", f"expected an int from 1 to {MAX_BINS}, got {got(bins)}")
    tables_doc = _list(doc["tables"], "$.tables", MAX_FEATURES)
    if len(tables_doc) != len(features):
        raise SchemaError("$.tables", "expected one table per feature")
    tables = []
    for i, (item, feature) in enumerate(zip(tables_doc, features, strict=True)):
        table = _read_table(item, f"$.tables[{i}]", feature)
        for index, total, name in ((1, won, "won"), (2, lost, "lost")):
            if sum(row[index] for row in table.counts) != total:  # type: ignore[misc]
                raise SchemaError(
                    f"$.tables[{i}].counts",
                    f"the {name} counts do not add up to $.{name} ({total})",
                )
        tables.append(table)
    calibration = _read_calibration(doc["calibration"], "$.calibration")
    try:
        return NaiveBayes(
            features=tuple(features),
            tables=tuple(tables),
            won=won,
            lost=lost,
            smoothing=smoothing,
            bins=bins,
            calibration=calibration,
        )
    except FieldError as error:
        raise SchemaError("$", str(error)) from None


def _read_table(item: object, where: str, feature: str) -> FeatureTable:
    keys = ("feature", "type", "edges", "currency", "counts")
    doc = _object(item, where, keys, ("feature", "type", "counts"))
    if doc["feature"] != feature:
        raise SchemaError(
            f"{where}.feature",
            f"expected {feature!r} (the feature's path), got {got(doc['feature'])}",
        )
    kind = doc["type"]
    if kind not in ("category", "number"):
        raise SchemaError(f"{where}.type", f"expected 'category' or 'number', got {got(kind)}")
    edges: tuple[Decimal, ...] = ()
    currency = None
    if kind == "number":
        edges = _read_edges(doc.get("edges", []), f"{where}.edges")
        currency = doc.get("currency")
        if currency is not None and (type(currency) is not str or len(currency) != 3):
            raise SchemaError(
                f"{where}.currency", f"expected an ISO 4217 code or null, got {got(currency)}"
            )
    elif "edges" in doc or "currency" in doc:
        raise SchemaError(where, "a category table has no edges or currency")
    key = "bin" if kind == "number" else "value"
    check: Callable[[object, str], Category] = (
        (lambda v, w: _read_bin(v, w, len(edges))) if kind == "number" else _read_category
    )
    seen: set[tuple[type, Category]] = set()
    counts = []
    for j, row in enumerate(_list(doc["counts"], f"{where}.counts", MAX_VALUES)):
        at = f"{where}.counts[{j}]"
        cell = _object(row, at, (key, "won", "lost"), (key, "won", "lost"))
        value = check(cell[key], f"{at}.{key}")
        if (type(value), value) in seen:
            raise SchemaError(f"{at}.{key}", f"the value {got(value)} is listed twice")
        seen.add((type(value), value))
        counts.append((value, _count(cell["won"], f"{at}.won"), _count(cell["lost"], f"{at}.lost")))
    return FeatureTable(
        feature=feature, kind=kind, counts=tuple(counts), edges=edges, currency=currency
    )


def _read_edges(value: object, where: str) -> tuple[Decimal, ...]:
    edges: list[Decimal] = []
    for i, text in enumerate(_list(value, where, MAX_BINS - 1)):
        if type(text) is not str or len(text) > 100:  # bound
            raise SchemaError(f"{where}[{i}]", f"expected a decimal as a string, got {got(text)}")
        try:
            edge = Decimal(text)
        except InvalidOperation:
            raise SchemaError(f"{where}[{i}]", f"expected a decimal, got {got(text)}") from None
        if edge.is_nan() or (edges and edge <= edges[-1]):
            raise SchemaError(f"{where}[{i}]", "edges must be numbers in increasing order")
        edges.append(edge)
    return tuple(edges)


def _read_bin(value: object, where: str, edges: int) -> Category:
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= edges:
        raise SchemaError(where, f"expected a bin from 0 to {edges} or null, got {got(value)}")
    return value


def _read_category(value: object, where: str) -> Category:
    if value is None or type(value) in (str, bool):
        return value  # type: ignore[return-value]  # checked just above
    raise SchemaError(where, f"expected a str, a bool or null, got {got(value)}")


def _read_calibration(value: object, where: str) -> Calibration | None:
    if value is None:
        return None
    if type(value) is dict and value.get("method") == "platt":
        doc = _object(
            value, where, ("method", "slope", "intercept"), ("method", "slope", "intercept")
        )
        return Calibration(
            method="platt",
            slope=_number(doc["slope"], f"{where}.slope"),
            intercept=_number(doc["intercept"], f"{where}.intercept"),
        )
    doc = _object(value, where, ("method", "x", "y"), ("method", "x", "y"))
    if doc["method"] != "isotonic":
        raise SchemaError(
            f"{where}.method", f"expected 'isotonic' or 'platt', got {got(doc['method'])}"
        )
    xs = [
        _number(x, f"{where}.x[{i}]")
        for i, x in enumerate(_list(doc["x"], f"{where}.x", MAX_POINTS))
    ]
    ys = [
        _number(y, f"{where}.y[{i}]")
        for i, y in enumerate(_list(doc["y"], f"{where}.y", MAX_POINTS))
    ]
    if not xs or len(xs) != len(ys):
        raise SchemaError(where, "expected as many x as y points, at least one")
    for i in range(len(xs)):
        if not 0.0 <= ys[i] <= 1.0:
            raise SchemaError(f"{where}.y[{i}]", "expected a probability in [0, 1]")
        if i and (xs[i] < xs[i - 1] or ys[i] < ys[i - 1]):
            raise SchemaError(f"{where}.x[{i}]", "points must be in non-decreasing order")
    return Calibration(method="isotonic", xs=tuple(xs), ys=tuple(ys))


def register(converter: cattrs.Converter) -> None:
    """Register the model's document hooks on ``converter``."""

    def structure(data: object, _: object) -> NaiveBayes:
        if type(data) is dict and "schema_version" in data:
            data = {k: v for k, v in data.items() if k != "schema_version"}
        return read_model(data)

    converter.register_unstructure_hook(NaiveBayes, write_model)
    converter.register_structure_hook(NaiveBayes, structure)
