"""Notice codes: pagoPA numbers and QR, Poste DataMatrix, RF references, EPC QR and QR matrices for drawing."""

from __future__ import annotations

import itertools
import string
from decimal import Decimal

import pytest
import segno
from hypothesis import given
from hypothesis import strategies as st
from segno import helpers as segno_helpers

from app.services.errors import InvalidInput
from app.services.notices.codes import (
    QrMatrix,
    check_notice_number,
    check_rf_reference,
    epc_qr_payload,
    find_notice_numbers,
    find_rf_references,
    format_rf_reference,
    group_notice_number,
    iuv_of,
    make_notice_number,
    make_rf_reference,
    pagopa_qr_payload,
    poste_datamatrix_payload,
    qr_matrix,
    qr_runs,
    rf_for_notice,
    split_rf_for_notice,
)

SAMPLE_QR = "PAGOPA|002|001340000013900808|12345678901|5000"  # shared/samples/README.md
SAMPLE_NOTICE = "001340000013900808"
SAMPLE_RF = "RF18539007547034"
IBAN = "IT60X0542811101000000123456"
EPC_IBAN = "DE71110220330123456789"

ALNUM = string.ascii_letters + string.digits
rf_bodies = st.text(alphabet=ALNUM, min_size=1, max_size=21)


# pagoPA notice numbers


def test_sample_vector_check_digits_cover_aux_application_code_and_base() -> None:
    # 0013400000139008 = 93 × 144086023000 + 8: the 16 digits before the check, aux digit "0" included.
    assert make_notice_number(0, "01", 3400000139008) == SAMPLE_NOTICE
    assert check_notice_number(SAMPLE_NOTICE) is None
    # The IUV base alone would give 3400000139008 mod 93 = 61: not what the vector carries.
    assert int("3400000139008") % 93 == 61


@pytest.mark.parametrize(
    ("aux", "code", "sequence", "number"),
    [
        # 10000000000001 = 93 × 107526881720 + 41
        (0, "01", 1, "001000000000000141"),
        # 120000000004567 = 93 × 1290322580694 + 25
        (0, "12", 4567, "012000000000456725"),
        # 3020000000000001 = 93 × 32473118279569 + 84: the aux digit 3 counts (without it: 81)
        (3, "02", 1, "302000000000000184"),
    ],
)
def test_hand_computed_notice_numbers(aux: int, code: str, sequence: int, number: str) -> None:
    assert make_notice_number(aux, code, sequence) == number
    assert check_notice_number(number) is None


def test_aux_three_check_digits_include_the_aux_digit() -> None:
    number = make_notice_number(3, "02", 1)
    assert number[16:] == f"{int(number[:16]) % 93:02d}" == "84"
    assert number[16:] != f"{int(number[1:16]) % 93:02d}"


def test_layouts_and_iuv() -> None:
    aux0 = make_notice_number(0, "07", 123)
    assert (aux0[0], aux0[1:3], aux0[3:16]) == ("0", "07", "0000000000123")
    assert iuv_of(aux0) == aux0[3:] and len(iuv_of(aux0)) == 15
    aux3 = make_notice_number(3, "45", 9_999_999_999_999)
    assert (aux3[0], aux3[1:3], aux3[3:16]) == ("3", "45", "9999999999999")
    assert iuv_of(aux3) == aux3[1:] and len(iuv_of(aux3)) == 17
    assert iuv_of("0013 4000 0013 9008 08") == "340000013900808"


def test_aux_one_and_two_are_parsed() -> None:
    assert check_notice_number("1" + "23456789012345678") is None  # no check digits at all
    aux2 = "2" + "123456789012345"
    aux2 += f"{int(aux2) % 93:02d}"
    assert check_notice_number(aux2) is None
    assert iuv_of(aux2) == aux2[1:]
    wrong = f"{(int(aux2[:16]) + 1) % 93:02d}"
    assert "cifre di controllo" in (check_notice_number(aux2[:16] + wrong) or "")


