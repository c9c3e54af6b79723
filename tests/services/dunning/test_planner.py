"""Planning reminders: the latest level only, never twice, one message per payer, channels by what is known."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from app.models import (
    Channel,
    CommunicationItem,
    CommunicationStatus,
    Credit,
    CreditStatus,
    DunningHold,
    DunningPolicy,
    NoticeKind,
    NoticeStatus,
    PaymentNotice,
    SubjectKind,
)
from app.services.database import Database
from app.services.dunning.planner import plan
from app.services.dunning.working_days import is_working_day, next_working_day
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder

DUE = date(2027, 2, 26)  # a Friday
WHATSAPP: dict[str, Any] = {
    "mobile": "+393331234567",
    "whatsapp_consent": True,
    "whatsapp_consent_date": date(2026, 1, 1),
}
ADDRESS: dict[str, Any] = {"street": "Via Roma 1", "postal_code": "00100", "city": "Roma"}


def _notice(make: Builder, holder: object, payer: object, amount: str, due: date = DUE) -> PaymentNotice:
    notice = PaymentNotice(creditor_id=make.creditor.id, holder_id=holder.id, payer_id=payer.id,  # type: ignore[attr-defined]
                           kind=NoticeKind.MAV, code=f"MAV{amount}", amount=Decimal(amount), due_date=due,
                           status=NoticeStatus.ISSUED)  # fmt: skip
    make.session.add(notice)
    make.session.flush()
    credit = make.credit(holder, amount, payer=payer, status=CreditStatus.AWAITING_PAYMENT, due=due)  # type: ignore[arg-type]
    credit.notice_id = notice.id
    return notice


def _world(db: Database) -> int:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Co.Sm.An")
        rossi = make.subject("Rossi Mario", **WHATSAPP, **ADDRESS)
        _notice(make, rossi, rossi, "100.00")
        verdi = make.subject("Verdi Anna", email="anna@example.it", **ADDRESS)  # no WhatsApp consent: e-mail
        _notice(make, verdi, verdi, "50.00")
        bianchi = make.subject("Studio Bianchi", SubjectKind.ADMINISTRATOR, **WHATSAPP)
        for number in range(3):
            condo = make.subject(f"Condominio {number}", SubjectKind.CONDOMINIUM)
            make.assign(condo, bianchi, date(2020, 1, 1))
            _notice(make, condo, bianchi, f"{10 + number}.00")
        neri = make.subject("Neri Luca")  # no way to reach him
        _notice(make, neri, neri, "70.00")
        held = make.subject("Gialli Sara", **WHATSAPP)
        _notice(make, held, held, "30.00")
        creditor_id = make.creditor.id
        held_credit = make.credit(held, "5.00", status=CreditStatus.OVERDUE, due=DUE)
        held_credit.dunning_hold = DunningHold.DISPUTE
        uow.commit()
    return creditor_id


def test_ten_days_before_the_due_date_each_payer_gets_one_reminder(db: Database) -> None:
    creditor_id = _world(db)
    result = plan(db, creditor_id, DUE - timedelta(days=10))
    by_payer = {m.payer_name: m for m in result.messages}
    assert set(by_payer) == {"Rossi Mario", "Verdi Anna", "Studio Bianchi", "Gialli Sara"}
    assert (by_payer["Rossi Mario"].channel, by_payer["Rossi Mario"].address) == (Channel.WHATSAPP, "+393331234567")
    assert by_payer["Verdi Anna"].channel is Channel.EMAIL
    # the administrator gets one message for his three condominiums, not three
    assert (by_payer["Studio Bianchi"].items, by_payer["Studio Bianchi"].amount) == (3, Decimal("33.00"))
    assert {m.level for m in result.messages} == {"Promemoria scadenza"}
    assert all(m.status is CommunicationStatus.DRAFT for m in result.messages)  # waiting for approval
    assert result.no_contact == 1  # Neri: no mobile with consent, no e-mail, no address
    # the disputed credit of Gialli gets nothing; her notice does
    assert by_payer["Gialli Sara"].items == 1


def test_planning_twice_plans_nothing_more_and_late_targets_get_only_the_latest_level(db: Database) -> None:
    creditor_id = _world(db)
    first = plan(db, creditor_id, DUE - timedelta(days=10))
    again = plan(db, creditor_id, DUE - timedelta(days=10))
    assert again.messages == [] and again.already_planned == first.items
    # 45 days after the due date (the scheduler was off): the second sollecito only, never the ones missed
    late = plan(db, creditor_id, DUE + timedelta(days=45))
    assert {m.level for m in late.messages} == {"Secondo sollecito"}
    with db.read_session() as session:
        keys = session.scalars(select(CommunicationItem.key)).all()
    assert len(keys) == len(set(keys)) == first.items + late.items
    assert plan(db, creditor_id, DUE + timedelta(days=50)).messages == []


def test_a_payment_stops_further_reminders(db: Database) -> None:
    creditor_id = _world(db)
    plan(db, creditor_id, DUE - timedelta(days=10))
    with UnitOfWork(db) as uow:
        for credit in uow.session.scalars(select(Credit)):
            credit.outstanding, credit.status = Decimal("0.00"), CreditStatus.PAID
        uow.commit()
    assert plan(db, creditor_id, DUE + timedelta(days=20)).messages == []


def test_an_automatic_policy_queues_without_approval(db: Database) -> None:
    creditor_id = _world(db)
    plan(db, creditor_id, DUE - timedelta(days=30))  # nothing due yet: creates the default policy
    with UnitOfWork(db) as uow:
        policy = uow.session.scalar(select(DunningPolicy))
        assert policy is not None
        policy.automatic = True
        uow.commit()
    result = plan(db, creditor_id, DUE - timedelta(days=10))
    assert result.messages and all(m.status is CommunicationStatus.QUEUED for m in result.messages)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2027, 3, 28), date(2027, 3, 30)),  # Easter Sunday, then Easter Monday: Tuesday
        (date(2026, 12, 25), date(2026, 12, 28)),  # Christmas, Santo Stefano, then Sunday
        (date(2027, 6, 2), date(2027, 6, 3)),  # Festa della Repubblica
        (date(2027, 3, 1), date(2027, 3, 1)),  # an ordinary Monday
    ],
)
def test_send_days_move_off_sundays_and_holidays(day: date, expected: date) -> None:
    assert next_working_day(day) == expected and is_working_day(expected)
