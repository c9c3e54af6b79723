"""Forming rolls: which credits, one notice per holder, addressed to the payer, and the draft's edits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.models import Credit, CreditStatus, NoticeKind, PaymentNotice, Roll, RollStatus, SubjectKind
from app.services.database import Database
from app.services.errors import InvalidInput
from app.services.notices.codes import check_notice_number, check_rf_reference
from app.services.rolls import (
    RollCriteria,
    change_roll_status,
    create_roll,
    delete_roll,
    list_rolls,
    remove_credits,
    roll_events,
    roll_notices,
)
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder

TODAY = date(2026, 11, 23)


def _world(db: Database, notice_kind: NoticeKind = NoticeKind.MAV) -> dict[str, int]:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session)
        make.creditor.notice_kind = notice_kind
        make.creditor.pagopa_segregation_code = "07"
        make.user("anna")
        rossi = make.subject("Rossi Mario")
        verdi = make.subject("Verdi & Figli <S.r.l.>", SubjectKind.COMPANY)
        condo = make.subject("Condominio Via Roma 12", SubjectKind.CONDOMINIUM)
        old_admin = make.subject("Studio Neri", SubjectKind.ADMINISTRATOR)
        new_admin = make.subject("Studio Bianchi", SubjectKind.ADMINISTRATOR)
        make.assign(condo, old_admin, date(2020, 1, 1), date(2026, 9, 30))
        make.assign(condo, new_admin, date(2026, 10, 1))
        make.credit(rossi, "100.00", status=CreditStatus.OVERDUE, due=date(2026, 3, 31))
        make.credit(rossi, "50.50", outstanding="20.50", status=CreditStatus.PARTIALLY_PAID, due=date(2026, 2, 28))
        make.credit(verdi, "300.00", status=CreditStatus.ISSUED, due=date(2026, 12, 31))
        make.credit(condo, "80.00", payer=old_admin, status=CreditStatus.OVERDUE, due=date(2026, 5, 31))
        make.credit(condo, "70.00", payer=old_admin, status=CreditStatus.OVERDUE, due=date(2026, 4, 30))
        make.credit(rossi, "10.00", outstanding="0.00", status=CreditStatus.PAID)
        ids = {"creditor": make.creditor.id, "condo": condo.id, "new_admin": new_admin.id, "rossi": rossi.id}
        uow.commit()
    return ids


def test_a_roll_groups_the_unpaid_credits_one_notice_per_holder_addressed_to_the_payer(db: Database) -> None:
    ids = _world(db)
    # WHEN a roll is formed from every unpaid credit
    formed = create_roll(db, ids["creditor"], RollCriteria(name="Ruolo 2026"), user_login="anna", today=TODAY)
    # THEN three holders get one notice each, for what they still owe
    assert (formed.notices, formed.credits, formed.amount) == (3, 5, Decimal("570.50"))
    notices = {n.holder_name: n for n in roll_notices(db, formed.roll_id)}
    assert notices["Rossi Mario"].amount == Decimal("120.50")
    assert notices["Rossi Mario"].due_date == date(2026, 2, 28)  # the earliest of its credits
    # AND the condominium's notice goes to the administrator in office on the roll date, not the old one
    assert notices["Condominio Via Roma 12"].payer_name == "Studio Bianchi"
    assert notices["Condominio Via Roma 12"].amount == Decimal("150.00")
    assert {n.kind for n in notices.values()} == {NoticeKind.MAV}
    assert all(n.code is None for n in notices.values())  # the bank assigns MAV codes
    # AND the roll is a draft whose creation is recorded with who did it
    (row,) = list_rolls(db, ids["creditor"])
    assert (row.status, row.notices, row.credits, row.outstanding) == (RollStatus.DRAFT, 3, 5, Decimal("570.50"))
    (event,) = roll_events(db, formed.roll_id)
    assert (event.to_status, event.user_name) == (RollStatus.DRAFT, "Anna")
    assert event.note == "stati: emesso, parzialmente pagato, scaduto"
    assert (row.amount, row.collected) == (Decimal("570.50"), Decimal("0.00"))  # what the notices ask, nothing in yet


def test_filters_and_credits_already_on_a_live_roll(db: Database) -> None:
    ids = _world(db)
    first = create_roll(
        db, ids["creditor"], RollCriteria(name="Scaduti", statuses=(CreditStatus.OVERDUE,), due_to=date(2026, 4, 30)),
        user_login="anna", today=TODAY,
    )  # fmt: skip
    assert (first.notices, first.credits, first.amount) == (2, 2, Decimal("170.00"))
    # A second roll never takes what the first holds
    second = create_roll(db, ids["creditor"], RollCriteria(name="Resto"), user_login="anna", today=TODAY)
    assert (second.credits, second.amount) == (3, Decimal("400.50"))
    with pytest.raises(InvalidInput, match="Nessun credito"):
        create_roll(db, ids["creditor"], RollCriteria(name="Vuoto"), user_login="anna", today=TODAY)
    with pytest.raises(InvalidInput, match="Esiste già"):
        create_roll(db, ids["creditor"], RollCriteria(name="Resto"), user_login="anna", today=TODAY)


@pytest.mark.parametrize("kind", [NoticeKind.PAGOPA, NoticeKind.TRANSFER])
def test_creditor_numbered_notices_get_valid_codes_at_once(db: Database, kind: NoticeKind) -> None:
    ids = _world(db, kind)
    formed = create_roll(db, ids["creditor"], RollCriteria(name="R"), user_login="anna", today=TODAY)
    codes = [n.code for n in roll_notices(db, formed.roll_id)]
    check = check_notice_number if kind is NoticeKind.PAGOPA else check_rf_reference
    assert len(set(codes)) == 3
    assert all(code is not None and check(code) is None for code in codes)
    # They never go to the bank: the draft goes straight to "notices issued"
    with pytest.raises(InvalidInput, match="non va in banca"):
        change_roll_status(db, formed.roll_id, RollStatus.SENT_TO_BANK, user_login="anna")
    change_roll_status(db, formed.roll_id, RollStatus.NOTICES_ISSUED, user_login="anna")


def test_states_move_only_forward_and_lock_the_credits(db: Database) -> None:
    ids = _world(db)
    formed = create_roll(db, ids["creditor"], RollCriteria(name="R"), user_login="anna", today=TODAY)
    with pytest.raises(InvalidInput, match="non può passare"):
        change_roll_status(db, formed.roll_id, RollStatus.CLOSED, user_login="anna")
    with pytest.raises(InvalidInput, match="va prima inviato in banca"):
        change_roll_status(db, formed.roll_id, RollStatus.NOTICES_ISSUED, user_login="anna")
    change_roll_status(db, formed.roll_id, RollStatus.SENT_TO_BANK, user_login="anna", note="flusso inviato")
    with pytest.raises(InvalidInput, match="3 avvisi senza codice MAV"):
        change_roll_status(db, formed.roll_id, RollStatus.NOTICES_ISSUED, user_login="anna")
    with UnitOfWork(db) as uow:  # the bank's codes, as import_notice_codes would set them
        for number, notice in enumerate(
            uow.session.scalars(select(PaymentNotice).where(PaymentNotice.roll_id == formed.roll_id))
        ):
            notice.code = f"MAV{number:09d}"
        uow.commit()
    with pytest.raises(InvalidInput, match="bloccati"):
        remove_credits(db, formed.roll_id, [1], user_login="anna")
    with pytest.raises(InvalidInput, match="bloccati"):
        delete_roll(db, formed.roll_id, user_login="anna")
    for status in (RollStatus.NOTICES_ISSUED, RollStatus.IN_COLLECTION, RollStatus.CLOSED):
        change_roll_status(db, formed.roll_id, status, user_login="anna")
    events = roll_events(db, formed.roll_id)
    assert [e.to_status for e in events] == [RollStatus.DRAFT, RollStatus.SENT_TO_BANK, RollStatus.NOTICES_ISSUED,
                                            RollStatus.IN_COLLECTION, RollStatus.CLOSED]  # fmt: skip
    assert events[1].note == "flusso inviato" and events[1].from_status is RollStatus.DRAFT
    with db.read_session() as session:
        roll = session.get(Roll, formed.roll_id)
        assert roll is not None and roll.sent_at is not None and roll.closed_at is not None


def test_a_draft_can_lose_credits_and_be_deleted(db: Database) -> None:
    ids = _world(db)
    formed = create_roll(db, ids["creditor"], RollCriteria(name="R"), user_login="anna", today=TODAY)
    with db.read_session() as session:
        condo_credits = list(session.scalars(select(Credit.id).where(Credit.holder_id == ids["condo"])))
        rossi_credit = session.scalar(
            select(Credit.id).where(Credit.holder_id == ids["rossi"], Credit.outstanding == Decimal("100.00"))
        )
    assert rossi_credit is not None
    # Removing all of a holder's credits removes its notice; removing one shrinks the notice
    assert remove_credits(db, formed.roll_id, [*condo_credits, rossi_credit], user_login="anna") == 3
    notices = {n.holder_name: n.amount for n in roll_notices(db, formed.roll_id)}
    assert notices == {"Rossi Mario": Decimal("20.50"), "Verdi & Figli <S.r.l.>": Decimal("300.00")}
    delete_roll(db, formed.roll_id, user_login="anna")
    assert list_rolls(db, ids["creditor"]) == []
    with db.read_session() as session:
        assert session.scalar(select(PaymentNotice.id)) is None
        assert session.scalar(select(Credit.id).where(Credit.roll_id.is_not(None))) is None
    # The credits are free again for a new roll
    again = create_roll(db, ids["creditor"], RollCriteria(name="R"), user_login="anna", today=TODAY)
    assert again.credits == 5
