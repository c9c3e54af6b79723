"""``creditdesk letters``: the queued letters printed, a registered letter's number and return receipt recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import Communication, CommunicationStatus, CreditStatus
from app.services.database import Database
from app.services.unit_of_work import UnitOfWork
from tests.cli.test_main import run, url_of
from tests.support.builders import Builder


def test_registered_letters_from_planning_to_return_receipt(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session)
        payer = make.subject("Russo Anna", street="Via Po 3", postal_code="10123", city="Torino", province="TO")
        make.credit(payer, "95.00", status=CreditStatus.OVERDUE, due=date(2026, 7, 6))
        uow.commit()
    code, out, err = run(capsys, "--db", url_of(db), "dunning", "run", "--at", "07/09/2026", "--approve-all")
    assert code == 0, err
    out_pdf = tmp_path / "raccomandate.pdf"
    code, out, err = run(capsys, "--db", url_of(db), "letters", "print", "--out", str(out_pdf))
    assert code == 0, err
    assert "Stampate 1 lettere (1 raccomandate A/R)" in out and out_pdf.read_bytes().startswith(b"%PDF")
    with db.read_session() as session:
        (communication_id,) = session.scalars(select(Communication.id))

    code, _, err = run(capsys, "--db", url_of(db), "letters", "number", str(communication_id), "12345")
    assert code == 1 and "non è un numero di raccomandata" in err
    code, out, err = run(capsys, "--db", url_of(db), "letters", "number", str(communication_id), "200012345678")
    assert code == 0, err
    scan = tmp_path / "ricevuta.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    code, out, err = run(capsys, "--db", url_of(db), "letters", "receipt", str(communication_id), "--date",
                         "15/09/2026", "--scan", str(scan))  # fmt: skip
    assert code == 0, err
    with db.read_session() as session:
        communication = session.get_one(Communication, communication_id)
        assert communication.status is CommunicationStatus.DELIVERED
        assert (communication.registered_number, communication.returned_on) == ("200012345678", date(2026, 9, 15))
