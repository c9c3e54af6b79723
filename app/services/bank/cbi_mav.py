"""Writing the CBI MAV disposition flow (creditor → banca assuntrice), checked by reading it back.

Bad input raises `InvalidDisposition` (an `InvalidInput`) naming the disposition and the field; a flow that
fails its own read-back raises `MavFlowSelfCheckFailed` and is never returned. Reading flows lives in
`cbi_mav_parse` (its names are re-exported here), record layouts in `cbi_mav_layouts`, the frame check in
`cbi_mav_frame`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import lru_cache

from stdnum import iban as iban_check

from app.services.bank import cbi_mav_layouts as rec
from app.services.bank.cbi_mav_frame import FlowKind, UnreadableCbiFlow, check_flow_structure
from app.services.bank.cbi_mav_parse import (
    MavCausale,
    ParsedDisposition,
    ParsedFlow,
    ParsedFlowHeader,
    parse_mav_flow,
)
from app.services.bank.cbi_records import FieldOverflow, ddmmyy, euro, fit_text, is_blank_text
from app.services.errors import CreditDeskError, InvalidInput

__all__ = [
    "DebtorCodeType",
    "FlowKind",
    "InvalidDisposition",
    "MavCausale",
    "MavCreditor",
    "MavDisposition",
    "MavFlowHeader",
    "MavFlowSelfCheckFailed",
    "ParsedDisposition",
    "ParsedFlow",
    "ParsedFlowHeader",
    "SlipType",
    "UnreadableCbiFlow",
    "parse_mav_flow",
    "write_mav_flow",
]

MAX_CENTS = 10**13 - 1  # record 14 holds 13 digits of cents


class InvalidDisposition(InvalidInput):
    """A MAV disposition (or the flow header) that cannot be written; the message names it and the field."""


class MavFlowSelfCheckFailed(CreditDeskError):
    """The flow just written did not read back as written: a fault of ours, never sent to the bank."""


class DebtorCodeType(Enum):
    """Record 14, position 97: what the debtor code in 98-113 is."""

    UTILITY = "1"  # utenza
    REGISTRATION_NUMBER = "2"  # matricola
    TAX_CODE = "3"
    CUSTOMER_CODE = "4"
    SUPPLIER_CODE = "5"
    COMMERCIAL_PORTFOLIO = "6"
    OTHER = "9"


class SlipType(Enum):
    """Record 70, position 94: how the bank prints the slip."""

    AS_AGREED = " "
    POSTAL = "P"
    BANK = "B"


@dataclass(frozen=True, slots=True)
class MavCreditor:
    """The creditor as the bank knows it: SIA code, account at the banca assuntrice, up to 4 lines of 24
    characters describing it on the slip, and optionally the IBAN (written in record 16)."""

    sia: str
    abi: str
    cab: str
    account: str
    description: tuple[str, ...]
    iban: str | None = None

    @classmethod
    def from_iban(cls, sia: str, iban: str, description: tuple[str, ...]) -> MavCreditor:
        """The creditor whose ABI, CAB and account are those inside an Italian IBAN."""
        compact = iban.replace(" ", "").upper()
        return cls(sia, compact[5:10], compact[10:15], compact[15:], description, compact)


@dataclass(frozen=True, slots=True)
class MavFlowHeader:
    """The flow as a whole: who sends it, to which bank, when. `support_name` is unique for each second and
    sender, as the OCA generator makes it."""

    sender_sia: str
    receiver_abi: str
    created_at: datetime
    currency: str = "E"

    @property
    def support_name(self) -> str:
        """The *nome supporto*: DDMMYYHHMMSS followed by the sender's SIA."""
        return f"{self.created_at:%d%m%y%H%M%S}{self.sender_sia}"


