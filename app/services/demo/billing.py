"""What the demo creditor bills: lift-maintenance invoice batches, premium rolls and one-off invoices.

Amounts are whole cents in ``int`` while generating (exact, and fast); they become ``Decimal`` when written.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.models import CreditKind, CreditStatus, RollStatus
from app.services.bulk import IdAllocator
from app.services.demo import catalog
from app.services.demo.registry import Registry, RegistryBuilder

INSTALMENT_THRESHOLD_CENTS = 150_000  # premiums above 1,500 euro are paid in two instalments
REPAIRS = (
    "sostituzione funi", "revisione porte di piano", "quadro di manovra", "adeguamento normativo",
    "intervento per guasto notturno",
)  # fmt: skip
# Yearly premiums: (share of policies in %, lowest, highest) in cents — most farms are small.
PREMIUM_TIERS = (
    (55, 12_000, 90_000),
    (30, 90_000, 300_000),
    (12, 300_000, 1_200_000),
    (3, 1_200_000, 4_000_000),
)
PREMIUM_CUMULATIVE = tuple(itertools.accumulate(tier[0] for tier in PREMIUM_TIERS))


@dataclass(frozen=True)
class RollPlan:
    """A roll to create: its identity, dates and the status it has reached today."""

    name: str
    year: int
    campaign: str
    credit_type: str
    status: RollStatus
    issue: date
    due: date


@dataclass(slots=True)
class CreditRecord:
    """A credit being generated; amounts in cents."""

    id: int
    roll: RollPlan | None
    holder_id: int
    payer_id: int
    reference: str
    kind: CreditKind
    installation_ref: str | None
    issue_date: date
    due_date: date
    amount: int
    outstanding: int
    status: CreditStatus = CreditStatus.ISSUED
    notice_id: int | None = None
    collector_id: int | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Installation:
    """A lift under a maintenance contract, billed every quarter at the same fee."""

    holder_id: int
    reference: str
    fee: int


@dataclass
class Policy:
    """An insurance policy renewed every year; large premiums are split in two instalments."""

    holder_id: int
    number: int
    premium: int
    split: bool


@dataclass
class Contracts:
    """Everything that produces credits: installations, policies and the holders of one-off invoices."""

    installations: list[Installation] = field(default_factory=list)
    policies: list[Policy] = field(default_factory=list)
    condominiums: list[int] = field(default_factory=list)
    businesses: list[int] = field(default_factory=list)  # companies with a lift in their building
    farmers: list[int] = field(default_factory=list)


def _shift_quarter(day: date, quarters: int) -> date:
    months = day.year * 12 + day.month - 1 + 3 * quarters
    return date(months // 12, months % 12 + 1, 1)


def plan_lift_batches(today: date) -> list[RollPlan]:
    """Five quarterly invoice batches up to the current quarter, then next quarter's batch still in draft."""
    current = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    plans = []
    for offset in range(-4, 2):
        quarter = _shift_quarter(current, offset)
        issue = quarter if offset <= 0 else today
        due = quarter + timedelta(days=30)
        if offset == 1:
            status = RollStatus.DRAFT
        elif offset == -4:
            status = RollStatus.CLOSED
        else:
            status = RollStatus.IN_COLLECTION if due < today else RollStatus.NOTICES_ISSUED
        number = (quarter.month - 1) // 3 + 1
        name = f"Fatture manutenzione ascensori {number}° trimestre {quarter.year}"
        plans.append(
            RollPlan(name, quarter.year, f"{quarter.year}-T{number}", "Manutenzione ascensori", status, issue, due)
        )
    return plans


def plan_premium_rolls(today: date) -> list[RollPlan]:
    """Last year's premium roll (in collection), this year's (notices issued), a supplementary one (sent)."""
    year, previous = today.year, today - timedelta(days=390)
    return [
        _premium_roll(f"Ruolo premi {year - 1}", year - 1, RollStatus.IN_COLLECTION, previous, 60),
        _premium_roll(f"Ruolo premi {year}", year, RollStatus.NOTICES_ISSUED, today - timedelta(days=25), 60),
        _premium_roll(
            f"Ruolo premi {year} - polizze integrative",
            year,
            RollStatus.SENT_TO_BANK,
            today - timedelta(days=4),
            60,
        ),
    ]


def _premium_roll(name: str, year: int, status: RollStatus, issue: date, days_to_pay: int) -> RollPlan:
    due = issue + timedelta(days=days_to_pay)
    return RollPlan(name, year, f"Campagna {year}", "Premi assicurativi", status, issue, due)


def add_installations(builder: RegistryBuilder, contracts: Contracts, count: int, rng: random.Random) -> None:
    """Lifts under contract, mostly in condominiums (one to three each), some in companies' buildings."""
    registry = builder.registry
    serial = 0
    while len(contracts.installations) < count:
        if rng.random() < 0.85:
            holder = builder.condominium()
            contracts.condominiums.append(holder)
            lifts = rng.choice((1, 1, 1, 1, 1, 1, 1, 2, 2, 3))
        else:
            holder = builder.company(farm=False)
            contracts.businesses.append(holder)
            lifts = rng.choice((1, 1, 2))
        fee = rng.choice(catalog.LIFT_FEES_CENTS)
        province = catalog.TOWNS[registry.town_of[holder]].province
        for _ in range(lifts):
            serial += 1
            contracts.installations.append(Installation(holder, f"IMP-{province}-{serial:06d}", fee))


