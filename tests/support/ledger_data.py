"""Many debtors with one open credit each, written in bulk: the data the roll and payment benchmarks start from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app.models import Credit, CreditKind, Creditor, CreditStatus, NoticeKind, Subject, SubjectKind
from app.models.types import utc_now
from app.services.bulk import IdAllocator, Progress, bulk_insert
from app.services.database import Database, analyze
from app.services.unit_of_work import UnitOfWork

_CITIES = (("00100", "Roma", "RM"), ("20121", "Milano", "MI"), ("10123", "Torino", "TO"), ("40121", "Bologna", "BO"))


@dataclass(frozen=True)
class Ledger:
    """What was written: the creditor and, per debtor, the reference and amount of its credit."""

    creditor_id: int
    references: list[str]
    amounts: list[Decimal]


def write_ledger(db: Database, debtors: int, notice_kind: NoticeKind = NoticeKind.MAV) -> Ledger:
    """A creditor with bank data and ``debtors`` people, each owing one overdue credit of its own amount."""
    now = utc_now()
    with UnitOfWork(db) as uow:
        session = uow.session
        creditor = Creditor(name="Consorzio Benchmark", sia_code="A1B2C", iban="IT60X0542811101000000123456",
                            abi="05428", cab="11101", account="000000123456", notice_kind=notice_kind,
                            tax_code="01234567897", street="Via dei Mille 12", postal_code="40121",
                            city="Bologna")  # fmt: skip
        session.add(creditor)
        session.flush()
        subject_ids, credit_ids = IdAllocator(session, Subject), IdAllocator(session, Credit)
        subjects: list[dict[str, Any]] = []
        credits: list[dict[str, Any]] = []
        references, amounts = [], []
        for number in range(debtors):
            postal_code, city, province = _CITIES[number % len(_CITIES)]
            subject_id = subject_ids.next()
            subjects.append({
                "id": subject_id, "creditor_id": creditor.id, "kind": SubjectKind.PERSON,
                "name": f"Debitore {number:06d} Società Agricola", "street": f"Via dei Campi {number % 300 + 1}",
                "postal_code": postal_code, "city": city, "province": province, "country": "IT",
                "whatsapp_consent": False, "created_at": now, "updated_at": now,
            })  # fmt: skip
            amount = Decimal(10 + number % 9000) + Decimal(number % 100) / 100
            reference = f"POL-{number:07d}"
            credits.append({
                "id": credit_ids.next(), "creditor_id": creditor.id, "holder_id": subject_id, "payer_id": subject_id,
                "reference": reference, "kind": CreditKind.POLICY, "issue_date": date(2026, 1, 15),
                "due_date": date(2026, 6, 30), "amount": amount, "outstanding": amount,
                "status": CreditStatus.OVERDUE, "created_at": now, "updated_at": now,
            })  # fmt: skip
            references.append(reference)
            amounts.append(amount)
        bulk_insert(session, Subject, subjects, Progress(None))
        bulk_insert(session, Credit, credits, Progress(None))
        creditor_id = creditor.id
        uow.commit()
    analyze(db)
    return Ledger(creditor_id, references, amounts)
