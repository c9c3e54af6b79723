"""CSV exports: encoding and delimiter found from the bytes, records streamed as text exactly as written."""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from app.services.imports import source_messages as msg
from app.services.imports.source_limits import MAX_CELL_CHARS, MAX_FILE_BYTES, MAX_ROW_NUMBER
from app.services.imports.types import CellValue

_CHUNK_BYTES = 1024 * 1024
_SAMPLE_BYTES = 64 * 1024
_SAMPLE_RECORDS = 50
# Preferred first on a tie: Italian ERPs separate with ";" and write decimal commas ("1.234,56").
_DELIMITERS = (";", "\t", ",")
# Formats that may hold no NUL byte in their first megabytes; anything else binary is caught by its NULs.
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
_WEB_STARTS = ("<!doctype", "<html", "<?xml", "<table", "<head", "<body", "<meta")
# Control characters other than tab, line feed, form feed and carriage return; C1 controls count too.
_CONTROLS = dict.fromkeys([*range(0, 9), 11, *range(14, 32), *range(127, 160)])
_MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class CsvFormat:
    """How a CSV file is written: its text encoding and the character between fields."""

    encoding: str
    delimiter: str


def sniff_csv(path: Path, file_name: str) -> CsvFormat:
    """The encoding and delimiter of a CSV file, or UnreadableFile when it is not readable text in columns.

    Also refuses, before any row is read, a file with more records than the row limit.
    """
    _allow_long_fields()
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_BINARY_MAGIC):
        raise msg.file_refusal(file_name, msg.NOT_SPREADSHEET)
    encoding, line_breaks = _encoding(path, file_name, head)
    sample = _sample(path, encoding)
    if not sample.strip():
        raise msg.file_refusal(file_name, msg.EMPTY)
    if len(sample) - len(sample.translate(_CONTROLS)) > _MAX_CONTROL_SHARE * len(sample):
        raise msg.file_refusal(file_name, msg.NOT_SPREADSHEET)
    if sample.lstrip()[:20].lower().startswith(_WEB_STARTS):
        raise msg.file_refusal(file_name, msg.WEB_PAGE)
    delimiter = _delimiter(sample)
    if delimiter is None:
        raise msg.file_refusal(file_name, msg.NO_DELIMITER)
    found = CsvFormat(encoding, delimiter)
    if line_breaks >= MAX_ROW_NUMBER and _records(path, found) > MAX_ROW_NUMBER:
        raise msg.place_refusal(file_name, msg.TOO_MANY_ROWS)
    return found


def csv_rows(
    path: Path, found: CsvFormat, file_name: str, limit: int | None = None
) -> Iterator[tuple[int, list[CellValue]]]:
    """(record number, fields) for each record that is not blank; fields are text, "" turned into None."""
    _allow_long_fields()
    if limit == 0:
        return
    yielded = 0
    with path.open(encoding=found.encoding, newline="") as handle:
        records = enumerate(csv.reader(handle, delimiter=found.delimiter), 1)
        try:
            for number, record in records:
                if number > MAX_ROW_NUMBER:
                    raise msg.place_refusal(file_name, msg.TOO_MANY_ROWS)
                if not any(record):
                    continue
                cells: list[CellValue] = [field or None for field in record]
                if max(map(len, record)) > MAX_CELL_CHARS:
                    column = next(index for index, field in enumerate(record) if len(field) > MAX_CELL_CHARS)
                    raise msg.place_refusal(file_name, msg.CELL_TOO_LONG, row=number, column=column)
                yield number, cells
                yielded += 1
                if yielded == limit:
                    return
        except (csv.Error, UnicodeDecodeError) as error:
            raise msg.file_refusal(file_name, msg.DAMAGED) from error


def _allow_long_fields() -> None:
    # The csv module refuses fields over 128 KB with an error that names no column; let such a field through
    # so that the length check can say where it is. The limit is process-wide and this only ever raises it.
    if csv.field_size_limit() < MAX_FILE_BYTES:
        csv.field_size_limit(MAX_FILE_BYTES)


def _encoding(path: Path, file_name: str, head: bytes) -> tuple[str, int]:
    """The file's encoding, tried strictly on every byte, and how many line feeds it holds."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates: tuple[str, ...] = ("utf-16",)
    elif head.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    else:
        candidates = ("utf-8", "cp1252")
    for encoding in candidates:
        line_breaks = _decodes(path, encoding)
        if line_breaks is not None:
            return encoding, line_breaks
    raise msg.file_refusal(file_name, msg.NOT_SPREADSHEET)


def _decodes(path: Path, encoding: str) -> int | None:
    """The number of line feeds if the whole file decodes as ``encoding`` with no NUL, else None."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    wide = encoding == "utf-16"
    line_breaks = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK_BYTES):
            if not wide and b"\x00" in chunk:
                return None
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError:
                return None
            if wide and "\x00" in text:
                return None
            line_breaks += text.count("\n") if wide else chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    return line_breaks


def _sample(path: Path, encoding: str) -> str:
    """The first records of the file, ending at a line break so the last one is whole."""
    with path.open("rb") as handle:
        raw = handle.read(_SAMPLE_BYTES)
        complete = len(raw) < _SAMPLE_BYTES
    text = codecs.getincrementaldecoder(encoding)(errors="strict").decode(raw, final=complete)
    if not complete and "\n" in text:
        text = text[: text.rindex("\n") + 1]
    return text


def _delimiter(sample: str) -> str | None:
    """The delimiter that splits the sample's records into the same number (> 1) of fields most consistently."""
    best: tuple[float, int] | None = None
    chosen = None
    for preference, delimiter in enumerate(_DELIMITERS):
        try:
            records = list(islice(csv.reader(io.StringIO(sample), delimiter=delimiter), _SAMPLE_RECORDS))
        except csv.Error:
            continue
        counts = [len(record) for record in records if any(field.strip() for field in record)]
        if not counts:
            continue
        # Title rows above a short table are single fields: they must not outvote the header and its rows.
        split = [count for count in counts if count > 1]
        if not split:
            continue
        _fields, agreeing = Counter(split).most_common(1)[0]
        score = (agreeing / len(counts), -preference)
        if best is None or score > best:
            best, chosen = score, delimiter
    return chosen


def _records(path: Path, found: CsvFormat) -> int:
    """How many records the file holds, counting no further than one past the row limit."""
    with path.open(encoding=found.encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=found.delimiter)
        return sum(1 for _ in islice(reader, MAX_ROW_NUMBER + 1))
