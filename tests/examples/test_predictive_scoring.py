"""The predictive scoring example on real data (ISLP's Caravan customers), and its figures.

The CSV ships inside the ISLP wheel, installed without its dependencies by the README's
test command (``pip install --no-deps "ISLP==0.6.0"``: an extra cannot say ``--no-deps``,
and ISLP's own dependencies include torch). The file is found through the installed
distribution's file list; ISLP is never imported. Outside CI a missing file skips these
tests (saying how to install it); in CI (``CI`` set) it fails them.

The figures are recorded in docs/scoring.md ("Predictive scoring"); the model is pure
Python and deterministic, so they are checked to the digits shown there.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from pipelinekit.scoring import Evaluation

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples"))
import predictive_scoring  # noqa: E402


@pytest.fixture(scope="module")
def reports() -> dict[str, Evaluation]:
    try:
        path = predictive_scoring.caravan_csv()
    except FileNotFoundError as error:
        if os.environ.get("CI"):
            pytest.fail(f"the real data set is missing in CI: {error}")
        pytest.skip(str(error))
    return predictive_scoring.run(path)


def test_readme_test_command_installs_the_data_set_without_dependencies() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"<!-- quickstart:test -->\n```bash\n(.*)\n", readme)
    assert command
    assert '.venv/bin/pip install --no-deps "ISLP==0.6.0"' in command.group(1)


def test_islp_is_never_imported(reports: dict[str, Evaluation]) -> None:
    assert "ISLP" not in sys.modules


def test_plain_naive_bayes_ranks_well_but_is_worse_than_the_base_rate(
    reports: dict[str, Evaluation],
) -> None:
    raw = reports["None"]
    assert raw.count == 1000
    assert round(raw.base_rate, 3) == 0.059
    assert round(raw.auc or 0, 3) == 0.726
    assert round(raw.brier, 4) == 0.1763
    assert round(raw.base_brier, 4) == 0.0555
    assert raw.worse_than_base_rate
    assert "WORSE than always predicting the base rate" in str(raw)


@pytest.mark.parametrize(
    ("method", "brier", "log_loss", "auc"),
    [
        ("isotonic", 0.0530, 0.2046, 0.722),
        ("platt", 0.0530, 0.2056, 0.726),
    ],
)
def test_calibrated_beats_the_base_rate(
    reports: dict[str, Evaluation], method: str, brier: float, log_loss: float, auc: float
) -> None:
    report = reports[method]
    assert round(report.brier, 4) == brier
    assert round(report.log_loss, 4) == log_loss
    assert round(report.auc or 0, 3) == auc
    assert not report.worse_than_base_rate
    assert report.brier < report.base_brier
    assert report.log_loss < report.base_log_loss


def test_the_figures_are_in_the_docs() -> None:
    docs = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
    for figure in ("0.726", "0.1763", "0.0555", "0.0530", "0.2046", "0.2056", "0.722"):
        assert figure in docs, figure


def test_describe(reports: dict[str, Evaluation]) -> None:
    text = predictive_scoring.describe(reports)
    assert text.count("1000 closed contacts") == 3
    assert text.startswith("--- calibrate=None\n")
