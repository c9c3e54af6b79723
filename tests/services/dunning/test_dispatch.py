"""Dispatch: claimed before the call, recorded after; only what proves nothing was delivered is retried; an
unknown outcome waits for a clerk; a crash between claim and record leaves "unknown", never a second send."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.models import Channel, Communication, CommunicationStatus, CreditStatus
from app.models.types import ROME
from app.services.database import Database
from app.services.dunning import outbox
from app.services.dunning.dispatch import MAX_ATTEMPTS, DispatchResult, _claim, dispatch, expire_leases
from app.services.dunning.planner import plan
from app.services.dunning.rate_limits import Pacer, RateLimit, limits_from_settings
from app.services.dunning.rendering import RenderedMessage
from app.services.dunning.senders import WhatsAppSender
from app.services.gateways.base import NotDelivered, OutcomeUnknown, RefusalReason, Refused
from app.services.gateways.whatsapp_cloud import WhatsAppCloudGateway
from app.services.unit_of_work import UnitOfWork
from app.settings import Settings
from tests.support.builders import Builder
from tests.support.fake_whatsapp import FakeWhatsApp

DUE = date(2027, 2, 26)
PLANNED_ON = DUE - timedelta(days=10)  # Tuesday 16 February 2027
MORNING = datetime(2027, 2, 16, 10, 0, tzinfo=ROME)


class FakeSender:
    """Records what it is given; raises what it is told to, once each."""

    provider = "fake"

    def __init__(self, *failures: Exception) -> None:
        self.delivered: list[RenderedMessage] = []
        self._failures = list(failures)

    def deliver(self, message: RenderedMessage) -> str:
        if self._failures:
            raise self._failures.pop(0)
        self.delivered.append(message)
        return f"wamid.{message.communication_id}.{len(self.delivered)}"


def _queued(db: Database, payers: int = 1) -> list[int]:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Co.Sm.An")
        for number in range(payers):
            payer = make.subject(f"Rossi {number}", mobile=f"+39333123456{number}", whatsapp_consent=True,
                                 whatsapp_consent_date=date(2026, 1, 1))  # fmt: skip
            make.credit(payer, "100.00", status=CreditStatus.AWAITING_PAYMENT, due=DUE, reference=f"POL-{number}")
        creditor_id = make.creditor.id
        uow.commit()
    planned = plan(db, creditor_id, PLANNED_ON)
    ids = [m.communication_id for m in planned.messages]
    assert outbox.approve(db, ids, user_login=None) == len(ids)
    return ids


def _statuses(db: Database) -> dict[int, CommunicationStatus]:
    with db.read_session() as session:
        return {c.id: c.status for c in session.scalars(select(Communication))}


def test_queued_reminders_are_sent_once_with_the_text_filled(db: Database) -> None:
    ids = _queued(db, payers=3)
    sender = FakeSender()
    result = dispatch(db, {Channel.WHATSAPP: sender}, now=MORNING)
    assert (result.sent, result.unknown) == (3, 0)
    message = sender.delivered[0]
    assert message.parameters == ("Rossi 0", "100,00 €", "26/02/2027", "POL-0")
    assert message.text.startswith("Gentile Rossi 0, le ricordiamo") and "100,00 €" in message.text
    assert set(_statuses(db).values()) == {CommunicationStatus.SENT}
    # a second run finds nothing to send
    assert dispatch(db, {Channel.WHATSAPP: sender}, now=MORNING + timedelta(minutes=5)).sent == 0
    assert len(sender.delivered) == len(ids)


def test_nothing_goes_out_before_opening_time_or_on_a_sunday(db: Database) -> None:
    _queued(db)
    sender = FakeSender()
    assert dispatch(db, {Channel.WHATSAPP: sender}, now=datetime(2027, 2, 16, 7, 30, tzinfo=ROME)).sent == 0
    assert dispatch(db, {Channel.WHATSAPP: sender}, now=datetime(2027, 2, 21, 11, 0, tzinfo=ROME)).sent == 0
    assert dispatch(db, {Channel.WHATSAPP: sender}, now=MORNING).sent == 1


def test_only_proof_of_non_delivery_is_retried_and_not_forever(db: Database) -> None:
    (communication,) = _queued(db)
    busy = NotDelivered("limite di invio raggiunto", retry_after=60)
    sender = FakeSender(*[busy] * MAX_ATTEMPTS)
    now = MORNING
    for attempt in range(1, MAX_ATTEMPTS + 1):
        result = dispatch(db, {Channel.WHATSAPP: sender}, now=now)
        assert (result.retried, result.failed) == ((1, 0) if attempt < MAX_ATTEMPTS else (0, 1))
        # not before the wait it was given
        assert dispatch(db, {Channel.WHATSAPP: sender}, now=now + timedelta(seconds=30)).retried == 0
        now += timedelta(hours=2, minutes=5)  # past the longest wait, still within the sending hours
    assert _statuses(db)[communication] is CommunicationStatus.FAILED
    # a clerk retries it by hand, the next morning
    assert outbox.retry(db, [communication], user_login=None) == 1
    assert dispatch(db, {Channel.WHATSAPP: sender}, now=MORNING + timedelta(days=1)).sent == 1


def test_a_refusal_fails_and_an_unknown_outcome_waits_for_a_clerk(db: Database) -> None:
    refused, unknown = _queued(db, payers=2)
    sender = FakeSender(
        Refused("nessun consenso", reason=RefusalReason.NO_CONSENT), OutcomeUnknown("risposta non arrivata")
    )
    result = dispatch(db, {Channel.WHATSAPP: sender}, now=MORNING)
    assert (result.failed, result.unknown, result.sent) == (1, 1, 0)
    assert _statuses(db) == {refused: CommunicationStatus.FAILED, unknown: CommunicationStatus.UNKNOWN}
    # never resent automatically
    assert dispatch(db, {Channel.WHATSAPP: sender}, now=MORNING + timedelta(days=1)).sent == 0
    # the clerk checked: it did arrive
    assert outbox.resolve_unknown(db, [unknown], resend=False, user_login=None) == 1
    assert _statuses(db)[unknown] is CommunicationStatus.SENT
    assert sender.delivered == []


def test_a_crash_between_claim_and_record_becomes_unknown_not_a_second_send(db: Database) -> None:
    (communication,) = _queued(db)
    sender = FakeSender()
    # GIVEN a worker that claimed the message and died before recording what happened
    claims = _claim(db, {Channel.WHATSAPP: sender}, MORNING, 10, timedelta(minutes=10), {}, DispatchResult())
    assert [c.communication_id for c in claims] == [communication]
    # WHEN another run comes while the lease holds, then after it ran out
    assert dispatch(db, {Channel.WHATSAPP: sender}, now=MORNING + timedelta(minutes=5)).sent == 0
    assert expire_leases(db, MORNING + timedelta(minutes=11)) == 1
    # THEN the message is "unknown", and nothing was sent twice
    assert _statuses(db)[communication] is CommunicationStatus.UNKNOWN
    assert dispatch(db, {Channel.WHATSAPP: sender}, now=MORNING + timedelta(minutes=12)).sent == 0
    assert sender.delivered == []
    # the clerk asks to resend it: now it goes, once
    outbox.resolve_unknown(db, [communication], resend=True, user_login=None)
    assert dispatch(db, {Channel.WHATSAPP: sender}, now=MORNING + timedelta(minutes=13)).sent == 1


def test_reminders_reach_the_whatsapp_cloud_api(db: Database) -> None:
    _queued(db, payers=2)
    with FakeWhatsApp() as fake:
        fake.templates[("promemoria_scadenza", "it")] = 4
        gateway = WhatsAppCloudGateway(phone_number_id=fake.phone_number_id, token=fake.token, base_url=fake.base_url,
                                       timeout=(2, 2))  # fmt: skip
        result = dispatch(db, {Channel.WHATSAPP: WhatsAppSender(gateway)}, now=MORNING)
        assert result.sent == 2 and len(fake.accepted) == 2 and not fake.duplicates()
    with db.read_session() as session:
        assert all(c.provider_id for c in session.scalars(select(Communication)))


def test_planned_messages_wait_for_approval_and_can_be_cancelled(db: Database) -> None:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session)
        payer = make.subject("Verdi", mobile="+393330000000", whatsapp_consent=True,
                             whatsapp_consent_date=date(2026, 1, 1))  # fmt: skip
        make.credit(payer, "10.00", status=CreditStatus.AWAITING_PAYMENT, due=DUE)
        creditor_id = make.creditor.id
        uow.commit()
    (message,) = plan(db, creditor_id, PLANNED_ON).messages
    sender = FakeSender()
    assert dispatch(db, {Channel.WHATSAPP: sender}, now=MORNING).sent == 0  # not approved: stays planned
    assert outbox.cancel(db, [message.communication_id], user_login=None) == 1
    assert _statuses(db)[message.communication_id] is CommunicationStatus.CANCELLED
    assert plan(db, creditor_id, PLANNED_ON).messages == []  # a cancelled level is not planned again
    assert message.amount == Decimal("10.00")


def _same_mobile(db: Database, payers: int) -> None:
    """``payers`` people sharing one mobile (a family, a firm's phone): each gets a reminder, one number."""
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Co.Sm.An")
        for number in range(payers):
            payer = make.subject(f"Verdi {number}", mobile="+393339876543", whatsapp_consent=True,
                                 whatsapp_consent_date=date(2026, 1, 1))  # fmt: skip
            make.credit(payer, "80.00", status=CreditStatus.AWAITING_PAYMENT, due=DUE, reference=f"POL-V{number}")
        creditor_id = make.creditor.id
        uow.commit()
    planned = plan(db, creditor_id, PLANNED_ON)
    outbox.approve(db, [m.communication_id for m in planned.messages], user_login=None)


def test_a_recipient_gets_no_more_than_the_daily_limit_and_the_rest_follows_next_day(db: Database) -> None:
    _same_mobile(db, payers=3)
    sender = FakeSender()
    limits = {Channel.WHATSAPP: RateLimit(per_recipient_per_day=2)}
    first = dispatch(db, {Channel.WHATSAPP: sender}, now=MORNING, limits=limits)
    assert (first.sent, first.deferred) == (2, 1)
    with db.read_session() as session:
        waiting = session.scalars(select(Communication).where(Communication.status == CommunicationStatus.QUEUED)).one()
        assert waiting.next_attempt_at is not None and waiting.error is not None and "24 ore" in waiting.error
    # later the same day nothing more goes to that number
    assert dispatch(db, {Channel.WHATSAPP: sender}, now=MORNING + timedelta(hours=3), limits=limits).sent == 0
    # the next morning it does
    assert dispatch(db, {Channel.WHATSAPP: sender}, now=MORNING + timedelta(days=1, minutes=1), limits=limits).sent == 1
    assert len(sender.delivered) == 3


def test_a_gateways_pace_spaces_the_sends_and_a_run_takes_no_more_than_its_lease_allows(db: Database) -> None:
    _queued(db, payers=7)
    sender = FakeSender()
    slept: list[float] = []
    clock = [0.0]

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    pacer = Pacer(1, clock=lambda: clock[0], sleep=sleep)
    limits = {Channel.WHATSAPP: RateLimit(per_minute=1)}
    result = dispatch(db, {Channel.WHATSAPP: sender}, now=MORNING, limits=limits, pacers={Channel.WHATSAPP: pacer},
                      lease=timedelta(minutes=10))  # fmt: skip
    # one a minute, and only as many as go out in half the lease: the others wait for the next run
    assert result.sent == 5 and slept == [60.0] * 4
    assert set(_statuses(db).values()) == {CommunicationStatus.SENT, CommunicationStatus.QUEUED}


def test_rate_limits_come_from_the_gateways_settings() -> None:
    settings = Settings(extra={"gateways": {"whatsapp": {"per_minute": "30"}, "pec": {"per_recipient_per_day": 1}}})
    limits = limits_from_settings(settings)
    assert limits[Channel.WHATSAPP] == RateLimit(per_minute=30, per_recipient_per_day=2)
    assert limits[Channel.PEC] == RateLimit(per_minute=None, per_recipient_per_day=1)
    assert limits[Channel.EMAIL] == RateLimit()
