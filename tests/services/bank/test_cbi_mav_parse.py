"""Reading CBI flows: the real Ri.Ba. sample, a hand-made return flow with every outcome, the bank's MAV codes,
and every way a file is refused (naming the file, the line and the field)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from app.services.bank.cbi_mav_parse import FlowKind, MavCausale, UnreadableCbiFlow, parse_mav_flow
from app.services.errors import UnreadableFile
from tests.support.samples import samples_dir

SAMPLE = samples_dir() / "cbi" / "riba_disposizione_odoo.txt"  # third-party data: read, never copied
needs_sample = pytest.mark.skipif(not SAMPLE.exists(), reason="the shared CBI samples are not on this machine")
FILE_NAME = "esiti.txt"


def record(kind: str, *fields: tuple[int, str]) -> str:
    """A 120-character record written by hand: each (start, text) at its 1-based position."""
    chars = [" "] * 120
    chars[1:3] = kind
    for start, text in fields:
        chars[start - 1 : start - 1 + len(text)] = text
    assert len(chars) == 120
    return "".join(chars)


_FRAME = ((4, "05428"), (9, "A1B2C"), (14, "150127"), (20, "ESITI20270115"))
# causale, cents, MAV code, fees, value date, bank reference, payment date
_OUTCOMES = [
    ("07000", 12345, "123456789012", "00150", "110127", "RIF000000001", "100127"),
    ("07006", 5000, "123456789013", "", "", "", ""),
    ("07008", 7000, "123456789014", "", "", "", ""),
    ("07010", 8000, "123456789015", "", "", "", ""),
    ("07011", 9000, "123456789016", "00200", "210227", "RIF000000005", "200227"),
]


def _disposition(n: int, causale: str, cents: int, *slip: str) -> list[str]:
    code, fees, value_date, bank_reference, paid_on = slip
    p = (4, f"{n:07d}")
    return [
        record(
            "14", p, (23, "311226"), (29, causale), (34, f"{cents:013d}"), (47, "+"), (48, "03069"), (53, "02400"),
            (70, "05428"), (75, "11101"), (80, "000000123456"), (92, "A1B2C"), (97, "4"), (98, f"CL{n:04d}"),
            (120, "E"),
        ),
        record("20", p, (11, "CONSORZIO DI BONIFICA")),
        record("30", p, (11, f"DEBITORE NUMERO {n}"), (71, "RSSMRA80A01H501U")),
        record("40", p, (11, "VIA GARIBALDI 3"), (41, "40121"), (46, "BOLOGNA BO"), (99, "IT")),
        record("50", p, (11, "CONTRIBUTO CONSORTILE 2026")),
        record(
            "51", p, (11, f"{1000 + n:010d}"), (75, code), (87, fees), (92, value_date), (98, bank_reference),
            (110, paid_on),
        ),
        record("70", p),
    ]  # fmt: skip


def return_flow() -> list[str]:
    """The bank's outcomes for five MAV, one of each causale: the bank (ABI 05428) is now the sender."""
    lines = [record("IM", *_FRAME, (114, "E"))]
    for n, (causale, cents, *slip) in enumerate(_OUTCOMES, start=1):
        lines += _disposition(n, causale, cents, *slip)
    total = sum(cents for _, cents, *_ in _OUTCOMES)
    counts = ((46, "0000005"), (53, "0" * 15), (68, f"{total:015d}"), (83, f"{len(lines) + 1:07d}"))
    return [*lines, record("EF", *_FRAME, *counts, (114, "E"))]


def as_bytes(lines: list[str], end: str = "\r\n") -> bytes:
    return (end.join(lines) + end).encode("ascii")


@needs_sample
def test_the_real_riba_sample_parses_with_its_counts_and_totals() -> None:
    flow = parse_mav_flow(SAMPLE.read_bytes(), SAMPLE.name)
    assert flow.header.kind is FlowKind.RIBA
    assert (flow.header.sender, flow.header.receiver) == ("", "05696")  # the sample leaves the SIA blank
    assert flow.header.created_on == date(2024, 4, 24)
    assert flow.header.support_name == "RB-IX-P-151255"
    assert flow.record_count == 51 == 7 * 7 + 2
    assert (flow.negative_total, flow.positive_total) == (Decimal("6610.62"), Decimal("0.00"))
    assert [d.progressive for d in flow.dispositions] == [1, 2, 3, 4, 5, 6, 7]
    assert [d.reference for d in flow.dispositions] == ["176", "201", "185", "210", "208", "2", "172"]
    amounts = ["732.00", "1223.05", "610.00", "1040.05", "491.05", "1361.57", "1152.90"]
    assert [d.amount for d in flow.dispositions] == [Decimal(a) for a in amounts]
    assert sum(d.amount for d in flow.dispositions) == flow.negative_total
    assert {d.causale for d in flow.dispositions} == {MavCausale.RIBA}
    first, sixth = flow.dispositions[0], flow.dispositions[5]
    assert (first.debtor_name, first.tax_code, first.debtor_code) == ("ALUVETRO SRL UNIPERSONALE", "03450700988", "7")
    assert (first.due_date, sixth.due_date) == (date(2024, 4, 30), date(2023, 3, 31))
    assert (first.bank_abi, first.bank_cab, first.account) == ("05696", "54900", "000003759X48")
    assert first.assuntrice_abi == "08393"  # in a Ri.Ba. flow, 70-79 hold the debtor's bank
    assert first.mav_code is None and first.payment_date is None and first.fees is None
    assert first.line_number == 2 and flow.dispositions[-1].line_number == 44


