"""The outbox of communications, the archive index, users and the audit trail."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamped, enum_column
from app.models.enums import Channel, CommunicationStatus, DocumentKind, UserRole
from app.models.types import UtcDateTime, utc_now


class User(Timestamped, Base):
    """A person who works in CreditDesk: clerk, supervisor, collector."""

    __tablename__ = "user"
    __table_args__ = (Index("ix_user_display_name", "display_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole, "user_role"), default=UserRole.CLERK)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Communication(Timestamped, Base):
    """One message to a payer: recorded before it is sent and updated after, so no send is silent."""

    __tablename__ = "communication"
    __table_args__ = (
        Index("ix_communication_status", "creditor_id", "status"),
        Index("ix_communication_subject", "subject_id"),
        Index("ix_communication_credit", "credit_id"),
        Index("ix_communication_notice", "notice_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditor.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="RESTRICT"))
    credit_id: Mapped[int | None] = mapped_column(ForeignKey("credit.id", ondelete="SET NULL"))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("payment_notice.id", ondelete="SET NULL"))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "channel"))
    template: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[int | None] = mapped_column(Integer)
    address: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[CommunicationStatus] = mapped_column(
        enum_column(CommunicationStatus, "communication_status"), default=CommunicationStatus.DRAFT
    )
    scheduled_for: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    provider_id: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)
    level_id: Mapped[int | None] = mapped_column(ForeignKey("dunning_level.id", ondelete="SET NULL"))
    planned_on: Mapped[date | None] = mapped_column(Date)
    # Claimed for a send: who claimed it (a fresh id per attempt) and until when the claim holds.
    attempt_id: Mapped[str | None] = mapped_column(String(36))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Which provider took it (e.g. "cloud", "twilio", "smtp", "print"): statuses are asked of that one.
    provider: Mapped[str | None] = mapped_column(String(20))
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # A registered letter: the number on its receipt of posting, then the date on the signed return receipt.
    registered_number: Mapped[str | None] = mapped_column(String(40))
    returned_on: Mapped[date | None] = mapped_column(Date)


class CommunicationEvent(Base):
    """One thing that happened to a communication (planned, approved, sent, a receipt, a clerk's action): its
    timeline, which the Communications page shows."""

    __tablename__ = "communication_event"
    __table_args__ = (
        Index("ix_communication_event_communication", "communication_id", "at"),
        Index("ix_communication_event_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    communication_id: Mapped[int] = mapped_column(ForeignKey("communication.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    # What happened, in English lower case: planned, approved, claimed, sent, retry, failed, unknown, delivered,
    # read, receipt, cancelled, resend, mark_sent, printed, registered, returned.
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[CommunicationStatus | None] = mapped_column(
        enum_column(CommunicationStatus, "communication_status")
    )
    detail: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class Document(Base):
    """A file in the archive, stored by path relative to the archive folder and checked by its hash."""

    __tablename__ = "document"
    __table_args__ = (
        UniqueConstraint("creditor_id", "relative_path"),
        CheckConstraint("size >= 0", name="size_not_negative"),
        Index("ix_document_subject", "subject_id"),
        Index("ix_document_credit", "credit_id"),
        Index("ix_document_roll", "roll_id"),
        Index("ix_document_notice", "notice_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditor.id", ondelete="CASCADE"))
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind, "document_kind"))
    relative_path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    mime_type: Mapped[str | None] = mapped_column(String(100))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id", ondelete="SET NULL"))
    credit_id: Mapped[int | None] = mapped_column(ForeignKey("credit.id", ondelete="SET NULL"))
    roll_id: Mapped[int | None] = mapped_column(ForeignKey("roll.id", ondelete="SET NULL"))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("payment_notice.id", ondelete="SET NULL"))
    communication_id: Mapped[int | None] = mapped_column(ForeignKey("communication.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)


class AuditEvent(Base):
    """Who did what to which record, and when."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity", "entity_id"), Index("ix_audit_event_at", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[str | None] = mapped_column(Text)
