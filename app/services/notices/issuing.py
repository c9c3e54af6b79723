"""A roll's notices as printed documents: read from the database, sorted for the post, drawn to PDF, archived."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.models import Credit, CreditKind, Creditor, Document, DocumentKind, PaymentNotice, Roll, Subject, SubjectKind
from app.models.types import ROME, rome_today, utc_now
from app.services.archive.files import archived
from app.services.database import Database, read_session
from app.services.errors import InvalidInput, NotFound
from app.services.notices.document import (
    BatchCover,
    CreditorBlock,
    Holder,
    NoticeDocument,
    NoticeItem,
    Recipient,
    SortOrder,
    cover_for,
)
from app.services.notices.instructions import fill_instructions
from app.services.notices.pdf_batch import BatchResult, write_batch_pdf, write_notice_pdf
from app.services.unit_of_work import UnitOfWork

ProgressCallback = Callable[[int, int], None]
_KIND_WORDS = {
    CreditKind.INVOICE: "Fattura", CreditKind.POLICY: "Polizza", CreditKind.INSTALMENT: "Rata",
    CreditKind.OTHER: "Credito",
}  # fmt: skip


@dataclass(frozen=True)
class ArchivedNotices:
    """How many notice PDFs were archived now, and how many already had theirs."""

    archived: int
    already: int


def roll_documents(session: Session, roll: Roll, order: SortOrder, today: date | None = None) -> list[NoticeDocument]:
    """The roll's notices (cancelled ones left out) as documents, sorted by postal code or by administrator."""
    holder, payer = aliased(Subject), aliased(Subject)
    rows = session.execute(
        select(PaymentNotice, holder, payer)
        .join(holder, holder.id == PaymentNotice.holder_id)
        .join(payer, payer.id == PaymentNotice.payer_id)
        .where(PaymentNotice.roll_id == roll.id, PaymentNotice.status.not_in(("cancelled",)))
    ).all()
    items = _items(session, roll.id)
    creditor = creditor_block(roll.creditor)
    issued = today or rome_today()
    documents = [
        _document(roll, notice, holder_row, payer_row, creditor, items.get(notice.id, ()), issued)
        for notice, holder_row, payer_row in rows
    ]
    if order is SortOrder.POSTAL_CODE:
        documents.sort(key=lambda d: (d.recipient.postal_code or "99999", d.recipient.care_of or d.recipient.name,
                                      d.notice_id))  # fmt: skip
    else:
        documents.sort(key=lambda d: ((d.recipient.care_of or d.recipient.name).casefold(), d.recipient.name.casefold(),
                                      d.notice_id))  # fmt: skip
    return documents


def _items(session: Session, roll_id: int) -> dict[int, tuple[NoticeItem, ...]]:
    found: defaultdict[int, list[NoticeItem]] = defaultdict(list)
    query = (
        select(Credit.notice_id, Credit.reference, Credit.kind, Credit.due_date,
               func.coalesce(Credit.notice_amount, Credit.outstanding), Credit.installation_ref)
        .where(Credit.roll_id == roll_id, Credit.notice_id.is_not(None))
        .order_by(Credit.notice_id, Credit.due_date, Credit.reference)
    )  # fmt: skip
    for notice_id, reference, kind, due_date, outstanding, installation in session.execute(query):
        assert notice_id is not None  # the query asks for credits on a notice
        found[notice_id].append(NoticeItem(reference, _KIND_WORDS[kind], due_date, outstanding, installation))
    return {notice_id: tuple(items) for notice_id, items in found.items()}


def creditor_block(creditor: Creditor) -> CreditorBlock:
    """The creditor as its letterhead prints it: name, address, codes, contacts and logo."""
    place = " ".join(part for part in (creditor.postal_code, creditor.city) if part)
    if creditor.province:
        place = f"{place} ({creditor.province})"
    logo = Path(creditor.logo_path) if creditor.logo_path else None
    return CreditorBlock(
        name=creditor.name, address_lines=tuple(line for line in (creditor.street, place) if line),
        tax_code=creditor.tax_code, vat_number=creditor.vat_number, phone=creditor.phone, email=creditor.email,
        pec=creditor.pec, logo_path=logo, iban=creditor.iban, bic=creditor.bic,
        pagopa_tax_code=creditor.tax_code if creditor.tax_code and creditor.tax_code.isdigit() else None,
        cbill_code=creditor.cbill_code,
    )  # fmt: skip


