"""Fixed-width record helpers: transliteration, safe truncation, numbers that never lose digits, positions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.bank import cbi_mav_layouts as layouts
from app.services.bank import cbi_records as rec
from app.services.bank.cbi_records import Align, Field, FieldKind, FieldOverflow, RecordLayout


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("àèéìòù ÀÈÉÌÒÙ", "AEEIOU AEEIOU"),
        ("Niccolò Müller", "NICCOLO MULLER"),
        ("Peña", "PENA"),
        ("Straße", "STRASSE"),
        ("Œuvre Æsir Øst Łódź", "OEUVRE AESIR OST LODZ"),
        ("“Il Gabbiano” l’ape", '"IL GABBIANO" L\'APE'),
        ("«Sole» – luna — mare", '"SOLE" - LUNA - MARE'),
        ("10 €", "10 EUR"),
        ("e\u0301", "E"),  # already decomposed: the mark goes, the letter stays
        ("ﬁne", "FINE"),
        ("tab\there\x7f", "TAB HERE "),
        ("ok 😀 α 中", "OK" + " " * 6),  # one blank for each character with no ASCII spelling
        ("non\u00a0breaking", "NON BREAKING"),
    ],
)
def test_text_is_transliterated_to_upper_case_ascii(raw: str, expected: str) -> None:
    assert rec.to_cbi_text(raw) == expected


@given(st.text(), st.integers(min_value=1, max_value=80))
def test_fitted_text_is_printable_ascii_within_its_width(raw: str, width: int) -> None:
    fitted = rec.fit_text(raw, width)
    assert len(fitted) <= width
    assert fitted.isascii() and fitted.isprintable()
    assert fitted == fitted.strip() and fitted == fitted.upper()


@given(st.text())
def test_blank_text_is_what_fits_as_nothing(raw: str) -> None:
    assert rec.is_blank_text(raw) == (rec.fit_text(raw, 120) == "")


def test_text_expanding_on_transliteration_is_cut_at_the_field_end() -> None:
    # ß becomes two letters: the cut happens after transliteration, so the field still holds 5.
    assert rec.fit_text("ßßßßß", 5) == "SSSSS"
    assert rec.fit_text("  Mario Rossi  ", 30) == "MARIO ROSSI"


@pytest.mark.parametrize(
    ("raw", "width", "parts", "expected"),
    [
        ("Contributo di bonifica 2026 rata unica", 20, 2, ("CONTRIBUTO DI", "BONIFICA 2026 RATA")),
        ("corto", 40, 2, ("CORTO",)),
        ("", 40, 2, ()),
        ("Parolaccialunghissimaoltrelalinea e poi", 10, 3, ("PAROLACCIA", "E POI")),
        ("uno due tre quattro cinque", 7, 2, ("UNO DUE", "TRE")),
    ],
)
def test_split_text_breaks_at_blanks(raw: str, width: int, parts: int, expected: tuple[str, ...]) -> None:
    assert rec.split_text(raw, width, parts) == expected


def test_dates_are_ddmmyy() -> None:
    assert rec.ddmmyy(date(2026, 3, 5)) == "050326"
    assert rec.parse_ddmmyy("310323") == date(2023, 3, 31)
    for bad in ("310223", "      ", "3103AB", "0101"):
        with pytest.raises(ValueError):
            rec.parse_ddmmyy(bad)


def test_euro_is_written_the_italian_way() -> None:
    assert rec.euro(Decimal("1234567.5")) == "1.234.567,50 €"
    assert rec.euro(661062) == "6.610,62 €"


_LAYOUT = RecordLayout(
    "99",
    [
        Field("number", "numero", 4, 10, FieldKind.NUMBER),
        Field("name", "nome", 11, 20),
        Field("code", "codice", 21, 25, FieldKind.CODE),
        Field("right", "a destra", 26, 30, FieldKind.TEXT, Align.RIGHT),
        Field("blank_number", "numero senza zeri", 31, 35, FieldKind.NUMBER, pad=" "),
        Field("tail", "coda", 120, 120, FieldKind.CODE),
    ],
)


def test_fields_are_written_at_their_positions() -> None:
    record = _LAYOUT.render(42, "Mario", "AB1", "xy", 7, "E")
    assert len(record) == 120
    assert record[0:3] == " 99"
    assert record[3:10] == "0000042"
    assert record[10:20] == "MARIO     "
    assert record[20:25] == "AB1  "
    assert record[25:30] == "   XY"
    assert record[30:35] == "    7"
    assert record[35:119] == " " * 84
    assert record[119] == "E"
    assert _LAYOUT.read(record, "name") == "MARIO     "


def test_a_long_text_is_cut_and_never_shifts_the_next_field() -> None:
    record = _LAYOUT.render(1, "Bartolomeo Eustachio Pierluigi", "Z9", "", 0, "E")
    assert record[10:20] == "BARTOLOMEO"
    assert record[20:25] == "Z9   "
    assert len(record) == 120


@pytest.mark.parametrize(
    ("values", "label", "problem"),
    [
        ((12345678, "", "", "", 0, ""), "numero", "al massimo 7 cifre"),
        ((-1, "", "", "", 0, ""), "numero", "non può essere negativo"),
        ((1, "", "ABCDEF", "", 0, ""), "codice", "al massimo 5 caratteri"),
        ((1, "", "ÀB", "", 0, ""), "codice", "solo lettere, cifre e segni ASCII"),
        ((1, "", "", "", 123456, ""), "numero senza zeri", "al massimo 5 cifre"),
    ],
)
def test_numbers_and_codes_that_do_not_fit_are_refused(values: tuple[object, ...], label: str, problem: str) -> None:
    with pytest.raises(FieldOverflow) as caught:
        _LAYOUT.render(*values)
    assert caught.value.field.label == label
    assert f"«{label}»" in str(caught.value) and problem in str(caught.value)


def test_template_leaves_placeholders_and_escapes_fixed_text() -> None:
    template = _LAYOUT.template(name="100% puro", code="X", right="", blank_number=5, tail="E")
    record = template % {"number": _LAYOUT.formatter("number")(3)}
    assert record == _LAYOUT.render(3, "100% puro", "X", "", 5, "E")
    with pytest.raises(KeyError):
        _LAYOUT.template(nonexistent="x")


def test_overlapping_fields_are_refused_when_the_layout_is_made() -> None:
    with pytest.raises(ValueError, match="overlaps"):
        RecordLayout("98", [Field("a", "a", 4, 10), Field("b", "b", 10, 12)])
    with pytest.raises(ValueError, match="overflows"):
        RecordLayout("98", [Field("a", "a", 100, 121)])


_LAYOUTS = [
    layouts.IM,
    layouts.IB,
    layouts.EF,
    layouts.R14,
    layouts.R14_RETURN,
    layouts.R16,
    layouts.R20,
    layouts.R30,
    layouts.R40,
    layouts.R50,
]
_LAYOUTS += [layouts.R51, layouts.R51_RETURN, layouts.R59, layouts.R70]


@pytest.mark.parametrize("layout", _LAYOUTS, ids=lambda layout: f"{layout.record_type}-{len(layout.fields)}")
def test_every_record_is_120_characters_with_its_type_at_2_3(layout: RecordLayout) -> None:
    empty = {FieldKind.NUMBER: 0, FieldKind.CODE: "", FieldKind.TEXT: ""}
    record = layout.render(*(empty[field.kind] for field in layout.fields))
    assert len(record) == 120
    assert record[0] == " " and record[1:3] == layout.record_type


# The specification's table, written out again by hand: the layouts must agree with it position by position.
_SPEC = {
    ("IM", "sender"): (4, 8), ("IM", "receiver"): (9, 13), ("IM", "created_on"): (14, 19),
    ("IM", "support_name"): (20, 39), ("IM", "flow_type"): (105, 105), ("IM", "flow_qualifier"): (106, 106),
    ("IM", "vehicle"): (107, 111), ("IM", "currency"): (114, 114),
    ("EF", "disposition_count"): (46, 52), ("EF", "negative_total"): (53, 67),
    ("EF", "positive_total"): (68, 82), ("EF", "record_count"): (83, 89), ("EF", "currency"): (114, 114),
    ("14", "progressive"): (4, 10), ("14", "due_date"): (23, 28), ("14", "causale"): (29, 33),
    ("14", "amount"): (34, 46), ("14", "sign"): (47, 47), ("14", "bank_abi"): (48, 52),
    ("14", "bank_cab"): (53, 57), ("14", "account"): (58, 69), ("14", "creditor_sia"): (92, 96),
    ("14", "debtor_code_type"): (97, 97), ("14", "debtor_code"): (98, 113), ("14", "currency"): (120, 120),
    ("16", "country"): (11, 12), ("16", "check_digits"): (13, 14), ("16", "cin"): (15, 15),
    ("16", "abi"): (16, 20), ("16", "cab"): (21, 25), ("16", "account"): (26, 37),
    ("20", "creditor_1"): (11, 34), ("20", "creditor_2"): (35, 58), ("20", "creditor_3"): (59, 82),
    ("20", "creditor_4"): (83, 106),
    ("30", "debtor_name"): (11, 70), ("30", "tax_code"): (71, 86),
    ("40", "address"): (11, 40), ("40", "postcode"): (41, 45), ("40", "town"): (46, 70),
    ("40", "address_extra"): (71, 98), ("40", "country"): (99, 100),
    ("50", "reason_1"): (11, 50), ("50", "reason_2"): (51, 90),
    ("51", "reference"): (11, 20), ("51", "mav_code"): (75, 86),
    ("59", "slip_text_1"): (11, 65), ("59", "slip_text_2"): (66, 120),
    ("70", "slip_type"): (94, 94), ("70", "control_keys"): (101, 120),
}  # fmt: skip
_SPEC |= {("EF", name): _SPEC[("IM", name)] for name in ("sender", "receiver", "created_on", "support_name")}
_SPEC |= {(kind, "progressive"): (4, 10) for kind in ("16", "20", "30", "40", "50", "51", "59", "70")}
_SPEC_RETURN = {
    ("14", "bank_abi"): (48, 52), ("14", "bank_cab"): (53, 57), ("14", "assuntrice_abi"): (70, 74),
    ("14", "assuntrice_cab"): (75, 79), ("14", "assuntrice_account"): (80, 91),
    ("51", "fees"): (87, 91), ("51", "value_date"): (92, 97), ("51", "bank_reference"): (98, 109),
    ("51", "payment_date"): (110, 115),
}  # fmt: skip


def test_layouts_match_the_specification() -> None:
    dispatch = [
        layouts.IM,
        layouts.EF,
        layouts.R14,
        layouts.R16,
        layouts.R20,
        layouts.R30,
        layouts.R40,
        layouts.R50,
        layouts.R51,
        layouts.R59,
        layouts.R70,
    ]
    found = {(layout.record_type, f.name): (f.start, f.end) for layout in dispatch for f in layout.fields}
    assert found == _SPEC
    returned = {
        (layout.record_type, f.name): (f.start, f.end)
        for layout in (layouts.R14_RETURN, layouts.R51_RETURN)
        for f in layout.fields
        if (layout.record_type, f.name) in _SPEC_RETURN
    }
    assert returned == _SPEC_RETURN
    assert [(f.start, f.end) for f in layouts.IB.fields] == [(f.start, f.end) for f in layouts.IM.fields]
