"""Each communication's timeline: one row per thing that happened to it, written in the same transaction as
the change it records."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.models import CommunicationEvent, CommunicationStatus
from app.models.types import utc_now


def add_event(
    session: Session, communication_id: int, kind: str, *, status: CommunicationStatus | None = None,
    detail: str | None = None, user_id: int | None = None, at: datetime | None = None,
) -> None:  # fmt: skip
    """Record that ``kind`` happened to the communication; it is written when the session commits."""
    add_events(session, (communication_id,), kind, status=status, detail=detail, user_id=user_id, at=at)


def add_events(
    session: Session, communication_ids: Iterable[int], kind: str, *, status: CommunicationStatus | None = None,
    detail: str | None = None, user_id: int | None = None, at: datetime | None = None,
) -> None:  # fmt: skip
    """Record the same event for many communications in one statement."""
    when = at or utc_now()
    rows = [{"communication_id": communication_id, "at": when, "kind": kind, "status": status, "detail": detail,
             "user_id": user_id} for communication_id in communication_ids]  # fmt: skip
    if rows:
        session.execute(insert(CommunicationEvent), rows)