def _premium(rng: random.Random) -> int:
    _, low, high = rng.choices(PREMIUM_TIERS, cum_weights=PREMIUM_CUMULATIVE)[0]
    return rng.randrange(low, high)


def add_policies(builder: RegistryBuilder, contracts: Contracts, credits: int, rng: random.Random) -> list[Policy]:
    """Policies of farmers and farms, enough to yield exactly ``credits`` premiums and instalments a year."""
    policies: list[Policy] = []
    yielded = 0
    while yielded < credits:
        farm = rng.random() < 0.2
        holder = builder.company(farm=True) if farm else builder.person(vat_share=0.4)
        contracts.farmers.append(holder)
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            if yielded >= credits:
                break
            premium = _premium(rng)
            split = premium > INSTALMENT_THRESHOLD_CENTS and yielded + 2 <= credits
            policies.append(Policy(holder, 100_000 + len(contracts.policies) + len(policies), premium, split))
            yielded += 2 if split else 1
    contracts.policies.extend(policies)
    return policies


class CreditFactory:
    """Turns contracts into credits, with invoice numbers per year and the payer on each issue date."""

    def __init__(self, rng: random.Random, ids: IdAllocator, registry: Registry, today: date) -> None:
        self._rng = rng
        self._ids = ids
        self._registry = registry
        self._today = today
        self._numbers: dict[str, int] = {}
        self.records: list[CreditRecord] = []

    def _number(self, series: str, year: int) -> str:
        key = f"{series}{year}"
        self._numbers[key] = self._numbers.get(key, 0) + 1
        return f"{key}/{self._numbers[key]:06d}"

    def _add(
        self,
        roll: RollPlan | None,
        holder: int,
        reference: str,
        kind: CreditKind,
        amount: int,
        *,
        dates: tuple[date, date] | None = None,
        installation_ref: str | None = None,
        notes: str | None = None,
    ) -> None:
        if dates is None:
            assert roll is not None
            dates = (roll.issue, roll.due)
        issue, due = dates
        self.records.append(
            CreditRecord(
                id=self._ids.next(),
                roll=roll,
                holder_id=holder,
                payer_id=self._registry.payer_on(holder, issue),
                reference=reference,
                kind=kind,
                installation_ref=installation_ref,
                issue_date=issue,
                due_date=due,
                amount=amount,
                outstanding=amount,
                notes=notes,
            )
        )

    def lift_invoices(self, batches: list[RollPlan], installations: list[Installation], budget: int) -> None:
        """One invoice per installation per quarter, oldest batch first, until ``budget`` credits."""
        emitted = 0
        for batch in batches:
            for lift in installations:
                if emitted == budget:
                    return
                reference = self._number("FT", batch.issue.year)
                self._add(
                    batch,
                    lift.holder_id,
                    reference,
                    CreditKind.INVOICE,
                    lift.fee,
                    installation_ref=lift.reference,
                )
                emitted += 1

    def premiums(self, roll: RollPlan, policies: list[Policy], renewal: bool) -> None:
        """Each policy's premium for ``roll``; a split one in two instalments, the second 90 days later."""
        for policy in policies:
            premium = policy.premium * self._rng.randint(97, 108) // 100 if renewal else policy.premium
            reference = f"PR{roll.year}/{policy.number:07d}"
            policy_ref = f"POL-{policy.number:07d}"
            if not policy.split:
                self._add(roll, policy.holder_id, reference, CreditKind.POLICY, premium, installation_ref=policy_ref)
                continue
            first = premium // 2
            self._add(
                roll,
                policy.holder_id,
                f"{reference}-1",
                CreditKind.INSTALMENT,
                first,
                installation_ref=policy_ref,
            )
            self._add(
                roll,
                policy.holder_id,
                f"{reference}-2",
                CreditKind.INSTALMENT,
                premium - first,
                installation_ref=policy_ref,
                dates=(roll.issue, roll.due + timedelta(days=90)),
            )

    def one_off(self, contracts: Contracts, budget: int) -> None:
        """Invoices outside any roll: extraordinary repairs for buildings, membership fees for farmers."""
        rng = self._rng
        buildings = contracts.condominiums + contracts.businesses
        farmers = contracts.farmers or buildings
        for _ in range(budget):
            issue = self._today - timedelta(days=rng.randint(1, 450))
            dates = (issue, issue + timedelta(days=30))
            if buildings and rng.random() < 0.7:
                note = rng.choice(REPAIRS)
                self._add(
                    None,
                    rng.choice(buildings),
                    self._number("FT", issue.year),
                    CreditKind.INVOICE,
                    rng.randrange(8_500, 480_000),
                    dates=dates,
                    notes=f"Intervento straordinario: {note}",
                )
            else:
                self._add(
                    None,
                    rng.choice(farmers),
                    self._number("CC", issue.year),
                    CreditKind.OTHER,
                    rng.choice((2_500, 5_000, 5_000, 7_500)),
                    dates=dates,
                    notes="Contributo consortile",
                )
