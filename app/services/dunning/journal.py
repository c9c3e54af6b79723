"""The communications journal: every message to a payer, filtered and paged in SQL, with what it covers, its
timeline and its documents, for the Communications page. The actions on messages are the outbox's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.models import (
    Channel,
    Communication,
    CommunicationEvent,
    CommunicationItem,
    CommunicationStatus,
    Credit,
    Document,
    DocumentKind,
    DunningLevel,
    DunningPolicy,
    PaymentNotice,
    Subject,
    User,
)
from app.models.types import ROME
from app.services.database import Database, escape_like, read_session
from app.services.errors import NotFound

ZERO = Decimal("0.00")
_CHUNK = 900  # ids per statement, under SQLite's limit on bound parameters
Holder = aliased(Subject, name="holder")
_STATUSES = {status.value: status for status in CommunicationStatus}


@dataclass(frozen=True)
class CommunicationFilter:
    """What the clerk asked to see; empty fields do not filter. Dates are days in Rome, both ends included."""

    statuses: frozenset[CommunicationStatus] = field(default_factory=frozenset)
    channels: frozenset[Channel] = field(default_factory=frozenset)
    level_ids: frozenset[int] = field(default_factory=frozenset)
    planned_from: date | None = None
    planned_to: date | None = None
    sent_from: date | None = None
    sent_to: date | None = None
    text: str = ""  # part of the payer's name or of the address the message goes to
    subject_id: int | None = None


@dataclass(frozen=True)
class CommunicationRow:
    """One line of the journal."""

    id: int
    subject_id: int
    payer_name: str
    channel: Channel
    level_name: str | None
    address: str | None
    status: CommunicationStatus
    planned_on: date | None
    scheduled_for: datetime | None
    sent_at: datetime | None
    items: int
    amount: Decimal
    attempts: int
    error: str | None


@dataclass(frozen=True)
class LevelOption:
    """A reminder level the journal can be filtered by."""

    id: int
    name: str
    policy_name: str
    position: int


@dataclass(frozen=True)
class ItemLine:
    """A notice (by its code) or a credit (by its number) that a message reminds of, with the amount then owed."""

    holder_name: str
    code: str | None
    due_date: date
    amount: Decimal
    is_notice: bool


@dataclass(frozen=True)
class EventLine:
    """One thing that happened to a message, and who did it when it was a clerk."""

    at: datetime
    kind: str
    status: CommunicationStatus | None
    detail: str | None
    user_name: str | None
    communication_id: int


@dataclass(frozen=True)
class DocumentLine:
    """An archived file tied to a message (a receipt, the letter, the return receipt, the notice it carried)."""

    id: int
    kind: DocumentKind
    relative_path: str
    size: int
    created_at: datetime


@dataclass(frozen=True)
class CommunicationDetail:
    """One message with everything the detail panel shows."""

    row: CommunicationRow
    template: str | None
    delivered_at: datetime | None
    read_at: datetime | None
    provider: str | None
    provider_id: str | None
    registered_number: str | None
    returned_on: date | None
    items: tuple[ItemLine, ...]
    events: tuple[EventLine, ...]
    documents: tuple[DocumentLine, ...]


@dataclass(frozen=True)
class DebtorTimeline:
    """Every message to one payer, and everything that happened to them, oldest first."""

    subject_id: int
    payer_name: str
    communications: tuple[CommunicationRow, ...]
    events: tuple[EventLine, ...]


def _contains(column: Any, pattern: str, dialect: str) -> ColumnElement[bool]:
    # SQLite's LIKE already ignores ASCII case; PostgreSQL needs ILIKE.
    if dialect == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


def _rome_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ROME)


def _conditions(creditor_id: int, flt: CommunicationFilter, dialect: str) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [Communication.creditor_id == creditor_id]
    if flt.statuses:
        found.append(Communication.status.in_(sorted(flt.statuses)))
    if flt.channels:
        found.append(Communication.channel.in_(sorted(flt.channels)))
    if flt.level_ids:
        found.append(Communication.level_id.in_(sorted(flt.level_ids)))
    if flt.planned_from is not None:
        found.append(Communication.planned_on >= flt.planned_from)
    if flt.planned_to is not None:
        found.append(Communication.planned_on <= flt.planned_to)
    # A day is Rome's day: 00:30 in Rome on the 2nd is still the 1st in UTC.
    if flt.sent_from is not None:
        found.append(Communication.sent_at >= _rome_start(flt.sent_from))
    if flt.sent_to is not None:
        found.append(Communication.sent_at < _rome_start(flt.sent_to + timedelta(days=1)))
    if flt.subject_id is not None:
        found.append(Communication.subject_id == flt.subject_id)
    text = flt.text.strip()
    if text:
        pattern = f"%{escape_like(text)}%"
        payers = select(Subject.id).where(Subject.creditor_id == creditor_id, _contains(Subject.name, pattern, dialect))
        found.append(or_(Communication.subject_id.in_(payers), _contains(Communication.address, pattern, dialect)))
    return found


def _ids_query(db: Database, creditor_id: int, flt: CommunicationFilter) -> Select[int, CommunicationStatus]:
    # Newest first: ids grow as messages are planned, and the primary key orders them without a sort.
    conditions = _conditions(creditor_id, flt, db.dialect)
    return select(Communication.id, Communication.status).where(*conditions).order_by(Communication.id.desc())


def find_communications(
    db: Database, creditor_id: int, flt: CommunicationFilter
) -> list[tuple[int, CommunicationStatus]]:
    """The id and status of every message that passes ``flt``, newest first.

    The page keeps these pairs, not the rows, even for 100,000 messages: it knows what a selection allows without
    fetching a row, and the rows come in blocks as they scroll into view.
    """
    with db.engine.connect() as connection:
        # Plain pairs need no result processing: reading the driver's rows directly is much faster.
        cursor = connection.execute(_ids_query(db, creditor_id, flt)).cursor
        assert cursor is not None
        return [(row[0], _STATUSES[row[1]]) for row in cursor.fetchall()]


def list_communications(
    db: Database, creditor_id: int, flt: CommunicationFilter, *, offset: int = 0, limit: int = 200
) -> list[CommunicationRow]:
    """One page of the messages that pass ``flt``, newest first: ``limit`` rows after the first ``offset``."""
    with read_session(db) as session:
        ids = list(session.scalars(_ids_query(db, creditor_id, flt).offset(offset).limit(limit)))
        rows = _rows(session, ids)
    return [rows[communication_id] for communication_id in ids if communication_id in rows]


def fetch_communication_rows(db: Database, ids: Sequence[int]) -> dict[int, CommunicationRow]:
    """The journal lines of the given messages, by id (ids that no longer exist are absent)."""
    with read_session(db) as session:
        return _rows(session, ids)


def count_by_status(db: Database, creditor_id: int, flt: CommunicationFilter) -> dict[CommunicationStatus, int]:
    """How many messages pass ``flt`` in each status (every status present, zero when none).

    The filter's own statuses are ignored: the counts are what choosing one status would show.
    """
    conditions = _conditions(creditor_id, replace(flt, statuses=frozenset()), db.dialect)
    query = select(Communication.status, func.count()).where(*conditions).group_by(Communication.status)
    counts = dict.fromkeys(CommunicationStatus, 0)
    with read_session(db) as session:
        for status, number in session.execute(query):
            counts[status] = number
    return counts


def level_options(db: Database, creditor_id: int) -> list[LevelOption]:
    """The reminder levels of the creditor's policies, in policy and position order."""
    query = (
        select(DunningLevel.id, DunningLevel.name, DunningPolicy.name, DunningLevel.position)
        .join(DunningPolicy, DunningPolicy.id == DunningLevel.policy_id)
        .where(DunningPolicy.creditor_id == creditor_id)
        .order_by(DunningPolicy.credit_kind.is_not(None), DunningPolicy.name, DunningLevel.position)
    )
    with read_session(db) as session:
        return [LevelOption(*row) for row in session.execute(query)]


