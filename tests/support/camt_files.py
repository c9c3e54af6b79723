"""Synthetic ISO 20022 camt.053 / camt.054 files (optionally in the CBI envelope), written as a stream.

``write_statement`` writes the entries it is given one by one, so a 100,000-entry file never sits in memory as a
tree: the body goes to a side file while the totals are summed, then the header (balances and ``TxsSummry``, which
precede the entries in the schema) is written and the body copied after it. ``random_entries`` yields realistic
entries for benchmarks: batches with several ``TxDtls``, reversals with a return reason, pending entries, and
remittance text that carries the references a test wants the matcher to find.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

ISO_NS = "urn:iso:std:iso:20022:tech:xsd:"
CBI_BODY_NS = "urn:CBI:xsd:CBIBdyBkToCstmrStmtReq.00.01.02"
CBI_LOG_NS = "urn:CBI:xsd:CBIBkToCstmrStmtReqLogMsg.00.01.02"
CBI_DAILY_NS = "urn:CBI:xsd:CBIDlyStmtReqLogMsg.00.01.02"
STATEMENT = "camt.053"
NOTIFICATION = "camt.054"
OUR_IBAN = "IT60X0542811101000000123456"

_FIRST_NAMES = ("Mario", "Giulia", "Luca", "Anna", "Paolo", "Chiara", "Marco", "Sara", "Condominio", "Azienda")
_LAST_NAMES = ("Rossi", "Bianchi", "Esposito", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo")
_RETURN_REASONS = ("AC06", "AC04", "AM04", "MD06", "MS02")


@dataclass(frozen=True, slots=True)
class DetailSpec:
    """One ``TxDtls`` as it will be written; ``None`` and ``()`` leave the element out."""

    amount: Decimal
    # where the detail's amount goes: "TxAmt" (AmtDtls/TxAmt/Amt), "Amt" (TxDtls/Amt, v04+) or "" (not written:
    # the reader takes the entry's amount, which is only defined for an entry with one detail)
    amount_tag: str = "TxAmt"
    account_servicer_reference: str | None = None
    end_to_end_id: str | None = None
    mandate_id: str | None = None
    transaction_id: str | None = None
    instruction_id: str | None = None
    debtor_name: str | None = None
    debtor_iban: str | None = None
    remittance_lines: tuple[str, ...] = ()
    creditor_reference: str | None = None
    return_reason: str | None = None


@dataclass(frozen=True, slots=True)
class EntrySpec:
    """One ``Ntry``; its amount is ``amount`` when given, else the sum of its details."""

    direction: str  # "CRDT" or "DBIT"
    booking_date: date
    value_date: date
    details: tuple[DetailSpec, ...] = ()
    amount: Decimal | None = None
    status: str = "BOOK"
    reversal: bool = False
    account_servicer_reference: str | None = None
    batch: bool = False  # write NtryDtls/Btch before the details
    currency: str = "EUR"
    domain: tuple[str, str, str] | None = ("PMNT", "RCDT", "ESCT")
    proprietary_code: str | None = None

    @property
    def total(self) -> Decimal:
        """The amount the entry's ``Amt`` element carries."""
        return self.amount if self.amount is not None else sum((d.amount for d in self.details), Decimal(0))


@dataclass(slots=True)
class _Sums:
    """What the header must declare, summed while the body is written."""

    entries: int = 0
    absolute: Decimal = Decimal(0)
    credits: int = 0
    credit_sum: Decimal = Decimal(0)
    debits: int = 0
    debit_sum: Decimal = Decimal(0)
    booked_net: Decimal = Decimal(0)
    booked_items: int = 0
    pending_entries: int = 0

    def add(self, entry: EntrySpec) -> None:
        amount = entry.total
        self.entries += 1
        self.absolute += amount
        if entry.direction == "CRDT":
            self.credits += 1
            self.credit_sum += amount
        else:
            self.debits += 1
            self.debit_sum += amount
        if entry.status == "BOOK":
            self.booked_net += amount if entry.direction == "CRDT" else -amount
            self.booked_items += max(len(entry.details), 1)
        else:
            self.pending_entries += 1


@dataclass(frozen=True, slots=True)
class WrittenStatement:
    """What ``write_statement`` wrote: where, how many entries and booked items, and the closing balance."""

    path: Path
    entries: int
    booked_items: int
    pending_entries: int
    opening: Decimal
    closing: Decimal


