"""After the send: PEC receipts from a real IMAP mailbox and WhatsApp statuses move each message on, the receipts
are archived with it, and a receipt settles a message whose outcome was unknown."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import (
    Channel,
    Communication,
    CommunicationEvent,
    CommunicationStatus,
    Credit,
    CreditStatus,
    Document,
    DocumentKind,
    NoticeKind,
    NoticeStatus,
    PaymentNotice,
)
from app.models.types import ROME
from app.services.database import Database
from app.services.dunning import outbox
from app.services.dunning.defaults import ensure_default_policy
from app.services.dunning.dispatch import dispatch, expire_leases
from app.services.dunning.planner import plan
from app.services.dunning.senders import MailSender, WhatsAppSender
from app.services.dunning.tracking import apply_status_updates, collect_pec_receipts, poll_twilio_statuses
from app.services.gateways.base import DeliveryStatus, RefusalReason, StatusError, StatusUpdate
from app.services.gateways.pec_mailbox import ImapServer
from app.services.gateways.smtp_mail import MailSecurity, SmtpServer
from app.services.gateways.twilio import TwilioWhatsAppGateway
from app.services.gateways.whatsapp_cloud import WhatsAppCloudGateway, parse_status_webhook
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder
from tests.support.fake_whatsapp import FakeWhatsApp
from tests.support.mail_servers import (
    DovecotServer,
    Mailbox,
    RunningSmtp,
    SelfSignedCertificate,
    dovecot_server,
    make_certificate,
    pec_receipt,
    smtp_server,
)

DUE = date(2027, 1, 4)
DAY = DUE + timedelta(days=61)  # Saturday 6 March 2027: the +60 PEC level is due
MORNING = datetime(2027, 3, 8, 10, 0, tzinfo=ROME)  # the Monday after: messages planned on Saturday go out
USER, PASSWORD = "solleciti@pec.consorzio.example", "segreta"
PDF = b"%PDF-1.4\n% avviso di prova\n%%EOF\n"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> SelfSignedCertificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def dovecot(certificate: SelfSignedCertificate) -> Iterator[DovecotServer]:
    with dovecot_server(certificate) as server:
        yield server


@pytest.fixture
def pec_smtp(certificate: SelfSignedCertificate) -> Iterator[RunningSmtp]:
    with smtp_server(certificate, implicit_tls=True, users={USER: PASSWORD}) as running:
        yield running


def _pec_sender(running: RunningSmtp, certificate: SelfSignedCertificate, archive: Path) -> MailSender:
    server = SmtpServer(running.host, USER, port=running.port, security=MailSecurity.SSL,
                        cafile=str(certificate.cert), timeout=5)  # fmt: skip
    return MailSender(server, PASSWORD, USER, "Consorzio", archive=archive)


def _queued_pec(db: Database, archive: Path, payers: int = 1) -> list[int]:
    """Payers with a PEC address only, 61 days past due, each credit with an archived PDF notice."""
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Co.Sm.An")
        for number in range(payers):
            payer = make.subject(f"Bianchi {number}", pec=f"bianchi{number}@pec.example.it")
            credit = make.credit(payer, "250.00", status=CreditStatus.AWAITING_PAYMENT, due=DUE,
                                 reference=f"POL-{number}")  # fmt: skip
            relative = f"avvisi/avviso-{number}.pdf"
            (archive / "avvisi").mkdir(parents=True, exist_ok=True)
            (archive / relative).write_bytes(PDF)
            notice = _notice(make, credit, f"0123456789012345{number:02d}")
            uow.session.add(Document(creditor_id=make.creditor.id, kind=DocumentKind.NOTICE_PDF, notice_id=notice.id,
                                     relative_path=relative, sha256="0" * 64, size=len(PDF)))  # fmt: skip
        creditor_id = make.creditor.id
        uow.commit()
    planned = plan(db, creditor_id, DAY)
    ids = [m.communication_id for m in planned.messages]
    assert {m.channel for m in planned.messages} == {Channel.PEC}
    outbox.approve(db, ids, user_login=None)
    return ids


def _notice(make: Builder, credit: Credit, code: str) -> PaymentNotice:
    notice = PaymentNotice(creditor_id=make.creditor.id, holder_id=credit.holder_id, payer_id=credit.payer_id,
                           kind=NoticeKind.MAV, code=code, amount=credit.amount, due_date=credit.due_date,
                           status=NoticeStatus.ISSUED)  # fmt: skip
    make.session.add(notice)
    make.session.flush()
    credit.notice_id = notice.id
    return notice


def _communication(db: Database, communication_id: int) -> Communication:
    with db.read_session() as session:
        communication = session.get_one(Communication, communication_id)
        session.expunge(communication)
        return communication


def _events(db: Database, communication_id: int) -> list[str]:
    with db.read_session() as session:
        query = select(CommunicationEvent.kind).where(CommunicationEvent.communication_id == communication_id)
        return list(session.scalars(query.order_by(CommunicationEvent.id)))


def _imap(dovecot: DovecotServer, mailbox: Mailbox) -> ImapServer:
    return ImapServer(dovecot.host, mailbox.username, port=dovecot.port, cafile=str(dovecot.cafile), timeout=5)


def test_a_pec_goes_with_its_notice_and_its_receipts_deliver_it_and_are_archived(
    db: Database, tmp_path: Path, pec_smtp: RunningSmtp, certificate: SelfSignedCertificate, dovecot: DovecotServer
) -> None:
    archive = tmp_path / "archivio"
    (communication_id,) = _queued_pec(db, archive)
    result = dispatch(db, {Channel.PEC: _pec_sender(pec_smtp, certificate, archive)}, now=MORNING)
    assert result.sent == 1
    sent = BytesParser(policy=policy.default).parsebytes(pec_smtp.handler.received[0].content)
    attachments = [(part.get_filename(), part.get_content()) for part in sent.iter_attachments()]
    assert attachments == [("avviso-012345678901234500.pdf", PDF)]
    message_id = _communication(db, communication_id).provider_id
    assert message_id is not None and message_id == sent["Message-ID"]

    mailbox = dovecot.new_mailbox()
    mailbox.deliver(pec_receipt("accettazione", msgid=message_id))
    mailbox.deliver(pec_receipt("avvenuta-consegna", msgid=message_id, delivered_to="bianchi0@pec.example.it"))
    mailbox.deliver(pec_receipt("accettazione", msgid="<someone-else@pec.consorzio.example>"))
    read = collect_pec_receipts(db, archive, _imap(dovecot, mailbox), mailbox.password)

    assert (read.read, read.applied, read.unmatched, read.errors) == (3, 2, 1, [])
    communication = _communication(db, communication_id)
    assert communication.status is CommunicationStatus.DELIVERED and communication.delivered_at is not None
    assert _events(db, communication_id)[-2:] == ["receipt", "receipt"]
    with db.read_session() as session:
        receipts = session.scalars(select(Document).where(Document.communication_id == communication_id)).all()
        assert [d.kind for d in receipts] == [DocumentKind.PEC_RECEIPT] * 2
        assert all((archive / d.relative_path).read_bytes().startswith(b"Content-Type") for d in receipts)
    # the two applied were marked as read; the stranger's receipt stays unread for a person
    again = collect_pec_receipts(db, archive, _imap(dovecot, mailbox), mailbox.password)
    assert (again.read, again.applied, again.unmatched) == (1, 0, 1)
    # and with the position kept, nothing is read twice
    later = collect_pec_receipts(db, archive, _imap(dovecot, mailbox), mailbox.password, since_uid=again.last_uid,
                                 uid_validity=again.uid_validity)  # fmt: skip
    assert later.read == 0


def test_a_failure_receipt_fails_the_message_with_the_providers_reason(
    db: Database, tmp_path: Path, pec_smtp: RunningSmtp, certificate: SelfSignedCertificate, dovecot: DovecotServer
) -> None:
    archive = tmp_path / "archivio"
    (communication_id,) = _queued_pec(db, archive)
    dispatch(db, {Channel.PEC: _pec_sender(pec_smtp, certificate, archive)}, now=MORNING)
    message_id = _communication(db, communication_id).provider_id
    assert message_id is not None
    mailbox = dovecot.new_mailbox()
    mailbox.deliver(pec_receipt("errore-consegna", msgid=message_id, error="no-dest",
                                detail="5.1.1 - indirizzo non valido"))  # fmt: skip
    collect_pec_receipts(db, archive, _imap(dovecot, mailbox), mailbox.password)
    communication = _communication(db, communication_id)
    assert communication.status is CommunicationStatus.FAILED
    assert communication.error is not None and "5.1.1 - indirizzo non valido" in communication.error
    # a clerk can retry it by hand
    assert outbox.retry(db, [communication_id], user_login=None) == 1


def test_a_receipt_settles_a_message_whose_send_was_interrupted(
    db: Database, tmp_path: Path, pec_smtp: RunningSmtp, certificate: SelfSignedCertificate, dovecot: DovecotServer
) -> None:
    archive = tmp_path / "archivio"
    (communication_id,) = _queued_pec(db, archive)

    class DiesAfterSending:
        """Sends, then the process 'dies' before the send is recorded."""

        provider = "smtp"

        def __init__(self) -> None:
            self.inner = _pec_sender(pec_smtp, certificate, archive)

        def deliver(self, message: object) -> str:
            self.inner.deliver(message)  # type: ignore[arg-type]
            raise SystemExit("killed")

    with pytest.raises(SystemExit):
        dispatch(db, {Channel.PEC: DiesAfterSending()}, now=MORNING)
    assert _communication(db, communication_id).status is CommunicationStatus.SENDING
    assert expire_leases(db, MORNING + timedelta(hours=1)) == 1
    assert _communication(db, communication_id).status is CommunicationStatus.UNKNOWN

    sent = BytesParser(policy=policy.default).parsebytes(pec_smtp.handler.received[0].content)
    mailbox = dovecot.new_mailbox()
    mailbox.deliver(pec_receipt("accettazione", msgid=str(sent["Message-ID"])))
    read = collect_pec_receipts(db, archive, _imap(dovecot, mailbox), mailbox.password)
    assert read.applied == 1
    communication = _communication(db, communication_id)
    assert communication.status is CommunicationStatus.SENT and communication.lease_until is None
    assert "unknown" in _events(db, communication_id)


def _queued_whatsapp(db: Database, archive: Path | None = None, template: str | None = None) -> int:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Co.Sm.An")
        payer = make.subject("Rossi", mobile="+393331234567", whatsapp_consent=True,
                             whatsapp_consent_date=date(2026, 1, 1))  # fmt: skip
        credit = make.credit(payer, "100.00", status=CreditStatus.AWAITING_PAYMENT, due=DUE, reference="POL-1")
        if archive is not None:
            (archive / "avvisi").mkdir(parents=True, exist_ok=True)
            (archive / "avvisi" / "a.pdf").write_bytes(PDF)
            notice = _notice(make, credit, "301000000000000017")
            uow.session.add(Document(creditor_id=make.creditor.id, kind=DocumentKind.NOTICE_PDF, notice_id=notice.id,
                                     relative_path="avvisi/a.pdf", sha256="0" * 64, size=len(PDF)))  # fmt: skip
        if template is not None:  # a policy set up for Twilio names its templates by ContentSid
            for level in ensure_default_policy(uow.session, make.creditor.id).levels:
                level.provider_template = template if level.provider_template else None
        creditor_id = make.creditor.id
        uow.commit()
    planned = plan(db, creditor_id, DUE + timedelta(days=21))  # Monday 25 January: the +20 level
    (message,) = planned.messages
    outbox.approve(db, [message.communication_id], user_login=None)
    return message.communication_id


def _document_ids(payload: object) -> list[str]:
    """The media ids of the documents anywhere in a Cloud API message payload."""
    if isinstance(payload, dict):
        found = [payload["document"]["id"]] if isinstance(payload.get("document"), dict) else []
        return found + [i for value in payload.values() for i in _document_ids(value)]
    if isinstance(payload, list):
        return [i for value in payload for i in _document_ids(value)]
    return []


def test_webhook_statuses_move_a_whatsapp_message_forward_never_back(db: Database, tmp_path: Path) -> None:
    archive = tmp_path / "archivio"
    communication_id = _queued_whatsapp(db, archive)
    templates = {("sollecito_pagamento", "it"): 4}
    with FakeWhatsApp(templates=templates) as fake:
        gateway = WhatsAppCloudGateway(phone_number_id=fake.phone_number_id, token=fake.token, base_url=fake.base_url)
        now = datetime(2027, 1, 25, 10, 0, tzinfo=ROME)
        assert dispatch(db, {Channel.WHATSAPP: WhatsAppSender(gateway, archive=archive)}, now=now).sent == 1
        (sent,) = fake.accepted
        # the PDF notice went up as media and rides in the template's header
        (media_id,) = _document_ids(sent.payload)
        assert fake.media[media_id][2] == PDF
        communication = _communication(db, communication_id)
        assert (communication.provider, communication.provider_id) == ("whatsapp_cloud", sent.message_id)
        body, signature = fake.cloud_status_webhook(
            [{"id": sent.message_id, "status": "read", "timestamp": "1800000000", "recipient_id": sent.to}]
        )
        updates = parse_status_webhook(body, signature, fake.app_secret)
    assert apply_status_updates(db, updates) == 1
    communication = _communication(db, communication_id)
    assert communication.status is CommunicationStatus.READ
    assert communication.read_at is not None and communication.delivered_at is not None
    late = StatusUpdate("whatsapp_cloud", sent.message_id, DeliveryStatus.DELIVERED, "delivered")
    assert apply_status_updates(db, [late]) == 0
    assert _communication(db, communication_id).status is CommunicationStatus.READ
    assert _events(db, communication_id)[-1] == "read"


def test_twilio_statuses_are_polled_for_messages_it_took(db: Database) -> None:
    sid_template = "HX0123456789abcdef0123456789abcdef"
    delivered = _queued_whatsapp(db, template=sid_template)
    with FakeWhatsApp(contents={sid_template: 4}) as fake:
        fake.progressions["393331234567"] = ["queued", "sent", "delivered", "read"]
        gateway = TwilioWhatsAppGateway(fake.account_sid, fake.auth_token, fake.twilio_from, base_url=fake.base_url)
        now = datetime(2027, 1, 25, 10, 0, tzinfo=ROME)
        assert dispatch(db, {Channel.WHATSAPP: WhatsAppSender(gateway, provider="twilio")}, now=now).sent == 1
        assert _communication(db, delivered).provider == "twilio"
        moved = [poll_twilio_statuses(db, gateway) for _ in range(5)]
        # queued and sent say nothing new; delivered, then read move it; a read message is no longer asked about
        assert moved == [(0, []), (0, []), (1, []), (1, []), (0, [])]
        assert _communication(db, delivered).status is CommunicationStatus.READ
        polls = [seen for seen in fake.seen if seen.method == "GET" and "/Messages/" in seen.path]
        assert len(polls) == 4


def test_a_failed_status_carries_the_providers_reason(db: Database) -> None:
    communication_id = _queued_whatsapp(db)
    wamid = "wamid.TEST"
    with UnitOfWork(db) as uow:
        communication = uow.session.get_one(Communication, communication_id)
        communication.status, communication.provider, communication.provider_id = (
            CommunicationStatus.SENT, "whatsapp_cloud", wamid)  # fmt: skip
        uow.commit()
    reason = StatusError("131026", "Il numero non usa WhatsApp", RefusalReason.NOT_ON_WHATSAPP)
    failed = StatusUpdate("whatsapp_cloud", wamid, DeliveryStatus.FAILED, "failed", error=reason)
    assert apply_status_updates(db, [failed]) == 1
    communication = _communication(db, communication_id)
    assert communication.status is CommunicationStatus.FAILED
    assert communication.error is not None and "Il numero non usa WhatsApp" in communication.error
