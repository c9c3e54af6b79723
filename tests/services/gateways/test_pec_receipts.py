"""Reading PEC receipts: the real acceptance sample, receipts built like it for every kind, damaged and hostile ones."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email import message_from_bytes
from email.message import Message
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services.gateways.pec_receipts import (
    PecReceipt,
    ReceiptError,
    ReceiptKind,
    ReceiptSource,
    ReceiptUnreadable,
    normalize_message_id,
    parse_daticert,
    parse_receipt,
)
from app.services.gateways.smtp_mail import OutgoingMail, build_message
from tests.support.mail_servers import daticert_xml, pec_receipt, receipt_eml
from tests.support.samples import sample

OUR_ID = "<179545924987.11915.5299752182036797365.creditdesk@pec.consorzio.example>"
SAMPLE_ID = "<SN05IE$951DEC16C1CFD3E4FD8FF1B1D24A99AE@fakepec.it>"


def test_the_real_acceptance_receipt() -> None:
    receipt = parse_receipt(sample("pec/ricevuta_accettazione.eml").read_bytes())

    assert receipt.kind is ReceiptKind.ACCEPTANCE and receipt.error is ReceiptError.NONE
    assert receipt.original_message_id == SAMPLE_ID
    assert receipt.provider_id == "opec210312.20241115182038.288127.606.1.53@fakepec.it"
    assert receipt.issued_at == datetime(2024, 11, 15, 18, 20, 38, tzinfo=timezone(timedelta(hours=1)))
    assert (receipt.sender, receipt.addressees, receipt.subject) == (
        "sender@fakepec.it",
        ("rec@fakepec.it",),
        "Test PEC",
    )
    assert receipt.provider == "FAKEPEC PEC S.p.A."
    assert receipt.source is ReceiptSource.DATICERT and receipt.recipients == ()
    assert not receipt.is_failure


def test_the_real_daticert_alone_says_the_same() -> None:
    from_xml = parse_daticert(sample("pec/daticert_accettazione.xml").read_bytes())
    from_eml = parse_receipt(sample("pec/ricevuta_accettazione.eml").read_bytes())

    assert from_xml == from_eml


def test_a_receipt_names_the_message_id_we_generated() -> None:
    # GIVEN a message built for sending, and a provider that escapes its id in msgid as &lt;…&gt;
    sent_id = build_message(OutgoingMail("solleciti@pec.consorzio.example", ("a@pec.example.it",), "S", "t"))[
        "Message-ID"
    ]

    receipt = parse_receipt(pec_receipt("accettazione", msgid=sent_id))

    assert receipt.original_message_id == sent_id
    assert b"&lt;" in daticert_xml("accettazione", msgid=sent_id)


def test_a_delivery_receipt_names_its_one_recipient() -> None:
    raw = pec_receipt("avvenuta-consegna", msgid=OUR_ID, delivered_to="mario.rossi@pec.example.it", zone="+0100")

    receipt = parse_receipt(raw)

    assert receipt.kind is ReceiptKind.DELIVERY and receipt.error is ReceiptError.NONE
    assert receipt.recipients == ("mario.rossi@pec.example.it",)
    assert receipt.original_message_id == OUR_ID
    assert receipt.issued_at == datetime(2024, 6, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))


def test_a_delivery_failure_carries_its_error_and_extended_text() -> None:
    detail = "5.1.1 - Aruba Pec S.p.A. - indirizzo non valido"
    raw = pec_receipt("errore-consegna", msgid=OUR_ID, error="no-dest", delivered_to="x@pec.example.it", detail=detail)

    receipt = parse_receipt(raw)

    assert (receipt.kind, receipt.error) == (ReceiptKind.DELIVERY_FAILURE, ReceiptError.NO_RECIPIENT)
    assert receipt.error_detail == detail and receipt.recipients == ("x@pec.example.it",)
    assert receipt.is_failure and not receipt.is_541_warning


def test_a_non_acceptance() -> None:
    receipt = parse_receipt(pec_receipt("non-accettazione", msgid=OUR_ID, error="altro", detail="Virus nel messaggio"))

    assert (receipt.kind, receipt.error) == (ReceiptKind.NON_ACCEPTANCE, ReceiptError.OTHER)
    assert receipt.is_failure and receipt.original_message_id == OUR_ID


@pytest.mark.parametrize(
    ("kind", "detail", "flag"),
    [
        ("preavviso-errore-consegna", "5.4.1 - Aruba Pec S.p.A. - nessuna risposta dal server", True),
        ("preavviso-errore-consegna", "4.4.7 - tempo massimo di consegna superato", False),
        ("errore-consegna", "5.4.1 - Aruba Pec S.p.A. - nessuna risposta dal server", False),
    ],
)
def test_the_541_warning_is_flagged_not_decided(kind: str, detail: str, flag: bool) -> None:
    receipt = parse_receipt(pec_receipt(kind, msgid=OUR_ID, error="altro", delivered_to="x@pec.it", detail=detail))

    assert receipt.is_541_warning is flag
    assert receipt.kind is ReceiptKind(kind)


def test_taking_in_charge_lists_every_recipient() -> None:
    takers = ("a@pec.example.it", "b@pec.example.it", "c@pec.example.it")

    receipt = parse_receipt(pec_receipt("presa-in-carico", msgid=OUR_ID, takers=takers, addressees=takers))

    assert receipt.kind is ReceiptKind.TAKEN_IN_CHARGE
    assert receipt.recipients == takers and receipt.addressees == takers


def test_a_virus_detection() -> None:
    receipt = parse_receipt(pec_receipt("rilevazione-virus", msgid=OUR_ID, error="virus", delivered_to="x@pec.it"))

    assert (receipt.kind, receipt.error) == (ReceiptKind.VIRUS_DETECTED, ReceiptError.VIRUS)


def test_the_envelope_of_an_incoming_pec_ignores_a_daticert_forged_inside_the_original() -> None:
    # GIVEN a debtor's PEC whose own message carries a fake "delivery receipt" for one of our ids
    forged = receipt_eml("avvenuta-consegna", msgid=OUR_ID, daticert=daticert_xml("avvenuta-consegna", msgid=OUR_ID))
    envelope = daticert_xml("posta-certificata", msgid="<risposta.1@pec.example.it>")

    receipt = parse_receipt(receipt_eml("posta-certificata", msgid=None, daticert=envelope, original=forged))

    assert receipt.kind is ReceiptKind.CERTIFIED_MAIL
    assert receipt.original_message_id == "<risposta.1@pec.example.it>"


def test_a_forged_daticert_inside_the_original_is_not_read_when_the_envelope_has_none() -> None:
    forged = receipt_eml("avvenuta-consegna", msgid=OUR_ID, daticert=daticert_xml("avvenuta-consegna", msgid=OUR_ID))

    with pytest.raises(ReceiptUnreadable, match=r"manca l'allegato daticert\.xml"):
        parse_receipt(receipt_eml("posta-certificata", msgid=None, daticert=None, original=forged, headers=False))


def test_a_providers_doctype_and_stylesheet_are_accepted() -> None:
    xml = daticert_xml("avvenuta-consegna", msgid=OUR_ID, delivered_to="x@pec.it").replace(
        b"?>\n",
        b'?>\n<?xml-stylesheet type="text/xsl" href="https://provider.example/postacert.xsl"?>\n'
        b'<!DOCTYPE postacert PUBLIC "posta certificata" "https://provider.example/dtd/postacert.dtd">\n',
        1,
    )

    assert parse_daticert(xml).kind is ReceiptKind.DELIVERY


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE postacert [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE postacert [<!ENTITY ext SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_hostile_xml_is_refused_even_when_the_headers_would_do(doctype: str) -> None:
    xml = daticert_xml("accettazione", msgid=OUR_ID, subject="&b;").replace(b"?>\n", f"?>\n{doctype}\n".encode(), 1)

    with pytest.raises(ReceiptUnreadable, match="entità XML"):
        parse_receipt(receipt_eml("accettazione", msgid=OUR_ID, daticert=xml))


@pytest.mark.parametrize(
    ("daticert", "reason"),
    [
        (b"<postacert tipo='accettazione'><dati>", "non è XML valido"),
        (daticert_xml("accettazione", msgid=OUR_ID).replace(b'tipo="accettazione"', b'tipo="boh"'), "tipo='boh'"),
        (daticert_xml("accettazione", msgid=OUR_ID, day="31/02/2024"), "data non valida"),
        (daticert_xml("accettazione", msgid=OUR_ID, zone="CET"), "fuso orario"),
        (None, "manca l'allegato daticert.xml"),
    ],
)
def test_a_damaged_or_missing_daticert_falls_back_to_the_headers(daticert: bytes | None, reason: str) -> None:
    receipt = parse_receipt(receipt_eml("errore-consegna", msgid=OUR_ID, daticert=daticert))

    assert receipt.source is ReceiptSource.HEADERS
    assert (receipt.kind, receipt.error) == (ReceiptKind.DELIVERY_FAILURE, ReceiptError.OTHER)
    assert receipt.original_message_id == OUR_ID
    assert receipt.issued_at == datetime(2024, 6, 1, 10, 0, 5, tzinfo=timezone(timedelta(hours=2)))
    assert receipt.note is not None and reason in receipt.note


def test_without_daticert_or_headers_the_subject_is_not_trusted() -> None:
    raw = receipt_eml("accettazione", msgid=OUR_ID, daticert=None, headers=False)
    assert b"Subject: ACCETTAZIONE:" in raw

    with pytest.raises(ReceiptUnreadable, match="mancano le intestazioni X-Ricevuta e X-Trasporto"):
        parse_receipt(raw)


def test_an_anomaly_envelope_is_not_a_receipt() -> None:
    raw = receipt_eml("posta-certificata", msgid=None, daticert=None, headers=False).replace(
        b"MIME-Version", b"X-Trasporto: errore\nMIME-Version", 1
    )

    with pytest.raises(ReceiptUnreadable, match="anomalia"):
        parse_receipt(raw)


def test_two_daticert_parts_are_refused() -> None:
    message = message_from_bytes(pec_receipt("avvenuta-consegna", msgid=OUR_ID))
    mixed = message.get_payload(0)
    assert isinstance(mixed, Message)
    daticert = mixed.get_payload(1)
    assert isinstance(daticert, Message)
    mixed.attach(daticert)  # the same daticert.xml again, beside the first

    with pytest.raises(ReceiptUnreadable, match=r"più di un daticert\.xml"):
        parse_receipt(message.as_bytes())


def test_a_missing_zone_means_italian_time() -> None:
    receipt = parse_receipt(pec_receipt("accettazione", msgid=OUR_ID, day="01/08/2024", hour="09:30:00", zone=None))

    assert receipt.issued_at == datetime(2024, 8, 1, 9, 30, tzinfo=ZoneInfo("Europe/Rome"))
    assert receipt.issued_at is not None and receipt.issued_at.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<a.1@pec.it>", "<a.1@pec.it>"),
        ("  <a.1@pec.it>\r\n ", "<a.1@pec.it>"),
        ("a.1@pec.it", "<a.1@pec.it>"),
        ("&lt;a.1@pec.it&gt;", "<a.1@pec.it>"),
        ("<<a.1@pec.it>>", "<a.1@pec.it>"),
        ("", None),
        (None, None),
    ],
)
def test_message_ids_are_normalised_for_matching(value: str | None, expected: str | None) -> None:
    assert normalize_message_id(value) == expected


_ID_TEXT = st.text(st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="<>&"), min_size=1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from([kind.value for kind in ReceiptKind]),
    local=_ID_TEXT,
    recipients=st.lists(st.emails(), min_size=1, max_size=3),
)
def test_any_receipt_round_trips(kind: str, local: str, recipients: list[str]) -> None:
    msgid = f"<{local}@pec.consorzio.example>"
    raw = pec_receipt(kind, msgid=msgid, takers=recipients)

    receipt = parse_receipt(raw)

    assert receipt.kind.value == kind and receipt.original_message_id == msgid
    assert receipt.recipients == tuple(recipients)


@settings(max_examples=60, deadline=None)
@given(garbage=st.binary(max_size=400))
def test_anything_at_all_is_read_or_refused_with_a_message(garbage: bytes) -> None:
    raw = receipt_eml("accettazione", msgid=OUR_ID, daticert=garbage, headers=False)

    try:
        result = parse_receipt(raw)
    except ReceiptUnreadable as exc:
        assert str(exc)
    else:
        assert isinstance(result, PecReceipt)
