"""Finding the schedule's customers, condominiums and administrators in the registry, or adding them, in bulk.

A subject is found by codice fiscale, else partita IVA, else name and address; what the file says of it fills
in and updates its contacts and address (the ERP is where they are kept), never its name or its codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from app.models import Subject, SubjectKind
from app.services.bulk import IdAllocator, Progress, bulk_insert, fetch_rows, table_of
from app.services.imports.headers import normalise
from app.services.imports.row_subjects import SubjectData

_UPDATABLE = ("street", "postal_code", "city", "province", "pec", "email", "mobile")
_FILLABLE = ("tax_code", "tax_code_problem", "vat_number", "vat_number_problem")
_COLUMNS = ("id", "kind", "name", *_FILLABLE, *_UPDATABLE)


@dataclass
class _Known:
    id: int
    kind: SubjectKind
    name: str
    values: dict[str, Any]
    changes: dict[str, Any] = field(default_factory=dict)


class SubjectIndex:
    """The creditor's registry, loaded once, answering "which subject is this?" and remembering what to write."""

    def __init__(self, session: Session, creditor_id: int) -> None:
        self._session = session
        self._creditor_id = creditor_id
        self._ids = IdAllocator(session, Subject)
        self._by_key: dict[str, _Known] = {}
        self._by_id: dict[int, _Known] = {}
        self._new: dict[int, SubjectData] = {}
        self._written: dict[int, SubjectData] = {}  # new subjects already inserted, as they were then
        self._resolved: dict[int, int] = {}
        self._alive: list[SubjectData] = []  # so that no id() above is reused while the index lives
        for row in fetch_rows(session, Subject, _COLUMNS, creditor_id):
            values = dict(zip(_COLUMNS, row, strict=True))
            known = _Known(values.pop("id"), SubjectKind(values.pop("kind")), values.pop("name"), values)
            self._by_id[known.id] = known
            for key in _keys(known.name, values):
                self._by_key.setdefault(key, known)

    @property
    def created(self) -> int:
        return len(self._new)

    @property
    def updated(self) -> int:
        return sum(1 for known in self._by_id.values() if known.changes and known.id not in self._new)

    def name(self, subject_id: int) -> str:
        """The name of a subject known or about to be created."""
        return self._by_id[subject_id].name

    def kind(self, subject_id: int) -> SubjectKind:
        """The kind of a subject known or about to be created."""
        return self._by_id[subject_id].kind

    def resolve(self, data: SubjectData) -> int:
        """The id of the subject ``data`` describes: found (and updated from ``data``) or new."""
        # The parser hands out one object per distinct customer and keeps it alive: its identity is the key.
        known_id = self._resolved.get(id(data))
        if known_id is None:
            known_id = self._resolved[id(data)] = self._resolve(data)
            self._alive.append(data)
        return known_id

    def _resolve(self, data: SubjectData) -> int:
        keys = _keys(data.name, {"tax_code": data.tax_code, "vat_number": data.vat_number, **_address(data)})
        known = next((self._by_key[key] for key in keys if key in self._by_key), None)
        if known is not None and _codes_differ(known, data):
            known = None  # same name and address, different codice fiscale: a father and his son
        if known is None:
            return self._add(data, keys)
        if known.id in self._new:
            merged = self._new[known.id] = _merged(self._new[known.id], data)
            known.kind = merged.kind
        else:
            self._update(known, data)
        return known.id

    def _add(self, data: SubjectData, keys: list[str]) -> int:
        subject_id = self._ids.next()
        known = _Known(subject_id, data.kind, data.name, {"tax_code": data.tax_code, "vat_number": data.vat_number})
        self._by_id[subject_id] = known
        self._new[subject_id] = data
        for key in keys:
            self._by_key.setdefault(key, known)
        return subject_id

    def _update(self, known: _Known, data: SubjectData) -> None:
        for name in _UPDATABLE:
            value = getattr(data, name)
            if value is not None and value != known.values.get(name):
                known.values[name] = known.changes[name] = value
        for code, problem in (("tax_code", "tax_code_problem"), ("vat_number", "vat_number_problem")):
            if known.values.get(code) is None and getattr(data, code) is not None:
                for name in (code, problem):
                    known.values[name] = known.changes[name] = getattr(data, name)
        if data.kind in (SubjectKind.ADMINISTRATOR, SubjectKind.CONDOMINIUM) and known.kind != data.kind:
            # Only an administrator manages, only a condominium is managed: the file says which this one is.
            known.kind = known.changes["kind"] = data.kind

    def write_new(self, now: datetime, progress: Progress) -> None:
        """Insert the subjects created since the last call, in the caller's transaction."""
        fresh = [(subject_id, data) for subject_id, data in self._new.items() if subject_id not in self._written]
        rows = (_insert_row(subject_id, self._creditor_id, data, now) for subject_id, data in fresh)
        bulk_insert(self._session, Subject, rows, progress)
        self._written.update(fresh)

    def write_changes(self, now: datetime) -> None:
        """Update the subjects the file says more about: known ones, and new ones completed by later rows."""
        self.write_new(now, Progress(None))
        for subject_id, data in self._new.items():
            if self._written[subject_id] is not data:
                known = self._by_id[subject_id]
                known.changes = {name: getattr(data, name) for name in ("kind", *_FILLABLE, *_UPDATABLE)}
        changed = [known for known in self._by_id.values() if known.changes]
        table = table_of(Subject)
        for columns in {tuple(sorted(known.changes)) for known in changed}:
            batch = [
                {"_id": known.id, "updated_at": now, **known.changes}
                for known in changed
                if tuple(sorted(known.changes)) == columns
            ]
            statement = (
                update(table)
                .where(table.c.id == bindparam("_id"))
                .values({name: bindparam(name) for name in (*columns, "updated_at")})
            )
            self._session.execute(statement.execution_options(synchronize_session=False), batch)