def _document(
    roll: Roll, notice: PaymentNotice, holder: Subject, payer: Subject, creditor: CreditorBlock,
    items: tuple[NoticeItem, ...], issued: date,
) -> NoticeDocument:  # fmt: skip
    # A condominium is written to by name, care of its administrator; anyone else paying for a holder is the
    # recipient, with the holder printed beside.
    condominium = holder.kind is SubjectKind.CONDOMINIUM and payer.id != holder.id
    recipient = Recipient(
        name=holder.name if condominium else payer.name, street=payer.street or "", postal_code=payer.postal_code or "",
        city=payer.city or "", province=payer.province, care_of=payer.name if condominium else None,
    )  # fmt: skip
    shown_holder = (
        Holder(holder.name, holder.tax_code or holder.vat_number) if payer.id != holder.id and not condominium else None
    )
    document = NoticeDocument(
        notice_id=notice.id, roll_name=roll.name, kind=notice.kind, issue_date=issued, due_date=notice.due_date,
        amount=notice.amount, code=notice.code, creditor=creditor, recipient=recipient, items=items,
        holder=shown_holder,
    )  # fmt: skip
    return replace(document, instructions=fill_instructions(roll.creditor.notice_instructions, document))


def write_roll_batch(
    db: Database, roll_id: int, out: Path, order: SortOrder = SortOrder.POSTAL_CODE, *,
    progress: ProgressCallback | None = None, duplex: bool = False,
) -> BatchResult:  # fmt: skip
    """The supervisor's print-ready PDF of the roll: a cover of totals, then every notice, in ``order``.

    Written whole or not at all; ``progress(done, total)`` may raise to cancel.
    """
    with read_session(db) as session:
        roll = _roll(session, roll_id)
        documents = roll_documents(session, roll, order)
        cover: BatchCover = cover_for(documents, roll_name=roll.name, creditor_name=roll.creditor.name,
                                      generated_at=utc_now().astimezone(ROME), sort_order=order)  # fmt: skip
    if not documents:
        raise InvalidInput("Il ruolo non ha avvisi da stampare.")
    return write_batch_pdf(documents, cover, out, progress, duplex=duplex)


def archive_notice_pdfs(
    db: Database, roll_id: int, archive_folder: Path, *, progress: ProgressCallback | None = None
) -> ArchivedNotices:
    """One PDF per notice that has its payment code, in the archive under the roll's "MAV" folder, indexed with
    its SHA-256 and linked to the notice and the payer. A notice already archived with its current code is kept.

    All of it or nothing: a cancel or an error removes the files written in this call.
    """
    now: datetime = utc_now()
    with UnitOfWork(db) as uow, tempfile.TemporaryDirectory(prefix="creditdesk-avvisi-") as scratch:
        session = uow.session
        roll = _roll(session, roll_id)
        done = _already_archived(session, roll.id)
        documents = [d for d in roll_documents(session, roll, SortOrder.POSTAL_CODE) if d.code and
                     (d.notice_id, d.code) not in done]  # fmt: skip
        folder = ("Ruoli", f"{roll.year}", f"{roll.name}-{roll.id}", "MAV")
        with ExitStack() as stack:
            for index, document in enumerate(documents, 1):
                source = Path(scratch) / f"avviso-{document.notice_id}-{_safe(document.code)}.pdf"
                write_notice_pdf(document, source)
                copy = stack.enter_context(archived(session, archive_folder, roll.creditor_id, source, folder,
                                            DocumentKind.NOTICE_PDF, now))  # fmt: skip
                record = session.get_one(Document, copy.document_id)
                record.notice_id, record.roll_id, record.mime_type = document.notice_id, roll.id, "application/pdf"
                if progress is not None:
                    progress(index, len(documents))
            uow.commit()
    return ArchivedNotices(len(documents), len(done))


def _already_archived(session: Session, roll_id: int) -> set[tuple[int, str]]:
    rows = session.execute(
        select(Document.notice_id, Document.relative_path).where(
            Document.roll_id == roll_id, Document.kind == DocumentKind.NOTICE_PDF, Document.notice_id.is_not(None)
        )
    )
    query = select(PaymentNotice.id, PaymentNotice.code).where(PaymentNotice.roll_id == roll_id)
    codes: dict[int, str | None] = {notice_id: code for notice_id, code in session.execute(query)}
    found: set[tuple[int, str]] = set()
    for notice_id, path in rows:
        code = codes.get(notice_id) if notice_id is not None else None
        if notice_id is not None and code and _safe(code) in path:
            found.add((notice_id, code))
    return found


def _safe(code: str | None) -> str:
    return "".join(char for char in (code or "") if char.isalnum())


def _roll(session: Session, roll_id: int) -> Roll:
    roll = session.get(Roll, roll_id)
    if roll is None:
        raise NotFound(f"Ruolo {roll_id} non trovato.")
    return roll
