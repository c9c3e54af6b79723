"""Small, explicit test data: a creditor, subjects, assignments and credits, written through a unit of work."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypeVar

from sqlalchemy.orm import Session

from app.models import (
    AdministratorAssignment,
    Credit,
    CreditKind,
    Creditor,
    CreditStatus,
    Roll,
    Subject,
    SubjectKind,
    User,
)

T = TypeVar("T")


class Builder:
    """Adds records to ``session`` and flushes, so ids are known at once."""

    def __init__(self, session: Session, creditor_name: str = "Consorzio di prova") -> None:
        self.session = session
        self.creditor = self._add(Creditor(name=creditor_name))
        self._references = 0

    @classmethod
    def for_creditor(cls, session: Session, creditor_id: int) -> Builder:
        """A builder adding to an existing creditor (data that arrives later, in a second transaction)."""
        builder = cls.__new__(cls)
        builder.session, builder._references = session, 1000
        builder.creditor = session.get_one(Creditor, creditor_id)
        return builder

    def _add(self, record: T) -> T:
        self.session.add(record)
        self.session.flush()
        return record

    def subject(self, name: str, kind: SubjectKind = SubjectKind.PERSON, **fields: object) -> Subject:
        return self._add(Subject(creditor_id=self.creditor.id, kind=kind, name=name, **fields))

    def assign(self, condominium: Subject, administrator: Subject, start: date, end: date | None = None) -> None:
        self._add(
            AdministratorAssignment(
                condominium_id=condominium.id,
                administrator_id=administrator.id,
                valid_from=start,
                valid_to=end,
            )
        )

    def roll(self, name: str, year: int = 2026) -> Roll:
        return self._add(Roll(creditor_id=self.creditor.id, name=name, year=year, credit_type="Premi"))

    def user(self, login: str) -> User:
        return self._add(User(login=login, display_name=login.title()))

    def credit(
        self,
        holder: Subject,
        amount: str,
        *,
        payer: Subject | None = None,
        outstanding: str | None = None,
        due: date = date(2026, 6, 30),
        status: CreditStatus = CreditStatus.AWAITING_PAYMENT,
        reference: str | None = None,
        roll: Roll | None = None,
        collector: User | None = None,
        flush: bool = True,
    ) -> Credit:
        self._references += 1
        record = Credit(
            creditor_id=self.creditor.id,
            holder_id=holder.id,
            payer_id=(payer or holder).id,
            reference=reference or f"F{self._references:05d}",
            kind=CreditKind.INVOICE,
            issue_date=date(2026, 1, 15),
            due_date=due,
            amount=Decimal(amount),
            outstanding=Decimal(outstanding if outstanding is not None else amount),
            status=status,
            roll_id=roll.id if roll else None,
            collector_id=collector.id if collector else None,
        )
        self.session.add(record)
        if flush:
            self.session.flush()
        return record
