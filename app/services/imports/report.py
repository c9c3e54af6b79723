"""The import's full report as an .xlsx workbook: every error and warning where the clerk can sort and filter."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.services.imports.types import ImportResult, Severity
from app.services.xlsx import DATE_FORMAT, MONEY_FORMAT, discard, header_cell, save_atomically, text_cell

DEFAULT_LABELS: Mapping[str, str] = {
    "issues": "Segnalazioni", "severity": "Gravità", "file": "File", "sheet": "Foglio", "row": "Riga",
    "column": "Colonna", "letter": "Lettera", "value": "Valore", "message": "Problema",
    Severity.ERROR: "Errore", Severity.WARNING: "Avviso",
    "missing": "Non più nel file", "reference": "Numero documento", "holder": "Cliente", "due_date": "Scadenza",
    "outstanding": "Residuo", "summary": "Riepilogo", "item": "Voce", "count": "Numero",
}  # fmt: skip
_COUNT_LABELS: Mapping[str, str] = {
    "rows": "Righe lette", "created": "Crediti nuovi", "updated": "Crediti aggiornati", "unchanged": "Invariati",
    "duplicates": "Righe doppie", "subjects_created": "Anagrafiche nuove", "subjects_updated": "Anagrafiche aggiornate",
    "administrator_changes": "Cambi di amministratore", "missing": "Crediti aperti non più nel file",
    "errors": "Errori", "warnings": "Avvisi",
}  # fmt: skip


def export_report(
    result: ImportResult,
    path: Path,
    labels: Mapping[str, str] = DEFAULT_LABELS,
    count_labels: Mapping[str, str] = _COUNT_LABELS,
) -> None:
    """Write the result's issues, its missing credits and its counts to ``path``, whole or not at all."""
    workbook = Workbook(write_only=True)
    sheets: list[WriteOnlyWorksheet] = []
    try:
        sheets.append(_issues(workbook, result, labels))
        sheets.append(_missing(workbook, result, labels))
        sheets.append(_summary(workbook, result, labels, count_labels))
    except BaseException:
        for sheet in sheets:
            discard(sheet)
        raise
    save_atomically(workbook, path)


def _issues(workbook: Workbook, result: ImportResult, labels: Mapping[str, str]) -> WriteOnlyWorksheet:
    sheet: WriteOnlyWorksheet = workbook.create_sheet(labels["issues"])
    columns = ("severity", "file", "sheet", "row", "column", "letter", "value", "message")
    sheet.append([header_cell(sheet, labels[name]) for name in columns])
    for issue in result.issues:
        texts = (labels[issue.severity], issue.file, issue.sheet, None, issue.column, issue.column_letter,
                 issue.value, issue.message)  # fmt: skip
        cells: list[object] = [text_cell(sheet, value) if value is not None else None for value in texts]
        cells[3] = issue.row
        sheet.append(cells)
    return sheet


def _missing(workbook: Workbook, result: ImportResult, labels: Mapping[str, str]) -> WriteOnlyWorksheet:
    sheet: WriteOnlyWorksheet = workbook.create_sheet(labels["missing"])
    columns = ("reference", "holder", "due_date", "outstanding")
    sheet.append([header_cell(sheet, labels[name]) for name in columns])
    for credit in result.missing:
        due = WriteOnlyCell(sheet, value=credit.due_date)
        due.number_format = DATE_FORMAT
        outstanding = WriteOnlyCell(sheet, value=credit.outstanding)
        outstanding.number_format = MONEY_FORMAT
        sheet.append([text_cell(sheet, credit.reference), text_cell(sheet, credit.holder_name), due, outstanding])
    return sheet


def _summary(
    workbook: Workbook, result: ImportResult, labels: Mapping[str, str], count_labels: Mapping[str, str]
) -> WriteOnlyWorksheet:
    sheet: WriteOnlyWorksheet = workbook.create_sheet(labels["summary"])
    sheet.append([header_cell(sheet, labels["item"]), header_cell(sheet, labels["count"])])
    sheet.append([text_cell(sheet, labels["file"]), text_cell(sheet, result.file_name)])
    for name, label in count_labels.items():
        sheet.append([text_cell(sheet, label), getattr(result.counts, name)])
    return sheet
