"""What a clerk does with the outbox: approve planned messages, cancel them, retry failed ones by hand, and
settle the "unknown" ones (resend, or mark as sent) — each recorded with who did it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import select, update

from app.models import AuditEvent, Communication, CommunicationStatus
from app.models.types import utc_now
from app.services.database import Database
from app.services.dunning.events import add_events
from app.services.errors import InvalidInput
from app.services.rolls.states import user_id_of
from app.services.unit_of_work import UnitOfWork

_CHUNK = 900  # ids per statement, under SQLite's limit on bound parameters
_MOVES = {
    "approve": ((CommunicationStatus.DRAFT,), CommunicationStatus.QUEUED),
    "cancel": ((CommunicationStatus.DRAFT, CommunicationStatus.QUEUED), CommunicationStatus.CANCELLED),
    "retry": ((CommunicationStatus.FAILED,), CommunicationStatus.QUEUED),
    "resend": ((CommunicationStatus.UNKNOWN,), CommunicationStatus.QUEUED),
    "mark_sent": ((CommunicationStatus.UNKNOWN,), CommunicationStatus.SENT),
}


def approve(db: Database, ids: Sequence[int], *, user_login: str | None) -> int:
    """Queue planned messages for sending; returns how many moved (the others were no longer planned)."""
    return _move(db, "approve", ids, user_login)


def cancel(db: Database, ids: Sequence[int], *, user_login: str | None) -> int:
    """Cancel messages not yet sent; they are never planned again for the same level."""
    return _move(db, "cancel", ids, user_login)


def retry(db: Database, ids: Sequence[int], *, user_login: str | None) -> int:
    """Queue failed messages again, now, with a fresh count of attempts."""
    return _move(db, "retry", ids, user_login)


def resolve_unknown(db: Database, ids: Sequence[int], *, resend: bool, user_login: str | None) -> int:
    """Settle messages whose outcome is unknown: queue them again, or record them as sent (the clerk checked)."""
    return _move(db, "resend" if resend else "mark_sent", ids, user_login)


def _move(db: Database, action: str, ids: Sequence[int], user_login: str | None) -> int:
    if not ids:
        raise InvalidInput("Scegliere almeno una comunicazione.")
    allowed, target = _MOVES[action]
    now = utc_now()
    values: dict[str, object] = {"status": target, "updated_at": now}
    if target is CommunicationStatus.QUEUED:
        values.update(next_attempt_at=None, attempt_id=None, lease_until=None)
        if action == "retry":
            values["attempts"] = 0
    if action == "mark_sent":
        values["sent_at"] = now
    with UnitOfWork(db) as uow:
        session = uow.session
        moving: list[int] = []
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            chosen = (Communication.id.in_(chunk), Communication.status.in_(allowed))
            found = list(session.scalars(select(Communication.id).where(*chosen)))
            if found:
                session.execute(update(Communication).where(Communication.id.in_(found)).values(**values))
            moving += found
        user_id = user_id_of(session, user_login)
        add_events(session, moving, action, status=target, user_id=user_id, at=now)
        session.add(AuditEvent(at=now, user_id=user_id, action=f"communication.{action}", entity="communication",
                               entity_id=None, details=json.dumps(sorted(ids))))  # fmt: skip
        uow.commit()
    return len(moving)