@dataclass(frozen=True, slots=True)
class StatementHeader:
    """The statement-level values of a written file."""

    kind: str = STATEMENT
    version: str = "001.02"
    cbi: bool = False
    statement_id: str = "STMT-2026-0001"
    message_id: str = "MSG-2026-0001"
    iban: str = OUR_IBAN
    currency: str = "EUR"
    opening: Decimal = Decimal("25000.00")
    balances: bool = True
    summary: bool = True
    pretty: bool = False  # a line break and indentation between elements, as banks write them


def write_statement(
    path: Path, entries: Iterable[EntrySpec], header: StatementHeader | None = None
) -> WrittenStatement:
    """Write a camt file holding one statement (or notification) of ``entries``; totals and balances agree."""
    header = header or StatementHeader()
    if header.cbi and (header.kind, header.version) != (STATEMENT, "001.02"):
        raise ValueError("the CBI envelope wraps camt.053.001.02 only")
    v08 = header.version >= "001.08"
    sums = _Sums()
    body_path = path.with_name(path.name + ".body")
    with body_path.open("w", encoding="utf-8") as body:
        for entry in entries:
            sums.add(entry)
            body.write(_layout(entry_xml(entry, v08=v08), header.pretty))
    closing = header.opening + sums.booked_net
    try:
        with path.open("w", encoding="utf-8") as out:
            out.write(_layout(_head(header, sums, closing), header.pretty))
            with body_path.open(encoding="utf-8") as body:
                shutil.copyfileobj(body, out, 1 << 20)
            out.write(_tail(header))
    finally:
        body_path.unlink()
    return WrittenStatement(path, sums.entries, sums.booked_items, sums.pending_entries, header.opening, closing)


def _layout(xml: str, pretty: bool) -> str:
    # text never holds "><" (it would be escaped), so this only touches the space between tags
    return xml.replace("><", ">\n      <") if pretty else xml


def _head(header: StatementHeader, sums: _Sums, closing: Decimal) -> str:
    container = "Stmt" if header.kind == STATEMENT else "Ntfctn"
    group = f"<GrpHdr><MsgId>{escape(header.message_id)}</MsgId><CreDtTm>2026-01-06T06:00:00</CreDtTm></GrpHdr>"
    statement = (
        f"<{container}><Id>{escape(header.statement_id)}</Id><CreDtTm>2026-01-06T06:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{header.iban}</IBAN></Id></Acct>"
    )
    if header.balances and header.kind == STATEMENT:
        statement += _balance("OPBD", header.opening, header.currency) + _balance("CLBD", closing, header.currency)
    if header.summary:
        statement += summary_xml(sums, v08=header.version >= "001.08")
    if header.cbi:
        return (
            f'<?xml version="1.0" encoding="UTF-8"?><BDY:CBIBdyBkToCstmrStmtReq xmlns:BDY="{CBI_BODY_NS}" '
            f'xmlns:DATA="{CBI_LOG_NS}"><BDY:PhyMsgInf><BDY:PhyMsgTpCd>INF-STMT-01</BDY:PhyMsgTpCd>'
            "<BDY:NbOfLogMsg>1</BDY:NbOfLogMsg></BDY:PhyMsgInf><BDY:CBIEnvelBkToCstmrStmtReqLogMsg>"
            f'<BDY:CBIBkToCstmrStmtReqLogMsg><DATA:CBIDlyStmtReqLogMsg xmlns="{CBI_DAILY_NS}">{group}{statement}'
        )
    message = "BkToCstmrStmt" if header.kind == STATEMENT else "BkToCstmrDbtCdtNtfctn"
    namespace = f"{ISO_NS}{header.kind}.{header.version}"
    return f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{namespace}"><{message}>{group}{statement}'


def _tail(header: StatementHeader) -> str:
    if header.cbi:
        return (
            "</Stmt></DATA:CBIDlyStmtReqLogMsg></BDY:CBIBkToCstmrStmtReqLogMsg>"
            "</BDY:CBIEnvelBkToCstmrStmtReqLogMsg></BDY:CBIBdyBkToCstmrStmtReq>\n"
        )
    if header.kind == STATEMENT:
        return "</Stmt></BkToCstmrStmt></Document>\n"
    return "</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n"


def _balance(code: str, signed: Decimal, currency: str) -> str:
    direction = "CRDT" if signed >= 0 else "DBIT"
    return (
        f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="{currency}">{abs(signed):f}</Amt>'
        f"<CdtDbtInd>{direction}</CdtDbtInd><Dt><Dt>2026-01-05</Dt></Dt></Bal>"
    )


