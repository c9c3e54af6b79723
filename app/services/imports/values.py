"""Cell values as ERPs write them — typed or as text, Italian or English — turned into dates, amounts and text.

Each parser returns the value or raises :class:`ValueProblem` whose message says, in Italian, what is wrong;
the caller adds file, sheet, row and column.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from app.services.imports.types import CellValue

CENT = Decimal("0.01")
_FLOAT_NOISE = Decimal("0.000001")
_TOO_BIG = Decimal("1000000000000")  # what a NUMERIC(14, 2) holds
# Excel counts days from 1899-12-30 (its 1900 leap-year bug included); a plain number in a date column is one.
_EXCEL_EPOCH = date(1899, 12, 30)
_FIRST_YEAR, _LAST_YEAR = 1900, 2199
_CURRENCY = re.compile(r"€|\beur(?:o)?\b|\s|\u00a0|\u202f|'", re.IGNORECASE)
_IT_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_EN_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLAIN_COMMA = re.compile(r"^\d+,\d+$")
_PLAIN_DOT = re.compile(r"^\d+(?:\.\d+)?$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


class ValueProblem(ValueError):
    """A cell whose value cannot be used; the message says why in Italian."""


def text(value: CellValue) -> str | None:
    """The cell as trimmed text, None when blank; integral numbers lose their ``.0`` (123.0 → "123")."""
    if value is None:
        return None
    if type(value) is str:
        stripped = value.strip()
        return stripped or None
    if type(value) is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != datetime.min.time() else value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def amount(value: CellValue) -> Decimal:
    """An amount in euro, exact to the cent, from a number or text like ``1.234,56``, ``€ 1.234,56``, ``1234.56``.

    Negative amounts are returned as such (the caller decides whether they are allowed); more than two
    decimals is a problem, except the binary noise of a spreadsheet's float (0.1 + 0.2).
    """
    kind = type(value)
    if kind is int:
        return _cents(Decimal(value), value)  # type: ignore[arg-type]
    if kind is float:
        return _cents(Decimal(repr(value)), value)
    if kind is not str:
        raise ValueProblem("non è un importo")
    assert isinstance(value, str)
    return _cents(_decimal_from_text(value), value)


def _cents(number: Decimal, original: CellValue) -> Decimal:
    if not number.is_finite():
        raise ValueProblem("non è un importo")
    if abs(number) >= _TOO_BIG:
        raise ValueProblem("importo troppo grande")
    rounded = number.quantize(CENT, rounding=ROUND_HALF_EVEN)
    if abs(rounded - number) > _FLOAT_NOISE:
        raise ValueProblem("importo con più di due decimali")
    return rounded


def _decimal_from_text(raw: str) -> Decimal:
    cleaned = _CURRENCY.sub("", raw)
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if cleaned.startswith(("-", "−")):
        negative, cleaned = True, cleaned[1:]
    elif cleaned.endswith("-"):
        negative, cleaned = True, cleaned[:-1]
    elif cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if not cleaned:
        raise ValueProblem("importo mancante")
    number = _normalise_separators(cleaned)
    try:
        parsed = Decimal(number)
    except InvalidOperation:
        raise ValueProblem("non è un importo (atteso ad esempio 1.234,56)") from None
    return -parsed if negative else parsed


def _normalise_separators(cleaned: str) -> str:
    if _PLAIN_DOT.match(cleaned):
        # "1.234" is how Italians write one thousand two hundred thirty-four; "1.5" and "1234.56" are decimals.
        head, _, tail = cleaned.partition(".")
        if tail and len(tail) == 3 and 1 <= len(head) <= 3 and not head.startswith("0"):
            return head + tail
        return cleaned
    if _PLAIN_COMMA.match(cleaned):
        return cleaned.replace(",", ".")
    if _IT_GROUPED.match(cleaned):
        return cleaned.replace(".", "").replace(",", ".")
    if _EN_GROUPED.match(cleaned):
        return cleaned.replace(",", "")
    raise ValueProblem("non è un importo (atteso ad esempio 1.234,56)")


def day(value: CellValue) -> date:
    """A date from a spreadsheet date, an Excel day number, or text like ``31/01/2027`` or ``2027-01-31``."""
    if isinstance(value, datetime):
        return _plausible(value.date())
    if isinstance(value, date):
        return _plausible(value)
    kind = type(value)
    if kind is float or kind is int:
        assert isinstance(value, int | float)
        serial = int(value)  # a fraction is the time of day
        if 1 <= serial <= 109_574:  # 2199-12-31
            return _plausible(_EXCEL_EPOCH + timedelta(days=serial))
        raise ValueProblem("non è una data")
    if kind is not str:
        raise ValueProblem("non è una data")
    assert isinstance(value, str)
    return _day_from_text(value.strip())


def _day_from_text(raw: str) -> date:
    match = _DMY.match(raw)
    if match:
        d, m, y = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            y += 2000
        return _make_date(y, m, d)
    match = _YMD.match(raw)
    if match:
        y, m, d = (int(part) for part in match.groups())
        return _make_date(y, m, d)
    raise ValueProblem("non è una data (attesa ad esempio 31/01/2027)")


def _make_date(year: int, month: int, day_of_month: int) -> date:
    try:
        made = date(year, month, day_of_month)
    except ValueError:
        raise ValueProblem("data inesistente") from None
    return _plausible(made)


def _plausible(value: date) -> date:
    if not _FIRST_YEAR <= value.year <= _LAST_YEAR:
        raise ValueProblem(f"anno {value.year} fuori dall'intervallo ammesso")
    return value


def whole_number(value: CellValue) -> int:
    """A positive whole number such as an instalment number, from a number or text."""
    if isinstance(value, bool):
        raise ValueProblem("non è un numero intero positivo")
    if isinstance(value, int) and value > 0:
        return value
    if isinstance(value, float) and value.is_integer() and value > 0:
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and int(value) > 0:
        return int(value)
    raise ValueProblem("non è un numero intero positivo")
