"""Generate a realistic, deterministic demo database for one creditor, fast, in one transaction."""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    AuditEvent,
    Credit,
    Creditor,
    Payment,
    PaymentNotice,
    Roll,
    RollStatus,
    Subject,
    SubjectKind,
    User,
    UserRole,
)
from app.models.types import ROME, rome_today, utc_now
from app.services.bulk import IdAllocator, Progress, ProgressCallback
from app.services.creditors import UNFILLED_CREDITOR_NAME, resolve_creditor
from app.services.database import Database, analyze
from app.services.demo import billing, catalog
from app.services.demo.billing import Contracts, CreditFactory, Policy, RollPlan
from app.services.demo.identity import entity_number, italian_iban
from app.services.demo.ledger import Ledger, LedgerBuilder
from app.services.demo.registry import Registry, RegistryBuilder, assign_administrators
from app.services.demo.store import World, write_world
from app.services.errors import InvalidInput
from app.services.unit_of_work import UnitOfWork

MAX_CREDITS = 1_000_000
ROWS_PER_CREDIT = 3  # rows written per credit (subjects, notices, payments, allocations), for the first estimate
COLLECTORS = (
    ("Laura", "Bassi"), ("Marco", "Ferri"), ("Giulia", "Neri"), ("Paolo", "Sala"), ("Chiara", "Riva"),
    ("Davide", "Monti"), ("Elena", "Villa"), ("Luca", "Testa"), ("Sara", "Conti"), ("Andrea", "Galli"),
    ("Marta", "Fiore"), ("Simone", "Gatti"),
)  # fmt: skip


@dataclass(frozen=True)
class DemoReport:
    """What :func:`generate_demo` wrote."""

    creditor: str
    credits: int
    subjects: int
    persons: int
    companies: int
    condominiums: int
    administrators: int
    administrator_changes: int
    collectors: int
    rolls: int
    notices: int
    payments: int
    allocations: int
    unmatched_payments: int


@dataclass(frozen=True)
class _Budgets:
    lift: int
    premiums: int  # per yearly roll, last year's and this year's
    supplementary: int
    one_off: int

    @classmethod
    def split(cls, credits: int) -> _Budgets:
        lift = credits * 55 // 100
        premiums = credits * 35 * 45 // 10_000
        supplementary = credits * 35 // 100 - 2 * premiums
        return cls(lift, premiums, supplementary, credits - lift - 2 * premiums - supplementary)


