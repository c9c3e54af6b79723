"""Reading back the MAV codes the bank assigned to a roll's notices: all of them apply, or none."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import BankFile, BankFileFormat, DocumentKind, NoticeStatus, PaymentNotice, Roll, RollStatus
from app.models.types import utc_now
from app.services.archive.files import archived
from app.services.bank.cbi_mav_parse import parse_mav_flow
from app.services.database import Database
from app.services.errors import UnreadableFile
from app.services.imports.tables import TableNotFound, read_table
from app.services.imports.types import ImportOutcome
from app.services.imports.values import text as cell_text
from app.services.rolls.states import lock_roll, move_roll, user_id_of
from app.services.unit_of_work import UnitOfWork

_COLUMNS = {
    "reference": ("Numero disposizione", "N. disposizione", "Disposizione", "Riferimento", "Rif. creditore",
                  "Numero avviso", "N. avviso", "Avviso", "Id avviso"),
    "code": ("Codice MAV", "Cod. MAV", "MAV", "Codice avviso", "Codice", "Codice bollettino"),
}  # fmt: skip
_MAX_CODE = 35


@dataclass(frozen=True)
class _Code:
    where: str
    reference: str
    code: str


@dataclass
class CodesImported:
    """What a codes file did to the roll: applied, refused (each reason listed) or already applied."""

    outcome: ImportOutcome
    file_name: str
    applied: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    imported_at: datetime | None = None


def import_notice_codes(
    db: Database, roll_id: int, path: Path, *, user_login: str | None, archive_folder: Path,
    now: datetime | None = None,
) -> CodesImported:  # fmt: skip
    """Give the roll's notices the codes the bank's return flow (CBI) or table (CSV, Excel) assigns them.

    Every line must name a notice of this roll with a code no other notice has; any mismatch refuses the whole
    file, each listed. Notices the file leaves without a code are warnings. Once every notice has its code the
    roll moves to "notices issued". The same file twice changes nothing. Raises UnreadableFile for a file
    that is neither a CBI flow nor a table.
    """
    now = now or utc_now()
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    codes, file_format = _read(path, data)
    with UnitOfWork(db) as uow:
        session = uow.session
        roll = lock_roll(session, roll_id)
        previous = session.scalar(
            select(BankFile).where(BankFile.creditor_id == roll.creditor_id, BankFile.direction == "import",
                                   BankFile.sha256 == sha256)
        )  # fmt: skip
        if previous is not None:
            return CodesImported(ImportOutcome.ALREADY_IMPORTED, path.name, imported_at=previous.at)
        result = CodesImported(ImportOutcome.REFUSED, path.name)
        notices = _check(session, roll, codes, result)
        if result.errors:
            return result
        user_id = user_id_of(session, user_login)
        _apply(session, roll, notices, codes, result, user_id, now)
        record = BankFile(
            creditor_id=roll.creditor_id, direction="import", format=file_format, roll_id=roll.id, file_name=path.name,
            sha256=sha256, size=len(data), user_id=user_id, at=now, records=len(codes),
            matched=result.applied, unmatched=0,
        )  # fmt: skip
        session.add(record)
        session.flush()
        folder = ("Ruoli", f"{roll.year}", f"{roll.name}-{roll.id}", "Banca")
        with archived(session, archive_folder, roll.creditor_id, path, folder, DocumentKind.BANK_FILE, now,
                      sha256) as copy:  # fmt: skip
            record.document_id = copy.document_id
            uow.commit()
    result.outcome = ImportOutcome.APPLIED
    return result


def _read(path: Path, data: bytes) -> tuple[list[_Code], BankFileFormat]:
    if data[:3] in (b" IM", b" IB") or data[1:3] == b"IM":
        flow = parse_mav_flow(data, path.name)
        codes = [_Code(f"riga {d.line_number}", d.reference, d.mav_code) for d in flow.dispositions if d.mav_code]
        return codes, BankFileFormat.CBI_MAV_RETURN
    try:
        table = read_table(path, _COLUMNS, required=("reference", "code"))
    except TableNotFound as error:
        raise UnreadableFile(f"{error}: non è un flusso CBI né una tabella di codici MAV.") from error
    codes = []
    for row in table.rows:
        reference, code = cell_text(row.cells["reference"]), cell_text(row.cells["code"])
        if reference is None and code is None:
            continue
        where = f"{table.file_name}, riga {row.number}"
        codes.append(_Code(where, reference or "", code or ""))
    return codes, BankFileFormat.CODES_TABLE


def _check(session: Session, roll: Roll, codes: list[_Code], result: CodesImported) -> dict[int, PaymentNotice]:
    notices = {n.id: n for n in session.scalars(select(PaymentNotice).where(PaymentNotice.roll_id == roll.id))}
    if roll.status not in (RollStatus.SENT_TO_BANK, RollStatus.NOTICES_ISSUED):
        result.errors.append(f"il ruolo «{roll.name}» non è stato inviato in banca: non aspetta codici MAV")
    seen: dict[str, str] = {}
    taken = _codes_in_use(session, roll, {c.code for c in codes})
    for line in codes:
        notice_id = int(line.reference) if line.reference.isdigit() else None
        if notice_id not in notices:
            result.errors.append(f"{line.where}: la disposizione «{line.reference}» non è un avviso di questo ruolo")
        elif not line.code or len(line.code) > _MAX_CODE:
            result.errors.append(f"{line.where}: codice MAV «{line.code}» mancante o più lungo di {_MAX_CODE}")
        elif line.code in seen and seen[line.code] != line.reference:
            result.errors.append(f"{line.where}: il codice {line.code} è già dato alla disposizione {seen[line.code]}")
        elif taken.get(line.code, notice_id) != notice_id:
            result.errors.append(f"{line.where}: il codice {line.code} è già di un altro avviso dell'ente")
        seen.setdefault(line.code, line.reference)
    return notices


def _codes_in_use(session: Session, roll: Roll, codes: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), 900):
        query = select(PaymentNotice.code, PaymentNotice.id).where(
            PaymentNotice.creditor_id == roll.creditor_id, PaymentNotice.code.in_(ordered[start : start + 900])
        )
        found.update({code: notice_id for code, notice_id in session.execute(query) if code})
    return found


def _apply(
    session: Session, roll: Roll, notices: dict[int, PaymentNotice], codes: list[_Code], result: CodesImported,
    user_id: int | None, now: datetime,
) -> None:  # fmt: skip
    for line in codes:
        notice = notices[int(line.reference)]
        if notice.code != line.code:
            notice.code, notice.status = line.code, NoticeStatus.ISSUED
            result.applied += 1
    without = sum(1 for n in notices.values() if not n.code and n.status is not NoticeStatus.CANCELLED)
    if without:
        result.warnings.append(f"{without} avvisi del ruolo sono ancora senza codice MAV")
    elif roll.status is RollStatus.SENT_TO_BANK:
        move_roll(session, roll, RollStatus.NOTICES_ISSUED, user_id, now, f"codici MAV: {result.applied}")