def communication_detail(db: Database, communication_id: int) -> CommunicationDetail:
    """One message with its items, its timeline (oldest first) and its documents; NotFound if it is gone."""
    with read_session(db) as session:
        message = session.get(Communication, communication_id)
        row = _rows(session, [communication_id]).get(communication_id)
        if message is None or row is None:
            raise NotFound(f"La comunicazione {communication_id} non esiste più.")
        return CommunicationDetail(
            row=row, template=message.template, delivered_at=message.delivered_at, read_at=message.read_at,
            provider=message.provider, provider_id=message.provider_id, registered_number=message.registered_number,
            returned_on=message.returned_on, items=_items(session, communication_id),
            events=_events(session, CommunicationEvent.communication_id == communication_id),
            documents=_documents(session, communication_id),
        )  # fmt: skip


def debtor_timeline(db: Database, subject_id: int) -> DebtorTimeline:
    """Every message to the payer and every event of theirs, both in time order; NotFound if the payer is gone."""
    with read_session(db) as session:
        payer = session.get(Subject, subject_id)
        if payer is None:
            raise NotFound(f"Il pagatore {subject_id} non esiste più.")
        ids = list(
            session.scalars(select(Communication.id).where(Communication.subject_id == subject_id)
                            .order_by(Communication.id))
        )  # fmt: skip
        rows = _rows(session, ids)
        mine = select(Communication.id).where(Communication.subject_id == subject_id)
        return DebtorTimeline(
            subject_id=subject_id, payer_name=payer.name,
            communications=tuple(rows[i] for i in ids if i in rows),
            events=_events(session, CommunicationEvent.communication_id.in_(mine)),
        )  # fmt: skip


