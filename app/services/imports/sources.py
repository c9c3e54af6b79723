"""Opening an ERP schedule export safely and streaming its rows as Excel shows them, whatever its format."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from python_calamine import CalamineSheet, CalamineWorkbook

from app.services.errors import CreditDeskError, UnreadableFile
from app.services.imports import source_messages as msg
from app.services.imports.guards import inspect_file
from app.services.imports.source_csv import CsvFormat, csv_rows, sniff_csv
from app.services.imports.source_limits import MAX_CELL_CHARS, MAX_DATA_ROWS
from app.services.imports.source_sheet import calamine_errors, load_workbook, sheet_rows, worksheet_names
from app.services.imports.types import CellValue

_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
__all__ = ["MAX_CELL_CHARS", "MAX_DATA_ROWS", "Source", "check_xml_safety", "open_source"]


class Source:
    """An opened spreadsheet or CSV file whose rows can be streamed; closing it releases the workbook."""

    def __init__(
        self, path: Path, kind: str, *, workbook: CalamineWorkbook | None = None, csv_format: CsvFormat | None = None
    ) -> None:
        self.path = path
        self.file_name = path.name
        self.kind = kind
        self.encoding = csv_format.encoding if csv_format else None
        self.delimiter = csv_format.delimiter if csv_format else None
        self._csv_format = csv_format
        self._workbook = workbook
        self._sheet_names = worksheet_names(workbook) if workbook is not None else [path.stem]
        # the sheet read last stays loaded: a preview followed by the import of the same sheet loads it once
        self._loaded: CalamineSheet | None = None
        self._closed = False

    def sheet_names(self) -> list[str]:
        """The worksheets in workbook order (no chart sheets); a CSV file has one, named after the file."""
        return list(self._sheet_names)

    def rows(self, sheet: str, limit: int | None = None) -> Iterator[tuple[int, list[CellValue]]]:
        """(Excel row number, cells from column A) for each non-blank row of ``sheet``, at most ``limit`` of them.

        Empty cells are None; text comes as written, numbers and dates as the file typed them (formulas as their
        last computed value). Raises UnreadableFile, naming file, sheet, row and column, for an over-long cell or
        a sheet with more than MAX_DATA_ROWS rows.
        """
        if self._closed:
            raise ValueError(f"{self.file_name} is closed")
        if sheet not in self._sheet_names:
            raise msg.file_refusal(self.file_name, msg.no_sheet(sheet))
        if self._csv_format is not None:
            return csv_rows(self.path, self._csv_format, self.file_name, limit)
        return self._sheet_rows(sheet, limit)

    def close(self) -> None:
        """Release the workbook; further calls to rows() fail."""
        if self._closed:
            return
        self._closed = True
        self._loaded = None
        if self._workbook is not None:
            with calamine_errors(self.file_name):
                self._workbook.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def _sheet_rows(self, sheet: str, limit: int | None) -> Iterator[tuple[int, list[CellValue]]]:
        assert self._workbook is not None
        with calamine_errors(self.file_name):
            if self._loaded is None or self._loaded.name != sheet:
                self._loaded = None  # let the previous sheet go before the next one is allocated
                self._loaded = self._workbook.get_sheet_by_name(sheet)
            yield from sheet_rows(self._loaded, self.file_name, sheet, limit)


def open_source(path: Path) -> Source:
    """Open the file at ``path`` after checking what it really is; raises UnreadableFile for anything unreadable.

    The format comes from the bytes, not the extension: an .xlsx named .csv, or a CSV named .xlsx, opens as what
    it is. Containers are checked for encryption, bombs, XML entities and oversized sheets before loading.
    """
    inspection = inspect_file(path, path.name)
    if inspection.kind == "csv":
        try:
            return Source(path, inspection.kind, csv_format=sniff_csv(path, path.name))
        except UnreadableFile as refusal:
            if path.suffix.lower() in _WORKBOOK_SUFFIXES and msg.NO_DELIMITER in str(refusal):
                # Named as a workbook but not one inside: saying "not a CSV" would puzzle whoever exported it.
                raise msg.file_refusal(path.name, msg.DAMAGED) from refusal
            raise
    return Source(path, inspection.kind, workbook=_load_while_checking(path, inspection.sheet_checks))


def _load_while_checking(path: Path, sheet_checks: tuple[Callable[[], None], ...]) -> CalamineWorkbook:
    """The workbook, opened by calamine in a worker while the main thread checks the sheets' bounds.

    Opening reads the shared strings and styles, already checked, but no sheet; calamine lets go of the GIL
    meanwhile, so the two overlap. A failed check waits for the opening to end and closes the workbook.
    """
    if not sheet_checks:
        return load_workbook(path, path.name)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="calamine-open") as pool:
        opening = pool.submit(load_workbook, path, path.name)
        try:
            for check in sheet_checks:
                check()
        except BaseException:
            with contextlib.suppress(Exception):
                opening.result().close()
            raise
        return opening.result()


def check_xml_safety() -> None:
    """Raise CreditDeskError unless openpyxl parses XML through defusedxml (no entity expansion from a workbook)."""
    from openpyxl import xml as openpyxl_xml

    if not openpyxl_xml.DEFUSEDXML:
        raise CreditDeskError(
            "openpyxl non usa defusedxml per leggere l'XML: installare defusedxml e non impostare "
            "OPENPYXL_DEFUSEDXML=False"
        )
