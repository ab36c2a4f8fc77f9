# Benchmark: pipelinekit to_dict / from_dict against pydantic v2 models of the same schema.
#
#   .venv/bin/python -m tests.benchmarks.serialization [--n 100000] [--repeat 5]
#
# Both libraries get the same realistic contacts (account, 1-3 stakeholders, 2-5
# touchpoints, facts, an opportunity) and the same JSON-ready dicts:
#   dump:  pk.to_dict(contact)           vs  model.model_dump(mode="json")
#   load:  pk.from_dict(doc, pk.Contact) vs  PContact.model_validate(doc)
# The pydantic models validate what pipelinekit validates: strict scalars (no int for
# str, no bool for int), the same email / phone / currency / fact-key patterns,
# non-blank names (and all optional text None or non-blank), employees >= 0, influence 0-10,
# probability 0-1, aware RFC 3339 datetimes, YYYY-MM-DD dates, enum values, finite facts,
# amounts as plain decimal text or int (no floats) within |x| < 10**18 and 12 places,
# revenue / budget / deal amounts >= 0, unknown keys refused. (The stage-name rules for
# history entries are not mirrored: the benchmark contacts have no history.)
# Timing is the median of --repeat runs over all contacts, the two libraries interleaved, with
# the garbage collector off while a run is timed (as timeit does).
# Goal: pipelinekit at most 1.0x pydantic (as fast or faster), both ways.
from __future__ import annotations

import argparse
import math
import platform
import random
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
)

import pipelinekit as pk
from pipelinekit._checks import _EMAIL, _PHONE, IDENTIFIER
from tests.benchmarks._timing import medians

# --- the pydantic v2 twin of the schema ----------------------------------------------


def _no_float(value: object) -> object:
    if isinstance(value, float):
        raise ValueError("float is not exact")  # pydantic wants ValueError
    return value


def _at_most_12_places(value: Decimal) -> Decimal:
    # Cheaper than Field(decimal_places=12), which normalises every amount in Python.
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -12:
        raise ValueError("more than 12 decimal places")
    return value


def _amount_text(value: object) -> object:
    if isinstance(value, str) and _AMOUNT_TEXT.fullmatch(value) is None:
        raise ValueError("not a plain decimal number")
    return value


def _day_text(value: object) -> object:
    if isinstance(value, str) and _DAY_TEXT.fullmatch(value) is None:
        raise ValueError("not YYYY-MM-DD")
    return value


_AMOUNT_TEXT = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_DAY_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

