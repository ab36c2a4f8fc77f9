"""The results of the metric functions: frozen tables of rows that render, plot and convert.

Every metric returns a :class:`Table` of one kind (:class:`Funnel`, :class:`TimeInStage`,
:class:`WeightedPipeline`, ...). A table is a value: its ``columns`` (the row keys in display
order, ``"group"`` first for a ``by=`` breakdown), its ``rows`` and ``skipped`` (contacts left
out because their history contradicts their stage, with ``skip_invalid=True``). It reads as
a list of plain dicts (``to_rows()``, iteration, ``len``, indexing), prints as an aligned text
table, shows as an escaped HTML table in a notebook, draws itself with matplotlib (the
``plot`` extra) and becomes a pandas or polars frame. Nothing here imports matplotlib,
pandas or polars until ``plot()`` or ``to_native()`` is called.

>>> from decimal import Decimal
>>> from pipelinekit.metrics.results import Funnel
>>> funnel = Funnel(
...     columns=("stage", "reached", "step_conversion", "cumulative_conversion"),
...     rows=[
...         {"stage": "lead", "reached": 4, "step_conversion": None,
...          "cumulative_conversion": Decimal(1)},
...         {"stage": "prospect", "reached": 3, "step_conversion": Decimal("0.75"),
...          "cumulative_conversion": Decimal("0.75")},
...         {"stage": "customer", "reached": 1, "step_conversion": Decimal(1) / 3,
...          "cumulative_conversion": Decimal("0.25")},
...     ],
... )
>>> print(funnel)
Funnel
stage     reached  step_conversion  cumulative_conversion
--------  -------  ---------------  ---------------------
lead            4                —                   100%
prospect        3              75%                    75%
customer        1            33.3%                    25%
>>> funnel[1]["reached"], len(funnel), [row["stage"] for row in funnel]
(3, 3, ['lead', 'prospect', 'customer'])

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any, ClassVar, Literal, Self, overload

import attrs

from pipelinekit._checks import describe, type_name
from pipelinekit._pretty import PrettyPrinter, pretty_lines
from pipelinekit.errors import FieldTypeError, FieldValueError
from pipelinekit.metrics import _native, _plot, _render
from pipelinekit.values import Money

__all__ = [
    "Cohorts",
    "Comparison",
    "Funnel",
    "LostReasons",
    "Stale",
    "Table",
    "TimeInStage",
    "Velocity",
    "WeightedPipeline",
]

#: A Kaplan-Meier curve: (time, survival) steps, starting at (0, 1.0).
Curve = tuple[tuple[timedelta, float], ...]


class _Frozen(Mapping[Any, Any]):
    """A read-only mapping that keeps its keys' order, hashes, pickles and reprs as a dict."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[Any, Any]) -> None:
        self._data = dict(data)

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(tuple(self._data.items()))

    def __eq__(self, other: object) -> bool:
        return dict(self._data) == other if isinstance(other, Mapping) else NotImplemented

    def __repr__(self) -> str:
        return repr(self._data)

    def __reduce__(self) -> tuple[type[_Frozen], tuple[dict[Any, Any]]]:
        return (type(self), (self._data,))


