"""Points models over tables: each rule's qualifier compiled once, the points added exactly.

A :class:`~pipelinekit.Rule` earns its points where its qualifier PASSES (UNKNOWN earns
nothing, as row-wise). Points are exact decimals with at most six places, so every sum is
done on integers (the points times ``10**places``), groups are held within their floors and
caps, the total within the model's, and only the result is scaled back: an integer column
when every value of the model is whole, else the float nearest each exact total.

:class:`~pipelinekit.EventRule` points come from the touchpoints list column, exactly (see
:mod:`~pipelinekit.frames._events`); a half-life decay, which no engine computes digit for
digit, is refused with a :class:`~pipelinekit.QualifierError` naming the rule rather than
scored differently from ``model.score``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import reduce

import attrs
import narwhals.stable.v2 as nw

from pipelinekit.frames._compile import Compiler
from pipelinekit.frames._events import event_points, linear_share
from pipelinekit.scoring import EventRule, PointsModel, Rule

__all__ = ["ScoreExprs", "score_exprs"]


@attrs.frozen
class ScoreExprs:
    """The expressions of a model's scores: per group, the total and the grade."""

    groups: dict[str, nw.Expr]
    total: nw.Expr
    grade: nw.Expr | None


def _places(values: list[Decimal]) -> int:
    exponents = [v.as_tuple().exponent for v in values]
    return max([0, *(-e for e in exponents if isinstance(e, int))])


def _bounded(expr: nw.Expr, low: int | None, high: int | None) -> nw.Expr:
    # The sums are never null (a rule's "passes" never is, nor an event rule's points), so a
    # when() here never meets one.
    if high is not None:
        expr = nw.when(expr > high).then(nw.lit(high)).otherwise(expr)
    if low is not None:
        expr = nw.when(expr < low).then(nw.lit(low)).otherwise(expr)
    return expr


def _descaled(scale: int) -> Callable[[nw.Expr], nw.Expr]:
    """The float nearest ``e / scale`` (an exact quotient of two exact floats, IEEE-rounded).

    polars turns a division by a literal into a multiplication by its reciprocal, which is
    not correctly rounded (``-299 / 10`` gives ``-29.900000000000002``), so the divisor is an
    expression of the row (always ``scale``), which no engine folds into a reciprocal.
    """

    def descale(e: nw.Expr) -> nw.Expr:
        divisor = (e * 0).cast(nw.Float64) + float(scale)
        return e.cast(nw.Float64) / divisor

    return descale


def score_exprs(model: PointsModel, compiler: Compiler) -> ScoreExprs:
    """Compile ``model``: a QualifierError for what frames cannot score exactly."""
    events = [(i, r) for i, r in enumerate(model.rules) if isinstance(r, EventRule)]
    values = [r.points for r in model.rules]
    values += [s for _, r in events if (s := linear_share(r)) is not None]
    bounds = [*model.group_caps.values(), *model.group_floors.values()]
    bounds += [b for b in (model.cap, model.floor) if b is not None]
    places = _places(values + bounds)
    scale = 10**places

    def scaled(value: Decimal) -> int:
        return int(value * scale)

    def scaled_or_none(value: Decimal | None) -> int | None:
        return None if value is None else scaled(value)

    event_terms = event_points(events, compiler, scale)
    sums: dict[str, list[nw.Expr]] = {group: [] for group in model.groups}
    for index, rule in enumerate(model.rules):
        if isinstance(rule, Rule):
            passes, _ = compiler.visit(rule.when)
            sums[rule.group].append(passes.cast(nw.Int64) * scaled(rule.points))
        else:
            sums[rule.group].append(event_terms[index])
    groups = {
        group: _bounded(
            reduce(lambda a, b: a + b, terms),
            scaled_or_none(model.group_floors.get(group)),
            scaled_or_none(model.group_caps.get(group)),
        )
        for group, terms in sums.items()
    }
    raw_total = reduce(lambda a, b: a + b, groups.values()) if groups else nw.lit(0)
    total = _bounded(raw_total, scaled_or_none(model.floor), scaled_or_none(model.cap))
    grade: nw.Expr | None = None
    for name, threshold in sorted(model.thresholds.items(), key=lambda item: item[1]):
        # Lowest first, so the highest grade met is the outermost test.
        met = total >= scaled(threshold)
        grade = (
            nw.when(met).then(nw.lit(name))
            if grade is None
            else nw.when(met).then(nw.lit(name)).otherwise(grade)
        )
    back: Callable[[nw.Expr], nw.Expr] = (lambda e: e) if places == 0 else _descaled(scale)
    return ScoreExprs(
        groups={g: back(e) for g, e in groups.items()}, total=back(total), grade=grade
    )
