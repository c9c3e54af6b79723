"""Sending what is queued, so that a crash never sends twice: each message is claimed and committed as
"sending" (an attempt id and a lease) before the gateway is called, and recorded after; an expired claim
becomes "unknown" and waits for a clerk, and only errors that prove nothing was delivered are retried."""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import and_, or_, select, text, update
from sqlalchemy.orm import Session

from app.models import Channel, Communication, CommunicationStatus, DunningLevel, DunningPolicy
from app.models.types import ROME, utc_now
from app.services.database import Database
from app.services.dunning.events import add_event, add_events
from app.services.dunning.rate_limits import Pacer, RateLimit
from app.services.dunning.rendering import RenderedMessage, render
from app.services.dunning.working_days import is_working_day
from app.services.gateways.base import NotDelivered, Refused
from app.services.unit_of_work import UnitOfWork

LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 5
_DISPATCH_LOCK = 0x5C4EF  # PostgreSQL advisory lock: one dispatcher at a time among the workstations
_DAY = timedelta(days=1)
_BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))


class Sender(Protocol):
    """Delivers one rendered message on one channel; returns the provider's message id.

    Raises NotDelivered (safe to retry), Refused (permanent) or OutcomeUnknown (never resent automatically).
    ``provider`` names who takes the message ("cloud", "twilio", "smtp"), so that its statuses are asked of it.
    """

    provider: str

    def deliver(self, message: RenderedMessage) -> str: ...


