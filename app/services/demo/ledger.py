"""What happened to the demo credits by today: notices issued, payments received and allocated, statuses.

Each credit ends in the status its amounts and dates imply on ``today`` (``Credit.status_on``), except the
write-offs and legal cases a collector decided.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.models import CreditStatus, NoticeKind, NoticeStatus, PaymentSource, RollStatus
from app.services.bulk import IdAllocator
from app.services.demo.billing import CreditRecord, RollPlan
from app.services.demo.identity import notice_code


@dataclass(slots=True)
class NoticeRecord:
    """One payment notice per holder per roll; amount in cents."""

    id: int
    roll: RollPlan
    holder_id: int
    payer_id: int
    code: str | None
    amount: int
    due_date: date
    status: NoticeStatus = NoticeStatus.ISSUED


@dataclass(slots=True)
class PaymentRecord:
    """A payment received; amount in cents."""

    id: int
    payer_id: int | None
    notice_id: int | None
    source: PaymentSource
    external_id: str | None
    received_on: date
    amount: int
    description: str


@dataclass
class Ledger:
    """Notices, payments and allocations generated for a list of credits."""

    notices: list[NoticeRecord] = field(default_factory=list)
    payments: list[PaymentRecord] = field(default_factory=list)
    allocations: list[tuple[int, int, int]] = field(default_factory=list)  # payment id, credit id, cents


class LedgerBuilder:
    """Plays out the life of the credits up to ``today`` with a seeded random generator."""

    def __init__(
        self,
        rng: random.Random,
        today: date,
        kind: NoticeKind,
        notice_ids: IdAllocator,
        payment_ids: IdAllocator,
    ) -> None:
        self._rng = rng
        self._today = today
        self._kind = kind
        self._notice_ids = notice_ids
        self._payment_ids = payment_ids
        self._code_base = rng.randrange(10**10, 9 * 10**10)
        self._bank_serial = 0
        self._erp_serial = 0
        self.ledger = Ledger()

    def run(self, credits: list[CreditRecord]) -> Ledger:
        """Issue the notices of every roll past draft, then settle each notice or loose credit."""
        groups: dict[tuple[str, int], list[CreditRecord]] = defaultdict(list)
        for credit in credits:
            if credit.roll is not None and credit.roll.status is not RollStatus.DRAFT:
                groups[(credit.roll.name, credit.holder_id)].append(credit)
            else:
                self._settle([credit], None)
        for group in groups.values():
            group.sort(key=lambda c: (c.due_date, c.id))
            notice = self._notice(group)
            self._settle(group, notice)
        return self.ledger

    def _notice(self, group: list[CreditRecord]) -> NoticeRecord:
        roll = group[0].roll
        assert roll is not None
        requested = roll.status is RollStatus.SENT_TO_BANK
        # The bank assigns the code when it issues the notice; a roll just sent has none yet.
        code = None if requested else notice_code(self._kind, self._code_base + len(self.ledger.notices))
        notice = NoticeRecord(
            id=self._notice_ids.next(),
            roll=roll,
            holder_id=group[0].holder_id,
            payer_id=group[0].payer_id,
            code=code,
            amount=sum(c.amount for c in group),
            due_date=min(c.due_date for c in group),
            status=NoticeStatus.REQUESTED if requested else NoticeStatus.ISSUED,
        )
        for credit in group:
            credit.notice_id = notice.id
        self.ledger.notices.append(notice)
        return notice

    def _settle(self, group: list[CreditRecord], notice: NoticeRecord | None) -> None:
        outcome = self._outcome(group[0])
        if outcome is not None:
            share, day = outcome
            total = sum(c.amount for c in group)
            paid = total if share >= 10 else max(100, total * share // 10 // 100 * 100)
            if paid <= total:
                self._pay(group, notice, paid, day)
        for credit in group:
            credit.status = self._status(credit)
        if notice is not None and notice.status is not NoticeStatus.REQUESTED:
            notice.status = self._notice_status(notice, group)

    def _outcome(self, credit: CreditRecord) -> tuple[int, date] | None:
        """How much (in tenths; 10 = all) was paid on which day, or None if nothing was."""
        rng, today = self._rng, self._today
        status = credit.roll.status if credit.roll else None
        first = credit.issue_date + timedelta(days=2)
        if first > today or status in (RollStatus.DRAFT, RollStatus.SENT_TO_BANK):
            return None
        due, draw = credit.due_date, rng.random()
        if due >= today:
            share = 10 if draw < 0.25 else rng.randint(2, 8) if draw < 0.33 else 0
            return (share, _day_between(rng, first, today)) if share else None
        age = (today - due).days
        full = 0.93 if status is RollStatus.CLOSED else 0.82 if age > 120 else 0.72 if age > 30 else 0.55
        share = 10 if draw < full else rng.randint(2, 8) if draw < full + 0.06 else 0
        if not share:
            return None
        on_time = rng.random() < 0.75
        day = _day_between(rng, first, due) if on_time else _day_between(rng, due + timedelta(days=1), today)
        return share, day

    def _pay(self, group: list[CreditRecord], notice: NoticeRecord | None, paid: int, day: date) -> None:
        rng = self._rng
        amount = paid
        if notice is None and paid == group[0].amount and rng.random() < 0.03:
            amount += rng.choice((100, 1_000, 2_000, 5_000))  # paid too much: the surplus stays unallocated
        payment = PaymentRecord(
            id=self._payment_ids.next(),
            payer_id=group[0].payer_id,
            notice_id=notice.id if notice else None,
            source=PaymentSource.BANK,
            external_id=None,
            received_on=day,
            amount=amount,
            description="",
        )
        self._describe(payment, group[0], notice, partial=paid < sum(c.amount for c in group))
        self.ledger.payments.append(payment)
        left = paid
        for credit in group:
            take = min(left, credit.outstanding)
            if take > 0:
                self.ledger.allocations.append((payment.id, credit.id, take))
                credit.outstanding -= take
                left -= take

    def _describe(
        self, payment: PaymentRecord, credit: CreditRecord, notice: NoticeRecord | None, *, partial: bool
    ) -> None:
        if notice is not None:
            label = {NoticeKind.MAV: "MAV", NoticeKind.PAGOPA: "avviso pagoPA"}.get(self._kind, "bonifico rif.")
            payment.description = f"{'Pagamento parziale' if partial else 'Incasso'} {label} {notice.code}"
            payment.external_id = self.bank_reference(payment.received_on)
            return
        draw = self._rng.random()
        if draw < 0.5:
            payment.source, payment.external_id = PaymentSource.ACCOUNTING, self._erp_reference()
            payment.description = f"Incasso da scadenziario, documento {credit.reference}"
        elif draw < 0.85:
            payment.external_id = self.bank_reference(payment.received_on)
            payment.description = f"Bonifico SEPA - saldo {credit.reference}"
        else:
            payment.source = PaymentSource.MANUAL
            payment.description = f"Assegno consegnato allo sportello per {credit.reference}"

    def add_unmatched(self, count: int, payers: list[tuple[int, str]], fees: tuple[int, ...]) -> None:
        """Payments nobody could tie to a credit: no reference, often a common fee, sometimes no payer."""
        rng = self._rng
        for _ in range(count):
            day = self._today - timedelta(days=rng.randint(0, 120))
            payer_id, name = rng.choice(payers) if payers and rng.random() < 0.6 else (None, "ordinante sconosciuto")
            amount = rng.choice(fees) if rng.random() < 0.5 else rng.randrange(2_000, 200_000)
            self.ledger.payments.append(
                PaymentRecord(
                    id=self._payment_ids.next(),
                    payer_id=payer_id,
                    notice_id=None,
                    source=PaymentSource.BANK,
                    external_id=self.bank_reference(day),
                    received_on=day,
                    amount=amount,
                    description=f"Bonifico da {name.upper()} - causale: saldo",
                )
            )

    def _erp_reference(self) -> str:
        self._erp_serial += 1
        return f"ERP-{self._erp_serial:09d}"

    def bank_reference(self, day: date) -> str:
        """A bank movement id as a reporting flow would carry it: unique, dated."""
        self._bank_serial += 1
        return f"CBI{day:%Y%m%d}{self._bank_serial:08d}"

    def _status(self, credit: CreditRecord) -> CreditStatus:
        today, rng = self._today, self._rng
        if credit.outstanding == 0:
            return CreditStatus.PAID
        if credit.due_date < today:
            age = (today - credit.due_date).days
            closed = credit.roll is not None and credit.roll.status is RollStatus.CLOSED
            draw = rng.random()
            if closed:
                return CreditStatus.IN_LEGAL if draw < 0.55 else CreditStatus.WRITTEN_OFF
            if age > 150 and draw < 0.12:
                return CreditStatus.IN_LEGAL
            if age > 240 and draw < 0.18:
                return CreditStatus.WRITTEN_OFF
            return CreditStatus.OVERDUE
        if credit.outstanding < credit.amount:
            return CreditStatus.PARTIALLY_PAID
        return CreditStatus.AWAITING_PAYMENT if credit.notice_id is not None else CreditStatus.ISSUED

    def _notice_status(self, notice: NoticeRecord, group: list[CreditRecord]) -> NoticeStatus:
        if all(c.outstanding == 0 for c in group):
            return NoticeStatus.PAID
        if any(c.outstanding < c.amount for c in group):
            return NoticeStatus.PARTIALLY_PAID
        if all(c.status is CreditStatus.WRITTEN_OFF for c in group):
            return NoticeStatus.CANCELLED
        return NoticeStatus.EXPIRED if notice.due_date < self._today else NoticeStatus.ISSUED


def _day_between(rng: random.Random, first: date, last: date) -> date:
    if last <= first:
        return first
    return first + timedelta(days=rng.randint(0, (last - first).days))
