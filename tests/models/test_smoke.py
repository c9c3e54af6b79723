"""The migrated database accepts and returns money and timestamps exactly."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app.models import Credit, CreditKind, Creditor, Subject, SubjectKind
from app.services.database import Database
from app.services.unit_of_work import UnitOfWork


def test_money_round_trips_and_sums_exactly(db: Database) -> None:
    with UnitOfWork(db) as uow:
        creditor = Creditor(name="Co.Sm.An")
        holder = Subject(creditor=creditor, kind=SubjectKind.PERSON, name="Mario Rossi")
        uow.session.add_all([creditor, holder])
        uow.session.flush()
        for i in range(3):
            uow.session.add(
                Credit(
                    creditor_id=creditor.id,
                    holder_id=holder.id,
                    payer_id=holder.id,
                    reference=f"F{i}",
                    kind=CreditKind.INVOICE,
                    issue_date=date(2026, 1, 1),
                    due_date=date(2026, 2, 1),
                    amount=Decimal("0.10"),
                    outstanding=Decimal("0.10"),
                )
            )
        uow.commit()
    with db.read_session() as session:
        total = session.scalar(select(func.sum(Credit.amount)))
    assert total == Decimal("0.30")
    assert isinstance(total, Decimal)