@dataclass(frozen=True, slots=True)
class MavDisposition:
    """One MAV notice to issue. Text is transliterated and cut to its field; codes and amounts never are.
    `reason` is up to 2 lines of 40 characters, `slip_text` up to 2 of 55 (none: no record 59)."""

    progressive: int
    reference: str  # the creditor's disposition number (e.g. the notice id): up to 10 digits
    due_date: date | None
    amount: Decimal
    creditor: MavCreditor
    debtor_code_type: DebtorCodeType
    debtor_code: str
    debtor_name: str
    tax_code: str
    address: str
    postcode: str
    town: str
    province: str
    reason: tuple[str, ...]
    country: str = "IT"
    address_extra: str = ""
    slip_text: tuple[str, ...] = ()
    slip_type: SlipType = SlipType.AS_AGREED


def _is_code(value: str, length: int, digits: bool = False) -> bool:
    fits = len(value) == length and value.isascii()
    return fits and (value.isdigit() if digits else value.isalnum())


def _header_problems(header: MavFlowHeader) -> Iterator[tuple[str, str]]:
    if not _is_code(header.sender_sia, 5):
        yield "codice SIA del mittente", f"«{header.sender_sia}» non è un codice SIA di 5 caratteri"
    if not _is_code(header.receiver_abi, 5, digits=True):
        yield "ABI della banca ricevente", f"«{header.receiver_abi}» non è un codice ABI di 5 cifre"
    if not isinstance(header.created_at, datetime):
        yield "data di creazione", "manca"
    if not _is_code(header.currency, 1):
        yield "codice divisa", f"«{header.currency}» non è un codice di una lettera"


@lru_cache(maxsize=64)
def _creditor_problems(creditor: MavCreditor) -> tuple[tuple[str, str], ...]:
    # Cached: a roll of 30,000 notices usually has one creditor, checked once.
    problems = []
    if not _is_code(creditor.sia, 5):
        problems.append(("codice SIA del creditore", f"«{creditor.sia}» non è un codice SIA di 5 caratteri"))
    if not _is_code(creditor.abi, 5, digits=True):
        problems.append(("ABI della banca assuntrice", f"«{creditor.abi}» non è un codice ABI di 5 cifre"))
    if not _is_code(creditor.cab, 5, digits=True):
        problems.append(("CAB della banca assuntrice", f"«{creditor.cab}» non è un codice CAB di 5 cifre"))
    if not (0 < len(creditor.account) <= 12 and _is_code(creditor.account, len(creditor.account))):
        problems.append(
            ("conto del creditore", f"«{creditor.account}» non è un conto di 12 lettere o cifre al massimo")
        )
    if not 0 < len(creditor.description) <= 4 or is_blank_text(creditor.description[0]):
        problems.append(("descrizione del creditore", "servono da 1 a 4 righe, la prima non vuota"))
    if creditor.iban is not None and not _iban_matches(creditor):
        problems.append(("IBAN del creditore", f"«{creditor.iban}» non è valido o non corrisponde ad ABI, CAB e conto"))
    return tuple(problems)


def _iban_matches(creditor: MavCreditor) -> bool:
    iban = creditor.iban or ""
    bban = f"{creditor.abi}{creditor.cab}{creditor.account.zfill(12)}"
    return len(iban) == 27 and iban.startswith("IT") and iban[5:] == bban and iban_check.is_valid(iban)


def _amount_problem(amount: Decimal) -> str | None:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        return f"«{amount}» non è un importo"
    if amount <= 0:
        return f"deve essere maggiore di zero (è {euro(amount)})"
    if amount * 100 != (amount * 100).to_integral_value():
        return f"{amount} ha più di due decimali: va arrotondato prima"
    if amount * 100 > MAX_CENTS:
        return f"{euro(amount)} supera il massimo di un MAV"
    return None


def _debtor_problems(disposition: MavDisposition) -> Iterator[tuple[str, str]]:
    # The bank posts the slip, so name and address must survive transliteration (symbols alone become blanks).
    if is_blank_text(disposition.debtor_name):
        yield "nome del debitore", "manca"
    if is_blank_text(disposition.address):
        yield "indirizzo del debitore", "manca"
    if is_blank_text(disposition.town):
        yield "comune e provincia del debitore", "manca il comune"
    postcode = disposition.postcode
    if disposition.country == "IT" and not _is_code(postcode, 5, digits=True):
        yield "CAP del debitore", f"«{postcode}» non è un CAP italiano di 5 cifre"


