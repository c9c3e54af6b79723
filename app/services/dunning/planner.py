"""Deciding who is due for which reminder on a day: the latest level that applies, never a burst of missed ones,
never the same target, level and channel twice, and one message per payer and level for all they owe."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, selectinload

from app.models import (
    Channel,
    Communication,
    CommunicationItem,
    CommunicationStatus,
    Credit,
    CreditKind,
    CreditStatus,
    DunningLevel,
    DunningPolicy,
    NoticeStatus,
    PaymentNotice,
    Subject,
)
from app.models.types import ROME, utc_now
from app.services.bulk import IdAllocator, Progress, bulk_insert
from app.services.database import Database
from app.services.dunning.channels import Contact, parse_channels, reach
from app.services.dunning.defaults import ensure_default_policy
from app.services.dunning.events import add_events
from app.services.dunning.working_days import next_working_day
from app.services.unit_of_work import UnitOfWork

ZERO = Decimal("0.00")
_CLOSED = (CreditStatus.PAID, CreditStatus.WRITTEN_OFF, CreditStatus.IN_LEGAL)
_NOT_YET_ISSUED = (NoticeStatus.DRAFT, NoticeStatus.REQUESTED)  # no code to remind of yet
_RETIRED = (NoticeStatus.CANCELLED, NoticeStatus.EXPIRED)
_PLAN_LOCK = 0x5C4EE  # first key of the PostgreSQL advisory lock taken while a creditor's reminders are planned


@dataclass
class _Target:
    """A notice (all its open credits) or a credit without a live notice: what one reminder item is about."""

    notice_id: int | None
    credit_id: int | None
    kind: CreditKind
    due_date: date
    payer_id: int
    outstanding: Decimal = ZERO

    @property
    def key(self) -> str:
        return f"n{self.notice_id}" if self.notice_id is not None else f"c{self.credit_id}"


@dataclass(frozen=True)
class PlannedMessage:
    """One planned communication, as the dry-run list shows it."""

    communication_id: int
    payer_name: str
    channel: Channel
    address: str
    level: str
    items: int
    amount: Decimal
    status: CommunicationStatus


@dataclass
class PlanResult:
    """What a planning run decided, and why the rest was left alone."""

    day: date
    messages: list[PlannedMessage] = field(default_factory=list)
    items: int = 0
    no_contact: int = 0
    below_minimum: int = 0
    already_planned: int = 0


def plan(db: Database, creditor_id: int, day: date) -> PlanResult:
    """Plan the reminders due on ``day`` for the creditor's unpaid credits and record them, idempotently.

    Each target (a notice, or a credit on no live notice) gets only the latest level whose date — due date plus
    offset, moved off Sundays and holidays — has come, and only if no level as late was planned before. Credits
    on hold, disputed, in a payment plan, paid, written off or in legal get nothing. Targets of one payer at one
    level on one channel become one message. Planned messages wait for approval unless the policy is automatic.
    """
    with UnitOfWork(db) as uow:
        session = uow.session
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:lock, :creditor)"),
                            {"lock": _PLAN_LOCK, "creditor": creditor_id})  # fmt: skip
        policies = _policies(session, creditor_id)
        result = PlanResult(day)
        due = _due_items(session, creditor_id, day, policies, result)
        _write(session, creditor_id, day, due, policies, result)
        uow.commit()
    return result


def _policies(session: Session, creditor_id: int) -> dict[CreditKind | None, DunningPolicy]:
    ensure_default_policy(session, creditor_id)
    found = session.scalars(
        select(DunningPolicy)
        .where(DunningPolicy.creditor_id == creditor_id)
        .options(selectinload(DunningPolicy.levels))
    )
    return {policy.credit_kind: policy for policy in found}


def _targets(session: Session, creditor_id: int) -> list[_Target]:
    rows = session.execute(
        select(Credit.id, Credit.notice_id, Credit.kind, Credit.due_date, Credit.outstanding, Credit.payer_id,
               PaymentNotice.status, PaymentNotice.due_date, PaymentNotice.payer_id)
        .outerjoin(PaymentNotice, PaymentNotice.id == Credit.notice_id)
        .where(Credit.creditor_id == creditor_id, Credit.outstanding > 0, Credit.status.not_in(_CLOSED),
               Credit.dunning_hold.is_(None))
    )  # fmt: skip
    by_notice: dict[int, _Target] = {}
    targets: list[_Target] = []
    for credit_id, notice_id, kind, due, owed, payer, notice_status, notice_due, notice_payer in rows:
        if notice_id is None or notice_status in _RETIRED:
            targets.append(_Target(None, credit_id, kind, due, payer, owed))
        elif notice_status not in _NOT_YET_ISSUED:
            target = by_notice.get(notice_id)
            if target is None:
                target = by_notice[notice_id] = _Target(notice_id, None, kind, notice_due, notice_payer)
                targets.append(target)
            target.outstanding += owed
    return targets


def _planned_positions(session: Session, creditor_id: int) -> dict[tuple[str, int], int]:
    """(target key, policy id) → the latest level position ever planned for it (cancelled ones included)."""
    rows = session.execute(
        select(CommunicationItem.notice_id, CommunicationItem.credit_id, DunningLevel.policy_id,
               func.max(DunningLevel.position))
        .join(DunningLevel, DunningLevel.id == CommunicationItem.level_id)
        .join(DunningPolicy, DunningPolicy.id == DunningLevel.policy_id)
        .where(DunningPolicy.creditor_id == creditor_id)
        .group_by(CommunicationItem.notice_id, CommunicationItem.credit_id, DunningLevel.policy_id)
    )  # fmt: skip
    return {(f"n{n}" if n is not None else f"c{c}", policy): position for n, c, policy, position in rows}


def _due_items(
    session: Session, creditor_id: int, day: date, policies: dict[CreditKind | None, DunningPolicy],
    result: PlanResult,
) -> list[tuple[_Target, DunningLevel]]:  # fmt: skip
    planned = _planned_positions(session, creditor_id)
    starts = {policy.id: _level_starts(policy) for policy in policies.values()}
    due: list[tuple[_Target, DunningLevel]] = []
    for target in _targets(session, creditor_id):
        policy = policies.get(target.kind) or policies[None]
        level = _latest_level(starts[policy.id], target.due_date, day)
        if level is None:
            continue
        if planned.get((target.key, policy.id), 0) >= level.position:
            result.already_planned += 1
        elif target.outstanding < level.min_outstanding:
            result.below_minimum += 1
        else:
            due.append((target, level))
    return due


def _level_starts(policy: DunningPolicy) -> list[tuple[int, DunningLevel]]:
    return sorted(((level.offset_days, level) for level in policy.levels), key=lambda pair: pair[1].position)


def _latest_level(levels: list[tuple[int, DunningLevel]], due: date, day: date) -> DunningLevel | None:
    # The last level whose day has come: a target first seen late gets that one alone, never the missed ones.
    for offset, level in reversed(levels):
        if next_working_day(due + timedelta(days=offset)) <= day:
            return level
    return None


def _write(
    session: Session, creditor_id: int, day: date, due: list[tuple[_Target, DunningLevel]],
    policies: dict[CreditKind | None, DunningPolicy], result: PlanResult,
) -> None:  # fmt: skip
    contacts = _contacts(session, {target.payer_id for target, _ in due})
    groups: defaultdict[tuple[int, int, Channel, str], list[_Target]] = defaultdict(list)
    levels: dict[int, DunningLevel] = {}
    for target, level in due:
        reached = reach(contacts[target.payer_id], parse_channels(level.channels))
        if reached is None:
            result.no_contact += 1
            continue
        levels[level.id] = level
        groups[(target.payer_id, level.id, *reached)].append(target)
    by_id = {policy.id: policy for policy in policies.values()}
    ids, now = IdAllocator(session, Communication), utc_now()
    messages: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    for (payer_id, level_id, channel, address), targets in groups.items():
        level = levels[level_id]
        policy = by_id[level.policy_id]
        status = CommunicationStatus.QUEUED if policy.automatic else CommunicationStatus.DRAFT
        communication_id = ids.next()
        single = targets[0] if len(targets) == 1 else None
        messages.append({
            "id": communication_id, "creditor_id": creditor_id, "subject_id": payer_id,
            "credit_id": single.credit_id if single else None, "notice_id": single.notice_id if single else None,
            "channel": channel, "template": level.provider_template or level.name, "level": level.position,
            "level_id": level.id, "address": address[:200], "status": status, "planned_on": day,
            "scheduled_for": _send_time(day, policy), "attempts": 0, "created_at": now, "updated_at": now,
        })  # fmt: skip
        items.extend({
            "communication_id": communication_id, "credit_id": t.credit_id, "notice_id": t.notice_id,
            "level_id": level.id, "key": f"{t.key}:{level.id}:{channel}", "amount": t.outstanding,
        } for t in targets)  # fmt: skip
        result.messages.append(PlannedMessage(communication_id, contacts[payer_id].name, channel, address,
                                              level.name, len(targets), sum((t.outstanding for t in targets), ZERO),
                                              status))  # fmt: skip
    bulk_insert(session, Communication, messages, Progress(None))
    bulk_insert(session, CommunicationItem, items, Progress(None))
    for status in (CommunicationStatus.DRAFT, CommunicationStatus.QUEUED):
        add_events(session, [m["id"] for m in messages if m["status"] is status], "planned", status=status, at=now)
    result.items = len(items)


def _send_time(day: date, policy: DunningPolicy) -> datetime:
    """The first moment a message planned on ``day`` may go out: the policy's opening hour, on a working day."""
    send_day = next_working_day(day)
    opening = time(policy.send_from // 60, policy.send_from % 60)
    return datetime.combine(send_day, opening, tzinfo=ROME)


def _contacts(session: Session, payer_ids: set[int]) -> dict[int, Contact]:
    found: dict[int, Contact] = {}
    ordered = sorted(payer_ids)
    for start in range(0, len(ordered), 900):  # SQLite's limit on bound parameters
        rows = session.execute(
            select(Subject.id, Subject.name, Subject.mobile, Subject.whatsapp_consent, Subject.email, Subject.pec,
                   Subject.street, Subject.postal_code, Subject.city, Subject.province)
            .where(Subject.id.in_(ordered[start : start + 900]))
        )  # fmt: skip
        for subject_id, name, mobile, consent, email, pec, street, postal_code, city, province in rows:
            postal = f"{street}, {postal_code} {city}" + (f" ({province})" if province else "")
            found[subject_id] = Contact(name, mobile, bool(consent), email, pec,
                                        postal if street and postal_code and city else None)  # fmt: skip
    return found
