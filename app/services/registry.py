"""Who pays a condominium's credits: its administrator on the day; and the history of its administrators."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AdministratorAssignment, Subject, SubjectKind
from app.services.errors import InvalidInput

_CHUNK = 500


@dataclass(frozen=True)
class AdministratorTerm:
    """One administrator's term at a condominium, both ends included; ``valid_to`` is None while in office."""

    assignment_id: int
    condominium_id: int
    administrator_id: int
    administrator_name: str
    valid_from: date
    valid_to: date | None

    def covers(self, day: date) -> bool:
        """Whether this administrator was in office on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def term_on(terms: Iterable[AdministratorTerm], day: date) -> AdministratorTerm | None:
    """The term in force on ``day``, or None; should terms ever overlap, the one that began last wins."""
    covering = [term for term in terms if term.covers(day)]
    return max(covering, key=lambda term: term.valid_from) if covering else None


def plan_new_term(terms: Sequence[AdministratorTerm], administrator_id: int, valid_from: date) -> date | None:
    """Check that a new term may start on ``valid_from``; return the day the open term must end, if any.

    A new administrator can only follow the latest term: starting on or before the latest start, or inside a
    term already closed, would rewrite history and is refused with InvalidInput, as is re-appointing the
    administrator already in office.
    """
    if not terms:
        return None
    last = max(terms, key=lambda term: term.valid_from)
    if valid_from <= last.valid_from:
        raise InvalidInput(
            f"Il nuovo amministratore deve subentrare dopo il {_day(last.valid_from)}, giorno in cui ha "
            f"iniziato {last.administrator_name}: lo storico degli amministratori non si riscrive "
            "all'indietro."
        )
    if last.valid_to is None:
        if last.administrator_id == administrator_id:
            raise InvalidInput(
                f"{last.administrator_name} amministra già questo condominio dal {_day(last.valid_from)}."
            )
        return valid_from - timedelta(days=1)
    if valid_from <= last.valid_to:
        raise InvalidInput(
            f"{last.administrator_name} è stato amministratore fino al {_day(last.valid_to)}: il nuovo "
            f"incarico può iniziare al più presto il {_day(last.valid_to + timedelta(days=1))}."
        )
    return None


def administrator_on(session: Session, condominium_id: int, day: date) -> Subject | None:
    """The administrator in office at the condominium on ``day``, or None if it had none that day."""
    statement = (
        select(Subject)
        .join(AdministratorAssignment, AdministratorAssignment.administrator_id == Subject.id)
        .where(AdministratorAssignment.condominium_id == condominium_id, AdministratorAssignment.in_force(day))
        .order_by(AdministratorAssignment.valid_from.desc())
        .limit(1)
    )
    return session.scalars(statement).first()


def administrator_ids_on(session: Session, condominium_ids: Iterable[int], day: date) -> dict[int, int]:
    """For many condominiums at once: condominium id → id of its administrator on ``day`` (if it had one)."""
    ids = sorted(set(condominium_ids))
    result: dict[int, int] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(AdministratorAssignment.condominium_id, AdministratorAssignment.administrator_id)
            .where(
                AdministratorAssignment.condominium_id.in_(ids[start : start + _CHUNK]),
                AdministratorAssignment.in_force(day),
            )
            .order_by(AdministratorAssignment.valid_from)
        )
        result.update({condominium_id: administrator_id for condominium_id, administrator_id in rows})
    return result


def payer_for(session: Session, holder: Subject, day: date) -> Subject:
    """Who pays and is contacted for a credit of ``holder`` due on ``day``.

    The holder itself, except a condominium with an administrator in office that day: then the administrator.
    """
    if holder.kind != SubjectKind.CONDOMINIUM:
        return holder
    return administrator_on(session, holder.id, day) or holder


def administrator_history(session: Session, condominium_id: int) -> list[AdministratorTerm]:
    """Every administrator the condominium has had, oldest first."""
    rows = session.execute(
        select(AdministratorAssignment, Subject.name)
        .join(Subject, AdministratorAssignment.administrator_id == Subject.id)
        .where(AdministratorAssignment.condominium_id == condominium_id)
        .order_by(AdministratorAssignment.valid_from)
    )
    return [_term(assignment, name) for assignment, name in rows]


def assign_administrator(
    session: Session, condominium: Subject, administrator: Subject, valid_from: date
) -> AdministratorTerm:
    """Make ``administrator`` the condominium's administrator from ``valid_from`` on, in the caller's session.

    The term in office, if any, ends the day before. Refuses with InvalidInput a subject that is not a
    condominium or not an administrator, one of another creditor, and a start that would overlap or rewrite
    the history (see :func:`plan_new_term`). Nothing is committed.
    """
    _check_kinds(condominium, administrator)
    if condominium.id is None or administrator.id is None:
        session.add_all([condominium, administrator])
        session.flush()
    if condominium.creditor_id != administrator.creditor_id:
        raise InvalidInput(f"«{condominium.name}» e «{administrator.name}» appartengono a due enti creditori diversi.")
    terms = administrator_history(session, condominium.id)
    ends_on = plan_new_term(terms, administrator.id, valid_from)
    if ends_on is not None:
        open_term = session.get_one(AdministratorAssignment, terms[-1].assignment_id)
        open_term.valid_to = ends_on
    assignment = AdministratorAssignment(
        condominium_id=condominium.id, administrator_id=administrator.id, valid_from=valid_from
    )
    session.add(assignment)
    session.flush()
    return _term(assignment, administrator.name)


def _check_kinds(condominium: Subject, administrator: Subject) -> None:
    if condominium.kind != SubjectKind.CONDOMINIUM:
        raise InvalidInput(
            f"«{condominium.name}» non è registrato come condominio: solo un condominio ha un amministratore."
        )
    if administrator.kind != SubjectKind.ADMINISTRATOR:
        raise InvalidInput(
            f"«{administrator.name}» non è registrato come amministratore di condominio: cambiarne il "
            "tipo in anagrafica prima di assegnargli un condominio."
        )


def _term(assignment: AdministratorAssignment, administrator_name: str) -> AdministratorTerm:
    return AdministratorTerm(
        assignment_id=assignment.id,
        condominium_id=assignment.condominium_id,
        administrator_id=assignment.administrator_id,
        administrator_name=administrator_name,
        valid_from=assignment.valid_from,
        valid_to=assignment.valid_to,
    )


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")
