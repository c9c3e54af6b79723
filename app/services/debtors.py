"""The Debtors page's reads: search the registry, describe a subject, condominiums and administrators."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from app.models import AdministratorAssignment, AuditEvent, Channel, Credit, CreditStatus, Subject, SubjectKind
from app.models.types import rome_today
from app.services import registry
from app.services.database import Database, escape_like, read_session
from app.services.errors import InvalidInput, NotFound
from app.services.identity import normalize_mobile
from app.services.rolls.states import user_id_of
from app.services.unit_of_work import UnitOfWork

ZERO = Decimal("0.00")
# Paid and written-off credits are settled: nobody collects them any more, whatever their outstanding says.
CLOSED_STATUSES = (CreditStatus.PAID, CreditStatus.WRITTEN_OFF)
# Far below SQLite's 32766 bound parameters, so an IN list of ids never fails.
_IDS_PER_QUERY = 1000
_TAX_CODE_SHAPE = re.compile(r"[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]")
_VAT_SHAPE = re.compile(r"(?:IT)?(\d{11})")


class DebtRole(enum.StrEnum):
    """Why a subject owes: its own credits (holder), others' credits it pays (payer), both, or none open."""

    NONE = "none"
    HOLDER = "holder"
    PAYER = "payer"
    HOLDER_AND_PAYER = "holder_and_payer"


@dataclass(frozen=True)
class OpenCredits:
    """How many open credits and how much is still to collect."""

    count: int = 0
    outstanding: Decimal = ZERO


@dataclass(frozen=True)
class SubjectRow:
    """One line of the registry search, with what the subject owes as holder and pays for others."""

    id: int
    kind: SubjectKind
    name: str
    tax_code: str | None
    tax_code_problem: str | None
    vat_number: str | None
    vat_number_problem: str | None
    city: str | None
    province: str | None
    mobile: str | None
    email: str | None
    pec: str | None
    as_holder: OpenCredits
    # Credits whose holder is another subject (a condominium's credits for its administrator).
    as_payer: OpenCredits

    @property
    def open_credits(self) -> int:
        return self.as_holder.count + self.as_payer.count

    @property
    def outstanding(self) -> Decimal:
        return self.as_holder.outstanding + self.as_payer.outstanding

    @property
    def role(self) -> DebtRole:
        holder, payer = self.as_holder.count > 0, self.as_payer.count > 0
        if holder and payer:
            return DebtRole.HOLDER_AND_PAYER
        return DebtRole.HOLDER if holder else DebtRole.PAYER if payer else DebtRole.NONE

    @property
    def has_identity_problem(self) -> bool:
        return bool(self.tax_code_problem or self.vat_number_problem)


@dataclass(frozen=True)
class SubjectDetail:
    """Everything the detail area shows about one subject: identity, address, contacts, consent."""

    id: int
    kind: SubjectKind
    name: str
    tax_code: str | None
    tax_code_problem: str | None
    vat_number: str | None
    vat_number_problem: str | None
    street: str | None
    postal_code: str | None
    city: str | None
    province: str | None
    country: str
    mobile: str | None
    email: str | None
    pec: str | None
    whatsapp_consent: bool
    whatsapp_consent_date: date | None
    preferred_channel: Channel | None
    notes: str | None

    @property
    def address(self) -> str:
        return format_address(self.street, self.postal_code, self.city, self.province)


@dataclass(frozen=True)
class AssignmentRow:
    """One administrator of a condominium over a period (both ends included; no end = still in charge)."""

    id: int
    administrator_id: int
    administrator_name: str
    valid_from: date
    valid_to: date | None
    current: bool


@dataclass(frozen=True)
class CondominiumRow:
    """A condominium an administrator manages or managed, with the open credits the condominium holds."""

    id: int
    name: str
    street: str | None
    postal_code: str | None
    city: str | None
    province: str | None
    # The span of this administrator's assignments to the condominium; None = still open-ended.
    valid_from: date
    valid_to: date | None
    current: bool
    open_credits: int
    outstanding: Decimal

    @property
    def address(self) -> str:
        return format_address(self.street, self.postal_code, self.city, self.province)


@dataclass(frozen=True)
class CondominiumTotals:
    """The sums over a list of condominiums."""

    condominiums: int
    current: int
    open_credits: int
    outstanding: Decimal


