"""NumPy and pandas values, as dataframe rows hand them over (issue 8, errors 10).

NumPy scalars count as the Python values they hold, and ``pd.NA`` is missing like NaN
and NaT, in the interpreter and the generated fast path alike, without the library
importing either package.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

import pipelinekit as pk
from pipelinekit.qualifiers import Node, Outcome
from pipelinekit.qualifiers.leaves import kind_of
from pipelinekit.qualifiers.paths import is_absent, python_scalar
from tests.qualifiers.strategies import Row

AT = datetime(2026, 11, 22, 12, tzinfo=UTC)


def both(q: Node, subject: Any) -> Outcome:
    """The outcome, after checking the fast path (call, negation, filter) agrees with it."""
    outcome = q.evaluate(subject, at=AT).outcome
    assert q(subject, at=AT) is (outcome is Outcome.PASS)
    assert (~q)(subject, at=AT) is (outcome is Outcome.FAIL)
    assert q.filter([subject], at=AT) == ([subject] if outcome is Outcome.PASS else [])
    return outcome


@pytest.fixture(params=["dict", "object"])
def wrap(request: pytest.FixtureRequest) -> Any:
    if request.param == "dict":
        return lambda value: {"a": value}
    return lambda value: Row(a=value)


class TestNumpyScalars:
    @pytest.mark.parametrize(
        ("q", "value", "expected"),
        [
            (pk.field("a") == True, np.True_, Outcome.PASS),  # noqa: E712  # builds a qualifier
            (pk.field("a") == True, np.False_, Outcome.FAIL),  # noqa: E712  # builds a qualifier
            (pk.field("a") != False, np.True_, Outcome.PASS),  # noqa: E712  # builds a qualifier
            (pk.field("a").is_in({True}), np.True_, Outcome.PASS),
            (pk.field("a") >= 2, np.int64(3), Outcome.PASS),
            (pk.field("a") < 1.5, np.float32(2), Outcome.FAIL),
            (pk.field("a") == "x", np.str_("x"), Outcome.PASS),
            (pk.field("a") == 1, np.True_, Outcome.UNKNOWN),  # a bool is not a number
        ],
    )
    def test_compare_as_python(self, q: Node, value: Any, expected: Outcome, wrap: Any) -> None:
        """``np.bool_`` read "bool is not comparable with bool"."""
        assert both(q, wrap(value)) is expected

    def test_explanation_reads_python(self) -> None:
        verdict = (pk.field("a") == True).evaluate({"a": np.False_})  # noqa: E712
        assert verdict.reason == "a False != True"
        unknown = (pk.field("a") == 1).evaluate({"a": np.True_})
        assert unknown.error == "TypeError: bool is not comparable with int"

    def test_criterion_values(self) -> None:
        """A threshold taken from a column (``df.x.median()``) is a NumPy scalar."""
        q = pk.field("a") >= np.float64(0.5)
        assert q == (pk.field("a") >= 0.5)
        assert type(q.value) is float
        assert pk.field("a").is_in([np.int64(2), np.True_]).values == frozenset({2, True})

    def test_kinds(self) -> None:
        assert kind_of(np.True_) == kind_of(True) == "bool"
        assert kind_of(np.int64(1)) == kind_of(1)
        assert python_scalar(np.int64(1)) == 1
        assert type(python_scalar(np.int64(1))) is int
        datetime64 = np.datetime64("2026-01-01T00:00:00.000000000")
        assert python_scalar(datetime64) is datetime64  # not its int of nanoseconds


class TestMissingMarkers:
    @pytest.mark.parametrize(
        "value",
        [pd.NA, pd.NaT, float("nan"), np.float32("nan"), np.datetime64("NaT", "ns")],
        ids=["NA", "NaT", "nan", "float32-nan", "datetime64-NaT"],
    )
    def test_missing_like_none(self, value: Any, wrap: Any) -> None:
        """``pd.NA`` was present (and incomparable) although NaN and NaT were missing."""
        assert is_absent(value)
        assert kind_of(value) is None
        assert both(pk.field("a").is_known(), wrap(value)) is Outcome.FAIL
        assert both(pk.field("a").is_missing(), wrap(value)) is Outcome.PASS
        assert both(pk.field("a") >= 1, wrap(value)) is Outcome.UNKNOWN
        assert both(pk.field("a").within(timedelta(days=1)), wrap(value)) is Outcome.UNKNOWN
        verdict = (pk.field("a") >= 1).evaluate(wrap(value))
        assert verdict.missing() == ("a",)
        assert verdict.error is None

    def test_present_numpy_values_are_not_missing(self) -> None:
        for value in (np.int64(0), np.False_, np.datetime64("2026-01-01"), np.float64(0.0)):
            assert not is_absent(value)

    def test_nullable_dataframe_rows(self) -> None:
        frame = pd.DataFrame({"a": pd.array([5, None], dtype="Int64")})
        rows = frame.to_dict("records")
        q = pk.field("a") >= 1
        assert [q.evaluate(r).outcome for r in rows] == [Outcome.PASS, Outcome.UNKNOWN]
        assert q.filter(rows) == rows[:1]


def test_the_library_imports_neither() -> None:
    """The duck-typing reads type names only: ``import pipelinekit`` brings no NumPy."""
    code = (
        "import sys, pipelinekit as pk\n"
        "q = (pk.field('a') == True) & pk.field('b').is_known()\n"
        "q({'a': True}); q.evaluate({'a': 1.5}); str(q.evaluate({'a': object()}))\n"
        "assert 'numpy' not in sys.modules and 'pandas' not in sys.modules, sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603  # our own code
