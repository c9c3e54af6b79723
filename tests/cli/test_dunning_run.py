"""A day of reminders from the command line: gateways configured (secrets into the keyring from stdin), the
connection tested, the day's reminders planned, approved and sent on WhatsApp and by e-mail — once."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import keyring
import pytest

from app.models import CreditStatus
from app.services.database import Database
from app.services.unit_of_work import UnitOfWork
from app.settings import settings_path
from tests.cli.test_main import run, url_of
from tests.support.builders import Builder
from tests.support.fake_whatsapp import FakeWhatsApp
from tests.support.mail_servers import make_certificate, smtp_server

DUE = date(2027, 2, 26)


def test_gateways_then_a_day_of_reminders(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Co.Sm.An")
        rossi = make.subject("Rossi Mario", mobile="+393331234567", whatsapp_consent=True,
                             whatsapp_consent_date=date(2026, 1, 1))  # fmt: skip
        verdi = make.subject("Verdi Anna", email="anna@example.it")
        for payer in (rossi, verdi):
            make.credit(payer, "80.00", status=CreditStatus.AWAITING_PAYMENT, due=DUE)
        uow.commit()
    certificate = make_certificate(tmp_path / "tls")
    with FakeWhatsApp() as fake, smtp_server(certificate, implicit_tls=False, users={"cd": "segreta"}) as smtp:
        fake.templates[("promemoria_scadenza", "it")] = 4
        # GIVEN the gateways, with their secrets read from stdin
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{fake.token}\n"))
        code, _, err = run(capsys, "gateway", "whatsapp", "--provider", "cloud", "--phone-number-id",
                           fake.phone_number_id, "--base-url", fake.base_url, "--token-stdin")  # fmt: skip
        assert code == 0, err
        monkeypatch.setattr("sys.stdin", io.StringIO("segreta\n"))
        code, _, err = run(capsys, "gateway", "mail", "email", "--host", smtp.host, "--port", str(smtp.port),
                           "--security", "starttls", "--username", "cd", "--sender", "solleciti@cosman.it",
                           "--cafile", str(certificate.cert), "--password-stdin")  # fmt: skip
        assert code == 0, err
        assert fake.token not in settings_path().read_text() and "segreta" not in settings_path().read_text()
        assert keyring.get_password("CreditDesk", "gateway:whatsapp") == fake.token
        code, out, err = run(capsys, "gateway", "test", "whatsapp")
        assert code == 0, err
        # WHEN the day ten days before the due date runs, its reminders approved
        day = (DUE - timedelta(days=10)).isoformat()
        code, out, err = run(capsys, "--db", url_of(db), "dunning", "run", "--at", day, "--approve-all")
        assert code == 0, err
        # THEN Rossi gets his WhatsApp, Verdi her e-mail, each once
        assert "Pianificati 2 messaggi. Inviati 2" in out
        assert [a.to for a in fake.accepted] == ["393331234567"]
        (mail,) = smtp.handler.received
        assert mail.rcpt_tos == ("anna@example.it",) and b"80,00" in mail.content
        code, out, _ = run(capsys, "--db", url_of(db), "dunning", "run", "--at", day, "--approve-all")
        assert "Pianificati 0 messaggi. Inviati 0" in out
        assert len(fake.accepted) == 1 and len(smtp.handler.received) == 1
        # AND the headless worker, one tick (as from Windows Task Scheduler), finds nothing more to do today
        code, out, err = run(capsys, "--db", url_of(db), "worker", "--once")
        assert code == 0 and "Inviati 0" in out and "WhatsApp" in out and "e-mail" in out, err
