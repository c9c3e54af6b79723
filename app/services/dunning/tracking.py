"""What happened to a message after it left: PEC receipts read from the mailbox and WhatsApp statuses, applied
to the communications they name, the receipts archived with them.

A status only moves a message forward (a late "accepted" never undoes "delivered"); a receipt or status for an
"unknown" message settles it, since it proves the message left.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from hashlib import sha256
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Channel, Communication, CommunicationStatus, Document, DocumentKind
from app.models.types import ROME, utc_now
from app.services.archive.files import archived
from app.services.database import Database
from app.services.dunning.events import add_event
from app.services.dunning.senders import attempt_of
from app.services.gateways.base import DeliveryStatus, GatewayError, StatusUpdate
from app.services.gateways.pec_mailbox import ImapServer, MailboxMessage, confirm_recorded, fetch_receipts
from app.services.gateways.pec_receipts import PecReceipt, ReceiptKind, normalize_message_id
from app.services.gateways.twilio import TwilioWhatsAppGateway
from app.services.unit_of_work import UnitOfWork

_OPEN = (CommunicationStatus.SENDING, CommunicationStatus.UNKNOWN)
_ARRIVED = (CommunicationStatus.DELIVERED, CommunicationStatus.READ)
_KIND_NAMES = {
    ReceiptKind.ACCEPTANCE: "accettazione", ReceiptKind.NON_ACCEPTANCE: "non accettazione",
    ReceiptKind.TAKEN_IN_CHARGE: "presa in carico", ReceiptKind.DELIVERY: "avvenuta consegna",
    ReceiptKind.DELIVERY_FAILURE: "errore di consegna", ReceiptKind.DELIVERY_FAILURE_WARNING: "preavviso di errore",
    ReceiptKind.VIRUS_DETECTED: "rilevazione virus", ReceiptKind.CERTIFIED_MAIL: "busta di trasporto",
}  # fmt: skip
# What the provider's statuses mean for a communication, and how far along each is.
_FROM_DELIVERY = {
    DeliveryStatus.ACCEPTED: CommunicationStatus.SENT, DeliveryStatus.SENT: CommunicationStatus.SENT,
    DeliveryStatus.DELIVERED: CommunicationStatus.DELIVERED, DeliveryStatus.READ: CommunicationStatus.READ,
    DeliveryStatus.FAILED: CommunicationStatus.FAILED,
}  # fmt: skip
_AS_DELIVERY = {
    CommunicationStatus.SENT: DeliveryStatus.SENT, CommunicationStatus.DELIVERED: DeliveryStatus.DELIVERED,
    CommunicationStatus.READ: DeliveryStatus.READ, CommunicationStatus.FAILED: DeliveryStatus.FAILED,
}  # fmt: skip
TWILIO_POLL_WINDOW = timedelta(days=7)  # after a week no further status is expected from Twilio


@dataclass
class ReceiptsResult:
    """What one read of the PEC mailbox did."""

    read: int = 0
    applied: int = 0  # receipts that named one of our communications
    unmatched: int = 0  # readable receipts of messages we did not send (or no longer know)
    unreadable: int = 0  # messages that are not PEC receipts: left unread for a person to look at
    last_uid: int | None = None
    uid_validity: int | None = None
    errors: list[str] = field(default_factory=list)


def apply_pec_receipt(db: Database, archive: Path, raw: bytes, receipt: PecReceipt) -> int | None:
    """Apply one receipt to the PEC communication whose Message-ID it names and archive its .eml with it.

    Returns the communication's id, or None when the receipt names none of ours. Applying the same receipt
    twice changes nothing and archives it once.
    """
    message_id = normalize_message_id(receipt.original_message_id)
    if message_id is None or receipt.kind is ReceiptKind.CERTIFIED_MAIL:
        return None
    now = utc_now()
    with UnitOfWork(db) as uow:
        session = uow.session
        communication = _by_message_id(session, message_id)
        if communication is None:
            return None
        if not _already_archived(session, communication.id, raw):
            _archive_receipt(session, archive, communication, raw, receipt, now)
            _apply_receipt(session, communication, receipt, now)
        uow.commit()
        return communication.id


def collect_pec_receipts(
    db: Database, archive: Path, server: ImapServer, password: str, *, since_uid: int | None = None,
    uid_validity: int | None = None,
) -> ReceiptsResult:  # fmt: skip
    """Read the receipts waiting in the PEC mailbox, apply and archive each, then mark as read those applied.

    Receipts of messages that are not ours, and mail that is not a receipt, stay unread for a person. Pass the
    returned ``last_uid`` and ``uid_validity`` to the next call so those are not read again.
    """
    result = ReceiptsResult(last_uid=since_uid, uid_validity=uid_validity)
    while True:
        batch = fetch_receipts(server, password, since_uid=result.last_uid, uid_validity=result.uid_validity)
        applied = _apply_batch(db, archive, batch.messages, result)
        confirm_recorded(server, password, batch.uid_validity, applied)
        result.last_uid, result.uid_validity = batch.last_uid, batch.uid_validity
        if not batch.more:
            return result


def apply_status_updates(db: Database, updates: Iterable[StatusUpdate]) -> int:
    """Apply WhatsApp statuses (from the Cloud API's webhook or Twilio) to the messages they name, by provider
    message id or by our attempt id echoed back; returns how many communications moved."""
    moved = 0
    with UnitOfWork(db) as uow:
        for update in updates:
            moved += _apply_status(uow.session, update)
        uow.commit()
    return moved


def poll_twilio_statuses(
    db: Database, gateway: TwilioWhatsAppGateway, *, now: datetime | None = None, limit: int = 500
) -> tuple[int, list[str]]:  # fmt: skip
    """Ask Twilio for the status of the messages it took in the last week that are not read or failed yet; apply
    them. Returns how many moved and the errors met (one failing message does not stop the others)."""
    now = now or utc_now()
    with db.read_session() as session:
        query = (
            select(Communication.provider_id)
            .where(Communication.provider == gateway.provider, Communication.provider_id.is_not(None),
                   Communication.status.in_((CommunicationStatus.SENT, CommunicationStatus.DELIVERED)),
                   Communication.sent_at >= now - TWILIO_POLL_WINDOW)
            .order_by(Communication.sent_at)
            .limit(limit)
        )  # fmt: skip
        sids = [sid for sid in session.scalars(query) if sid]
    updates, errors = [], []
    for sid in sids:
        try:
            updates.append(gateway.fetch_status(sid))
        except GatewayError as error:
            errors.append(f"stato Twilio di {sid}: {error}")
    return apply_status_updates(db, updates), errors


def _apply_batch(db: Database, archive: Path, messages: Iterable[MailboxMessage], result: ReceiptsResult) -> list[int]:
    applied = []
    for message in messages:
        result.read += 1
        if message.receipt is None:
            result.unreadable += 1
            continue
        try:
            communication_id = apply_pec_receipt(db, archive, message.raw, message.receipt)
        except Exception as error:  # one receipt that cannot be recorded must not stop the others
            result.errors.append(f"ricevuta PEC {message.uid}: {error}")
            continue
        if communication_id is None:
            result.unmatched += 1
        else:
            result.applied += 1
            applied.append(message.uid)
    return applied


def _by_message_id(session: Session, message_id: str) -> Communication | None:
    attempt = attempt_of(message_id)
    matches = [Communication.provider_id == message_id, Communication.provider_id == message_id.strip("<>")]
    if attempt is not None:
        matches.append(Communication.attempt_id == attempt)
    query = select(Communication).where(Communication.channel == Channel.PEC, or_(*matches)).limit(1)
    return session.scalars(query).first()


def _already_archived(session: Session, communication_id: int, raw: bytes) -> bool:
    digest = sha256(raw).hexdigest()
    query = select(Document.id).where(Document.communication_id == communication_id, Document.sha256 == digest)
    return session.scalar(query) is not None


def _archive_receipt(
    session: Session, archive: Path, communication: Communication, raw: bytes, receipt: PecReceipt, now: datetime
) -> None:
    local = now.astimezone(ROME)
    folder = ("Comunicazioni", f"{local.year}", "PEC", f"comunicazione-{communication.id}")
    with tempfile.TemporaryDirectory(prefix="creditdesk-ricevuta-") as scratch:
        source = Path(scratch) / f"ricevuta-{receipt.kind.value}.eml"
        source.write_bytes(raw)
        with archived(session, archive, communication.creditor_id, source, folder, DocumentKind.PEC_RECEIPT,
                      now) as copy:  # fmt: skip
            document = session.get_one(Document, copy.document_id)
            document.communication_id, document.subject_id = communication.id, communication.subject_id
            document.credit_id, document.notice_id = communication.credit_id, communication.notice_id
            document.mime_type = "message/rfc822"


def _apply_receipt(session: Session, communication: Communication, receipt: PecReceipt, now: datetime) -> None:
    when = receipt.issued_at or now
    name = _KIND_NAMES.get(receipt.kind, receipt.kind.value)
    detail = f"Ricevuta di {name}" + (f": {receipt.error_detail}" if receipt.error_detail else "")
    status = communication.status
    target: CommunicationStatus | None = None
    if receipt.kind is ReceiptKind.DELIVERY:
        target = CommunicationStatus.DELIVERED if status not in _ARRIVED else None
    elif receipt.kind is ReceiptKind.ACCEPTANCE:
        target = CommunicationStatus.SENT if status in _OPEN else None
    elif receipt.kind in (ReceiptKind.NON_ACCEPTANCE, ReceiptKind.DELIVERY_FAILURE, ReceiptKind.VIRUS_DETECTED) or (
        receipt.is_541_warning  # the mailbox is full or gone for good: no delivery will follow
    ):
        target = CommunicationStatus.FAILED if status not in _ARRIVED else None
    if target is not None:
        _move(communication, target, when, now)
        if target is CommunicationStatus.FAILED:
            communication.error = detail
    add_event(session, communication.id, "receipt", status=target, detail=detail, at=now)


def _apply_status(session: Session, update: StatusUpdate) -> int:
    matches = [Communication.provider_id == update.provider_message_id]
    if update.reference:
        matches.append(Communication.attempt_id == update.reference)
    query = select(Communication).where(Communication.channel == Channel.WHATSAPP, or_(*matches)).limit(1)
    communication = session.scalars(query).first()
    if communication is None:
        return 0
    current = communication.status
    if current not in _OPEN and current not in _AS_DELIVERY:
        return 0  # a message a clerk cancelled or re-queued meanwhile: the status concerns an earlier attempt
    if current in _AS_DELIVERY and not update.status.advances(_AS_DELIVERY[current]):
        return 0
    now = utc_now()
    target = _FROM_DELIVERY[update.status]
    _move(communication, target, update.timestamp or now, now)
    if communication.provider_id is None:
        communication.provider, communication.provider_id = update.provider, update.provider_message_id
    detail = update.raw_status
    if update.error is not None:
        detail = f"{update.raw_status}: {update.error.message} ({update.error.code})"
        communication.error = detail
    add_event(session, communication.id, update.status.value, status=target, detail=detail, at=now)
    return 1


def _move(communication: Communication, target: CommunicationStatus, when: datetime, now: datetime) -> None:
    # A message that was in flight or unknown has left: its claim is over (the attempt id stays, receipts name it).
    if communication.status in _OPEN:
        communication.lease_until = None
    communication.status, communication.updated_at = target, now
    if communication.sent_at is None and target is not CommunicationStatus.FAILED:
        communication.sent_at = when
    if target in _ARRIVED and communication.delivered_at is None:
        communication.delivered_at = when
    if target is CommunicationStatus.READ:
        communication.read_at = when
