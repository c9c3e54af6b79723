"""Mapping profiles: how each ERP's export is read, saved by name per creditor; the last one used comes first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ImportProfile
from app.models.types import utc_now
from app.services.database import Database
from app.services.errors import InvalidInput, NotFound
from app.services.imports.types import Field
from app.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ProfileInfo:
    """A saved profile."""

    name: str
    mapping: dict[Field, str]
    sheet: str | None
    header_row: int | None
    full_export: bool
    last_used_at: datetime | None


def list_profiles(db: Database, creditor_id: int) -> list[ProfileInfo]:
    """The creditor's profiles, the most recently used first, then the never used by name."""
    with db.read_session() as session:
        profiles = session.scalars(select(ImportProfile).where(ImportProfile.creditor_id == creditor_id)).all()
        infos = [_info(profile) for profile in profiles]
    epoch = datetime.min.replace(tzinfo=utc_now().tzinfo)
    return sorted(infos, key=lambda info: (-(info.last_used_at or epoch).timestamp(), info.name.casefold()))


def last_used_profile(db: Database, creditor_id: int) -> ProfileInfo | None:
    """The profile used last, proposed for the next import; None if none was ever used."""
    used = [profile for profile in list_profiles(db, creditor_id) if profile.last_used_at is not None]
    return used[0] if used else None


def find_profile(session: Session, creditor_id: int, name: str) -> ImportProfile:
    """The profile called ``name``; NotFound names the ones that exist."""
    profile = _named(session, creditor_id, name)
    if profile is None:
        names = session.scalars(select(ImportProfile.name).where(ImportProfile.creditor_id == creditor_id)).all()
        known = ", ".join(f"«{n}»" for n in sorted(names)) or "nessuno"
        raise NotFound(f"Il profilo di importazione «{name}» non esiste (profili salvati: {known}).")
    return profile


def mark_profile_used(session: Session, creditor_id: int, name: str, at: datetime) -> None:
    """Note that profile ``name`` was used at ``at``, so it is proposed next; a profile deleted meanwhile is skipped."""
    profile = _named(session, creditor_id, name)
    if profile is not None:
        profile.last_used_at = at


def profile_info(session: Session, creditor_id: int, name: str) -> ProfileInfo:
    """The saved profile called ``name`` as plain data."""
    return _info(find_profile(session, creditor_id, name))


def save_profile(
    db: Database,
    creditor_id: int,
    name: str,
    mapping: dict[Field, str],
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    full_export: bool = False,
) -> ProfileInfo:
    """Create the profile ``name``, or replace what it says if it exists; returns it as saved."""
    name = name.strip()
    if not name:
        raise InvalidInput("Dare un nome al profilo, ad esempio il nome del gestionale.")
    if len(name) > 100:
        raise InvalidInput("Il nome del profilo è troppo lungo: al massimo 100 caratteri.")
    with UnitOfWork(db) as uow:
        profile = _named(uow.session, creditor_id, name)
        if profile is None:
            profile = ImportProfile(creditor_id=creditor_id, name=name)
            uow.session.add(profile)
        profile.mapping = json.dumps({field.value: header for field, header in mapping.items()}, ensure_ascii=False)
        profile.sheet, profile.header_row, profile.full_export = sheet, header_row, full_export
        uow.session.flush()
        info = _info(profile)
        uow.commit()
    return info


def delete_profile(db: Database, creditor_id: int, name: str) -> None:
    """Delete the profile ``name``; NotFound if there is none."""
    with UnitOfWork(db) as uow:
        uow.session.delete(find_profile(uow.session, creditor_id, name))
        uow.commit()


def _named(session: Session, creditor_id: int, name: str) -> ImportProfile | None:
    return session.scalar(
        select(ImportProfile).where(ImportProfile.creditor_id == creditor_id, ImportProfile.name == name)
    )


def _info(profile: ImportProfile) -> ProfileInfo:
    stored = json.loads(profile.mapping or "{}")
    mapping = {Field(key): str(header) for key, header in stored.items() if key in Field.__members__.values()}
    return ProfileInfo(
        name=profile.name,
        mapping=mapping,
        sheet=profile.sheet,
        header_row=profile.header_row,
        full_export=profile.full_export,
        last_used_at=profile.last_used_at,
    )