@needs_sample
def test_line_ends_crlf_or_lf_read_the_same() -> None:
    lf = SAMPLE.read_bytes()
    crlf = lf.replace(b"\n", b"\r\n")
    assert parse_mav_flow(crlf, "crlf.txt").dispositions == parse_mav_flow(lf, "lf.txt").dispositions
    no_final_newline = lf.rstrip(b"\n")
    assert len(parse_mav_flow(no_final_newline, "x.txt").dispositions) == 7


def test_a_return_flow_gives_every_outcome() -> None:
    flow = parse_mav_flow(as_bytes(return_flow()), FILE_NAME)
    assert flow.header.kind is FlowKind.MAV
    assert (flow.header.sender, flow.header.receiver) == ("05428", "A1B2C")
    assert [d.causale for d in flow.dispositions] == [
        MavCausale.MAV,  # paid
        MavCausale.RETURNED_UNPAID,
        MavCausale.RECALLED,
        MavCausale.WRITTEN_OFF,
        MavCausale.PAID_AFTER_WRITE_OFF,
    ]
    assert flow.positive_total == Decimal("413.45") == sum(d.amount for d in flow.dispositions)
    assert flow.negative_total == Decimal("0.00")
    paid, unpaid, *_, late = flow.dispositions
    assert (paid.reference, paid.mav_code, paid.amount) == ("1001", "123456789012", Decimal("123.45"))
    assert (paid.payment_date, paid.value_date, paid.fees) == (date(2027, 1, 10), date(2027, 1, 11), Decimal("1.50"))
    assert paid.bank_reference == "RIF000000001"
    assert (paid.bank_abi, paid.bank_cab) == ("03069", "02400")  # the bank that collected
    assert (paid.assuntrice_abi, paid.assuntrice_cab, paid.assuntrice_account) == ("05428", "11101", "000000123456")
    assert (paid.debtor_code, paid.debtor_name, paid.tax_code) == ("CL0001", "DEBITORE NUMERO 1", "RSSMRA80A01H501U")
    assert (paid.creditor_sia, paid.debtor_code_type, paid.due_date) == ("A1B2C", "4", date(2026, 12, 31))
    assert unpaid.payment_date is None and unpaid.value_date is None and unpaid.fees is None
    assert unpaid.bank_reference is None
    assert (late.payment_date, late.fees) == (date(2027, 2, 20), Decimal("2.00"))
    assert [d.line_number for d in flow.dispositions] == [2, 9, 16, 23, 30]


def test_the_codes_return_maps_each_disposition_number_to_its_mav_code() -> None:
    lines = return_flow()
    lines[6 + 7] = record("51", (4, "0000002"), (11, "0000001002"))  # the bank assigned no code to this one
    flow = parse_mav_flow(as_bytes(lines), "codici.txt")
    assert flow.mav_codes() == {
        "1001": "123456789012",
        "1003": "123456789014",
        "1004": "123456789015",
        "1005": "123456789016",
    }
    assert flow.dispositions[1].reference == "1002" and flow.dispositions[1].mav_code is None


def test_one_disposition_number_with_two_codes_is_refused() -> None:
    lines = return_flow()
    lines[6 + 7] = record("51", (4, "0000002"), (11, "0000001001"), (75, "999999999999"))
    flow = parse_mav_flow(as_bytes(lines), "codici.txt")
    with pytest.raises(UnreadableCbiFlow, match="1001 ha il codice MAV 999999999999, ma alla riga 2") as caught:
        flow.mav_codes()
    assert caught.value.line_number == 9


def _put(lines: list[str], number: int, start: int, text: str) -> None:
    line = lines[number - 1]
    lines[number - 1] = line[: start - 1] + text + line[start - 1 + len(text) :]


def _swap(lines: list[str], a: int, b: int) -> None:
    lines[a - 1], lines[b - 1] = lines[b - 1], lines[a - 1]


