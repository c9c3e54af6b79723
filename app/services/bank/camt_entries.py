"""One camt entry (``Ntry``) read into its booked transactions: amounts, dates, references, parties, remittance.

Everything here works on one small element at a time and raises ``CamtProblem`` with the clerk's words for what
is wrong; the reader adds which file, statement and entry. Element lookups use names qualified once per namespace
(``Tags``), so ``Element.find`` stays on its C fast path: the namespace may be any camt version, or CBI's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from functools import cache
from typing import NamedTuple
from xml.etree.ElementTree import Element

from app.services.bank.camt_types import BankTransaction, BankTransactionCode, Direction

BOOKED = "BOOK"
_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # the schema's decimal: ASCII digits, no sign, no exponent
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DIRECTIONS = {"CRDT": Direction.CREDIT, "DBIT": Direction.DEBIT}
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


class CamtProblem(Exception):
    """What is wrong with one value of the file, in the clerk's words; the caller adds where it is."""


@dataclass(frozen=True, slots=True)
class Tags:
    """The camt element names qualified by one namespace (``{uri}Name``), built once per namespace."""

    Acct: str
    AcctSvcrRef: str
    Amt: str
    AmtDtls: str
    Bal: str
    BkTxCd: str
    BookgDt: str
    Btch: str
    Cd: str
    CdOrPrtry: str
    CdtDbtInd: str
    CdtrRefInf: str
    Dbtr: str
    DbtrAcct: str
    Domn: str
    Dt: str
    DtTm: str
    EndToEndId: str
    Fmly: str
    IBAN: str
    Id: str
    InstdAmt: str
    InstrId: str
    MndtId: str
    MsgId: str
    NbOfNtries: str
    Nm: str
    NtryDtls: str
    Prtry: str
    Pty: str
    Ref: str
    Refs: str
    RltdPties: str
    RmtInf: str
    Rsn: str
    RtrInf: str
    RvslInd: str
    Strd: str
    Sts: str
    SubFmlyCd: str
    Sum: str
    TtlCdtNtries: str
    TtlDbtNtries: str
    TtlNetNtry: str
    TtlNetNtryAmt: str
    TtlNtries: str
    Tp: str
    TxAmt: str
    TxDtls: str
    TxId: str
    TxsSummry: str
    Ustrd: str
    ValDt: str


@cache
def tags_for(namespace: str) -> Tags:
    """The names of ``namespace`` given as ``{uri}`` (or ``""`` for none)."""
    return Tags(**{field.name: f"{namespace}{field.name}" for field in fields(Tags)})


def namespace_of(tag: str) -> str:
    """The ``{uri}`` part of a qualified tag, or ``""``."""
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


def local_name(tag: str) -> str:
    """The tag without its namespace."""
    return tag.rpartition("}")[2]


class Shared:
    """One copy of the values thousands of transactions repeat (currencies, codes, dates): keeps 100k items small."""

    def __init__(self) -> None:
        self._strings: dict[str, str] = {}
        self._dates: dict[str, date] = {}
        self._codes: dict[tuple[str | None, ...], BankTransactionCode] = {}

    def text(self, value: str) -> str:
        """``value``, or the equal string already kept."""
        return self._strings.setdefault(value, value)

    def day(self, text: str) -> date:
        """The date of an ISO ``Dt`` or ``DtTm`` text (its first ten characters); a time zone suffix is ignored."""
        found = self._dates.get(text)
        if found is None:
            day = text.strip()[:10]
            try:
                found = date.fromisoformat(day) if _DATE.fullmatch(day) else None
            except ValueError:
                found = None
            if found is None:
                raise CamtProblem(f"la data «{text.strip()}» non è valida (AAAA-MM-GG)")
            self._dates[text] = found
        return found

    def code(self, values: tuple[str | None, str | None, str | None, str | None]) -> BankTransactionCode:
        """The bank transaction code with these parts, one object per distinct code."""
        found = self._codes.get(values)
        if found is None:
            found = self._codes[values] = BankTransactionCode(*values)
        return found


class EntryReading(NamedTuple):
    """An entry's amount and sign (for the totals) and, when booked, its transactions.

    A transaction whose ``bank_reference`` is empty had no reference in the file: the statement completes it
    from its id once known (see ``BankTransaction``).
    """

    amount: Decimal
    direction: Direction
    booked: bool
    several_details: bool
    transactions: list[BankTransaction]


class _Head(NamedTuple):
    """The entry-level values every transaction of the entry repeats (a tuple: built 100,000 times, and fast)."""

    number: int
    amount: Decimal
    currency: str
    direction: Direction
    reversal: bool
    status: str
    booking_date: date | None
    value_date: date | None
    reference: str | None
    code: BankTransactionCode
    batch: bool
    several: bool  # several TxDtls: each is its own transaction, told apart by its number


