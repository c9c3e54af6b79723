"""Letters and registered letters: printed in one batch and archived one by one, whole or not at all; then the
registered letter's number and its return receipt, with the scan archived."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from sqlalchemy import select

from app.models import Channel, Communication, CommunicationStatus, CreditStatus, Document, DocumentKind
from app.services.database import Database
from app.services.dunning import outbox
from app.services.dunning.letters import (
    ReturnOutcome,
    letters_waiting,
    print_letters,
    record_registered_number,
    record_return_receipt,
)
from app.services.dunning.planner import plan
from app.services.errors import InvalidInput
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder

DUE = date(2026, 7, 6)
ADDRESS = {"street": "Via Garibaldi 12", "postal_code": "20121", "city": "Milano", "province": "MI"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _letters(db: Database, payers: int, days_late: int) -> tuple[int, list[int]]:
    """Payers with only a postal address, ``days_late`` past due, their messages planned and approved."""
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Co.Sm.An")
        make.creditor.street, make.creditor.postal_code, make.creditor.city = "Via Roma 1", "00184", "Roma"
        for number in range(payers):
            payer = make.subject(f"Esposito {number}", **ADDRESS)
            make.credit(payer, "310.00", status=CreditStatus.AWAITING_PAYMENT, due=DUE, reference=f"POL-{number}")
        creditor_id = make.creditor.id
        uow.commit()
    day = DUE + timedelta(days=days_late)
    planned = plan(db, creditor_id, day)
    ids = [m.communication_id for m in planned.messages]
    outbox.approve(db, ids, user_login=None)
    return creditor_id, ids


def _pdf_text(path: Path) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [document[index].get_textpage().get_text_range() for index in range(len(document))]
    finally:
        document.close()


def _status(db: Database, communication_id: int) -> Communication:
    with db.read_session() as session:
        communication = session.get_one(Communication, communication_id)
        session.expunge(communication)
        return communication


def test_queued_letters_print_in_one_batch_each_archived_with_its_communication(db: Database, tmp_path: Path) -> None:
    creditor_id, ids = _letters(db, payers=3, days_late=21)
    assert letters_waiting(db, creditor_id) == ids
    out = tmp_path / "lettere.pdf"
    batch = print_letters(db, tmp_path / "archivio", creditor_id, out, user_login=None, day=date(2026, 7, 27))
    assert (batch.letters, batch.registered) == (3, 0)
    pages = _pdf_text(out)
    assert len(pages) == 3
    assert "Esposito 0" in pages[0] and "Via Garibaldi 12" in pages[0] and "20121 Milano (MI)" in pages[0]
    assert "Roma, 27/07/2026" in pages[0] and "310,00" in pages[0] and "RACCOMANDATA" not in pages[0]
    with db.read_session() as session:
        letters = session.scalars(select(Document).where(Document.kind == DocumentKind.LETTER)).all()
        assert sorted(d.communication_id for d in letters) == ids
        assert all((tmp_path / "archivio" / d.relative_path).read_bytes().startswith(b"%PDF") for d in letters)
    assert {_status(db, i).status for i in ids} == {CommunicationStatus.SENT}
    assert letters_waiting(db, creditor_id) == []
    with pytest.raises(InvalidInput, match="Nessuna lettera"):
        print_letters(db, tmp_path / "archivio", creditor_id, out, user_login=None)


def test_a_cancelled_print_leaves_nothing_behind(db: Database, tmp_path: Path) -> None:
    creditor_id, ids = _letters(db, payers=3, days_late=21)
    out, archive = tmp_path / "lettere.pdf", tmp_path / "archivio"

    def cancel_at_the_third(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        print_letters(db, archive, creditor_id, out, user_login=None, progress=cancel_at_the_third)
    assert not out.exists() and not any(path.is_file() for path in archive.rglob("*"))
    assert {_status(db, i).status for i in ids} == {CommunicationStatus.QUEUED}


def test_a_registered_letter_gets_its_number_then_its_return_receipt(db: Database, tmp_path: Path) -> None:
    creditor_id, (communication_id,) = _letters(db, payers=1, days_late=61)
    assert _status(db, communication_id).channel is Channel.REGISTERED_LETTER
    archive = tmp_path / "archivio"
    scan = tmp_path / "ricevuta.png"
    scan.write_bytes(PNG)
    with pytest.raises(InvalidInput, match="non è ancora stata stampata"):
        record_registered_number(db, communication_id, "200012345678", user_login=None)
    batch = print_letters(db, archive, creditor_id, tmp_path / "raccomandate.pdf", user_login=None)
    assert batch.registered == 1 and "RACCOMANDATA A/R" in _pdf_text(batch.path)[0]

    with pytest.raises(InvalidInput, match="Prima registrare il numero"):
        record_return_receipt(db, archive, communication_id, receipt_date=date(2026, 9, 10), scan=scan)
    for wrong in ("12345", "RR123456784IT", "raccomandata"):
        with pytest.raises(InvalidInput, match="non è un numero di raccomandata"):
            record_registered_number(db, communication_id, wrong, user_login=None)
    assert record_registered_number(db, communication_id, "rr 123 456 785 it", user_login=None) == "RR123456785IT"

    not_a_pdf = tmp_path / "ricevuta.pdf"
    not_a_pdf.write_text("testo")
    with pytest.raises(InvalidInput, match="non è un PDF valido"):
        record_return_receipt(db, archive, communication_id, receipt_date=date(2026, 9, 10), scan=not_a_pdf)
    document_id = record_return_receipt(db, archive, communication_id, receipt_date=date(2026, 9, 10), scan=scan,
                                        outcome=ReturnOutcome.DELIVERED)  # fmt: skip
    communication = _status(db, communication_id)
    assert communication.status is CommunicationStatus.DELIVERED
    assert (communication.registered_number, communication.returned_on) == ("RR123456785IT", date(2026, 9, 10))
    with db.read_session() as session:
        receipt = session.get_one(Document, document_id)
        assert receipt.kind is DocumentKind.RETURN_RECEIPT and receipt.communication_id == communication_id
        assert (archive / receipt.relative_path).read_bytes() == PNG


def test_a_letter_sent_back_fails_with_the_reason(db: Database, tmp_path: Path) -> None:
    creditor_id, (communication_id,) = _letters(db, payers=1, days_late=61)
    archive = tmp_path / "archivio"
    print_letters(db, archive, creditor_id, tmp_path / "raccomandate.pdf", user_login=None)
    record_registered_number(db, communication_id, "200012345678", user_login=None)
    scan = tmp_path / "busta.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    record_return_receipt(db, archive, communication_id, receipt_date=date(2026, 9, 20), scan=scan,
                          outcome=ReturnOutcome.RETURNED)  # fmt: skip
    communication = _status(db, communication_id)
    assert communication.status is CommunicationStatus.FAILED
    assert communication.error is not None and "restituita al mittente" in communication.error
