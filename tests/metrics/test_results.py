"""The metric result types: rows, text and HTML tables, plots and native frames."""

from __future__ import annotations

import math
import pickle
import subprocess
import sys
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal, localcontext
from html.parser import HTMLParser
from typing import Any

import attrs
import matplotlib as mpl
import pandas as pd
import polars as pl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import pipelinekit as pk
from pipelinekit.metrics import _render
from pipelinekit.metrics.results import (
    Cohorts,
    Comparison,
    Funnel,
    LostReasons,
    Stale,
    Table,
    TimeInStage,
    Velocity,
    WeightedPipeline,
)

mpl.use("Agg")
import matplotlib.pyplot as plt  # after choosing the headless backend

KINDS = [Table, Funnel, TimeInStage, WeightedPipeline, Stale, LostReasons, Velocity, Cohorts]
KINDS += [Comparison]

EUR = pk.Money
DAY = timedelta(days=1)
FUNNEL_COLUMNS = ("stage", "reached", "step_conversion", "cumulative_conversion")
STAY_COLUMNS = ("stage", "entered", "exited", "median", "p90", "median_km")
WEIGHTED_COLUMNS = ("currency", "forecast", "count", "amount", "weighted")


def funnel() -> Funnel:
    return Funnel(
        columns=FUNNEL_COLUMNS,
        rows=[
            {"stage": "lead", "reached": 4, "step_conversion": None, "cumulative_conversion": 1},
            {
                "stage": "prospect",
                "reached": 3,
                "step_conversion": Decimal("0.75"),
                "cumulative_conversion": Decimal("0.75"),
            },
            {
                "stage": "customer",
                "reached": 1,
                "step_conversion": Decimal(1) / 3,
                "cumulative_conversion": Decimal("0.25"),
            },
        ],
    )


def stays() -> TimeInStage:
    return TimeInStage(
        columns=STAY_COLUMNS,
        rows=[
            {
                "stage": "lead",
                "entered": 3,
                "exited": 2,
                "median": timedelta(days=2, hours=3),
                "p90": timedelta(days=5),
                "median_km": timedelta(days=2),
            },
            {
                "stage": "prospect",
                "entered": 2,
                "exited": 0,
                "median": None,
                "p90": None,
                "median_km": None,
            },
        ],
        survival={
            (None, "lead"): ((timedelta(0), 1.0), (2 * DAY, 2 / 3), (5 * DAY, 1 / 3)),
            (None, "prospect"): ((timedelta(0), 1.0),),
        },
    )


def weighted(skipped: int = 0) -> WeightedPipeline:
    return WeightedPipeline(
        columns=WEIGHTED_COLUMNS,
        rows=[
            {
                "currency": "EUR",
                "forecast": "pipeline",
                "count": 2,
                "amount": pk.Money("25000", "EUR"),
                "weighted": pk.Money("2500.5", "EUR"),
            },
            {
                "currency": "JPY",
                "forecast": "commit",
                "count": 1,
                "amount": pk.Money("900000", "JPY"),
                "weighted": pk.Money("810000", "JPY"),
            },
        ],
        skipped=skipped,
    )


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