@pytest.mark.parametrize(
    ("aux", "code", "sequence", "words"),
    [
        (1, "01", 1, "prima cifra 1"),
        (2, "01", 1, "prima cifra 2"),
        (0, "1", 1, "2 cifre"),
        (0, "A1", 1, "2 cifre"),
        (3, "97", 1, "servizi centralizzati"),
        (0, "01", 10**13, "13 cifre"),
        (0, "01", -1, "13 cifre"),
    ],
)
def test_make_notice_number_refusals(aux: int, code: str, sequence: int, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        make_notice_number(aux, code, sequence)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("", "mancante"),
        ("00134000001390080", "17 cifre"),
        ("0013400000139008O8", "posizione 17"),
        ("501340000013900808", "prima cifra è 5"),
        ("001340000013900809", "cifre di controllo"),
        ("001340000013900880", "cifre di controllo"),  # swapped check digits
    ],
)
def test_check_notice_number_reasons(number: str, words: str) -> None:
    problem = check_notice_number(number)
    assert problem is not None and words in problem


def test_grouped_notice_number_for_print() -> None:
    assert group_notice_number(SAMPLE_NOTICE) == "0013 4000 0013 9008 08"
    with pytest.raises(InvalidInput, match="Codice avviso"):
        group_notice_number("001340000013900809")


# pagoPA QR and Poste DataMatrix


def test_pagopa_qr_payload_matches_sample() -> None:
    assert pagopa_qr_payload(SAMPLE_NOTICE, "12345678901", Decimal("50.00")) == SAMPLE_QR
    assert pagopa_qr_payload(SAMPLE_NOTICE, "12345678901", Decimal("50")) == SAMPLE_QR


def test_pagopa_qr_amount_has_at_least_two_digits() -> None:
    assert pagopa_qr_payload(SAMPLE_NOTICE, "12345678901", Decimal("0.05")).endswith("|05")
    assert pagopa_qr_payload(SAMPLE_NOTICE, "12345678901", Decimal("99999999.99")).endswith("|9999999999")


