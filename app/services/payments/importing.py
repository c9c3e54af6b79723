"""Importing a payments file (CBI MAV return, camt.053/054, the accounting office's list): once, whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.models import BankFile, BankFileFormat, DocumentKind, MatchRule, User
from app.models.types import ROME, rome_today, utc_now
from app.services.archive.files import archived, sha256_of
from app.services.bulk import Progress, ProgressCallback
from app.services.database import Database
from app.services.imports.types import ImportOutcome
from app.services.payments.booking import Booked, Booker
from app.services.payments.readers import read_movements
from app.services.rolls.states import user_id_of
from app.services.unit_of_work import UnitOfWork


@dataclass
class PaymentsImported:
    """What a payments file did: booked (with counts), or already booked before (when and by whom)."""

    outcome: ImportOutcome
    file_name: str
    format: BankFileFormat | None = None
    booked: Booked = field(default_factory=Booked)
    bank_file_id: int | None = None
    previous_at: datetime | None = None
    previous_user: str | None = None

    def summary_lines(self) -> list[str]:
        """The counts in the clerk's words, one per line."""
        b = self.booked
        lines = [
            f"Movimenti letti: {b.movements}", f"Abbinati: {b.matched}", f"Abbinati in parte: {b.partially_matched}",
            f"Da abbinare: {b.unmatched}", f"Già registrati: {b.already_booked}", f"Storni: {b.reversed}",
            f"Esiti MAV (non pagati, richiamati, stornati): {b.outcomes}",
            f"Importo incassato: {b.amount} €, di cui assegnato ai crediti: {b.allocated} €",
        ]  # fmt: skip
        lines += [f"  per {_RULES[rule]}: {count}" for rule, count in sorted(b.by_rule.items())]
        return lines


_RULES = {
    MatchRule.NOTICE_CODE: "codice avviso", MatchRule.REFERENCE: "riferimento RF / numero avviso",
    MatchRule.INVOICE_NUMBER: "numero fattura", MatchRule.AMOUNT_PAYER: "importo e pagatore",
    MatchRule.MANUAL: "abbinamento manuale",
}  # fmt: skip


def import_payments(
    db: Database, creditor_id: int, path: Path, *, user_login: str | None, archive_folder: Path,
    today: date | None = None, progress: ProgressCallback | None = None,
) -> PaymentsImported:  # fmt: skip
    """Book every movement of the file at ``path`` for the creditor, in one transaction, or nothing.

    The format is found from the bytes. Movements are matched by notice code, RF or notice number, invoice
    number, then amount and payer; what no rule finds waits in the unmatched queue. A file applied before (same
    SHA-256) changes nothing, and so does a movement already booked from another file (same bank reference).
    Raises UnreadableFile or InvalidInput, naming file, line or row and field, for a file refused whole.
    """
    today = today or rome_today()
    sha256 = sha256_of(path)  # in blocks: a year's statement is tens of megabytes
    previous = _previous(db, creditor_id, sha256)
    if previous is not None:
        return previous
    file_format, movements, warnings = read_movements(path)
    now = utc_now()
    with UnitOfWork(db) as uow:
        session = uow.session
        record = BankFile(
            creditor_id=creditor_id, direction="import", format=file_format, file_name=path.name, sha256=sha256,
            size=path.stat().st_size, user_id=user_id_of(session, user_login), at=now, records=len(movements),
            amount=sum((m.amount for m in movements if not m.reversal), Decimal(0)), matched=0, unmatched=0,
        )  # fmt: skip
        session.add(record)
        session.flush()
        tracker = Progress(progress)
        tracker.plan(2 * len(movements))
        booker = Booker(session, creditor_id, record.id, today, now, reversals=any(m.reversal for m in movements))
        for index, movement in enumerate(movements, 1):
            booker.book(movement)
            if index % 1000 == 0:
                tracker.advance(1000)
        booked = booker.finish(tracker)
        booked.warnings[:0] = warnings
        record.matched, record.unmatched = booked.matched + booked.partially_matched, booked.unmatched
        record.summary = "\n".join(booked.warnings) or None
        folder = ("Incassi", f"{now.astimezone(ROME):%Y}")
        with archived(session, archive_folder, creditor_id, path, folder, DocumentKind.BANK_FILE, now, sha256) as copy:
            record.document_id = copy.document_id
            uow.commit()
    return PaymentsImported(ImportOutcome.APPLIED, path.name, file_format, booked, record.id)


def _previous(db: Database, creditor_id: int, sha256: str) -> PaymentsImported | None:
    with db.read_session() as session:
        found = session.execute(
            select(BankFile.file_name, BankFile.at, BankFile.format, User.display_name)
            .outerjoin(User, User.id == BankFile.user_id)
            .where(BankFile.creditor_id == creditor_id, BankFile.direction == "import", BankFile.sha256 == sha256)
        ).first()
    if found is None:
        return None
    return PaymentsImported(ImportOutcome.ALREADY_IMPORTED, found[0], found[2], previous_at=found[1],
                            previous_user=found[3] or "utente sconosciuto")  # fmt: skip
