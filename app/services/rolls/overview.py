"""What the Rolls page shows: each roll with its totals, its notices, and the history of its states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.models import (
    Credit,
    Creditor,
    NoticeKind,
    NoticeStatus,
    PaymentNotice,
    Roll,
    RollEvent,
    RollStatus,
    Subject,
    User,
)
from app.services.database import Database, read_session

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RollRow:
    """One roll with its totals: what it asked for, what came in, what is still owed."""

    id: int
    name: str
    year: int
    status: RollStatus
    due_date: date | None
    notices: int
    credits: int
    amount: Decimal  # what the roll's notices ask for
    outstanding: Decimal  # what the roll's credits still owe
    created_at: datetime
    criteria: str | None
    notice_kind: NoticeKind

    @property
    def collected(self) -> Decimal:
        """What has come in since the notices were issued (never below zero)."""
        return max(self.amount - self.outstanding, ZERO)


@dataclass(frozen=True)
class NoticeRow:
    """A notice of a roll, with whom it is for and what it is paid with."""

    id: int
    kind: NoticeKind
    code: str | None
    status: NoticeStatus
    holder_name: str
    payer_name: str
    postal_code: str | None
    amount: Decimal
    due_date: date
    bank_outcome: str | None


@dataclass(frozen=True)
class RollEventRow:
    """One recorded move of a roll."""

    at: datetime
    user_name: str | None
    from_status: RollStatus | None
    to_status: RollStatus
    note: str | None


def list_rolls(db: Database, creditor_id: int) -> list[RollRow]:
    """The creditor's rolls, newest first, each with its notice count and credit totals (one query)."""
    credits = (
        select(
            Credit.roll_id,
            func.count(Credit.id).label("credits"),
            func.coalesce(func.sum(Credit.outstanding), 0).label("outstanding"),
        )
        .where(Credit.creditor_id == creditor_id, Credit.roll_id.is_not(None))
        .group_by(Credit.roll_id)
        .subquery()
    )
    notices = (
        select(
            PaymentNotice.roll_id,
            func.count(PaymentNotice.id).label("notices"),
            func.coalesce(func.sum(PaymentNotice.amount), 0).label("amount"),
        )
        .where(PaymentNotice.creditor_id == creditor_id, PaymentNotice.status != NoticeStatus.CANCELLED)
        .group_by(PaymentNotice.roll_id)
        .subquery()
    )
    query = (
        select(
            Roll, credits.c.credits, notices.c.amount, credits.c.outstanding, notices.c.notices, Creditor.notice_kind
        )
        .join(Creditor, Creditor.id == Roll.creditor_id)
        .outerjoin(credits, credits.c.roll_id == Roll.id)
        .outerjoin(notices, notices.c.roll_id == Roll.id)
        .where(Roll.creditor_id == creditor_id)
        .order_by(Roll.created_at.desc(), Roll.id.desc())
    )
    with read_session(db) as session:
        return [
            RollRow(
                roll.id,
                roll.name,
                roll.year,
                roll.status,
                roll.due_date,
                notice_count or 0,
                credit_count or 0,
                Decimal(amount or 0).quantize(ZERO),
                Decimal(outstanding or 0).quantize(ZERO),
                roll.created_at,
                roll.criteria,
                kind,
            )
            for roll, credit_count, amount, outstanding, notice_count, kind in session.execute(query)
        ]


def roll_notices(db: Database, roll_id: int) -> list[NoticeRow]:
    """The roll's notices ordered by payer name, then holder name."""
    holder, payer = aliased(Subject), aliased(Subject)
    query = (
        select(PaymentNotice, holder.name, payer.name, payer.postal_code)
        .join(holder, holder.id == PaymentNotice.holder_id)
        .join(payer, payer.id == PaymentNotice.payer_id)
        .where(PaymentNotice.roll_id == roll_id)
        .order_by(payer.name, holder.name, PaymentNotice.id)
    )
    with read_session(db) as session:
        return [
            NoticeRow(
                n.id,
                n.kind,
                n.code,
                n.status,
                holder_name,
                payer_name,
                postal_code,
                n.amount,
                n.due_date,
                n.bank_outcome,
            )
            for n, holder_name, payer_name, postal_code in session.execute(query)
        ]


def roll_events(db: Database, roll_id: int) -> list[RollEventRow]:
    """The roll's history, oldest first."""
    query = (
        select(RollEvent, User.display_name)
        .outerjoin(User, User.id == RollEvent.user_id)
        .where(RollEvent.roll_id == roll_id)
        .order_by(RollEvent.at, RollEvent.id)
    )
    with read_session(db) as session:
        return [
            RollEventRow(event.at, name, event.from_status, event.to_status, event.note)
            for event, name in session.execute(query)
        ]
