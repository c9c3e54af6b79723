"""``creditdesk creditor notices``: what a creditor's notices print and pay with, validated before it is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
import segno
from sqlalchemy import select

from app.models import Creditor, CreditStatus, NoticeKind
from app.services.database import Database
from app.services.notices.codes import check_notice_number
from app.services.rolls import RollCriteria, create_roll, roll_notices
from app.services.unit_of_work import UnitOfWork
from tests.cli.test_main import run, url_of
from tests.support.builders import Builder


def _creditor(db: Database, kind: NoticeKind) -> int:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Comune di Prova")
        make.creditor.notice_kind = kind
        make.credit(make.subject("Rossi Mario"), "25.00", status=CreditStatus.OVERDUE)
        creditor_id = make.creditor.id
        uow.commit()
    return creditor_id


def test_the_settings_are_kept_and_a_pagopa_roll_can_then_be_formed(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    creditor_id = _creditor(db, NoticeKind.PAGOPA)
    with pytest.raises(Exception, match="codice di segregazione"):
        create_roll(db, creditor_id, RollCriteria(name="Tributi 2026"), user_login=None)
    logo = tmp_path / "logo.png"
    segno.make("Comune di Prova").save(str(logo), kind="png")  # any real PNG will do
    text = tmp_path / "istruzioni.txt"
    text.write_text("Paga {importo} entro il {scadenza} con il codice avviso {codice}.", encoding="utf-8")
    code, out, err = run(capsys, "--db", url_of(db), "creditor", "notices", "--segregation-code", "07", "--cbill",
                         "ab12c", "--bic", "BPMOIT22XXX", "--logo", str(logo), "--instructions", str(text))  # fmt: skip
    assert code == 0, err
    assert "notice_instructions" in out and "pagopa_segregation_code" in out
    with db.read_session() as session:
        creditor = session.get_one(Creditor, creditor_id)
        assert (creditor.pagopa_segregation_code, creditor.cbill_code, creditor.bic) == ("07", "AB12C", "BPMOIT22XXX")
        assert creditor.logo_path == str(logo.resolve())
    roll = create_roll(db, creditor_id, RollCriteria(name="Tributi 2026"), user_login=None)
    (notice,) = roll_notices(db, roll.roll_id)
    assert notice.code is not None and notice.code.startswith("307") and check_notice_number(notice.code) is None


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--segregation-code", "97", "Codice di segregazione"),
        ("--cbill", "AB-1", "CBILL"),
        ("--bic", "NOTABIC!", "BIC"),
        ("--logo", "/nonexistent/logo.png", "Logo"),
    ],
)
def test_a_wrong_value_is_refused_naming_the_field(
    db: Database, capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    _creditor(db, NoticeKind.TRANSFER)
    code, _out, err = run(capsys, "--db", url_of(db), "creditor", "notices", option, value)
    assert code == 1 and message in err
    with db.read_session() as session:
        assert session.scalar(select(Creditor.cbill_code)) is None


def test_instructions_with_an_unknown_placeholder_are_refused(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _creditor(db, NoticeKind.MAV)
    text = tmp_path / "istruzioni.txt"
    text.write_text("Paga {importo} con {iban_sbagliato}.", encoding="utf-8")
    code, _out, err = run(capsys, "--db", url_of(db), "creditor", "notices", "--instructions", str(text))
    assert code == 1 and "iban_sbagliato" in err
