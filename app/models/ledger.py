"""Payments received and how each one is split over credits."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped, enum_column
from app.models.enums import BankFileFormat, MatchRule, PaymentSource, PaymentStatus
from app.models.types import Money, UtcDateTime


class Payment(Timestamped, Base):
    """Money received, from the bank's reporting, the accounting office or entered by hand."""

    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        # The bank's or ERP's own id of the movement: the same file read twice never books it twice.
        UniqueConstraint("creditor_id", "source", "external_id"),
        Index("ix_payment_received_on", "creditor_id", "received_on"),
        Index("ix_payment_payer", "payer_id"),
        Index("ix_payment_status", "creditor_id", "status", "received_on"),
        CheckConstraint("unallocated >= 0 AND unallocated <= amount", name="unallocated_within_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditor.id", ondelete="CASCADE"))
    payer_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id", ondelete="SET NULL"))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("payment_notice.id", ondelete="SET NULL"))
    source: Mapped[PaymentSource] = mapped_column(enum_column(PaymentSource, "payment_source"))
    external_id: Mapped[str | None] = mapped_column(String(100))
    received_on: Mapped[date] = mapped_column(Date)
    value_date: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money())
    description: Mapped[str | None] = mapped_column(String(500))
    payer_name: Mapped[str | None] = mapped_column(String(200))
    payer_iban: Mapped[str | None] = mapped_column(String(34))
    # The payer's own reference of the transfer: a bank's reversal names it to say which payment it undoes.
    end_to_end_id: Mapped[str | None] = mapped_column(String(35))
    bank_file_id: Mapped[int | None] = mapped_column(ForeignKey("bank_file.id", ondelete="SET NULL"))
    status: Mapped[PaymentStatus] = mapped_column(
        enum_column(PaymentStatus, "payment_status"), default=PaymentStatus.UNMATCHED
    )
    matched_by: Mapped[MatchRule | None] = mapped_column(enum_column(MatchRule, "match_rule"))
    # What no credit took: the whole payment while unmatched, the excess of an over-payment.
    unallocated: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    reversed_by: Mapped[str | None] = mapped_column(String(100))

    allocations: Mapped[list[Allocation]] = relationship(back_populates="payment", cascade="all, delete-orphan")


class Allocation(Base):
    """The part of a payment that settles one credit."""

    __tablename__ = "allocation"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        UniqueConstraint("payment_id", "credit_id"),
        Index("ix_allocation_credit", "credit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id", ondelete="CASCADE"))
    credit_id: Mapped[int] = mapped_column(ForeignKey("credit.id", ondelete="RESTRICT"))
    amount: Mapped[Decimal] = mapped_column(Money())

    payment: Mapped[Payment] = relationship(back_populates="allocations")


class BankFile(Base):
    """A file exchanged with the bank or the accounting office: exported once, or applied once."""

    __tablename__ = "bank_file"
    __table_args__ = (UniqueConstraint("creditor_id", "direction", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditor.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(6))  # "export" or "import"
    format: Mapped[BankFileFormat] = mapped_column(enum_column(BankFileFormat, "bank_file_format"))
    roll_id: Mapped[int | None] = mapped_column(ForeignKey("roll.id", ondelete="SET NULL"))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    records: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    matched: Mapped[int] = mapped_column(Integer, default=0)
    unmatched: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str | None] = mapped_column(Text)