@pytest.mark.parametrize(
    ("notice", "tax_code", "amount", "words"),
    [
        ("001340000013900809", "12345678901", Decimal("1"), "cifre di controllo"),
        (SAMPLE_NOTICE, "1234567890", Decimal("1"), "11 cifre"),
        (SAMPLE_NOTICE, "RSSMRA80A01H501U", Decimal("1"), "11 cifre"),
        (SAMPLE_NOTICE, "12345678901", Decimal("0"), "maggiore di zero"),
        (SAMPLE_NOTICE, "12345678901", Decimal("-3"), "maggiore di zero"),
        (SAMPLE_NOTICE, "12345678901", Decimal("12.345"), "frazioni di centesimo"),
        (SAMPLE_NOTICE, "12345678901", Decimal("100000000"), "troppo alto"),
        (SAMPLE_NOTICE, "12345678901", Decimal("NaN"), "non è valido"),
    ],
)
def test_pagopa_qr_refusals(notice: str, tax_code: str, amount: Decimal, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        pagopa_qr_payload(notice, tax_code, amount)


def test_amounts_must_be_decimal() -> None:
    with pytest.raises(TypeError):
        pagopa_qr_payload(SAMPLE_NOTICE, "12345678901", 50.0)  # type: ignore[arg-type]


def test_poste_datamatrix_fields_and_widths() -> None:
    payload = poste_datamatrix_payload(
        SAMPLE_NOTICE, "12345678901", Decimal("50.00"), "RSSMRA80A01H501U", "Rossi Mario", "Quota 2024", "123456789012"
    )
    assert len(payload) == 256
    expected = (
        "codfase=NBPA;"
        "18001340000013900808"
        "12123456789012"
        "100000005000"
        "3896"
        "1P112345678901RSSMRA80A01H501U" + "Rossi Mario".ljust(40) + "Quota 2024".ljust(110) + " " * 12 + "A"
    )
    assert payload == expected
    # The offsets the IO app reads (io-pagopa-commons decodePosteDataMatrix).
    assert (payload[15:33], payload[49:59], payload[66:77]) == (SAMPLE_NOTICE, "0000005000", "12345678901")


def test_poste_datamatrix_transliterates_pads_and_truncates() -> None:
    payload = poste_datamatrix_payload(
        SAMPLE_NOTICE, "12345678901", Decimal("1234.5"), "00743110157", "Società Fùrlan – Weiß\n& C.", "x" * 200
    )
    assert len(payload) == 256 and payload.isascii()
    assert payload[77:93] == "00743110157     "  # an entity's 11 digits, left-aligned in 16
    assert payload[93:133] == "Societa Furlan - Weiss & C.".ljust(40)
    assert payload[133:243] == "x" * 110
    assert payload[35:47] == "000000000000"  # no postal account given
    assert payload[49:59] == "0000123450"


def test_poste_datamatrix_refusals() -> None:
    with pytest.raises(InvalidInput, match="conto corrente postale"):
        poste_datamatrix_payload(SAMPLE_NOTICE, "12345678901", Decimal(1), "", "A", "B", "1234567890123")
    with pytest.raises(InvalidInput, match="codice fiscale del debitore"):
        poste_datamatrix_payload(SAMPLE_NOTICE, "12345678901", Decimal(1), "RSSMRA80A01H501U9", "A", "B")


# ISO 11649 RF references


@pytest.mark.parametrize("reference", ["RF18539007547034", "RF45w9", "rf45W9", "RF18 5390 0754 7034"])
def test_valid_rf_vectors(reference: str) -> None:
    assert check_rf_reference(reference) is None


def test_make_rf_reference_reproduces_the_vectors() -> None:
    assert make_rf_reference("539007547034") == SAMPLE_RF
    assert make_rf_reference("w9") == "RF45W9"


@pytest.mark.parametrize(
    ("reference", "words"),
    [
        ("", "mancante"),
        ("RF19539007547034", "cifre di controllo non corrispondono"),
        ("XX18539007547034", "inizia con RF"),
        ("RFAB539007547034", "due cifre di controllo"),
        ("RF18", "da 1 a 21"),
        ("RF18" + "1" * 22, "ce ne sono 22"),
        ("RF18-5390", "carattere non valido «-» in posizione 5"),
    ],
)
def test_check_rf_reference_reasons(reference: str, words: str) -> None:
    problem = check_rf_reference(reference)
    assert problem is not None and words in problem


@pytest.mark.parametrize("body", ["", "A" * 22, "ABC 123", "ÀBC", "ß"])
def test_make_rf_reference_refusals(body: str) -> None:
    with pytest.raises(InvalidInput, match="lettere o cifre"):
        make_rf_reference(body)


def test_format_rf_reference_for_print() -> None:
    assert format_rf_reference("rf18539007547034") == "RF18 5390 0754 7034"
    assert format_rf_reference("RF45w9") == "RF45 W9"
    with pytest.raises(InvalidInput, match="Riferimento RF19"):
        format_rf_reference("RF19539007547034")


@given(rf_bodies)
def test_any_body_round_trips(body: str) -> None:
    reference = make_rf_reference(body)
    assert reference[4:] == body.upper()
    assert check_rf_reference(reference) is None
    assert check_rf_reference(reference.lower()) is None
    # Readings of its first groups may be valid too (a body of zeros "0000 0"), the whole one always is.
    found = find_rf_references(f"pagamento {format_rf_reference(reference)}, grazie")
    assert found[-1] == reference
    assert all(reference.startswith(reading) and check_rf_reference(reading) is None for reading in found)


@given(rf_bodies, st.data())
def test_any_substitution_of_the_same_kind_breaks_validation(body: str, data: st.DataObject) -> None:
    reference = make_rf_reference(body)
    position = data.draw(st.sampled_from([2, 3, *range(4, len(reference))]), label="position")
    kind = string.digits if reference[position].isdigit() else string.ascii_uppercase
    replacement = data.draw(st.sampled_from(kind.replace(reference[position], "")), label="replacement")
    changed = reference[:position] + replacement + reference[position + 1 :]
    assert check_rf_reference(changed) is not None


def test_a_digit_turned_letter_can_escape_mod_97() -> None:
    # ISO 7064 mod 97-10 catches every substitution that keeps the kind of character, but a letter stands for
    # two digits: "9" → "A" after the body "14" shifts the number by 7 × 14 ≡ 1 (mod 97) and cancels out.
    assert make_rf_reference("149") == "RF55149"
    assert check_rf_reference("RF5514A") is None


def test_rf_for_notice_is_deterministic_and_splits_back() -> None:
    reference = rf_for_notice("tree", 42)
    assert reference == make_rf_reference("TREE0000000042") == rf_for_notice("TREE", 42)
    assert check_rf_reference(reference) is None
    assert split_rf_for_notice(format_rf_reference(reference)) == ("TREE", 42)
    assert split_rf_for_notice(SAMPLE_RF) is None
    assert split_rf_for_notice("RF00TREE0000000042") is None


@given(
    st.from_regex(r"[A-Z]{1,6}", fullmatch=True),
    st.integers(min_value=0, max_value=10**15 - 1),
    st.from_regex(r"[A-Z]{1,6}", fullmatch=True),
    st.integers(min_value=0, max_value=10**15 - 1),
)
def test_rf_for_notice_is_unique(prefix_a: str, id_a: int, prefix_b: str, id_b: int) -> None:
    reference_a, reference_b = rf_for_notice(prefix_a, id_a), rf_for_notice(prefix_b, id_b)
    assert (reference_a == reference_b) == ((prefix_a, id_a) == (prefix_b, id_b))
    assert split_rf_for_notice(reference_a) == (prefix_a, id_a)


@pytest.mark.parametrize(("prefix", "notice_id"), [("", 1), ("TREE1", 1), ("ABCDEFG", 1), ("TREE", -1)])
def test_rf_for_notice_refusals(prefix: str, notice_id: int) -> None:
    with pytest.raises(InvalidInput):
        rf_for_notice(prefix, notice_id)


def test_rf_for_notice_refuses_an_id_longer_than_the_body() -> None:
    assert rf_for_notice("ABCDEF", 10**15 - 1)
    with pytest.raises(InvalidInput, match="non entra"):
        rf_for_notice("ABCDEF", 10**15)


# Finding codes in remittance text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("RF18539007547034", [SAMPLE_RF]),
        ("Bonifico fattura 12 RF18 5390 0754 7034 saldo", [SAMPLE_RF]),
        ("RIF.RF18 5390 0754 7034/2024", [SAMPLE_RF]),
        ("rif rf45w9, grazie", ["RF45W9"]),
        ("RF18 5390 0754 7034 2024 quota", [SAMPLE_RF]),  # the next group is not part of it
        ("RF18 53900754\n7034 acconto", [SAMPLE_RF]),  # wrapped by the bank
        ("RF19 5390 0754 7034", []),  # wrong check digits
        ("XRF18539007547034", []),  # glued to a word
        ("RF18539007547034ABC", []),  # glued to more characters
        ("RF18539007547034 e RF45W9 e di nuovo RF18 5390 0754 7034", [SAMPLE_RF, "RF45W9"]),
        ("nessun riferimento", []),
    ],
)
def test_find_rf_references(text: str, found: list[str]) -> None:
    assert find_rf_references(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Avviso 0013 4000 0013 9008 08 del 12/03", [SAMPLE_NOTICE]),
        ("/RFB/001340000013900808/50.00", [SAMPLE_NOTICE]),
        ("codice avviso:001340000013900808.", [SAMPLE_NOTICE]),
        ("importo 5000 001340000013900808", [SAMPLE_NOTICE]),
        ("001340000013900809", []),  # wrong check digits
        ("123456789012345678", []),  # aux 1: no check digits, too easy to match by chance
        ("00001340000013900808", []),  # part of a longer number
        ("IT60X0542811101000000123456", []),
        (
            f"{SAMPLE_NOTICE} e {make_notice_number(3, '02', 1)} e {SAMPLE_NOTICE}",
            [SAMPLE_NOTICE, "302000000000000184"],
        ),
    ],
)
def test_find_notice_numbers(text: str, found: list[str]) -> None:
    assert find_notice_numbers(text) == found


