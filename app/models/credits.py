"""Rolls, credits and the payment notices that collect them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped, enum_column
from app.models.enums import CreditKind, CreditStatus, DunningHold, NoticeKind, NoticeStatus, RollStatus
from app.models.registry import Creditor, Subject
from app.models.types import Money, UtcDateTime


class Roll(Timestamped, Base):
    """A ruolo: the list of debtors and amounts a creditor sends to the bank in one go."""

    __tablename__ = "roll"
    __table_args__ = (UniqueConstraint("creditor_id", "name", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditor.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    campaign: Mapped[str | None] = mapped_column(String(100))
    credit_type: Mapped[str] = mapped_column(String(100))
    status: Mapped[RollStatus] = mapped_column(enum_column(RollStatus, "roll_status"), default=RollStatus.DRAFT)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The due date printed on every notice of the roll; None: each notice takes its credits' earliest.
    due_date: Mapped[date | None] = mapped_column(Date)
    # What the roll was formed from, in words a clerk reads back ("stati: scaduto; scadenza dal …").
    criteria: Mapped[str | None] = mapped_column(Text)

    creditor: Mapped[Creditor] = relationship()


class RollEvent(Base):
    """One change of a roll's state: from what, to what, who and when."""

    __tablename__ = "roll_event"
    __table_args__ = (Index("ix_roll_event_roll", "roll_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roll_id: Mapped[int] = mapped_column(ForeignKey("roll.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    from_status: Mapped[RollStatus | None] = mapped_column(enum_column(RollStatus, "from_status"))
    to_status: Mapped[RollStatus] = mapped_column(enum_column(RollStatus, "to_status"))
    note: Mapped[str | None] = mapped_column(Text)


class PaymentNotice(Timestamped, Base):
    """One payment slip (MAV, pagoPA, transfer with RF) per holder per roll, addressed to the payer."""

    __tablename__ = "payment_notice"
    __table_args__ = (
        UniqueConstraint("roll_id", "holder_id"),
        UniqueConstraint("creditor_id", "kind", "code"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        Index("ix_payment_notice_payer", "payer_id"),
        Index("ix_payment_notice_due_date", "creditor_id", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditor.id", ondelete="CASCADE"))
    roll_id: Mapped[int | None] = mapped_column(ForeignKey("roll.id", ondelete="RESTRICT"))
    holder_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="RESTRICT"))
    payer_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="RESTRICT"))
    kind: Mapped[NoticeKind] = mapped_column(enum_column(NoticeKind, "notice_kind"))
    # Assigned by the bank (MAV) or the creditor (RF); unknown while the notice is a draft.
    code: Mapped[str | None] = mapped_column(String(35))
    amount: Mapped[Decimal] = mapped_column(Money())
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[NoticeStatus] = mapped_column(enum_column(NoticeStatus, "notice_status"), default=NoticeStatus.DRAFT)
    # The bank's last word on a MAV (paid, unpaid, recalled, written off) as its return flow said it.
    bank_outcome: Mapped[str | None] = mapped_column(String(24))

    roll: Mapped[Roll | None] = relationship()
    holder: Mapped[Subject] = relationship(foreign_keys=[holder_id])
    payer: Mapped[Subject] = relationship(foreign_keys=[payer_id])


class Credit(Timestamped, Base):
    """One amount owed: an invoice, a policy premium or an instalment."""

    __tablename__ = "credit"
    __table_args__ = (
        UniqueConstraint("creditor_id", "reference"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("outstanding >= 0", name="outstanding_not_negative"),
        CheckConstraint("outstanding <= amount", name="outstanding_within_amount"),
        Index("ix_credit_due_date", "creditor_id", "due_date"),
        Index("ix_credit_status", "creditor_id", "status", "due_date"),
        # (holder/payer, creditor) covers the join that sorts credits by holder or payer name without a sort step.
        Index("ix_credit_holder", "holder_id", "creditor_id"),
        Index("ix_credit_payer", "payer_id", "creditor_id"),
        Index("ix_credit_kind", "creditor_id", "kind", "due_date"),
        Index("ix_credit_roll", "roll_id", "creditor_id"),
        Index("ix_credit_notice", "notice_id"),
        Index("ix_credit_collector", "collector_id", "creditor_id"),
        Index("ix_credit_amount", "creditor_id", "amount"),
        Index("ix_credit_outstanding", "creditor_id", "outstanding"),
        Index("ix_credit_issue_date", "creditor_id", "issue_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditor.id", ondelete="CASCADE"))
    roll_id: Mapped[int | None] = mapped_column(ForeignKey("roll.id", ondelete="SET NULL"))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("payment_notice.id", ondelete="SET NULL"))
    holder_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="RESTRICT"))
    payer_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="RESTRICT"))
    collector_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reference: Mapped[str] = mapped_column(String(50))
    kind: Mapped[CreditKind] = mapped_column(enum_column(CreditKind, "credit_kind"))
    installation_ref: Mapped[str | None] = mapped_column(String(50))
    issue_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money())
    outstanding: Mapped[Decimal] = mapped_column(Money())
    status: Mapped[CreditStatus] = mapped_column(
        enum_column(CreditStatus, "credit_status"), default=CreditStatus.ISSUED
    )
    notes: Mapped[str | None] = mapped_column(Text)
    # What the credit's notice asks for it (its outstanding when the roll was formed): printed on the notice
    # whatever has been paid since.
    notice_amount: Mapped[Decimal | None] = mapped_column(Money())
    # Set while the credit is disputed, on hold or in a payment plan: no reminder goes out for it.
    dunning_hold: Mapped[DunningHold | None] = mapped_column(enum_column(DunningHold, "dunning_hold"))

    holder: Mapped[Subject] = relationship(foreign_keys=[holder_id])
    payer: Mapped[Subject] = relationship(foreign_keys=[payer_id])
    roll: Mapped[Roll | None] = relationship()
    notice: Mapped[PaymentNotice | None] = relationship()

    @property
    def paid(self) -> Decimal:
        """What has been collected so far."""
        return self.amount - self.outstanding

    def status_on(self, day: date) -> CreditStatus:
        """The status the amounts and due date imply on ``day``; write-off and legal are kept as set."""
        return credit_status(self.status, self.amount, self.outstanding, self.due_date, self.notice_id is not None, day)


def credit_status(
    current: CreditStatus | None, amount: Decimal, outstanding: Decimal, due_date: date, has_notice: bool, day: date
) -> CreditStatus:
    """The rule of :meth:`Credit.status_on` for values not (yet) in a Credit, as bulk writers hold them."""
    if current in (CreditStatus.WRITTEN_OFF, CreditStatus.IN_LEGAL):
        return current
    if outstanding == 0:
        return CreditStatus.PAID
    if day > due_date:
        return CreditStatus.OVERDUE
    if outstanding < amount:
        return CreditStatus.PARTIALLY_PAID
    return CreditStatus.AWAITING_PAYMENT if has_notice else CreditStatus.ISSUED