def _rows(session: Session, ids: Sequence[int]) -> dict[int, CommunicationRow]:
    found: dict[int, CommunicationRow] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        totals = (
            select(CommunicationItem.communication_id.label("communication_id"), func.count().label("item_count"),
                   func.sum(CommunicationItem.amount).label("total"))
            .where(CommunicationItem.communication_id.in_(chunk))
            .group_by(CommunicationItem.communication_id)
            .subquery()
        )  # fmt: skip
        query = (
            select(Communication.id, Communication.subject_id, Subject.name, Communication.channel, DunningLevel.name,
                   Communication.address, Communication.status, Communication.planned_on,
                   Communication.scheduled_for, Communication.sent_at, totals.c.item_count, totals.c.total,
                   Communication.attempts, Communication.error)
            .join(Subject, Subject.id == Communication.subject_id)
            .outerjoin(DunningLevel, DunningLevel.id == Communication.level_id)
            .outerjoin(totals, totals.c.communication_id == Communication.id)
            .where(Communication.id.in_(chunk))
        )  # fmt: skip
        for values in session.execute(query):
            (communication_id, subject_id, payer, channel, level, address, status, planned_on, scheduled_for,
             sent_at, items, amount, attempts, error) = values  # fmt: skip
            found[communication_id] = CommunicationRow(
                communication_id, subject_id, payer, channel, level, address, status, planned_on, scheduled_for,
                sent_at, items or 0, amount if amount is not None else ZERO, attempts or 0, error,
            )  # fmt: skip
    return found


def _items(session: Session, communication_id: int) -> tuple[ItemLine, ...]:
    mine = CommunicationItem.communication_id == communication_id
    notices = session.execute(
        select(Holder.name, PaymentNotice.code, PaymentNotice.due_date, CommunicationItem.amount)
        .join(PaymentNotice, PaymentNotice.id == CommunicationItem.notice_id)
        .join(Holder, Holder.id == PaymentNotice.holder_id)
        .where(mine)
    )  # fmt: skip
    credits = session.execute(
        select(Holder.name, Credit.reference, Credit.due_date, CommunicationItem.amount)
        .join(Credit, Credit.id == CommunicationItem.credit_id)
        .join(Holder, Holder.id == Credit.holder_id)
        .where(mine, CommunicationItem.notice_id.is_(None))
    )  # fmt: skip
    lines = [ItemLine(name, code, due, amount, True) for name, code, due, amount in notices]
    lines += [ItemLine(name, reference, due, amount, False) for name, reference, due, amount in credits]
    return tuple(sorted(lines, key=lambda line: (line.holder_name, line.due_date, line.code or "")))


def _events(session: Session, which: ColumnElement[bool]) -> tuple[EventLine, ...]:
    query = (
        select(CommunicationEvent.at, CommunicationEvent.kind, CommunicationEvent.status, CommunicationEvent.detail,
               User.display_name, CommunicationEvent.communication_id)
        .outerjoin(User, User.id == CommunicationEvent.user_id)
        .where(which)
        .order_by(CommunicationEvent.at, CommunicationEvent.id)
    )  # fmt: skip
    return tuple(EventLine(*row) for row in session.execute(query))


def _documents(session: Session, communication_id: int) -> tuple[DocumentLine, ...]:
    columns = (Document.id, Document.kind, Document.relative_path, Document.size, Document.created_at)
    own = list(session.execute(select(*columns).where(Document.communication_id == communication_id)))
    # The notice PDFs the message carried: the latest of each notice, as the sender attaches it.
    carried = session.execute(
        select(*columns, Document.notice_id)
        .join(CommunicationItem, CommunicationItem.notice_id == Document.notice_id)
        .where(CommunicationItem.communication_id == communication_id, Document.kind == DocumentKind.NOTICE_PDF)
        .order_by(Document.notice_id, Document.id)
    )  # fmt: skip
    latest = {row[-1]: row[:-1] for row in carried}
    lines = [DocumentLine(*row) for row in [*own, *latest.values()]]
    return tuple(sorted(lines, key=lambda line: (line.created_at, line.id)))