def generate_demo(
    db: Database,
    *,
    credits: int,
    seed: int = 1,
    creditor_name: str | None = None,
    progress: ProgressCallback | None = None,
    today: date | None = None,
    user_login: str | None = None,
) -> DemoReport:
    """Fill the database with ``credits`` realistic credits and everything around them, for one creditor.

    The same seed and ``today`` give the same data. Refuses a creditor that already has credits or rolls.
    Everything is written in one transaction. ``progress(done, total)`` is called at every step: one unit per
    credit generated, then one per row written (the total is an estimate until the rows are known).
    """
    if not 1 <= credits <= MAX_CREDITS:
        raise InvalidInput(f"Numero di crediti non valido ({credits}): indicare un numero fra 1 e {MAX_CREDITS}.")
    day = today or rome_today()
    rng = random.Random(seed)
    with UnitOfWork(db) as uow:
        session = uow.session
        creditor = resolve_creditor(session, creditor_name)
        _refuse_if_in_use(session, creditor)
        # A generator of its own: the same seed gives the same data whether or not the creditor is filled in.
        _complete_demo_creditor(session, creditor, random.Random(f"creditor-{seed}"))
        collectors = _add_collectors(session, 3 + credits // 20_000)
        tracker = Progress(progress)
        tracker.plan(credits * (1 + ROWS_PER_CREDIT))
        world = _build(session, creditor, rng, day, credits, tracker)
        _assign_collectors(world, collectors, day)
        roll_ids = _add_rolls(session, creditor.id, world.rolls, day)
        write_world(session, creditor, world, roll_ids, tracker)
        report = _report(creditor.name, world, len(collectors))
        _audit(session, creditor.id, user_login, seed, day, report)
        uow.commit()
    # Without fresh statistics the planner picks poor indexes over 100,000 new rows (SQLite especially).
    analyze(db)
    return report


def _refuse_if_in_use(session: Session, creditor: Creditor) -> None:
    used = session.scalar(select(Credit.id).where(Credit.creditor_id == creditor.id).limit(1)) or session.scalar(
        select(Roll.id).where(Roll.creditor_id == creditor.id).limit(1)
    )
    if used is not None:
        raise InvalidInput(
            f"L'ente creditore «{creditor.name}» ha già crediti o ruoli: i dati dimostrativi si generano "
            "solo per un ente senza dati. Usare un database nuovo (--db) o un altro ente (--creditor)."
        )


def _complete_demo_creditor(session: Session, creditor: Creditor, rng: random.Random) -> None:
    """Give the still unfilled creditor of a new database a demo identity; a real creditor is left alone."""
    if creditor.name != UNFILLED_CREDITOR_NAME or creditor.iban:
        return
    taken = set(session.scalars(select(Creditor.name)))
    name = next(n for n in _demo_names() if n not in taken)
    number = entity_number(rng.randrange(1_000_000, 8_999_999), "020")
    creditor.name = name
    creditor.tax_code = creditor.vat_number = number
    creditor.street, creditor.postal_code, creditor.city, creditor.province = (
        "Via Verdi 14",
        "46100",
        "Mantova",
        "MN",
    )
    creditor.abi, creditor.cab, creditor.account = "05034", "11500", f"{rng.randrange(10**11):012d}"
    creditor.iban = italian_iban(creditor.abi, creditor.cab, creditor.account)
    creditor.sia_code = f"D{rng.randrange(10**4):04d}"
    creditor.pec = "consorzio.demo@pec.it"
    creditor.email = "info@consorzio-demo.it"
    creditor.phone = "+390376000000"
    session.flush()


def _demo_names() -> Iterator[str]:
    yield "Consorzio Demo Servizi e Difesa"
    number = 2
    while True:
        yield f"Consorzio Demo Servizi e Difesa {number}"
        number += 1


def _add_collectors(session: Session, count: int) -> list[int]:
    """Users who follow the credits (incaricati del recupero); logins never clash with existing ones."""
    taken = set(session.scalars(select(User.login)))
    users = []
    for first, last in COLLECTORS[: min(count, len(COLLECTORS))]:
        login = f"{first[0]}.{last}".lower()
        suffix = 1
        while login in taken:
            suffix += 1
            login = f"{first[0]}.{last}{suffix}".lower()
        taken.add(login)
        users.append(User(login=login, display_name=f"{first} {last}", role=UserRole.COLLECTOR, active=True))
    session.add_all(users)
    session.flush()
    return [user.id for user in users]


@dataclass
class _Plan:
    registry: Registry
    contracts: Contracts
    batches: list[RollPlan]
    premium_rolls: list[RollPlan]
    yearly: list[Policy]
    supplementary: list[Policy]


def _build(
    session: Session, creditor: Creditor, rng: random.Random, today: date, credits: int, progress: Progress
) -> World:
    """The whole demo world in memory; ``credits`` units of progress, in three steps."""
    budgets = _Budgets.split(credits)
    plan = _plan_registry(session, creditor, rng, today, budgets)
    progress.advance(credits // 4)
    factory = CreditFactory(rng, IdAllocator(session, Credit), plan.registry, today)
    factory.lift_invoices(plan.batches, plan.contracts.installations, budgets.lift)
    factory.premiums(plan.premium_rolls[0], plan.yearly, renewal=False)
    factory.premiums(plan.premium_rolls[1], plan.yearly, renewal=True)
    factory.premiums(plan.premium_rolls[2], plan.supplementary, renewal=False)
    factory.one_off(plan.contracts, budgets.one_off)
    progress.advance(credits // 4)
    ids = IdAllocator(session, PaymentNotice), IdAllocator(session, Payment)
    ledger_builder = LedgerBuilder(rng, today, creditor.notice_kind, *ids)
    ledger = ledger_builder.run(factory.records)
    payers = list(plan.registry.names.items())[::7]
    ledger_builder.add_unmatched(max(3, credits // 400), payers, catalog.LIFT_FEES_CENTS)
    progress.advance(credits - 2 * (credits // 4))
    return World(plan.registry, plan.batches + plan.premium_rolls, factory.records, ledger)


def _plan_registry(session: Session, creditor: Creditor, rng: random.Random, today: date, budgets: _Budgets) -> _Plan:
    """The subjects and contracts the budgets need, and who administers each condominium."""
    registry = Registry(creditor.id, utc_now())
    builder = RegistryBuilder(rng, IdAllocator(session, Subject), registry, today)
    contracts = Contracts()
    batches, premium_rolls = billing.plan_lift_batches(today), billing.plan_premium_rolls(today)
    billing.add_installations(builder, contracts, math.ceil(budgets.lift / len(batches)), rng)
    yearly = billing.add_policies(builder, contracts, budgets.premiums, rng)
    supplementary = billing.add_policies(builder, contracts, budgets.supplementary, rng)
    if not (contracts.condominiums or contracts.businesses or contracts.farmers):
        contracts.farmers.append(builder.person())  # a tiny demo: its one-off invoices need a holder
    assign_administrators(builder, contracts.condominiums, rng, today, _change_day(today))
    return _Plan(registry, contracts, batches, premium_rolls, yearly, supplementary)


def _change_day(today: date) -> date:
    """Mid-year, in the twelve months the demo covers, and well before today."""
    middle = date((today - timedelta(days=182)).year, 7, 1)
    return min(middle, today - timedelta(days=60))


def _assign_collectors(world: World, collectors: list[int], today: date) -> None:
    """Each collector follows the provinces given to them; a credit is followed once it falls due."""
    town_of = world.registry.town_of
    for credit in world.credits:
        if credit.due_date <= today and collectors:
            credit.collector_id = collectors[town_of[credit.holder_id] % len(collectors)]


def _add_rolls(session: Session, creditor_id: int, plans: list[RollPlan], today: date) -> dict[str, int]:
    rolls = {}
    for plan in plans:
        sent = None if plan.status is RollStatus.DRAFT else _rome_time(plan.issue - timedelta(days=3), 10)
        closed = _rome_time(today - timedelta(days=15), 17) if plan.status is RollStatus.CLOSED else None
        rolls[plan.name] = Roll(
            creditor_id=creditor_id,
            name=plan.name,
            year=plan.year,
            campaign=plan.campaign,
            credit_type=plan.credit_type,
            status=plan.status,
            sent_at=sent,
            closed_at=closed,
        )
    session.add_all(rolls.values())
    session.flush()
    return {name: roll.id for name, roll in rolls.items()}


def _rome_time(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ROME)


def _report(creditor: str, world: World, collectors: int) -> DemoReport:
    kinds = world.registry.kinds
    return DemoReport(
        creditor=creditor,
        credits=len(world.credits),
        subjects=sum(kinds.values()),
        persons=kinds.get(SubjectKind.PERSON, 0),
        companies=kinds.get(SubjectKind.COMPANY, 0),
        condominiums=kinds.get(SubjectKind.CONDOMINIUM, 0),
        administrators=kinds.get(SubjectKind.ADMINISTRATOR, 0),
        administrator_changes=len(world.registry.changes),
        collectors=collectors,
        rolls=len(world.rolls),
        notices=len(world.ledger.notices),
        payments=len(world.ledger.payments),
        allocations=len(world.ledger.allocations),
        unmatched_payments=_unmatched(world.ledger),
    )


def _unmatched(ledger: Ledger) -> int:
    """Payments not fully allocated: those nobody could match and the overpayments."""
    allocated: dict[int, int] = defaultdict(int)
    for payment_id, _credit_id, cents in ledger.allocations:
        allocated[payment_id] += cents
    return sum(1 for p in ledger.payments if allocated[p.id] < p.amount)


def _audit(session: Session, creditor_id: int, login: str | None, seed: int, today: date, report: DemoReport) -> None:
    user_id = session.scalar(select(User.id).where(User.login == login)) if login else None
    details = {
        "seed": seed,
        "today": today.isoformat(),
        "credits": report.credits,
        "subjects": report.subjects,
    }
    session.add(
        AuditEvent(
            user_id=user_id,
            action="demo.generate",
            entity="creditor",
            entity_id=creditor_id,
            details=json.dumps(details),
        )
    )
    session.flush()
