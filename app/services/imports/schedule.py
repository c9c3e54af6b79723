"""Importing the ERP's due-date schedule: read, check every row, then apply the whole file or nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.models import ScheduleImport, User
from app.models.types import rome_today, utc_now
from app.services.archive.files import sha256_of, staged_copy
from app.services.bulk import Progress
from app.services.database import Database
from app.services.imports.apply import Applied
from app.services.imports.headers import (
    AMOUNT_FIELDS,
    HEADER_SEARCH_ROWS,
    REQUIRED,
    find_header_row,
    header_texts,
    resolve_mapping,
)
from app.services.imports.pipeline import BackgroundTransaction
from app.services.imports.profiles import ProfileInfo, profile_info
from app.services.imports.rows import RowParser, ScheduleRow
from app.services.imports.sources import Source, open_source
from app.services.imports.types import (
    CellValue,
    Field,
    FileOverview,
    ImportCounts,
    ImportOutcome,
    ImportRequest,
    ImportResult,
    Issue,
    PreviewRow,
    PreviousImport,
    Severity,
    SheetPreview,
)
from app.services.imports.values import text as cell_text
from app.services.imports.writing import AlreadyImported, ImportJob, Written, start_writing

ProgressCallback = Callable[[int, int], None]
PREVIEW_ROWS = 50
_CHUNK_ROWS = 5_000
Transaction = BackgroundTransaction[Any, list[ScheduleRow], Written]
_READ_REPORT_EVERY = 2_000
_FIELD_NAMES = {
    Field.REFERENCE: "numero documento", Field.HOLDER_NAME: "cliente (ragione sociale)",
    Field.DUE_DATE: "scadenza", Field.AMOUNT: "importo",
}  # fmt: skip


def inspect_file(path: Path, preview_rows: int = 30) -> FileOverview:
    """The file's sheets, each with its first rows as text and the header row found in it."""
    with open_source(path) as source:
        sheets = [_preview(source, name, preview_rows) for name in source.sheet_names()]
        return FileOverview(path=path, file_name=source.file_name, kind=source.kind, sheets=sheets)


def _preview(source: Source, sheet: str, preview_rows: int) -> SheetPreview:
    rows = list(source.rows(sheet, limit=max(preview_rows, HEADER_SEARCH_ROWS)))
    header_row = find_header_row(rows)
    headers = next((header_texts(cells) for number, cells in rows if number == header_row), [])
    shown = [(number, [_shown(cell) for cell in cells]) for number, cells in rows[:preview_rows]]
    return SheetPreview(name=sheet, rows=shown, header_row=header_row, headers=headers)


def _shown(cell: CellValue) -> str:
    """A cell as the clerk wrote it in Excel: numbers with a decimal comma (123,5), dates as 31/01/2027."""
    if type(cell) is float and not cell.is_integer():
        return repr(cell).replace(".", ",")
    return cell_text(cell) or ""


@dataclass
class _Plan:
    """How this file is read: the sheet, the header, and which column holds which field."""

    sheet: str
    header_row: int
    headers: list[str]
    columns: dict[Field, int]
    profile: ProfileInfo | None


def import_schedule(
    db: Database,
    creditor_id: int,
    request: ImportRequest,
    *,
    user_login: str,
    archive_folder: Path,
    progress: ProgressCallback | None = None,
    today: date | None = None,
) -> ImportResult:
    """Import the schedule ``request`` names for the creditor: all of it, or nothing if any row is wrong.

    A dry run checks and works out every change, then writes nothing. A file already applied (same SHA-256)
    is not applied again. ``progress(done, total)`` may raise to cancel: nothing is written then either.
    Raises UnreadableFile for a file that cannot be read at all; every problem inside a readable file is an
    issue in the result.
    """
    today = today or rome_today()
    if not request.path.is_file():
        return _import(db, creditor_id, request, user_login, archive_folder, progress, today)
    with staged_copy(request.path, archive_folder) as copy:
        return _import(db, creditor_id, replace(request, path=copy), user_login, archive_folder, progress, today)


