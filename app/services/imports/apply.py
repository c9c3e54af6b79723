"""Applying checked schedule rows: credits created or updated by reference, never duplicated; changes recorded.

Everything goes through the caller's session in bulk (Core inserts, COPY on PostgreSQL, executemany updates);
the caller's unit of work commits or rolls back the whole file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from app.models import AdministratorAssignment, Credit, CreditChange, CreditKind, CreditStatus, SubjectKind
from app.models.credits import credit_status
from app.services.bulk import IdAllocator, Progress, bulk_insert, fetch_open_terms, fetch_rows, table_of
from app.services.imports.rows import ScheduleRow
from app.services.imports.subjects import SubjectIndex
from app.services.imports.types import Issue, MissingCredit, Severity

_COMPARED = (
    "holder_id", "payer_id", "kind", "installation_ref", "issue_date", "due_date", "amount", "outstanding", "status",
    "notes",
)  # fmt: skip
_LOADED = ("id", "reference", "notice_id", *_COMPARED)


class KnownCredit(NamedTuple):
    """A credit already in the database, as the import compares it (a tuple: 100,000 of them are held)."""

    id: int
    reference: str
    notice_id: int | None
    holder_id: int
    payer_id: int
    kind: CreditKind
    installation_ref: str | None
    issue_date: date
    due_date: date
    amount: Decimal
    outstanding: Decimal
    status: CreditStatus
    notes: str | None


_CHUNK = 500


@dataclass
class Applied:
    """What applying the rows did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    subjects_created: int = 0
    subjects_updated: int = 0
    administrator_changes: int = 0
    issues: list[Issue] = field(default_factory=list)
    missing: list[MissingCredit] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """Where and when the rows are applied, and how to name them in messages."""

    creditor_id: int
    import_id: int
    today: date
    now: datetime
    file: str
    sheet: str | None
    full_export: bool


class ScheduleWriter:
    """Applies rows in chunks as they are read, then what needs the whole file (administrators, updates).

    The registry and the credits already known are loaded when the writer is made, so that this can happen
    while the spreadsheet is still being read; new subjects and credits go in with each chunk.
    """

    def __init__(self, session: Session, target: Target) -> None:
        self._session, self._target = session, target
        self.applied = Applied()
        self._subjects = SubjectIndex(session, target.creditor_id)
        self._credits = _Credits(session, target, self.applied)
        self._rows: list[ScheduleRow] = []
        self._holders: list[int] = []
        self._administrators: list[int | None] = []
        self._payers: list[int] = []
        self._in_office = fetch_open_terms(session, target.creditor_id)

    def add(self, rows: Sequence[ScheduleRow], progress: Progress) -> None:
        """Write the new subjects and new credits among ``rows``; keep the rest for :meth:`finish`."""
        resolve = self._subjects.resolve
        holders = [resolve(row.holder) for row in rows]
        administrators = [resolve(row.administrator) if row.administrator else None for row in rows]
        self._subjects.write_new(self._target.now, progress)
        payers = [
            administrator or self._in_office.get(holder, holder)
            for holder, administrator in zip(holders, administrators, strict=True)
        ]
        self._credits.add(rows, holders, payers, progress)
        self._rows.extend(rows)
        self._holders.extend(holders)
        self._administrators.extend(administrators)
        self._payers.extend(payers)

    def finish(self, target: Target, progress: Progress) -> Applied:
        """Administrators, subject updates, changes to known credits, missing credits; returns what was done."""
        self._target = target
        self._subjects.write_changes(target.now)
        self.applied.subjects_created, self.applied.subjects_updated = self._subjects.created, self._subjects.updated
        assignments = _Assignments(self._session, target, self._subjects, self.applied)
        payers = assignments.apply(self._rows, self._holders, self._administrators)
        self._credits.finish(target, self._rows, self._holders, payers, self._payers, self._subjects, progress)
        return self.applied


@dataclass
class _Term:
    id: int
    administrator_id: int
    valid_from: date
    valid_to: date | None