def summary_xml(sums: _Sums, *, v08: bool) -> str:
    """The ``TxsSummry`` element for the summed entries, in the v02 or the v04+ shape of the net amount."""
    net = sums.credit_sum - sums.debit_sum
    direction = "CRDT" if net >= 0 else "DBIT"
    if v08:
        net_xml = f"<TtlNetNtry><Amt>{abs(net):f}</Amt><CdtDbtInd>{direction}</CdtDbtInd></TtlNetNtry>"
    else:
        net_xml = f"<TtlNetNtryAmt>{abs(net):f}</TtlNetNtryAmt><CdtDbtInd>{direction}</CdtDbtInd>"
    return (
        f"<TxsSummry><TtlNtries><NbOfNtries>{sums.entries}</NbOfNtries><Sum>{sums.absolute:f}</Sum>{net_xml}"
        f"</TtlNtries><TtlCdtNtries><NbOfNtries>{sums.credits}</NbOfNtries><Sum>{sums.credit_sum:f}</Sum>"
        f"</TtlCdtNtries><TtlDbtNtries><NbOfNtries>{sums.debits}</NbOfNtries><Sum>{sums.debit_sum:f}</Sum>"
        "</TtlDbtNtries></TxsSummry>"
    )


def entry_xml(entry: EntrySpec, *, v08: bool) -> str:
    """One ``<Ntry>`` element, schema order, in the v02 or v08 shape (``Sts/Cd``, ``Dbtr/Pty/Nm``)."""
    status = f"<Sts><Cd>{entry.status}</Cd></Sts>" if v08 else f"<Sts>{entry.status}</Sts>"
    parts = [
        f'<Ntry><Amt Ccy="{entry.currency}">{entry.total:f}</Amt><CdtDbtInd>{entry.direction}</CdtDbtInd>',
        "<RvslInd>true</RvslInd>" if entry.reversal else "",
        status,
        f"<BookgDt><Dt>{entry.booking_date.isoformat()}</Dt></BookgDt>",
        f"<ValDt><Dt>{entry.value_date.isoformat()}</Dt></ValDt>",
        _optional("AcctSvcrRef", entry.account_servicer_reference),
        _bank_code(entry),
    ]
    if entry.details or entry.batch:
        parts.append("<NtryDtls>")
        if entry.batch:
            parts.append(
                f'<Btch><NbOfTxs>{len(entry.details)}</NbOfTxs><TtlAmt Ccy="{entry.currency}">{entry.total:f}'
                f"</TtlAmt><CdtDbtInd>{entry.direction}</CdtDbtInd></Btch>"
            )
        parts.extend(detail_xml(detail, entry.currency, v08=v08) for detail in entry.details)
        parts.append("</NtryDtls>")
    parts.append("</Ntry>")
    return "".join(parts)


def _bank_code(entry: EntrySpec) -> str:
    domain = ""
    if entry.domain:
        code, family, subfamily = entry.domain
        domain = f"<Domn><Cd>{code}</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>{subfamily}</SubFmlyCd></Fmly></Domn>"
    proprietary = ""
    if entry.proprietary_code:
        proprietary = f"<Prtry><Cd>{escape(entry.proprietary_code)}</Cd><Issr>CBI</Issr></Prtry>"
    return f"<BkTxCd>{domain}{proprietary}</BkTxCd>"


def detail_xml(detail: DetailSpec, currency: str, *, v08: bool) -> str:
    """One ``<TxDtls>`` element in schema order."""
    refs = "".join(
        _optional(tag, value)
        for tag, value in (
            ("AcctSvcrRef", detail.account_servicer_reference),
            ("InstrId", detail.instruction_id),
            ("EndToEndId", detail.end_to_end_id),
            ("TxId", detail.transaction_id),
            ("MndtId", detail.mandate_id),
        )
    )
    amount = f'<Amt Ccy="{currency}">{detail.amount:f}</Amt>'
    parts = [
        "<TxDtls>",
        f"<Refs>{refs}</Refs>" if refs else "",
        amount if detail.amount_tag == "Amt" else "",
        f"<AmtDtls><TxAmt>{amount}</TxAmt></AmtDtls>" if detail.amount_tag == "TxAmt" else "",
        _parties(detail, v08=v08),
        _remittance(detail),
        f"<RtrInf><Rsn><Cd>{detail.return_reason}</Cd></Rsn></RtrInf>" if detail.return_reason else "",
        "</TxDtls>",
    ]
    return "".join(parts)


