"""Copying a file into the archive and indexing it, so that a rolled-back transaction leaves no stray copy."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import unicodedata
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
    relative = "/".join([*parts, f"{stamp}_{safe_name(source.name)}"])
    target = root.joinpath(*relative.split("/"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    except OSError as exc:
        raise CreditDeskError(f"Impossibile archiviare il file in {target.parent}: {exc.strerror or exc}") from exc
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