class _Assignments:
    """Which administrator manages each condominium: opened for new ones, changed when the file says so."""

    def __init__(self, session: Session, target: Target, subjects: SubjectIndex, applied: Applied) -> None:
        self._session, self._target, self._subjects, self._applied = session, target, subjects, applied
        self._opened: list[dict[str, Any]] = []
        self._closed: list[dict[str, Any]] = []

    def apply(self, rows: Sequence[ScheduleRow], holders: list[int], administrators: list[int | None]) -> list[int]:
        """Record the file's administrators; return each row's payer."""
        named: dict[int, tuple[int, ScheduleRow, date]] = {}
        # The registry's kind, not the row's look: "Residence Parco Verde" can be a condominium with a manager.
        condominiums = {holder for holder in set(holders) if self._subjects.kind(holder) is SubjectKind.CONDOMINIUM}
        for holder, administrator, row in zip(holders, administrators, rows, strict=True):
            if administrator is not None:
                first = named.get(holder)
                earliest = min(row.issue_date, first[2]) if first else row.issue_date
                named[holder] = (administrator, first[1] if first else row, earliest)
        latest = self._latest_terms(condominiums | set(named))
        for condominium, (administrator, row, earliest) in named.items():
            self._record(condominium, administrator, row, earliest, latest.get(condominium))
        self._write()
        in_office = {c: a for c, (a, _, _) in named.items()}
        for condominium, term in latest.items():
            if condominium not in in_office and term.valid_to is None:
                in_office[condominium] = term.administrator_id
        return [
            administrator or in_office.get(holder, holder)
            for holder, administrator in zip(holders, administrators, strict=True)
        ]

    def _latest_terms(self, condominiums: set[int]) -> dict[int, _Term]:
        table = table_of(AdministratorAssignment)
        columns = (table.c.condominium_id, table.c.id, table.c.administrator_id, table.c.valid_from, table.c.valid_to)
        ids = sorted(condominiums)
        latest: dict[int, _Term] = {}
        for start in range(0, len(ids), _CHUNK):
            rows = self._session.execute(
                select(*columns)
                .where(table.c.condominium_id.in_(ids[start : start + _CHUNK]))
                .order_by(table.c.valid_from)
            )
            latest.update({row[0]: _Term(*row[1:]) for row in rows})
        return latest

    def _record(
        self, condominium: int, administrator: int, row: ScheduleRow, earliest: date, term: _Term | None
    ) -> None:
        today = self._target.today
        if term is None:
            self._open(condominium, administrator, min(earliest, today))
            return
        if term.valid_to is None and term.administrator_id == administrator:
            return
        before = self._subjects.name(term.administrator_id)
        after = self._subjects.name(administrator)
        if term.valid_to is None and term.valid_from >= today:
            # Appointed today by an earlier import: today's file corrects it rather than adding a one-day term.
            self._closed.append({"_id": term.id, "administrator_id": administrator, "valid_to": None})
        elif term.valid_to is None:
            self._closed.append({"_id": term.id, "administrator_id": term.administrator_id,
                                 "valid_to": today - timedelta(days=1)})  # fmt: skip
            self._open(condominium, administrator, today)
        else:
            self._open(condominium, administrator, max(today, term.valid_to + timedelta(days=1)))
        self._applied.administrator_changes += 1
        self._applied.issues.append(
            Issue(
                severity=Severity.WARNING, file=self._target.file, sheet=self._target.sheet, row=row.row,
                column=None, column_letter=None, value=after,
                message=f"cambio di amministratore per «{row.holder.name}»: da «{before}» a «{after}» "
                f"dal {today:%d/%m/%Y}",
            )
        )  # fmt: skip

    def _open(self, condominium: int, administrator: int, valid_from: date) -> None:
        self._opened.append({"condominium_id": condominium, "administrator_id": administrator,
                             "valid_from": valid_from, "valid_to": None})  # fmt: skip

    def _write(self) -> None:
        table = table_of(AdministratorAssignment)
        if self._closed:
            # Closed before the new terms go in: at most one open term per condominium, checked by an index.
            statement = (
                update(table)
                .where(table.c.id == bindparam("_id"))
                .values(administrator_id=bindparam("administrator_id"), valid_to=bindparam("valid_to"))
            )
            self._session.execute(statement.execution_options(synchronize_session=False), self._closed)
        bulk_insert(self._session, AdministratorAssignment, self._opened, Progress(None))


