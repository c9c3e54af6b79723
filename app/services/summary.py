"""The state of a database at a glance: counts and totals computed in SQL, for clerks and for scripts."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.models import (
    AdministratorAssignment,
    Allocation,
    Communication,
    CommunicationStatus,
    Credit,
    CreditStatus,
    Document,
    NoticeStatus,
    Payment,
    PaymentNotice,
    Roll,
    RollStatus,
    Subject,
    SubjectKind,
)
from app.models.types import rome_today
from app.services.creditors import resolve_creditor
from app.services.database import Database, read_session

_Query = TypeVar("_Query", bound=Select)
ZERO = Decimal("0.00")


def summarize(db: Database, creditor_name: str | None = None, *, today: date | None = None) -> dict[str, Any]:
    """Counts and totals of one creditor (when named) or of the whole database, as JSON-ready plain data.

    Amounts are decimal strings ("1234.50"); every status of each kind appears, with 0 when absent.
    "Current" administrators are those whose assignment covers ``today`` (Italian date by default).
    """
    day = today or rome_today()
    with read_session(db) as session:
        creditor = resolve_creditor(session, creditor_name) if creditor_name is not None else None
        scope = _Scope(creditor.id if creditor else None)
        return {
            "creditor": creditor.name if creditor else None,
            "credits": _credits(session, scope),
            "subjects": _subjects(session, scope),
            "administrators": _administrators(session, scope, day),
            "rolls": _by_status(session, scope, Roll.status, Roll.creditor_id, RollStatus),
            "notices": _by_status(session, scope, PaymentNotice.status, PaymentNotice.creditor_id, NoticeStatus),
            "communications": _by_status(
                session, scope, Communication.status, Communication.creditor_id, CommunicationStatus
            ),
            "payments": _payments(session, scope),
            "documents": {"count": session.scalar(scope.apply(select(func.count(Document.id)), Document.creditor_id))},
        }


class _Scope:
    """Restricts a query to one creditor, or to none."""

    def __init__(self, creditor_id: int | None) -> None:
        self.creditor_id = creditor_id

    def apply(self, query: _Query, column: InstrumentedAttribute[int]) -> _Query:
        return query if self.creditor_id is None else query.where(column == self.creditor_id)


def _amount(value: Decimal | None) -> str:
    return str(value if value is not None else ZERO)


def _counts(rows: Any, kinds: type[enum.Enum]) -> dict[str, int]:
    found = {_enum_value(key): count for key, count in rows}
    return {member.value: found.get(member.value, 0) for member in kinds}


def _enum_value(value: Any) -> str:
    """The stored value of an enum member (or of its string)."""
    return str(value.value if isinstance(value, enum.Enum) else value)


def _credits(session: Session, scope: _Scope) -> dict[str, Any]:
    totals = session.execute(
        scope.apply(
            select(func.count(Credit.id), func.sum(Credit.amount), func.sum(Credit.outstanding)),
            Credit.creditor_id,
        )
    ).one()
    grouped = session.execute(
        scope.apply(select(Credit.status, func.count()), Credit.creditor_id).group_by(Credit.status)
    )
    return {
        "count": totals[0],
        "amount": _amount(totals[1]),
        "outstanding": _amount(totals[2]),
        "by_status": _counts(grouped, CreditStatus),
    }


def _subjects(session: Session, scope: _Scope) -> dict[str, Any]:
    grouped = session.execute(
        scope.apply(select(Subject.kind, func.count()), Subject.creditor_id).group_by(Subject.kind)
    )
    by_kind = _counts(grouped, SubjectKind)
    return {"total": sum(by_kind.values()), "by_kind": by_kind}


def _administrators(session: Session, scope: _Scope, day: date) -> dict[str, int]:
    """How many administrators manage at least one condominium today, and the largest portfolio."""
    per_administrator = (
        select(
            AdministratorAssignment.administrator_id,
            func.count(func.distinct(AdministratorAssignment.condominium_id)).label("condominiums"),
        )
        .join(Subject, Subject.id == AdministratorAssignment.administrator_id)
        .where(AdministratorAssignment.in_force(day))
        .group_by(AdministratorAssignment.administrator_id)
    )
    portfolios = scope.apply(per_administrator, Subject.creditor_id).subquery()
    count, largest = session.execute(select(func.count(), func.max(portfolios.c.condominiums))).one()
    return {"with_condominiums": count, "max_condominiums": largest or 0}


def _by_status(
    session: Session,
    scope: _Scope,
    status: Any,
    creditor_column: InstrumentedAttribute[int],
    kinds: type[enum.Enum],
) -> dict[str, Any]:
    grouped = session.execute(scope.apply(select(status, func.count()), creditor_column).group_by(status))
    by_status = _counts(grouped, kinds)
    return {"count": sum(by_status.values()), "by_status": by_status}


def _payments(session: Session, scope: _Scope) -> dict[str, Any]:
    """Count and total of payments; unmatched are those whose allocations do not cover the whole amount."""
    count, total = session.execute(
        scope.apply(select(func.count(Payment.id), func.sum(Payment.amount)), Payment.creditor_id)
    ).one()
    allocated = (
        select(Allocation.payment_id, func.sum(Allocation.amount).label("allocated"))
        .group_by(Allocation.payment_id)
        .subquery()
    )
    unmatched = scope.apply(
        select(func.count(Payment.id))
        .outerjoin(allocated, allocated.c.payment_id == Payment.id)
        .where(or_(allocated.c.allocated.is_(None), allocated.c.allocated < Payment.amount)),
        Payment.creditor_id,
    )
    return {"count": count, "amount": _amount(total), "unmatched": session.scalar(unmatched)}


def database_is_empty(db: Database) -> bool:
    """Whether the database holds no credit at all (of any creditor)."""
    with read_session(db) as session:
        return session.scalar(select(Credit.id).limit(1)) is None
