"""The frame of a CBI flow, MAV or Ri.Ba.: 120-character ASCII records, the header first and EF last, each
disposition's records in order under one progressive number, and EF counts and totals that match the body.

A fault raises `UnreadableCbiFlow` (an `UnreadableFile`) naming the file, the line and, where there is one,
the field and its positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from app.services.bank import cbi_mav_layouts as rec
from app.services.bank.cbi_records import RECORD_LENGTH, Field, euro, parse_ddmmyy
from app.services.errors import UnreadableFile


class UnreadableCbiFlow(UnreadableFile):
    """A CBI flow refused whole; the message names the file, the line and the field."""

    def __init__(self, file_name: str, line_number: int, problem: str, field: Field | None = None) -> None:
        where = f"riga {line_number}"
        if field is not None:
            where += f", campo «{field.label}» ({field.positions})"
        super().__init__(
            f"Il file «{file_name}» non è un flusso CBI valido e non è stato letto. {where[0].upper()}{where[1:]}: "
            f"{problem}."
        )
        self.file_name = file_name
        self.line_number = line_number
        self.field = field


class FlowKind(Enum):
    """What the header record says the flow carries."""

    MAV = "IM"
    RIBA = "IB"


# Each record type, and which may follow it inside a flow; the EF record closes the flow after a 70.
_NEXT: dict[str, frozenset[str]] = {
    "head": frozenset({"14"}),
    "14": frozenset({"16", "20"}),
    "16": frozenset({"20"}),
    "20": frozenset({"30"}),
    "30": frozenset({"40"}),
    "40": frozenset({"50"}),
    "50": frozenset({"51"}),
    "51": frozenset({"59", "70"}),
    "59": frozenset({"70"}),
    "70": frozenset({"14"}),
}
_KNOWN_TYPES = {*_NEXT, "IM", "IB", "EF"} - {"head"}
_RECORD_TYPE = Field("record_type", "tipo record", 2, 3)
_PROGRESSIVE = rec.R14.field("progressive")
_AMOUNT = rec.R14.field("amount")
_SIGN = rec.R14.field("sign")


@dataclass(frozen=True, slots=True)
class FlowSummary:
    """What the structure of a flow adds up to, amounts in cents."""

    kind: FlowKind
    disposition_count: int
    record_count: int
    negative_total: int
    positive_total: int


_DISPATCH_LAYOUTS = {
    layout.record_type: layout
    for layout in (
        rec.IM,
        rec.IB,
        rec.EF,
        rec.R14,
        rec.R16,
        rec.R20,
        rec.R30,
        rec.R40,
        rec.R50,
        rec.R51,
        rec.R59,
        rec.R70,
    )
}


def _refuse_non_ascii(data: bytes, file_name: str) -> None:
    position = next(index for index, byte in enumerate(data) if byte > 127)
    start = data.rfind(b"\n", 0, position) + 1
    column = position - start + 1
    layout = _DISPATCH_LAYOUTS.get(data[start + 1 : start + 3].decode("ascii", "replace"))
    fields = [field for field in layout.fields if field.start <= column <= field.end] if layout else []
    problem = f"carattere non ASCII in posizione {column}: va traslitterato (à → A)"
    raise UnreadableCbiFlow(file_name, data.count(b"\n", 0, position) + 1, problem, fields[0] if fields else None)


def _split_records(data: bytes, file_name: str) -> list[str]:
    if not data.isascii():
        _refuse_non_ascii(data, file_name)
    text = data.decode("ascii")
    if text.count("\r\n") == text.count("\n"):
        lines = text.split("\r\n")  # CRLF throughout, the common case: one pass
    else:
        lines = [line.removesuffix("\r") for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        raise UnreadableCbiFlow(file_name, 1, "il file è vuoto")
    return lines


def _check_shape(lines: list[str], file_name: str) -> None:
    # Checked in bulk first: a flow of 30,000 notices has 240,000 records, and a fault is rare.
    sound = set(map(len, lines)) == {RECORD_LENGTH} and "".join(lines).isprintable()
    if not sound or {line[0] for line in lines} != {" "}:
        _find_bad_record(lines, file_name)
    if lines[0][1:3] not in ("IM", "IB"):
        raise UnreadableCbiFlow(file_name, 1, "manca il record di testa IM (o IB)", _RECORD_TYPE)
    if len(lines) < 2 or lines[-1][1:3] != "EF":
        raise UnreadableCbiFlow(file_name, len(lines), "manca il record di coda EF: il file è troncato?", _RECORD_TYPE)


def _find_bad_record(lines: list[str], file_name: str) -> None:
    for number, line in enumerate(lines, start=1):
        if len(line) != RECORD_LENGTH:
            raise UnreadableCbiFlow(file_name, number, f"il record è lungo {len(line)} caratteri invece di 120")
        if not line.isprintable():
            raise UnreadableCbiFlow(file_name, number, "il record contiene caratteri di controllo")
        if line[0] != " ":
            raise UnreadableCbiFlow(file_name, number, "la posizione 1 deve essere vuota")


def _order_problem(kind: str, previous: str) -> str:
    if kind not in _KNOWN_TYPES:
        return f"tipo record «{kind}» sconosciuto"
    after = "il record di testa" if previous == "head" else f"il record {previous}"
    expected = " o ".join(sorted(_NEXT[previous]))
    return f"record {kind} fuori ordine: dopo {after} è atteso il record {expected}"


def _signed_cents(line: str, file_name: str, line_number: int) -> int:
    cents, sign = line[33:46], line[46]
    if not cents.isdigit():
        raise UnreadableCbiFlow(file_name, line_number, f"«{cents}» non è un importo in centesimi", _AMOUNT)
    if sign != "-" and sign != "+":
        raise UnreadableCbiFlow(file_name, line_number, f"«{sign}» non è un segno (+ o -)", _SIGN)
    return -int(cents) if sign == "-" else int(cents)


def _walk_body(lines: list[str], file_name: str) -> tuple[int, int, int]:
    previous, count, expected, negative, positive = "head", 0, "", 0, 0
    for index in range(1, len(lines) - 1):
        line = lines[index]
        kind = line[1:3]
        if kind not in _NEXT[previous]:
            raise UnreadableCbiFlow(file_name, index + 1, _order_problem(kind, previous), _RECORD_TYPE)
        if kind == "14":
            count += 1
            expected = f"{count:07d}"
            cents = _signed_cents(line, file_name, index + 1)
            if cents < 0:
                negative -= cents
            else:
                positive += cents
        if line[3:10] != expected:
            problem = _progressive_problem(kind, line[3:10], expected)
            raise UnreadableCbiFlow(file_name, index + 1, problem, _PROGRESSIVE)
        previous = kind
    if previous not in ("head", "70"):
        raise UnreadableCbiFlow(file_name, len(lines), f"la disposizione {expected} è incompleta: manca il record 70")
    return count, negative, positive


def _progressive_problem(kind: str, found: str, expected: str) -> str:
    if kind == "14":
        return f"trovato {found} dove è atteso {expected}: i numeri progressivi devono seguirsi da 1"
    return f"trovato {found}, diverso da quello del record 14 della disposizione ({expected})"


def _ef_number(line: str, name: str, file_name: str, line_number: int) -> int:
    field = rec.EF.field(name)
    text = line[field.span]
    if not text.isdigit():
        raise UnreadableCbiFlow(file_name, line_number, f"«{text}» non è un numero", field)
    return int(text)


_EF_COUNTS = ("disposition_count", "negative_total", "positive_total", "record_count")


def _check_trailer(lines: list[str], body: tuple[int, int, int], file_name: str) -> None:
    head, tail, number = lines[0], lines[-1], len(lines)
    for field in rec.EF.fields[:4]:
        if head[field.span] != tail[field.span]:
            raise UnreadableCbiFlow(file_name, number, "diverso da quello del record di testa", field)
    found = {name: _ef_number(tail, name, file_name, number) for name in _EF_COUNTS}
    actual = dict(zip(_EF_COUNTS, (*body, number), strict=True))
    for name, value in found.items():
        if value != actual[name]:
            total = name.endswith("total")
            said, counted = (euro(value), euro(actual[name])) if total else (value, actual[name])
            problem = f"il record di coda riporta {said}, ma il contenuto del file dà {counted}"
            raise UnreadableCbiFlow(file_name, number, problem, rec.EF.field(name))


def read_flow_records(data: bytes, file_name: str) -> tuple[list[str], FlowSummary]:
    """The flow's records (line ends removed) and what they add up to, once the whole frame has checked
    (see `check_flow_structure`)."""
    lines = _split_records(data, file_name)
    _check_shape(lines, file_name)
    parse_date_field(lines[0], rec.IM.field("created_on"), file_name, 1)
    body = _walk_body(lines, file_name)
    _check_trailer(lines, body, file_name)
    kind = FlowKind(lines[0][1:3])
    return lines, FlowSummary(kind, body[0], len(lines), body[1], body[2])


def check_flow_structure(data: bytes, file_name: str) -> FlowSummary:
    """Check a CBI flow's frame without reading its fields: 120-character ASCII records, header first and EF
    last, records in order, progressive numbers 1..n, EF counts and totals equal to the body. Returns what it
    counted; raises UnreadableCbiFlow naming the line and field of the first fault."""
    return read_flow_records(data, file_name)[1]


def parse_date_field(line: str, field: Field, file_name: str, line_number: int) -> date:
    """The date in `field` of `line`; UnreadableCbiFlow naming the line and field if it is not DDMMYY."""
    text = line[field.span]
    try:
        return parse_ddmmyy(text)
    except ValueError:
        raise UnreadableCbiFlow(file_name, line_number, f"«{text}» non è una data GGMMAA", field) from None
