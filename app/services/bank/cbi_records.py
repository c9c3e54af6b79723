"""Fixed-width CBI records: fields placed by position, text made plain upper-case ASCII as CBI generators do."""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from app.services.errors import InvalidInput

RECORD_LENGTH = 120

# What NFKD leaves whole: letters that are not a base letter plus a mark, and typographic signs.
_SPECIAL = str.maketrans(
    {
        "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "đ": "d",
        "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ı": "i", "ħ": "h", "Ħ": "H",
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "‹": "'", "›": "'", "“": '"', "”": '"', "„": '"',
        "‟": '"', "″": '"', "«": '"', "»": '"', "‐": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
        "•": "-", "·": ".", "×": "x", "€": "EUR",
    }
)  # fmt: skip


class _CbiCharacters(dict[int, str]):
    """str.translate table from any character to its CBI spelling, filled on first sight of a character."""

    def __missing__(self, code: int) -> str:
        plain = unicodedata.normalize("NFKD", chr(code)).translate(_SPECIAL)
        spelt = "".join(char if " " <= char <= "~" else ("" if unicodedata.combining(char) else " ") for char in plain)
        if len(self) < 20_000:  # hostile text must not grow the table without bound
            self[code] = spelt
        return spelt


_TO_CBI = _CbiCharacters({code: chr(code) if 32 <= code < 127 else " " for code in range(128)})


def to_cbi_text(value: str) -> str:
    """Return `value` as CBI text: accents dropped, a few letters spelt out, upper case, every other character
    outside printable ASCII a blank. The result may be longer than `value` (ß → SS, € → EUR)."""
    if value.isascii() and value.isprintable():
        return value.upper()
    return value.translate(_TO_CBI).upper()


def fit_text(value: str, width: int) -> str:
    """Return what a text field of `width` characters holds for `value`: CBI text, trimmed, cut at the width.

    The result never exceeds `width`, so a long value can never push the fields after it."""
    return to_cbi_text(value).strip()[:width].rstrip()


def is_blank_text(value: str) -> bool:
    """Whether a text field written with `value` would hold only blanks (empty, spaces, symbols with no ASCII
    spelling)."""
    if value.isascii() and value.isprintable():
        return not value.strip()
    return not to_cbi_text(value).strip()


def split_text(value: str, width: int, parts: int) -> tuple[str, ...]:
    """Break `value` into at most `parts` lines of CBI text of at most `width` characters, at blanks where it
    can; a word longer than a line is cut, and what does not fit in the last line is dropped."""
    lines: list[str] = []
    current = ""
    for word in to_cbi_text(value).split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word[:width]
    if current:
        lines.append(current)
    return tuple(lines[:parts])


def euro(amount: Decimal | int) -> str:
    """Return an amount the Italian way for messages (1.234,50 €); an int is taken as cents."""
    value = Decimal(amount).scaleb(-2) if isinstance(amount, int) else amount
    return f"{value:,.2f} €".replace(",", "_").replace(".", ",").replace("_", ".")


def ddmmyy(day: date) -> str:
    """Return `day` as CBI writes dates: DDMMYY."""
    return f"{day.day:02d}{day.month:02d}{day.year % 100:02d}"


def parse_ddmmyy(text: str) -> date:
    """Return the date a DDMMYY field holds (years 2000-2099); ValueError if it is not a calendar date."""
    if len(text) != 6 or not text.isdigit():
        raise ValueError(text)
    return date(2000 + int(text[4:6]), int(text[2:4]), int(text[0:2]))


class FieldKind(Enum):
    """How a field's value is turned into characters."""

    TEXT = "text"  # free text: transliterated, upper-cased, cut at the field's end
    CODE = "code"  # an identifier written as given: refused, never cut, when too long
    NUMBER = "number"  # a non-negative integer: refused, never cut, when too long


