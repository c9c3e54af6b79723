"""Splitting a payment over credits: oldest due date first, never more than a credit still owes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.models import CreditStatus

ZERO = Decimal("0.00")


@dataclass(slots=True)
class OpenCredit:
    """A credit that can take money: what it still owes, kept current while a file is applied."""

    id: int
    reference: str
    due_date: date
    outstanding: Decimal
    amount: Decimal
    payer_id: int
    notice_id: int | None
    status: CreditStatus


def allocate(amount: Decimal, credits: Sequence[OpenCredit]) -> tuple[list[tuple[OpenCredit, Decimal]], Decimal]:
    """The parts of ``amount`` each credit takes, oldest due date first, and what is left over.

    The parts and the remainder always sum to ``amount``; no credit takes more than its outstanding, and the
    credits' outstanding amounts are lowered accordingly.
    """
    parts: list[tuple[OpenCredit, Decimal]] = []
    left = amount
    for credit in sorted(credits, key=lambda c: (c.due_date, c.id)):
        if left <= ZERO:
            break
        take = min(left, credit.outstanding)
        if take <= ZERO:
            continue
        credit.outstanding -= take
        left -= take
        parts.append((credit, take))
    return parts, left
