"""What a printed payment notice says, as frozen data: filled from the database, drawn by the PDF modules."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from app.models.enums import NoticeKind


class SortOrder(enum.StrEnum):
    """How a batch is ordered for printing and posting; the cover page says which."""

    POSTAL_CODE = "postal_code"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        """The Italian words printed on the cover."""
        return {SortOrder.POSTAL_CODE: "per CAP", SortOrder.ADMINISTRATOR: "per amministratore"}[self]


@dataclass(frozen=True, slots=True)
class CreditorBlock:
    """The creditor as printed at the top of every notice and in its payment part."""

    name: str
    address_lines: tuple[str, ...] = ()
    tax_code: str | None = None
    vat_number: str | None = None
    phone: str | None = None
    email: str | None = None
    pec: str | None = None
    logo_path: Path | None = None
    iban: str | None = None
    bic: str | None = None
    # pagoPA: the creditor's 11-digit codice fiscale as the pagoPA platform knows it, and its CBILL code.
    pagopa_tax_code: str | None = None
    cbill_code: str | None = None


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who the envelope goes to: for a condominium, ``care_of`` names its administrator ("c/o Studio Bianchi")."""

    name: str
    street: str
    postal_code: str
    city: str
    province: str | None = None
    care_of: str | None = None

    def address_lines(self) -> tuple[str, ...]:
        """The lines below the name, Italian postal order: c/o, street, "CAP CITTÀ (PR)"."""
        place = f"{self.postal_code} {self.city}".strip()
        if self.province:
            place = f"{place} ({self.province})"
        care_of = () if not self.care_of else (_with_care_of_prefix(self.care_of),)
        return (*care_of, self.street, place)


def _with_care_of_prefix(care_of: str) -> str:
    text = care_of.strip()
    return text if text.lower().startswith("c/o") else f"c/o {text}"


@dataclass(frozen=True, slots=True)
class Holder:
    """Whose name is on the invoices (intestatario), printed when it is not the recipient."""

    name: str
    tax_code: str | None = None


@dataclass(frozen=True, slots=True)
class NoticeItem:
    """One credit the notice collects: an invoice, a policy premium, an instalment."""

    reference: str
    description: str
    due_date: date
    amount: Decimal
    installation: str | None = None


@dataclass(frozen=True, slots=True)
class NoticeDocument:
    """Everything one printed notice shows. ``code`` is None for a draft: the notice prints "da assegnare" and no
    payment code (a QR or barcode with no code would send money nowhere)."""

    notice_id: int
    roll_name: str
    kind: NoticeKind
    issue_date: date
    due_date: date
    amount: Decimal
    code: str | None
    creditor: CreditorBlock
    recipient: Recipient
    items: tuple[NoticeItem, ...] = ()
    holder: Holder | None = None
    instructions: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal) or any(not isinstance(item.amount, Decimal) for item in self.items):
            raise TypeError("notice amounts are Decimal")


@dataclass(frozen=True, slots=True)
class DueDateTotal:
    """How many notices of a batch fall due on one day, and for how much."""

    due_date: date
    count: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class BatchCover:
    """The supervisor's cover page of a batch; the figures must match the notices that follow it."""

    roll_name: str
    creditor_name: str
    generated_at: datetime
    sort_order: SortOrder
    notice_count: int
    total_amount: Decimal
    due_date_totals: tuple[DueDateTotal, ...] = field(default=())


def cover_for(
    documents: Iterable[NoticeDocument],
    *,
    roll_name: str,
    creditor_name: str,
    generated_at: datetime,
    sort_order: SortOrder,
) -> BatchCover:
    """A cover whose count and totals (overall and per due date, earliest first) are those of ``documents``."""
    counts: defaultdict[date, int] = defaultdict(int)
    amounts: defaultdict[date, Decimal] = defaultdict(Decimal)
    for document in documents:
        counts[document.due_date] += 1
        amounts[document.due_date] += document.amount
    totals = tuple(DueDateTotal(day, counts[day], amounts[day]) for day in sorted(counts))
    return BatchCover(
        roll_name=roll_name,
        creditor_name=creditor_name,
        generated_at=generated_at,
        sort_order=sort_order,
        notice_count=sum(counts.values()),
        total_amount=sum(amounts.values(), Decimal("0.00")),
        due_date_totals=totals,
    )
