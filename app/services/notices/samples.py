"""A made-up notice of each kind, with valid codes: the preview a supervisor sees while editing the
instructions, and the data the notice tests and benchmark start from."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from app.models.enums import NoticeKind
from app.services.notices.codes import make_notice_number, rf_for_notice
from app.services.notices.document import CreditorBlock, Holder, NoticeDocument, NoticeItem, Recipient
from app.services.notices.instructions import fill_instructions

SAMPLE_CREDITOR = CreditorBlock(
    name="Consorzio Esempio Manutenzione Impianti",
    address_lines=("Via dei Mille 12", "40121 Bologna (BO)"),
    tax_code="01234567897",
    vat_number="01234567897",
    phone="051 123 4567",
    email="incassi@consorzio-esempio.it",
    pec="consorzio-esempio@pec.it",
    iban="IT60X0542811101000000123456",
    bic="BPMOIT22XXX",
    pagopa_tax_code="01234567897",
    cbill_code="AB12C",
)
SAMPLE_RECIPIENT = Recipient(
    name="Condominio Via Roma 12",
    care_of="Studio Bianchi Amministrazioni",
    street="Via Garibaldi 8",
    postal_code="40122",
    city="Bologna",
    province="BO",
)
SAMPLE_ITEMS = (
    NoticeItem(
        "FT 2026/1187", "Canone manutenzione ascensore - 2° semestre", date(2027, 1, 31), Decimal("486.00"), "ASC-0412"
    ),
    NoticeItem("FT 2026/1188", "Verifica periodica biennale", date(2027, 1, 31), Decimal("122.00"), "ASC-0412"),
)


def sample_code(kind: NoticeKind, notice_id: int) -> str:
    """A valid code of ``kind`` for ``notice_id``: distinct ids give distinct codes."""
    if kind is NoticeKind.PAGOPA:
        return make_notice_number(3, "01", notice_id)
    if kind is NoticeKind.TRANSFER:
        return rf_for_notice("CONS", notice_id)
    return f"{notice_id:012d}"  # a MAV code is the bank's 12 characters (CBI record 51, positions 75-86)


def sample_document(kind: NoticeKind, notice_id: int = 1187, template: str | None = None) -> NoticeDocument:
    """A complete notice of ``kind`` with two items, a holder different from the recipient and instructions
    filled from ``template`` (the kind's default when None)."""
    document = NoticeDocument(
        notice_id=notice_id,
        roll_name="Ruolo manutenzioni 2° semestre 2026",
        kind=kind,
        issue_date=date(2026, 12, 15),
        due_date=date(2027, 1, 31),
        amount=sum((item.amount for item in SAMPLE_ITEMS), Decimal("0.00")),
        code=sample_code(kind, notice_id),
        creditor=SAMPLE_CREDITOR,
        recipient=SAMPLE_RECIPIENT,
        items=SAMPLE_ITEMS,
        holder=Holder("Condominio Via Roma 12", "80012345678"),
    )
    return replace(document, instructions=fill_instructions(template, document))
