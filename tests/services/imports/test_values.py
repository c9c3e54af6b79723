"""Amounts and dates as ERPs write them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.imports import values
from app.services.imports.values import ValueProblem

cents = st.integers(min_value=-(10**13) + 1, max_value=10**13 - 1).map(lambda c: Decimal(c).scaleb(-2))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1.234,56", "1234.56"), ("€ 1.234,56", "1234.56"), ("1234.56", "1234.56"), ("1234,5", "1234.50"),
        ("1,234.56", "1234.56"), ("1.234", "1234.00"), ("1.234.567,89", "1234567.89"), ("0.5", "0.50"),
        ("  180,00 € ", "180.00"), ("-12,00", "-12.00"), ("12,00-", "-12.00"), ("(12,00)", "-12.00"),
        ("EUR 99", "99.00"), ("1 234,56", "1234.56"), (180, "180.00"), (180.0, "180.00"), (0.1 + 0.2, "0.30"),
        (1234.56, "1234.56"),
    ],
)  # fmt: skip
def test_amounts_typed_as_erps_do(typed: object, expected: str) -> None:
    assert values.amount(typed) == Decimal(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("abc", "non è un importo"), ("12,345", "più di due decimali"), (12.345, "più di due decimali"),
     ("1.2.3", "non è un importo"), ("€", "importo mancante"), (True, "non è un importo"),
     (date(2027, 1, 1), "non è un importo")],
)  # fmt: skip
def test_what_is_not_an_amount_says_why(typed: object, reason: str) -> None:
    with pytest.raises(ValueProblem, match=reason):
        values.amount(typed)  # type: ignore[arg-type]


@given(cents)
def test_italian_and_plain_text_round_trip(value: Decimal) -> None:
    whole, _, decimals = f"{abs(value):.2f}".partition(".")
    italian = f"{int(whole):,}".replace(",", ".") + "," + decimals
    sign = "-" if value < 0 else ""
    assert values.amount(sign + italian) == value
    assert values.amount(f"{value:.2f}") == value
    assert values.amount(float(value)) == value


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("31/01/2027", date(2027, 1, 31)), ("2027-01-31", date(2027, 1, 31)), ("31-01-2027", date(2027, 1, 31)),
        ("31.01.2027", date(2027, 1, 31)), ("1/2/27", date(2027, 2, 1)), ("2027-01-31 00:00:00", date(2027, 1, 31)),
        (date(2027, 1, 31), date(2027, 1, 31)), (datetime(2027, 1, 31, 10, 5), date(2027, 1, 31)),
        (46418.0, date(2027, 1, 31)), (46418, date(2027, 1, 31)),
    ],
)  # fmt: skip
def test_dates_typed_as_erps_do(typed: object, expected: date) -> None:
    assert values.day(typed) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("31/02/2027", "data inesistente"), ("domani", "non è una data"), ("13/13/2027", "data inesistente"),
     ("01/01/1850", "fuori dall'intervallo"), (-5, "non è una data"), (True, "non è una data")],
)  # fmt: skip
def test_what_is_not_a_date_says_why(typed: object, reason: str) -> None:
    with pytest.raises(ValueProblem, match=reason):
        values.day(typed)  # type: ignore[arg-type]


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2199, 12, 31)))
def test_every_date_round_trips_through_its_text_forms(value: date) -> None:
    assert values.day(value.strftime("%d/%m/%Y")) == value
    assert values.day(value.isoformat()) == value


def test_text_drops_the_float_of_a_number_typed_as_a_number() -> None:
    assert values.text(123.0) == "123"
    assert values.text("  FT 1 ") == "FT 1"
    assert values.text("   ") is None
    assert values.text("=SOMMA(A1)") == "=SOMMA(A1)"
    assert values.text(date(2027, 1, 31)) == "31/01/2027"
