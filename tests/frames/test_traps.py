"""The engines' null traps (issue 12), each written down, and frames' answer on each.

``TestEngineTraps`` records what narwhals does on pandas frames, measured with narwhals 2.29
and pandas 2.3: if one of them starts failing, the engines changed (maybe fixed upstream), and
the notes in ``pipelinekit.frames._native`` should say so. ``TestFramesAnswers`` runs frames on
the same frames: the answers are row-wise's whatever the engine does.
"""

from __future__ import annotations

import warnings
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd
import pyarrow as pa
import pytest

import pipelinekit as pk
from pipelinekit import frames


def classic() -> pd.DataFrame:
    """Classic pandas: an object column of booleans with None, a nullable Int64 column."""
    return pd.DataFrame(
        {
            "o": pd.Series([None, True, False], dtype=object),
            "i": pd.array([None, 1, 2], dtype="Int64"),
        }
    )


def _raw(expr: nw.Expr) -> list[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = nw.from_native(classic()).select(expr.alias("r"))["r"].to_native()
    return list(out.tolist())


class TestEngineTraps:
    def test_or_on_an_object_column_reads_null_as_false(self) -> None:
        """``null | True`` is False on a classic object column (Kleene says True)."""
        assert _raw(nw.col("o") | nw.lit(value=True)) == [False, True, True]

    def test_not_on_an_object_column_raises(self) -> None:
        with pytest.raises(TypeError):
            _raw(~nw.col("o"))

    def test_a_literal_null_boolean_is_false(self) -> None:
        assert _raw(nw.lit(None, dtype=nw.Boolean)) == [False]

    def test_when_on_null_takes_the_otherwise_branch(self) -> None:
        when = nw.when(nw.col("i") > 1).then(nw.lit("yes")).otherwise(nw.lit("other"))
        assert _raw(when) == ["other", "other", "yes"]


def _outcomes(q: pk.Qualifier, df: pd.DataFrame) -> list[pk.Outcome]:
    return [q.evaluate(row).outcome for row in df.to_dict("records")]


def _as_list(series: pd.Series) -> list[bool | None]:
    return [None if v is pd.NA else bool(v) for v in series]


_VALUES = {pk.Outcome.PASS: True, pk.Outcome.FAIL: False, pk.Outcome.UNKNOWN: None}


class TestFramesAnswers:
    @pytest.mark.parametrize(
        "q",
        [
            (pk.field("o") == True) | (pk.field("i") == 1),  # noqa: E712  # builds a leaf
            ~(pk.field("o") == True),  # noqa: E712  # builds a leaf
            pk.field("i").not_in({1}),
            pk.field("i").is_in({2}),
            pk.at_least(1, pk.field("o") == False, pk.field("i") > 1),  # noqa: E712
        ],
        ids=str,
    )
    def test_classic_pandas_is_answered_as_row_wise(self, q: pk.Qualifier) -> None:
        """Kleene ``|`` and ``~`` on object columns, ``is_in`` on nulls: row-wise answers."""
        df = classic()
        expected = [_VALUES[o] for o in _outcomes(q, df)]
        assert _as_list(frames.evaluate(q, df)) == expected

    def test_unknown_is_a_real_null_on_pandas(self) -> None:
        """Never a literal null (False on pandas): UNKNOWN rows are pd.NA in bool[pyarrow]."""
        result = frames.evaluate(pk.field("i") > 1, classic())
        assert result.dtype == pd.ArrowDtype(pa.bool_())
        assert result.isna().tolist() == [True, False, False]
        assert result.index.equals(classic().index)

    def test_text_outcomes_test_null_before_branching(self) -> None:
        """``when(null)`` would say "fail" for a missing value: frames says "unknown"."""
        q = (pk.field("i") > 1).named("big")
        table = frames.outcomes(q, classic(), as_text=True)
        assert table["big"].tolist() == ["unknown", "fail", "pass"]

    def test_filter_returns_the_callers_own_rows(self) -> None:
        df = classic().set_axis(["a", "b", "c"])
        kept = frames.filter(pk.field("i") >= 1, df)
        assert kept.index.tolist() == ["b", "c"]
        assert kept.dtypes.equals(df.dtypes)

    def test_an_untypeable_column_is_refused_by_name(self) -> None:
        df = pd.DataFrame({"mixed": pd.Series([1, "x"], dtype=object)})
        with pytest.raises(pk.QualifierError, match="'mixed'"):
            frames.evaluate(pk.field("mixed") == 1, df)
