"""Honest evaluation of scores: Brier, log loss, AUC, calibration, splits and backtests.

:func:`evaluate` scores a fitted model on closed contacts it did not learn from and
compares it with the simplest forecast there is, always predicting the base rate: a
model whose Brier score is worse than that says so plainly. The helpers keep the test
honest: :func:`split_by_time` trains on what closed before a date and tests on what
closed after it (as the model will be used), :func:`k_fold` deals contacts into folds by
a hash of their id and a seed (the same folds whatever the order), and :func:`backtest`
checks a qualification policy against what happened.

>>> import pipelinekit as pk
>>> from pipelinekit.scoring import brier_score, log_loss, roc_auc
>>> probabilities, won = [0.9, 0.8, 0.3, 0.2], [True, False, True, False]
>>> round(brier_score(probabilities, won), 4), round(roc_auc(probabilities, won), 4)
(0.295, 0.75)

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

import attrs

from pipelinekit._checks import require_aware
from pipelinekit.entities import Contact
from pipelinekit.errors import FieldTypeError, FieldValueError
from pipelinekit.lifecycle import DEFAULT_SPEC, PipelineSpec
from pipelinekit.qualifiers import Qualifier
from pipelinekit.scoring.points import PointsModel
from pipelinekit.scoring.predictive import NaiveBayes, contact_list, folds_of, labelled

__all__ = [
    "Backtest",
    "Evaluation",
    "backtest",
    "brier_score",
    "calibration_table",
    "closed_at",
    "evaluate",
    "k_fold",
    "log_loss",
    "roc_auc",
    "split_by_time",
]

#: Probabilities are clipped to ``[EPSILON, 1 - EPSILON]`` in the log loss (as scikit-learn).
EPSILON: Final = sys.float_info.epsilon


def _checked(
    probabilities: Iterable[float], outcomes: Iterable[bool]
) -> tuple[list[float], list[bool]]:
    """Both as lists, checked: numbers in [0, 1], bools, as many of each, not empty."""
    values: list[list[Any]] = []
    for name, items in (("probabilities", probabilities), ("outcomes", outcomes)):
        if isinstance(items, (str, bytes, Mapping)) or not isinstance(items, Iterable):
            raise FieldTypeError(name, f"expected a list, got {type(items).__name__}")
        values.append(list(items))
    ps, ys = values
    if len(ps) != len(ys):
        raise FieldValueError("outcomes", "expected one outcome per probability")
    if not ps:
        raise FieldValueError("probabilities", "nothing to evaluate: no closed contacts")
    for p in ps:
        if isinstance(p, bool) or not isinstance(p, (int, float)):
            raise FieldTypeError("probabilities", f"expected numbers, got {type(p).__name__}")
        if not 0.0 <= p <= 1.0:
            raise FieldValueError("probabilities", f"expected values in [0, 1], got {p!r}")
    for y in ys:
        if type(y) is not bool:
            raise FieldTypeError("outcomes", f"expected bools (won), got {type(y).__name__}")
    return [float(p) for p in ps], ys


def brier_score(probabilities: Iterable[float], outcomes: Iterable[bool]) -> float:
    """The mean squared difference between the probabilities and the outcomes (0 is perfect)."""
    ps, ys = _checked(probabilities, outcomes)
    return math.fsum((p - (1.0 if y else 0.0)) ** 2 for p, y in zip(ps, ys, strict=True)) / len(ps)


def log_loss(probabilities: Iterable[float], outcomes: Iterable[bool]) -> float:
    """The mean negative natural log-likelihood of the outcomes.

    >>> round(log_loss([0.5, 0.5], [True, False]), 6)
    0.693147
    """
    ps, ys = _checked(probabilities, outcomes)
    terms = []
    for p, y in zip(ps, ys, strict=True):
        q = min(1.0 - EPSILON, max(EPSILON, p))
        terms.append(-math.log(q if y else 1.0 - q))
    return math.fsum(terms) / len(ps)


def roc_auc(probabilities: Iterable[float], outcomes: Iterable[bool]) -> float | None:
    """The chance that a won contact scores above a lost one (ties count half).

    ``None`` when the outcomes are all won or all lost (the AUC is undefined).
    """
    probabilities, outcomes = _checked(probabilities, outcomes)
    positives = sum(1 for y in outcomes if y)
    negatives = len(outcomes) - positives
    if positives == 0 or negatives == 0:
        return None
    order = sorted(range(len(probabilities)), key=probabilities.__getitem__)
    rank_sum = 0.0
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and probabilities[order[j + 1]] == probabilities[order[i]]:
            j += 1
        mid_rank = (i + j) / 2 + 1
        rank_sum += mid_rank * sum(1 for k in order[i : j + 1] if outcomes[k])
        i = j + 1
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def calibration_table(
    probabilities: Iterable[float], outcomes: Iterable[bool], bins: int = 10
) -> tuple[Mapping[str, object], ...]:
    """Rows ``{"bin", "count", "predicted", "observed"}`` over equal-width probability bins.

    Only non-empty bins are listed; ``predicted`` is the mean probability in the bin and
    ``observed`` the share of won contacts in it.

    >>> calibration_table([0.1, 0.15, 0.8], [False, True, True], bins=2)
    ({'bin': '0.00-0.50', 'count': 2, 'predicted': 0.125, 'observed': 0.5},
     {'bin': '0.50-1.00', 'count': 1, 'predicted': 0.8, 'observed': 1.0})
    """
    probabilities, outcomes = _checked(probabilities, outcomes)
    if type(bins) is not int or not 1 <= bins <= 1000:  # bound
        raise FieldValueError("bins", f"expected an int from 1 to 1000, got {bins!r}")
    cells: dict[int, list[tuple[float, bool]]] = {}
    for p, y in zip(probabilities, outcomes, strict=True):
        cells.setdefault(min(bins - 1, int(p * bins)), []).append((p, y))
    rows = []
    for index in sorted(cells):
        cell = cells[index]
        rows.append(
            {
                "bin": f"{index / bins:.2f}-{(index + 1) / bins:.2f}",
                "count": len(cell),
                "predicted": math.fsum(p for p, _ in cell) / len(cell),
                "observed": sum(1 for _, y in cell if y) / len(cell),
            }
        )
    return tuple(rows)


@attrs.frozen(kw_only=True)
class Evaluation:
    """How well a model's probabilities forecast what happened.

    Attributes:
        count: How many closed contacts were evaluated.
        brier: Brier score of the model (lower is better).
        log_loss: Mean negative natural log-likelihood (lower is better).
        auc: Area under the ROC curve, ties counting half (``None`` with one outcome only).
        base_rate: Share of won contacts among the evaluated ones.
        base_brier: Brier score of always predicting ``base_rate``.
        base_log_loss: Log loss of always predicting ``base_rate``.
        calibration: Rows ``{"bin", "count", "predicted", "observed"}``.
    """

    count: int
    brier: float
    log_loss: float
    auc: float | None
    base_rate: float
    base_brier: float
    base_log_loss: float
    calibration: tuple[Mapping[str, object], ...] = attrs.field(repr=False)

    @property
    def worse_than_base_rate(self) -> bool:
        """Whether the model's Brier score is worse than always predicting the base rate."""
        return self.brier > self.base_brier

    def __str__(self) -> str:
        auc = "undefined (one outcome only)" if self.auc is None else f"{self.auc:.3f}"
        lines = [
            f"{self.count} closed contacts, base rate {self.base_rate:.1%}",
            f"Brier {self.brier:.4f} (always the base rate: {self.base_brier:.4f})",
            f"log loss {self.log_loss:.4f} (always the base rate: {self.base_log_loss:.4f})",
            f"AUC {auc}",
        ]
        if self.worse_than_base_rate:
            lines.append(
                "WORSE than always predicting the base rate: do not use these probabilities"
                " as they are (calibrate the model)"
            )
        return "\n".join(lines)