class TestConstruction:
    def test_rows_are_kept_in_column_order(self) -> None:
        table = Table(columns=("b", "a"), rows=[{"a": 1, "b": 2}])
        assert list(table.rows[0]) == ["b", "a"]
        assert list(table.to_rows()[0]) == ["b", "a"]

    @pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)
    def test_every_kind_takes_the_same_keywords(self, kind: type[Table]) -> None:
        table = kind(columns=("stage",), rows=({"stage": "lead"},), skipped=2)
        assert (table.columns, table.to_rows(), table.skipped) == (
            ("stage",),
            [{"stage": "lead"}],
            2,
        )
        assert isinstance(table, Table)

    @pytest.mark.parametrize(
        ("columns", "message"),
        [
            ("stage", "expected a sequence of column names"),
            (("stage", 3), "expected non-empty str names, got 3"),
            (("stage", ""), "expected non-empty str names"),
            (None, "expected a sequence of column names, got None"),
        ],
    )
    def test_bad_columns(self, columns: Any, message: str) -> None:
        with pytest.raises(pk.FieldTypeError, match=f"^columns: {message}"):
            Table(columns=columns, rows=())

    def test_repeated_columns(self) -> None:
        with pytest.raises(
            pk.FieldValueError, match=r"^columns: names must be unique; repeated: a$"
        ):
            Table(columns=("a", "b", "a"), rows=())

    @pytest.mark.parametrize(
        ("rows", "error", "message"),
        [
            ([{"a": 1}, {}], pk.FieldValueError, "row 1 has no 'a'"),
            ([{"a": 1, "b": 2}], pk.FieldValueError, "row 0 has 'b', which is not a column"),
            ([{"a": 1}, ["a"]], pk.FieldTypeError, "row 1 is a list, expected a mapping"),
            ({"a": 1}, pk.FieldTypeError, "expected a sequence of mappings"),
            (3, pk.FieldTypeError, "expected a sequence of mappings, got 3"),
        ],
    )
    def test_bad_rows(self, rows: Any, error: type[Exception], message: str) -> None:
        with pytest.raises(error, match=f"^rows: {message}"):
            Table(columns=("a",), rows=rows)

    @pytest.mark.parametrize(
        ("skipped", "error", "message"),
        [
            (-1, pk.FieldValueError, "must be >= 0, got -1"),
            (True, pk.FieldTypeError, "expected an int, got True"),
            ("2", pk.FieldTypeError, "expected an int, got '2'"),
        ],
    )
    def test_bad_skipped(self, skipped: Any, error: type[Exception], message: str) -> None:
        with pytest.raises(error, match=f"^skipped: {message}$"):
            Table(columns=("a",), rows=(), skipped=skipped)

    def test_money_in_another_currency_than_its_row(self) -> None:
        """A Money cell must be in its row's currency: to_native() relies on it."""
        row = {"currency": "EUR", "amount": pk.Money("1", "USD")}
        with pytest.raises(
            pk.FieldValueError, match=r"^rows: row 0: amount is in USD, but the row"
        ):
            Table(columns=("currency", "amount"), rows=[row])

    def test_frozen(self) -> None:
        table = funnel()
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            table.skipped = 3  # type: ignore[misc]  # the point of the test
        with pytest.raises(TypeError):
            table.rows[0]["reached"] = 9  # type: ignore[index]  # read-only rows

    def test_a_changed_source_row_changes_nothing(self) -> None:
        row: dict[str, object] = {"a": 1}
        table = Table(columns=("a",), rows=[row])
        row["a"] = 2
        assert table[0] == {"a": 1}

    @pytest.mark.parametrize("make", [funnel, stays, weighted], ids=lambda m: m.__name__)
    def test_equal_hashable_pickles_and_repr_rebuilds(self, make: Any) -> None:
        table = make()
        assert table == make()
        assert hash(table) == hash(make())
        assert pickle.loads(pickle.dumps(table)) == table
        namespace = {
            "Decimal": Decimal,
            "Money": pk.Money,
            "datetime": datetime,
            type(table).__name__: type(table),
        }
        rebuilt = eval(  # noqa: S307  # our own repr, our own names
            repr(table).replace("datetime.timedelta", "timedelta"),
            namespace | {"timedelta": timedelta},
        )
        assert rebuilt == table

    def test_kinds_differ(self) -> None:
        assert Funnel(columns=("a",), rows=()) != Table(columns=("a",), rows=())


class TestSurvival:
    def test_kept_as_given(self) -> None:
        curve = stays().survival[(None, "lead")]
        assert curve == ((timedelta(0), 1.0), (2 * DAY, 2 / 3), (5 * DAY, 1 / 3))
        assert all(type(level) is float for _, level in curve)

    def test_numbers_become_floats(self) -> None:
        table = TimeInStage(
            columns=("stage",),
            rows=(),
            survival={(None, "a"): ((timedelta(0), 1), (DAY, Decimal("0.5")))},
        )
        assert table.survival[(None, "a")] == ((timedelta(0), 1.0), (DAY, 0.5))

    def test_a_lazy_mapping_is_read_only_when_needed(self) -> None:
        """The metric's own curves are computed on reading: building the table reads none."""
        source = _Lazy({(None, "lead"): ((timedelta(0), 1.0), (DAY, 0.5))})
        table = TimeInStage(columns=("stage",), rows=(), survival=source)
        assert source.reads == 0
        assert hash(table) == hash(table)
        assert source.reads == 0
        table.plot()
        assert source.reads == 1
        assert table.survival[(None, "lead")] == ((timedelta(0), 1.0), (DAY, 0.5))
        assert table.survival == {(None, "lead"): ((timedelta(0), 1.0), (DAY, 0.5))}

    def test_a_lazy_curve_is_checked_when_read(self) -> None:
        source = _Lazy({(None, "lead"): ((timedelta(0), 1.0), (DAY, 1.5))})
        table = TimeInStage(columns=("stage",), rows=(), survival=source)
        with pytest.raises(pk.FieldValueError, match=r"^survival: curve \(None, 'lead'\): "):
            table.survival[(None, "lead")]

    def test_a_lazy_mapping_with_bad_keys(self) -> None:
        with pytest.raises(pk.FieldTypeError, match=r"^survival: keys are"):
            TimeInStage(columns=("stage",), rows=(), survival=_Lazy({"lead": ()}))

    def test_a_given_dict_is_copied(self) -> None:
        source: dict[tuple[object, str], Any] = {(None, "a"): ((timedelta(0), 1.0),)}
        table = TimeInStage(columns=("stage",), rows=(), survival=source)
        source[(None, "b")] = ()
        assert list(table.survival) == [(None, "a")]

    @pytest.mark.parametrize(
        ("survival", "error", "message"),
        [
            ([], pk.FieldTypeError, "expected a mapping"),
            ({"lead": ()}, pk.FieldTypeError, "keys are \\(group or None, stage\\)"),
            ({(None, "a"): "x"}, pk.FieldTypeError, "curve \\(None, 'a'\\): expected"),
            ({(None, "a"): [(1, 1.0)]}, pk.FieldTypeError, "a step is \\(timedelta, survival\\)"),
            (
                {(None, "a"): [(timedelta(0), "1")]},
                pk.FieldTypeError,
                "survival '1' is not a number",
            ),
            (
                {(None, "a"): [(timedelta(0), True)]},
                pk.FieldTypeError,
                "survival True is not a number",
            ),
            (
                {(None, "a"): [(timedelta(0), 1.5)]},
                pk.FieldValueError,
                "survival 1.5 is not in \\[0, 1\\]",
            ),
            (
                {(None, "a"): [(DAY, 1.0)]},
                pk.FieldValueError,
                "the first step must be \\(0, 1.0\\)",
            ),
            ({(None, "a"): [(timedelta(0), 0.5)]}, pk.FieldValueError, "the first step must be"),
            (
                {(None, "a"): [(timedelta(0), 1.0), (DAY, 0.5), (DAY, 0.6)]},
                pk.FieldValueError,
                "steps must go forward in time and down in survival",
            ),
            (
                {(None, "a"): [(timedelta(0), 1.0), (2 * DAY, 0.5), (DAY, 0.4)]},
                pk.FieldValueError,
                "steps must go forward",
            ),
        ],
    )
    def test_bad_curves(self, survival: Any, error: type[Exception], message: str) -> None:
        with pytest.raises(error, match=f"^survival: (curve .*: )?{message}"):
            TimeInStage(columns=("stage",), rows=(), survival=survival)