def format_address(street: str | None, postal_code: str | None, city: str | None, province: str | None) -> str:
    """An Italian one-line address, ``Via Roma 1, 20100 Milano (MI)``, leaving out what is missing."""
    place = " ".join(part for part in (postal_code, city) if part)
    if province:
        place = f"{place} ({province})" if place else f"({province})"
    return ", ".join(part for part in (street, place) if part)


def search_subjects(
    db: Database, creditor_id: int, text: str, kind: SubjectKind | None = None, limit: int = 500
) -> list[SubjectRow]:
    """Subjects of ``creditor_id`` whose name, codice fiscale or partita IVA contains ``text``, by name.

    Case-insensitive on both databases. A complete codice fiscale or partita IVA (``IT`` prefix, spaces and
    dots allowed) is first looked up by equality, which the code indexes answer at once; only if nothing
    matches does the search fall back to a scan. Empty ``text`` lists every subject (of ``kind``). At most
    ``limit`` rows.
    """
    base = select(Subject).where(Subject.creditor_id == creditor_id)
    if kind is not None:
        base = base.where(Subject.kind == kind)
    base = base.order_by(Subject.name, Subject.id).limit(limit)
    with read_session(db) as session:
        subjects: Sequence[Subject] = []
        code = _complete_code(text)
        if code is not None:
            subjects = session.scalars(base.where(or_(Subject.tax_code.in_(code), Subject.vat_number.in_(code)))).all()
        if not subjects:
            subjects = session.scalars(base.where(*_text_conditions(text))).all()
        ids = [subject.id for subject in subjects]
        as_holder, as_payer = _open_credits_by_role(session, ids)
        return [
            _subject_row(s, as_holder.get(s.id, OpenCredits()), as_payer.get(s.id, OpenCredits())) for s in subjects
        ]


def _complete_code(text: str) -> tuple[str, ...] | None:
    """The spellings to look up when ``text`` is a whole codice fiscale or partita IVA, else None."""
    compact = re.sub(r"[\s.\-]", "", text).upper()
    if _TAX_CODE_SHAPE.fullmatch(compact):
        # An invalid code is stored as typed, so the exact text is tried too.
        return (compact, text.strip())
    vat = _VAT_SHAPE.fullmatch(compact)
    return (vat.group(1),) if vat else None


def _text_conditions(text: str) -> list[ColumnElement[bool]]:
    words = text.strip()
    if not words:
        return []
    name_pattern = "%" + escape_like(" ".join(words.split())) + "%"
    code_pattern = "%" + escape_like(re.sub(r"[\s.]", "", words)) + "%"
    return [
        or_(
            Subject.name.ilike(name_pattern, escape="\\"),
            Subject.tax_code.ilike(code_pattern, escape="\\"),
            Subject.vat_number.ilike(code_pattern, escape="\\"),
        )
    ]


def _is_open() -> ColumnElement[bool]:
    return and_(Credit.outstanding > ZERO, Credit.status.not_in(CLOSED_STATUSES))


def _open_credits_by_role(
    session: Session, ids: Sequence[int]
) -> tuple[dict[int, OpenCredits], dict[int, OpenCredits]]:
    """Open credits per subject as holder, and as payer of credits another subject holds."""
    as_holder: dict[int, OpenCredits] = {}
    as_payer: dict[int, OpenCredits] = {}
    for chunk in _chunks(ids):
        holder_query = _grouped_open_credits(Credit.holder_id, Credit.holder_id.in_(chunk))
        payer_query = _grouped_open_credits(
            Credit.payer_id, and_(Credit.payer_id.in_(chunk), Credit.payer_id != Credit.holder_id)
        )
        as_holder.update(_collect(session.execute(holder_query)))
        as_payer.update(_collect(session.execute(payer_query)))
    return as_holder, as_payer


def _grouped_open_credits(key: Any, condition: ColumnElement[bool]) -> Select[Any]:
    return select(key, func.count(Credit.id), func.sum(Credit.outstanding)).where(condition, _is_open()).group_by(key)


def _collect(rows: Iterable[Any]) -> dict[int, OpenCredits]:
    return {subject_id: OpenCredits(count, outstanding or ZERO) for subject_id, count, outstanding in rows}


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _IDS_PER_QUERY):
        yield ids[start : start + _IDS_PER_QUERY]


