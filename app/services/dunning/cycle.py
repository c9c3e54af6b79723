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
        if not self.errors:
            return text
        more = f" e altri {len(self.errors) - 3}" if len(self.errors) > 3 else ""
        return f"{text} Problemi: {'; '.join(self.errors[:3])}{more}."


def run_cycle(
    db: Database, settings: Settings, *, now: datetime | None = None, day: date | None = None,
    creditor_ids: list[int] | None = None, approve_all: bool = False, user_login: str | None = None,
    senders: dict[Channel, Sender] | None = None, cancelled: Callable[[], bool] | None = None,
) -> CycleResult:  # fmt: skip
    """Plan the reminders due on ``day`` (default: today in Rome) for the creditors given (default: all), queue
    them too when ``approve_all``, then send what is queued and due at ``now``.

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
    return result
