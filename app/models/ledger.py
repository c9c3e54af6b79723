"""Payments received and how each one is split over credits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped, enum_column
from app.models.enums import PaymentSource
from app.models.types import Money


class Payment(Timestamped, Base):
    """Money received, from the bank's reporting, the accounting office or entered by hand."""

    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        # The bank's or ERP's own id of the movement: the same file read twice never books it twice.
        UniqueConstraint("creditor_id", "source", "external_id"),
        Index("ix_payment_received_on", "creditor_id", "received_on"),
        Index("ix_payment_payer", "payer_id"),
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
