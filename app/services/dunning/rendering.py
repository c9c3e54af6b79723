"""A planned communication as words: its items, the values its template names, and the text filled in."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.models import (
    Communication,
    CommunicationItem,
    Credit,
    Creditor,
    Document,
    DocumentKind,
    DunningLevel,
    PaymentNotice,
    Subject,
)
from app.services.notices.pdf_text import format_money

PLACEHOLDERS = {
    "nome": "nome del destinatario", "ente": "nome dell'ente creditore", "importo": "importo dovuto (1.234,56 €)",
    "scadenza": "scadenza più vicina (31/01/2027)", "codice": "codice di pagamento (o i codici, se più d'uno)",
    "condomini": "elenco dei condomini con i loro importi, per un amministratore",
}  # fmt: skip


@dataclass(frozen=True)
class MessageItem:
    """One notice or credit a message reminds of."""

    holder: str
    code: str
    due_date: date
    amount: Decimal


@dataclass(frozen=True)
class RenderedMessage:
    """What a sender needs: to whom, on which channel, the provider template and its parameters, the text."""

    communication_id: int
    attempt_id: str
    channel: str
    address: str
    payer_name: str
    provider_template: str
    parameters: tuple[str, ...]
    text: str
    items: tuple[MessageItem, ...]
    # The archived PDF notice of each item that has one: (path relative to the archive, file name to show).
    documents: tuple[tuple[str, str], ...] = ()


def render(session: Session, communication: Communication, attempt_id: str) -> RenderedMessage:
    """The communication's text and parameters from its level's template and its items, as of now."""
    items = _items(session, communication.id)
    level = session.get(DunningLevel, communication.level_id) if communication.level_id else None
    payer = session.get_one(Subject, communication.subject_id)
    creditor = session.get_one(Creditor, communication.creditor_id)
    values = template_values(payer.name, creditor.name, items)
    text = fill(level.template if level else "{nome}: {importo} entro il {scadenza} ({codice})", values)
    parameters = (values["nome"], values["importo"], values["scadenza"], values["codice"])
    return RenderedMessage(communication.id, attempt_id, str(communication.channel), communication.address or "",
                           payer.name, communication.template or "", parameters, text, items,
                           _notice_documents(session, communication.id))  # fmt: skip


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with its {placeholders} replaced; values are inserted as they are, never read as placeholders."""
    parts = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        parts.append(literal)
        if field is not None:
            parts.append(values.get(field, "{" + field + "}"))
    return "".join(parts)


def template_values(payer: str, creditor: str, items: tuple[MessageItem, ...]) -> dict[str, str]:
    """The value of each placeholder in PLACEHOLDERS for a message to ``payer`` about ``items``."""
    total = sum((item.amount for item in items), Decimal("0.00"))
    due = min((item.due_date for item in items), default=None)
    codes = ", ".join(dict.fromkeys(item.code for item in items if item.code))
    several = len({item.holder for item in items}) > 1
    listing = "\n".join(f"- {item.holder}: {format_money(item.amount)} (codice {item.code})" for item in items)
    return {"nome": payer, "ente": creditor, "importo": format_money(total),
            "scadenza": f"{due:%d/%m/%Y}" if due else "", "codice": codes,
            "condomini": listing if several else ""}  # fmt: skip


def _items(session: Session, communication_id: int) -> tuple[MessageItem, ...]:
    holder = aliased(Subject)
    notice_rows = session.execute(
        select(holder.name, PaymentNotice.code, PaymentNotice.due_date, CommunicationItem.amount)
        .join(PaymentNotice, PaymentNotice.id == CommunicationItem.notice_id)
        .join(holder, holder.id == PaymentNotice.holder_id)
        .where(CommunicationItem.communication_id == communication_id)
    ).all()
    credit_rows = session.execute(
        select(holder.name, Credit.reference, Credit.due_date, CommunicationItem.amount)
        .join(Credit, Credit.id == CommunicationItem.credit_id)
        .join(holder, holder.id == Credit.holder_id)
        .where(CommunicationItem.communication_id == communication_id, CommunicationItem.notice_id.is_(None))
    ).all()
    rows = sorted([*notice_rows, *credit_rows], key=lambda row: (row[0], row[2]))
    return tuple(MessageItem(name, code or "", due, amount) for name, code, due, amount in rows)


def _notice_documents(session: Session, communication_id: int) -> tuple[tuple[str, str], ...]:
    rows = session.execute(
        select(Document.notice_id, Document.relative_path, PaymentNotice.code)
        .join(CommunicationItem, CommunicationItem.notice_id == Document.notice_id)
        .join(PaymentNotice, PaymentNotice.id == Document.notice_id)
        .where(CommunicationItem.communication_id == communication_id, Document.kind == DocumentKind.NOTICE_PDF)
        .order_by(Document.notice_id, Document.id)
    ).all()
    # The latest archived PDF of each notice: one made after its code changed replaces the earlier one.
    latest = {notice_id: (path, code) for notice_id, path, code in rows}
    return tuple((path, f"avviso-{code or notice_id}.pdf") for notice_id, (path, code) in latest.items())
