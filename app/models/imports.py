"""Schedule imports: the mapping profiles clerks save per ERP, each import applied, and what it changed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamped
from app.models.types import UtcDateTime, utc_now


class ImportProfile(Timestamped, Base):
    """How one ERP's export is read: which header names which field, and where the header is."""

    __tablename__ = "import_profile"
    __table_args__ = (UniqueConstraint("creditor_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditor.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    # JSON object: field name → the header text as the ERP writes it.
    mapping: Mapped[str] = mapped_column(Text)
    sheet: Mapped[str | None] = mapped_column(String(100))
    header_row: Mapped[int | None] = mapped_column(Integer)
    full_export: Mapped[bool] = mapped_column(Boolean, default=False)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ScheduleImport(Base):
    """One schedule file applied to the database: what, by whom, when, how, and the counts it produced."""

    __tablename__ = "schedule_import"
    __table_args__ = (Index("ix_schedule_import_sha256", "creditor_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditor.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    profile_name: Mapped[str | None] = mapped_column(String(100))
    sheet: Mapped[str | None] = mapped_column(String(100))
    header_row: Mapped[int | None] = mapped_column(Integer)
    full_export: Mapped[bool] = mapped_column(Boolean, default=False)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    subjects_created: Mapped[int] = mapped_column(Integer, default=0)
    subjects_updated: Mapped[int] = mapped_column(Integer, default=0)
    administrator_changes: Mapped[int] = mapped_column(Integer, default=0)
    missing: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))


class CreditChange(Base):
    """What an import changed in one known credit: a JSON object field → [before, after]."""

    __tablename__ = "credit_change"
    __table_args__ = (Index("ix_credit_change_credit", "credit_id"), Index("ix_credit_change_import", "import_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("schedule_import.id", ondelete="CASCADE"))
    credit_id: Mapped[int] = mapped_column(ForeignKey("credit.id", ondelete="CASCADE"))
    changes: Mapped[str] = mapped_column(Text)