def _subject_row(subject: Subject, as_holder: OpenCredits, as_payer: OpenCredits) -> SubjectRow:
    fields = {name: getattr(subject, name) for name in _ROW_FIELDS}
    return SubjectRow(**fields, as_holder=as_holder, as_payer=as_payer)


_ROW_FIELDS = tuple(name for name in SubjectRow.__dataclass_fields__ if name not in ("as_holder", "as_payer"))
_DETAIL_FIELDS = tuple(name for name in SubjectDetail.__dataclass_fields__)


def subject_detail(db: Database, subject_id: int) -> SubjectDetail:
    """The identity, address, contacts, WhatsApp consent and preferred channel of a subject.

    Raises :class:`NotFound` if the subject no longer exists.
    """
    with read_session(db) as session:
        subject = session.get(Subject, subject_id)
        if subject is None:
            raise NotFound(f"Il soggetto {subject_id} non esiste più: aggiornare la ricerca.")
        return SubjectDetail(**{name: getattr(subject, name) for name in _DETAIL_FIELDS})


def administrator_history(db: Database, condominium_id: int, today: date | None = None) -> list[AssignmentRow]:
    """Every administrator the condominium has had, oldest first; ``current`` marks the one in office on
    ``today`` (by default today in Europe/Rome), by the same rule that decides who pays.
    """
    with read_session(db) as session:
        terms = registry.administrator_history(session, condominium_id)
    in_office = registry.term_on(terms, today or rome_today())
    return [
        AssignmentRow(
            id=term.assignment_id,
            administrator_id=term.administrator_id,
            administrator_name=term.administrator_name,
            valid_from=term.valid_from,
            valid_to=term.valid_to,
            current=term is in_office,
        )
        for term in terms
    ]


def condominiums_of(
    db: Database, administrator_id: int, today: date | None = None, include_past: bool = False
) -> list[CondominiumRow]:
    """The condominiums the administrator manages on ``today`` (and, with ``include_past``, every other one
    it has managed or will manage), by name, each with the count and outstanding of the open credits the
    condominium holds, whoever pays them.

    One query: assignments and credits are grouped in SQL, so an administrator with hundreds of condominiums
    over 100,000 credits costs one indexed pass over those condominiums' credits. ``today`` defaults to today
    in Europe/Rome.
    """
    spans = _assignment_spans(administrator_id, today or rome_today())
    debts = _open_credits_of_condominiums(administrator_id)
    query = (
        select(
            Subject.id,
            Subject.name,
            Subject.street,
            Subject.postal_code,
            Subject.city,
            Subject.province,
            spans.c.valid_from,
            case((spans.c.open_ended == 1, None), else_=spans.c.valid_to).label("valid_to"),
            (spans.c.current == 1).label("current"),
            func.coalesce(debts.c.open_credits, 0).label("open_credits"),
            func.coalesce(debts.c.outstanding, ZERO).label("outstanding"),
        )
        .join(spans, spans.c.condominium_id == Subject.id)
        .outerjoin(debts, debts.c.holder_id == Subject.id)
        .order_by(Subject.name, Subject.id)
    )
    if not include_past:
        query = query.where(spans.c.current == 1)
    with read_session(db) as session:
        return [CondominiumRow(**row._mapping) for row in session.execute(query)]


def _assignment_spans(administrator_id: int, day: date) -> Any:
    """Per condominium: first start, last end, whether a period is open-ended, whether one covers ``day``."""
    assignment = AdministratorAssignment
    covers = assignment.in_force(day)
    return (
        select(
            assignment.condominium_id,
            func.min(assignment.valid_from).label("valid_from"),
            func.max(assignment.valid_to).label("valid_to"),
            func.max(case((assignment.valid_to.is_(None), 1), else_=0)).label("open_ended"),
            func.max(case((covers, 1), else_=0)).label("current"),
        )
        .where(assignment.administrator_id == administrator_id)
        .group_by(assignment.condominium_id)
        .subquery("spans")
    )


