"""A season in a Co.Sm.An clerk's life, through the real services, a real SMTP server, a real IMAP mailbox and an
HTTP fake of WhatsApp's Cloud API: the ERP schedule is imported, a roll goes to the bank and comes back with
its MAV codes, the notices are archived, and the reminders go out at −10, +20, +40 and +60 days — while the
payments booked meanwhile stop them for whoever paid."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.models import (
    Channel,
    Communication,
    CommunicationItem,
    CommunicationStatus,
    Document,
    DocumentKind,
    Subject,
)
from app.models.types import ROME
from app.services.database import Database
from app.services.debtors import set_whatsapp_consent, update_contacts
from app.services.dunning.cycle import run_cycle
from app.services.dunning.dispatch import Sender
from app.services.dunning.senders import MailSender, WhatsAppSender
from app.services.gateways.pec_mailbox import ImapServer
from app.services.gateways.smtp_mail import MailSecurity, SmtpServer
from app.services.gateways.whatsapp_cloud import WhatsAppCloudGateway
from app.services.imports.schedule import import_schedule
from app.services.imports.types import ImportOutcome, ImportRequest
from app.services.notices.issuing import archive_notice_pdfs
from app.services.payments.importing import import_payments
from app.services.rolls import RollCriteria, create_roll, roll_notices
from app.services.rolls.bank_export import export_roll
from app.services.rolls.codes_import import import_notice_codes
from app.services.unit_of_work import UnitOfWork
from app.settings import Settings
from tests.support.builders import Builder
from tests.support.cbi_files import bank_answer
from tests.support.fake_whatsapp import FakeWhatsApp
from tests.support.mail_servers import (
    DovecotServer,
    RunningSmtp,
    SelfSignedCertificate,
    dovecot_server,
    make_certificate,
    pec_receipt,
    smtp_server,
)
from tests.support.payment_files import Collection, collections_csv

DUE = date(2027, 3, 31)  # the MAV's due date, a Wednesday
MAIL_USER, MAIL_PASSWORD = "solleciti@consorzio.example", "segreta"
HEADER = ["Ragione sociale", "Cod. Fiscale", "Indirizzo", "CAP", "Comune", "Prov.", "N. Fattura", "Data fattura",
          "Scadenza", "Importo", "Pagato", "Residuo", "Amministratore", "C.F. Amministratore", "PEC", "E-mail",
          "Cellulare"]  # fmt: skip
ROWS = [
    ["Rossi Mario", "RSSMRA80A01H501U", "Via Po 1", "10123", "Torino", "TO", "FT-1", date(2027, 1, 15), DUE,
     120.0, 0, 120.0, None, None, None, None, "333 1234567"],
    ["Bianchi Luca", "BNCLCU75B02F205Z", "Via Dante 4", "20121", "Milano", "MI", "FT-2", date(2027, 1, 15), DUE,
     "1.250,00", 0, "1.250,00", None, None, "luca.bianchi@pec.example.it", None, "+39 347 7654321"],
    ["Condominio Aurora", "97012345678", "Via Verdi 1", "00184", "Roma", "RM", "FT-3", date(2027, 1, 15), DUE,
     300.0, 0, 300.0, "Studio Gialli", "GLLGNN60C03H501X", None, None, "339 5550001"],
    ["Condominio Borealis", "97012345679", "Via Verdi 3", "00184", "Roma", "RM", "FT-4", date(2027, 1, 15), DUE,
     450.0, 0, 450.0, "Studio Gialli", "GLLGNN60C03H501X", None, None, "339 5550001"],
    ["Verdi Anna", "VRDNNA82D44L219K", "Piazza Duomo 2", "20122", "Milano", "MI", "FT-5", date(2027, 1, 15), DUE,
     80.0, 0, 80.0, None, None, None, "anna.verdi@example.it", None],
]  # fmt: skip


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> SelfSignedCertificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def dovecot(certificate: SelfSignedCertificate) -> Iterator[DovecotServer]:
    with dovecot_server(certificate) as server:
        yield server


@pytest.fixture
def mail_servers(certificate: SelfSignedCertificate) -> Iterator[tuple[RunningSmtp, RunningSmtp]]:
    users = {MAIL_USER: MAIL_PASSWORD}
    with (
        smtp_server(certificate, implicit_tls=False, users=users) as email,
        smtp_server(certificate, implicit_tls=True, users=users) as pec,
    ):
        yield email, pec


def _erp_export(path: Path) -> Path:
    """The ERP's export as a clerk gets it: a title, a blank row, the header, the rows, a totals row."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Scadenziario clienti al 01/02/2027"])
    sheet.append([])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    sheet.append(["Totale", None, None, None, None, None, None, None, None, 2200.0])
    book.save(path)
    return path


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=ROME)