def _import(
    db: Database,
    creditor_id: int,
    request: ImportRequest,
    user_login: str,
    archive_folder: Path,
    progress: ProgressCallback | None,
    today: date,
) -> ImportResult:
    file_name = request.path.name
    sha256 = sha256_of(request.path) if request.path.is_file() else ""
    previous = _previous_import(db, creditor_id, sha256) if sha256 else None
    if previous is not None:
        return _result(ImportOutcome.ALREADY_IMPORTED, file_name, sha256, None, [], previous=previous)
    # The database side opens first: it loads the registry and the known credits while the file is read.
    job = ImportJob(creditor_id, request, sha256, user_login, archive_folder, today, utc_now())
    transaction = start_writing(db, job) if request.path.is_file() else None
    try:
        with open_source(request.path) as source:
            file_name = source.file_name
            plan, problems = _plan(db, creditor_id, source, request)
            if plan is None or problems:
                return _result(ImportOutcome.REFUSED, file_name, sha256, plan, problems)
            job.sheet, job.header_row, job.profile = plan.sheet, plan.header_row, plan.profile
            shown_sheet = None if source.kind == "csv" else plan.sheet  # a CSV file has no sheet to name
            parser = RowParser(file=file_name, sheet=shown_sheet, headers=plan.headers, columns=plan.columns)
            assert transaction is not None
            job.rows, preview = _read(source, plan, parser, Progress(progress), transaction)
        job.duplicates = parser.duplicates
        job.warnings = len(parser.issues) - parser.error_count
        if parser.error_count:
            return _result(ImportOutcome.REFUSED, file_name, sha256, plan, parser.issues, preview, rows=job.rows,
                           parser=parser)  # fmt: skip
        outcome, applied, import_id = transaction.finish(_second_half(progress, job.rows))
        transaction = None
    except AlreadyImported:
        # Another workstation applied the same file while this one was reading it.
        transaction = None
        previous = _previous_import(db, creditor_id, sha256)
        return _result(ImportOutcome.ALREADY_IMPORTED, file_name, sha256, None, [], previous=previous)
    finally:
        if transaction is not None:
            transaction.abort()
    return _result(outcome, file_name, sha256, plan, parser.issues + applied.issues, preview, rows=job.rows,
                   parser=parser, applied=applied, import_id=import_id)  # fmt: skip


def _plan(db: Database, creditor_id: int, source: Source, request: ImportRequest) -> tuple[_Plan | None, list[Issue]]:
    profile = None
    if request.profile:
        with db.read_session() as session:
            profile = profile_info(session, creditor_id, request.profile)
    sheets = source.sheet_names()
    wanted = request.sheet or (profile.sheet if profile else None)
    if wanted is not None and wanted not in sheets:
        names = ", ".join(f"«{name}»" for name in sheets)
        return None, [_file_issue(source, None, f"il foglio «{wanted}» non c'è (fogli del file: {names})")]
    candidates = [wanted] if wanted else sheets
    for sheet in candidates:
        head = list(source.rows(sheet, limit=HEADER_SEARCH_ROWS))
        header_row = request.header_row or (profile.header_row if profile and wanted else None) or find_header_row(head)
        cells = next((cells for number, cells in head if number == header_row), None)
        if header_row is None or cells is None:
            continue
        headers = header_texts(cells)
        columns, missing = resolve_mapping(headers, profile.mapping if profile else None, request.mapping)
        plan = _Plan(sheet, header_row, headers, columns, profile)
        issues = [_file_issue(source, sheet, message) for message in missing]
        issues += [_file_issue(source, sheet, message) for message in _required_missing(columns)]
        return plan, issues
    where = f"nel foglio «{wanted}»" if wanted else "in nessun foglio"
    return None, [
        _file_issue(
            source, wanted, f"riga di intestazione non trovata {where} (nelle prime {HEADER_SEARCH_ROWS} righe): "
            "indicare la riga e le colonne nella procedura guidata o in un profilo",
        )
    ]  # fmt: skip


def _required_missing(columns: dict[Field, int]) -> list[str]:
    missing = [_FIELD_NAMES[field] for field in REQUIRED if field not in columns]
    if not any(field in columns for field in AMOUNT_FIELDS):
        missing.append("importo (o residuo)")
    return [f"manca la colonna «{name}»: indicarla nell'abbinamento delle colonne" for name in missing]


