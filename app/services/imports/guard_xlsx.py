"""The used rectangle of an xlsx worksheet, bounded while its XML streams past, before calamine allocates it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.parsers import expat

from app.services.imports import source_messages as msg
from app.services.imports.source_limits import MAX_CELLS, MAX_ROW_NUMBER

# A cell tag in the form every common writer uses, one letter and up to five digits: column ≤ Z, row ≤ 99,999.
# Only the cell tags that are *not* in that form come back as matches, so a plain sheet costs one regex pass.
_NARROW_LAST_ROW = 99_999
_NARROW_LAST_COLUMN = 26
_SUSPECT = re.compile(rb'<c(?! r="[A-Z]\d{1,5}"(?: [st]="\w+"){0,2}/?>|[ofue])')
_STRICT_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"(?: (?:s|t|cm|vm|ph)="[^"<>]*")*/?>')
_FOREIGN_CELL = re.compile(rb":c[\s>/]")  # calamine matches local names: <x:c> is a cell too
_FIRST_TAG = re.compile(rb"<(?![?!])(?:([A-Za-z_][\w.\-]*):)?([A-Za-z_][\w.\-]*)")
_SHEET_ROOTS = (b"worksheet", b"dialogsheet", b"macrosheet")
_CARRY_LIMIT = 1024 * 1024
_REFERENCE = re.compile(r"([A-Za-z]{1,4})(\d{1,9})")


@dataclass
class _Extent:
    last_row: int = 0
    last_column: int = 0

    def add(self, row: int, column: int, file_name: str, sheet: str) -> None:
        if row > MAX_ROW_NUMBER:
            raise msg.place_refusal(file_name, msg.TOO_MANY_ROWS, sheet=sheet)
        self.last_row = max(self.last_row, row)
        self.last_column = max(self.last_column, column)


class _Irregular(Exception):
    """The quick scan cannot vouch for this part: it has to be read again with a real XML parser."""


def is_sheet_part(first_chunk: bytes) -> bool:
    """Whether a part whose first bytes are ``first_chunk`` is XML whose root element is a sheet."""
    match = _FIRST_TAG.search(first_chunk)
    return match is not None and match[2] in _SHEET_ROOTS


def check_worksheet(open_chunks: Callable[[bool], Iterator[bytes]], file_name: str, sheet: str) -> None:
    """Refuse a worksheet whose cells pass the row limit or span a rectangle calamine could not hold.

    ``open_chunks(again)`` streams the part's bytes; it is called a second time, with ``again=True``, when the
    quick scan meets markup it cannot vouch for and a full parse has to decide.
    """
    try:
        extent = _quick_extent(open_chunks(False), file_name, sheet)
    except _Irregular:
        extent = _parsed_extent(open_chunks(True), file_name, sheet)
    if extent.last_row * extent.last_column > MAX_CELLS:
        raise msg.place_refusal(file_name, msg.too_sparse(extent.last_row, extent.last_column), sheet=sheet)


def _quick_extent(chunks: Iterator[bytes], file_name: str, sheet: str) -> _Extent:
    extent = _Extent()
    carry = b""
    started = False
    for chunk in chunks:
        data = carry + chunk
        # cut after the last ">" so that no tag is split between two segments
        cut = data.rfind(b">") + 1
        if cut == 0:
            if len(data) > _CARRY_LIMIT:
                raise _Irregular
            carry = data
            continue
        segment, carry = data[:cut], data[cut:]
        if not started:
            started = True
            root = _FIRST_TAG.search(segment)
            if root is None or root[1] is not None or root[2] not in _SHEET_ROOTS:
                raise _Irregular
        _scan_segment(segment, extent, file_name, sheet)
    if b"<" in carry:
        raise _Irregular
    if started:
        # every cell the regex did not report is narrow: it lies within A1:Z99999
        extent.last_row = max(extent.last_row, _NARROW_LAST_ROW)
        extent.last_column = max(extent.last_column, _NARROW_LAST_COLUMN)
    return extent


def _scan_segment(segment: bytes, extent: _Extent, file_name: str, sheet: str) -> None:
    if _FOREIGN_CELL.search(segment):
        raise _Irregular
    for suspect in _SUSPECT.finditer(segment):
        cell = _STRICT_CELL.match(segment, suspect.start())
        if cell is None:
            raise _Irregular
        extent.add(int(cell[2]), _column_number(cell[1].decode("ascii")), file_name, sheet)


def _parsed_extent(chunks: Iterator[bytes], file_name: str, sheet: str) -> _Extent:
    """The extent as calamine will compute it, from a full parse that follows its rules for missing references."""
    extent = _Extent()
    row = 0
    column = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal row, column
        local = name.rpartition(":")[2]  # calamine ignores namespaces: any prefix will do
        if local == "row":
            row = _number(attributes.get("r"), row + 1)
            column = 0
        elif local == "c":
            reference = _REFERENCE.fullmatch(attributes.get("r", ""))
            if reference:
                row, column = int(reference[2]), _column_number(reference[1])
            else:
                column += 1
            extent.add(max(row, 1), max(column, 1), file_name, sheet)

    parser = safe_parser()
    parser.StartElementHandler = start
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise msg.file_refusal(file_name, msg.DAMAGED) from error
    return extent


def safe_parser() -> expat.XMLParserType:
    """An expat parser that refuses any DTD or entity declaration, as defusedxml does."""
    # the byte scan already refused such parts: this is a second lock on the same door

    def forbid(*_: object) -> None:
        raise expat.ExpatError("DTD o entità non ammesse")

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    return parser


def _number(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() else default


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
