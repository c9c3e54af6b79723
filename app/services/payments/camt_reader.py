"""ISO 20022 statements (camt.053, camt.054, the CBI envelope) as movements to book: money in, and reversals."""

from __future__ import annotations

from pathlib import Path

from app.models import BankFileFormat
from app.services.bank.camt import read_statement_file
from app.services.bank.camt_types import BankTransaction, Direction, StatementKind
from app.services.errors import UnreadableFile
from app.services.payments.incoming import IncomingPayment


def read_camt(path: Path) -> tuple[BankFileFormat, list[IncomingPayment], list[str]]:
    """The booked movements of every statement in the file that concern money owed to us, and what a clerk
    should check (balances that do not add up).

    Money in is a payment; a debit that reverses or returns an earlier credit undoes its match. Other debits
    (the creditor's own payments, fees) are not ours to book and are left out.
    """
    statements = read_statement_file(path)
    kinds = {statement.kind for statement in statements.statements}
    file_format = BankFileFormat.CAMT_054 if kinds == {StatementKind.NOTIFICATION} else BankFileFormat.CAMT_053
    movements = [
        _movement(statements.file_name, statement.statement_id, transaction)
        for statement in statements.statements
        for transaction in statement.transactions
        if _ours(transaction)
    ]
    warnings = [
        f"{statements.file_name}, {warning}" for statement in statements.statements for warning in statement.warnings
    ]
    return file_format, movements, warnings


def _ours(transaction: BankTransaction) -> bool:
    if transaction.currency != "EUR":
        return False
    if transaction.direction is Direction.CREDIT:
        return not transaction.reversal
    return transaction.reversal or transaction.return_reason is not None


def _movement(file_name: str, statement_id: str, t: BankTransaction) -> IncomingPayment:
    where = f"{file_name}, estratto {statement_id}, movimento {t.entry_number}"
    if t.batch:
        where += f" (dettaglio {t.detail_number})"
    booked_on = t.booking_date or t.value_date
    if booked_on is None:
        raise UnreadableFile(f"{where}: movimento contabilizzato senza data di contabile né di valuta")
    return IncomingPayment(
        bank_reference=t.bank_reference, amount=t.amount, received_on=booked_on, where=where,
        value_date=t.value_date, payer_name=t.debtor_name, payer_iban=t.debtor_iban, remittance=t.remittance or "",
        structured_reference=t.creditor_reference, end_to_end_id=t.end_to_end_id,
        reversal=t.direction is Direction.DEBIT,
    )  # fmt: skip