def _read(
    source: Source, plan: _Plan, parser: RowParser, tracker: Progress, transaction: Transaction
) -> tuple[int, list[PreviewRow]]:
    """Parse every data row, sending the good ones to the writer in chunks while no error has been found."""
    chunk: list[ScheduleRow] = []
    preview: list[PreviewRow] = []
    tracker.plan(_READ_REPORT_EVERY)
    seen = parsed_rows = 0
    for number, cells in source.rows(plan.sheet):
        if number <= plan.header_row:
            continue
        before = len(parser.issues)
        parsed = parser.parse(number, cells)
        if parsed is not None:
            chunk.append(parsed)
            parsed_rows += 1
        if len(preview) < PREVIEW_ROWS and (parsed is not None or len(parser.issues) > before):
            preview.append(_preview_row(number, cells, plan, parser.issues[before:]))
        seen += 1
        if seen % _READ_REPORT_EVERY == 0:
            # The total is not known while reading: the bar moves through the first half as rows come in.
            tracker.plan(2 * seen + _READ_REPORT_EVERY)
            tracker.advance(_READ_REPORT_EVERY)
        if len(chunk) >= _CHUNK_ROWS:
            _send(transaction, chunk, parser)
            chunk = []
    _send(transaction, chunk, parser)
    tracker.plan(2 * seen)
    tracker.advance(seen - tracker.done)
    return parsed_rows, preview


def _second_half(progress: ProgressCallback | None, rows: int) -> ProgressCallback | None:
    """The writer's progress as the second half of the bar, reading having been the first."""
    if progress is None:
        return None
    callback = progress

    def report(done: int, total: int) -> None:
        callback(rows + (rows * done // total if total else 0), 2 * rows)

    return report


def _send(transaction: Transaction, chunk: list[ScheduleRow], parser: RowParser) -> None:
    # Once a row is wrong the file will be refused: the rest is only read to list every problem.
    if chunk and not parser.error_count:
        transaction.send(chunk)


def _preview_row(number: int, cells: Sequence[CellValue], plan: _Plan, issues: list[Issue]) -> PreviewRow:
    values = {field: _shown(cells[index]) if index < len(cells) else "" for field, index in plan.columns.items()}
    severity = None
    if issues:
        severity = Severity.ERROR if any(i.severity is Severity.ERROR for i in issues) else Severity.WARNING
    messages = [f"{issue.column}: {issue.message}" if issue.column else issue.message for issue in issues]
    return PreviewRow(row=number, values=values, severity=severity, messages=messages)


def _previous_import(db: Database, creditor_id: int, sha256: str) -> PreviousImport | None:
    with db.read_session() as session:
        found = session.execute(
            select(ScheduleImport.id, ScheduleImport.imported_at, User.display_name)
            .outerjoin(User, User.id == ScheduleImport.user_id)
            .where(ScheduleImport.creditor_id == creditor_id, ScheduleImport.sha256 == sha256)
            .order_by(ScheduleImport.imported_at.desc())
            .limit(1)
        ).first()
    if found is None:
        return None
    return PreviousImport(import_id=found[0], imported_at=found[1], user_name=found[2] or "utente sconosciuto")


def _file_issue(source: Source, sheet: str | None, message: str) -> Issue:
    return Issue(Severity.ERROR, source.file_name, sheet, None, None, None, None, message)


def _result(
    outcome: ImportOutcome,
    file_name: str,
    sha256: str,
    plan: _Plan | None,
    issues: list[Issue],
    preview: list[PreviewRow] | None = None,
    *,
    rows: int = 0,
    parser: RowParser | None = None,
    applied: Applied | None = None,
    import_id: int | None = None,
    previous: PreviousImport | None = None,
) -> ImportResult:
    applied = applied or Applied()
    duplicates = parser.duplicates if parser else 0
    counts = ImportCounts(
        rows=rows + duplicates, created=applied.created, updated=applied.updated, unchanged=applied.unchanged,
        duplicates=duplicates, subjects_created=applied.subjects_created, subjects_updated=applied.subjects_updated,
        administrator_changes=applied.administrator_changes, missing=len(applied.missing),
        errors=sum(1 for i in issues if i.severity is Severity.ERROR),
        warnings=sum(1 for i in issues if i.severity is Severity.WARNING),
    )  # fmt: skip
    mapping = {field: plan.headers[index] for field, index in plan.columns.items()} if plan else {}
    return ImportResult(
        outcome=outcome, file_name=file_name, sha256=sha256, sheet=plan.sheet if plan else None,
        header_row=plan.header_row if plan else None, mapping=mapping, counts=counts, issues=issues,
        preview=preview or [], missing=applied.missing, import_id=import_id, previous=previous,
    )  # fmt: skip


def suggest_mapping(headers: Sequence[str], profile: ProfileInfo | None = None) -> dict[Field, str]:
    """field → header: recognised automatically, then as the profile says where it says so."""
    columns, _ = resolve_mapping(headers, profile.mapping if profile else None)
    return {field: headers[index] for field, index in columns.items()}
