"""Predictive scoring on real data: who buys caravan insurance (ISLP's Caravan data set).

5,822 customers of an insurance company, 85 socio-demographic and product-ownership
attributes each (coded levels, read here as categories), and whether they bought a
caravan policy (6 % did). The CSV ships inside the ISLP wheel; it is read with the standard
library from the installed package's folder, and ISLP itself is never imported (it pulls
in torch). Install the file with:

    .venv/bin/pip install --no-deps "ISLP==0.6.0"

As in the ISLP lab, the first 1,000 customers are held out for testing and the model
learns from the other 4,822. A plain naive Bayes ranks customers well (AUC about 0.73),
but its probabilities are far too confident: its Brier score is worse than always
predicting the base rate. Calibrated by cross-fitting, isotonic or Platt, the same model
beats the base rate.

Run: .venv/bin/python examples/predictive_scoring.py
"""

from __future__ import annotations

import csv
import importlib.metadata
from pathlib import Path

import pipelinekit as pk
from pipelinekit.scoring import Evaluation, NaiveBayes, evaluate

#: Where the file is inside the ISLP distribution.
CSV_NAME = "ISLP/data/Caravan.csv"
HELD_OUT = 1000


def caravan_csv() -> Path:
    """The installed Caravan.csv, found through the distribution's file list (no import)."""
    try:
        distribution = importlib.metadata.distribution("ISLP")
    except importlib.metadata.PackageNotFoundError:
        raise FileNotFoundError(
            'Caravan.csv comes with the ISLP wheel: pip install --no-deps "ISLP==0.6.0"'
        ) from None
    for file in distribution.files or ():
        if file.as_posix() == CSV_NAME:
            return Path(str(distribution.locate_file(file)))
    raise FileNotFoundError(f"the installed ISLP has no {CSV_NAME}")


def load(path: Path) -> tuple[list[pk.Contact], list[str]]:
    """One closed contact per customer (bought: customer, else lost) and the feature paths."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    columns = [name for name in rows[0] if name != "Purchase"]
    contacts = [
        pk.Contact(
            id=f"caravan-{number}",
            name=f"Customer {number}",
            stage="customer" if row["Purchase"] == "Yes" else "lost",
            facts={name: row[name] for name in columns},
        )
        for number, row in enumerate(rows, start=1)
    ]
    return contacts, [f"facts.{name}" for name in columns]


def run(path: Path | None = None) -> dict[str, Evaluation]:
    """Fit uncalibrated, isotonic and Platt models; evaluate each on the held-out customers."""
    contacts, features = load(caravan_csv() if path is None else path)
    test, train = contacts[:HELD_OUT], contacts[HELD_OUT:]
    reports = {}
    for calibrate in (None, "isotonic", "platt"):
        model = NaiveBayes.fit(train, features=features, calibrate=calibrate)
        reports[str(calibrate)] = evaluate(model, test)
    return reports


def describe(reports: dict[str, Evaluation]) -> str:
    """The evaluations as text, one block per calibration."""
    return "\n".join(f"--- calibrate={name}\n{report}" for name, report in reports.items())


def main() -> None:
    """Print the three evaluations (or how to install the data set)."""
    try:
        path = caravan_csv()
    except FileNotFoundError as error:
        print(f"skipped: {error}")
        return
    print(describe(run(path)))


if __name__ == "__main__":
    main()
