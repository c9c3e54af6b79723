"""Reading CBI MAV flows, both ways (our dispositions; the bank's outcomes and MAV codes), and Ri.Ba. flows.

A file is accepted whole or refused whole: any fault raises `UnreadableCbiFlow` (an `UnreadableFile`) whose
message names the file, the line and, where there is one, the field and its positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from app.services.bank import cbi_mav_layouts as rec
from app.services.bank.cbi_mav_frame import (
    FlowKind,
    FlowSummary,
    UnreadableCbiFlow,
    check_flow_structure,
    parse_date_field,
    read_flow_records,
)
from app.services.bank.cbi_records import Field

__all__ = [
    "FlowKind",
    "FlowSummary",
    "MavCausale",
    "ParsedDisposition",
    "ParsedFlow",
    "ParsedFlowHeader",
    "UnreadableCbiFlow",
    "check_flow_structure",
    "parse_mav_flow",
]


class MavCausale(Enum):
    """Record 14, positions 29-33. In a return flow the causale is the outcome of the disposition."""

    MAV = "07000"  # sent to the bank: a MAV to collect; in a return flow: paid
    RETURNED_UNPAID = "07006"
    RECALLED = "07008"
    WRITTEN_OFF = "07010"
    PAID_AFTER_WRITE_OFF = "07011"
    RECALL_REQUEST = "07100"  # a flow that recalls MAV already sent (GAzie's generator)
    RIBA = "30000"


_CAUSALI = {causale.value: causale for causale in MavCausale}


@dataclass(frozen=True, slots=True)
class ParsedFlowHeader:
    """The header record (IM or IB). In a return flow the bank is the sender."""

    kind: FlowKind
    sender: str
    receiver: str
    created_on: date
    support_name: str
    currency: str


@dataclass(frozen=True, slots=True)
class ParsedDisposition:
    """One disposition as read: blank optional fields are None. Positions 48-57 hold the banca assuntrice
    in a disposition flow and the collecting bank in a return flow; 70-91 are filled in a return flow only
    (in a Ri.Ba. flow 70-79 hold the debtor's bank)."""

    line_number: int  # of its record 14
    progressive: int
    due_date: date
    causale: MavCausale
    amount: Decimal
    bank_abi: str
    bank_cab: str
    account: str
    assuntrice_abi: str | None
    assuntrice_cab: str | None
    assuntrice_account: str | None
    creditor_sia: str
    debtor_code_type: str
    debtor_code: str
    debtor_name: str
    tax_code: str
    reference: str  # the creditor's disposition number, without the zero padding
    mav_code: str | None
    fees: Decimal | None
    value_date: date | None
    bank_reference: str | None
    payment_date: date | None


@dataclass(frozen=True, slots=True)
class ParsedFlow:
    """A whole flow, checked: its records add up to the totals and counts of its EF record."""

    file_name: str
    header: ParsedFlowHeader
    dispositions: tuple[ParsedDisposition, ...]
    record_count: int
    negative_total: Decimal
    positive_total: Decimal

    def mav_codes(self) -> dict[str, str]:
        """The MAV code the bank assigned to each disposition number (dispositions without a code are left
        out); UnreadableCbiFlow if one number comes with two different codes."""
        codes: dict[str, str] = {}
        first_line: dict[str, int] = {}
        for disposition in self.dispositions:
            code, reference = disposition.mav_code, disposition.reference
            if code is None:
                continue
            first_line.setdefault(reference, disposition.line_number)
            if codes.setdefault(reference, code) != code:
                problem = (
                    f"la disposizione numero {reference} ha il codice MAV {code}, ma alla riga "
                    f"{first_line[reference]} ne ha un altro ({codes[reference]})"
                )
                raise UnreadableCbiFlow(self.file_name, disposition.line_number, problem)
        return codes


def _optional_date(line: str, field: Field, file_name: str, line_number: int) -> date | None:
    if line[field.span].isspace():
        return None
    return parse_date_field(line, field, file_name, line_number)


def _optional_cents(line: str, field: Field, file_name: str, line_number: int) -> Decimal | None:
    text = line[field.span]
    if text.isspace():
        return None
    if not text.isdigit():
        raise UnreadableCbiFlow(file_name, line_number, f"«{text}» non è un importo in centesimi", field)
    return Decimal(int(text)).scaleb(-2)


def _optional_text(text: str) -> str | None:
    return text.strip() or None


def _parse_header(line: str, file_name: str) -> ParsedFlowHeader:
    layout = rec.IM
    return ParsedFlowHeader(
        kind=FlowKind(line[1:3]),
        sender=layout.read(line, "sender").strip(),
        receiver=layout.read(line, "receiver").strip(),
        created_on=parse_date_field(line, layout.field("created_on"), file_name, 1),
        support_name=layout.read(line, "support_name").strip(),
        currency=layout.read(line, "currency").strip(),
    )


_S14 = {field.name: field.span for field in rec.R14_RETURN.fields} | {"account": rec.R14.field("account").span}
_DUE_DATE = rec.R14.field("due_date")
_CAUSALE = rec.R14.field("causale")
_S30 = {field.name: field.span for field in rec.R30.fields}
_S51 = {field.name: field.span for field in rec.R51_RETURN.fields}
_R51_FIELDS = {field.name: field for field in rec.R51_RETURN.fields}


def _parse_causale(line: str, file_name: str, line_number: int) -> MavCausale:
    code = line[_CAUSALE.span]
    causale = _CAUSALI.get(code)
    if causale is None:
        raise UnreadableCbiFlow(file_name, line_number, f"causale «{code}» sconosciuta", _CAUSALE)
    return causale


def _parse_disposition(number: int, r14: str, r30: str, r51_number: int, r51: str, file_name: str) -> ParsedDisposition:
    reference = r51[_S51["reference"]].strip()
    return ParsedDisposition(
        line_number=number,
        progressive=int(r14[3:10]),
        due_date=parse_date_field(r14, _DUE_DATE, file_name, number),
        causale=_parse_causale(r14, file_name, number),
        amount=Decimal(int(r14[_S14["amount"]])).scaleb(-2),
        bank_abi=r14[_S14["bank_abi"]].strip(),
        bank_cab=r14[_S14["bank_cab"]].strip(),
        account=r14[_S14["account"]].strip(),
        assuntrice_abi=_optional_text(r14[_S14["assuntrice_abi"]]),
        assuntrice_cab=_optional_text(r14[_S14["assuntrice_cab"]]),
        assuntrice_account=_optional_text(r14[_S14["assuntrice_account"]]),
        creditor_sia=r14[_S14["creditor_sia"]].strip(),
        debtor_code_type=r14[_S14["debtor_code_type"]].strip(),
        debtor_code=r14[_S14["debtor_code"]].strip(),
        debtor_name=r30[_S30["debtor_name"]].rstrip(),
        tax_code=r30[_S30["tax_code"]].strip(),
        reference=(reference.lstrip("0") or "0") if reference.isdigit() else reference,
        mav_code=_optional_text(r51[_S51["mav_code"]]),
        fees=_optional_cents(r51, _R51_FIELDS["fees"], file_name, r51_number),
        value_date=_optional_date(r51, _R51_FIELDS["value_date"], file_name, r51_number),
        bank_reference=_optional_text(r51[_S51["bank_reference"]]),
        payment_date=_optional_date(r51, _R51_FIELDS["payment_date"], file_name, r51_number),
    )


def parse_mav_flow(data: bytes, file_name: str) -> ParsedFlow:
    """Read a MAV flow, either way (our dispositions; the bank's outcomes or MAV codes), or a Ri.Ba. flow,
    with CRLF or LF line ends. Everything is checked before anything is returned: a fault anywhere raises
    UnreadableCbiFlow naming `file_name`, the line and the field."""
    lines, summary = read_flow_records(data, file_name)
    by_type: dict[str, list[tuple[int, str]]] = {"14": [], "30": [], "51": []}
    for number, line in enumerate(lines, start=1):
        group = by_type.get(line[1:3])
        if group is not None:
            group.append((number, line))
    dispositions = tuple(
        _parse_disposition(n14, r14, r30, n51, r51, file_name)
        for (n14, r14), (_, r30), (n51, r51) in zip(by_type["14"], by_type["30"], by_type["51"], strict=True)
    )
    return ParsedFlow(
        file_name=file_name,
        header=_parse_header(lines[0], file_name),
        dispositions=dispositions,
        record_count=summary.record_count,
        negative_total=Decimal(summary.negative_total).scaleb(-2),
        positive_total=Decimal(summary.positive_total).scaleb(-2),
    )