_LAST = 37  # the EF line of return_flow()
Mutation = Callable[[list[str]], object]
_REFUSALS: list[tuple[str, Mutation, int, str | None, str]] = [
    ("short record", lambda ls: ls.__setitem__(2, ls[2][:119]), 3, None, "lungo 119 caratteri"),
    ("unknown type", lambda ls: _put(ls, 3, 2, "99"), 3, "tipo record", "«99» sconosciuto"),
    ("out of order", lambda ls: _swap(ls, 4, 5), 4, "tipo record", "record 40 fuori ordine"),
    ("header in the body", lambda ls: _put(ls, 9, 2, "IM"), 9, "tipo record", "record IM fuori ordine"),
    ("progressive skips", lambda ls: _put(ls, 9, 4, "0000003"), 9, "numero progressivo", "è atteso 0000002"),
    ("progressive differs", lambda ls: _put(ls, 4, 4, "0000002"), 4, "numero progressivo", "del record 14"),
    ("count", lambda ls: _put(ls, _LAST, 46, "0000006"), _LAST, "numero disposizioni", "riporta 6"),
    ("total", lambda ls: _put(ls, _LAST, 68, f"{41346:015d}"), _LAST, "totale importi positivi", "413,46 €"),
    ("negatives", lambda ls: _put(ls, _LAST, 53, f"{1:015d}"), _LAST, "totale importi negativi", "0,01 €"),
    ("records", lambda ls: _put(ls, _LAST, 83, "0000051"), _LAST, "numero record", "riporta 51"),
    ("support name", lambda ls: _put(ls, _LAST, 20, "ALTRO"), _LAST, "nome supporto", "record di testa"),
    ("not a number", lambda ls: _put(ls, _LAST, 83, "00000A1"), _LAST, "numero record", "non è un numero"),
    ("missing IM", lambda ls: ls.pop(0), 1, "tipo record", "manca il record di testa"),
    ("missing EF", lambda ls: ls.pop(), _LAST - 1, "tipo record", "manca il record di coda EF"),
    ("truncated", lambda ls: ls.pop(_LAST - 2), _LAST - 1, None, "manca il record 70"),
    ("line after EF", lambda ls: ls.append(ls[-1]), _LAST, "tipo record", "record EF fuori ordine"),
    ("control", lambda ls: _put(ls, 4, 20, "\t"), 4, None, "caratteri di controllo"),
    ("position 1", lambda ls: _put(ls, 6, 1, "X"), 6, None, "posizione 1 deve essere vuota"),
    ("due date", lambda ls: _put(ls, 9, 23, "310227"), 9, "data di scadenza", "«310227» non è una data"),
    ("causale", lambda ls: _put(ls, 9, 29, "07099"), 9, "causale", "«07099» sconosciuta"),
    ("amount", lambda ls: _put(ls, 9, 34, "00000000050X0"), 9, "importo", "non è un importo"),
    ("sign", lambda ls: _put(ls, 9, 47, " "), 9, "segno", "non è un segno"),
    ("payment date", lambda ls: _put(ls, 7, 110, "999999"), 7, "data effettiva di pagamento", "non è una data"),
    ("fees", lambda ls: _put(ls, 7, 87, "1,50 "), 7, "commissioni", "non è un importo"),
    ("creation date", lambda ls: _put(ls, 1, 14, "000000"), 1, "data di creazione", "non è una data"),
]


@pytest.mark.parametrize(
    ("mutate", "line_number", "label", "problem"),
    [case[1:] for case in _REFUSALS],
    ids=[case[0] for case in _REFUSALS],
)
def test_a_faulty_file_is_refused_naming_line_and_field(
    mutate: Mutation, line_number: int, label: str | None, problem: str
) -> None:
    lines = return_flow()
    mutate(lines)
    with pytest.raises(UnreadableCbiFlow) as caught:
        parse_mav_flow(as_bytes(lines), FILE_NAME)
    error = caught.value
    assert isinstance(error, UnreadableFile)
    assert (error.line_number, error.field.label if error.field else None) == (line_number, label)
    message = str(error)
    assert f"«{FILE_NAME}»" in message and f"Riga {line_number}" in message and problem in message
    if label:
        assert f"campo «{label}» ({error.field.positions if error.field else ''})" in message


def test_non_ascii_bytes_are_refused_naming_line_and_field() -> None:
    lines = return_flow()
    data = as_bytes(lines).replace(b"DEBITORE NUMERO 2", "DEBITORE NUMERÒ 2".encode())
    with pytest.raises(UnreadableCbiFlow) as caught:
        parse_mav_flow(data, FILE_NAME)
    assert caught.value.line_number == 11
    assert caught.value.field is not None and caught.value.field.label == "nome del debitore"
    assert "carattere non ASCII in posizione 25" in str(caught.value)


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableCbiFlow, match="Riga 1: il file è vuoto"):
        parse_mav_flow(data, FILE_NAME)


def test_a_flow_without_dispositions_is_read_as_empty() -> None:
    counts = ((46, "0" * 7), (53, "0" * 15), (68, "0" * 15), (83, "0000002"))
    lines = [record("IM", *_FRAME, (114, "E")), record("EF", *_FRAME, *counts, (114, "E"))]
    flow = parse_mav_flow(as_bytes(lines), FILE_NAME)
    assert flow.dispositions == () and flow.record_count == 2