class _Lazy(Mapping[Any, Any]):
    """A mapping that counts how often a value is read (as the metric's lazy curves)."""

    def __init__(self, data: dict[Any, Any]) -> None:
        self.data = data
        self.reads = 0

    def __getitem__(self, key: Any) -> Any:
        self.reads += 1
        return self.data[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


class TestReading:
    def test_to_rows_gives_fresh_dicts(self) -> None:
        table = funnel()
        rows = table.to_rows()
        assert [type(r) for r in rows] == [dict] * 3
        rows[0]["reached"] = 99
        assert table.to_rows()[0]["reached"] == 4
        assert table[0] is not table[0]

    def test_iteration_len_and_indexing(self) -> None:
        table = funnel()
        assert list(table) == table.to_rows()
        assert len(table) == 3
        assert table[0]["stage"] == "lead"
        assert table[-1]["stage"] == "customer"
        assert [row["reached"] for row in table] == [4, 3, 1]

    def test_slice_is_a_table_of_the_same_kind(self) -> None:
        table = stays()
        head = table[:1]
        assert type(head) is TimeInStage
        assert head.to_rows() == table.to_rows()[:1]
        assert head.survival == table.survival
        assert head.columns == table.columns

    @pytest.mark.parametrize("index", [3, -4])
    def test_index_out_of_range(self, index: int) -> None:
        with pytest.raises(
            IndexError, match=f"^row {index} is out of range: the Funnel has 3 rows$"
        ):
            funnel()[index]

    @pytest.mark.parametrize("index", ["stage", 1.0, True, None])
    def test_index_of_another_type(self, index: Any) -> None:
        with pytest.raises(pk.FieldTypeError, match=r"^index: expected a row position"):
            funnel()[index]

    @given(
        rows=st.lists(
            st.fixed_dictionaries(
                {
                    "stage": st.text(max_size=8),
                    "count": st.integers(),
                    "rate": st.none() | st.decimals(0, 1, places=4),
                    "age": st.timedeltas(),
                }
            ),
            max_size=5,
        ),
        skipped=st.integers(0, 10),
    )
    def test_rows_round_trip(self, rows: list[dict[str, object]], skipped: int) -> None:
        """A table rebuilt from its rows is equal to it; the rows are the ones given."""
        columns = ("stage", "count", "rate", "age")
        table = Stale(columns=columns, rows=rows, skipped=skipped)
        assert table.to_rows() == rows
        assert Stale(columns=table.columns, rows=table.to_rows(), skipped=table.skipped) == table
        assert len(table) == len(rows)
        assert [table[i] for i in range(len(table))] == rows


class TestText:
    def test_funnel(self) -> None:
        assert str(funnel()) == (
            "Funnel\n"
            "stage     reached  step_conversion  cumulative_conversion\n"
            "--------  -------  ---------------  ---------------------\n"
            "lead            4                —                   100%\n"
            "prospect        3              75%                    75%\n"
            "customer        1            33.3%                    25%"
        )

    def test_time_in_stage(self) -> None:
        assert str(stays()) == (
            "Time in stage\n"
            "stage     entered  exited  median  p90  median_km\n"
            "--------  -------  ------  ------  ---  ---------\n"
            "lead            3       2   2d 3h   5d         2d\n"
            "prospect        2       0       —    —          —"
        )

    def test_money_and_skipped(self) -> None:
        assert str(weighted(skipped=1)) == (
            "Weighted pipeline (1 contact skipped: history contradicts stage)\n"
            "currency  forecast  count         amount      weighted\n"
            "--------  --------  -----  -------------  ------------\n"
            "EUR       pipeline      2  25,000.00 EUR  2,500.50 EUR\n"
            "JPY       commit        1    900,000 JPY   810,000 JPY"
        )

    def test_empty(self) -> None:
        table = LostReasons(columns=("stage", "reason", "count"), rows=(), skipped=2)
        assert str(table) == (
            "Lost reasons (2 contacts skipped: history contradicts stage)\n"
            "stage  reason  count\n"
            "-----  ------  -----\n"
            "(no rows)"
        )

    def test_columns_of_none_align_by_their_meaning(self) -> None:
        """An empty funnel's rates are quantities: right-aligned though every cell is None."""
        table = Funnel(
            columns=("stage", "reached", "win_rate", "note"),
            rows=[{"stage": "lead", "reached": 0, "win_rate": None, "note": None}],
        )
        assert str(table).splitlines()[3] == "lead         0         —  —"
        assert '<td style="text-align:right">—</td><td>—</td>' in table._repr_html_()

    @pytest.mark.parametrize(
        ("value", "column", "text"),
        [
            (None, "anything", "—"),
            (Decimal("0.5"), "rate", "50%"),
            (Decimal(1) / 3, "win_rate", "33.3%"),
            (Decimal("0.0004"), "step_conversion", "<0.1%"),
            (Decimal("0.99999"), "cumulative_conversion", ">99.9%"),
            (Decimal(0), "rate", "0%"),
            (Decimal(1), "rate", "100%"),
            (1, "cumulative_conversion", "100%"),
            (0.125, "probability", "12.5%"),
            (Decimal("12.3456"), "cycle_days", "12.35"),
            (Decimal("1234.5"), "cycle_days", "1,234.5"),
            (Decimal("NaN"), "rate", "NaN"),
            (12.5, "cycle_days", "12.5"),
            (math.inf, "cycle_days", "inf"),
            (1234567, "count", "1,234,567"),
            (True, "flag", "yes"),
            (pk.Money("1200", "EUR"), "amount", "1,200.00 EUR"),
            (pk.Money("5", "JPY"), "per_day", "5 JPY"),
            (timedelta(days=12, hours=3, minutes=5), "age", "12d 3h"),
            (timedelta(hours=3, minutes=20, seconds=5), "age", "3h 20m"),
            (timedelta(minutes=5, seconds=10), "age", "5m 10s"),
            (timedelta(seconds=42), "age", "42s"),
            (timedelta(seconds=0.5), "age", "0.5s"),
            (timedelta(0), "age", "0s"),
            (timedelta(days=3, minutes=1), "age", "3d"),
            (-timedelta(hours=1), "age", "-1h"),
            (datetime(2024, 1, 2, tzinfo=UTC), "cohort", "2024-01-02T00:00:00+00:00"),
            (pk.Stage.PROSPECT, "stage", "prospect"),
            ("a\nb\x1b[31m", "reason", "a\\nb\\x1b[31m"),
        ],
    )
    def test_cells(self, value: object, column: str, text: str) -> None:
        assert _render.cell_text(value, column) == text

    @given(rate=st.decimals(0, 1, places=6) | st.floats(0, 1))
    @example(rate=Decimal("0.00049"))
    @example(rate=Decimal("0.9995"))
    @example(rate=Decimal("0.00051"))
    @example(rate=Decimal("0.0005"))  # 0.05 % rounds half to even, to 0.0: "<0.1%" is true
    def test_percentages_are_close_and_never_round_to_the_ends(self, rate: Decimal | float) -> None:
        """A rate reads within half a tenth of a percent, and only 0 and 1 read 0% and 100%."""
        text = _render.percent(rate)
        exact = Decimal(rate) * 100
        if text == "<0.1%":
            assert 0 < exact <= Decimal("0.05")
        elif text == ">99.9%":
            assert Decimal("99.95") <= exact < 100
        else:
            assert abs(Decimal(text.removesuffix("%")) - exact) <= Decimal("0.05")
            assert (text == "0%") is (exact == 0)
            assert (text == "100%") is (exact == 100)

    @given(value=st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(days=10**5)))
    def test_durations_show_the_two_largest_units(self, value: timedelta) -> None:
        """The shown units add up to the value cut after its second largest unit."""
        units = {
            "d": DAY,
            "h": timedelta(hours=1),
            "m": timedelta(minutes=1),
            "s": timedelta(seconds=1),
        }
        order = list(units)
        parts = [(int(part[:-1]), part[-1]) for part in _render.duration(value).split()]
        shown = sum((n * units[u] for n, u in parts), timedelta(0))
        largest = next(u for u in order if value >= units[u])
        assert parts[0][1] == largest
        finest = units[order[min(order.index(largest) + 1, len(order) - 1)]]
        assert timedelta(0) <= value - shown < finest

    @pytest.mark.parametrize(
        ("size", "note"), [(100, None), (101, "… 1 more row"), (250, "… 150 more rows")]
    )
    def test_long_tables_show_their_first_rows(self, size: int, note: str | None) -> None:
        """Text and HTML show the first 100 rows and count the others; the rows keep all."""
        rows = [{"id": f"c-{i}", "age": i * DAY} for i in range(size)]
        table = Stale(columns=("id", "age"), rows=rows)
        lines = str(table).splitlines()
        page = parse(table._repr_html_())
        shown = [cells for cells in page.cells if len(cells) == 2]
        assert [cells[0] for cells in shown] == [f"c-{i}" for i in range(_render.MAX_ROWS_SHOWN)]
        assert lines[3 : 3 + _render.MAX_ROWS_SHOWN] == [
            f"{row['id']:<4}  {_render.cell_text(row['age'], 'age'):>3}" for row in rows[:100]
        ]
        if note is None:
            assert len(lines) == 3 + size
            assert len(page.cells[-1]) == 2
        else:
            assert lines[-1] == f"{note} (to_rows() has them all)"
            assert page.cells[-1] == [f"{note} (to_rows() has them all)"]
        assert len(table.to_rows()) == len(list(table)) == size

    def test_long_text_is_cut_in_the_text_table_only(self) -> None:
        reason = "x" * 100
        table = LostReasons(columns=("reason",), rows=[{"reason": reason}])
        line = str(table).splitlines()[-1]
        assert line == "x" * (_render.MAX_TEXT_CELL - 1) + "…"
        assert reason in table._repr_html_()
        assert table[0]["reason"] == reason

    def test_wide_characters_align(self) -> None:
        table = LostReasons(
            columns=("reason", "count"),
            rows=[{"reason": "価格", "count": 1}, {"reason": "ab", "count": 22}],
        )
        lines = str(table).splitlines()
        assert lines[3:] == ["価格        1", "ab         22"]

    @given(
        labels=st.lists(st.text(), min_size=1, max_size=4),
        counts=st.lists(st.integers(-(10**12), 10**12), min_size=4, max_size=4),
    )
    @example(labels=["line\nforged  9"], counts=[1, 2, 3, 4])
    def test_one_line_per_row_aligned(self, labels: list[str], counts: list[int]) -> None:
        """Whatever the text, every row is one line, and the counts end at the same column."""
        rows = [{"reason": label, "count": n} for label, n in zip(labels, counts, strict=False)]
        lines = str(LostReasons(columns=("reason", "count"), rows=rows)).splitlines()
        assert len(lines) == 3 + len(rows)
        ends = {_render._width(line) for line in lines[1:]}  # the one width rule
        assert len(ends) == 1


