"""Writes a generated demo world table by table, in foreign-key order, turning cents into ``Decimal``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.models import (
    AdministratorAssignment,
    Allocation,
    Credit,
    Creditor,
    MatchRule,
    Payment,
    PaymentNotice,
    PaymentSource,
    PaymentStatus,
    Subject,
)
from app.services.bulk import Progress, bulk_insert
from app.services.demo.billing import CreditRecord, RollPlan
from app.services.demo.ledger import Ledger, NoticeRecord, PaymentRecord
from app.services.demo.registry import Registry


@dataclass
class World:
    """Everything generated for one creditor, ready to be written."""

    registry: Registry
    rolls: list[RollPlan]
    credits: list[CreditRecord]
    ledger: Ledger


def money(cents: int) -> Decimal:
    """Whole cents as an exact amount in euro: 18000 → Decimal('180.00')."""
    return Decimal(cents).scaleb(-2)


def write_world(
    session: Session,
    creditor: Creditor,
    world: World,
    roll_ids: dict[str, int],
    progress: Progress,
) -> None:
    """Insert subjects, assignments, notices, credits, payments, allocations; one unit of work a row."""
    registry, ledger = world.registry, world.ledger
    sizes = (registry.subject_rows, registry.assignment_rows, ledger.notices, world.credits, ledger.payments)
    progress.plan(progress.done + sum(len(rows) for rows in sizes) + len(ledger.allocations))
    now = registry.now
    bulk_insert(session, Subject, registry.subject_rows, progress)
    registry.subject_rows.clear()  # the largest rows: free them before the credits are turned into dicts
    bulk_insert(session, AdministratorAssignment, registry.assignment_rows, progress)
    notices = (_notice_row(creditor, n, roll_ids, now) for n in ledger.notices)
    bulk_insert(session, PaymentNotice, notices, progress)
    bulk_insert(session, Credit, (_credit_row(creditor.id, c, roll_ids, now) for c in world.credits), progress)
    allocated: defaultdict[int, int] = defaultdict(int)
    for payment_id, _credit_id, cents in ledger.allocations:
        allocated[payment_id] += cents
    payments = (_payment_row(creditor.id, p, allocated[p.id], now) for p in ledger.payments)
    bulk_insert(session, Payment, payments, progress)
    allocations = ({"payment_id": p, "credit_id": c, "amount": money(a)} for p, c, a in ledger.allocations)
    bulk_insert(session, Allocation, allocations, progress)


def _notice_row(creditor: Creditor, n: NoticeRecord, roll_ids: dict[str, int], now: datetime) -> dict[str, Any]:
    return {
        "id": n.id, "creditor_id": creditor.id, "roll_id": roll_ids[n.roll.name], "holder_id": n.holder_id,
        "payer_id": n.payer_id, "kind": creditor.notice_kind, "code": n.code, "amount": money(n.amount),
        "due_date": n.due_date, "status": n.status, "created_at": now, "updated_at": now,
    }  # fmt: skip


def _credit_row(creditor_id: int, c: CreditRecord, roll_ids: dict[str, int], now: datetime) -> dict[str, Any]:
    return {
        "id": c.id, "creditor_id": creditor_id, "roll_id": roll_ids[c.roll.name] if c.roll else None,
        "notice_id": c.notice_id, "holder_id": c.holder_id, "payer_id": c.payer_id,
        "collector_id": c.collector_id, "reference": c.reference, "kind": c.kind,
        "installation_ref": c.installation_ref, "issue_date": c.issue_date, "due_date": c.due_date,
        "amount": money(c.amount), "outstanding": money(c.outstanding), "status": c.status, "notes": c.notes,
        "created_at": now, "updated_at": now,
    }  # fmt: skip


def _payment_row(creditor_id: int, p: PaymentRecord, allocated: int, now: datetime) -> dict[str, Any]:
    if allocated == 0:
        status = PaymentStatus.UNMATCHED
    else:
        status = PaymentStatus.MATCHED if allocated == p.amount else PaymentStatus.PARTIALLY_MATCHED
    return {
        "id": p.id, "creditor_id": creditor_id, "payer_id": p.payer_id, "notice_id": p.notice_id,
        "source": p.source, "external_id": p.external_id, "received_on": p.received_on,
        # The bank credits the amount on the day it reports it; other sources carry no value date.
        "value_date": p.received_on if p.source is PaymentSource.BANK else None,
        "amount": money(p.amount), "description": p.description, "status": status,
        "matched_by": None if allocated == 0 else MatchRule.NOTICE_CODE, "unallocated": money(p.amount - allocated),
        "created_at": now, "updated_at": now,
    }  # fmt: skip
