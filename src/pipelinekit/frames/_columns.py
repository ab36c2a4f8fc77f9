"""Where a field path lives in a table, and what its column's dtype can be compared with.

A dotted path reads, in this order: the column ``columns`` maps it to (``None`` there means
"absent on purpose": every row is missing); the column literally named like the path
(``"account.employees"``, as ``pandas.json_normalize`` writes it); a struct field (the longest
column name that is a prefix of the path, then its fields). A path found nowhere is a
:class:`~pipelinekit.QualifierError` that names it and lists close column names: a typo must not
read as "unknown for every row".

Comparability is decided once per column, from its dtype, as :func:`~pipelinekit.qualifiers.
leaves.kind_of` decides it per value: integers and floats (and decimals) are numbers, booleans
are never numbers, strings are text, dates are dates, timezone-aware datetimes are datetimes and
naive ones are comparable with nothing a criterion can hold.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Final, Literal

import attrs
import narwhals.stable.v2 as nw

from pipelinekit.errors import QualifierError

__all__ = ["Column", "Kind", "Resolver", "kind_of_dtype"]

#: What a column's values are, for comparisons.
Kind = Literal[
    "int",
    "float",
    "decimal",
    "str",
    "bool",
    "date",
    "datetime",
    "naive",
    "list",
    "struct",
    "money",
    "null",
    "other",
]

#: The kinds whose values are numbers.
NUMBERS: Final = frozenset({"int", "float", "decimal"})


def kind_of_dtype(dtype: object) -> Kind:  # noqa: PLR0911  # one return per kind
    """The :data:`Kind` of a narwhals dtype."""
    if not isinstance(dtype, nw.dtypes.DType):
        return "other"
    if dtype.is_integer():
        return "int"
    if dtype.is_float():
        return "float"
    if dtype.is_decimal():
        return "decimal"
    if isinstance(dtype, nw.String | nw.Categorical | nw.Enum):
        return "str"
    if isinstance(dtype, nw.Boolean):
        return "bool"
    if isinstance(dtype, nw.Datetime):
        return "datetime" if dtype.time_zone else "naive"
    if isinstance(dtype, nw.Date):
        return "date"
    if isinstance(dtype, nw.List | nw.Array):
        return "list"
    if isinstance(dtype, nw.Struct):
        return "struct"
    if isinstance(dtype, nw.Unknown):
        return "null"
    return "other"


def quoted(name: str) -> str:
    """``name`` as Spark SQL reads a column literally (backticks, doubled inside)."""
    if "." not in name and "`" not in name:
        return name
    return "`" + name.replace("`", "``") + "`"


@attrs.frozen
class Column:
    """A path's column: the expression reading it and its dtype (``None`` when absent)."""

    path: str
    name: str
    expr: nw.Expr | None
    dtype: object
    #: For a money path: the amount and currency columns (a Money value needs both).
    money: tuple[Column, Column | None] | None = None
    #: The frame's column the values are read from (``name``, or the struct holding them).
    head: str = ""

    @property
    def source(self) -> str:
        """The frame's column the values are read from."""
        return self.head or self.name

    @property
    def kind(self) -> Kind:
        """The :data:`Kind` of the column's values ("null" when absent on purpose)."""
        if self.money is not None:
            return "money"
        return "null" if self.expr is None else kind_of_dtype(self.dtype)

    def present(self) -> nw.Expr:
        """A never-null boolean: the row has a value here (not null, not NaN)."""
        if self.money is not None:
            amount, currency = self.money
            present = amount.present()
            return present if currency is None else present & currency.present()
        if self.expr is None:
            return nw.lit(value=False)
        present = ~self.expr.is_null()
        if self.kind == "float":
            present = present & ~self.expr.is_nan().fill_null(value=True)
        return present


@attrs.define
class Resolver:
    """Resolves paths against one frame's schema and the caller's ``columns`` mapping."""

    schema: Mapping[str, object]
    columns: Mapping[str, str | None]
    #: Whether column names are quoted with backticks (Spark parses ``a.b`` as a field).
    backticks: bool = False
    #: For the items of a list (``any_item``): the column holding one item per row, whose
    #: fields the paths name, and how the paths are shown in errors (``"people[]."``).
    item: str | None = None
    shown: str = ""

    def col(self, name: str) -> nw.Expr:
        """The expression reading the column ``name`` (never a struct field)."""
        return nw.col(quoted(name) if self.backticks else name)

    def find(self, path: str) -> Column | None:
        """The column of ``path``, or ``None`` when the table has none."""
        if self.item is not None:
            found = self._find(f"{self.item}.{path}")
            return None if found is None else attrs.evolve(found, path=path)
        return self._find(path)

    def _find(self, path: str) -> Column | None:
        if path in self.columns:
            name = self.columns[path]
            if name is None:
                return Column(path=path, name=path, expr=None, dtype=None)
            if name not in self.schema:
                raise QualifierError(
                    f"columns maps {path!r} to {name!r}, which is not a column{self._close(name)}"
                )
            return Column(path=path, name=name, expr=self.col(name), dtype=self.schema[name])
        if path in self.schema:
            return Column(path=path, name=path, expr=self.col(path), dtype=self.schema[path])
        segments = path.split(".")
        for cut in range(len(segments) - 1, 0, -1):
            head = ".".join(segments[:cut])
            if head not in self.schema:
                continue
            expr = self.col(head)
            dtype = self.schema[head]
            for segment in segments[cut:]:
                if isinstance(dtype, nw.Unknown):
                    # A column of nulls only (polars' Null, pyarrow's null: what an all-None
                    # column becomes): every field under it is missing in every row.
                    return Column(path=path, name=head, expr=None, dtype=None)
                if not isinstance(dtype, nw.Struct):
                    break
                fields = {f.name: f.dtype for f in dtype.fields}
                if segment not in fields:
                    break
                expr = expr.struct.field(segment)
                dtype = fields[segment]
            else:
                return Column(path=path, name=path, expr=expr, dtype=dtype, head=head)
        return None

    def money(self, path: str) -> tuple[Column, Column | None] | None:
        """The amount and currency columns of a money path (``"<path>.amount"``), if any."""
        amount = self.find(f"{path}.amount")
        if amount is None:
            return None
        return amount, self.find(f"{path}.currency")

    def column(self, path: str) -> Column:
        """The column of ``path``; a :class:`~pipelinekit.QualifierError` when there is none.

        A money path (one with ``"<path>.amount"``) is a column of kind "money": its rows
        have a value where the amount (and the currency, when there is a column) has one.
        """
        found = self.find(path)
        if found is None or found.kind == "struct":
            money = self.money(path)
            if money is not None:
                return Column(
                    path=path, name=money[0].name, expr=money[0].expr, dtype=None, money=money
                )
        if found is None and self.item is not None:
            fields = self._item_fields()
            listed = f" (fields: {', '.join(fields)})" if fields else " (the items are not records)"
            raise QualifierError(f"no field {self.shown + path!r} in the items{listed}")
        if found is None:
            raise QualifierError(
                f"no column for path {path!r}{self._close(path)}; map it with"
                f" columns={{{path!r}: 'name'}}, or columns={{{path!r}: None}} if the table"
                " has no such data (then it is missing in every row)"
            )
        return found

    def _item_fields(self) -> list[str]:
        dtype = self.schema.get(self.item or "")
        return [f.name for f in dtype.fields] if isinstance(dtype, nw.Struct) else []

    def _close(self, name: str) -> str:
        close = difflib.get_close_matches(name, list(self.schema), n=3, cutoff=0.6)
        return f" (close: {', '.join(map(repr, close))})" if close else ""
