"""Export of a filtered set of credits to an .xlsx workbook, streamed, with no live formula in any cell."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.models import CreditKind, CreditStatus
from app.services.credits.query import CreditFilter, CreditRow, SortKey, fetch_credit_rows, find_credit_ids
from app.services.database import Database
from app.services.xlsx import DATE_FORMAT, MONEY_FORMAT, discard, header_cell, save_atomically, text_cell

CHUNK = 1000

DEFAULT_HEADERS: Mapping[str, str] = {
    "reference": "Numero",
    "kind": "Tipo",
    "holder_name": "Intestatario",
    "holder_tax_code": "Codice fiscale / P. IVA",
    "payer_name": "Pagatore",
    "roll_name": "Ruolo",
    "installation_ref": "Impianto / Polizza",
    "notice_code": "Codice avviso",
    "issue_date": "Data emissione",
    "due_date": "Scadenza",
    "amount": "Importo",
    "outstanding": "Residuo",
    "status": "Stato",
    "collector_name": "Incaricato",
}
DEFAULT_STATUS_LABELS: Mapping[CreditStatus, str] = {
    CreditStatus.ISSUED: "Emesso",
    CreditStatus.AWAITING_PAYMENT: "In attesa di pagamento",
    CreditStatus.PAID: "Pagato",
    CreditStatus.PARTIALLY_PAID: "Parzialmente pagato",
    CreditStatus.OVERDUE: "Scaduto",
    CreditStatus.WRITTEN_OFF: "Stralciato",
    CreditStatus.IN_LEGAL: "In gestione legale",
}
DEFAULT_KIND_LABELS: Mapping[CreditKind, str] = {
    CreditKind.INVOICE: "Fattura",
    CreditKind.POLICY: "Polizza",
    CreditKind.INSTALMENT: "Rata",
    CreditKind.OTHER: "Altro",
}

ProgressCallback = Callable[[int, int], None]


def export_credits_xlsx(
    db: Database,
    flt: CreditFilter,
    path: Path,
    *,
    sort: SortKey = SortKey.DUE_DATE,
    descending: bool = False,
    headers: Mapping[str, str] = DEFAULT_HEADERS,
    status_labels: Mapping[CreditStatus, str] = DEFAULT_STATUS_LABELS,
    kind_labels: Mapping[CreditKind, str] = DEFAULT_KIND_LABELS,
    progress: ProgressCallback | None = None,
) -> int:
    """Write every credit passing ``flt``, in the asked order, to ``path``; return how many rows were written.

    The file appears whole or not at all: it is written beside the target and renamed at the end, so a cancel
    (an exception from ``progress``) or a failure leaves no partial workbook.
    """
    ids = find_credit_ids(db, flt, sort, descending)
    workbook = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet = workbook.create_sheet("Crediti")
    columns = list(headers)
    written = 0
    try:
        sheet.append([header_cell(sheet, headers[c]) for c in columns])
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            rows = fetch_credit_rows(db, chunk)
            for credit_id in chunk:
                row = rows.get(credit_id)
                if row is not None:  # deleted since the query: nothing to write
                    sheet.append(_cells(sheet, row, columns, status_labels, kind_labels))
                    written += 1
            if progress is not None:
                progress(min(start + CHUNK, len(ids)), len(ids))
    except BaseException:
        discard(sheet)
        raise
    save_atomically(workbook, path)
    return written


def _cells(
    sheet: WriteOnlyWorksheet,
    row: CreditRow,
    columns: Sequence[str],
    status_labels: Mapping[CreditStatus, str],
    kind_labels: Mapping[CreditKind, str],
) -> list[Any]:
    cells: list[Any] = []
    for column in columns:
        value = getattr(row, column)
        if column == "status":
            value = status_labels[value]
        elif column == "kind":
            value = kind_labels[value]
        if value is None:
            cells.append(None)
        elif column in ("amount", "outstanding"):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = MONEY_FORMAT
            cells.append(cell)
        elif column in ("issue_date", "due_date"):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = DATE_FORMAT
            cells.append(cell)
        else:
            cells.append(text_cell(sheet, str(value)))
    return cells
