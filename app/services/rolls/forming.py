"""Forming a roll from a filter of credits: one notice per holder, addressed to whoever pays for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from app.models import (
    AdministratorAssignment,
    Credit,
    CreditKind,
    CreditStatus,
    NoticeStatus,
    PaymentNotice,
    Roll,
    RollEvent,
    RollStatus,
    Subject,
    SubjectKind,
)
from app.models.types import rome_today, utc_now
from app.services.bulk import IdAllocator, Progress, bulk_insert
from app.services.database import Database
from app.services.errors import InvalidInput
from app.services.rolls.codes import notice_code
from app.services.rolls.states import STATUS_NAMES, lock_roll, user_id_of
from app.services.unit_of_work import UnitOfWork

# Unpaid and not yet on a live notice: what a roll collects unless the clerk asks otherwise.
DEFAULT_STATUSES = (CreditStatus.ISSUED, CreditStatus.PARTIALLY_PAID, CreditStatus.OVERDUE)
_RETIRED_NOTICES = (NoticeStatus.CANCELLED, NoticeStatus.EXPIRED)
STATUS_WORDS = {
    CreditStatus.ISSUED: "emesso", CreditStatus.AWAITING_PAYMENT: "in attesa di pagamento",
    CreditStatus.PAID: "pagato", CreditStatus.PARTIALLY_PAID: "parzialmente pagato", CreditStatus.OVERDUE: "scaduto",
    CreditStatus.WRITTEN_OFF: "stralciato", CreditStatus.IN_LEGAL: "in gestione legale",
}  # fmt: skip
KIND_WORDS = {
    CreditKind.INVOICE: "fatture", CreditKind.POLICY: "polizze", CreditKind.INSTALMENT: "rate",
    CreditKind.OTHER: "altri crediti",
}  # fmt: skip


@dataclass(frozen=True)
class RollCriteria:
    """Which credits a new roll takes, and what the roll is called."""

    name: str
    statuses: tuple[CreditStatus, ...] = DEFAULT_STATUSES
    due_from: date | None = None
    due_to: date | None = None
    kinds: tuple[CreditKind, ...] = ()
    year: int | None = None
    campaign: str | None = None
    notice_due_date: date | None = None  # printed on every notice; None: each notice its credits' earliest

    def describe(self) -> str:
        """The filter in the clerk's words, kept with the roll."""
        parts = ["stati: " + ", ".join(STATUS_WORDS[status] for status in self.statuses)]
        if self.due_from or self.due_to:
            parts.append(f"scadenza {_day(self.due_from) or '…'} – {_day(self.due_to) or '…'}")
        if self.kinds:
            parts.append("tipi: " + ", ".join(KIND_WORDS[kind] for kind in self.kinds))
        return "; ".join(parts)


@dataclass(frozen=True)
class RollFormed:
    """The new roll: its id and what it holds."""

    roll_id: int
    name: str
    notices: int
    credits: int
    amount: Decimal


@dataclass
class _Notice:
    holder_id: int
    payer_id: int
    credits: list[tuple[int, Decimal]] = field(default_factory=list)  # id, what the notice asks for it
    amount: Decimal = Decimal("0.00")
    due_date: date | None = None