@given(rf_bodies, st.text(max_size=40), st.text(max_size=40))
def test_a_reference_is_found_among_any_noise(body: str, before: str, after: str) -> None:
    reference = make_rf_reference(body)
    assert reference in find_rf_references(f"{before} {format_rf_reference(reference)}. {after}")


@given(st.integers(min_value=0, max_value=10**13 - 1), st.sampled_from([0, 3]), st.text(max_size=30))
def test_a_notice_number_is_found_among_any_noise(sequence: int, aux: int, noise: str) -> None:
    number = make_notice_number(aux, "01", sequence)
    assert number in find_notice_numbers(f"{noise}/{group_notice_number(number)}/{noise}")


# EPC QR


def test_epc_payload_exact_text_with_reference_and_bic() -> None:
    # The EPC069-12 example transfer, in version 002 and without its purpose code.
    payload = epc_qr_payload(
        "Franz Mustermänn", "DE71 1102 2033 0123 4567 89", Decimal("12.30"), reference="RF18 5390 0754 7034",
        bic="bhbldehhxxx",
    )  # fmt: skip
    assert (
        payload
        == "BCD\n002\n1\nSCT\nBHBLDEHHXXX\nFranz Mustermänn\nDE71110220330123456789\nEUR12.3\n\nRF18539007547034"
    )


