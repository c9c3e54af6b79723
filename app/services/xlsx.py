"""Writing .xlsx workbooks safely: text that stays text, bold headers, a file that appears whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MONEY_FORMAT = '#,##0.00 "€"'
DATE_FORMAT = "DD/MM/YYYY"


def text_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    """A cell that holds ``text`` as text, even when it starts with "=" (never a live formula)."""
    cell = WriteOnlyCell(sheet, value=text)
    # openpyxl turns any string starting with "=" into a formula; a name or note typed that way must stay text.
    cell.data_type = "s"
    return cell


def header_cell(sheet: WriteOnlyWorksheet, title: str) -> WriteOnlyCell:
    """A bold text cell for a column title."""
    cell = text_cell(sheet, title)
    cell.font = Font(bold=True)
    return cell


def discard(sheet: WriteOnlyWorksheet) -> None:
    """Close and delete a write-only sheet's temporary stream, so nothing is left open or on disk."""
    with contextlib.suppress(Exception):
        sheet.close()
        sheet._writer.cleanup()


def save_atomically(workbook: Workbook, path: Path) -> None:
    """Save ``workbook`` beside ``path`` and rename it into place: no half-written file, ever."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        workbook.save(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
