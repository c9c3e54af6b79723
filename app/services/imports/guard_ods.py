"""The used rectangle of each table in an .ods content.xml, repeats included, before calamine expands them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from operator import methodcaller
from xml.parsers import expat
from xml.sax.saxutils import unescape

from app.services.imports import source_messages as msg
from app.services.imports.guard_xlsx import safe_parser
from app.services.imports.source_limits import MAX_CELLS, MAX_ROW_NUMBER

# calamine matches these names literally, prefix included, so a table under another prefix is not read at all
_TABLE = "table:table"
_ROW = "table:table-row"
_CELLS = ("table:table-cell", "table:covered-table-cell")
_ROWS_REPEATED = "table:number-rows-repeated"
_COLUMNS_REPEATED = "table:number-columns-repeated"
_VALUE_TYPE = "office:value-type"

# A table or row start tag; a row's end is then found with a plain byte search, its cells looked at one by one
# only when some of them repeat.
_TABLE_OR_ROW = re.compile(rb"<table:table(?:(?=[\s>])|-row(?=[\s>/]))([^>]*)>")
_ROW_START = re.compile(rb"<table:table-row[\s>/]")
_ROW_END = b"</table:table-row>"
_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s>/])([^>]*)>")
_NAME = re.compile(rb'table:name="([^"]*)"')
_ROWS_REPEAT = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLUMNS_REPEAT = re.compile(rb'table:number-columns-repeated="(\d+)"')
_CARRY_LIMIT = 16 * 1024 * 1024


class _Irregular(Exception):
    """The quick scan cannot vouch for this content: it has to be read again with a real XML parser."""


class _TableExtent:
    """Rows and columns a table will occupy once calamine has expanded its repeated rows and cells."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.begin_table("")

    def begin_table(self, sheet: str) -> None:
        self.sheet = sheet
        self.last_row = 0
        self.last_column = 0
        self.row_end = 0  # rows so far, repeats counted

    def add_row(self, repeat: int, width: int) -> None:
        """Account for a row repeated ``repeat`` times whose cells with content end at column ``width``."""
        self.row_end += repeat
        if not width:
            return
        self.last_row = self.row_end
        self.last_column = max(self.last_column, width)
        if self.last_row > MAX_ROW_NUMBER:
            raise msg.place_refusal(self.file_name, msg.TOO_MANY_ROWS, sheet=self.sheet)
        if self.last_row * self.last_column > MAX_CELLS:
            problem = msg.too_sparse(self.last_row, self.last_column)
            raise msg.place_refusal(self.file_name, problem, sheet=self.sheet)


def check_content(open_chunks: Callable[[bool], Iterator[bytes]], file_name: str) -> None:
    """Refuse an .ods whose tables, with repeated rows and cells expanded, pass the row or rectangle limits.

    ``open_chunks(again)`` streams content.xml; it is called again, with ``again=True``, when the quick scan
    meets markup it cannot vouch for and a full parse has to decide.
    """
    try:
        _quick_scan(open_chunks(False), _TableExtent(file_name))
    except _Irregular:
        _parsed_scan(open_chunks(True), _TableExtent(file_name))


def _quick_scan(chunks: Iterator[bytes], extent: _TableExtent) -> None:
    carry = b""
    for chunk in chunks:
        data = carry + chunk
        cut = data.rfind(_ROW_END) + len(_ROW_END)
        if cut < len(_ROW_END):
            if len(data) > _CARRY_LIMIT:
                raise _Irregular
            carry = data
            continue
        segment, carry = data[:cut], data[cut:]
        _scan_segment(segment, extent)
    if b"<table:table-row" in carry or b"<table:table-cell" in carry:
        raise _Irregular


def _scan_segment(segment: bytes, extent: _TableExtent) -> None:
    plain = b"-repeated" not in segment and b"covered-table-cell" not in segment and b"<table:table " not in segment
    if plain and len(_ROW_START.findall(segment)) == segment.count(_ROW_END):
        # rows of plain cells, one table: count them all at once (empty rows too, which only overestimates)
        widths = map(methodcaller("count", b"<table:table-cell"), segment.split(_ROW_END))
        extent.add_row(segment.count(_ROW_END), max(widths))
        return
    position = 0
    while match := _TABLE_OR_ROW.search(segment, position):
        attributes = match[1]
        if segment[match.start() + 12] != ord("-"):  # "<table:table" then not "-row": a table starts
            name = _NAME.search(attributes)
            extent.begin_table(unescape(name[1].decode("utf-8", "replace")) if name else "")
            position = match.end()
            continue
        end = segment.find(_ROW_END, match.end())
        if end < 0 or attributes.endswith(b"/"):
            raise _Irregular
        body = segment[match.end() : end]
        if b"<table:table " in body or b"<table:table>" in body:
            raise _Irregular  # a table inside a cell
        extent.add_row(_repeat_in(_ROWS_REPEAT, attributes), _row_width(body))
        position = end + len(_ROW_END)


def _row_width(body: bytes) -> int:
    """Where the cells with content end in a row: counted outright unless some cell repeats."""
    if b"-repeated" not in body:
        if b"value-type" in body or b"<text:" in body:
            return body.count(b"<table:table-cell") + body.count(b"<table:covered-table-cell")
        return 0
    width = 0
    column = 0
    for cell in _CELL.finditer(body):
        attributes = cell[1]
        repeat = _repeat_in(_COLUMNS_REPEAT, attributes)
        # a cell with a value type, or one that is not empty (it has children), may hold what calamine reads
        if b"value-type" in attributes or not attributes.endswith(b"/"):
            width = column + repeat
        column += repeat
    return width


def _repeat_in(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    found = pattern.search(attributes)
    return max(1, int(found[1])) if found else 1


def _parsed_scan(chunks: Iterator[bytes], extent: _TableExtent) -> None:
    """The same extent from a full parse: slower, but sure of markup the quick scan does not expect."""
    row: list[int] = [0, 0, 0]  # repeat, content width, next column of the row being read
    pending: list[tuple[int, int]] = []  # a cell with no value type: content only if something is inside it

    def finish_row() -> None:
        if row[0]:
            extent.add_row(row[0], row[1])
        row[:] = [0, 0, 0]

    def start(name: str, attributes: dict[str, str]) -> None:
        if name in _CELLS:
            pending.clear()
            repeat = _number(attributes.get(_COLUMNS_REPEATED))
            if _VALUE_TYPE in attributes:
                row[1] = row[2] + repeat
            else:
                pending.append((row[2], repeat))
            row[2] += repeat
        elif name == _ROW:
            finish_row()
            pending.clear()
            row[0] = _number(attributes.get(_ROWS_REPEATED))
        elif name == _TABLE:
            finish_row()
            extent.begin_table(attributes.get("table:name", ""))
        elif pending:
            first, repeat = pending.pop()
            row[1] = max(row[1], first + repeat)

    parser = safe_parser()
    parser.StartElementHandler = start
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise msg.file_refusal(extent.file_name, msg.DAMAGED) from error
    finish_row()


def _number(text: str | None) -> int:
    return int(text) if text and text.isdigit() and int(text) > 0 else 1