def _messages(db: Database) -> list[tuple[str, Channel, int | None, CommunicationStatus, int]]:
    """(payer, channel, level, status, items) of every communication, in the order they were planned."""
    with db.read_session() as session:
        rows = session.execute(
            select(Subject.name, Communication.channel, Communication.level, Communication.status, Communication.id)
            .join(Subject, Subject.id == Communication.subject_id)
            .order_by(Communication.id)
        ).all()
        items = Counter(session.scalars(select(CommunicationItem.communication_id)))
    return [(name, channel, level, status, items[cid]) for name, channel, level, status, cid in rows]


def _pay(db: Database, creditor_id: int, folder: Path, day: date, *payments: tuple[str, str, str]) -> None:
    """The accounting office's list of what came in on ``day``: (invoice, amount, payer)."""
    collections = [Collection(ref, Decimal(amount), day, payer, f"MOV-{ref}", "Bonifico") for ref, amount, payer
                   in payments]  # fmt: skip
    path = collections_csv(folder / f"incassi-{day:%Y%m%d}.csv", collections)
    booked = import_payments(db, creditor_id, path, user_login="anna", archive_folder=folder / "archivio", today=day)
    assert booked.outcome is ImportOutcome.APPLIED and booked.booked.unmatched == 0


def test_a_season_of_reminders_stops_for_whoever_pays(
    db: Database, tmp_path: Path, mail_servers: tuple[RunningSmtp, RunningSmtp], certificate: SelfSignedCertificate,
    dovecot: DovecotServer,
) -> None:  # fmt: skip
    archive = tmp_path / "archivio"
    settings = Settings(archive_folder=str(archive))
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Co.Sm.An")
        creditor = make.creditor
        creditor.sia_code, creditor.iban = "A1B2C", "IT60X0542811101000000123456"
        creditor.abi, creditor.cab, creditor.account = "05428", "11101", "000000123456"
        creditor.street, creditor.postal_code, creditor.city = "Via Roma 1", "00184", "Roma"
        make.user("anna")
        creditor_id = creditor.id
        uow.commit()

    # 1 February: the ERP's schedule comes in, in a click
    imported = import_schedule(db, creditor_id, ImportRequest(_erp_export(tmp_path / "scadenziario.xlsx")),
                               user_login="anna", archive_folder=archive, today=date(2027, 2, 1))  # fmt: skip
    assert imported.outcome is ImportOutcome.APPLIED, imported.issues
    assert imported.counts.created == 5
    # the clerk records the WhatsApp consents collected on the policy forms
    with db.read_session() as session:
        people = {s.name: s.id for s in session.scalars(select(Subject))}
    for name in ("Rossi Mario", "Bianchi Luca", "Studio Gialli"):
        set_whatsapp_consent(db, people[name], True, on=date(2027, 2, 1), user_login="anna")
    # and completes the administrator's address, which the ERP does not export
    address = {"street": "Viale Trastevere 60", "postal_code": "00153", "city": "Roma", "province": "rm"}
    update_contacts(db, people["Studio Gialli"], address, user_login="anna")  # type: ignore[arg-type]

    # 2 February: the roll goes to the bank, the MAV codes come back, one PDF notice per holder is archived
    roll = create_roll(db, creditor_id, RollCriteria(name="Premi 2027", notice_due_date=DUE), user_login="anna",
                       today=date(2027, 2, 2))  # fmt: skip
    flow = tmp_path / "mav.txt"
    export_roll(db, roll.roll_id, flow, user_login="anna", archive_folder=archive)
    codes = {str(n.id): f"MAV{str(n.id).zfill(9)}" for n in roll_notices(db, roll.roll_id)}
    answer = tmp_path / "codici.txt"
    answer.write_bytes(bank_answer(flow.read_bytes(), codes))
    assert import_notice_codes(db, roll.roll_id, answer, user_login="anna", archive_folder=archive).applied == 5
    assert archive_notice_pdfs(db, roll.roll_id, archive).archived == 5

    email, pec = mail_servers
    mailbox = dovecot.new_mailbox()
    imap = ImapServer(dovecot.host, mailbox.username, port=dovecot.port, cafile=str(dovecot.cafile), timeout=5)
    templates = {("promemoria_scadenza", "it"): 4, ("sollecito_pagamento", "it"): 4}
    with FakeWhatsApp(templates=templates) as whatsapp:
        gateway = WhatsAppCloudGateway(phone_number_id=whatsapp.phone_number_id, token=whatsapp.token,
                                       base_url=whatsapp.base_url)  # fmt: skip

        def account(running: RunningSmtp, security: MailSecurity) -> SmtpServer:
            return SmtpServer(running.host, MAIL_USER, port=running.port, security=security,
                              cafile=str(certificate.cert), timeout=5)  # fmt: skip

        senders: dict[Channel, Sender] = {
            Channel.WHATSAPP: WhatsAppSender(gateway, archive=archive),
            Channel.EMAIL: MailSender(account(email, MailSecurity.STARTTLS), MAIL_PASSWORD, MAIL_USER, archive=archive),
            Channel.PEC: MailSender(account(pec, MailSecurity.SSL), MAIL_PASSWORD, MAIL_USER, archive=archive),
        }

        def season_day(day: date) -> int:
            run = run_cycle(db, settings, now=_at(day), day=day, creditor_ids=[creditor_id], approve_all=True,
                            senders=senders, mailbox=(imap, mailbox.password))  # fmt: skip
            assert run.errors == [] and run.failed == 0, run.summary()
            return run.dispatched.sent

        # −10 days (Sunday 21 March moves to Monday): everyone is reminded; the administrator once for both
        assert season_day(date(2027, 3, 22)) == 4
        assert sorted(m[:5] for m in _messages(db)) == [
            ("Bianchi Luca", Channel.WHATSAPP, 1, CommunicationStatus.SENT, 1),
            ("Rossi Mario", Channel.WHATSAPP, 1, CommunicationStatus.SENT, 1),
            ("Studio Gialli", Channel.WHATSAPP, 1, CommunicationStatus.SENT, 2),
            ("Verdi Anna", Channel.EMAIL, 1, CommunicationStatus.SENT, 1),
        ]
        rossi = next(a for a in whatsapp.accepted if a.to == "393331234567")
        assert rossi.payload["template"]["name"] == "promemoria_scadenza"
        rossi_code = next(n.code for n in roll_notices(db, roll.roll_id) if n.holder_name == "Rossi Mario")
        body = next(c for c in rossi.payload["template"]["components"] if c["type"] == "body")
        assert [p["text"] for p in body["parameters"]] == ["Rossi Mario", "120,00 €", "31/03/2027", rossi_code]
        assert "document" in str(rossi.payload)  # the MAV notice rides along
        verdi = BytesParser(policy=policy.default).parsebytes(email.handler.received[0].content)
        assert next(str(part.get_filename()) for part in verdi.iter_attachments()).startswith("avviso-")
        assert "80,00 €" in verdi.get_body(("plain",)).get_content()  # type: ignore[union-attr]

        # Rossi pays on 10 April; +20 days (20 April): the others get the first reminder
        _pay(db, creditor_id, tmp_path, date(2027, 4, 10), ("FT-1", "120.00", "Rossi Mario"))
        assert season_day(date(2027, 4, 20)) == 3
        # Verdi and one of Gialli's condominiums pay; +40 days (10 May): Bianchi, and Gialli for Borealis only
        _pay(db, creditor_id, tmp_path, date(2027, 5, 3), ("FT-5", "80.00", "Verdi Anna"),
             ("FT-3", "300.00", "Studio Gialli"))  # fmt: skip
        assert season_day(date(2027, 5, 10)) == 2
        gialli = [m for m in _messages(db) if m[0] == "Studio Gialli"]
        assert [(m[2], m[4]) for m in gialli] == [(1, 2), (2, 2), (3, 1)]
        # Gialli pays the rest; +60 days (Sunday 30 May moves to Monday): a PEC to Bianchi, with the notice
        _pay(db, creditor_id, tmp_path, date(2027, 5, 20), ("FT-4", "450.00", "Studio Gialli"))
        assert season_day(date(2027, 5, 31)) == 1
        sent_pec = BytesParser(policy=policy.default).parsebytes(pec.handler.received[0].content)
        assert sent_pec["To"] == "luca.bianchi@pec.example.it"
        assert next(str(part.get_filename()) for part in sent_pec.iter_attachments()).startswith("avviso-")
        # the provider's receipts arrive; the next run reads them and the PEC is delivered, receipts archived
        message_id = str(sent_pec["Message-ID"])
        mailbox.deliver(pec_receipt("accettazione", msgid=message_id))
        mailbox.deliver(pec_receipt("avvenuta-consegna", msgid=message_id, delivered_to="luca.bianchi@pec.example.it"))
        assert season_day(date(2027, 6, 1)) == 0

        # a week later nothing more is due for anyone: the last level was reached, the others paid
        assert season_day(date(2027, 6, 8)) == 0
        # each WhatsApp message the provider took is one of ours, taken once
        with db.read_session() as session:
            ours = session.scalars(select(Communication.provider_id).where(Communication.channel == Channel.WHATSAPP))
            assert sorted(a.message_id for a in whatsapp.accepted) == sorted(map(str, ours))
            assert len(whatsapp.accepted) == 7

    per_payer = Counter(m[0] for m in _messages(db))
    assert per_payer == {"Rossi Mario": 1, "Verdi Anna": 2, "Studio Gialli": 3, "Bianchi Luca": 4}
    last = _messages(db)[-1]
    assert last[:4] == ("Bianchi Luca", Channel.PEC, 4, CommunicationStatus.DELIVERED)
    with db.read_session() as session:
        receipts = session.scalars(select(Document.kind).where(Document.communication_id.is_not(None))).all()
        assert receipts == [DocumentKind.PEC_RECEIPT, DocumentKind.PEC_RECEIPT]
