"""Dunning policies (their ordered levels) and the items each planned communication covers."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped, enum_column
from app.models.enums import CreditKind
from app.models.types import Money


class DunningPolicy(Timestamped, Base):
    """A creditor's reminder steps, for all its credits or for one kind of credit."""

    __tablename__ = "dunning_policy"
    __table_args__ = (UniqueConstraint("creditor_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditor.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    # None: the creditor's default policy; otherwise it serves only credits of this kind.
    credit_kind: Mapped[CreditKind | None] = mapped_column(enum_column(CreditKind, "credit_kind"))
    # Sends without a clerk's approval when set; otherwise planned messages wait in the dry-run list.
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    # Minutes after midnight (Rome) between which messages may go out.
    send_from: Mapped[int] = mapped_column(Integer, default=9 * 60)
    send_until: Mapped[int] = mapped_column(Integer, default=19 * 60)

    levels: Mapped[list[DunningLevel]] = relationship(
        back_populates="policy", cascade="all, delete-orphan", order_by="DunningLevel.position"
    )


class DunningLevel(Base):
    """One step: so many days from the due date (negative: before), a channel with its fallbacks, a text."""

    __tablename__ = "dunning_level"
    __table_args__ = (UniqueConstraint("policy_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("dunning_policy.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    offset_days: Mapped[int] = mapped_column(Integer)
    # The channel first, then the fallbacks in order, comma-separated Channel values.
    channels: Mapped[str] = mapped_column(String(100))
    template: Mapped[str] = mapped_column(Text)
    # WhatsApp sends only templates the provider approved: its name there.
    provider_template: Mapped[str | None] = mapped_column(String(100))
    min_outstanding: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))

    policy: Mapped[DunningPolicy] = relationship(back_populates="levels")


class CommunicationItem(Base):
    """A notice (or a credit without one) that a communication reminds of, at one level, on one channel.

    ``key`` makes planning idempotent: the same target, level and channel is planned once, ever.
    """

    __tablename__ = "communication_item"
    __table_args__ = (
        UniqueConstraint("key"),
        Index("ix_communication_item_communication", "communication_id"),
        Index("ix_communication_item_credit", "credit_id"),
        Index("ix_communication_item_notice", "notice_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    communication_id: Mapped[int] = mapped_column(ForeignKey("communication.id", ondelete="CASCADE"))
    credit_id: Mapped[int | None] = mapped_column(ForeignKey("credit.id", ondelete="CASCADE"))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("payment_notice.id", ondelete="CASCADE"))
    level_id: Mapped[int] = mapped_column(ForeignKey("dunning_level.id", ondelete="RESTRICT"))
    key: Mapped[str] = mapped_column(String(80))
    amount: Mapped[Decimal] = mapped_column(Money())