def read_entry(entry: Element, t: Tags, shared: Shared, number: int) -> EntryReading:
    """Read entry ``number`` of a statement; a non-booked entry yields its amount and sign but no transaction."""
    amount, currency = money(entry.find(t.Amt), "l'importo", shared)
    direction = read_direction(entry.findtext(t.CdtDbtInd), "del movimento")
    status = _status(entry, t)
    if status != BOOKED:
        return EntryReading(amount, direction, False, False, [])
    details: list[Element] = []
    batch = False
    for block in entry.findall(t.NtryDtls):  # the schema allows several NtryDtls, each with its own batch
        batch = batch or block.find(t.Btch) is not None
        details.extend(block.findall(t.TxDtls))
    head = _Head(
        number=number,
        amount=amount,
        currency=currency,
        direction=direction,
        reversal=_flag(entry.findtext(t.RvslInd)),
        status=shared.text(status),
        booking_date=_date(entry.find(t.BookgDt), t, shared),
        value_date=_date(entry.find(t.ValDt), t, shared),
        reference=clean(entry.findtext(t.AcctSvcrRef)),
        code=_code(entry.find(t.BkTxCd), t, shared),
        batch=batch or len(details) > 1,
        several=len(details) > 1,
    )
    if not details:
        return EntryReading(amount, direction, True, False, [_transaction(head, None, 1, t, shared)])
    items = [_transaction(head, detail, k, t, shared) for k, detail in enumerate(details, 1)]
    return EntryReading(amount, direction, True, len(details) > 1, items)


def _transaction(head: _Head, detail: Element | None, k: int, t: Tags, shared: Shared) -> BankTransaction:
    """The transaction of detail ``k``, or of the whole entry when it has no detail."""
    if detail is None:
        return BankTransaction(
            head.reference or "", head.number, 1, head.batch, head.amount, head.amount, head.currency,
            head.direction, head.reversal, head.status, head.booking_date, head.value_date, head.reference,
            None, None, None, None, None, head.code, None, None, None, None, None,
        )  # fmt: skip
    try:
        return _detail_transaction(head, detail, k, t, shared)
    except CamtProblem as problem:
        raise CamtProblem(f"dettaglio n. {k}: {problem}") from None


def _detail_transaction(head: _Head, detail: Element, k: int, t: Tags, shared: Shared) -> BankTransaction:
    amount, currency = _detail_amount(detail, head, t, shared)
    if amount == head.amount:
        amount = head.amount  # one Decimal for both: a hundred bytes less for most transactions
    direction = head.direction
    own_direction = detail.findtext(t.CdtDbtInd)
    if own_direction is not None:
        direction = read_direction(own_direction, "del dettaglio")
    own, end_to_end, mandate, transaction_id, instruction = _references(detail.find(t.Refs), t)
    if own:
        reference = own
    elif head.reference:
        reference = f"{head.reference}#{k}" if head.several else head.reference
    else:
        reference = ""  # the statement completes it from its id
    debtor_name, debtor_iban = _debtor(detail.find(t.RltdPties), t)
    remittance, creditor_reference = _remittance(detail.find(t.RmtInf), t)
    return BankTransaction(
        reference, head.number, k, head.batch, amount, head.amount, currency, direction, head.reversal,
        head.status, head.booking_date, head.value_date, head.reference, own, end_to_end, mandate, transaction_id,
        instruction, head.code, debtor_name, debtor_iban, remittance, creditor_reference,
        _return_reason(detail.find(t.RtrInf), t),
    )  # fmt: skip


def _detail_amount(detail: Element, head: _Head, t: Tags, shared: Shared) -> tuple[Decimal, str]:
    """TxAmt, else TxDtls/Amt, else the entry's amount when it is the only detail, else InstdAmt in its currency."""
    amounts = detail.find(t.AmtDtls)
    node = None
    if amounts is not None:
        transaction = amounts.find(t.TxAmt)
        node = transaction.find(t.Amt) if transaction is not None else None
    if node is None:
        node = detail.find(t.Amt)
    if node is not None:
        return money(node, "l'importo", shared)
    if not head.several:
        return head.amount, head.currency
    instructed = amounts.find(t.InstdAmt) if amounts is not None else None
    node = instructed.find(t.Amt) if instructed is not None else None
    if node is not None and node.get("Ccy") == head.currency:
        return money(node, "l'importo", shared)
    raise CamtProblem("manca l'importo (AmtDtls/TxAmt/Amt), che serve quando un movimento ha più dettagli")


def _references(refs: Element | None, t: Tags) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    """The detail's own AcctSvcrRef, EndToEndId, MndtId, TxId and InstrId."""
    if refs is None:
        return None, None, None, None, None
    return (
        clean(refs.findtext(t.AcctSvcrRef)),
        clean(refs.findtext(t.EndToEndId)),
        clean(refs.findtext(t.MndtId)),
        clean(refs.findtext(t.TxId)),
        clean(refs.findtext(t.InstrId)),
    )


