"""A level's text previewed as a real payer would read it: with the data of one of the creditor's unpaid credits,
preferring an administrator whose message lists several condominiums."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from app.models import Credit, CreditStatus, NoticeStatus, PaymentNotice, Subject
from app.models.types import rome_today
from app.services.database import Database, escape_like, read_session
from app.services.dunning.policies import braces_pair, creditor_of
from app.services.dunning.rendering import MessageItem, fill, template_values
from app.services.errors import InvalidInput, NotFound

_CLOSED = (CreditStatus.PAID, CreditStatus.WRITTEN_OFF, CreditStatus.IN_LEGAL)
_NO_CODE_YET = (NoticeStatus.DRAFT, NoticeStatus.REQUESTED, NoticeStatus.CANCELLED, NoticeStatus.EXPIRED)


@dataclass(frozen=True)
class PreviewCandidate:
    """An unpaid credit a preview can be filled with; ``holders`` > 1 means its payer's message lists several."""

    credit_id: int
    reference: str
    holder_name: str
    payer_name: str
    due_date: date
    outstanding: Decimal
    holders: int


def preview_candidates(db: Database, creditor_id: int, search: str = "", limit: int = 30) -> list[PreviewCandidate]:
    """Unpaid credits to fill a preview with. Without ``search``, one per payer, those whose message lists the
    most holders (an administrator's condominiums) first; with it, every credit whose number, holder or payer
    matches."""
    holder, payer = aliased(Subject), aliased(Subject)
    open_credit = (Credit.creditor_id == creditor_id, Credit.outstanding > 0, Credit.status.not_in(_CLOSED))
    holders = (select(Credit.payer_id, func.count(Credit.holder_id.distinct()).label("holders"))
               .where(*open_credit).group_by(Credit.payer_id).subquery())  # fmt: skip
    rank = func.row_number().over(partition_by=Credit.payer_id, order_by=(Credit.due_date.desc(), Credit.id))
    query = (
        select(Credit.id, Credit.reference, holder.name, payer.name, Credit.due_date, Credit.outstanding,
               holders.c.holders, rank.label("rank"))
        .join(holder, holder.id == Credit.holder_id).join(payer, payer.id == Credit.payer_id)
        .join(holders, holders.c.payer_id == Credit.payer_id).where(*open_credit)
    )  # fmt: skip
    if search.strip():
        pattern = f"%{escape_like(search.strip())}%"
        query = query.where(or_(*(c.ilike(pattern, escape="\\") for c in (Credit.reference, holder.name, payer.name))))
    ranked = query.subquery()
    chosen = select(ranked) if search.strip() else select(ranked).where(ranked.c.rank == 1)
    chosen = chosen.order_by(ranked.c.holders.desc(), ranked.c.due_date.desc(), ranked.c.id).limit(limit)
    with read_session(db) as session:
        return [PreviewCandidate(*row[:7]) for row in session.execute(chosen)]


def preview_level(db: Database, creditor_id: int, template: str, credit_id: int | None = None) -> str:
    """``template`` filled as the payer of ``credit_id`` would read it, with all they owe the creditor (by default
    the first of :func:`preview_candidates`; with no unpaid credit at all, an invented administrator's).

    Raises InvalidInput for a template whose braces do not pair up, NotFound for a credit not of the creditor.
    """
    if not braces_pair(template):
        raise InvalidInput("Testo: una parentesi graffa è spaiata; i segnaposto si scrivono fra graffe, come {nome}.")
    if credit_id is None:
        found = preview_candidates(db, creditor_id, limit=1)
        credit_id = found[0].credit_id if found else None
    with read_session(db) as session:
        creditor = creditor_of(session, creditor_id)
        payer, items = _payer_items(session, creditor_id, credit_id) if credit_id else _invented_items()
        return fill(template, template_values(payer, creditor.name, items))


def _payer_items(session: Session, creditor_id: int, credit_id: int) -> tuple[str, tuple[MessageItem, ...]]:
    """The payer of the credit and what a reminder to them would list: each live notice once, other credits."""
    credit = session.get(Credit, credit_id)
    if credit is None or credit.creditor_id != creditor_id:
        raise NotFound(f"Il credito n. {credit_id} non esiste o è di un altro ente.")
    payer = session.get_one(Subject, credit.payer_id)
    holder = aliased(Subject)
    rows = session.execute(
        select(holder.name, Credit.reference, Credit.due_date, Credit.outstanding, PaymentNotice.id,
               PaymentNotice.code, PaymentNotice.due_date, PaymentNotice.status)
        .join(holder, holder.id == Credit.holder_id)
        .outerjoin(PaymentNotice, PaymentNotice.id == Credit.notice_id)
        .where(Credit.creditor_id == creditor_id, Credit.payer_id == payer.id,
               or_(Credit.id == credit_id,
                   (Credit.outstanding > 0) & Credit.status.not_in(_CLOSED) & Credit.dunning_hold.is_(None)))
    )  # fmt: skip
    by_notice: dict[int, list[Any]] = {}
    items: list[MessageItem] = []
    for name, reference, due, owed, notice_id, code, notice_due, status in rows:
        if notice_id is None or status in _NO_CODE_YET:
            items.append(MessageItem(name, reference, due, owed))
        elif notice_id in by_notice:
            by_notice[notice_id][3] += owed
        else:
            by_notice[notice_id] = [name, code or reference, notice_due, owed]
    items += [MessageItem(*fields) for fields in by_notice.values()]
    return payer.name, tuple(sorted(items, key=lambda item: (item.holder, item.due_date)))


def _invented_items() -> tuple[str, tuple[MessageItem, ...]]:
    due = rome_today() + timedelta(days=10)
    return "Studio Rossi (esempio)", (
        MessageItem("Condominio Via Roma 1 (esempio)", "01234567890123456", due, Decimal("120.00")),
        MessageItem("Condominio Via Verdi 3 (esempio)", "01234567890123457", due, Decimal("85.50")),
    )
