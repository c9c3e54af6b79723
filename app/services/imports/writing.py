"""The import's side of the database: one transaction on a thread of its own, fed the rows as they are read."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select, text

from app.models import AuditEvent, DocumentKind, ScheduleImport, User
from app.models.types import ROME
from app.services.archive.files import archived
from app.services.bulk import Progress
from app.services.database import Database
from app.services.imports.apply import Applied, ScheduleWriter, Target
from app.services.imports.pipeline import BackgroundTransaction
from app.services.imports.profiles import ProfileInfo, mark_profile_used
from app.services.imports.rows import ScheduleRow
from app.services.imports.types import ImportOutcome, ImportRequest
from app.services.unit_of_work import UnitOfWork

Written = tuple[ImportOutcome, Applied, int | None]
_IMPORT_LOCK = 0x5C4ED  # first key of the PostgreSQL advisory lock taken by schedule imports


@dataclass
class ImportJob:
    """What the writing needs to know; the reader fills in the sheet, header and counts as it learns them."""

    creditor_id: int
    request: ImportRequest
    sha256: str
    user_login: str
    archive_folder: Path
    today: date
    now: datetime
    sheet: str | None = None
    header_row: int | None = None
    profile: ProfileInfo | None = None
    rows: int = 0
    duplicates: int = 0
    warnings: int = 0  # found in the rows; the writing may add more


@dataclass
class _Open:
    record: ScheduleImport
    user_id: int | None
    writer: ScheduleWriter
    target: Target


def start_writing(db: Database, job: ImportJob) -> BackgroundTransaction[_Open, list[ScheduleRow], Written]:
    """Open the import's transaction on its own thread and load what is known; send it chunks, then finish."""
    return BackgroundTransaction(db, lambda uow: _start(uow, job), _step, lambda uow, state, progress: _finish(
        uow, state, job, progress
    ))  # fmt: skip


class AlreadyImported(Exception):
    """The same file was applied by another import that committed first."""


def _start(uow: UnitOfWork, job: ImportJob) -> _Open:
    session = uow.session
    if session.get_bind().dialect.name == "postgresql":
        # One import per creditor at a time; SQLite's write transaction already serialises them.
        session.execute(text("SELECT pg_advisory_xact_lock(:lock, :creditor)"),
                        {"lock": _IMPORT_LOCK, "creditor": job.creditor_id})  # fmt: skip
    already = session.scalar(
        select(ScheduleImport.id).where(ScheduleImport.creditor_id == job.creditor_id,
                                        ScheduleImport.sha256 == job.sha256)
    )  # fmt: skip
    if already is not None:
        raise AlreadyImported(already)
    user_id = session.scalar(select(User.id).where(User.login == job.user_login))
    path = job.request.path
    record = ScheduleImport(
        creditor_id=job.creditor_id, file_name=path.name, sha256=job.sha256, size=path.stat().st_size,
        user_id=user_id, imported_at=job.now, full_export=job.request.full_export,
    )  # fmt: skip
    session.add(record)
    session.flush()
    target = Target(job.creditor_id, record.id, job.today, job.now, path.name, None, job.request.full_export)
    return _Open(record, user_id, ScheduleWriter(session, target), target)


def _step(state: _Open, rows: list[ScheduleRow], progress: Progress) -> None:
    state.writer.add(rows, progress)


def _finish(uow: UnitOfWork, state: _Open, job: ImportJob, progress: Progress) -> Written:
    session, record, now = uow.session, state.record, job.now
    applied = state.writer.finish(replace(state.target, sheet=job.sheet), progress)
    if job.request.dry_run:
        return ImportOutcome.CHECKED, applied, None
    record.profile_name = job.profile.name if job.profile else None
    record.sheet, record.header_row = job.sheet, job.header_row
    record.rows, record.duplicates = job.rows + job.duplicates, job.duplicates
    record.created, record.updated, record.unchanged = applied.created, applied.updated, applied.unchanged
    record.subjects_created, record.subjects_updated = applied.subjects_created, applied.subjects_updated
    record.administrator_changes, record.missing = applied.administrator_changes, len(applied.missing)
    record.warnings = job.warnings + len(applied.issues)
    if job.profile is not None:
        mark_profile_used(session, job.creditor_id, job.profile.name, now)
    session.add(AuditEvent(at=now, user_id=state.user_id, action="import_schedule", entity="schedule_import",
                           entity_id=record.id, details=record.file_name))  # fmt: skip
    folder = ("Importazioni", f"{now.astimezone(ROME):%Y}")
    path = job.request.path
    with archived(session, job.archive_folder, job.creditor_id, path, folder, DocumentKind.SCHEDULE_FILE, now,
                  job.sha256) as copy:  # fmt: skip
        record.document_id = copy.document_id
        uow.commit()
    return ImportOutcome.APPLIED, applied, record.id