class Align(Enum):
    """Which side of the field the value sits on."""

    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a record: 1-based inclusive positions as the CBI specification gives them."""

    name: str
    label: str  # the Italian name a clerk reads in a message
    start: int
    end: int
    kind: FieldKind = FieldKind.TEXT
    align: Align | None = None  # None: numbers right, everything else left
    pad: str | None = None  # None: numbers with zeros, everything else with blanks
    span: slice = dataclasses.field(init=False, repr=False, compare=False)  # the field's characters in a record

    def __post_init__(self) -> None:
        # Made once: readers slice 30,000 records by it.
        object.__setattr__(self, "span", slice(self.start - 1, self.end))

    @property
    def width(self) -> int:
        """How many characters the field holds."""
        return self.end - self.start + 1

    @property
    def positions(self) -> str:
        """Where the field is, for messages: "posizione 47", "posizioni 23-28"."""
        return f"posizione {self.start}" if self.start == self.end else f"posizioni {self.start}-{self.end}"


class FieldOverflow(InvalidInput):
    """A value that cannot be written in its field: too long, negative or not plain ASCII."""

    def __init__(self, field: Field, value: object, problem: str) -> None:
        super().__init__(f"Campo «{field.label}» ({field.positions}): il valore «{value}» {problem}.")
        self.field = field
        self.value = value
        self.problem = problem


def _justify(field: Field) -> tuple[Callable[[str, int, str], str], str]:
    number = field.kind is FieldKind.NUMBER
    pad = field.pad if field.pad is not None else ("0" if number else " ")
    right = field.align is Align.RIGHT if field.align is not None else number
    return (str.rjust if right else str.ljust), pad


# One closure per field, built once: writing 240,000 records must not look up the field's settings each time.
def _text_writer(field: Field) -> Callable[[str], str]:
    width, (justify, pad) = field.width, _justify(field)
    blank, plain = pad * width, justify is str.ljust and pad == " "

    def write_text(value: str) -> str:
        if not value:
            return blank
        if value.isascii() and value.isprintable():  # fit_text, inlined for the common case
            text = value.strip().upper()[:width]
        else:
            text = to_cbi_text(value).strip()[:width]
        return text.ljust(width) if plain else justify(text.rstrip(), width, pad)

    return write_text


def _code_writer(field: Field) -> Callable[[str], str]:
    width, (justify, pad) = field.width, _justify(field)

    def write_code(value: str) -> str:
        if len(value) > width:
            raise FieldOverflow(field, value, f"è troppo lungo: al massimo {width} caratteri")
        if not (value.isascii() and value.isprintable()):
            raise FieldOverflow(field, value, "non va bene: sono ammessi solo lettere, cifre e segni ASCII")
        return justify(value, width, pad)

    return write_code


def _number_writer(field: Field) -> Callable[[int], str]:
    width, (justify, pad) = field.width, _justify(field)

    def write_number(value: int) -> str:
        digits = str(value)
        if value < 0:
            raise FieldOverflow(field, value, "non può essere negativo")
        if len(digits) > width:
            raise FieldOverflow(field, value, f"è troppo grande: al massimo {width} cifre")
        return justify(digits, width, pad)

    return write_number


_WRITERS: dict[FieldKind, Callable[[Field], Callable[[Any], str]]] = {
    FieldKind.TEXT: _text_writer,
    FieldKind.CODE: _code_writer,
    FieldKind.NUMBER: _number_writer,
}


class RecordLayout:
    """One record type: its fields by position. Renders records of exactly 120 characters, blanks between
    fields, position 1 blank and the record type in positions 2-3."""

    def __init__(self, record_type: str, fields: Sequence[Field]) -> None:
        self.record_type = record_type
        self.fields = tuple(fields)
        self._by_name = {field.name: field for field in self.fields}
        self._template = self._build_template()
        self._formatters = tuple(_WRITERS[field.kind](field) for field in self.fields)

    def _build_template(self) -> str:
        pieces = [" ", self.record_type]
        position = 4
        for field in self.fields:
            if field.start < position or field.end < field.start or field.end > RECORD_LENGTH:
                raise ValueError(f"record {self.record_type}: field {field.name} overlaps or overflows")
            pieces.append(" " * (field.start - position) + "{}")
            position = field.end + 1
        pieces.append(" " * (RECORD_LENGTH + 1 - position))
        return "".join(pieces)

    @property
    def names(self) -> tuple[str, ...]:
        """The field names in the order `render` takes their values."""
        return tuple(field.name for field in self.fields)

    def field(self, name: str) -> Field:
        """The field called `name`; KeyError if the record has none."""
        return self._by_name[name]

    def read(self, record: str, name: str) -> str:
        """The raw characters of field `name` in `record`, padding included."""
        return record[self._by_name[name].span]

    def formatter(self, name: str) -> Callable[[Any], str]:
        """The function that turns a value of field `name` into exactly its width of characters."""
        return self._formatters[self.fields.index(self._by_name[name])]

    def template(self, **fixed: Any) -> str:
        """A printf-style template of the record (for `template % values`): the `fixed` fields written in,
        every other field left as a `%(name)s` placeholder for what `formatter(name)` makes of its value."""
        unknown = set(fixed) - set(self._by_name)
        if unknown:
            raise KeyError(f"record {self.record_type} has no field {sorted(unknown)}")
        values = [
            write(fixed[field.name]).replace("%", "%%") if field.name in fixed else f"%({field.name})s"
            for field, write in zip(self.fields, self._formatters, strict=True)
        ]
        return self._template.format(*values)

    def render(self, *values: Any) -> str:
        """Return the record holding `values`, one per field in `names` order; FieldOverflow for a value
        that does not fit (text is cut instead)."""
        return self._template.format(*[write(value) for write, value in zip(self._formatters, values, strict=True)])
