"""The choices the Credits page offers in its filters: rolls, administrators, collectors."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.models import Credit, Roll, Subject, SubjectKind, User
from app.services.database import Database, read_session


@dataclass(frozen=True)
class Choice:
    """An id with the label the clerk sees."""

    id: int
    label: str


@dataclass(frozen=True)
class FilterOptions:
    """Everything the filters can pick from, for one creditor."""

    rolls: tuple[Choice, ...]
    administrators: tuple[Choice, ...]
    collectors: tuple[Choice, ...]


def filter_options(db: Database, creditor_id: int) -> FilterOptions:
    """The creditor's rolls (newest first), administrators and collectors (by name)."""
    with read_session(db) as session:
        rolls = session.execute(
            select(Roll.id, Roll.name, Roll.year)
            .where(Roll.creditor_id == creditor_id)
            .order_by(Roll.year.desc(), Roll.name)
        ).all()
        administrators = session.execute(
            select(Subject.id, Subject.name)
            .where(Subject.creditor_id == creditor_id, Subject.kind == SubjectKind.ADMINISTRATOR)
            .order_by(Subject.name)
        ).all()
        collector_ids = select(Credit.collector_id).where(Credit.creditor_id == creditor_id).distinct()
        collectors = session.execute(
            select(User.id, User.display_name).where(User.id.in_(collector_ids)).order_by(User.display_name)
        ).all()
    return FilterOptions(
        rolls=tuple(Choice(r.id, r.name if str(r.year) in r.name else f"{r.name} ({r.year})") for r in rolls),
        administrators=tuple(Choice(a.id, a.name) for a in administrators),
        collectors=tuple(Choice(c.id, c.display_name) for c in collectors),
    )