def test_epc_payload_exact_text_with_remittance_text() -> None:
    payload = epc_qr_payload("Consorzio  TREE\n", IBAN, Decimal("100.00"), text=" Avviso 42\nrata 1 ")
    assert payload == f"BCD\n002\n1\nSCT\n\nConsorzio TREE\n{IBAN}\nEUR100\n\n\nAvviso 42 rata 1"


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        ("0.01", "EUR0.01"),
        ("12.50", "EUR12.5"),
        ("12.05", "EUR12.05"),
        ("10", "EUR10"),
        ("999999999.99", "EUR999999999.99"),
    ],
)
def test_epc_amount_format(amount: str, written: str) -> None:
    assert epc_qr_payload("A", IBAN, Decimal(amount), text="x").split("\n")[7] == written


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"name": "N" * 71}, "71 caratteri"),
        ({"name": "  "}, "Manca il campo «nome del beneficiario»"),
        ({"text": "t" * 141, "reference": None}, "141 caratteri"),
        ({"text": "t"}, "non entrambi"),
        ({"reference": None}, "non entrambi"),
        ({"reference": "RF19539007547034"}, "cifre di controllo"),
        ({"iban": "IT60X0542811101000000123457"}, "IBAN"),
        ({"bic": "BHBL"}, "BIC"),
        ({"amount": Decimal("0")}, "maggiore di zero"),
        ({"amount": Decimal("1000000000")}, "999.999.999,99"),
        ({"amount": Decimal("1.001")}, "frazioni di centesimo"),
    ],
)
def test_epc_refusals(kwargs: dict[str, object], words: str) -> None:
    arguments: dict[str, object] = {"name": "A", "iban": IBAN, "amount": Decimal("1"), "reference": SAMPLE_RF}
    arguments.update(kwargs)
    with pytest.raises(InvalidInput, match=words):
        epc_qr_payload(**arguments)  # type: ignore[arg-type]


def test_epc_payload_limit_is_331_bytes() -> None:
    longest_ascii = epc_qr_payload("N" * 70, IBAN, Decimal("999999999.99"), text="t" * 140, bic="BHBLDEHHXXX")
    assert len(longest_ascii.encode()) <= 331
    assert qr_matrix(longest_ascii).version <= 13
    with pytest.raises(InvalidInput, match="331"):
        epc_qr_payload("è" * 70, IBAN, Decimal("1"), text="è" * 140)


def test_epc_payload_and_matrix_match_segno_helper() -> None:
    payload = epc_qr_payload("Consorzio Città", IBAN, Decimal("1234.50"), reference=SAMPLE_RF, bic="BHBLDEHHXXX")
    theirs = segno_helpers.make_epc_qr(
        name="Consorzio Città", iban=IBAN, amount=Decimal("1234.50"), reference=SAMPLE_RF, bic="BHBLDEHHXXX",
        encoding=1,
    )  # fmt: skip
    assert qr_matrix(payload).rows == _rows_of(theirs)
    assert (qr_matrix(payload).version, theirs.error) == (theirs.version, "M")