def _debtor(parties: Element | None, t: Tags) -> tuple[str | None, str | None]:
    """Debtor name (``Dbtr/Nm``, or ``Dbtr/Pty/Nm`` from v08) and IBAN (``DbtrAcct/Id/IBAN``)."""
    if parties is None:
        return None, None
    name = None
    debtor = parties.find(t.Dbtr)
    if debtor is not None:
        name = debtor.findtext(t.Nm)
        if name is None:
            party = debtor.find(t.Pty)
            name = party.findtext(t.Nm) if party is not None else None
    iban = None
    account = parties.find(t.DbtrAcct)
    if account is not None:
        identification = account.find(t.Id)
        iban = clean(identification.findtext(t.IBAN)) if identification is not None else None
    return tidy(name), iban


def _remittance(info: Element | None, t: Tags) -> tuple[str | None, str | None]:
    """The unstructured lines joined by newlines, and the first structured creditor reference."""
    if info is None:
        return None, None
    lines = [line for line in (tidy(node.text) for node in info.findall(t.Ustrd)) if line]
    reference = None
    for structured in info.findall(t.Strd):
        creditor = structured.find(t.CdtrRefInf)
        reference = clean(creditor.findtext(t.Ref)) if creditor is not None else None
        if reference:
            break
    return "\n".join(lines) or None, reference


def _return_reason(info: Element | None, t: Tags) -> str | None:
    reason = info.find(t.Rsn) if info is not None else None
    if reason is None:
        return None
    return clean(reason.findtext(t.Cd)) or clean(reason.findtext(t.Prtry))


def _status(entry: Element, t: Tags) -> str:
    """``Sts`` as text (up to v07) or ``Sts/Cd`` (v08 on); a proprietary status counts as not booked."""
    node = entry.find(t.Sts)
    status = None
    if node is not None:
        status = clean(node.findtext(t.Cd)) or clean(node.text) or clean(node.findtext(t.Prtry))
    if status is None:
        raise CamtProblem("manca lo stato (Sts), quindi non si sa se la banca lo ha contabilizzato")
    return status


def _date(node: Element | None, t: Tags, shared: Shared) -> date | None:
    if node is None:
        return None
    text = node.findtext(t.Dt) or node.findtext(t.DtTm)
    return shared.day(text) if text else None


def _code(node: Element | None, t: Tags, shared: Shared) -> BankTransactionCode:
    domain = family = subfamily = proprietary = None
    if node is not None:
        iso = node.find(t.Domn)
        if iso is not None:
            domain = clean(iso.findtext(t.Cd))
            family_node = iso.find(t.Fmly)
            if family_node is not None:
                family = clean(family_node.findtext(t.Cd))
                subfamily = clean(family_node.findtext(t.SubFmlyCd))
        bank = node.find(t.Prtry)
        proprietary = clean(bank.findtext(t.Cd)) if bank is not None else None
    return shared.code((domain, family, subfamily, proprietary))


def _flag(text: str | None) -> bool:
    if text is None:
        return False
    value = _BOOLEANS.get(text.strip())
    if value is None:
        raise CamtProblem(f"l'indicatore di storno (RvslInd) «{text.strip()}» non è true né false")
    return value


def money(node: Element | None, what: str, shared: Shared) -> tuple[Decimal, str]:
    """The amount and currency of an ``Amt``-like element; refuses a missing, signed or malformed amount."""
    if node is None:
        raise CamtProblem(f"manca {what} (Amt)")
    currency = node.get("Ccy")
    if not currency:
        raise CamtProblem(f"{what} non indica la valuta (Ccy)")
    return amount_of(node.text, what), shared.text(currency)


def amount_of(text: str | None, what: str) -> Decimal:
    """A schema decimal (digits, optionally a dot and digits) as Decimal; anything else is refused."""
    value = (text or "").strip()
    if not _AMOUNT.fullmatch(value):
        shown = f"«{value}»" if value else "vuoto"
        raise CamtProblem(f"{what} {shown} non è un importo valido (cifre con il punto decimale, senza segno)")
    return Decimal(value)


def read_direction(text: str | None, what: str) -> Direction:
    """CRDT or DBIT; refuses a missing or other indicator."""
    if text is None:
        raise CamtProblem(f"manca il segno {what} (CdtDbtInd: CRDT o DBIT)")
    direction = _DIRECTIONS.get(text.strip())
    if direction is None:
        raise CamtProblem(f"il segno {what} «{text.strip()}» non è CRDT (accredito) né DBIT (addebito)")
    return direction


def clean(text: str | None) -> str | None:
    """The text without surrounding blanks, or None when nothing is left."""
    if not text:
        return None
    return text.strip() or None


def tidy(text: str | None) -> str | None:
    """The text with runs of blanks and line breaks made single spaces (pretty-printed files wrap names)."""
    if not text:
        return None
    return " ".join(text.split()) or None
