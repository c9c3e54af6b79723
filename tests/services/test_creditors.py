"""Creditors: IBAN and tax-code validation, add and set with audit, which creditor a command means."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app.bootstrap import AppContext
from app.models import AuditEvent, Creditor, NoticeKind
from app.services.creditors import (
    UNFILLED_CREDITOR_NAME,
    add_creditor,
    list_creditors,
    parse_italian_iban,
    resolve_creditor,
    update_creditor,
    validate_tax_code,
)
from app.services.database import Database
from app.services.demo.identity import italian_iban
from app.services.errors import InvalidInput, NotFound
from app.services.unit_of_work import UnitOfWork

IBAN = "IT60X0542811101000000123456"


def test_iban_gives_abi_cab_and_account_whatever_the_spacing() -> None:
    account = parse_italian_iban("it60 x054 2811 1010 0000 0123 456")
    assert (account.iban, account.abi, account.cab, account.account) == (
        IBAN,
        "05428",
        "11101",
        "000000123456",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("IT61X0542811101000000123456", "le cifre di controllo non corrispondono"),
        ("IT60X05428111010000001234", "IBAN non valido «IT60X05428111010000001234»"),
        ("DE89370400440532013000", "ABI, CAB e conto esistono solo per gli IBAN italiani"),
        ("", "IBAN non valido «»"),
    ],
)
def test_invalid_iban_is_refused_naming_field_and_value(value: str, expected: str) -> None:
    with pytest.raises(InvalidInput, match=expected) as error:
        parse_italian_iban(value)
    assert f"«{value}»" in str(error.value)


def test_iban_with_a_wrong_cin_is_refused_even_with_right_check_digits() -> None:
    # Rebuild the IBAN check digits around a wrong CIN: only the Italian CIN check can catch it.
    from stdnum import iban as stdnum_iban

    bban = "Y0542811101000000123456"
    forged = f"IT{stdnum_iban.calc_check_digits('ITXX' + bban)}{bban}"
    with pytest.raises(InvalidInput, match="il CIN Y non corrisponde"):
        parse_italian_iban(forged)


@given(
    abi=st.from_regex(r"\A[0-9]{5}\Z"),
    cab=st.from_regex(r"\A[0-9]{5}\Z"),
    account=st.from_regex(r"\A[0-9A-Z]{12}\Z"),
)
def test_generated_iban_round_trips(abi: str, cab: str, account: str) -> None:
    parsed = parse_italian_iban(italian_iban(abi, cab, account))
    assert (parsed.abi, parsed.cab, parsed.account) == (abi, cab, account)


@pytest.mark.parametrize("value", ["RCCMNL83S18D969H", "rccmnl83s18d969h", "00743110157"])
def test_valid_tax_codes_are_accepted_in_compact_form(value: str) -> None:
    assert validate_tax_code(value) == value.upper()


@pytest.mark.parametrize("value", ["RCCMNL83S18D969X", "00743110158", "12345", "RCCMNL83S18D969"])
def test_invalid_tax_code_message_names_field_and_value(value: str) -> None:
    with pytest.raises(InvalidInput, match=f"Codice fiscale non valido «{value}»"):
        validate_tax_code(value)


def test_set_fills_the_only_creditor_and_records_who_did_it(context: AppContext) -> None:
    info = update_creditor(
        context.db, None, name="Consorzio Tutela Ascensori", tax_code="00743110157", iban=IBAN, sia="a1b2c",
        pec="consorzio@pec.it", notice_kind="pagopa", user_login=context.user_login,
    )  # fmt: skip
    assert (info.name, info.abi, info.cab, info.account, info.sia_code) == (
        "Consorzio Tutela Ascensori", "05428", "11101", "000000123456", "A1B2C",
    )  # fmt: skip
    assert info.notice_kind is NoticeKind.PAGOPA
    assert not info.needs_completion
    with context.db.read_session() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "creditor.update")).one()
        assert event.entity_id == info.id and event.user_id is not None
        assert json.loads(event.details or "{}")["abi"] == [None, "05428"]


def test_invalid_value_changes_nothing(context: AppContext) -> None:
    with pytest.raises(InvalidInput, match="IBAN"):
        update_creditor(context.db, None, name="Nuovo nome", iban="IT00X0000000000000000000000")
    assert [c.name for c in list_creditors(context.db)] == [UNFILLED_CREDITOR_NAME]


def test_empty_string_clears_a_field_and_the_bank_coordinates(context: AppContext) -> None:
    update_creditor(context.db, None, iban=IBAN, pec="a@pec.it")
    info = update_creditor(context.db, None, iban="", pec="")
    assert (info.iban, info.abi, info.cab, info.account, info.pec) == (None, None, None, None, None)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sia", "12", "Codice SIA non valido «12»"),
        ("pec", "non-una-pec", "Indirizzo PEC non valido «non-una-pec»"),
        ("notice_kind", "assegno", "Tipo di avviso non valido «assegno»"),
        ("name", "   ", "non può essere vuoto"),
    ],
)
def test_other_invalid_fields_are_refused(context: AppContext, field: str, value: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        update_creditor(context.db, None, **{field: value})


def test_set_without_changes_is_refused(context: AppContext) -> None:
    with pytest.raises(InvalidInput, match="Nessuna modifica"):
        update_creditor(context.db, None)


def test_add_refuses_a_duplicate_name_ignoring_case(context: AppContext) -> None:
    add_creditor(context.db, "Co.Sm.An Mantova", iban=IBAN, user_login=context.user_login)
    with pytest.raises(InvalidInput, match="Esiste già"):
        add_creditor(context.db, "co.sm.an  mantova")
    with pytest.raises(InvalidInput, match="Esiste già"):
        update_creditor(context.db, UNFILLED_CREDITOR_NAME, name="CO.SM.AN MANTOVA")
    names = [c.name for c in list_creditors(context.db)]
    assert names == ["Co.Sm.An Mantova", UNFILLED_CREDITOR_NAME]


def test_resolve_the_only_creditor_or_the_named_one(db: Database) -> None:
    with UnitOfWork(db) as uow:
        with pytest.raises(NotFound, match="Nessun ente creditore"):
            resolve_creditor(uow.session, None)
        uow.session.add(Creditor(name="Consorzio TREE"))
        uow.session.flush()
        assert resolve_creditor(uow.session, None).name == "Consorzio TREE"
        uow.session.add(Creditor(name="Co.Sm.An"))
        uow.session.flush()
        with pytest.raises(InvalidInput, match="più enti creditori: indicare --creditor NOME"):
            resolve_creditor(uow.session, None)
        assert resolve_creditor(uow.session, "Co.Sm.An").name == "Co.Sm.An"
        assert resolve_creditor(uow.session, "consorzio tree").name == "Consorzio TREE"
        with pytest.raises(NotFound, match=re.escape("«Altro» non trovato. Enti presenti: «Co.Sm.An», «Consorzio")):
            resolve_creditor(uow.session, "Altro")


def test_a_creditor_can_change_the_case_of_its_own_name(db: Database) -> None:
    add_creditor(db, "consorzio alfa")
    renamed = update_creditor(db, "consorzio alfa", name="Consorzio Alfa")
    assert renamed.name == "Consorzio Alfa"
