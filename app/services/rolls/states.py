"""A roll's life: draft → sent to bank → notices issued → in collection → closed, each move recorded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import NoticeKind, NoticeStatus, PaymentNotice, Roll, RollEvent, RollStatus, User
from app.models.types import utc_now
from app.services.database import Database
from app.services.errors import InvalidInput, NotFound
from app.services.unit_of_work import UnitOfWork

# A roll of notices the creditor numbers itself (pagoPA, transfer with RF) never goes to the bank: from the
# draft it goes straight to "notices issued". The bank may refuse a flow: the roll then goes back to draft.
ALLOWED_MOVES: dict[RollStatus, tuple[RollStatus, ...]] = {
    RollStatus.DRAFT: (RollStatus.SENT_TO_BANK, RollStatus.NOTICES_ISSUED),
    RollStatus.SENT_TO_BANK: (RollStatus.NOTICES_ISSUED, RollStatus.DRAFT),
    RollStatus.NOTICES_ISSUED: (RollStatus.IN_COLLECTION, RollStatus.CLOSED),
    RollStatus.IN_COLLECTION: (RollStatus.CLOSED,),
    RollStatus.CLOSED: (),
}
STATUS_NAMES = {
    RollStatus.DRAFT: "bozza", RollStatus.SENT_TO_BANK: "inviato in banca",
    RollStatus.NOTICES_ISSUED: "avvisi emessi", RollStatus.IN_COLLECTION: "in riscossione",
    RollStatus.CLOSED: "chiuso",
}  # fmt: skip


def change_roll_status(
    db: Database, roll_id: int, to: RollStatus, *, user_login: str | None, note: str | None = None
) -> RollStatus:
    """Move the roll to ``to`` if its state allows it, recording who and when; returns the new state.

    Raises InvalidInput, in words a clerk reads, for a move the roll's state (or its notice kind) forbids.
    """
    with UnitOfWork(db) as uow:
        roll = lock_roll(uow.session, roll_id)
        move_roll(uow.session, roll, to, user_id_of(uow.session, user_login), utc_now(), note)
        uow.commit()
    return to


def lock_roll(session: Session, roll_id: int) -> Roll:
    """The roll, read under a row lock (PostgreSQL) so that two clerks cannot move it at once."""
    roll = session.scalar(select(Roll).where(Roll.id == roll_id).with_for_update())
    if roll is None:
        raise NotFound(f"Ruolo {roll_id} non trovato.")
    return roll


def move_roll(
    session: Session, roll: Roll, to: RollStatus, user_id: int | None, now: datetime, note: str | None
) -> None:
    """Check and apply one move of ``roll``, with its event row; the caller commits."""
    if to not in ALLOWED_MOVES[roll.status]:
        raise InvalidInput(
            f"Il ruolo «{roll.name}» è {STATUS_NAMES[roll.status]}: non può passare a «{STATUS_NAMES[to]}»."
        )
    _check_kind(session, roll, to)
    session.add(RollEvent(roll_id=roll.id, at=now, user_id=user_id, from_status=roll.status, to_status=to, note=note))
    roll.status = to
    if to is RollStatus.SENT_TO_BANK:
        roll.sent_at = now
    elif to is RollStatus.CLOSED:
        roll.closed_at = now


def _check_kind(session: Session, roll: Roll, to: RollStatus) -> None:
    # A MAV roll reaches "notices issued" only with every notice's code from the bank; a roll of notices the
    # creditor numbers itself never goes to the bank.
    mav = roll.creditor.notice_kind is NoticeKind.MAV
    if roll.status is RollStatus.DRAFT and to is RollStatus.SENT_TO_BANK and not mav:
        raise InvalidInput(
            f"Il ruolo «{roll.name}» non va in banca: l'ente emette avvisi {roll.creditor.notice_kind.value} "
            "con codici propri. Emettere direttamente gli avvisi."
        )
    if to is RollStatus.NOTICES_ISSUED and mav and roll.status is RollStatus.DRAFT:
        raise InvalidInput(f"Il ruolo «{roll.name}» va prima inviato in banca: è lei ad assegnare i codici MAV.")
    if to is RollStatus.NOTICES_ISSUED and mav:
        missing = session.scalar(
            select(func.count(PaymentNotice.id)).where(
                PaymentNotice.roll_id == roll.id, PaymentNotice.code.is_(None),
                PaymentNotice.status != NoticeStatus.CANCELLED,
            )
        )  # fmt: skip
        if missing:
            raise InvalidInput(
                f"Il ruolo «{roll.name}» ha ancora {missing} avvisi senza codice MAV: importare i codici della banca."
            )


def user_id_of(session: Session, login: str | None) -> int | None:
    """The id of the user with ``login``, None for an unknown or absent login."""
    return session.scalar(select(User.id).where(User.login == login)) if login else None
