"""What a file really is, decided by its bytes, and whether it is safe to hand to calamine: checked before loading."""

from __future__ import annotations

import collections
import functools
import itertools
import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml

from app.services.imports import source_messages as msg
from app.services.imports.guard_cfb import CFB_SIGNATURE, CompoundFile, DamagedContainer, biff_has_password
from app.services.imports.guard_ods import check_content
from app.services.imports.guard_xlsx import check_worksheet, is_sheet_part
from app.services.imports.guard_zip import ZipContainer
from app.services.imports.source_limits import MAX_FILE_BYTES

_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_ODS_MIMETYPES = (
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.spreadsheet-template",
)
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CONTENT_OVERRIDE = "{http://schemas.openxmlformats.org/package/2006/content-types}Override"


@dataclass(frozen=True)
class Inspection:
    """What a file is, and the checks still owed before any of its sheets may be loaded."""

    kind: str  # "xlsx", "xlsm", "xlsb", "xls", "ods" or "csv"
    # the bounds of the sheets an xlsx lists: calamine opens a workbook without reading them, so these may run
    # while it opens; all must pass before a sheet is loaded
    sheet_checks: tuple[Callable[[], None], ...] = ()


def inspect_file(path: Path, file_name: str) -> Inspection:
    """The kind of the file at ``path`` by its content, every part but the listed sheets already checked.

    Raises UnreadableFile for an empty, oversized, encrypted, damaged or hostile container; a "csv" kind only
    means "not a container": the CSV reader judges the text itself.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as error:
        raise msg.file_refusal(file_name, msg.cannot_open(error)) from error
    if size == 0:
        raise msg.file_refusal(file_name, msg.EMPTY)
    if size > MAX_FILE_BYTES:
        raise msg.file_refusal(file_name, msg.TOO_BIG)
    if head.startswith(_ZIP_SIGNATURES):
        return _inspect_zip(ZipContainer(path, file_name))
    if head == CFB_SIGNATURE:
        return Inspection(_inspect_compound(path, file_name))
    return Inspection("csv")


def _inspect_compound(path: Path, file_name: str) -> str:
    try:
        container = CompoundFile(path)
        names = set(container.streams)
        if "EncryptedPackage" in names or "EncryptionInfo" in names:
            # an .xlsx saved with a password is an encrypted package inside a compound file
            raise msg.file_refusal(file_name, msg.PASSWORD)
        stream = "Workbook" if "Workbook" in names else "Book"
        if stream not in names:
            raise msg.file_refusal(file_name, msg.NOT_SPREADSHEET)  # a .doc, .msg, .ppt…
        # calamine's password error is lost when it reads from memory and tries every format in turn
        head = container.head(stream, 16 * 1024)
    except DamagedContainer as error:
        raise msg.file_refusal(file_name, msg.DAMAGED) from error
    if head is not None and biff_has_password(head):
        raise msg.file_refusal(file_name, msg.PASSWORD)
    return "xls"


def _inspect_zip(container: ZipContainer) -> Inspection:
    names = container.names
    if "xl/workbook.xml" in names:
        return Inspection(_workbook_kind(container), _check_workbook(container))
    if "xl/workbook.bin" in names:
        for entry in container.entries:
            _drain(container.chunks(entry, large=_is_large(entry.filename, set())))
        return Inspection("xlsb")
    if "content.xml" in names and "mimetype" in names and container.read_small("mimetype").strip() in _ODS_MIMETYPES:
        for entry in container.entries:
            if entry.filename == "content.xml":
                chunks = container.chunks(entry, large=True)
                check_content(_reopenable(container, entry, next(chunks, b""), chunks), container.file_name)
            else:
                _drain(container.chunks(entry, large=False))
        return Inspection("ods")
    raise msg.file_refusal(container.file_name, msg.NOT_SPREADSHEET)  # a .docx, an .odt, a zip of anything else


def _workbook_kind(container: ZipContainer) -> str:
    if "[Content_Types].xml" not in container.names:
        return "xlsx"
    types = _parse(container, "[Content_Types].xml")
    for override in types.iter(_CONTENT_OVERRIDE):
        if override.get("PartName") == "/xl/workbook.xml" and "macroEnabled" in override.get("ContentType", ""):
            return "xlsm"
    return "xlsx"


def _check_workbook(container: ZipContainer) -> tuple[Callable[[], None], ...]:
    """Stream every part through the caps now, except the listed sheets: their bounds checks are returned."""
    sheets = _sheet_parts(container)
    sheet_parts = set(sheets)
    deferred = []
    for entry in container.entries:
        if entry.is_dir():
            continue
        sheet = sheets.get(entry.filename, entry.filename)
        if entry.filename in sheet_parts:
            # a part the workbook lists as a sheet is bounded whatever it looks like
            deferred.append(functools.partial(_check_sheet, container, entry, sheet))
            continue
        chunks = container.chunks(entry, large=_is_large(entry.filename, sheet_parts))
        first = next(chunks, b"")
        if is_sheet_part(first):
            check_worksheet(_reopenable(container, entry, first, chunks), container.file_name, sheet)
        else:
            _drain(chunks)
    return tuple(deferred)


def _check_sheet(container: ZipContainer, entry: zipfile.ZipInfo, sheet: str) -> None:
    chunks = container.chunks(entry, large=True)
    check_worksheet(_reopenable(container, entry, next(chunks, b""), chunks), container.file_name, sheet)


def _reopenable(
    container: ZipContainer, entry: zipfile.ZipInfo, first: bytes, rest: Iterator[bytes]
) -> Callable[[bool], Iterator[bytes]]:
    """The part's stream as already started, or, asked ``again``, a fresh stream from its beginning."""

    def open_chunks(again: bool) -> Iterator[bytes]:
        if again:
            return container.chunks(entry, large=True, again=True)
        return itertools.chain([first], rest)

    return open_chunks


def _sheet_parts(container: ZipContainer) -> dict[str, str]:
    """Part name → sheet name for every part workbook.xml lists as a sheet.

    A relationship's target is entered under each name a reader might resolve it to (as written, under xl/, and
    normalised), so that no listed sheet escapes the bounds check through an unusual path.
    """
    rels_name = "xl/_rels/workbook.xml.rels"
    if rels_name not in container.names or "xl/workbook.xml" not in container.names:
        return {}
    targets: dict[str, list[str]] = {}
    for relationship in _parse(container, rels_name).iter(_RELATIONSHIPS):
        target = relationship.get("Target", "")
        joined = posixpath.join("xl", target)
        targets[relationship.get("Id", "")] = [target.lstrip("/"), joined, posixpath.normpath(joined)]
    parts = {}
    for sheet in _parse(container, "xl/workbook.xml").iter(_SHEET):
        for part in targets.get(sheet.get(_RELATIONSHIP_ID, ""), []):
            parts[part] = sheet.get("name") or part
    return parts


def _parse(container: ZipContainer, name: str) -> Element:
    try:
        return parse_xml(container.read_small(name))
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise msg.file_refusal(container.file_name, msg.DAMAGED) from error


def _is_large(name: str, sheet_parts: set[str]) -> bool:
    return name in sheet_parts or name.startswith("xl/worksheets/") or name.startswith("xl/sharedStrings")


def _drain(chunks: Iterator[bytes]) -> None:
    collections.deque(chunks, maxlen=0)
