"""Text for printed notices: Italian money and dates, printable characters, wrapping that stays in its box."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.models.enums import NoticeKind
from app.services.errors import InvalidInput
from app.services.notices.pdf_text import (
    UNASSIGNED,
    fit,
    format_date,
    format_money,
    format_timestamp,
    group,
    paragraph_text,
    printable,
    printable_code,
    truncate,
    wrap,
)


@pytest.mark.parametrize(
    ("amount", "printed"),
    [
        ("0", "0,00 €"),
        ("5", "5,00 €"),
        ("12.5", "12,50 €"),
        ("999.99", "999,99 €"),
        ("1234.56", "1.234,56 €"),
        ("1234567.8", "1.234.567,80 €"),
        ("-1234.56", "-1.234,56 €"),
    ],
)
def test_money_is_printed_the_italian_way(amount: str, printed: str) -> None:
    assert format_money(Decimal(amount)) == printed


def test_money_is_never_rounded_while_printing() -> None:
    with pytest.raises(ValueError, match="more than two decimals"):
        format_money(Decimal("10.005"))


def test_money_is_never_a_float() -> None:
    with pytest.raises(TypeError):
        format_money(12.5)  # type: ignore[arg-type]


def test_dates_and_timestamps_are_italian() -> None:
    assert format_date(date(2027, 1, 31)) == "31/01/2027"
    # 23:30 UTC on 31 July is already 1 August in Rome (summer time, UTC+2).
    assert format_timestamp(datetime(2026, 7, 31, 23, 30, tzinfo=UTC)) == "01/08/2026 alle 01:30"
    with pytest.raises(ValueError):
        format_timestamp(datetime(2026, 7, 31, 23, 30))


def test_grouping_by_four() -> None:
    assert group("IT60X0542811101000000123456") == "IT60 X054 2811 1010 0000 0123 456"
    assert group("IT60 X054 2811") == "IT60 X054 2811"


def test_codes_are_printed_in_their_standard_spelling() -> None:
    assert printable_code(NoticeKind.PAGOPA, "001340000013900808") == "0013 4000 0013 9008 08"
    assert printable_code(NoticeKind.TRANSFER, "rf18539007547034") == "RF18 5390 0754 7034"
    assert printable_code(NoticeKind.MAV, "000012345678") == "000012345678"
    assert printable_code(NoticeKind.MAV, None) == UNASSIGNED
    with pytest.raises(InvalidInput):
        printable_code(NoticeKind.PAGOPA, "001340000013900809")


def test_printable_keeps_italian_and_flattens_the_rest() -> None:
    assert printable("Perché più: 1.000 € – «così» l’altro") == "Perché più: 1.000 € – «così» l’altro"
    assert printable("Rossi & Figli <S.r.l.>") == "Rossi & Figli <S.r.l.>"
    assert (
        printable("Antonín Dvořák, Łódź, Ștefan") == "Antonín Dvorák, Lódz, Stefan"
    )  # í, á, ó print; ř, Ł, ź, Ș do not
    assert printable("李 Wei") == "? Wei"
    assert printable("due\nrighe\tqui") == "due righe qui"


def test_paragraph_text_escapes_markup() -> None:
    assert paragraph_text("Rossi & Figli <S.r.l.>\nriga due") == "Rossi &amp; Figli &lt;S.r.l.&gt;<br/>riga due"


@given(st.text(alphabet=st.characters(codec="cp1252"), max_size=300), st.floats(min_value=20, max_value=400))
def test_wrapped_lines_fit_their_width(text: str, width: float) -> None:
    lines = wrap(text, "Helvetica", 9, width)
    assert all(stringWidth(line, "Helvetica", 9) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == printable(text).replace(" ", "")


def test_fit_wraps_then_shrinks_then_cuts() -> None:
    name = "Condominio Residenza Parco dei Tigli Scala B Amministrazione Straordinaria"
    assert fit("Rossi Mario", "Helvetica-Bold", 10, 200, 2, 8).lines == ("Rossi Mario",)
    two_lines = fit(name, "Helvetica-Bold", 10, 200, 2, 8)
    assert len(two_lines.lines) == 2 and two_lines.size == 10
    shrunk = fit(name, "Helvetica-Bold", 10, 160, 2, 7)
    assert len(shrunk.lines) == 2 and shrunk.size < 10
    cut = fit(name * 3, "Helvetica-Bold", 10, 160, 2, 8)
    assert len(cut.lines) == 2 and cut.size == 8 and cut.lines[-1].endswith("…")
    assert all(stringWidth(line, "Helvetica-Bold", cut.size) <= 160 for line in cut.lines)


def test_truncate_cuts_with_an_ellipsis_only_when_needed() -> None:
    assert truncate("breve", "Helvetica", 9, 100) == "breve"
    long = truncate("una descrizione davvero troppo lunga per la colonna", "Helvetica", 9, 80)
    assert long.endswith("…") and stringWidth(long, "Helvetica", 9) <= 80