@given(
    st.from_regex(r"[A-Za-zÀ-ÿ]{1,20}( [A-Za-zÀ-ÿ]{1,20}){0,2}", fullmatch=True),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2),
    st.from_regex(r"[A-Za-z0-9]{1,30}( [A-Za-z0-9]{1,30}){0,3}", fullmatch=True),
)
def test_epc_payload_text_matches_segno(name: str, amount: Decimal, text: str) -> None:
    make_data = getattr(segno_helpers, "_make_epc_qr_data", None)  # private: the payload text segno encodes
    if make_data is None:
        pytest.skip("this segno does not expose its EPC payload text")
    theirs = make_data(name=name, iban=IBAN, amount=amount, text=text, encoding=1).decode("utf-8")
    assert epc_qr_payload(name, IBAN, amount, text=text) == theirs


# QR matrices


def test_pagopa_qr_is_version_4_level_m() -> None:
    for amount in (Decimal("0.01"), Decimal("50"), Decimal("99999999.99")):
        matrix = qr_matrix(pagopa_qr_payload(SAMPLE_NOTICE, "12345678901", amount))
        assert (matrix.version, matrix.size, matrix.error) == (4, 33, "m")
        assert all(len(row) == 33 for row in matrix.rows)


def test_qr_matrix_is_segno_matrix_of_the_utf8_bytes() -> None:
    matrix = qr_matrix(SAMPLE_QR)
    assert matrix.rows == _rows_of(segno.make_qr(SAMPLE_QR.encode(), error="m", boost_error=False))
    # Finder pattern in the top-left corner: a 7×7 dark ring around a 3×3 dark square.
    assert matrix.rows[0][:7] == "1111111" and matrix.rows[1][:7] == "1000001" and matrix.rows[2][:7] == "1011101"
    assert qr_matrix(SAMPLE_QR, error="H").error == "h"


def test_qr_matrix_refusals() -> None:
    with pytest.raises(ValueError, match="error level"):
        qr_matrix("x", error="z")
    with pytest.raises(InvalidInput, match="Troppi dati"):
        qr_matrix("x" * 3000)


def test_qr_runs_of_a_real_code() -> None:
    matrix = qr_matrix(SAMPLE_QR)
    runs = qr_runs(matrix)
    assert runs[0] == (0, 0, 7)  # the top-left finder pattern's top edge
    assert _dark_cells(runs) == _dark_modules(matrix)
    assert len(runs) < sum(row.count("1") for row in matrix.rows)


@given(st.lists(st.text(alphabet="01", min_size=5, max_size=5), min_size=0, max_size=5))
def test_qr_runs_reproduce_exactly_the_dark_modules(rows: list[str]) -> None:
    matrix = QrMatrix(rows=tuple(rows), version=1, error="m")
    runs = qr_runs(matrix)
    assert _dark_cells(runs) == _dark_modules(matrix)
    assert sum(length for _, _, length in runs) == sum(row.count("1") for row in rows)
    # Maximal runs: two runs of a row never touch.
    for (row_a, start_a, length_a), (row_b, start_b, _) in itertools.pairwise(runs):
        assert row_a != row_b or start_a + length_a < start_b


@given(st.text(min_size=1, max_size=200))
def test_qr_runs_of_any_payload(payload: str) -> None:
    matrix = qr_matrix(payload)
    assert matrix.size == 17 + 4 * matrix.version
    assert _dark_cells(qr_runs(matrix)) == _dark_modules(matrix)


def _rows_of(code: segno.QRCode) -> tuple[str, ...]:
    return tuple("".join("1" if module else "0" for module in row) for row in code.matrix)


def _dark_modules(matrix: QrMatrix) -> set[tuple[int, int]]:
    return {(r, c) for r, row in enumerate(matrix.rows) for c, module in enumerate(row) if module == "1"}


def _dark_cells(runs: list[tuple[int, int, int]]) -> set[tuple[int, int]]:
    return {(row, column) for row, start, length in runs for column in range(start, start + length)}
