"""Creditors, the registry of subjects, and which administrator manages which condominium when."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
    or_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped, enum_column
from app.models.enums import Channel, NoticeKind, SubjectKind


class Creditor(Timestamped, Base):
    """The consortium that is owed the money; every other record belongs to one creditor."""

    __tablename__ = "creditor"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    tax_code: Mapped[str | None] = mapped_column(String(16))
    vat_number: Mapped[str | None] = mapped_column(String(11))
    street: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    city: Mapped[str | None] = mapped_column(String(100))
    province: Mapped[str | None] = mapped_column(String(2))
    iban: Mapped[str | None] = mapped_column(String(34))
    abi: Mapped[str | None] = mapped_column(String(5))
    cab: Mapped[str | None] = mapped_column(String(5))
    account: Mapped[str | None] = mapped_column(String(12))
    sia_code: Mapped[str | None] = mapped_column(String(5))
    pec: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    logo_path: Mapped[str | None] = mapped_column(String(500))
    notice_kind: Mapped[NoticeKind] = mapped_column(enum_column(NoticeKind, "notice_kind"), default=NoticeKind.MAV)
    bic: Mapped[str | None] = mapped_column(String(11))
    # pagoPA notices (public bodies): the segregation code given by the intermediary, and the CBILL code.
    pagopa_segregation_code: Mapped[str | None] = mapped_column(String(2))
    cbill_code: Mapped[str | None] = mapped_column(String(5))
    postal_account: Mapped[str | None] = mapped_column(String(12))
    # The payment instructions printed on every notice, with {placeholders}; None: the default text.
    notice_instructions: Mapped[str | None] = mapped_column(Text)


class Subject(Timestamped, Base):
    """A person, company, condominium or administrator in the registry (anagrafica)."""

    __tablename__ = "subject"
    __table_args__ = (
        Index("ix_subject_creditor_name", "creditor_id", "name"),
        Index("ix_subject_tax_code", "tax_code"),
        Index("ix_subject_vat_number", "vat_number"),
        CheckConstraint("whatsapp_consent = false OR whatsapp_consent_date IS NOT NULL", name="consent_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditor.id", ondelete="CASCADE"))
    kind: Mapped[SubjectKind] = mapped_column(enum_column(SubjectKind, "subject_kind"))
    name: Mapped[str] = mapped_column(String(200))
    tax_code: Mapped[str | None] = mapped_column(String(16))
    vat_number: Mapped[str | None] = mapped_column(String(11))
    # An invalid code is kept as typed and flagged, never silently corrected.
    tax_code_problem: Mapped[str | None] = mapped_column(String(200))
    vat_number_problem: Mapped[str | None] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    city: Mapped[str | None] = mapped_column(String(100))
    province: Mapped[str | None] = mapped_column(String(2))
    country: Mapped[str] = mapped_column(String(2), default="IT")
    mobile: Mapped[str | None] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(200))
    pec: Mapped[str | None] = mapped_column(String(200))
    whatsapp_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    whatsapp_consent_date: Mapped[date | None] = mapped_column(Date)
    preferred_channel: Mapped[Channel | None] = mapped_column(enum_column(Channel, "channel"))
    notes: Mapped[str | None] = mapped_column(Text)

    creditor: Mapped[Creditor] = relationship()

    @property
    def has_identity_problem(self) -> bool:
        """Whether the codice fiscale or partita IVA failed validation."""
        return bool(self.tax_code_problem or self.vat_number_problem)


class AdministratorAssignment(Base):
    """A condominium managed by an administrator from ``valid_from`` to ``valid_to`` (both included)."""

    __tablename__ = "administrator_assignment"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_range"),
        CheckConstraint("condominium_id <> administrator_id", name="not_self"),
        UniqueConstraint("condominium_id", "valid_from"),
        Index("ix_administrator_assignment_administrator", "administrator_id", "valid_from"),
        # At most one open term per condominium, whoever writes it: two clerks cannot both appoint.
        Index(
            "uq_administrator_assignment_open",
            "condominium_id",
            unique=True,
            sqlite_where=text("valid_to IS NULL"),
            postgresql_where=text("valid_to IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    condominium_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"))
    administrator_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="RESTRICT"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    condominium: Mapped[Subject] = relationship(foreign_keys=[condominium_id])
    administrator: Mapped[Subject] = relationship(foreign_keys=[administrator_id])

    def covers(self, day: date) -> bool:
        """Whether this assignment is in force on ``day`` (both ends included)."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @classmethod
    def in_force(cls, day: date) -> ColumnElement[bool]:
        """The same rule as :meth:`covers`, as a SQL condition."""
        return and_(cls.valid_from <= day, or_(cls.valid_to.is_(None), cls.valid_to >= day))