def _to_columns(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise FieldTypeError(
            "columns", f"expected a sequence of column names, got {describe(value)}"
        )
    columns = tuple(value)
    for column in columns:
        if not isinstance(column, str) or not column:
            raise FieldTypeError("columns", f"expected non-empty str names, got {describe(column)}")
    if len(set(columns)) != len(columns):
        doubled = sorted({c for c in columns if columns.count(c) > 1})
        raise FieldValueError("columns", f"names must be unique; repeated: {', '.join(doubled)}")
    return columns


def _to_rows(value: object) -> tuple[Mapping[str, object], ...]:
    if isinstance(value, str | Mapping) or not isinstance(value, Iterable):
        raise FieldTypeError("rows", f"expected a sequence of mappings, got {describe(value)}")
    rows = tuple(value)
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise FieldTypeError("rows", f"row {index} is a {type_name(row)}, expected a mapping")
    return rows


def _check_skipped(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int:
        raise FieldTypeError("skipped", f"expected an int, got {describe(value)}")
    if value < 0:
        raise FieldValueError("skipped", f"must be >= 0, got {value}")


@attrs.frozen(kw_only=True)
class Table:
    """The rows a metric computed, with their column order and the contacts it skipped.

    Build one with ``columns``, ``rows`` and ``skipped``; every row must have exactly the
    ``columns`` as keys (``FieldValueError`` names the row otherwise), and in a table with
    a ``currency`` column every Money cell must be in its row's currency.

    Reading it: ``to_rows()`` (fresh dicts, keys in column order), iteration, ``len`` and
    ``table[i]`` (a dict; a slice gives a table of the same kind). Showing it: ``str``
    (an aligned text table), ``_repr_html_`` (a notebook table), :meth:`plot`,
    :meth:`to_native`. How cells read: ``None`` as ``—``; Decimal and float values in a
    rate column (named ``rate``, ``*_rate``, ``*conversion``, ``*probability``,
    ``*_share``) as percentages with at most one place; other Decimals grouped with at most
    two places; Money by its own ``str`` (``1,200.00 EUR``); timedeltas in their two
    largest units (``12d 3h``); text with control characters escaped, cut to
    60 characters in the text table (never in the HTML table or the rows). Text and HTML
    show the first 100 rows and count the others; the rows themselves are all kept.

    >>> table = Table(columns=("stage", "count"), rows=[{"count": 2, "stage": "lead"}])
    >>> table.to_rows(), table.skipped
    ([{'stage': 'lead', 'count': 2}], 0)
    >>> Table(columns=("stage",), rows=[{"stage": "lead", "count": 2}])
    Traceback (most recent call last):
    ...
    pipelinekit.errors.FieldValueError: rows: row 0 has 'count', which is not a column

    Attributes:
        columns: The row keys, in display order.
        rows: The rows, as read-only mappings in column order.
        skipped: Contacts the metric left out because their history contradicts
            their stage (only with ``skip_invalid=True``; else the metric raises).

    .. versionadded:: 0.2.0
    """

    title: ClassVar[str] = "Table"
    """What the table shows, as its caption says."""
    _bar_values: ClassVar[tuple[str, ...]] = ()
    _bar_labels: ClassVar[tuple[str, ...]] = ()
    _bar_axis: ClassVar[str] = ""

    columns: tuple[str, ...] = attrs.field(converter=_to_columns)
    rows: tuple[Mapping[str, object], ...] = attrs.field(converter=_to_rows)
    skipped: int = attrs.field(default=0, validator=_check_skipped)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # IPython takes the first class in the MRO with its own __repr__ (each attrs
        # subclass has one) unless that class has its own _repr_pretty_ too.
        cls._repr_pretty_ = Table._repr_pretty_  # type: ignore[method-assign]

    def __attrs_post_init__(self) -> None:
        columns = self.columns
        ordered = []
        for index, row in enumerate(self.rows):
            try:
                frozen = _Frozen({column: row[column] for column in columns})
            except KeyError:
                missing = next(c for c in columns if c not in row)
                raise FieldValueError("rows", f"row {index} has no {missing!r}") from None
            if len(row) != len(columns):
                extra = next(key for key in row if key not in frozen)
                raise FieldValueError(
                    "rows", f"row {index} has {describe(extra)}, which is not a column"
                )
            if "currency" in frozen:
                self._check_currency(index, frozen)
            ordered.append(frozen)
        object.__setattr__(self, "rows", tuple(ordered))

    def _check_currency(self, index: int, row: Mapping[str, object]) -> None:
        for column in self.columns:
            money = row[column]
            if isinstance(money, Money) and money.currency != row["currency"]:
                raise FieldValueError(
                    "rows",
                    f"row {index}: {column} is in {money.currency}, but the row's currency"
                    f" is {describe(row['currency'])}",
                )

    # -- reading --------------------------------------------------------------------------

    def to_rows(self) -> list[dict[str, object]]:
        """The rows as fresh dicts, keys in column order (changing one changes nothing here)."""
        return [dict(row) for row in self.rows]

    def __iter__(self) -> Iterator[dict[str, object]]:
        return (dict(row) for row in self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, object]: ...
    @overload
    def __getitem__(self, index: slice) -> Self: ...
    def __getitem__(self, index: int | slice) -> dict[str, object] | Self:
        """Row ``index`` as a fresh dict; a slice gives a table of the same kind."""
        if isinstance(index, slice):
            return attrs.evolve(self, rows=self.rows[index])
        if type(index) is not int:
            raise FieldTypeError(
                "index",
                f"expected a row position (int) or a slice, got {describe(index)};"
                " a row is a dict: table[0]['stage']",
            )
        if not -len(self.rows) <= index < len(self.rows):
            raise IndexError(
                f"row {index} is out of range: the {self.title} has {len(self.rows)} rows"
            )
        return dict(self.rows[index])

    # -- showing --------------------------------------------------------------------------

    @property
    def caption(self) -> str:
        """The title, with the skipped contacts when there were any: ``Funnel (2 skipped)``."""
        if self.skipped:
            noun = "contact" if self.skipped == 1 else "contacts"
            return f"{self.title} ({self.skipped:,} {noun} skipped: history contradicts stage)"
        return self.title

    def __str__(self) -> str:
        return _render.text_table(self.caption, self.columns, self.rows)

    def _repr_html_(self) -> str:
        return _render.html_table(self.caption, self.columns, self.rows)

    def _repr_pretty_(self, p: PrettyPrinter, cycle: bool) -> None:  # noqa: FBT001  # IPython's
        # The text table, rows whole: its cells are cut already, and cutting a row hides columns.
        pretty_lines(p, cycle, type(self).__name__, str(self).splitlines(), width=None)

    def plot(self, ax: Any = None) -> Any:
        """Draw the table with matplotlib (the ``plot`` extra) and return the Axes.

        Bars by default: one bar per row for the kind's value columns (see each kind's
        docstring), labelled by its other columns; with a ``group`` column, one bar per
        group side by side. A table of another shape draws its first family of
        quantities (counts, rates, money or durations) in column order.

        Args:
            ax: The matplotlib Axes to draw into; ``None`` draws into a new figure.

        Raises:
            MissingDependency: matplotlib is not installed
                (``pip install 'pipelinekit[plot]'``).
        """
        axes = _plot.axes(ax, f"{type(self).__name__}.plot()")
        _plot.bars(
            axes,
            self.caption,
            self.columns,
            self.rows,
            values=self._bar_values,
            labels=self._bar_labels,
            axis=self._bar_axis,
        )
        return axes

    def to_native(self, backend: Literal["pandas", "polars"]) -> Any:
        """The table as a pandas or polars DataFrame, one column per table column.

        Types: ints as Int64 (nullable in pandas), text as strings, timedeltas as
        durations (microseconds), datetimes as datetimes, Decimals exact (polars
        ``Decimal``; pandas has no exact decimal type without pyarrow, so an ``object``
        column of Decimals: ``.astype(float)`` when floats will do). A Money column
        ``x`` becomes two columns, ``x`` (the Decimal amounts) and ``x_currency``; in a
        table with a ``currency`` column (weighted pipeline, velocity), whose Money
        cells are in that currency, it is the amounts alone. A column whose values mix
        types becomes text. ``None`` is null.

        Args:
            backend: ``"pandas"`` or ``"polars"``; the library itself must be installed.

        Raises:
            FieldValueError: ``backend`` is neither.
            MissingDependency: the backend is not installed.
        """
        return _native.frame(
            backend, self.columns, self.rows, feature=f"{type(self).__name__}.to_native()"
        )


@attrs.frozen(kw_only=True)
class Funnel(Table):
    """Contacts that reached each forward stage, and the conversions between them.

    Rows ``{"stage", "reached", "step_conversion", "cumulative_conversion"}``
    (``"group"`` first with ``by=``). ``plot()`` draws a funnel: a centred horizontal bar
    per stage, as wide as ``reached``, the first stage on top; with groups, one bar per
    group and stage, from the left. (A table without those columns gets plain bars.)

    .. versionadded:: 0.2.0
    """

    title: ClassVar[str] = "Funnel"

    _bar_values: ClassVar[tuple[str, ...]] = ("reached",)
    _bar_labels: ClassVar[tuple[str, ...]] = ("stage",)
    _bar_axis: ClassVar[str] = "contacts reached"

    def plot(self, ax: Any = None) -> Any:  # noqa: D102  # documented on the class
        if not {"stage", "reached"} <= set(self.columns):  # not a metric's own: plain bars
            return super().plot(ax)
        axes = _plot.axes(ax, "Funnel.plot()")
        _plot.funnel(axes, self.caption, self.rows)
        return axes


class _Curves(Mapping[tuple[object, str], Curve]):
    """The survival curves of a :class:`TimeInStage`, each checked when it is read.

    Curves given as a plain dict are copied and checked at once; any other mapping (the
    metric's own, which computes a curve only when it is read) is kept as given, its keys
    checked at once and each curve when read, so a table of a million stays builds none.
    """

    __slots__ = ("_source",)

    def __init__(self, source: Mapping[object, object]) -> None:
        for key in source:
            if not (isinstance(key, tuple) and len(key) == 2 and isinstance(key[1], str)):
                raise FieldTypeError(
                    "survival", f"keys are (group or None, stage), got {describe(key)}"
                )
        if type(source) is dict:
            source = {key: _to_curve(key, steps) for key, steps in source.items()}
        self._source: Mapping[Any, object] = source

    def __getitem__(self, key: tuple[object, str]) -> Curve:
        return _to_curve(key, self._source[key])

    def __iter__(self) -> Iterator[tuple[object, str]]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)

    def __hash__(self) -> int:  # equal mappings have equal keys; no curve is computed
        return hash(frozenset(self._source))

    def __repr__(self) -> str:
        return repr(self._source)

    def __reduce__(self) -> tuple[type[_Curves], tuple[Mapping[Any, object]]]:
        return (type(self), (self._source,))


def _to_curves(value: object) -> _Curves:
    if isinstance(value, _Curves):
        return value
    if not isinstance(value, Mapping):
        raise FieldTypeError("survival", f"expected a mapping, got {describe(value)}")
    return _Curves(value)


def _to_curve(key: tuple[object, str], steps: object) -> Curve:
    where = f"curve {describe(key)}"
    if isinstance(steps, str) or not isinstance(steps, Iterable):
        raise FieldTypeError("survival", f"{where}: expected (time, survival) steps")
    curve: list[tuple[timedelta, float]] = []
    for step in steps:
        if not (isinstance(step, tuple) and len(step) == 2 and isinstance(step[0], timedelta)):
            raise FieldTypeError(
                "survival", f"{where}: a step is (timedelta, survival), got {describe(step)}"
            )
        time, level = step
        if isinstance(level, bool) or not isinstance(level, int | float | Decimal):
            raise FieldTypeError("survival", f"{where}: survival {describe(level)} is not a number")
        survival = float(level)
        if not 0.0 <= survival <= 1.0:
            raise FieldValueError("survival", f"{where}: survival {survival} is not in [0, 1]")
        if curve and (time < curve[-1][0] or survival > curve[-1][1]):
            raise FieldValueError(
                "survival", f"{where}: steps must go forward in time and down in survival"
            )
        if not curve and (time != timedelta(0) or survival != 1.0):
            raise FieldValueError("survival", f"{where}: the first step must be (0, 1.0)")
        curve.append((time, survival))
    return tuple(curve)


@attrs.frozen(kw_only=True)
class TimeInStage(Table):
    """How long contacts stay in each stage, open stays censored.

    Rows ``{"stage", "entered", "exited", "median", "p90", "median_km"}``. ``survival``
    holds the Kaplan-Meier curve behind ``median_km`` for each ``(group or None, stage)``:
    ``(time, share still in the stage)`` steps starting at ``(0, 1.0)``. ``plot()`` draws
    those curves as steps, time in days, one per stage (and group), with the 0.5 line
    where the medians are read.

    Attributes:
        survival: The Kaplan-Meier steps per ``(group, stage)``.

    .. versionadded:: 0.2.0
    """

    title: ClassVar[str] = "Time in stage"

    survival: Mapping[tuple[object, str], Curve] = attrs.field(factory=dict, converter=_to_curves)

    def plot(self, ax: Any = None) -> Any:  # noqa: D102  # documented on the class
        axes = _plot.axes(ax, "TimeInStage.plot()")
        _plot.curves(axes, self.caption, self.survival)
        return axes


@attrs.frozen(kw_only=True)
class WeightedPipeline(Table):
    """Open pipeline per currency and forecast category: amounts and probability-weighted.

    Rows ``{"currency", "forecast", "count", "amount", "weighted"}``. ``plot()`` draws the
    amount and the weighted amount of each row side by side (amounts of several
    currencies share an axis but are never added).

    .. versionadded:: 0.2.0
    """

    title: ClassVar[str] = "Weighted pipeline"
    _bar_values: ClassVar[tuple[str, ...]] = ("amount", "weighted")
    _bar_labels: ClassVar[tuple[str, ...]] = ("forecast", "currency")
    _bar_axis: ClassVar[str] = "amount"


@attrs.frozen(kw_only=True)
class Stale(Table):
    """Open contacts older in their stage than the stage's limit, oldest first.

    Rows ``{"id", "stage", "age", "limit"}``. ``plot()`` draws each contact's age beside
    its limit, in days.

    .. versionadded:: 0.2.0
    """

    title: ClassVar[str] = "Stale contacts"
    _bar_values: ClassVar[tuple[str, ...]] = ("age", "limit")
    _bar_labels: ClassVar[tuple[str, ...]] = ("id",)
    _bar_axis: ClassVar[str] = "days"


@attrs.frozen(kw_only=True)
class LostReasons(Table):
    """Why contacts were lost or disqualified, per stage they left.

    Rows ``{"stage", "reason", "count"}``. ``plot()`` draws the count of each
    (stage, reason).

    .. versionadded:: 0.2.0
    """

    title: ClassVar[str] = "Lost reasons"
    _bar_values: ClassVar[tuple[str, ...]] = ("count",)
    _bar_labels: ClassVar[tuple[str, ...]] = ("stage", "reason")
    _bar_axis: ClassVar[str] = "contacts"


@attrs.frozen(kw_only=True)
class Velocity(Table):
    """Sales velocity per currency: how much pipeline value turns into revenue per day.

    Rows ``{"currency", "opportunities", "average_deal", "win_rate", "cycle_days",
    "per_day"}``. ``plot()`` draws ``per_day`` per currency.

    .. versionadded:: 0.2.0
    """

    title: ClassVar[str] = "Sales velocity"
    _bar_values: ClassVar[tuple[str, ...]] = ("per_day",)
    _bar_labels: ClassVar[tuple[str, ...]] = ("currency",)
    _bar_axis: ClassVar[str] = "revenue per day"


@attrs.frozen(kw_only=True)
class Cohorts(Table):
    """Contacts by creation period: how many converted within the window, how many are open.

    Rows ``{"cohort", "size", "converted", "rate", "open"}``. ``plot()`` draws each
    cohort's size, converted and still-open counts side by side.

    .. versionadded:: 0.2.0
    """

    title: ClassVar[str] = "Cohorts"
    _bar_values: ClassVar[tuple[str, ...]] = ("size", "converted", "open")
    _bar_labels: ClassVar[tuple[str, ...]] = ("cohort",)
    _bar_axis: ClassVar[str] = "contacts"


@attrs.frozen(kw_only=True)
class Comparison(Table):
    """Two qualification policies applied to one population (what-if analysis).

    ``plot()`` draws the table's counts per row (its first family of quantities, in
    column order), labelled by its text columns.

    .. versionadded:: 0.2.0
    """

    title: ClassVar[str] = "Policy comparison"