@dataclass
class DispatchResult:
    """What one dispatch run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0
    expired: int = 0  # claims whose lease ran out (a crash between claim and record): now "unknown"
    deferred: int = 0  # held back by a recipient's daily limit: they go out when it allows
    standby: bool = False  # another workstation holds the dispatcher's lock
    errors: list[str] = field(default_factory=list)


class _RunClock:
    """The run's time: it starts at the ``now`` the run was given (a day being replayed, in tests and drills) and
    runs on with the real clock, so that paced sends get the times they actually went out at."""

    def __init__(self, start: datetime) -> None:
        self._start, self._started = start, time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._started)


@dataclass(frozen=True)
class _Claim:
    communication_id: int
    attempt_id: str
    attempts: int
    message: RenderedMessage


def dispatch(
    db: Database, senders: Mapping[Channel, Sender], *, now: datetime | None = None, limit: int = 200,
    lease: timedelta = LEASE, limits: Mapping[Channel, RateLimit] | None = None,
    pacers: Mapping[Channel, Pacer] | None = None,
) -> DispatchResult:  # fmt: skip
    """Send the queued messages that are due, within their policy's hours, on the channels given.

    Each is claimed (committed as "sending" with an attempt id and a lease) before its sender is called, and
    recorded after. On PostgreSQL only one workstation dispatches at a time; the others report ``standby``.
    ``limits`` caps each channel's pace (sends are spaced out) and the messages a recipient gets in a day (the
    extra ones wait for the next day); ``pacers`` replaces the default pacing, for tests.
    """
    result = DispatchResult()
    now = now or utc_now()
    limits = limits or {}
    pacers = dict(pacers or {})
    for channel in senders:
        pacers.setdefault(channel, Pacer(limits.get(channel, RateLimit()).per_minute))
    with db.engine.connect() as connection:
        if db.dialect == "postgresql":
            locked = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": _DISPATCH_LOCK}).scalar()
            connection.commit()
            if not locked:
                result.standby = True
                return result
        try:
            result.expired = expire_leases(db, now)
            clock = _RunClock(now)
            for claim in _claim(db, senders, now, limit, lease, limits, result):
                channel = Channel(claim.message.channel)
                pacers[channel].wait()
                _send(db, senders[channel], claim, result, clock)
        finally:
            if db.dialect == "postgresql":
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _DISPATCH_LOCK})
                connection.commit()
    return result


def expire_leases(db: Database, now: datetime) -> int:
    """Mark "unknown" every claim whose lease ran out: the process that claimed it may or may not have sent it."""
    why = "Invio interrotto tra la presa in carico e la registrazione: verificare se è arrivato."
    with UnitOfWork(db) as uow:
        session = uow.session
        expired = (Communication.status == CommunicationStatus.SENDING, Communication.lease_until < now)
        ids = list(session.scalars(select(Communication.id).where(*expired)))
        if ids:
            session.execute(
                update(Communication).where(Communication.id.in_(ids), *expired)
                .values(status=CommunicationStatus.UNKNOWN, updated_at=now, error=why)
            )  # fmt: skip
            add_events(session, ids, "unknown", status=CommunicationStatus.UNKNOWN, detail=why, at=now)
        uow.commit()
    return len(ids)


def _claim(
    db: Database, senders: Mapping[Channel, Sender], now: datetime, limit: int, lease: timedelta,
    limits: Mapping[Channel, RateLimit], result: DispatchResult,
) -> list[_Claim]:  # fmt: skip
    claims = []
    budgets = {channel: limits.get(channel, RateLimit()).claims_within(lease) for channel in senders}
    with UnitOfWork(db) as uow:
        session = uow.session
        query = (
            select(Communication, DunningPolicy.send_from, DunningPolicy.send_until)
            .outerjoin(DunningLevel, DunningLevel.id == Communication.level_id)
            .outerjoin(DunningPolicy, DunningPolicy.id == DunningLevel.policy_id)
            .where(Communication.status == CommunicationStatus.QUEUED, Communication.channel.in_(list(senders)),
                   or_(Communication.scheduled_for.is_(None), Communication.scheduled_for <= now),
                   or_(Communication.next_attempt_at.is_(None), Communication.next_attempt_at <= now))
            .order_by(Communication.scheduled_for, Communication.id)
            .limit(limit)
        )  # fmt: skip
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=Communication)
        rows = [row for row in session.execute(query) if _open_hours(now, row[1], row[2])]
        sent_today = _sent_per_recipient(session, [row[0] for row in rows], now)
        for communication, _send_from, _send_until in rows:
            channel = communication.channel
            budget = budgets.get(channel)
            if budget is not None and budget <= 0:
                continue  # this run's share of the channel's pace is used up: the rest goes in the next run
            per_day = limits.get(channel, RateLimit()).per_recipient_per_day
            recipient = (channel, communication.address or "")
            if per_day is not None and len(sent_today[recipient]) >= per_day:
                _defer(session, communication, min(sent_today[recipient]) + _DAY, per_day, now)
                result.deferred += 1
                continue
            sent_today[recipient].append(now)
            if budget is not None:
                budgets[channel] = budget - 1
            attempt = str(uuid.uuid4())
            communication.status, communication.attempt_id = CommunicationStatus.SENDING, attempt
            communication.lease_until, communication.attempts = now + lease, communication.attempts + 1
            claims.append(
                _Claim(communication.id, attempt, communication.attempts, render(session, communication, attempt))
            )
        uow.commit()  # the claims are on disk before any gateway is called
    return claims


def _sent_per_recipient(
    session: Session, communications: list[Communication], now: datetime
) -> defaultdict[tuple[Channel, str], list[datetime]]:
    """When each recipient of ``communications`` was sent something on the same channel in the last day."""
    found: defaultdict[tuple[Channel, str], list[datetime]] = defaultdict(list)
    addresses = sorted({c.address for c in communications if c.address})
    since = now - _DAY
    for start in range(0, len(addresses), 900):  # SQLite's limit on bound parameters
        rows = session.execute(
            select(Communication.channel, Communication.address, Communication.sent_at, Communication.lease_until)
            .where(Communication.address.in_(addresses[start : start + 900]),
                   or_(and_(Communication.sent_at >= since, Communication.sent_at <= now),
                       Communication.status == CommunicationStatus.SENDING))
        )  # fmt: skip
        for channel, address, sent_at, lease_until in rows:
            found[(channel, address or "")].append(sent_at or (lease_until or now) - LEASE)
    return found


def _defer(
    session: Session, communication: Communication, until: datetime, per_day: int, now: datetime
) -> None:  # fmt: skip
    communication.next_attempt_at, communication.updated_at = until, now
    communication.error = (f"Rinviato al {until.astimezone(ROME):%d/%m/%Y %H:%M}: il destinatario ha già ricevuto "
                           f"{per_day} messaggi su questo canale nelle ultime 24 ore.")  # fmt: skip


def _open_hours(now: datetime, send_from: int | None, send_until: int | None) -> bool:
    local = now.astimezone(ROME)
    minute = local.hour * 60 + local.minute
    return is_working_day(local.date()) and (send_from or 0) <= minute < (send_until or 24 * 60)


def _send(db: Database, sender: Sender, claim: _Claim, result: DispatchResult, clock: _RunClock) -> None:
    try:
        provider_id = sender.deliver(claim.message)
    except NotDelivered as error:
        retry = claim.attempts < MAX_ATTEMPTS
        wait = max(timedelta(seconds=error.retry_after or 0), _BACKOFF[min(claim.attempts, len(_BACKOFF)) - 1])
        status = CommunicationStatus.QUEUED if retry else CommunicationStatus.FAILED
        now = clock.now()
        _record(db, claim, status, now, error=str(error), next_attempt=now + wait if retry else None,
                kind="retry" if retry else "failed")  # fmt: skip
        result.retried += retry
        result.failed += not retry
    except Refused as error:
        _record(db, claim, CommunicationStatus.FAILED, clock.now(), error=str(error))
        result.failed += 1
    except Exception as error:  # OutcomeUnknown, or anything unexpected after the call: it may have been sent
        _record(db, claim, CommunicationStatus.UNKNOWN, clock.now(), error=str(error) or type(error).__name__)
        result.unknown += 1
        result.errors.append(f"comunicazione {claim.communication_id}: {error}")
    else:
        _record(db, claim, CommunicationStatus.SENT, clock.now(), provider_id=provider_id, provider=sender.provider)
        result.sent += 1


def _record(
    db: Database, claim: _Claim, status: CommunicationStatus, now: datetime, *, provider_id: str | None = None,
    provider: str | None = None, error: str | None = None, next_attempt: datetime | None = None,
    kind: str | None = None,
) -> None:  # fmt: skip
    values: dict[str, object] = {"status": status, "lease_until": None, "updated_at": now, "error": error,
                                 "next_attempt_at": next_attempt}  # fmt: skip
    if status is CommunicationStatus.SENT:
        values.update(provider_id=provider_id, provider=provider, sent_at=now)
    with UnitOfWork(db) as uow:
        # Only our own claim: if the lease ran out and another run marked it unknown, that stands.
        done = uow.session.execute(
            update(Communication)
            .where(Communication.id == claim.communication_id, Communication.attempt_id == claim.attempt_id,
                   Communication.status == CommunicationStatus.SENDING)
            .values(**values)
        )  # fmt: skip
        if getattr(done, "rowcount", 0):
            detail = error if error else (f"{provider}: {provider_id}" if provider_id else None)
            add_event(uow.session, claim.communication_id, kind or str(status), status=status, detail=detail, at=now)
        uow.commit()
