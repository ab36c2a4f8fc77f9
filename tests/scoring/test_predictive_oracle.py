"""Against an oracle: scikit-learn (a test-only dependency; pipelinekit never imports it).

* uncalibrated probabilities == ``sklearn.naive_bayes.CategoricalNB`` with the same
  smoothing, on random categorical data;
* Brier, log loss and AUC == ``sklearn.metrics``;
* isotonic calibration == ``sklearn.isotonic.IsotonicRegression``.
"""

from __future__ import annotations

import random

import pytest

pytest.importorskip("sklearn")
import numpy as np  # after the skip
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
from sklearn.naive_bayes import CategoricalNB

import pipelinekit as pk
from pipelinekit.scoring import NaiveBayes, brier_score, roc_auc
from pipelinekit.scoring import log_loss as pk_log_loss
from pipelinekit.scoring._calibration import fit_isotonic, interpolate

SEEDS = range(12)


def random_data(seed: int) -> tuple[list[list[str]], list[bool]]:
    rng = random.Random(seed)  # noqa: S311  # test data, not secrets
    n = rng.randint(20, 300)
    n_features = rng.randint(1, 6)
    levels = [rng.randint(1, 6) for _ in range(n_features)]
    weights = [rng.random() for _ in range(n_features)]
    rows, won = [], []
    for _ in range(n):
        row = [f"v{rng.randrange(k)}" for k in levels]
        signal = sum(w * int(v[1:]) for w, v in zip(weights, row, strict=True))
        rows.append(row)
        won.append(rng.random() < 0.2 + 0.1 * signal / max(1, n_features))
    won[0], won[1] = True, False  # both outcomes
    return rows, won


def contacts(rows: list[list[str]], won: list[bool]) -> list[pk.Contact]:
    return [
        pk.Contact(
            id=f"c{i}",
            name="n",
            stage="customer" if w else "lost",
            facts={f"f{j}": v for j, v in enumerate(row)},
        )
        for i, (row, w) in enumerate(zip(rows, won, strict=True))
    ]


def encoded(rows: list[list[str]]) -> np.ndarray:
    """The rows as CategoricalNB wants them: per column, each value's rank among those seen."""
    columns = list(zip(*rows, strict=True))
    codes = [{v: i for i, v in enumerate(sorted(set(column)))} for column in columns]
    return np.array([[codes[j][v] for j, v in enumerate(row)] for row in rows])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("alpha", [1.0, 0.5, 2.5])
def test_probabilities_match_categorical_nb(seed: int, alpha: float) -> None:
    rows, won = random_data(seed)
    people = contacts(rows, won)
    features = [f"facts.f{j}" for j in range(len(rows[0]))]
    model = NaiveBayes.fit(people, features=features, smoothing=alpha, calibrate=None)
    oracle = CategoricalNB(alpha=alpha).fit(encoded(rows), np.array(won, dtype=int))
    expected = oracle.predict_proba(encoded(rows))[:, 1]
    ours = [model.predict(c).probability for c in people]
    assert ours == pytest.approx(list(expected), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_metrics_match_sklearn(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311  # test data, not secrets
    n = rng.randint(2, 400)
    # rounded probabilities: many ties, and some 0 and 1 (clipped in the log loss)
    probabilities = [round(rng.random(), rng.choice([1, 2, 6])) for _ in range(n)]
    outcomes = [rng.random() < p for p in probabilities]
    outcomes[0], outcomes[1] = True, False
    y = np.array(outcomes, dtype=int)
    p = np.array(probabilities)
    assert brier_score(probabilities, outcomes) == pytest.approx(brier_score_loss(y, p), rel=1e-12)
    assert pk_log_loss(probabilities, outcomes) == pytest.approx(log_loss(y, p), rel=1e-9)
    assert roc_auc(probabilities, outcomes) == pytest.approx(roc_auc_score(y, p), rel=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_isotonic_matches_sklearn(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311  # test data, not secrets
    n = rng.randint(1, 300)
    scores = [round(rng.gauss(0, 2), rng.choice([0, 1, 3])) for _ in range(n)]  # ties
    outcomes = [rng.random() < 1 / (1 + np.exp(-s)) for s in scores]
    xs, ys = fit_isotonic(zip(scores, outcomes, strict=True))
    oracle = IsotonicRegression(out_of_bounds="clip").fit(scores, np.array(outcomes, dtype=float))
    probes = [*scores, *(rng.uniform(-8, 8) for _ in range(50))]
    expected = oracle.predict(probes)
    ours = [interpolate(x, xs, ys) for x in probes]
    assert ours == pytest.approx(list(expected), rel=1e-9, abs=1e-12)
