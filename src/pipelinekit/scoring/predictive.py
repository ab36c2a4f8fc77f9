"""Predictive lead scoring: naive Bayes over won/lost frequency tables, calibrated, explained.

:meth:`NaiveBayes.fit` learns, from the *closed* contacts (won is positive; lost and
disqualified are negative, read from the spec's stage outcomes), one frequency table per
feature: how many won and how many lost contacts had each value. A prediction multiplies
the smoothed frequencies (Laplace smoothing ``alpha``: ``P(v | won) = (won_v + alpha) /
(won + alpha·K)`` with ``K`` the number of values the feature took at fit) with the prior, and
explains itself as Odoo's tooltip does: each feature's value with its *effect*, the
log-odds it adds (``ln P(v | won) - ln P(v | lost)``), strongest first.

Calibration is on by default (``calibrate="isotonic"``): naive Bayes ranks well but its
probabilities are overconfident when features are correlated. The calibration map is
fitted by **cross-fitting**: the closed contacts are dealt into ``folds`` folds (by a hash
of their id, so the result does not depend on their order); a model fitted without a fold
scores that fold, and the calibration map is fitted on those out-of-fold scores, never on
scores of contacts the scoring model saw. The final tables are fitted on all contacts.

A hand-worked case (the "Team Tooltip" leads of Odoo's predictive scoring tests: two won,
three lost):

>>> import pipelinekit as pk
>>> from pipelinekit.scoring import NaiveBayes
>>> def lead(id, stage, country, phone):
...     facts = {"phone": phone} if country is None else {"country": country, "phone": phone}
...     return pk.Contact(id=id, name=id, stage=stage, facts=facts)
>>> closed = [lead("a", "customer", "be", "correct"), lead("b", "customer", "fr", "correct"),
...           lead("c", "lost", None, "incorrect"), lead("d", "lost", "be", "incorrect"),
...           lead("e", "lost", None, "correct")]
>>> model = NaiveBayes.fit(closed, features=["facts.country", "facts.phone"], calibrate=None)
>>> prediction = model.predict(lead("tooltip", "lead", "be", "correct"))

Prior odds 2 : 3. ``phone = correct``: ``(2 + 1) / (2 + 2)`` of the won, ``(1 + 1) / (3 + 2)``
of the lost, effect ``ln(0.75 / 0.4) = 0.629``; ``country = be`` (three values: be, fr and
missing): ``(1 + 1) / (2 + 3)`` against ``(1 + 1) / (3 + 3)``, effect ``ln(1.2) = 0.182``.
So the odds are ``2/3 * 1.875 * 1.2 = 1.5`` and the probability ``1.5 / 2.5 = 0.6``:

>>> round(prediction.probability, 6)
0.6
>>> [(f.feature, f.value, round(f.effect, 3)) for f in prediction.factors]
[('facts.phone', 'correct', 0.629), ('facts.country', 'be', 0.182)]

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence

import attrs

from pipelinekit.entities import Contact
from pipelinekit.errors import FieldTypeError, FieldValueError
from pipelinekit.lifecycle import DEFAULT_SPEC, PipelineSpec
from pipelinekit.scoring._calibration import fit_isotonic, fit_platt, logistic
from pipelinekit.scoring._features import Category, Kind, Raw, check_feature, read_raw
from pipelinekit.scoring._tables import (
    MAX_BINS,
    MAX_FEATURES,
    Calibration,
    FeatureTable,
    Method,
    build_table,
    check_arguments,
)

__all__ = [
    "MAX_BINS",
    "MAX_FEATURES",
    "Calibration",
    "Factor",
    "FeatureTable",
    "NaiveBayes",
    "Prediction",
    "contact_list",
    "folds_of",
    "labelled",
]


@attrs.frozen(kw_only=True)
class Factor:
    """One feature's part in a prediction.

    Attributes:
        feature: The feature's path.
        value: The contact's value: the category, the bin (``"10 to < 50"``) of a number,
            or ``None`` when missing.
        effect: The log-odds it adds (positive pushes towards won); 0 for a value the
            model never saw.
    """

    feature: str
    value: str | bool | None
    effect: float


@attrs.frozen(kw_only=True)
class Prediction:
    """A predicted probability of winning, and why.

    Attributes:
        probability: The (calibrated, when the model is) probability of winning, in [0, 1].
        log_odds: The naive Bayes log-odds before calibration.
        factors: One :class:`Factor` per feature, strongest effect first.
    """

    probability: float
    log_odds: float
    factors: tuple[Factor, ...]

    def __str__(self) -> str:
        lines = [f"probability {self.probability:.1%} (log-odds {self.log_odds:+.3f})"]
        lines.extend(f"  {f.effect:+.3f}  {f.feature} = {f.value!r}" for f in self.factors)
        return "\n".join(lines)


def labelled(contacts: Iterable[object], spec: PipelineSpec | None) -> list[tuple[Contact, bool]]:
    """The closed contacts with their outcome (``True`` = won); open ones are left out.

    Raises:
        FieldTypeError: an item is not a :class:`~pipelinekit.Contact`.
        InvalidPipeline: a contact's stage is not a stage of ``spec``.
    """
    spec = DEFAULT_SPEC if spec is None else spec
    if not isinstance(spec, PipelineSpec):
        raise FieldTypeError("spec", f"expected a PipelineSpec, got {type(spec).__name__}")
    won = frozenset(spec.won_stages)
    return [
        (contact, contact.stage in won)
        for contact in contact_list(contacts)
        if spec.outcome_of(contact.stage) != "open"
    ]


def contact_list(contacts: Iterable[object]) -> list[Contact]:
    """``contacts`` as a list, every item checked to be a :class:`~pipelinekit.Contact`.

    Raises:
        FieldTypeError: ``contacts`` is not an iterable of contacts (naming the item).
    """
    if isinstance(contacts, (str, bytes, Mapping)) or not isinstance(contacts, Iterable):
        raise FieldTypeError("contacts", "expected an iterable of contacts")
    out = []
    for index, contact in enumerate(contacts):
        if not isinstance(contact, Contact):
            raise FieldTypeError(
                f"contacts[{index}]", f"expected a Contact, got {type(contact).__name__}"
            )
        out.append(contact)
    return out


@attrs.frozen(kw_only=True, repr=False)
class NaiveBayes:
    """A fitted naive Bayes model: frequency tables, prior counts and a calibration map.

    A value: frozen, compared by its tables, serializable with :func:`pipelinekit.to_dict`
    (the tables are the document). Build it with :meth:`fit`.

    Attributes:
        features: The feature paths, in the order given to :meth:`fit`.
        tables: One :class:`FeatureTable` per feature, same order.
        won: How many won contacts it was fitted on.
        lost: How many lost or disqualified contacts it was fitted on.
        smoothing: The Laplace smoothing ``alpha`` (> 0).
        bins: The number of quantile bins asked for numeric features.
        calibration: The calibration map, or ``None`` (raw naive Bayes probabilities).
    """

    features: tuple[str, ...]
    tables: tuple[FeatureTable, ...]
    won: int
    lost: int
    smoothing: float = 1.0
    bins: int = 5
    calibration: Calibration | None = None
    _effects: tuple[dict[Category, float], ...] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )
    _segments: tuple[tuple[str, ...], ...] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        if tuple(t.feature for t in self.tables) != self.features:
            raise FieldValueError("tables", "expected one table per feature, in feature order")
        if self.won < 1 or self.lost < 1:
            raise FieldValueError("won", "a model needs at least one won and one lost contact")
        if not 0 < self.smoothing < math.inf:
            raise FieldValueError(
                "smoothing", f"expected a finite number > 0, got {self.smoothing!r}"
            )
        object.__setattr__(self, "_effects", tuple(self._table_effects(t) for t in self.tables))
        object.__setattr__(self, "_segments", tuple(check_feature(f) for f in self.features))

    def _table_effects(self, table: FeatureTable) -> dict[Category, float]:
        alpha, k = self.smoothing, len(table.counts)
        won_total = math.log(self.won + alpha * k)
        lost_total = math.log(self.lost + alpha * k)
        return {
            value: (math.log(w + alpha) - won_total) - (math.log(lo + alpha) - lost_total)
            for value, w, lo in table.counts
        }

    def __repr__(self) -> str:
        method = self.calibration.method if self.calibration else None
        return (
            f"NaiveBayes(features={self.features!r}, won={self.won}, lost={self.lost},"
            f" smoothing={self.smoothing!r}, bins={self.bins}, calibrate={method!r})"
        )

    @property
    def prior_log_odds(self) -> float:
        """``ln(won / lost)``: the log-odds of a contact about whom nothing is known."""
        return math.log(self.won) - math.log(self.lost)

    @classmethod
    def fit(
        cls,
        contacts: Iterable[Contact],
        features: Sequence[str],
        *,
        spec: PipelineSpec | None = None,
        bins: int = 5,
        smoothing: float = 1,
        calibrate: Method | None = "isotonic",
        folds: int = 5,
    ) -> NaiveBayes:
        """Fit the model on the closed contacts among ``contacts``.

        Args:
            contacts: Contacts; open ones (by ``spec``) are ignored.
            features: Field paths, read as :func:`pipelinekit.field` reads them.
            spec: The pipeline whose stage outcomes say won and lost (default:
                :data:`~pipelinekit.DEFAULT_SPEC`).
            bins: Quantile bins per numeric feature (1 to :data:`MAX_BINS`).
            smoothing: Laplace smoothing ``alpha`` (> 0).
            calibrate: ``"isotonic"``, ``"platt"`` or ``None``.
            folds: Folds of the cross-fitting behind the calibration (2 to 20).

        Raises:
            FieldValueError: too few won or lost contacts, a bad argument, a feature that
                reads the stage, Money in several currencies.
            FieldTypeError: a feature mixes categories and numbers, or has other values.
            QualifierError: a feature is not a valid field path.
        """
        paths = check_arguments(features, bins, smoothing, calibrate, folds)
        rows = labelled(contacts, spec)
        segments = [check_feature(path) for path in paths]
        raws = [[read_raw(c, f, s) for f, s in zip(paths, segments, strict=True)] for c, _ in rows]
        labels = [won for _, won in rows]
        model = _fit(paths, raws, labels, bins, float(smoothing))
        if calibrate is None:
            return model
        pairs = _out_of_fold(
            paths,
            rows,
            raws,
            labels,
            bins=bins,
            smoothing=float(smoothing),
            folds=folds,
            kinds=[t.kind for t in model.tables],
        )
        if calibrate == "isotonic":
            xs, ys = fit_isotonic(pairs)
            calibration = Calibration(method="isotonic", xs=xs, ys=ys)
        else:
            slope, intercept = fit_platt(pairs)
            calibration = Calibration(method="platt", slope=slope, intercept=intercept)
        return attrs.evolve(model, calibration=calibration)

    def log_odds(self, contact: object) -> float:
        """The uncalibrated naive Bayes log-odds of winning for ``contact``."""
        return self.prior_log_odds + math.fsum(e for _, _, e in self._parts(contact))

    def score_readings(self, raws: Sequence[Raw]) -> float:
        """The log-odds for readings already taken (one per feature, in feature order)."""
        effects = (
            table_effects.get(table.category(raw), 0.0)
            for table, table_effects, raw in zip(self.tables, self._effects, raws, strict=True)
        )
        return self.prior_log_odds + math.fsum(effects)

    def _parts(self, contact: object) -> list[tuple[FeatureTable, Category, float]]:
        parts = []
        for table, effects, segments in zip(
            self.tables, self._effects, self._segments, strict=True
        ):
            raw = read_raw(contact, table.feature, segments)
            value = table.category(raw)
            parts.append((table, value, effects.get(value, 0.0)))
        return parts

    def predict(self, contact: object) -> Prediction:
        """The probability that ``contact`` is won, with the factors behind it.

        The contact's stage is never read: an open lead is scored as it is.
        """
        parts = self._parts(contact)
        log_odds = self.prior_log_odds + math.fsum(e for _, _, e in parts)
        probability = (
            logistic(log_odds) if self.calibration is None else self.calibration.apply(log_odds)
        )
        order = sorted(range(len(parts)), key=lambda i: (-abs(parts[i][2]), i))
        factors = tuple(
            Factor(
                feature=parts[i][0].feature,
                value=parts[i][0].label(parts[i][1]),
                effect=parts[i][2],
            )
            for i in order
        )
        return Prediction(probability=probability, log_odds=log_odds, factors=factors)


def _fit(
    paths: tuple[str, ...],
    raws: Sequence[Sequence[Raw]],
    labels: Sequence[bool],
    bins: int,
    smoothing: float,
    *,
    kinds: Sequence[Kind] | None = None,
) -> NaiveBayes:
    won = sum(labels)
    lost = len(labels) - won
    if won == 0 or lost == 0:
        raise FieldValueError(
            "contacts",
            f"a model needs won and lost contacts to learn from; got {won} won and {lost}"
            " lost or disqualified among the closed contacts",
        )
    tables = tuple(
        build_table(
            feature, [row[i] for row in raws], labels, bins, None if kinds is None else kinds[i]
        )
        for i, feature in enumerate(paths)
    )
    return NaiveBayes(
        features=paths, tables=tables, won=won, lost=lost, smoothing=smoothing, bins=bins
    )


def folds_of(contacts: Sequence[Contact], folds: int, seed: int = 0) -> list[int]:
    """The fold of each contact: ordered by a hash of ``seed`` and the id, then dealt in turn.

    The same contacts in any order land in the same folds (equal ids are ordered by
    their ``repr``).
    """

    def key(i: int) -> tuple[bytes, str]:
        text = f"{seed}\x00{contacts[i].id}".encode()
        return (hashlib.blake2b(text, digest_size=8).digest(), repr(contacts[i]))

    out = [0] * len(contacts)
    for rank, index in enumerate(sorted(range(len(contacts)), key=key)):
        out[index] = rank % folds
    return out


def _out_of_fold(
    paths: tuple[str, ...],
    rows: Sequence[tuple[Contact, bool]],
    raws: Sequence[Sequence[Raw]],
    labels: Sequence[bool],
    *,
    bins: int,
    smoothing: float,
    folds: int,
    kinds: Sequence[Kind],
) -> list[tuple[float, bool]]:
    fold_of = folds_of([contact for contact, _ in rows], folds)
    pairs: list[tuple[float, bool]] = []
    for fold in range(folds):
        train = [i for i in range(len(rows)) if fold_of[i] != fold]
        test = [i for i in range(len(rows)) if fold_of[i] == fold]
        train_labels = [labels[i] for i in train]
        if not test or all(train_labels) or not any(train_labels):
            continue  # this fold's model would lack won or lost contacts
        model = _fit(paths, [raws[i] for i in train], train_labels, bins, smoothing, kinds=kinds)
        pairs.extend((model.score_readings(raws[i]), labels[i]) for i in test)
    if len({won for _, won in pairs}) < 2:  # both outcomes
        raise FieldValueError(
            "calibrate",
            "too few won and lost contacts to calibrate by cross-fitting; fit on more closed"
            " contacts or pass calibrate=None",
        )
    return pairs
