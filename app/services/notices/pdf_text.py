"""Text for printed notices: Italian money and dates, text the standard PDF fonts can show, wrapping that fits."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth

from app.models.enums import NoticeKind
from app.models.types import ROME
from app.services.notices.codes import format_rf_reference, group_notice_number

_CENT = Decimal("0.01")
ELLIPSIS = "…"
UNASSIGNED = "da assegnare"

# Letters that NFKD does not decompose into a base letter plus accents; the rest of Central and Eastern
# Europe (ř, ș, ő, ą…) decomposes and keeps its base letter.
_TRANSLITERATIONS = str.maketrans(
    {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Ŀ": "L", "ŀ": "l", "ĸ": "k"}
)


def format_money(amount: Decimal) -> str:
    """``Decimal("1234.5")`` → ``"1.234,50 €"``: Italian grouping and decimal comma, never rounded.

    Raises ``ValueError`` for an amount with more than two decimals: money is rounded where the law or the bank
    says, never silently while printing.
    """
    if not isinstance(amount, Decimal):
        raise TypeError(f"amounts are Decimal, not {type(amount).__name__}")
    cents = amount.quantize(_CENT)
    if cents != amount:
        raise ValueError(f"amount {amount} has more than two decimals")
    sign = "-" if cents < 0 else ""
    units, _, decimals = f"{abs(cents):.2f}".partition(".")
    grouped = f"{int(units):,}".replace(",", ".")
    return f"{sign}{grouped},{decimals} €"


def format_date(day: date) -> str:
    """``date(2027, 1, 31)`` → ``"31/01/2027"``."""
    return day.strftime("%d/%m/%Y")


def format_timestamp(moment: datetime) -> str:
    """A timezone-aware moment as Italian clerks read it: ``"23/11/2026 alle 14:05"``, Europe/Rome time."""
    if moment.tzinfo is None:
        raise ValueError("timestamps are timezone-aware")
    local = moment.astimezone(ROME)
    return f"{format_date(local.date())} alle {local:%H:%M}"


def group(text: str, size: int = 4) -> str:
    """``"IT60X0542811101000000123456"`` → ``"IT60 X054 2811 1010 0000 0123 456"``, spaces removed first."""
    compact = "".join(text.split())
    return " ".join(compact[start : start + size] for start in range(0, len(compact), size))


def printable_code(kind: NoticeKind, code: str | None) -> str:
    """The payment code as printed: MAV code as issued, pagoPA notice number and RF reference in groups of four,
    "da assegnare" for a draft. Raises InvalidInput for a malformed pagoPA number or RF reference."""
    if code is None:
        return UNASSIGNED
    if kind is NoticeKind.PAGOPA:
        return group_notice_number(code)
    if kind is NoticeKind.TRANSFER:
        return format_rf_reference(code)
    return code


def printable(text: str) -> str:
    """``text`` as the standard PDF fonts (Windows-1252) can show it, on one line.

    Italian and Western European text is unchanged. Other Latin letters lose their accents (Dvořák → Dvorak),
    anything else becomes "?": without this they would print as black boxes.
    """
    flat = " ".join(text.split())
    try:
        flat.encode("cp1252")
    except UnicodeEncodeError:
        return "".join(_printable_char(char) for char in flat.translate(_TRANSLITERATIONS))
    return flat


def _printable_char(char: str) -> str:
    try:
        char.encode("cp1252")
        return char
    except UnicodeEncodeError:
        base = "".join(part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part))
        try:
            return base.encode("cp1252").decode("cp1252") or "?"
        except UnicodeEncodeError:
            return "?"


def paragraph_text(text: str) -> str:
    """User text made safe for a reportlab ``Paragraph``: markup characters escaped, line breaks kept.

    The notice itself draws text with canvas calls, which never read markup; this is for any Platypus use.
    """
    return "<br/>".join(escape(printable(line)) for line in text.splitlines())


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points; a word longer than a line is cut."""
    space = stringWidth(" ", font, size)
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    # Each word is measured once: measuring the growing line at every word made wrapping quadratic.
    for word in printable(text).split(" "):
        word_width = stringWidth(word, font, size)
        if current and used + space + word_width <= width:
            current.append(word)
            used += space + word_width
            continue
        if current:
            lines.append(" ".join(current))
        while word_width > width and len(word) > 1:
            cut = _longest_prefix(word, font, size, width)
            lines.append(word[:cut])
            word = word[cut:]
            word_width = stringWidth(word, font, size)
        current, used = [word], word_width
    lines.append(" ".join(current))
    return lines


def _longest_prefix(text: str, font: str, size: float, width: float, suffix: str = "") -> int:
    """The most characters of ``text`` that, followed by ``suffix``, fit in ``width`` (at least 1)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle] + suffix, font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return low


@dataclass(frozen=True, slots=True)
class FittedText:
    """Lines to draw at ``size`` points, each within the width they were fitted to."""

    lines: tuple[str, ...]
    size: float


def fit(text: str, font: str, size: float, width: float, max_lines: int, min_size: float) -> FittedText:
    """``text`` in at most ``max_lines`` lines of ``width``: wrapped, then shrunk down to ``min_size``, then cut
    with an ellipsis. Whatever the text, the result stays inside its box."""
    current = size
    while True:
        lines = wrap(text, font, current, width)
        if len(lines) <= max_lines:
            return FittedText(tuple(lines), current)
        if current - 0.5 < min_size:
            break
        current -= 0.5
    kept = lines[:max_lines]
    kept[-1] = truncate(f"{kept[-1]} {lines[max_lines]}", font, current, width)
    return FittedText(tuple(kept), current)


def truncate(text: str, font: str, size: float, width: float) -> str:
    """``text`` on one line of ``width`` points, cut with an ellipsis when it does not fit."""
    flat = printable(text)
    if stringWidth(flat, font, size) <= width:
        return flat
    cut = _longest_prefix(flat, font, size, width, ELLIPSIS)
    return flat[:cut].rstrip() + ELLIPSIS