def _disposition_problems(disposition: MavDisposition, expected: int) -> Iterator[tuple[str, str]]:
    yield from _creditor_problems(disposition.creditor)
    if disposition.progressive != expected:
        yield "numero progressivo", f"è {disposition.progressive}, le disposizioni vanno numerate da 1 ({expected})"
    reference = disposition.reference
    if not (0 < len(reference) <= 10 and reference.isascii() and reference.isdigit()):
        yield "numero disposizione", f"«{reference}» non è un numero di 10 cifre al massimo"
    if not isinstance(disposition.due_date, date):
        yield "data di scadenza", "manca"
    problem = _amount_problem(disposition.amount)
    if problem is not None:
        yield "importo", problem
    yield from _debtor_problems(disposition)
    if not 0 < len(disposition.reason) <= 2 or is_blank_text(disposition.reason[0]):
        yield "causale del debito", "servono 1 o 2 righe, la prima non vuota"
    if len(disposition.slip_text) > 2:
        yield "testo del bollettino", "al massimo 2 righe"


def _check_disposition(disposition: MavDisposition, expected: int) -> None:
    for label, problem in _disposition_problems(disposition, expected):
        raise InvalidDisposition(f"{_which(disposition, expected)}, campo «{label}»: {problem}.")


def _which(disposition: MavDisposition, expected: int) -> str:
    return f"Disposizione MAV n. {expected} (numero disposizione {disposition.reference})"


def _town_and_province(town: str, province: str) -> str:
    # The province must survive a long town name: cut the town, never the province.
    province = fit_text(province, 2)
    if not province:
        return town
    return f"{fit_text(town, 25 - 3)} {province}"


def _lines(lines: tuple[str, ...], count: int) -> tuple[str, ...]:
    return (*lines, *([""] * (count - len(lines))))


@lru_cache(maxsize=64)
def _disposition_template(
    creditor: MavCreditor, currency: str, slip_type: SlipType, with_slip_text: bool
) -> tuple[str, int]:
    # All but the debtor's data is the same in every notice of a creditor: written once, here, and each
    # notice then costs one `%` of its own values.
    records = [
        rec.R14.template(
            causale=MavCausale.MAV.value, sign="-", bank_abi=creditor.abi, bank_cab=creditor.cab,
            account=creditor.account.zfill(12), creditor_sia=creditor.sia, currency=currency,
        )
    ]  # fmt: skip
    if creditor.iban:
        iban = creditor.iban
        records.append(
            rec.R16.template(
                country=iban[0:2], check_digits=iban[2:4], cin=iban[4], abi=iban[5:10], cab=iban[10:15],
                account=iban[15:27],
            )
        )  # fmt: skip
    lines = dict(zip(rec.R20.names[1:], _lines(creditor.description, 4), strict=True))
    records += [rec.R20.template(**lines), rec.R30.template(), rec.R40.template(), rec.R50.template()]
    records.append(rec.R51.template(mav_code=""))
    if with_slip_text:
        records.append(rec.R59.template())
    records.append(rec.R70.template(slip_type=slip_type.value, control_keys=""))
    return "\r\n".join(records), len(records)


_WRITE = {
    name: layout.formatter(name)
    for layout in (rec.R14, rec.R30, rec.R40, rec.R50, rec.R51, rec.R59)
    for name in layout.names
}


def _values(disposition: MavDisposition) -> dict[str, str]:
    write, due = _WRITE, disposition.due_date
    assert due is not None  # _check_disposition refused it
    reason, slip = _lines(disposition.reason, 2), _lines(disposition.slip_text, 2)
    return {
        "progressive": write["progressive"](disposition.progressive),
        "due_date": write["due_date"](ddmmyy(due)),
        "amount": write["amount"](int(disposition.amount * 100)),
        "debtor_code_type": write["debtor_code_type"](disposition.debtor_code_type.value),
        "debtor_code": write["debtor_code"](disposition.debtor_code),
        "debtor_name": write["debtor_name"](disposition.debtor_name),
        "tax_code": write["tax_code"](disposition.tax_code.strip().upper()),
        "address": write["address"](disposition.address),
        "postcode": write["postcode"](disposition.postcode),
        "town": write["town"](_town_and_province(disposition.town, disposition.province)),
        "address_extra": write["address_extra"](disposition.address_extra),
        "country": write["country"](disposition.country),
        "reason_1": write["reason_1"](reason[0]),
        "reason_2": write["reason_2"](reason[1]),
        "reference": write["reference"](int(disposition.reference)),
        "slip_text_1": write["slip_text_1"](slip[0]),
        "slip_text_2": write["slip_text_2"](slip[1]),
    }