def create_roll(
    db: Database, creditor_id: int, criteria: RollCriteria, *, user_login: str | None, today: date | None = None
) -> RollFormed:
    """A draft roll of the creditor's credits that match ``criteria`` and are on no live notice.

    One notice per holder (a condominium pays from its own account), addressed to the payer: for a
    condominium, its administrator on ``today``. Raises InvalidInput when no credit matches or the name is taken.
    """
    today = today or rome_today()
    name = " ".join(criteria.name.split())
    if not name:
        raise InvalidInput("Indicare il nome del ruolo.")
    with UnitOfWork(db) as uow:
        session = uow.session
        year = criteria.year or today.year
        if session.scalar(select(Roll.id).where(Roll.creditor_id == creditor_id, Roll.name == name, Roll.year == year)):
            raise InvalidInput(f"Esiste già un ruolo «{name}» per il {year}: scegliere un altro nome.")
        rows = list(session.execute(_candidates(creditor_id, criteria)).all())
        if not rows:
            raise InvalidInput(
                f"Nessun credito corrisponde ai criteri ({criteria.describe()}): il ruolo non è stato creato."
            )
        notices = _group(session, rows, today)
        roll = _new_roll(session, creditor_id, criteria, name, year, today)
        _write_notices(session, roll, list(notices.values()), criteria.notice_due_date)
        session.add(RollEvent(roll_id=roll.id, at=utc_now(), user_id=user_id_of(session, user_login), from_status=None,
                              to_status=RollStatus.DRAFT, note=criteria.describe()))  # fmt: skip
        formed = RollFormed(
            roll.id, name, len(notices), len(rows), sum((n.amount for n in notices.values()), Decimal(0))
        )
        uow.commit()
    return formed


def _candidates(creditor_id: int, criteria: RollCriteria) -> Any:
    old_roll, old_notice = aliased(Roll), aliased(PaymentNotice)
    conditions = [
        Credit.creditor_id == creditor_id, Credit.status.in_(criteria.statuses), Credit.outstanding > 0,
        or_(Credit.roll_id.is_(None), old_roll.status == RollStatus.CLOSED),
        or_(Credit.notice_id.is_(None), old_notice.status.in_(_RETIRED_NOTICES)),
    ]  # fmt: skip
    if criteria.due_from:
        conditions.append(Credit.due_date >= criteria.due_from)
    if criteria.due_to:
        conditions.append(Credit.due_date <= criteria.due_to)
    if criteria.kinds:
        conditions.append(Credit.kind.in_(criteria.kinds))
    return (
        select(Credit.id, Credit.holder_id, Credit.payer_id, Credit.outstanding, Credit.due_date, Subject.kind)
        .join(Subject, Subject.id == Credit.holder_id)
        .outerjoin(old_roll, old_roll.id == Credit.roll_id)
        .outerjoin(old_notice, old_notice.id == Credit.notice_id)
        .where(and_(*conditions))
        .order_by(Credit.holder_id, Credit.due_date, Credit.id)
    )


def _group(session: Session, rows: list[Row[Any]], today: date) -> dict[int, _Notice]:
    condominiums = {row.holder_id for row in rows if row.kind is SubjectKind.CONDOMINIUM}
    administrators = _administrators_on(session, condominiums, today)
    notices: dict[int, _Notice] = {}
    for row in rows:
        notice = notices.get(row.holder_id)
        if notice is None:
            payer = administrators.get(row.holder_id, row.payer_id)
            notice = notices[row.holder_id] = _Notice(row.holder_id, payer)
        notice.credits.append((row.id, row.outstanding))
        notice.amount += row.outstanding
        notice.due_date = row.due_date if notice.due_date is None else min(notice.due_date, row.due_date)
    return notices


def _administrators_on(session: Session, condominiums: set[int], day: date) -> dict[int, int]:
    found: dict[int, int] = {}
    ordered = sorted(condominiums)
    for start in range(0, len(ordered), 900):  # SQLite's limit on bound parameters
        chunk = ordered[start : start + 900]
        query = select(AdministratorAssignment.condominium_id, AdministratorAssignment.administrator_id).where(
            AdministratorAssignment.condominium_id.in_(chunk), AdministratorAssignment.in_force(day)
        )
        found.update({row[0]: row[1] for row in session.execute(query)})
    return found


