"""The Credits page's query: filter and sort in SQL, return ordered ids, then rows for the few on screen."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, union
from sqlalchemy.orm import aliased

from app.models import Credit, CreditKind, CreditStatus, PaymentNotice, Roll, Subject, User
from app.models.registry import AdministratorAssignment
from app.services.database import Database, escape_like, read_session

Holder = aliased(Subject, name="holder")
Payer = aliased(Subject, name="payer")
ZERO = Decimal("0.00")
# SQLite accepts at most 32766 bound parameters; pages of rows stay far below that.
MAX_ROWS_PER_FETCH = 2000


STATUS_ORDER = (
    CreditStatus.ISSUED,
    CreditStatus.AWAITING_PAYMENT,
    CreditStatus.PARTIALLY_PAID,
    CreditStatus.OVERDUE,
    CreditStatus.IN_LEGAL,
    CreditStatus.WRITTEN_OFF,
    CreditStatus.PAID,
)
KIND_ORDER = (CreditKind.INVOICE, CreditKind.POLICY, CreditKind.INSTALMENT, CreditKind.OTHER)


class SortKey(enum.StrEnum):
    """The columns the Credits page can sort by."""

    REFERENCE = "reference"
    HOLDER = "holder"
    PAYER = "payer"
    KIND = "kind"
    ROLL = "roll"
    ISSUE_DATE = "issue_date"
    DUE_DATE = "due_date"
    AMOUNT = "amount"
    OUTSTANDING = "outstanding"
    STATUS = "status"
    COLLECTOR = "collector"


@dataclass(frozen=True)
class CreditFilter:
    """What the clerk asked to see; empty fields do not filter."""

    creditor_id: int
    text: str = ""
    statuses: frozenset[CreditStatus] = field(default_factory=frozenset)
    due_from: date | None = None
    due_to: date | None = None
    roll_id: int | None = None
    administrator_id: int | None = None
    collector_id: int | None = None


@dataclass(frozen=True)
class CreditRow:
    """One line of the Credits table."""

    id: int
    reference: str
    kind: CreditKind
    holder_name: str
    holder_tax_code: str | None
    payer_name: str
    roll_name: str | None
    installation_ref: str | None
    issue_date: date
    due_date: date
    amount: Decimal
    outstanding: Decimal
    status: CreditStatus
    collector_name: str | None
    notice_code: str | None


@dataclass(frozen=True)
class CreditTotals:
    """Count and sums of a filtered set."""

    count: int
    amount: Decimal
    outstanding: Decimal


def _conditions(flt: CreditFilter, dialect: str) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Credit.creditor_id == flt.creditor_id]
    text = flt.text.strip()
    if text:
        pattern = f"%{escape_like(text)}%"

        def contains(column: Any) -> ColumnElement[bool]:
            # SQLite's LIKE already ignores ASCII case (as its lower() does); wrapping every row in lower()
            # would only slow the scan. PostgreSQL needs ILIKE.
            if dialect == "sqlite":
                return column.like(pattern, escape="\\")
            return column.ilike(pattern, escape="\\")

        matching_subjects = select(Subject.id).where(
            Subject.creditor_id == flt.creditor_id,
            or_(contains(Subject.name), contains(Subject.tax_code), contains(Subject.vat_number)),
        )
        # A union of candidate ids, each part read from an index (the reference from the unique
        # (creditor, reference) index, holder and payer from theirs), beats testing an OR on every credit.
        inner = aliased(Credit, name="candidate")
        own = inner.creditor_id == flt.creditor_id
        candidates = union(
            select(inner.id).where(own, contains(inner.reference)),
            select(inner.id).where(own, inner.holder_id.in_(matching_subjects)),
            select(inner.id).where(own, inner.payer_id.in_(matching_subjects)),
        )
        conditions.append(Credit.id.in_(candidates))
    if flt.statuses:
        conditions.append(Credit.status.in_(sorted(flt.statuses)))
    if flt.due_from is not None:
        conditions.append(Credit.due_date >= flt.due_from)
    if flt.due_to is not None:
        conditions.append(Credit.due_date <= flt.due_to)
    if flt.roll_id is not None:
        conditions.append(Credit.roll_id == flt.roll_id)
    if flt.collector_id is not None:
        conditions.append(Credit.collector_id == flt.collector_id)
    if flt.administrator_id is not None:
        conditions.append(_administered_by(flt.administrator_id))
    return conditions


def _administered_by(administrator_id: int) -> ColumnElement[bool]:
    """Credits the administrator pays, or whose condominium it manages or managed."""
    condominiums = select(AdministratorAssignment.condominium_id).where(
        AdministratorAssignment.administrator_id == administrator_id
    )
    return or_(Credit.payer_id == administrator_id, Credit.holder_id.in_(condominiums))


def _sorted_ids(flt: CreditFilter, key: SortKey, descending: bool, dialect: str) -> list[Select[Any]]:
    """The queries whose results, one after the other, give the ids in order.

    The ordering columns follow the indexes, so the database walks an index instead of sorting 100,000 rows.
    By holder, payer, roll or collector: the named records in name order, then each one's credits — a
    sort-free nested loop over the (name) index and the covering (link, creditor) index on credits. Credits
    with no roll or collector come in a second query, last in either direction.
    """
    conditions = and_(*_conditions(flt, dialect))
    match key:
        case SortKey.HOLDER | SortKey.PAYER:
            party = Holder if key == SortKey.HOLDER else Payer
            link = Credit.holder_id if key == SortKey.HOLDER else Credit.payer_id
            query = select(Credit.id).select_from(party).join(Credit, link == party.id)
            query = query.where(party.creditor_id == flt.creditor_id, conditions)
            return [_ordered(query, [party.creditor_id, party.name, party.id, Credit.id], descending)]
        case SortKey.ROLL:
            by_roll = select(Credit.id).select_from(Roll).join(Credit, Credit.roll_id == Roll.id)
            by_roll = by_roll.where(Roll.creditor_id == flt.creditor_id, conditions)
            order = [Roll.creditor_id, Roll.name, Roll.year, Roll.id, Credit.id]
            no_roll = select(Credit.id).where(Credit.roll_id.is_(None), conditions)
            return [_ordered(by_roll, order, descending), _ordered(no_roll, [Credit.id], descending)]
        case SortKey.COLLECTOR:
            by_user = select(Credit.id).select_from(User).join(Credit, Credit.collector_id == User.id)
            order = [User.display_name, User.id, Credit.id]
            no_user = select(Credit.id).where(Credit.collector_id.is_(None), conditions)
            return [_ordered(by_user.where(conditions), order, descending), _ordered(no_user, [Credit.id], descending)]
        case SortKey.STATUS | SortKey.KIND:
            # In the order a clerk reads them, not by their stored names: one index range per value.
            column = getattr(Credit, key.value)
            values = STATUS_ORDER if key == SortKey.STATUS else KIND_ORDER
            plain = select(Credit.id).where(conditions)
            return [
                _ordered(plain.where(column == value), [Credit.due_date, Credit.id], descending)
                for value in (reversed(values) if descending else values)
            ]
        case _:
            order = [getattr(Credit, key.value), Credit.id]
    return [_ordered(select(Credit.id).where(conditions), order, descending)]


def _ordered(query: Select[Any], columns: list[Any], descending: bool) -> Select[Any]:
    return query.order_by(*(column.desc() if descending else column.asc() for column in columns))


def find_credit_ids(
    db: Database, flt: CreditFilter, key: SortKey = SortKey.DUE_DATE, descending: bool = False
) -> list[int]:
    """The ids of every credit that passes ``flt``, in the asked order (ties broken by due date and id)."""
    ids: list[int] = []
    queries = _sorted_ids(flt, key, descending, db.dialect)
    engine = db.engine
    if len(queries) > 1 and db.dialect == "postgresql":
        # The parts must see one snapshot, or a credit changed in between could show twice or not at all.
        # (SQLite already reads every part inside one transaction.)
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with engine.connect() as connection:
        for query in queries:
            # Bare integers need no result processing: reading the driver's rows directly halves the time
            # of a 100,000-row answer.
            cursor = connection.execute(query).cursor
            assert cursor is not None
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def credit_totals(db: Database, flt: CreditFilter) -> CreditTotals:
    """How many credits pass ``flt`` and their amount and outstanding sums."""
    query = select(func.count(Credit.id), func.sum(Credit.amount), func.sum(Credit.outstanding)).where(
        and_(*_conditions(flt, db.dialect))
    )
    with read_session(db) as session:
        count, amount, outstanding = session.execute(query).one()
    return CreditTotals(count=count, amount=amount or ZERO, outstanding=outstanding or ZERO)


def fetch_credit_rows(db: Database, ids: Sequence[int]) -> dict[int, CreditRow]:
    """The table rows of the given credits, by id (ids that no longer exist are absent)."""
    rows: dict[int, CreditRow] = {}
    with read_session(db) as session:
        for start in range(0, len(ids), MAX_ROWS_PER_FETCH):
            chunk = ids[start : start + MAX_ROWS_PER_FETCH]
            for row in session.execute(_rows_query(chunk)):
                rows[row.id] = CreditRow(**row._mapping)
    return rows


def _rows_query(ids: Sequence[int]) -> Select[*tuple[Any, ...]]:
    return (
        select(
            Credit.id,
            Credit.reference,
            Credit.kind,
            Holder.name.label("holder_name"),
            func.coalesce(Holder.tax_code, Holder.vat_number).label("holder_tax_code"),
            Payer.name.label("payer_name"),
            Roll.name.label("roll_name"),
            Credit.installation_ref,
            Credit.issue_date,
            Credit.due_date,
            Credit.amount,
            Credit.outstanding,
            Credit.status,
            User.display_name.label("collector_name"),
            PaymentNotice.code.label("notice_code"),
        )
        .join(Holder, Holder.id == Credit.holder_id)
        .join(Payer, Payer.id == Credit.payer_id)
        .outerjoin(Roll, Roll.id == Credit.roll_id)
        .outerjoin(User, User.id == Credit.collector_id)
        .outerjoin(PaymentNotice, PaymentNotice.id == Credit.notice_id)
        .where(Credit.id.in_(ids))
    )