def evaluate(
    model: NaiveBayes, contacts: Iterable[Contact], spec: PipelineSpec | None = None, bins: int = 10
) -> Evaluation:
    """Evaluate ``model`` on the closed contacts among ``contacts`` (open ones are ignored).

    Evaluate on contacts the model was not fitted on (:func:`split_by_time`,
    :func:`k_fold`): on its own training data any model looks better than it is.

    Raises:
        FieldValueError: no closed contacts to evaluate.
        FieldTypeError: ``model`` is not a fitted model.
    """
    if not isinstance(model, NaiveBayes):
        raise FieldTypeError("model", f"expected a NaiveBayes model, got {type(model).__name__}")
    rows = labelled(contacts, spec)
    probabilities = [model.predict(contact).probability for contact, _ in rows]
    outcomes = [won for _, won in rows]
    _checked(probabilities, outcomes)
    rate = sum(outcomes) / len(outcomes)
    constant = [rate] * len(outcomes)
    return Evaluation(
        count=len(outcomes),
        brier=brier_score(probabilities, outcomes),
        log_loss=log_loss(probabilities, outcomes),
        auc=roc_auc(probabilities, outcomes),
        base_rate=rate,
        base_brier=brier_score(constant, outcomes),
        base_log_loss=log_loss(constant, outcomes),
        calibration=calibration_table(probabilities, outcomes, bins),
    )


def closed_at(contact: Contact, spec: PipelineSpec | None = None) -> datetime | None:
    """When ``contact`` closed: the last change into its current (closed) stage, else ``None``."""
    spec = DEFAULT_SPEC if spec is None else spec
    if spec.outcome_of(contact.stage) == "open":
        return None
    for change in reversed(contact.history):
        if change.target == contact.stage:
            return change.at
    return None


