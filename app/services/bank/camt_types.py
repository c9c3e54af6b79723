"""What an ISO 20022 bank statement file says, as frozen values: statements, balances, totals, booked transactions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from app.services.errors import UnreadableFile


class Direction(StrEnum):
    """Which way the money moved on our account (``CdtDbtInd``)."""

    CREDIT = "CRDT"
    DEBIT = "DBIT"


class StatementKind(StrEnum):
    """A camt.053 end-of-day statement or a camt.054 debit/credit notification."""

    STATEMENT = "camt.053"
    NOTIFICATION = "camt.054"


@dataclass(frozen=True, slots=True)
class Balance:
    """A booked balance (``Bal``) as the bank declares it: an amount, its sign and the day it refers to."""

    amount: Decimal
    currency: str
    direction: Direction
    date: date | None

    @property
    def signed(self) -> Decimal:
        """The balance with its sign: a debit (overdrawn) balance is negative."""
        return self.amount if self.direction is Direction.CREDIT else -self.amount


@dataclass(frozen=True, slots=True)
class DeclaredTotals:
    """The control totals of ``TxsSummry``; each is ``None`` when the bank left it out.

    ``entries_sum`` is the sum of the entries' amounts regardless of sign, ``net`` is credits minus debits.
    """

    entries: int | None = None
    entries_sum: Decimal | None = None
    net: Decimal | None = None
    credits: int | None = None
    credits_sum: Decimal | None = None
    debits: int | None = None
    debits_sum: Decimal | None = None


@dataclass(frozen=True, slots=True)
class BankTransactionCode:
    """The entry's ``BkTxCd``: ISO domain, family and sub-family codes, and the bank's proprietary code."""

    domain: str | None = None
    family: str | None = None
    subfamily: str | None = None
    proprietary: str | None = None


@dataclass(frozen=True, slots=True)
class BankTransaction:
    """One booked transaction: a whole entry, or one ``TxDtls`` of a batch entry (then ``batch`` is true).

    ``bank_reference`` is unique within the statement and stable when the same statement is read again, so it
    serves as an idempotency key (scoped by the statement's account): the detail's own ``AcctSvcrRef``; else
    the entry's ``AcctSvcrRef``, followed by ``#`` and the detail's number when the entry holds several details;
    else ``<statement id>/<entry number>`` followed by the same ``#<detail number>``. A reference already taken
    in the statement gets ``@<entry number>.<detail number>`` appended; references built from the file's
    ``AcctSvcrRef`` are taken first, in file order, then those built from the statement id.
    """

    bank_reference: str
    entry_number: int  # 1-based position of the entry in its statement, pending entries included
    detail_number: int  # 1-based position of the detail in its entry; 1 for an entry without details
    batch: bool  # the entry carries NtryDtls/Btch or several TxDtls
    amount: Decimal  # this transaction's amount, never signed: see direction
    entry_amount: Decimal
    currency: str
    direction: Direction
    reversal: bool  # RvslInd: this booking takes back an earlier one (a returned debit, a recalled transfer)
    status: str
    booking_date: date | None
    value_date: date | None
    entry_reference: str | None  # the entry's AcctSvcrRef
    account_servicer_reference: str | None  # the detail's own Refs/AcctSvcrRef
    end_to_end_id: str | None
    mandate_id: str | None
    transaction_id: str | None
    instruction_id: str | None
    code: BankTransactionCode
    debtor_name: str | None
    debtor_iban: str | None
    remittance: str | None  # the RmtInf/Ustrd lines, spaces tidied, joined by "\n"
    creditor_reference: str | None  # RmtInf/Strd/CdtrRefInf/Ref (an RF reference, a notice number...)
    return_reason: str | None  # RtrInf/Rsn/Cd (AC04, AC06, MD06...)

    @property
    def signed_amount(self) -> Decimal:
        """The amount as it moves the balance: credits positive, debits negative."""
        return self.amount if self.direction is Direction.CREDIT else -self.amount


@dataclass(frozen=True, slots=True)
class Statement:
    """One camt.053 ``Stmt`` or camt.054 ``Ntfctn``, checked against its totals and balances.

    ``transactions`` holds the booked entries only; ``skipped_pending`` counts the entries left out because the
    bank had not booked them (PDNG, INFO, FUTR). ``entry_count`` counts every entry of the body.
    """

    kind: StatementKind
    number: int  # 1-based position in the file
    statement_id: str
    message_id: str | None
    namespace: str
    iban: str | None
    opening_balance: Balance | None
    closing_balance: Balance | None
    declared_totals: DeclaredTotals | None
    entry_count: int
    skipped_pending: int
    transactions: tuple[BankTransaction, ...]
    warnings: tuple[str, ...] = ()  # what a clerk should check, the file being read all the same


@dataclass(frozen=True, slots=True)
class StatementFile:
    """Every statement of a file, all checked: the file was read whole or refused whole."""

    file_name: str
    cbi_envelope: bool
    statements: tuple[Statement, ...]

    def transactions(self) -> Iterator[BankTransaction]:
        """The booked transactions of all statements, in file order."""
        for statement in self.statements:
            yield from statement.transactions

    @property
    def skipped_pending(self) -> int:
        """How many entries of the file were left out because not booked."""
        return sum(statement.skipped_pending for statement in self.statements)


class StatementFileRefused(UnreadableFile):
    """A bank statement file refused as a whole; nothing in it may be applied. The message says where and why."""

    def __init__(
        self, message: str, *, file_name: str, statement: str | None = None, entry_number: int | None = None
    ) -> None:
        super().__init__(message)
        self.file_name = file_name
        self.statement = statement
        self.entry_number = entry_number


def refusal(
    file_name: str,
    problem: str,
    *,
    statement: str | None = None,
    entry_number: int | None = None,
    entry_reference: str | None = None,
) -> StatementFileRefused:
    """A refusal reading "Il file «x», estratto «s», movimento n. 3 (rif. banca R): <problem>."."""
    parts = [f"Il file «{file_name}»"]
    if statement is not None:
        parts.append(statement)
    if entry_number is not None:
        reference = f" (rif. banca {entry_reference})" if entry_reference else ""
        parts.append(f"movimento n. {entry_number}{reference}")
    return StatementFileRefused(
        f"{', '.join(parts)}: {problem}.", file_name=file_name, statement=statement, entry_number=entry_number
    )


def euro(amount: Decimal) -> str:
    """An amount as a clerk reads it, never rounded: 1234.5 → "1.234,50", 0.125 → "0,125"."""
    exponent = amount.as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"{amount:,.{places}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