NonBlank = Annotated[StrictStr, StringConstraints(pattern=r"\S")]
Email = Annotated[StrictStr, StringConstraints(max_length=254, pattern=f"^(?:{_EMAIL.pattern})$")]
Phone = Annotated[StrictStr, StringConstraints(max_length=40, pattern=f"^(?:{_PHONE.pattern})$")]
Currency = Annotated[StrictStr, StringConstraints(pattern=r"^[A-Z]{3}$")]
Amount = Annotated[
    Decimal,
    BeforeValidator(_no_float),
    Field(strict=False, allow_inf_nan=False, lt=10**18, gt=-(10**18)),
    AfterValidator(_at_most_12_places),
]
OptionalName = Annotated[StrictStr, StringConstraints(pattern=r"\S")] | None
Probability = Annotated[
    Decimal, BeforeValidator(_no_float), Field(strict=False, ge=0, le=1, allow_inf_nan=False)
]
Aware = Annotated[AwareDatetime, Field(strict=False)]
Day = Annotated[date, BeforeValidator(_day_text), Field(strict=False)]
FactKey = Annotated[StrictStr, StringConstraints(pattern=f"^(?:{IDENTIFIER.pattern})$")]
FactValue = StrictStr | StrictBool | StrictInt | Annotated[StrictFloat, Field(allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class PMoney(_Model):
    amount: Annotated[Amount, BeforeValidator(_amount_text)]
    currency: Currency


class PNonNegativeMoney(PMoney):
    amount: Annotated[Amount, BeforeValidator(_amount_text), Field(ge=0)]


class PAccount(_Model):
    name: NonBlank
    industry: OptionalName = None
    employees: Annotated[StrictInt, Field(ge=0)] | None = None
    country: OptionalName = None
    annual_revenue: PNonNegativeMoney | None = None
    website: OptionalName = None
    id: OptionalName = None


class PStakeholder(_Model):
    name: NonBlank
    role: Annotated[pk.Role, Field(strict=False)] | None = None
    title: OptionalName = None
    email: Email | None = None
    influence: Annotated[StrictInt, Field(ge=0, le=10)] | None = None
    is_primary: StrictBool = False
    id: OptionalName = None


class PTouchpoint(_Model):
    channel: Annotated[pk.Channel, Field(strict=False)]
    timestamp: Aware
    kind: OptionalName = None
    note: OptionalName = None


class POpportunity(_Model):
    amount: PNonNegativeMoney | None = None
    expected_close: Day | None = None
    probability: Probability | None = None
    next_step: OptionalName = None
    competitors: Annotated[tuple[StrictStr, ...], Field(strict=False)] = ()
    lost_reason: OptionalName = None
    id: OptionalName = None


class PStageChange(_Model):
    event: NonBlank
    source: NonBlank
    target: NonBlank
    at: Aware
    by: OptionalName = None
    reason: OptionalName = None
    verdict: OptionalName = None


class PContact(_Model):
    schema_version: Literal[1] = 1
    id: NonBlank
    name: NonBlank
    email: Email | None = None
    phone: Phone | None = None
    title: OptionalName = None
    account: PAccount | None = None
    source: OptionalName = None
    owner: OptionalName = None
    created_at: Aware | None = None
    stage: NonBlank = "lead"
    budget: PNonNegativeMoney | None = None
    authority: StrictBool | None = None
    need: OptionalName = None
    pains: Annotated[tuple[StrictStr, ...], Field(strict=False)] = ()
    timeline: Day | None = None
    interest: StrictBool | None = None
    facts: dict[FactKey, FactValue] = Field(default_factory=dict)
    stakeholders: Annotated[tuple[PStakeholder, ...], Field(strict=False)] = ()
    touchpoints: Annotated[tuple[PTouchpoint, ...], Field(strict=False)] = ()
    opportunity: POpportunity | None = None
    history: Annotated[tuple[PStageChange, ...], Field(strict=False)] = ()
    version: Annotated[StrictInt, Field(ge=0)] = 0


# --- realistic contacts --------------------------------------------------------------

INDUSTRIES = ["software", "fintech", "retail", "manufacturing", "health"]
COUNTRIES = ["DE", "FR", "US", "GB", "NL"]
START = datetime(2026, 1, 1, tzinfo=UTC)


def make_contact(rng: random.Random, i: int) -> pk.Contact:
    tz = timezone(timedelta(hours=rng.choice([-5, 0, 1, 2, 9])))
    created = START + timedelta(minutes=rng.randrange(400_000))
    account = pk.Account(
        id=f"acc-{i % 5000}",
        name=f"Company {i % 5000}",
        industry=rng.choice(INDUSTRIES),
        employees=rng.randrange(1, 20_000),
        country=rng.choice(COUNTRIES),
        annual_revenue=pk.Money(f"{rng.randrange(10**5, 10**9)}.00", "EUR"),
        website=f"https://www.company{i % 5000}.example/",
    )
    stakeholders = tuple(
        pk.Stakeholder(
            id=f"p-{i}-{k}",
            name=f"Person {i}-{k}",
            role=rng.choice(list(pk.Role)),
            title=rng.choice(["CTO", "VP Sales", "Head of Ops", None]),
            email=f"person{i}.{k}@company{i % 5000}.example",
            influence=rng.randrange(11),
            is_primary=k == 0,
        )
        for k in range(rng.randint(1, 3))
    )
    touchpoints = tuple(
        pk.Touchpoint(
            channel=rng.choice(list(pk.Channel)),
            timestamp=(created + timedelta(hours=rng.randrange(2000))).astimezone(tz),
            kind=rng.choice(["webinar", "pricing page", "demo", None]),
            note=rng.choice([None, "follow up next week"]),
        )
        for _ in range(rng.randint(2, 5))
    )
    return pk.Contact(
        id=f"c-{i}",
        name=f"Contact {i}",
        email=f"contact{i}@company{i % 5000}.example",
        phone=f"+49 30 {rng.randrange(10**6, 10**7)}",
        title=rng.choice(["Head of Sales Ops", "CFO", "Engineer"]),
        account=account,
        source=rng.choice(["web", "event", "referral"]),
        owner=f"rep-{rng.randrange(20)}",
        created_at=created.astimezone(tz),
        stage=rng.choice([pk.Stage.LEAD, pk.Stage.PROSPECT, pk.Stage.OPPORTUNITY]),
        budget=pk.Money(f"{rng.randrange(1000, 500_000)}.00", "EUR"),
        authority=rng.choice([True, False, None]),
        need=rng.choice(["reporting", "forecasting", None]),
        pains=tuple(rng.sample(["manual work", "no forecast", "churn", "slow quotes"], 2)),
        timeline=date(2027, 1, 1) + timedelta(days=rng.randrange(365)),
        interest=rng.choice([True, None]),
        facts={
            "metrics": "hours saved per week",
            "seats": rng.randrange(5, 500),
            "fit": round(rng.random(), 3),
            "has_champion": rng.random() < 0.5,
        },
        stakeholders=stakeholders,
        touchpoints=touchpoints,
        opportunity=pk.Opportunity(
            id=f"deal-{i}",
            amount=pk.Money(f"{rng.randrange(1000, 500_000)}.00", "EUR"),
            expected_close=date(2027, 1, 1) + timedelta(days=rng.randrange(365)),
            probability=Decimal(rng.randrange(101)) / 100,
            next_step="send proposal",
            competitors=tuple(rng.sample(["Initech", "Globex", "Umbrella"], rng.randint(0, 2))),
        ),
    )


# --- timing --------------------------------------------------------------------------

#: Changes to a valid document that both libraries must refuse.
BAD_CHANGES: list[dict[str, object]] = [
    {"budget": {"amount": "1_000", "currency": "EUR"}},
    {"budget": {"amount": "1e-13", "currency": "EUR"}},
    {"budget": {"amount": "1e18", "currency": "EUR"}},
    {"budget": {"amount": "-1", "currency": "EUR"}},
    {"budget": {"amount": 1.5, "currency": "EUR"}},
    {"title": ""},
    {"source": " "},
    {"need": ""},
    {"timeline": "20270101"},
    {"created_at": "2026-01-01T00:00:00"},
    {"email": "nope"},
]


def _refuses(build: Callable[..., object], *args: object) -> bool:
    try:
        build(*args)
    except ValueError:  # pk.SchemaError and pydantic.ValidationError both are
        return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n: int = args.n

    rng = random.Random(20261122)
    contacts = [make_contact(rng, i) for i in range(n)]
    documents = [pk.to_dict(c) for c in contacts]
    models = [PContact.model_validate(d) for d in documents]
    # Sanity: both sides read the same documents back to the same data.
    assert pk.from_dict(documents[0], pk.Contact) == contacts[0]
    assert PContact.model_validate(models[0].model_dump(mode="json")) == models[0]
    assert set(models[0].model_dump(mode="json")) == set(documents[0])
    # Sanity: both sides refuse the same bad documents (the checks being compared).
    for change in BAD_CHANGES:
        bad = documents[0] | change
        assert _refuses(pk.from_dict, bad, pk.Contact), change
        assert _refuses(PContact.model_validate, bad), change

    to_dict, from_dict = pk.to_dict, pk.from_dict
    validate = PContact.model_validate
    results = {
        "dump": medians(
            lambda: [to_dict(c) for c in contacts],
            lambda: [m.model_dump(mode="json") for m in models],
            repeat=args.repeat,
        ),
        "load": medians(
            lambda: [from_dict(d, pk.Contact) for d in documents],
            lambda: [validate(d) for d in documents],
            repeat=args.repeat,
        ),
    }

    print(
        f"{n:,} contacts, median of {args.repeat}; CPython {platform.python_version()}, "
        f"pipelinekit {pk.__version__}"
    )
    print(f"{'':6}{'pipelinekit':>14}{'pydantic v2':>14}{'ratio':>9}   (goal <= 1.0x)")
    for name, (ours, theirs) in results.items():
        ratio = ours / theirs
        verdict = "ok" if ratio <= 1.0 else "over goal"  # the goal
        print(
            f"{name:6}{ours:>12.3f} s{theirs:>12.3f} s{ratio:>8.2f}x   {verdict}"
            f"   ({ours / n * 1e6:.1f} vs {theirs / n * 1e6:.1f} us/contact)"
        )
    assert all(math.isfinite(ours) for ours, _ in results.values())


if __name__ == "__main__":
    main()
