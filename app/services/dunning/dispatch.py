"""Sending what is queued, so that a crash never sends twice: each message is claimed and committed as
"sending" (an attempt id and a lease) before the gateway is called, and recorded after; an expired claim
becomes "unknown" and waits for a clerk, and only errors that prove nothing was delivered are retried."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import or_, select, text, update

from app.models import Channel, Communication, CommunicationStatus, DunningLevel, DunningPolicy
from app.models.types import ROME, utc_now
from app.services.database import Database
from app.services.dunning.events import add_event, add_events
from app.services.dunning.rendering import RenderedMessage, render
from app.services.dunning.working_days import is_working_day
from app.services.gateways.base import NotDelivered, Refused
from app.services.unit_of_work import UnitOfWork

LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 5
_DISPATCH_LOCK = 0x5C4EF  # PostgreSQL advisory lock: one dispatcher at a time among the workstations
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
    standby: bool = False  # another workstation holds the dispatcher's lock
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Claim:
    communication_id: int
    attempt_id: str
    attempts: int
    message: RenderedMessage


def dispatch(
    db: Database, senders: Mapping[Channel, Sender], *, now: datetime | None = None, limit: int = 200,
    lease: timedelta = LEASE,
) -> DispatchResult:  # fmt: skip
    """Send the queued messages that are due, within their policy's hours, on the channels given.

    Each is claimed (committed as "sending" with an attempt id and a lease) before its sender is called, and
    recorded after. On PostgreSQL only one workstation dispatches at a time; the others report ``standby``.
    """
    result = DispatchResult()
    now = now or utc_now()
    with db.engine.connect() as connection:
        if db.dialect == "postgresql":
            locked = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": _DISPATCH_LOCK}).scalar()
            connection.commit()
            if not locked:
                result.standby = True
                return result
        try:
            result.expired = expire_leases(db, now)
            for claim in _claim(db, senders, now, limit, lease):
                _send(db, senders[Channel(claim.message.channel)], claim, result, now)
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
    db: Database, senders: Mapping[Channel, Sender], now: datetime, limit: int, lease: timedelta
) -> list[_Claim]:
    claims = []
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
        for communication, send_from, send_until in session.execute(query):
            if not _open_hours(now, send_from, send_until):
                continue
            attempt = str(uuid.uuid4())
            communication.status, communication.attempt_id = CommunicationStatus.SENDING, attempt
            communication.lease_until, communication.attempts = now + lease, communication.attempts + 1
            claims.append(
                _Claim(communication.id, attempt, communication.attempts, render(session, communication, attempt))
            )
        uow.commit()  # the claims are on disk before any gateway is called
    return claims


def _open_hours(now: datetime, send_from: int | None, send_until: int | None) -> bool:
    local = now.astimezone(ROME)
    minute = local.hour * 60 + local.minute
    return is_working_day(local.date()) and (send_from or 0) <= minute < (send_until or 24 * 60)


def _send(db: Database, sender: Sender, claim: _Claim, result: DispatchResult, now: datetime) -> None:
    # ``now`` is the run's clock: the next attempt is timed from it, as the claims were.
    try:
        provider_id = sender.deliver(claim.message)
    except NotDelivered as error:
        retry = claim.attempts < MAX_ATTEMPTS
        wait = max(timedelta(seconds=error.retry_after or 0), _BACKOFF[min(claim.attempts, len(_BACKOFF)) - 1])
        status = CommunicationStatus.QUEUED if retry else CommunicationStatus.FAILED
        _record(db, claim, status, error=str(error), next_attempt=now + wait if retry else None,
                kind="retry" if retry else "failed")  # fmt: skip
        result.retried += retry
        result.failed += not retry
    except Refused as error:
        _record(db, claim, CommunicationStatus.FAILED, error=str(error))
        result.failed += 1
    except Exception as error:  # OutcomeUnknown, or anything unexpected after the call: it may have been sent
        _record(db, claim, CommunicationStatus.UNKNOWN, error=str(error) or type(error).__name__)
        result.unknown += 1
        result.errors.append(f"comunicazione {claim.communication_id}: {error}")
    else:
        _record(db, claim, CommunicationStatus.SENT, provider_id=provider_id, provider=sender.provider)
        result.sent += 1


def _record(
    db: Database, claim: _Claim, status: CommunicationStatus, *, provider_id: str | None = None,
    provider: str | None = None, error: str | None = None, next_attempt: datetime | None = None,
    kind: str | None = None,
) -> None:  # fmt: skip
    now = utc_now()
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
