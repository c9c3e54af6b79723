"""Writing the MAV disposition flow: every field at the specification's position, bad input refused by name."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from app.services.bank import cbi_mav
from app.services.bank.cbi_mav import (
    DebtorCodeType,
    InvalidDisposition,
    MavCreditor,
    MavDisposition,
    MavFlowHeader,
    MavFlowSelfCheckFailed,
    SlipType,
    write_mav_flow,
)
from app.services.errors import InvalidInput

IBAN = "IT60X0542811101000000123456"
CREDITOR = MavCreditor.from_iban("A1B2C", IBAN, ("Consorzio di Bonifica", "Via Roma 1", "40100 Bologna BO"))
PLAIN_CREDITOR = replace(CREDITOR, iban=None)
HEADER = MavFlowHeader("A1B2C", "05428", datetime(2026, 11, 23, 10, 30, 5))


def make_disposition(progressive: int = 1, **changes: Any) -> MavDisposition:
    """A plain, valid notice; `changes` replace any of its fields."""
    disposition = MavDisposition(
        progressive=progressive,
        reference=str(1000 + progressive),
        due_date=date(2026, 12, 31),
        amount=Decimal("123.45"),
        creditor=PLAIN_CREDITOR,
        debtor_code_type=DebtorCodeType.CUSTOMER_CODE,
        debtor_code=f"CL{progressive:04d}",
        debtor_name="Rossi Mario",
        tax_code="RSSMRA80A01H501U",
        address="Via Garibaldi 3",
        postcode="40121",
        town="Bologna",
        province="BO",
        reason=("Contributo consortile 2026", "Rata unica"),
    )
    return replace(disposition, **changes)


def records(data: bytes) -> list[str]:
    """The flow's records; every one must end with CRLF."""
    assert data.endswith(b"\r\n")
    return data.decode("ascii").split("\r\n")[:-1]


def at(record: str, start: int, end: int) -> str:
    """The characters at 1-based inclusive positions, as the specification names them."""
    return record[start - 1 : end]


def test_header_and_trailer_fields() -> None:
    lines = records(write_mav_flow(HEADER, [make_disposition(1), make_disposition(2, amount=Decimal("0.55"))]))
    head, tail = lines[0], lines[-1]
    assert at(head, 1, 3) == " IM"
    assert at(head, 4, 8) == "A1B2C"
    assert at(head, 9, 13) == "05428"
    assert at(head, 14, 19) == "231126"
    assert at(head, 20, 39) == "231126103005A1B2C   "  # DDMMYYHHMMSS + SIA, as the OCA generator
    assert at(head, 40, 113) == " " * 74
    assert at(head, 114, 114) == "E"
    assert at(tail, 1, 3) == " EF"
    assert at(tail, 4, 39) == at(head, 4, 39)
    assert at(tail, 40, 45) == " " * 6
    assert at(tail, 46, 52) == "0000002"
    assert at(tail, 53, 67) == "000000000012400"  # dispatched MAV carry the sign -: negative amounts
    assert at(tail, 68, 82) == "0" * 15
    assert at(tail, 83, 89) == f"{7 * 2 + 2:07d}"
    assert at(tail, 114, 114) == "E"
    assert all(len(line) == 120 for line in lines)


def _full_notice() -> list[str]:
    """The records of one notice with every optional record (16 and 59)."""
    creditor = replace(CREDITOR, description=("Consorzio di Bonifica", "Via Roma 1"))
    disposition = make_disposition(
        creditor=creditor, slip_text=("Pagabile presso ogni sportello", "Grazie"), slip_type=SlipType.POSTAL,
        address_extra="Scala B", debtor_code_type=DebtorCodeType.TAX_CODE, debtor_code="RSSMRA80A01H501U",
    )  # fmt: skip
    lines = records(write_mav_flow(HEADER, [disposition]))
    assert [at(line, 2, 3) for line in lines] == ["IM", "14", "16", "20", "30", "40", "50", "51", "59", "70", "EF"]
    assert all(at(line, 4, 10) == "0000001" for line in lines[1:-1])
    return lines[1:-1]


def test_record_14_field_by_field() -> None:
    r14 = _full_notice()[0]
    expected = [
        (11, 22, " " * 12), (23, 28, "311226"), (29, 33, "07000"), (34, 46, "0000000012345"), (47, 47, "-"),
        (48, 52, "05428"), (53, 57, "11101"), (58, 69, "000000123456"), (70, 91, " " * 22), (92, 96, "A1B2C"),
        (97, 97, "3"), (98, 113, "RSSMRA80A01H501U"), (114, 119, " " * 6), (120, 120, "E"),
    ]  # fmt: skip
    assert [(start, end, at(r14, start, end)) for start, end, _ in expected] == expected