def _open_credits_of_condominiums(administrator_id: int) -> Any:
    managed = select(AdministratorAssignment.condominium_id).where(
        AdministratorAssignment.administrator_id == administrator_id
    )
    return (
        select(
            Credit.holder_id,
            func.count(Credit.id).label("open_credits"),
            func.sum(Credit.outstanding).label("outstanding"),
        )
        .where(Credit.holder_id.in_(managed), _is_open())
        .group_by(Credit.holder_id)
        .subquery("debts")
    )


def condominium_totals(rows: Iterable[CondominiumRow]) -> CondominiumTotals:
    """How many condominiums (and how many current), their open credits and outstanding, summed exactly."""
    items = list(rows)
    return CondominiumTotals(
        condominiums=len(items),
        current=sum(1 for row in items if row.current),
        open_credits=sum(row.open_credits for row in items),
        outstanding=sum((row.outstanding for row in items), ZERO),
    )


def set_whatsapp_consent(
    db: Database, subject_id: int, consent: bool, *, on: date | None = None, user_login: str | None = None
) -> None:  # fmt: skip
    """Record that the subject gave (or withdrew) consent to WhatsApp messages on ``on`` (default: today).

    Reminders go by WhatsApp only to payers whose consent is recorded; a withdrawal stops them from the next run.
    """
    day = on or rome_today()
    with UnitOfWork(db) as uow:
        subject = uow.session.get(Subject, subject_id)
        if subject is None:
            raise NotFound(f"Soggetto {subject_id} non trovato.")
        if consent and not subject.mobile:
            raise InvalidInput(f"{subject.name}: manca il numero di cellulare, il consenso WhatsApp non serve.")
        subject.whatsapp_consent, subject.whatsapp_consent_date = consent, day if consent else None
        uow.session.add(AuditEvent(user_id=user_id_of(uow.session, user_login), action="subject.whatsapp_consent",
                                   entity="subject", entity_id=subject_id,
                                   details=f"{'dato' if consent else 'revocato'} il {day:%d/%m/%Y}"))  # fmt: skip
        uow.commit()


CONTACT_FIELDS = ("street", "postal_code", "city", "province", "mobile", "email", "pec")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def update_contacts(
    db: Database, subject_id: int, changes: dict[str, str | None], *, user_login: str | None = None
) -> None:  # fmt: skip
    """Complete or correct a subject's address and contacts (only the fields in CONTACT_FIELDS; an empty value
    clears one). Each value is checked and the whole change is refused, naming the field, if one is wrong."""
    unknown = sorted(set(changes) - set(CONTACT_FIELDS))
    if unknown:
        raise InvalidInput(f"Campi non modificabili qui: {', '.join(unknown)}.")
    cleaned = {name: " ".join(value.split()) or None if value else None for name, value in changes.items()}
    if cleaned.get("postal_code") and not re.fullmatch(r"\d{5}", cleaned["postal_code"] or ""):
        raise InvalidInput(f"CAP «{cleaned['postal_code']}» non valido: servono 5 cifre.")
    province = cleaned.get("province")
    if province:
        cleaned["province"] = province = province.upper()
        if not re.fullmatch(r"[A-Z]{2}", province):
            raise InvalidInput(f"Provincia «{province}» non valida: la sigla di 2 lettere (es. MI).")
    for name in ("email", "pec"):
        if cleaned.get(name) and not _EMAIL.fullmatch(cleaned[name] or ""):
            raise InvalidInput(f"Indirizzo {'PEC' if name == 'pec' else 'e-mail'} «{cleaned[name]}» non valido.")
    if cleaned.get("mobile"):
        cleaned["mobile"] = normalize_mobile(cleaned["mobile"] or "")
    with UnitOfWork(db) as uow:
        subject = uow.session.get(Subject, subject_id)
        if subject is None:
            raise NotFound(f"Soggetto {subject_id} non trovato.")
        for name, value in cleaned.items():
            setattr(subject, name, value)
        if "mobile" in cleaned and not cleaned["mobile"]:
            subject.whatsapp_consent, subject.whatsapp_consent_date = False, None
        user_id = user_id_of(uow.session, user_login)
        uow.session.add(AuditEvent(user_id=user_id, action="subject.contacts", entity="subject",
                                   entity_id=subject_id, details=", ".join(sorted(cleaned))))  # fmt: skip
        uow.commit()