class _Cells(HTMLParser):
    """Collects the caption, the header and the body cells of an HTML table, and every tag."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.cells: list[list[str]] = []
        self.header: list[str] = []
        self.caption = ""
        self._where: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.cells.append([])
        if tag in {"td", "th", "caption"}:
            self._where = tag
            if tag == "td":
                self.cells[-1].append("")
            elif tag == "th":
                self.header.append("")

    def handle_endtag(self, tag: str) -> None:
        self._where = None

    def handle_data(self, data: str) -> None:
        if self._where == "td":
            self.cells[-1][-1] += data
        elif self._where == "th":
            self.header[-1] += data
        elif self._where == "caption":
            self.caption += data


def parse(markup: str) -> _Cells:
    parser = _Cells()
    parser.feed(markup)
    parser.close()
    return parser


class TestHtml:
    def test_table(self) -> None:
        page = parse(funnel()._repr_html_())
        assert page.caption == "Funnel"
        assert page.header == list(FUNNEL_COLUMNS)
        assert [c for c in page.cells if c] == [
            ["lead", "4", "—", "100%"],
            ["prospect", "3", "75%", "75%"],
            ["customer", "1", "33.3%", "25%"],
        ]
        assert set(page.tags) == {"table", "caption", "thead", "tbody", "tr", "th", "td"}

    def test_caption_names_skipped(self) -> None:
        page = parse(weighted(skipped=3)._repr_html_())
        assert page.caption == "Weighted pipeline (3 contacts skipped: history contradicts stage)"

    def test_empty(self) -> None:
        page = parse(Funnel(columns=FUNNEL_COLUMNS, rows=())._repr_html_())
        assert [c for c in page.cells if c] == [["no rows"]]

    def test_quantities_are_right_aligned(self) -> None:
        markup = weighted()._repr_html_()
        assert '<td style="text-align:right">25,000.00 EUR</td>' in markup
        assert "<td>EUR</td>" in markup

    def test_hostile_labels_cannot_inject_markup(self) -> None:
        """A stage label, a reason or a column name full of HTML stays text."""
        stage = "<script>alert(1)</script>"
        reason = '"><img src=x onerror=alert(1)>'
        table = LostReasons(
            columns=("stage", "reason", "<b>count</b>"),
            rows=[{"stage": stage, "reason": reason, "<b>count</b>": 1}],
        )
        markup = table._repr_html_()
        assert "<script" not in markup
        assert "<img" not in markup
        assert "<b>" not in markup
        page = parse(markup)
        assert set(page.tags) == {"table", "caption", "thead", "tbody", "tr", "th", "td"}
        assert page.cells[-1] == [stage, reason, "1"]
        assert page.header == ["stage", "reason", "<b>count</b>"]

    @given(
        cells=st.lists(st.text(), min_size=1, max_size=4),
        group=st.text(),
    )
    @example(cells=["</td></tr></table><script>x()</script>"], group="&amp;")
    def test_every_cell_is_text(self, cells: list[str], group: str) -> None:
        """Parsing the HTML gives back exactly the cells' text and no other tag."""
        rows = [{"group": group, "reason": cell} for cell in cells]
        page = parse(Cohorts(columns=("group", "reason"), rows=rows)._repr_html_())
        assert set(page.tags) <= {"table", "caption", "thead", "tbody", "tr", "th", "td"}
        expected = [
            [_render.cell_text(group, "group"), _render.cell_text(c, "reason")] for c in cells
        ]
        assert [c for c in page.cells if c] == expected