def test_records_16_to_70_field_by_field() -> None:
    r16, r20, r30, r40, r50, r51, r59, r70 = _full_notice()[1:]
    assert (at(r16, 11, 12), at(r16, 13, 14), at(r16, 15, 15)) == ("IT", "60", "X")
    assert (at(r16, 16, 20), at(r16, 21, 25), at(r16, 26, 37)) == ("05428", "11101", "000000123456")
    assert at(r16, 38, 120).isspace()
    assert at(r20, 11, 34) == "CONSORZIO DI BONIFICA   "
    assert at(r20, 35, 58) == "VIA ROMA 1".ljust(24)
    assert at(r20, 59, 120).isspace()
    assert at(r30, 11, 40) == "ROSSI MARIO".ljust(30) and at(r30, 41, 70).isspace()
    assert at(r30, 71, 86) == "RSSMRA80A01H501U" and at(r30, 87, 120).isspace()
    assert at(r40, 11, 40) == "VIA GARIBALDI 3".ljust(30)
    assert at(r40, 41, 45) == "40121"
    assert at(r40, 46, 70) == "BOLOGNA BO".ljust(25)
    assert at(r40, 71, 98) == "SCALA B".ljust(28)
    assert at(r40, 99, 100) == "IT" and at(r40, 101, 120).isspace()
    assert at(r50, 11, 50) == "CONTRIBUTO CONSORTILE 2026".ljust(40)
    assert at(r50, 51, 90) == "RATA UNICA".ljust(40) and at(r50, 91, 120).isspace()
    assert at(r51, 11, 20) == "0000001001"
    assert at(r51, 21, 120).isspace()  # the MAV code (75-86) is the bank's to assign
    assert at(r59, 11, 65) == "PAGABILE PRESSO OGNI SPORTELLO".ljust(55)
    assert at(r59, 66, 120) == "GRAZIE".ljust(55)
    assert at(r70, 11, 93).isspace() and at(r70, 94, 94) == "P" and at(r70, 95, 120).isspace()


def test_without_optional_records_a_notice_is_seven_records() -> None:
    dispositions = [make_disposition(n) for n in range(1, 4)]
    lines = records(write_mav_flow(HEADER, dispositions))
    assert len(lines) == 7 * 3 + 2
    assert [at(line, 2, 3) for line in lines[1:8]] == ["14", "20", "30", "40", "50", "51", "70"]
    assert [at(line, 4, 10) for line in lines[1:-1:7]] == ["0000001", "0000002", "0000003"]


def test_ef_counts_the_records_actually_written() -> None:
    dispositions = [make_disposition(1, creditor=CREDITOR, slip_text=("x",)), make_disposition(2, creditor=CREDITOR)]
    lines = records(write_mav_flow(HEADER, dispositions))
    assert len(lines) == 9 + 8 + 2
    assert at(lines[-1], 83, 89) == f"{len(lines):07d}"


def test_text_is_transliterated_and_cut_without_shifting_the_tax_code() -> None:
    name = "Società Agricola “Il Gabbiano” di Niccolò Müller & Figli, Straße dell’Università 12"
    town = "San Giovanni in Persiceto e dintorni"
    disposition = make_disposition(debtor_name=name, town=town, province="bo", address="Via dell’Øresund, 1")
    r30, r40 = records(write_mav_flow(HEADER, [disposition]))[3:5]
    assert at(r30, 11, 70) == 'SOCIETA AGRICOLA "IL GABBIANO" DI NICCOLO MULLER & FIGLI, ST'
    assert at(r30, 71, 86) == "RSSMRA80A01H501U"
    assert at(r40, 11, 40) == "VIA DELL'ORESUND, 1".ljust(30)
    assert at(r40, 46, 70) == "SAN GIOVANNI IN PERSIC BO"  # the town is cut so that the province stays
    assert at(r40, 41, 45) == "40121" and at(r40, 99, 100) == "IT"


def test_amounts_are_cents_never_rounded() -> None:
    big = Decimal("999999999.99")
    lines = records(write_mav_flow(HEADER, [make_disposition(1, amount=big), make_disposition(2, amount=Decimal(1))]))
    assert at(lines[1], 34, 46) == "0099999999999"
    assert at(lines[8], 34, 46) == "0000000000100"
    assert at(lines[-1], 53, 67) == "000100000000099"


def _which(n: int) -> str:
    return f"Disposizione MAV n. {n} "