def _parties(detail: DetailSpec, *, v08: bool) -> str:
    if detail.debtor_name is None and detail.debtor_iban is None:
        return ""
    debtor = ""
    if detail.debtor_name is not None:
        name = f"<Nm>{escape(detail.debtor_name)}</Nm>"
        debtor = f"<Dbtr><Pty>{name}</Pty></Dbtr>" if v08 else f"<Dbtr>{name}</Dbtr>"
    account = f"<DbtrAcct><Id><IBAN>{detail.debtor_iban}</IBAN></Id></DbtrAcct>" if detail.debtor_iban else ""
    return f"<RltdPties>{debtor}{account}</RltdPties>"


def _remittance(detail: DetailSpec) -> str:
    if not detail.remittance_lines and detail.creditor_reference is None:
        return ""
    lines = "".join(f"<Ustrd>{escape(line)}</Ustrd>" for line in detail.remittance_lines)
    structured = ""
    if detail.creditor_reference is not None:
        structured = (
            "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
            f"<Ref>{escape(detail.creditor_reference)}</Ref></CdtrRefInf></Strd>"
        )
    return f"<RmtInf>{lines}{structured}</RmtInf>"


def _optional(tag: str, value: str | None) -> str:
    return f"<{tag}>{escape(value)}</{tag}>" if value is not None else ""


def random_entries(
    count: int,
    *,
    seed: int = 1,
    batched_share: float = 0.1,
    reversed_share: float = 0.02,
    pending_share: float = 0.01,
    references: Sequence[str] = (),
    v08: bool = False,
    start: date = date(2026, 1, 5),
) -> Iterator[EntrySpec]:
    """``count`` realistic entries; the n-th booked item's remittance carries ``references[n % len]`` if given.

    A batched entry holds 2 to 5 details, half of them with a reference of their own; a reversed entry is a
    returned SDD (a debit with a return reason); a pending entry has status PDNG.
    """
    rng = random.Random(seed)
    item_number = 0
    for number in range(count):
        size = rng.randint(2, 5) if rng.random() < batched_share else 1
        details = []
        for k in range(size):
            reference = references[item_number % len(references)] if references else f"FT-2026-{item_number:07d}"
            details.append(_random_detail(rng, number, k, size, reference, v08=v08))
            item_number += 1
        yield _random_entry(rng, number, tuple(details), reversed_share, pending_share, start)


def _random_detail(rng: random.Random, number: int, k: int, size: int, reference: str, *, v08: bool) -> DetailSpec:
    name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
    return DetailSpec(
        amount=Decimal(rng.randint(500, 250_000)) / 100,
        amount_tag="Amt" if v08 and rng.random() < 0.5 else "TxAmt",
        account_servicer_reference=f"TX{number:09d}{k:02d}" if size > 1 and k % 2 == 0 else None,
        end_to_end_id=f"E2E-{number:09d}-{k}",
        instruction_id=f"INS-{number:09d}-{k}" if rng.random() < 0.3 else None,
        debtor_name=name,
        debtor_iban=f"IT{rng.randint(10, 99)}X0306909606{rng.randrange(10**12):012d}",
        remittance_lines=(f"Pagamento {reference} {name}",),
        creditor_reference=f"RF{rng.randint(10, 99)}{number:010d}" if rng.random() < 0.2 else None,
    )


def _random_entry(
    rng: random.Random,
    number: int,
    details: tuple[DetailSpec, ...],
    reversed_share: float,
    pending_share: float,
    start: date,
) -> EntrySpec:
    booked_on = start + timedelta(days=number % 28)
    reversal = rng.random() < reversed_share
    if reversal:
        # a returned direct debit: the original credit is taken back, with the reason on each detail
        reason = rng.choice(_RETURN_REASONS)
        details = tuple(replace(d, mandate_id=f"MND-{number:09d}", return_reason=reason) for d in details)
    return EntrySpec(
        direction="DBIT" if reversal else "CRDT",
        booking_date=booked_on,
        value_date=booked_on - timedelta(days=rng.randint(0, 2)),
        details=details,
        status="PDNG" if rng.random() < pending_share else "BOOK",
        reversal=reversal,
        account_servicer_reference=f"2026{number:012d}",
        batch=len(details) > 1,
        domain=("PMNT", "IDDT", "UPDD") if reversal else ("PMNT", "RCDT", "ESCT"),
        proprietary_code="48" if rng.random() < 0.5 else None,
    )
