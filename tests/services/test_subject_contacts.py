"""A clerk completes a subject's address and contacts, and records the WhatsApp consent: checked, all or nothing."""

from __future__ import annotations

from datetime import date

import pytest

from app.models import Subject
from app.services.database import Database
from app.services.debtors import set_whatsapp_consent, update_contacts
from app.services.errors import InvalidInput
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder


def _subject(db: Database, **fields: object) -> int:
    with UnitOfWork(db) as uow:
        subject = Builder(uow.session).subject("Studio Gialli", **fields)
        uow.commit()
        return subject.id


def _stored(db: Database, subject_id: int) -> Subject:
    with db.read_session() as session:
        subject = session.get_one(Subject, subject_id)
        session.expunge(subject)
        return subject


def test_an_address_and_contacts_are_completed_and_normalised(db: Database) -> None:
    subject_id = _subject(db)
    update_contacts(db, subject_id, {"street": " Viale  Trastevere 60 ", "postal_code": "00153", "city": "Roma",
                                     "province": "rm", "mobile": "339 555 0001", "pec": "gialli@pec.it"})  # fmt: skip
    stored = _stored(db, subject_id)
    assert (stored.street, stored.province, stored.mobile, stored.pec) == (
        "Viale Trastevere 60", "RM", "+393395550001", "gialli@pec.it")  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"postal_code": "0015"}, "CAP «0015» non valido"),
        ({"province": "Roma"}, "Provincia «ROMA» non valida"),
        ({"pec": "gialli-at-pec.it"}, "Indirizzo PEC «gialli-at-pec.it» non valido"),
        ({"mobile": "06 1234567"}, "cellulare"),
        ({"name": "Altro"}, "Campi non modificabili qui: name"),
    ],
)
def test_a_wrong_value_refuses_the_whole_change(db: Database, changes: dict[str, str], message: str) -> None:
    subject_id = _subject(db, city="Milano")
    with pytest.raises(InvalidInput, match=message):
        update_contacts(db, subject_id, {"city": "Roma", **changes})
    assert _stored(db, subject_id).city == "Milano"


def test_whatsapp_consent_needs_a_mobile_and_goes_when_the_number_does(db: Database) -> None:
    subject_id = _subject(db)
    with pytest.raises(InvalidInput, match="manca il numero di cellulare"):
        set_whatsapp_consent(db, subject_id, True, on=date(2027, 2, 1))
    update_contacts(db, subject_id, {"mobile": "3395550001"})
    set_whatsapp_consent(db, subject_id, True, on=date(2027, 2, 1))
    stored = _stored(db, subject_id)
    assert (stored.whatsapp_consent, stored.whatsapp_consent_date) == (True, date(2027, 2, 1))
    update_contacts(db, subject_id, {"mobile": ""})
    assert _stored(db, subject_id).whatsapp_consent is False