def _heights(ax: Any) -> list[float]:
    return [patch.get_height() for patch in ax.patches]


class TestPlot:
    def test_funnel_is_centred_bars_of_reached(self) -> None:
        ax = funnel().plot()
        widths = [patch.get_width() for patch in ax.patches]
        assert widths == [4, 3, 1]
        lefts = [patch.get_x() for patch in ax.patches]
        assert lefts == [0, 0.5, 1.5]  # centred on the widest bar: (4 - width) / 2
        assert [t.get_text() for t in ax.get_yticklabels()] == ["lead", "prospect", "customer"]
        assert ax.yaxis_inverted()  # the first stage on top
        assert ax.get_title() == "Funnel"

    def test_funnel_by_group(self) -> None:
        rows = [
            {"group": group, "stage": stage, "reached": n}
            for group, counts in (("web", (5, 2)), ("event", (3, 3)))
            for stage, n in zip(("lead", "customer"), counts, strict=True)
        ]
        ax = Funnel(columns=("group", "stage", "reached"), rows=rows).plot()
        assert [patch.get_width() for patch in ax.patches] == [5, 2, 3, 3]
        assert [patch.get_x() for patch in ax.patches] == [0] * 4
        legend = ax.get_legend()
        assert [t.get_text() for t in legend.get_texts()] == ["web", "event"]

    def test_a_funnel_without_its_columns_gets_plain_bars(self) -> None:
        table = Funnel(columns=("step", "contacts"), rows=[{"step": "a", "contacts": 3}])
        assert _heights(table.plot()) == [3]

    def test_draws_into_the_given_axes(self) -> None:
        figure, ax = plt.subplots()
        assert funnel().plot(ax=ax) is ax
        assert weighted().plot(ax) is ax
        assert len(figure.axes) == 1

    def test_a_new_figure_without_axes(self) -> None:
        before = len(plt.get_fignums())
        ax = stays().plot()
        assert len(plt.get_fignums()) == before + 1
        assert ax.figure is plt.gcf()

    def test_time_in_stage_draws_the_survival_steps(self) -> None:
        table = stays()
        ax = table.plot()
        curves = {
            line.get_label(): line for line in ax.lines if not line.get_label().startswith("_")
        }
        assert set(curves) == {"lead", "prospect"}
        lead = curves["lead"]
        assert list(lead.get_xdata()) == [0, 2, 5]  # days
        assert list(lead.get_ydata()) == [1.0, 2 / 3, 1 / 3]
        assert lead.get_drawstyle() == "steps-post"
        assert ax.get_xlabel() == "days in stage"

    def test_time_in_stage_by_group(self) -> None:
        table = TimeInStage(
            columns=("group", "stage"),
            rows=(),
            survival={
                ("web", "lead"): ((timedelta(0), 1.0), (DAY, 0.0)),
                ("event", "lead"): ((timedelta(0), 1.0), (3 * DAY, 0.5)),
            },
        )
        ax = table.plot()
        labels = [line.get_label() for line in ax.lines if not line.get_label().startswith("_")]
        assert labels == ["web · lead", "event · lead"]

    def test_weighted_pipeline_bars(self) -> None:
        ax = weighted().plot()
        assert _heights(ax) == [25000, 900000, 2500.5, 810000]  # amounts, then weighted
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert labels == ["pipeline · EUR", "commit · JPY"]
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["amount", "weighted"]

    def test_stale_bars_in_days(self) -> None:
        table = Stale(
            columns=("id", "stage", "age", "limit"),
            rows=[
                {
                    "id": "c-1",
                    "stage": "prospect",
                    "age": timedelta(days=45, hours=12),
                    "limit": 30 * DAY,
                }
            ],
        )
        ax = table.plot()
        assert _heights(ax) == [45.5, 30]
        assert ax.get_ylabel() == "days"

    def test_lost_reasons_and_cohorts(self) -> None:
        lost = LostReasons(
            columns=("stage", "reason", "count"),
            rows=[
                {"stage": "prospect", "reason": "price", "count": 3},
                {"stage": "lead", "reason": "spam", "count": 1},
            ],
        )
        assert _heights(lost.plot()) == [3, 1]
        cohorts = Cohorts(
            columns=("cohort", "size", "converted", "rate", "open"),
            rows=[
                {"cohort": "2024-01", "size": 10, "converted": 4, "rate": Decimal("0.4"), "open": 2}
            ],
        )
        assert _heights(cohorts.plot()) == [10, 4, 2]

    def test_velocity_by_group_and_missing_values(self) -> None:
        """One bar per group; a None value draws no bar (it is not a zero)."""
        rows = [
            {"group": "web", "currency": "EUR", "per_day": pk.Money("120.5", "EUR")},
            {"group": "event", "currency": "EUR", "per_day": None},
        ]
        ax = Velocity(columns=("group", "currency", "per_day"), rows=rows).plot()
        assert _heights(ax) == [120.5]
        assert [t.get_text() for t in ax.get_legend().get_texts()] == [
            "web: per_day",
            "event: per_day",
        ]

    def test_comparison_draws_its_counts(self) -> None:
        table = Comparison(
            columns=("outcome", "admitted_a", "admitted_b", "share"),
            rows=[{"outcome": "won", "admitted_a": 4, "admitted_b": 2, "share": Decimal("0.5")}],
        )
        ax = table.plot()
        assert _heights(ax) == [4, 2]  # the counts; the rate is another family
        assert [t.get_text() for t in ax.get_xticklabels()] == ["won"]

    def test_empty_tables_plot(self) -> None:
        assert list(Funnel(columns=FUNNEL_COLUMNS, rows=()).plot().patches) == []
        assert _heights(Stale(columns=("id", "age"), rows=()).plot()) == []

    def test_dollar_signs_stay_text(self) -> None:
        """A label with ``$`` is not mathtext: drawing it neither fails nor formats it."""
        table = LostReasons(columns=("reason", "count"), rows=[{"reason": "$\\frac{", "count": 1}])
        ax = table.plot()
        ax.figure.canvas.draw()
        assert ax.get_xticklabels()[0].get_text() == "\\$\\frac{"

    @pytest.mark.parametrize("make", [funnel, stays, weighted], ids=lambda m: m.__name__)
    def test_without_matplotlib(self, make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
        table = make()
        with pytest.raises(
            pk.MissingDependency, match=r"needs matplotlib: pip install 'pipelinekit\[plot\]'"
        ) as info:
            table.plot()
        assert isinstance(info.value, ImportError)
        assert (info.value.name, info.value.extra) == ("matplotlib", "plot")
        assert str(info.value).startswith(f"{type(table).__name__}.plot()")


class TestNative:
    def test_polars(self) -> None:
        frame = weighted().to_native("polars")
        assert frame.columns == list(WEIGHTED_COLUMNS)  # amounts only: the row has its currency
        assert frame.schema["count"] == pl.Int64
        assert frame.schema["currency"] == pl.String
        assert frame.schema["amount"] == pl.Decimal(38, 2)  # at least the minor unit
        assert frame["amount"].to_list() == [Decimal("25000.00"), Decimal("900000.00")]
        assert frame["weighted"].to_list() == [Decimal("2500.50"), Decimal("810000.00")]

    def test_pandas(self) -> None:
        frame = weighted().to_native("pandas")
        assert list(frame.columns) == list(WEIGHTED_COLUMNS)
        assert str(frame["count"].dtype) == "Int64"
        assert isinstance(frame["currency"].dtype, pd.StringDtype)
        assert frame["amount"].dtype == object  # exact Decimals
        assert frame["amount"].tolist() == [Decimal(25000), Decimal(900000)]

    @pytest.mark.parametrize("backend", ["pandas", "polars"])
    def test_durations_rates_and_nulls(self, backend: str) -> None:
        frame = stays().to_native(backend)  # type: ignore[arg-type]  # both literals
        medians = list(frame["median"])
        assert medians[0] == timedelta(days=2, hours=3)
        assert _null(medians[1])
        assert [int(n) for n in frame["entered"]] == [3, 2]
        if backend == "polars":
            assert frame.schema["median"] == pl.Duration("us")
            assert frame.schema["median_km"] == pl.Duration("us")
        else:
            assert str(frame["median"].dtype) == "timedelta64[us]"
            assert str(frame["median_km"].dtype) == "timedelta64[us]"

    @pytest.mark.parametrize("backend", ["pandas", "polars"])
    def test_money_without_a_currency_column(self, backend: str) -> None:
        """Money in a table without a currency column: amounts plus <name>_currency."""
        table = Comparison(
            columns=("policy", "budget"),
            rows=[
                {"policy": "a", "budget": pk.Money("10.5", "EUR")},
                {"policy": "b", "budget": None},
            ],
        )
        frame = table.to_native(backend)  # type: ignore[arg-type]  # both literals
        assert list(frame.columns) == ["policy", "budget", "budget_currency"]
        assert next(iter(frame["budget"])) == Decimal("10.50")
        assert next(iter(frame["budget_currency"])) == "EUR"
        assert _null(list(frame["budget"])[1])
        assert _null(list(frame["budget_currency"])[1])

    def test_split_column_name_taken(self) -> None:
        table = Comparison(
            columns=("budget", "budget_currency"),
            rows=[{"budget": pk.Money("1", "EUR"), "budget_currency": "x"}],
        )
        with pytest.raises(pk.FieldValueError, match=r"^columns: 'budget_currency' is a column"):
            table.to_native("polars")

    @pytest.mark.parametrize("backend", ["pandas", "polars"])
    def test_rates_stay_exact(self, backend: str) -> None:
        frame = funnel().to_native(backend)  # type: ignore[arg-type]  # both literals
        step = list(frame["step_conversion"])
        assert _null(step[0])
        assert step[1] == Decimal("0.75")
        assert abs(step[2] - Decimal(1) / 3) < Decimal("1e-20")
        assert list(frame["cumulative_conversion"]) == [1, Decimal("0.75"), Decimal("0.25")]

    @given(
        rates=st.lists(st.none() | st.decimals(0, 1) | st.just(Decimal(1)), min_size=1, max_size=5),
        precision=st.integers(1, 60),
    )
    @example(rates=[Decimal(1), Decimal(2) / 3], precision=28)
    @example(rates=[Decimal("1E-40"), Decimal(1)], precision=28)
    def test_polars_decimals_hold_every_value(
        self, rates: list[Decimal | None], precision: int
    ) -> None:
        """Any rates, in any caller's decimal context, become a Decimal column within its scale."""
        table = Table(columns=("rate",), rows=[{"rate": rate} for rate in rates])
        with localcontext(prec=precision):
            column = table.to_native("polars")["rate"]
        assert isinstance(column.dtype, pl.Decimal)
        quantum = Decimal(1).scaleb(-(column.dtype.scale or 0))
        for got, rate in zip(column.to_list(), rates, strict=True):
            assert (got is None) is (rate is None)
            if got is not None and rate is not None:
                assert abs(got - rate) <= quantum / 2

    @pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("-Infinity"), Decimal("1E+40")])
    def test_polars_floats_for_what_no_decimal_holds(self, value: Decimal) -> None:
        frame = Table(columns=("x",), rows=[{"x": value}, {"x": None}]).to_native("polars")
        assert frame.schema["x"] == pl.Float64
        got = frame["x"].to_list()
        assert math.isnan(got[0]) if value.is_nan() else got[0] == float(value)
        assert got[1] is None

    @pytest.mark.parametrize("backend", ["pandas", "polars"])
    def test_groups_datetimes_and_mixed_columns(self, backend: str) -> None:
        """Stage enums become text; a column mixing types becomes text; datetimes stay."""
        when = datetime(2024, 1, 1, tzinfo=UTC)
        table = Cohorts(
            columns=("group", "cohort", "mixed", "size"),
            rows=[
                {"group": pk.Stage.LEAD, "cohort": when, "mixed": 1, "size": 2},
                {"group": None, "cohort": when + DAY, "mixed": "two", "size": 0},
            ],
        )
        frame = table.to_native(backend)  # type: ignore[arg-type]  # both literals
        assert next(iter(frame["group"])) == "lead"
        assert _null(list(frame["group"])[1])
        assert list(frame["mixed"]) == ["1", "two"]
        cohorts = list(frame["cohort"])
        assert [c.to_pydatetime() if hasattr(c, "to_pydatetime") else c for c in cohorts] == [
            when,
            when + DAY,
        ]

    def test_empty_tables_of_every_metric_keep_their_schema(self) -> None:
        """No column of the metrics' own becomes a Null column for lack of values."""
        velocity = (
            "currency",
            "opportunities",
            "average_deal",
            "win_rate",
            "cycle_days",
            "per_day",
        )
        compared = ("admitted_by", "contacts", "won", "lost", "disqualified", "open", "win_rate")
        for columns in (
            FUNNEL_COLUMNS,
            STAY_COLUMNS,
            WEIGHTED_COLUMNS,
            velocity,
            compared,
            ("cohort", "size", "converted", "rate", "open"),
            ("id", "stage", "age", "limit"),
            ("stage", "reason", "count"),
        ):
            schema = Table(columns=columns, rows=()).to_native("polars").schema
            assert pl.Null not in schema.values(), columns

    @pytest.mark.parametrize("backend", ["pandas", "polars"])
    def test_empty_table_keeps_the_schema(self, backend: str) -> None:
        frame = Funnel(columns=FUNNEL_COLUMNS, rows=()).to_native(backend)  # type: ignore[arg-type]
        assert list(frame.columns) == list(FUNNEL_COLUMNS)
        assert len(frame) == 0
        if backend == "polars":
            assert frame.schema["reached"] == pl.Int64
            assert frame.schema["stage"] == pl.String
        else:
            assert str(frame["reached"].dtype) == "Int64"

    @pytest.mark.parametrize("backend", ["spark", "Pandas", None, 3])
    def test_unknown_backend(self, backend: Any) -> None:
        with pytest.raises(
            pk.FieldValueError, match=r"^backend: expected 'pandas' or 'polars', got"
        ):
            funnel().to_native(backend)

    @pytest.mark.parametrize("backend", ["pandas", "polars"])
    def test_backend_not_installed(self, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setitem(sys.modules, backend, None)
        with pytest.raises(
            pk.MissingDependency,
            match=f"^Funnel.to_native\\(\\) needs {backend}: pip install {backend}$",
        ):
            funnel().to_native(backend)  # type: ignore[arg-type]  # both literals


def _null(value: object) -> bool:
    """Whether a frame value is null: None, NaT, NaN or pandas' NA."""
    if value is None:
        return True
    try:
        return bool(value != value)  # noqa: PLR0124  # NaN and NaT are not equal to themselves
    except TypeError:  # pandas.NA refuses bool()
        return True


class TestLightImport:
    def test_results_import_no_optional_library(self) -> None:
        """Building, printing, rendering and reading a result imports no heavy library."""
        script = (
            "import sys, pipelinekit as pk\n"
            "from decimal import Decimal\n"
            "from pipelinekit.metrics.results import Funnel\n"
            "f = Funnel(columns=('stage', 'reached', 'rate'),"
            " rows=[{'stage': 'lead', 'reached': 2, 'rate': Decimal('0.5')}])\n"
            "str(f); f._repr_html_(); f.to_rows(); list(f); f[0]; hash(f)\n"
            "heavy = {'matplotlib', 'pandas', 'polars', 'narwhals', 'numpy'} & set(sys.modules)\n"
            "assert not heavy, heavy\n"
        )
        done = subprocess.run(  # noqa: S603  # our interpreter on our own script
            [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
        )
        assert done.returncode == 0, done.stderr


def test_mapping_rows_behave_as_dicts() -> None:
    row = funnel().rows[1]
    assert isinstance(row, Mapping)
    assert dict(row) == {
        "stage": "prospect",
        "reached": 3,
        "step_conversion": Decimal("0.75"),
        "cumulative_conversion": Decimal("0.75"),
    }
    assert row == dict(row)
    assert repr(row) == repr(dict(row))