def split_by_time(
    contacts: Iterable[Contact], at: datetime, spec: PipelineSpec | None = None
) -> tuple[list[Contact], list[Contact]]:
    """The closed contacts split by when they closed: ``(before at, at or after at)``.

    Train on the first, evaluate on the second. Open contacts, and closed ones whose
    history has no change into their stage (imported as closed), are in neither.
    """
    at = require_aware("at", at)
    before: list[Contact] = []
    after: list[Contact] = []
    for contact, _ in labelled(contacts, spec):
        when = closed_at(contact, spec)
        if when is not None:
            (before if when < at else after).append(contact)
    return before, after


def k_fold(
    contacts: Iterable[Contact], k: int = 5, seed: int = 0
) -> list[tuple[list[Contact], list[Contact]]]:
    """``k`` pairs ``(train, test)``: each contact is in exactly one test part.

    Contacts are ordered by a hash of ``seed`` and their id and dealt in turn, so the folds
    are the same whatever the input order and differ from seed to seed.
    """
    if type(k) is not int or not 2 <= k <= 100:  # bound
        raise FieldValueError("k", f"expected an int from 2 to 100, got {k!r}")
    if type(seed) is not int:
        raise FieldTypeError("seed", f"expected an int, got {type(seed).__name__}")
    items = contact_list(contacts)
    fold_of = folds_of(items, k, seed)
    pairs = list(zip(items, fold_of, strict=True))
    return [([c for c, f in pairs if f != i], [c for c, f in pairs if f == i]) for i in range(k)]


@attrs.frozen(kw_only=True)
class Backtest:
    """A policy's decisions on closed contacts against what happened.

    Attributes:
        count: Closed contacts looked at.
        admitted: How many the policy admitted.
        won: How many were won.
        admitted_won: How many were admitted and won.
        precision: ``admitted_won / admitted`` (``None`` when none was admitted).
        recall: ``admitted_won / won`` (``None`` when none was won).
    """

    count: int
    admitted: int
    won: int
    admitted_won: int
    precision: float | None
    recall: float | None


def backtest(
    policy: Qualifier | PointsModel,
    contacts: Iterable[Contact],
    at: datetime | None = None,
    spec: PipelineSpec | None = None,
    *,
    threshold: str | int | Decimal | None = None,
) -> Backtest:
    """Check a qualification policy against what happened to the closed contacts.

    ``policy`` is a :class:`~pipelinekit.Qualifier`: a contact is admitted when it PASSES
    (``policy(contact, at=at)``); or a :class:`~pipelinekit.PointsModel` with a
    ``threshold`` (one of its grade names, or a number of points): a contact is admitted
    when its total at ``at`` (required then) reaches the threshold. Precision: the share
    of admitted contacts that were won; recall: the share of won contacts that were
    admitted.

    >>> import pipelinekit as pk
    >>> from pipelinekit.scoring import backtest
    >>> big = pk.field("account.employees") >= 100
    >>> def c(id, employees, stage):
    ...     return pk.Contact(id=id, name=id, stage=stage,
    ...                       account=pk.Account(name="A", employees=employees))
    >>> result = backtest(big, [c("1", 500, "customer"), c("2", 200, "lost"),
    ...                         c("3", 10, "customer"), c("4", 5, "lost"), c("5", 900, "lead")])
    >>> result.precision, result.recall
    (0.5, 0.5)
    """
    admits = _admission(policy, at, threshold)
    rows = labelled(contacts, spec)
    admitted = won = both = 0
    for contact, outcome in rows:
        passed = admits(contact)
        admitted += passed
        won += outcome
        both += passed and outcome
    return Backtest(
        count=len(rows),
        admitted=admitted,
        won=won,
        admitted_won=both,
        precision=both / admitted if admitted else None,
        recall=both / won if won else None,
    )


def _admission(policy: object, at: datetime | None, threshold: object) -> Callable[[Contact], bool]:
    """Whether a policy admits a contact: a qualifier PASSES, or a score reaches a threshold."""
    if isinstance(policy, Qualifier):
        if threshold is not None:
            raise FieldValueError("threshold", "a qualifier policy takes no threshold")
        return lambda contact: policy(contact, at=at)
    if not isinstance(policy, PointsModel):
        raise FieldTypeError(
            "policy", f"expected a Qualifier or a PointsModel, got {type(policy).__name__}"
        )
    if at is None:
        raise FieldValueError("at", "a points model scores at a time: pass at=")
    require_aware("at", at)
    if isinstance(threshold, str):
        if threshold not in policy.thresholds:
            grades = ", ".join(policy.thresholds) or "none"
            raise FieldValueError(
                "threshold", f"{threshold!r} is not a grade of the model (grades: {grades})"
            )
        needed = policy.thresholds[threshold]
    elif type(threshold) is int or isinstance(threshold, Decimal):
        needed = Decimal(threshold)
        if not needed.is_finite():
            raise FieldValueError("threshold", f"must be finite, got {threshold}")
    elif threshold is None:
        raise FieldValueError("threshold", "a points model needs a threshold (a grade or points)")
    else:
        raise FieldTypeError(
            "threshold", f"expected a grade name, int or Decimal, got {type(threshold).__name__}"
        )
    return lambda contact: policy.score(contact, at=at).total >= needed