class _Credits:
    """The credits themselves: created, updated with their changes recorded, or left alone."""

    def __init__(self, session: Session, target: Target, applied: Applied) -> None:
        self._session, self._target, self._applied = session, target, applied
        self._existing = self._load()
        self._inserted: dict[str, int] = {}  # reference → id, for new credits whose payer may still change

    def add(self, rows: Sequence[ScheduleRow], holders: list[int], payers: list[int], progress: Progress) -> None:
        """Insert the credits of ``rows`` that are new; known ones wait for :meth:`finish`."""
        target, now = self._target, self._target.now
        inserts: list[dict[str, Any]] = []
        for row, holder, payer in zip(rows, holders, payers, strict=True):
            if row.reference in self._existing:
                continue
            credit_id = self._ids.next()
            if row.administrator is None:
                self._inserted[row.reference] = credit_id  # its payer may be named on a later row
            wanted = _wanted(row, holder, payer, None, target.today)
            inserts.append({"id": credit_id, "creditor_id": target.creditor_id, "reference": row.reference,
                            **wanted, "created_at": now, "updated_at": now})  # fmt: skip
        bulk_insert(self._session, Credit, inserts, progress)
        self._applied.created += len(inserts)

    def finish(
        self,
        target: Target,
        rows: Sequence[ScheduleRow],
        holders: list[int],
        payers: list[int],
        first_payers: list[int],
        subjects: SubjectIndex,
        progress: Progress,
    ) -> None:
        """Correct the payers that the whole file changed, update known credits, report the missing ones."""
        now = target.now
        updates: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        payer_fixes: list[dict[str, Any]] = []
        candidates: list[tuple[ScheduleRow, int, int, KnownCredit]] = []
        for row, holder, payer, first in zip(rows, holders, payers, first_payers, strict=True):
            known = self._existing.pop(row.reference, None)
            if known is None:
                if payer != first:  # an administrator named only on a later row of the same condominium
                    payer_fixes.append({"_id": self._inserted[row.reference], "payer_id": payer, "updated_at": now})
            elif _differences(_wanted(row, holder, payer, known, target.today), known):
                candidates.append((row, holder, payer, known))
            else:
                self._applied.unchanged += 1
        # Compared again with the rows locked: a clerk may have changed one since they were loaded.
        fresh = self._locked({known.id for *_, known in candidates})
        for row, holder, payer, known in candidates:
            current = fresh.get(known.id, known)
            differences = _differences(_wanted(row, holder, payer, current, target.today), current)
            if not differences:
                self._applied.unchanged += 1
                continue
            updates.append(
                {"_id": current.id, "updated_at": now, **{name: new for name, (_, new) in differences.items()}}
            )
            changes.append({"import_id": target.import_id, "credit_id": current.id, "changes": _json(differences)})
        progress.plan(progress.done + len(updates) + len(changes) + len(payer_fixes))
        for columns in {_changed_columns(values) for values in updates}:
            self._update([values for values in updates if _changed_columns(values) == columns], columns, progress)
        self._update(payer_fixes, ("payer_id",), progress)
        bulk_insert(self._session, CreditChange, changes, progress)
        self._applied.updated = len(updates)
        if target.full_export:
            self._applied.missing = _missing(self._existing.values(), subjects)

    def _locked(self, ids: set[int]) -> dict[int, KnownCredit]:
        """The credits ``ids`` as they are now, locked until the import commits (PostgreSQL; SQLite holds all)."""
        table = table_of(Credit)
        found: dict[int, KnownCredit] = {}
        ordered = sorted(ids)
        for start in range(0, len(ordered), _CHUNK):
            statement = select(*(table.c[name] for name in _LOADED)).where(
                table.c.id.in_(ordered[start : start + _CHUNK])
            )
            for row in self._session.execute(statement.with_for_update()):
                found[row[0]] = KnownCredit._make(row)
        return found

    def _load(self) -> dict[str, KnownCredit]:
        self._ids = IdAllocator(self._session, Credit)
        rows = fetch_rows(self._session, Credit, _LOADED, self._target.creditor_id)
        return {row[1]: KnownCredit._make(row) for row in rows}

    def _update(self, updates: list[dict[str, Any]], columns: Sequence[str], progress: Progress) -> None:
        if not updates:
            return
        table = table_of(Credit)
        statement = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({name: bindparam(name) for name in (*columns, "updated_at")})
        )
        for start in range(0, len(updates), 5_000):
            chunk = updates[start : start + 5_000]
            self._session.execute(statement.execution_options(synchronize_session=False), chunk)
            progress.advance(len(chunk))


def _changed_columns(values: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(set(values) - {"_id", "updated_at"}))


def _differences(wanted: dict[str, Any], known: KnownCredit) -> dict[str, tuple[Any, Any]]:
    return {name: (old, value) for name, value in wanted.items() if (old := getattr(known, name)) != value}


def _wanted(row: ScheduleRow, holder: int, payer: int, known: KnownCredit | None, today: date) -> dict[str, Any]:
    current = row.status or (known.status if known else None)
    has_notice = known is not None and known.notice_id is not None
    return {
        "holder_id": holder,
        "payer_id": payer,
        "kind": row.kind,
        # Blank optional cells leave what the credit already has: a clerk's note is not erased by the ERP.
        "installation_ref": row.installation if row.installation is not None or known is None
        else known.installation_ref,
        "issue_date": row.issue_date,
        "due_date": row.due_date,
        "amount": row.amount,
        "outstanding": row.outstanding,
        "status": credit_status(current, row.amount, row.outstanding, row.due_date, has_notice, today),
        # The ERP's note fills an empty one; a note already there (often the clerk's) is never overwritten.
        "notes": known.notes if known is not None and known.notes else row.notes,
    }  # fmt: skip


def _missing(left: Iterable[KnownCredit], subjects: SubjectIndex) -> list[MissingCredit]:
    open_statuses = {s for s in CreditStatus if s is not CreditStatus.WRITTEN_OFF}
    found = [
        MissingCredit(
            reference=credit.reference,
            holder_name=subjects.name(credit.holder_id),
            due_date=credit.due_date,
            outstanding=credit.outstanding,
        )
        for credit in left
        if credit.outstanding > 0 and credit.status in open_statuses
    ]
    return sorted(found, key=lambda credit: (credit.due_date, credit.reference))


def _json(differences: dict[str, tuple[Any, Any]]) -> str:
    return json.dumps({name: [_plain(old), _plain(new)] for name, (old, new) in differences.items()})


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal | date):
        return str(value)
    return value
