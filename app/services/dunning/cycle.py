"""One run of the reminder machinery, the same from the window's scheduler and from ``creditdesk worker``:
plan what is due for every creditor, send what is queued, and read back what the providers say."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from app.models import Channel, Creditor
from app.models.types import ROME, utc_now
from app.services.database import Database, read_session
from app.services.dunning import outbox
from app.services.dunning.dispatch import DispatchResult, Sender, dispatch
from app.services.dunning.gateway_config import build_senders
from app.services.dunning.planner import plan
from app.services.dunning.rate_limits import limits_from_settings
from app.services.dunning.tracking import collect_pec_receipts, poll_twilio_statuses
from app.services.errors import CreditDeskError
from app.services.gateways.pec_mailbox import ImapServer
from app.services.gateways.twilio import TwilioWhatsAppGateway
from app.settings import Settings

CHANNEL_NAMES = {Channel.WHATSAPP: "WhatsApp", Channel.EMAIL: "e-mail", Channel.PEC: "PEC",
                 Channel.POST: "lettera", Channel.REGISTERED_LETTER: "raccomandata A/R"}  # fmt: skip


@dataclass
class CycleResult:
    """What one run did, for the status bar, the tray notification and the worker's log."""

    started_at: datetime
    planned: int = 0
    dispatched: DispatchResult = field(default_factory=DispatchResult)
    channels: tuple[Channel, ...] = ()
    receipts: int = 0  # PEC receipts applied to our messages
    statuses: int = 0  # WhatsApp statuses that moved a message on
    errors: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """Messages that failed or whose outcome is unknown in this run: each needs a clerk's look."""
        return self.dispatched.failed + self.dispatched.unknown + self.dispatched.expired

    def summary(self) -> str:
        """The run in one Italian sentence."""
        done = self.dispatched
        if done.standby:
            return f"Pianificati {self.planned} messaggi; un'altra postazione sta inviando: questa attende."
        channels = ", ".join(sorted(CHANNEL_NAMES[channel] for channel in self.channels)) or "nessuno"
        text = (f"Pianificati {self.planned} messaggi. Inviati {done.sent}, da ritentare {done.retried}, non "
                f"riusciti {done.failed}, esito sconosciuto {done.unknown + done.expired}. Canali configurati: "
                f"{channels}.")  # fmt: skip
        if self.receipts or self.statuses:
            text += f" Ricevute PEC registrate: {self.receipts}; stati WhatsApp aggiornati: {self.statuses}."
        if not self.errors:
            return text
        more = f" e altri {len(self.errors) - 3}" if len(self.errors) > 3 else ""
        return f"{text} Problemi: {'; '.join(self.errors[:3])}{more}."


def run_cycle(
    db: Database, settings: Settings, *, now: datetime | None = None, day: date | None = None,
    creditor_ids: list[int] | None = None, approve_all: bool = False, user_login: str | None = None,
    senders: dict[Channel, Sender] | None = None, mailbox: tuple[ImapServer, str] | None = None,
    twilio: TwilioWhatsAppGateway | None = None, cancelled: Callable[[], bool] | None = None,
) -> CycleResult:  # fmt: skip
    """Plan the reminders due on ``day`` (default: today in Rome) for the creditors given (default: all), queue
    them too when ``approve_all``, then send what is queued and due at ``now``.

    Then the PEC receipts waiting in ``mailbox`` (server, password) are applied and archived, and the statuses of
    the messages ``twilio`` took are asked for.
    A step that fails (a gateway unreachable) is reported in ``errors``; the run goes on with the others.
    ``cancelled`` is asked between steps; a step once begun is finished, so nothing is left half-done.
    """
    now = now or utc_now()
    day = day or now.astimezone(ROME).date()
    result = CycleResult(started_at=now)
    if creditor_ids is None:
        with read_session(db) as session:
            creditor_ids = list(session.scalars(select(Creditor.id).order_by(Creditor.id)))
    for creditor_id in creditor_ids:
        if cancelled is not None and cancelled():
            return result
        planned = plan(db, creditor_id, day)
        result.planned += len(planned.messages)
        if approve_all and planned.messages:
            outbox.approve(db, [m.communication_id for m in planned.messages], user_login=user_login)
    if cancelled is not None and cancelled():
        return result
    senders = build_senders(settings) if senders is None else senders
    result.channels = tuple(senders)
    result.dispatched = dispatch(db, senders, now=now, limits=limits_from_settings(settings))
    result.errors.extend(result.dispatched.errors)
    if mailbox is not None and not (cancelled is not None and cancelled()):
        _collect_receipts(db, settings, mailbox, result)
    if twilio is not None and not (cancelled is not None and cancelled()):
        try:
            result.statuses, errors = poll_twilio_statuses(db, twilio)
            result.errors.extend(errors)
        except CreditDeskError as error:
            result.errors.append(f"stati Twilio: {error}")
    return result


# Where each mailbox's reading stopped, so that receipts that are not ours (left unread) are not read again.
_MAILBOX_POSITIONS: dict[tuple[str, str, str], tuple[int | None, int | None]] = {}


def _collect_receipts(db: Database, settings: Settings, mailbox: tuple[ImapServer, str], result: CycleResult) -> None:
    server, password = mailbox
    key = (server.host, server.username, server.folder)
    since_uid, validity = _MAILBOX_POSITIONS.get(key, (None, None))
    try:
        read = collect_pec_receipts(db, settings.archive_path, server, password, since_uid=since_uid,
                                    uid_validity=validity)  # fmt: skip
    except CreditDeskError as error:
        result.errors.append(f"ricevute PEC: {error}")
        return
    _MAILBOX_POSITIONS[key] = (read.last_uid, read.uid_validity)
    result.receipts += read.applied
    result.errors.extend(read.errors)