def _render_disposition(disposition: MavDisposition, expected: int, currency: str) -> tuple[str, int]:
    _check_disposition(disposition, expected)
    template, records = _disposition_template(
        disposition.creditor, currency, disposition.slip_type, bool(disposition.slip_text)
    )
    try:
        return template % _values(disposition), records
    except FieldOverflow as error:
        where = f"campo «{error.field.label}» ({error.field.positions})"
        raise InvalidDisposition(
            f"{_which(disposition, expected)}, {where}: il valore «{error.value}» {error.problem}."
        ) from error


def _render_frame(header: MavFlowHeader, count: int, cents: int, records: int) -> tuple[str, str]:
    head = (header.sender_sia, header.receiver_abi, ddmmyy(header.created_at.date()), header.support_name)
    try:
        return (
            rec.IM.render(*head, "", "", "", header.currency),
            rec.EF.render(*head, count, cents, 0, records, header.currency),
        )
    except FieldOverflow as error:
        raise InvalidDisposition(f"Intestazione o coda del flusso MAV: {error}") from error


def _verify(data: bytes, header: MavFlowHeader, count: int, cents: int) -> None:
    try:
        summary = check_flow_structure(data, header.support_name)
    except UnreadableCbiFlow as error:
        raise MavFlowSelfCheckFailed(f"Il flusso MAV generato non supera il controllo finale: {error}") from error
    if (summary.disposition_count, summary.negative_total, summary.positive_total) != (count, cents, 0):
        raise MavFlowSelfCheckFailed(
            f"Il flusso MAV generato non torna: riletto dà {summary.disposition_count} disposizioni per "
            f"{euro(summary.negative_total)} invece di {count} per {euro(cents)}: il flusso non è stato prodotto."
        )


def _check_unique(disposition: MavDisposition, expected: int, seen: dict[int, int]) -> None:
    # The bank's answers name a disposition only by this number: two alike could not be told apart.
    first = seen.setdefault(int(disposition.reference), expected)
    if first != expected:
        raise InvalidDisposition(
            f"{_which(disposition, expected)}, campo «numero disposizione»: è già usato dalla disposizione n. {first}."
        )


def write_mav_flow(header: MavFlowHeader, dispositions: Sequence[MavDisposition]) -> bytes:
    """Return the MAV disposition flow for `dispositions` (IM, 14 [16] 20 30 40 50 51 [59] 70 for each, EF),
    120-character ASCII records with CRLF line ends. The flow is read back before it is returned: its frame,
    order, progressive numbers, counts and totals all check. Raises InvalidDisposition for bad input and
    MavFlowSelfCheckFailed if the read-back disagrees."""
    for label, problem in _header_problems(header):
        raise InvalidDisposition(f"Intestazione del flusso MAV, campo «{label}»: {problem}.")
    if not dispositions:
        raise InvalidDisposition("Il flusso MAV non contiene alcuna disposizione: non c'è nulla da inviare.")
    body: list[str] = []
    records = 2
    seen: dict[int, int] = {}
    for expected, disposition in enumerate(dispositions, start=1):
        text, count = _render_disposition(disposition, expected, header.currency)
        body.append(text)
        records += count
        _check_unique(disposition, expected, seen)
    cents = sum(int(disposition.amount * 100) for disposition in dispositions)
    head, tail = _render_frame(header, len(dispositions), cents, records)
    data = "\r\n".join([head, *body, tail]).encode("ascii") + b"\r\n"
    _verify(data, header, len(dispositions), cents)
    return data