@pytest.mark.parametrize(
    ("changes", "label"),
    [
        ({"creditor": replace(PLAIN_CREDITOR, abi="")}, "ABI della banca assuntrice"),
        ({"creditor": replace(PLAIN_CREDITOR, cab="1234")}, "CAB della banca assuntrice"),
        ({"creditor": replace(PLAIN_CREDITOR, account="1234567890123")}, "conto del creditore"),
        ({"creditor": replace(PLAIN_CREDITOR, sia="")}, "codice SIA del creditore"),
        ({"creditor": replace(PLAIN_CREDITOR, description=())}, "descrizione del creditore"),
        ({"creditor": replace(CREDITOR, iban="IT60X0542811101000000123457")}, "IBAN del creditore"),
        ({"creditor": replace(CREDITOR, abi="03069")}, "IBAN del creditore"),
        ({"amount": Decimal(0)}, "importo"),
        ({"amount": Decimal("-5")}, "importo"),
        ({"amount": Decimal("1.005")}, "importo"),
        ({"amount": Decimal("100000000000.00")}, "importo"),
        ({"amount": Decimal("NaN")}, "importo"),
        ({"due_date": None}, "data di scadenza"),
        ({"reference": "A123"}, "numero disposizione"),
        ({"reference": "12345678901"}, "numero disposizione"),
        ({"reference": ""}, "numero disposizione"),
        ({"progressive": 5}, "numero progressivo"),
        ({"debtor_name": "  "}, "nome del debitore"),
        ({"debtor_name": "😀😀"}, "nome del debitore"),
        ({"address": ""}, "indirizzo del debitore"),
        ({"town": ""}, "comune e provincia del debitore"),
        ({"postcode": "4012"}, "CAP del debitore"),
        ({"reason": ()}, "causale del debito"),
        ({"reason": ("a", "b", "c")}, "causale del debito"),
        ({"slip_text": ("a", "b", "c")}, "testo del bollettino"),
        ({"debtor_code": "X" * 17}, "codice del debitore"),
        ({"tax_code": "RSSMRÀ80A01H501U"}, "codice fiscale del debitore"),
        ({"country": "ITA"}, "paese del debitore"),
    ],
)
def test_bad_input_is_refused_naming_the_disposition_and_field(changes: dict[str, Any], label: str) -> None:
    dispositions = [make_disposition(1), replace(make_disposition(2), **changes)]
    with pytest.raises(InvalidDisposition) as caught:
        write_mav_flow(HEADER, dispositions)
    message = str(caught.value)
    assert message.startswith(_which(2)) and "(numero disposizione" in message
    assert f"«{label}»" in message
    assert isinstance(caught.value, InvalidInput)


def test_a_foreign_debtor_may_have_any_postcode() -> None:
    lines = records(write_mav_flow(HEADER, [make_disposition(country="DE", postcode="D1011", province="")]))
    assert at(lines[4], 41, 45) == "D1011" and at(lines[4], 99, 100) == "DE"


def test_a_disposition_number_used_twice_is_refused() -> None:
    dispositions = [make_disposition(1, reference="77"), make_disposition(2, reference="0077")]
    with pytest.raises(InvalidDisposition, match=r"n\. 2 .*«numero disposizione».*n\. 1"):
        write_mav_flow(HEADER, dispositions)


@pytest.mark.parametrize(
    ("header", "label"),
    [
        (replace(HEADER, sender_sia="A1"), "codice SIA del mittente"),
        (replace(HEADER, receiver_abi="5428X"), "ABI della banca ricevente"),
        (replace(HEADER, currency=""), "codice divisa"),
    ],
)
def test_bad_header_is_refused(header: MavFlowHeader, label: str) -> None:
    with pytest.raises(InvalidDisposition, match=f"Intestazione del flusso MAV, campo «{label}»"):
        write_mav_flow(header, [make_disposition()])


def test_an_empty_flow_is_refused() -> None:
    with pytest.raises(InvalidDisposition, match="non contiene alcuna disposizione"):
        write_mav_flow(HEADER, [])


def test_a_flow_that_does_not_read_back_is_never_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    real = cbi_mav._render_frame

    def off_by_one_cent(header: MavFlowHeader, count: int, cents: int, records: int) -> tuple[str, str]:
        return real(header, count, cents + 1, records)

    monkeypatch.setattr(cbi_mav, "_render_frame", off_by_one_cent)
    with pytest.raises(MavFlowSelfCheckFailed, match="totale importi negativi"):
        write_mav_flow(HEADER, [make_disposition()])


def test_a_record_of_the_wrong_length_is_caught_by_the_read_back(monkeypatch: pytest.MonkeyPatch) -> None:
    real = cbi_mav._disposition_template.__wrapped__

    def one_blank_too_many(*args: Any) -> tuple[str, int]:
        template, count = real(*args)
        return template.replace("\r\n", " \r\n", 1), count

    monkeypatch.setattr(cbi_mav, "_disposition_template", one_blank_too_many)
    with pytest.raises(MavFlowSelfCheckFailed, match="Riga 2: il record è lungo 121"):
        write_mav_flow(HEADER, [make_disposition()])
