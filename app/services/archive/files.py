"""Copying a file into the archive and indexing it, so that a rolled-back transaction leaves no stray copy."""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import shutil
import unicodedata
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from app.models import Creditor, Document, DocumentKind
from app.models.types import ROME
from app.services.errors import CreditDeskError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ArchivedFile:
    """A file now in the archive: its index row and where it lies on disk."""

    document_id: int
    path: Path
    relative_path: str


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def safe_name(name: str) -> str:
    """``name`` reduced to letters, digits, dots and dashes: the same on every file system."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _UNSAFE.sub("_", ascii_name).strip("._") or "file"


def _reserve(root: Path, parts: list[str], name: str) -> tuple[str, Path]:
    """A name no other archived file has, created empty so that no one else takes it: name, name-2, name-3…"""
    folder = root.joinpath(*parts)
    folder.mkdir(parents=True, exist_ok=True)
    stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    for attempt in itertools.count(1):
        candidate = name if attempt == 1 else f"{stem}-{attempt}{dot}{suffix}"
        try:
            os.close(os.open(folder / candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            continue
        return "/".join([*parts, candidate]), folder / candidate
    raise AssertionError("unreachable")


@contextmanager
def staged_copy(source: Path, root: Path) -> Iterator[Path]:
    """A private copy of ``source`` under the archive folder, same name, removed on leaving.

    Reading, hashing and archiving that copy means the archive keeps exactly the bytes that were imported,
    even if the ERP overwrites its export meanwhile.
    """
    folder = root / ".in-corso" / uuid.uuid4().hex
    try:
        folder.mkdir(parents=True)
        copy = folder / source.name
        shutil.copyfile(source, copy)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise CreditDeskError(f"Impossibile preparare la copia d'archivio in {root}: {exc.strerror or exc}") from exc
    try:
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def archived(
    session: Session,
    root: Path,
    creditor_id: int,
    source: Path,
    folder: Sequence[str],
    kind: DocumentKind,
    at: datetime,
    sha256: str | None = None,
) -> Iterator[ArchivedFile]:
    """Copy ``source`` into the creditor's ``folder`` of the archive and index it in ``session``.

    The copy is removed again if the ``with`` block raises, so an import that is rolled back leaves the archive
    as it was. The file name starts with the time (Rome) so that the same file archived twice is kept twice.
    """
    creditor = session.get_one(Creditor, creditor_id)
    parts = [f"{safe_name(creditor.name)}-{creditor_id}", *(safe_name(part) for part in folder)]
    stamp = at.astimezone(ROME).strftime("%Y%m%d-%H%M%S")
    try:
        relative, target = _reserve(root, parts, f"{stamp}_{safe_name(source.name)}")
        partial = target.with_name(target.name + ".partial")
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    except OSError as exc:
        raise CreditDeskError(f"Impossibile archiviare il file in {root}: {exc.strerror or exc}") from exc
    try:
        document = Document(
            creditor_id=creditor_id,
            kind=kind,
            relative_path=relative,
            sha256=sha256 or sha256_of(target),
            size=target.stat().st_size,
            created_at=at,
        )
        session.add(document)
        session.flush()
        yield ArchivedFile(document.id, target, relative)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
