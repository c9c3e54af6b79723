"""Opening an ERP schedule export safely and streaming its rows as Excel shows them, whatever its format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from python_calamine import CalamineSheet, CalamineWorkbook

from app.services.imports import source_messages as msg
from app.services.imports.guards import detect_kind
from app.services.imports.source_csv import CsvFormat, csv_rows, sniff_csv
from app.services.imports.source_limits import MAX_CELL_CHARS, MAX_DATA_ROWS
from app.services.imports.source_sheet import calamine_errors, load_workbook, sheet_rows, worksheet_names
from app.services.imports.types import CellValue

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
    kind = detect_kind(path, path.name)
    if kind == "csv":
        return Source(path, kind, csv_format=sniff_csv(path, path.name))
    return Source(path, kind, workbook=load_workbook(path, path.name))


def check_xml_safety() -> None:
    """Raise RuntimeError unless openpyxl parses XML through defusedxml (no entity expansion from a workbook)."""
    from openpyxl import xml as openpyxl_xml

    if not openpyxl_xml.DEFUSEDXML:
        raise RuntimeError(
            "openpyxl non usa defusedxml per leggere l'XML: installare defusedxml e non impostare "
            "OPENPYXL_DEFUSEDXML=False"
        )