def _address(data: SubjectData) -> dict[str, Any]:
    return {"street": data.street, "postal_code": data.postal_code, "city": data.city}


def _keys(name: str, values: dict[str, Any]) -> list[str]:
    keys = []
    if values.get("tax_code"):
        keys.append(f"cf:{values['tax_code']}")
    if values.get("vat_number"):
        keys.append(f"iva:{values['vat_number']}")
    place = values.get("postal_code") or normalise(values.get("city") or "")
    keys.append(f"nome:{normalise(name)}|{normalise(values.get('street') or '')}|{place}")
    return keys


def _codes_differ(known: _Known, data: SubjectData) -> bool:
    for code in ("tax_code", "vat_number"):
        theirs, ours = known.values.get(code), getattr(data, code)
        if theirs and ours and theirs != ours:
            return True
    return False


def _merged(first: SubjectData, later: SubjectData) -> SubjectData:
    updates: dict[str, Any] = {
        item.name: getattr(later, item.name)
        for item in fields(SubjectData)
        if getattr(first, item.name) is None and getattr(later, item.name) is not None
    }
    if later.kind in (SubjectKind.ADMINISTRATOR, SubjectKind.CONDOMINIUM) and later.kind != first.kind:
        updates["kind"] = later.kind  # a later row names its administrator: it is a condominium after all
    return replace(first, **updates) if updates else first


def _insert_row(subject_id: int, creditor_id: int, data: SubjectData, now: datetime) -> dict[str, Any]:
    return {
        "id": subject_id, "creditor_id": creditor_id, "kind": data.kind, "name": data.name,
        "tax_code": data.tax_code, "vat_number": data.vat_number, "tax_code_problem": data.tax_code_problem,
        "vat_number_problem": data.vat_number_problem, "street": data.street, "postal_code": data.postal_code,
        "city": data.city, "province": data.province, "country": "IT", "mobile": data.mobile, "email": data.email,
        "pec": data.pec, "whatsapp_consent": False, "whatsapp_consent_date": None, "preferred_channel": None,
        "notes": None, "created_at": now, "updated_at": now,
    }  # fmt: skip
