"""``creditdesk roll …`` and ``payments import`` on real databases, exit codes as for the schedule import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.models import CreditStatus, Document, DocumentKind, NoticeKind, PaymentNotice, SubjectKind
from app.services.database import Database
from app.services.unit_of_work import UnitOfWork
from tests.cli.test_main import run, url_of
from tests.support.builders import Builder
from tests.support.cbi_files import bank_answer


def _debtors(db: Database) -> None:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Co.Sm.An")
        make.creditor.sia_code, make.creditor.iban = "A1B2C", "IT60X0542811101000000123456"
        make.creditor.abi, make.creditor.cab, make.creditor.account = "05428", "11101", "000000123456"
        for name in ("Rossi Mario", "Verdi Anna"):
            debtor = make.subject(name, street="Via Roma 1", postal_code="00100", city="Roma", province="RM")
            make.credit(debtor, "100.00", status=CreditStatus.OVERDUE, reference=f"POL-{name[:5]}")
        make.credit(make.subject("Neri Luca"), "40.00", status=CreditStatus.PAID, outstanding="0.00")
        uow.commit()


def test_a_roll_from_creation_to_payments(db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _debtors(db)
    code, out, err = run(capsys, "--db", url_of(db), "roll", "create", "--name", "Premi 2026", "--status", "overdue")
    assert code == 0, err
    roll_id = out.strip()
    assert roll_id.isdigit() and "2 avvisi" in err
    flow = tmp_path / "mav.txt"
    code, out, err = run(capsys, "--db", url_of(db), "roll", "export", roll_id, "--out", str(flow))
    assert code == 0, err
    assert "2 disposizioni" in out and flow.read_bytes().startswith(b" IM")
    with db.read_session() as session:
        notice_ids = [str(n) for n in session.scalars(select(PaymentNotice.id).order_by(PaymentNotice.id))]
    codes = {notice_id: f"{notice_id:0>12}" for notice_id in notice_ids}
    answer = tmp_path / "codici.txt"
    answer.write_bytes(bank_answer(flow.read_bytes(), codes))
    code, out, err = run(capsys, "--db", url_of(db), "roll", "import-codes", roll_id, str(answer))
    assert (code, out.strip()) == (0, "Codici MAV applicati: 2."), err
    # A table with a notice of no roll is refused with the row named
    table = tmp_path / "altri.csv"
    table.write_text("N. disposizione;Codice MAV\n424242;X1\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", url_of(db), "roll", "import-codes", roll_id, str(table))
    assert code == 1 and "riga 2" in err and "424242" in err
    payments = tmp_path / "incassi.csv"
    payments.write_text("N. fattura;Importo incassato;Data incasso\nPOL-Rossi;100,00;15/12/2026\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", url_of(db), "payments", "import", str(payments))
    assert code == 0, err
    assert "Abbinati: 1" in out and "per numero fattura: 1" in out
    code, out, _ = run(capsys, "--db", url_of(db), "payments", "import", str(payments))
    assert code == 0 and "già stato importato" in out


def test_unreadable_and_wrong_payment_files(db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _debtors(db)
    garbage = tmp_path / "estratto.bin"
    garbage.write_bytes(b"\x00\x01\x02 not a table")
    code, _, err = run(capsys, "--db", url_of(db), "payments", "import", str(garbage))
    assert code == 2 and "Errore" in err
    wrong = tmp_path / "incassi.csv"
    wrong.write_text("N. fattura;Importo incassato;Data incasso\nPOL-Rossi;cento;15/12/2026\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", url_of(db), "payments", "import", str(wrong))
    assert code == 1 and "riga 2" in err and "Importo incassato" in err and "nessun incasso registrato" in err


def test_notices_pdf_prints_the_batch_and_archives_each_notice(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Consorzio TREE")
        make.creditor.notice_kind = NoticeKind.TRANSFER
        make.creditor.iban = "IT60X0542811101000000123456"
        condo = make.subject("Condominio Via Roma 12", SubjectKind.CONDOMINIUM)
        admin = make.subject("Rossi & Figli <S.r.l.>", SubjectKind.ADMINISTRATOR, street="Via Po 3",
                             postal_code="10123", city="Torino", province="TO")  # fmt: skip
        make.assign(condo, admin, date(2020, 1, 1))
        make.credit(condo, "1234.56", payer=admin, status=CreditStatus.OVERDUE, reference="FT-2026-001")
        other = make.subject("Bianchi Luca", street="Via Verdi 1", postal_code="00100", city="Roma")
        make.credit(other, "50.00", status=CreditStatus.OVERDUE, reference="FT-2026-002")
        uow.commit()
    code, out, err = run(capsys, "--db", url_of(db), "roll", "create", "--name", "Manutenzione 2026")
    roll_id = out.strip()
    batch = tmp_path / "avvisi.pdf"
    code, out, err = run(capsys, "--db", url_of(db), "notices", "pdf", roll_id, "--out", str(batch))
    assert code == 0, err
    assert "2 avvisi" in out and "Archiviati 2 avvisi PDF" in out
    text = "\n".join(page.extract_text() for page in PdfReader(batch).pages)
    assert "Manutenzione 2026" in text and "1.284,56" in text  # the cover's total
    assert "Rossi & Figli <S.r.l.>" in text and "Condominio Via Roma 12" in text and "FT-2026-001" in text
    assert "1.234,56" in text and "10123" in text
    with db.read_session() as session:
        documents = session.scalars(select(Document).where(Document.kind == DocumentKind.NOTICE_PDF)).all()
        assert len(documents) == 2 and all(d.notice_id and d.roll_id == int(roll_id) for d in documents)
        assert all("/MAV/" in d.relative_path for d in documents)
    code, out, _ = run(capsys, "--db", url_of(db), "notices", "pdf", roll_id, "--out", str(batch))
    assert code == 0 and "Archiviati 0 avvisi PDF (2 erano già in archivio)" in out
