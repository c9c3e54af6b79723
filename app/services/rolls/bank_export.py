"""Sending a roll to the bank: the CBI MAV disposition flow, checked, written whole, archived and recorded."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased

from app.models import (
    BankFile,
    BankFileFormat,
    Creditor,
    DocumentKind,
    NoticeKind,
    NoticeStatus,
    PaymentNotice,
    Roll,
    RollStatus,
    Subject,
)
from app.models.types import utc_now
from app.services.archive.files import archived
from app.services.bank.cbi_mav import DebtorCodeType, MavCreditor, MavDisposition, MavFlowHeader, write_mav_flow
from app.services.database import Database
from app.services.errors import CreditDeskError, InvalidInput
from app.services.rolls.states import STATUS_NAMES, lock_roll, move_roll, user_id_of
from app.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class RollExport:
    """The flow written for a roll: where, how many notices, for how much, and its record."""

    path: Path
    notices: int
    amount: Decimal
    sha256: str
    bank_file_id: int


def export_roll(
    db: Database, roll_id: int, out: Path, *, user_login: str | None, archive_folder: Path, now: datetime | None = None
) -> RollExport:
    """Write the roll's MAV disposition flow to ``out`` and mark the roll sent to the bank.

    The flow is read back and checked before anything is kept; the file appears whole or not at all, a copy
    is archived under the roll's folder, and the export is recorded. Raises InvalidInput naming the notice and
    field when the creditor's bank data or a debtor's data cannot make a valid flow.
    """
    now = now or utc_now()
    with UnitOfWork(db) as uow:
        session = uow.session
        roll = lock_roll(session, roll_id)
        creditor = roll.creditor
        _check_creditor(creditor)
        if roll.status is not RollStatus.DRAFT:
            raise InvalidInput(
                f"Il ruolo «{roll.name}» è {STATUS_NAMES[roll.status]}: si invia in banca solo un ruolo in bozza "
                "(per inviarlo di nuovo, riportarlo prima in bozza)."
            )
        header = MavFlowHeader(sender_sia=creditor.sia_code or "", receiver_abi=creditor.abi or "", created_at=now)
        dispositions = _dispositions(session, roll, _bank_creditor(creditor))
        data = write_mav_flow(header, dispositions)
        sha256 = hashlib.sha256(data).hexdigest()
        _write_whole(out, data)
        try:
            record = _record(session, roll, out, data, sha256, now, user_login, dispositions)
            with archived(session, archive_folder, creditor.id, out, _roll_folder(roll), DocumentKind.BANK_FILE,
                          now, sha256) as copy:  # fmt: skip
                record.document_id = copy.document_id
                uow.commit()
        except BaseException:
            out.unlink(missing_ok=True)
            raise
    return RollExport(out, len(dispositions), sum((d.amount for d in dispositions), Decimal(0)), sha256, record.id)


def _check_creditor(creditor: Creditor) -> None:
    if creditor.notice_kind is not NoticeKind.MAV:
        raise InvalidInput(
            f"L'ente «{creditor.name}» emette avvisi {creditor.notice_kind.value}, non MAV: non c'è un flusso da "
            "inviare alla banca."
        )
    missing = [label for label, value in (("codice SIA", creditor.sia_code), ("IBAN o ABI/CAB/conto", creditor.abi))
               if not value]  # fmt: skip
    if missing:
        raise InvalidInput(
            f"Per il flusso MAV mancano i dati bancari dell'ente «{creditor.name}»: {', '.join(missing)}. "
            "Indicarli nelle impostazioni dell'ente (creditdesk creditor set)."
        )


def _bank_creditor(creditor: Creditor) -> MavCreditor:
    lines = [creditor.name, creditor.street or "", " ".join(p for p in (creditor.postal_code, creditor.city) if p)]
    description = tuple(line[:24] for line in lines if line)
    if creditor.iban:
        return MavCreditor.from_iban(creditor.sia_code or "", creditor.iban, description)
    return MavCreditor(creditor.sia_code or "", creditor.abi or "", creditor.cab or "", creditor.account or "",
                       description)  # fmt: skip


def _dispositions(session: Session, roll: Roll, creditor: MavCreditor) -> list[MavDisposition]:
    # Plain columns, not ORM objects: 30,000 notices with two subjects each would cost seconds to load.
    holder, payer = aliased(Subject), aliased(Subject)
    live = (PaymentNotice.roll_id == roll.id, PaymentNotice.status != NoticeStatus.CANCELLED)
    rows = session.execute(
        select(PaymentNotice.id, PaymentNotice.due_date, PaymentNotice.amount, holder.id, holder.name,
               holder.tax_code, holder.vat_number, payer.id, payer.name, payer.street, payer.postal_code,
               payer.city, payer.province)
        .join(holder, holder.id == PaymentNotice.holder_id)
        .join(payer, payer.id == PaymentNotice.payer_id)
        .where(*live)
        .order_by(PaymentNotice.id)
    ).all()  # fmt: skip
    if not rows:
        raise InvalidInput(f"Il ruolo «{roll.name}» non ha avvisi da inviare.")
    _check_addresses(roll, rows)
    session.execute(update(PaymentNotice).where(*live).values(status=NoticeStatus.REQUESTED))
    reason = (f"Ruolo {roll.name} {roll.year}", roll.creditor.name)
    return [_disposition(progressive, row, creditor, reason) for progressive, row in enumerate(rows, 1)]


def _check_addresses(roll: Roll, rows: Sequence[Any]) -> None:
    # The bank prints and posts the slip: a notice without a postal address cannot go, and the clerk needs
    # every such debtor named at once, not one per attempt.
    missing = [row[4] + (f" (c/o {row[8]})" if row[7] != row[3] else "")
               for row in rows if not (row[9] and row[10] and row[11])]  # fmt: skip
    if missing:
        shown = "; ".join(missing[:10]) + (f" e altri {len(missing) - 10}" if len(missing) > 10 else "")
        raise InvalidInput(
            f"Il ruolo «{roll.name}» ha {len(missing)} avvisi senza indirizzo postale completo (via, CAP, comune) "
            f"del destinatario: {shown}. Completare l'anagrafica e riprovare."
        )


def _disposition(progressive: int, row: Any, creditor: MavCreditor, reason: tuple[str, str]) -> MavDisposition:
    (notice_id, due_date, amount, holder_id, holder_name, tax_code, vat_number, payer_id, payer_name, street,
     postal_code, city, province) = row  # fmt: skip
    code = tax_code or vat_number
    return MavDisposition(
        progressive=progressive, reference=str(notice_id), due_date=due_date, amount=amount, creditor=creditor,
        debtor_code_type=DebtorCodeType.TAX_CODE if code else DebtorCodeType.CUSTOMER_CODE,
        debtor_code=code or str(holder_id), debtor_name=holder_name, tax_code=code or "", address=street,
        postcode=postal_code, town=city, province=province or "", reason=reason,
        address_extra=f"c/o {payer_name}" if payer_id != holder_id else "",
    )  # fmt: skip


def _write_whole(out: Path, data: bytes) -> None:
    partial = out.with_name(out.name + ".partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CreditDeskError(f"Impossibile scrivere il flusso in {out}: {exc.strerror or exc}") from exc


def _record(
    session: Session, roll: Roll, out: Path, data: bytes, sha256: str, now: datetime, user_login: str | None,
    dispositions: list[MavDisposition],
) -> BankFile:  # fmt: skip
    user_id = user_id_of(session, user_login)
    move_roll(session, roll, RollStatus.SENT_TO_BANK, user_id, now, f"flusso {out.name}")
    record = BankFile(
        creditor_id=roll.creditor_id, direction="export", format=BankFileFormat.CBI_MAV, roll_id=roll.id,
        file_name=out.name, sha256=sha256, size=len(data), user_id=user_id, at=now, records=len(dispositions),
        amount=sum((d.amount for d in dispositions), Decimal(0)), matched=0, unmatched=0,
    )  # fmt: skip
    session.add(record)
    session.flush()
    return record


def _roll_folder(roll: Roll) -> tuple[str, ...]:
    return ("Ruoli", f"{roll.year}", f"{roll.name}-{roll.id}", "Banca")