def _new_roll(session: Session, creditor_id: int, criteria: RollCriteria, name: str, year: int, today: date) -> Roll:
    kinds = ", ".join(KIND_WORDS[kind] for kind in criteria.kinds) or "tutti i tipi"
    roll = Roll(creditor_id=creditor_id, name=name, year=year, campaign=criteria.campaign, credit_type=kinds,
                status=RollStatus.DRAFT, due_date=criteria.notice_due_date, criteria=criteria.describe())  # fmt: skip
    session.add(roll)
    session.flush()
    return roll


def _write_notices(session: Session, roll: Roll, notices: list[_Notice], due_date: date | None) -> None:
    creditor, kind = roll.creditor, roll.creditor.notice_kind
    ids, now = IdAllocator(session, PaymentNotice), utc_now()
    rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for notice in notices:
        notice_id = ids.next()
        rows.append({
            "id": notice_id, "creditor_id": creditor.id, "roll_id": roll.id, "holder_id": notice.holder_id,
            "payer_id": notice.payer_id, "kind": kind, "code": notice_code(creditor, kind, notice_id),
            "amount": notice.amount, "due_date": due_date or notice.due_date, "status": NoticeStatus.DRAFT,
            "bank_outcome": None, "created_at": now, "updated_at": now,
        })  # fmt: skip
        links.extend({"id": credit_id, "roll_id": roll.id, "notice_id": notice_id, "notice_amount": owed}
                     for credit_id, owed in notice.credits)  # fmt: skip
    bulk_insert(session, PaymentNotice, rows, Progress(None))
    session.execute(update(Credit), links)


def remove_credits(db: Database, roll_id: int, credit_ids: list[int], *, user_login: str | None) -> int:
    """Take credits out of a draft roll (their notices shrink; an empty notice goes); returns how many left it."""
    with UnitOfWork(db) as uow:
        session = uow.session
        roll = _draft(session, roll_id, "togliere crediti")
        taken = list(session.scalars(select(Credit).where(Credit.roll_id == roll.id, Credit.id.in_(credit_ids))))
        touched = {credit.notice_id for credit in taken}
        for credit in taken:
            credit.roll_id = credit.notice_id = credit.notice_amount = None
        session.flush()
        for notice in session.scalars(select(PaymentNotice).where(PaymentNotice.id.in_(touched))):
            _refresh_notice(session, notice)
        session.add(RollEvent(roll_id=roll.id, at=utc_now(), user_id=user_id_of(session, user_login),
                              from_status=roll.status, to_status=roll.status,
                              note=f"tolti {len(taken)} crediti"))  # fmt: skip
        uow.commit()
    return len(taken)


def _refresh_notice(session: Session, notice: PaymentNotice) -> None:
    query = select(func.coalesce(Credit.notice_amount, Credit.outstanding), Credit.due_date)
    left = session.execute(query.where(Credit.notice_id == notice.id)).all()
    if not left:
        session.delete(notice)
        return
    notice.amount = sum((row[0] for row in left), Decimal(0))
    if notice.roll is not None and notice.roll.due_date is None:
        notice.due_date = min(row[1] for row in left)


def delete_roll(db: Database, roll_id: int, *, user_login: str | None) -> None:
    """Delete a draft roll and its notices; its credits become free for another roll."""
    with UnitOfWork(db) as uow:
        session = uow.session
        roll = _draft(session, roll_id, "eliminarlo")
        session.execute(
            update(Credit).where(Credit.roll_id == roll.id).values(roll_id=None, notice_id=None, notice_amount=None)
        )
        session.execute(delete(PaymentNotice).where(PaymentNotice.roll_id == roll.id))
        session.execute(delete(RollEvent).where(RollEvent.roll_id == roll.id))
        session.delete(roll)
        uow.commit()


def _draft(session: Session, roll_id: int, action: str) -> Roll:
    roll = lock_roll(session, roll_id)
    if roll.status is not RollStatus.DRAFT:
        raise InvalidInput(
            f"Il ruolo «{roll.name}» è {STATUS_NAMES[roll.status]}: i suoi crediti sono bloccati, non si può {action}."
        )
    return roll


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
