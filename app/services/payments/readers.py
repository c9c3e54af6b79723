"""Reading a payments file of any format we know into movements to book: detected from its bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from app.models import BankFileFormat, PaymentSource
from app.services.bank.cbi_mav_parse import MavCausale, ParsedFlow, parse_mav_flow
from app.services.errors import InvalidInput, UnreadableFile
from app.services.imports import values
from app.services.imports.tables import TableNotFound, read_table
from app.services.imports.types import CellValue
from app.services.imports.values import ValueProblem
from app.services.payments.incoming import IncomingPayment, Outcome

T = TypeVar("T")
_MAX_REFERENCE = 100  # payment.external_id
_OUTCOMES = {
    MavCausale.MAV: Outcome.PAID, MavCausale.PAID_AFTER_WRITE_OFF: Outcome.PAID,
    MavCausale.RETURNED_UNPAID: Outcome.UNPAID, MavCausale.RECALLED: Outcome.RECALLED,
    MavCausale.WRITTEN_OFF: Outcome.WRITTEN_OFF,
}  # fmt: skip
_ACCOUNTING_COLUMNS = {
    "invoice": ("N. fattura", "Numero fattura", "Num. fattura", "Fattura", "N. documento", "Numero documento",
                "Documento", "Riferimento", "Invoice number", "Invoice"),
    "amount": ("Importo incassato", "Incassato", "Importo pagato", "Pagato", "Amount paid", "Importo", "Amount"),
    "date": ("Data incasso", "Data pagamento", "Payment date", "Data valuta", "Data", "Date"),
    "payer": ("Cliente", "Ragione sociale", "Pagatore", "Versante", "Payer", "Customer"),
    "id": ("ID movimento", "Id incasso", "N. movimento", "Numero movimento", "Protocollo", "Movement id"),
    "note": ("Descrizione", "Causale", "Note", "Description"),
}  # fmt: skip


def read_movements(path: Path) -> tuple[BankFileFormat, list[IncomingPayment], list[str]]:
    """The file's format, every movement in it, checked whole before anything is booked, and warnings.

    Raises UnreadableFile (file, line or row, field named) for a file we cannot read or whose totals do not
    match its body, InvalidInput for a readable table with a wrong cell.
    """
    with path.open("rb") as stream:
        start = stream.read(512)
    head = start.lstrip(b"\xef\xbb\xbf").lstrip()
    if start[:3] in (b" IM", b" IB"):
        return BankFileFormat.CBI_MAV_RETURN, _cbi(parse_mav_flow(path.read_bytes(), path.name)), []
    if head.startswith(b"<"):
        from app.services.payments.camt_reader import read_camt  # the XML reader is only loaded for XML

        return read_camt(path)
    return BankFileFormat.ACCOUNTING, _accounting(path), []


def _cbi(flow: ParsedFlow) -> list[IncomingPayment]:
    movements = []
    for d in flow.dispositions:
        outcome = _OUTCOMES.get(d.causale)
        if outcome is None:
            raise UnreadableFile(
                f"{flow.file_name}, riga {d.line_number}: causale {d.causale.value} non è un esito di incasso MAV"
            )
        paid_on = d.payment_date or d.value_date or flow.header.created_on
        movements.append(IncomingPayment(
            bank_reference=f"MAV {flow.header.support_name} {d.progressive}", amount=d.amount, received_on=paid_on,
            where=f"{flow.file_name}, riga {d.line_number}", value_date=d.value_date, payer_name=d.debtor_name,
            notice_code=d.mav_code, notice_id=int(d.reference) if d.reference.isdigit() else None, outcome=outcome,
        ))  # fmt: skip
    return movements


def _accounting(path: Path) -> list[IncomingPayment]:
    try:
        table = read_table(path, _ACCOUNTING_COLUMNS, required=("invoice", "amount", "date"))
    except TableNotFound as error:
        raise UnreadableFile(f"{error}: non è un flusso CBI, un estratto camt né un elenco di incassi.") from error
    movements: list[IncomingPayment] = []
    occurrences: dict[tuple[str, str, date | None, Decimal | None], int] = {}
    for row in table.rows:
        cells = row.cells
        if all(value in (None, "") for value in cells.values()):
            continue
        where = f"{table.file_name}, riga {row.number}"
        if _is_total(cells):
            continue
        invoice = values.text(cells["invoice"])
        amount = _cell(where, table.headers["amount"], cells["amount"], values.amount)
        paid_on = _cell(where, table.headers["date"], cells["date"], values.day)
        if invoice is None or amount is None or paid_on is None:
            missing = table.headers["invoice" if invoice is None else "amount" if amount is None else "date"]
            raise InvalidInput(f"{where}, colonna «{missing}»: valore mancante")
        if amount <= 0:
            raise InvalidInput(
                f"{where}, colonna «{table.headers['amount']}»: l'importo incassato deve essere positivo"
            )
        own_id = values.text(cells.get("id"))
        if own_id is not None and len(own_id) > _MAX_REFERENCE:
            raise InvalidInput(f"{where}, colonna «{table.headers['id']}»: identificativo più lungo di "
                               f"{_MAX_REFERENCE} caratteri")  # fmt: skip
        key = (
            own_id or "",
            "" if own_id else invoice,
            paid_on if own_id is None else None,
            amount if own_id is None else None,
        )
        occurrences[key] = occurrences.get(key, 0) + 1
        reference = _reference(own_id, invoice, paid_on, amount, occurrences[key])
        note = values.text(cells.get("note"))
        movements.append(IncomingPayment(
            bank_reference=reference, amount=amount, received_on=paid_on, where=where,
            source=PaymentSource.ACCOUNTING, payer_name=values.text(cells.get("payer")),
            remittance=note or f"Fattura {invoice}", invoice_number=invoice,
        ))  # fmt: skip
    return movements


def _is_total(cells: dict[str, CellValue]) -> bool:
    """A closing row ("Totale", "Totale incassi") with no invoice: a sum, not a collection."""
    if values.text(cells["invoice"]) not in (None, "") and not str(cells["invoice"]).casefold().startswith("total"):
        return False
    return any(isinstance(cell, str) and cell.strip().casefold().startswith("total") for cell in cells.values())


def _reference(own_id: str | None, invoice: str, paid_on: date, amount: Decimal, occurrence: int) -> str:
    """The row's key: its movement id, else its content; one movement paying several invoices (one row each)
    keys its second and later rows by the invoice too, so that no row passes for one already booked."""
    if own_id:
        plain = own_id if occurrence == 1 else f"{own_id}|{invoice}|{occurrence}"
    else:
        plain = f"{invoice}|{paid_on.isoformat()}|{amount}" + (f"|{occurrence}" if occurrence > 1 else "")
    if len(plain) <= _MAX_REFERENCE:
        return plain
    # Kept unique and stable, within the ledger's column, for ids or invoice numbers longer than it.
    return plain[: _MAX_REFERENCE - 17] + "#" + hashlib.sha256(plain.encode()).hexdigest()[:16]


def _cell(where: str, header: str, cell: CellValue, parse: Callable[[CellValue], T]) -> T | None:
    if cell is None or cell == "":
        return None
    try:
        return parse(cell)
    except ValueProblem as problem:
        raise InvalidInput(f"{where}, colonna «{header}», valore «{cell}»: {problem}") from problem
