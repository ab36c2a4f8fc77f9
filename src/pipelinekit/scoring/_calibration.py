"""Calibration maps from a model's log-odds to a probability: isotonic and Platt.

Both are fitted on pairs ``(log_odds, won)`` and are order-independent (pairs are sorted
and sums taken with :func:`math.fsum`), so the same pairs in any order give the same map.

* **Isotonic** (pool-adjacent-violators, as ``sklearn.isotonic.IsotonicRegression``):
  tied scores are averaged first, adjacent blocks that violate the order are pooled by
  weighted mean; a score is mapped by linear interpolation between the fitted points and
  clipped to the first and last fitted value outside them.
* **Platt** (logistic on the log-odds, Platt 1999 with the targets ``(n₊ + 1) / (n₊ + 2)``
  and ``1 / (n₋ + 2)`` that keep it finite): ``p = 1 / (1 + exp(-(a * s + b)))``, fitted by
  Newton's method with a backtracking line search (Lin, Lin and Weng 2007).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence

__all__ = ["fit_isotonic", "fit_platt", "interpolate", "logistic"]


def logistic(x: float) -> float:
    """The logistic function, computed without overflow.

    >>> logistic(0.0), logistic(-1000.0), logistic(1000.0)
    (0.5, 0.0, 1.0)
    """
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def fit_isotonic(
    pairs: Iterable[tuple[float, bool]],
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The points ``(xs, ys)`` of the non-decreasing least-squares fit of ``won`` on score.

    Only the first and last point of each constant block are kept: interpolating between
    them gives the same map as between all of them.

    >>> fit_isotonic([(0.0, False), (1.0, True), (2.0, False), (3.0, True)])
    ((0.0, 1.0, 2.0, 3.0), (0.0, 0.5, 0.5, 1.0))
    """
    grouped: dict[float, list[float]] = {}
    for score, won in pairs:
        grouped.setdefault(score, []).append(1.0 if won else 0.0)
    # blocks: [mean, weight, first x, last x]
    blocks: list[list[float]] = []
    for x in sorted(grouped):
        ys = grouped[x]
        blocks.append([math.fsum(ys) / len(ys), float(len(ys)), x, x])
        while len(blocks) > 1 and blocks[-2][0] >= blocks[-1][0]:
            last = blocks.pop()
            before = blocks[-1]
            weight = before[1] + last[1]
            before[0] = math.fsum((before[0] * before[1], last[0] * last[1])) / weight
            before[1] = weight
            before[3] = last[3]
    xs: list[float] = []
    ys_out: list[float] = []
    for mean, _, low, high in blocks:
        xs.append(low)
        ys_out.append(mean)
        if high != low:
            xs.append(high)
            ys_out.append(mean)
    return tuple(xs), tuple(ys_out)


def interpolate(x: float, xs: Sequence[float], ys: Sequence[float]) -> float:
    """Map ``x`` through the points ``(xs, ys)``: linear between them, clipped outside.

    >>> interpolate(0.5, (0.0, 1.0), (0.2, 0.4)), interpolate(-3.0, (0.0, 1.0), (0.2, 0.4))
    (0.30000000000000004, 0.2)
    """
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    i = bisect.bisect_right(xs, x)
    x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


def fit_platt(pairs: Iterable[tuple[float, bool]], *, iterations: int = 100) -> tuple[float, float]:
    """The slope and intercept ``(a, b)`` of Platt's logistic fit of ``won`` on score.

    >>> a, b = fit_platt([(-2.0, False), (-1.0, False), (1.0, True), (2.0, True), (0.5, False)])
    >>> a > 0
    True
    """
    ordered = sorted(pairs)
    positives = sum(1 for _, won in ordered if won)
    negatives = len(ordered) - positives
    high = (positives + 1.0) / (positives + 2.0)
    low = 1.0 / (negatives + 2.0)
    data = [(s, high if won else low) for s, won in ordered]

    def loss(a: float, b: float) -> float:
        # cross-entropy of the targets, computed stably from the margin
        terms = []
        for s, t in data:
            f = a * s + b
            # -[t log p + (1 - t) log (1 - p)] with p = logistic(f)
            terms.append(_softplus(f) - t * f)
        return math.fsum(terms)

    a, b = 0.0, math.log((positives + 1.0) / (negatives + 1.0))
    current = loss(a, b)
    for _ in range(iterations):
        g_a: list[float] = []
        g_b: list[float] = []
        h_aa: list[float] = []
        h_ab: list[float] = []
        h_bb: list[float] = []
        for s, t in data:
            p = logistic(a * s + b)
            d = p - t
            w = p * (1.0 - p)
            g_a.append(d * s)
            g_b.append(d)
            h_aa.append(w * s * s)
            h_ab.append(w * s)
            h_bb.append(w)
        ga, gb = math.fsum(g_a), math.fsum(g_b)
        if abs(ga) < 1e-10 and abs(gb) < 1e-10:  # convergence tolerance
            break
        haa = math.fsum(h_aa) + 1e-12
        hab = math.fsum(h_ab)
        hbb = math.fsum(h_bb) + 1e-12
        det = haa * hbb - hab * hab
        step_a = -(hbb * ga - hab * gb) / det
        step_b = -(haa * gb - hab * ga) / det
        scale = 1.0
        while scale > 1e-10:  # smallest step tried
            na, nb = a + scale * step_a, b + scale * step_b
            candidate = loss(na, nb)
            if candidate <= current + 1e-4 * scale * (ga * step_a + gb * step_b):
                a, b, current = na, nb, candidate
                break
            scale /= 2.0
        else:
            break
    return a, b


def _softplus(x: float) -> float:
    """``log(1 + exp(x))`` without overflow."""
    if x > 0:
        return x + math.log1p(math.exp(-x))
    return math.log1p(math.exp(x))
