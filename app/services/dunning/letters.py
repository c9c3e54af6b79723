"""Letters and registered letters (raccomandata A/R): the queued ones printed in one batch for the post room,
each also archived with its communication; then the registered letter's number, and its return receipt
(date, outcome and scan), recorded and archived."""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import Channel, Communication, CommunicationStatus, Creditor, Document, DocumentKind, Subject
from app.models.types import ROME, utc_now
from app.services.archive.files import archived
from app.services.database import Database
from app.services.dunning.events import add_event
from app.services.dunning.rendering import MessageItem, render
from app.services.errors import InvalidInput, NotFound
from app.services.notices.document import CreditorBlock, Recipient
from app.services.notices.issuing import creditor_block
from app.services.notices.pdf_layout import BOLD, LEFT, REGULAR, RIGHT, TextBlock, x_of, y_of
from app.services.notices.pdf_notice import draw_letterhead, put_address
from app.services.notices.pdf_text import format_date, format_money, truncate, wrap
from app.services.rolls.states import user_id_of
from app.services.unit_of_work import UnitOfWork

LETTER_CHANNELS = (Channel.POST, Channel.REGISTERED_LETTER)
SCAN_TYPES = {".pdf": b"%PDF-", ".png": b"\x89PNG", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff",
              ".tif": b"II*\x00", ".tiff": b"II*\x00"}  # fmt: skip
MAX_SCAN_BYTES = 20 * 1024 * 1024
ProgressCallback = Callable[[int, int], None]

_BODY_SIZE, _BODY_LINE = 10.0, 5.0
_BODY_TOP, _PAGE_BOTTOM = 112.0, 270.0
_DOMESTIC = re.compile(r"\d{12}")  # Poste Italiane's raccomandata number
_S10 = re.compile(r"[A-Z]{2}(\d{8})(\d)[A-Z]{2}")  # the UPU S10 form, with its check digit
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


class ReturnOutcome:
    """What the return receipt says: delivered, unclaimed after the legal wait (which counts as delivered), or
    sent back (moved, unknown): then the letter failed."""

    DELIVERED = "delivered"
    UNCLAIMED = "unclaimed"
    RETURNED = "returned"
    ALL = (DELIVERED, UNCLAIMED, RETURNED)


@dataclass(frozen=True)
class Letter:
    """One letter as printed."""

    communication_id: int
    registered: bool
    creditor: CreditorBlock
    recipient: Recipient
    day: date
    text: str
    items: tuple[MessageItem, ...]


@dataclass(frozen=True)
class LetterBatch:
    """What a print run produced: the batch file for the printer and how many letters it holds."""

    path: Path
    letters: int
    registered: int


def letters_waiting(db: Database, creditor_id: int) -> list[int]:
    """The ids of the letters and registered letters queued for printing, oldest first."""
    with db.read_session() as session:
        query = (
            select(Communication.id)
            .where(Communication.creditor_id == creditor_id, Communication.channel.in_(LETTER_CHANNELS),
                   Communication.status == CommunicationStatus.QUEUED)
            .order_by(Communication.scheduled_for, Communication.id)
        )  # fmt: skip
        return list(session.scalars(query))


def print_letters(
    db: Database, archive: Path, creditor_id: int, out: Path, *, ids: Sequence[int] | None = None,
    user_login: str | None = None, progress: ProgressCallback | None = None, day: date | None = None,
) -> LetterBatch:  # fmt: skip
    """Print the queued letters (all of the creditor's, or ``ids``) into one PDF at ``out``, archive each letter
    with its communication and record it as sent ("printed").

    Whole or nothing: an error, a letter printed meanwhile by another workstation, or a cancel (``progress`` may
    raise) leaves the database, the archive and ``out`` as they were.
    """
    chosen = list(ids) if ids is not None else letters_waiting(db, creditor_id)
    if not chosen:
        raise InvalidInput("Nessuna lettera da stampare.")
    now = utc_now()
    day = day or now.astimezone(ROME).date()
    partial = out.with_name(out.name + ".partial")
    with (
        UnitOfWork(db) as uow,
        tempfile.TemporaryDirectory(prefix="creditdesk-lettere-") as scratch,
        ExitStack() as files,
    ):
        session = uow.session
        user_id = user_id_of(session, user_login)
        letters = [_letter(session, communication_id, creditor_id, day) for communication_id in chosen]
        batch = Canvas(str(partial), pagesize=A4)
        batch.setTitle(f"Lettere del {format_date(day)}")
        for index, letter in enumerate(letters, 1):
            draw_letter(batch, letter)
            source = Path(scratch) / f"lettera-{letter.communication_id}.pdf"
            single = Canvas(str(source), pagesize=A4)
            draw_letter(single, letter)
            single.save()
            folder = ("Comunicazioni", f"{day.year}", "Lettere")
            copy = files.enter_context(archived(session, archive, creditor_id, source, folder, DocumentKind.LETTER,
                                                now))  # fmt: skip
            _link(session, copy.document_id, letter.communication_id)
            _mark_printed(session, letter.communication_id, copy.relative_path, user_id, now)
            if progress is not None:
                progress(index, len(letters))
        try:
            batch.save()
            uow.commit()
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, out)
    return LetterBatch(out, len(letters), sum(letter.registered for letter in letters))


def draw_letter(canvas: Canvas, letter: Letter) -> None:
    """One letter on as many A4 pages as it needs: letterhead, the address in the envelope window, place and
    date, the text, the items it is about with their total, and the signature."""
    pages = _paginate(_rows(letter))
    for number, page in enumerate(pages, 1):
        if number == 1:
            draw_letterhead(canvas, letter.creditor)
        else:
            canvas.saveState()
            canvas.setStrokeGray(0.6)
            canvas.line(x_of(LEFT), y_of(23), x_of(RIGHT), y_of(23))
            canvas.restoreState()
        with TextBlock(canvas) as text:
            if number == 1:
                _put_heading(text, letter)
            else:
                heading = f"{letter.creditor.name} – {letter.recipient.name} – pagina {number} di {len(pages)}"
                text.put(LEFT, 20, truncate(heading, REGULAR, 8, _WIDTH), REGULAR, 8, gray=0.4)
            for baseline, cells in page:
                for left, content, font, size, right_aligned in cells:
                    if right_aligned:
                        text.put_right(left, baseline, content, font, size)
                    else:
                        text.put(left, baseline, content, font, size)
        canvas.showPage()


_Cell = tuple[float, str, str, float, bool]  # left (or right) edge in mm, text, font, size, right-aligned
_WIDTH = x_of(RIGHT) - x_of(LEFT)


def _put_heading(text: TextBlock, letter: Letter) -> None:
    put_address(text, letter.recipient)
    town = letter.creditor.address_lines[-1] if letter.creditor.address_lines else ""
    town = re.sub(r"^\d{5}\s+", "", town).split(" (")[0]
    text.put(LEFT, 60, f"{town}, {format_date(letter.day)}" if town else format_date(letter.day), REGULAR, 10)
    if letter.registered:
        text.put(LEFT, 66, "RACCOMANDATA A/R", BOLD, 11)
    text.put(LEFT, 72 if letter.registered else 66, f"Rif. comunicazione n. {letter.communication_id}", REGULAR, 8,
             gray=0.4)  # fmt: skip
    text.put(LEFT, 104, "Oggetto: sollecito di pagamento", BOLD, _BODY_SIZE)


def _rows(letter: Letter) -> list[tuple[float, list[_Cell]]]:
    """Each printed line as (space above it in mm, its cells)."""
    rows: list[tuple[float, list[_Cell]]] = []
    for paragraph in letter.text.split("\n"):
        for line in wrap(paragraph, REGULAR, _BODY_SIZE, _WIDTH) or [""]:
            rows.append((_BODY_LINE, [(LEFT, line, REGULAR, _BODY_SIZE, False)]))
    if letter.items:
        holder_width = (98 - LEFT) * _WIDTH / (RIGHT - LEFT)
        heading: list[_Cell] = [(LEFT, "Intestatario", BOLD, 9, False), (100, "Codice", BOLD, 9, False),
                                (150, "Scadenza", BOLD, 9, False), (RIGHT, "Importo", BOLD, 9, True)]  # fmt: skip
        rows.append((_BODY_LINE + 3, heading))
        for item in letter.items:
            holder = truncate(item.holder, REGULAR, 9, holder_width)
            rows.append((4.5, [(LEFT, holder, REGULAR, 9, False), (100, item.code, REGULAR, 9, False),
                               (150, format_date(item.due_date), REGULAR, 9, False),
                               (RIGHT, format_money(item.amount), REGULAR, 9, True)]))  # fmt: skip
        total = sum((item.amount for item in letter.items), Decimal("0.00"))
        rows.append((5.5, [(150, "Totale", BOLD, 9, False), (RIGHT, format_money(total), BOLD, 9, True)]))
    signature = truncate(letter.creditor.name, BOLD, _BODY_SIZE, (RIGHT - 120) * _WIDTH / (RIGHT - LEFT))
    rows.append((_BODY_LINE + 8, [(120, "Distinti saluti", REGULAR, _BODY_SIZE, False)]))
    rows.append((_BODY_LINE, [(120, signature, BOLD, _BODY_SIZE, False)]))
    return rows


def _paginate(rows: list[tuple[float, list[_Cell]]]) -> list[list[tuple[float, list[_Cell]]]]:
    pages: list[list[tuple[float, list[_Cell]]]] = [[]]
    baseline = _BODY_TOP - _BODY_LINE
    for space, cells in rows:
        baseline += space
        if baseline > _PAGE_BOTTOM:
            pages.append([])
            baseline = 30.0
        pages[-1].append((baseline, cells))
    return pages


def record_registered_number(db: Database, communication_id: int, number: str, *, user_login: str | None) -> str:
    """Record the number on a printed registered letter's receipt of posting; returns it as stored.

    Accepts Poste Italiane's 12 digits or the international form (two letters, nine digits with a valid check
    digit, two letters), spaces ignored.
    """
    cleaned = "".join(number.split()).upper()
    if not _valid_registered_number(cleaned):
        raise InvalidInput(f"«{number}» non è un numero di raccomandata: servono 12 cifre (es. 200012345678) o "
                           "il formato internazionale (es. RR123456785IT).")  # fmt: skip
    with UnitOfWork(db) as uow:
        session = uow.session
        communication = _registered_letter(session, communication_id)
        if communication.status not in (CommunicationStatus.SENT, CommunicationStatus.DELIVERED):
            raise InvalidInput(f"La raccomandata {communication_id} non è ancora stata stampata e spedita.")
        communication.registered_number, communication.updated_at = cleaned, utc_now()
        add_event(session, communication_id, "registered", detail=f"Raccomandata n. {cleaned}",
                  user_id=user_id_of(session, user_login))  # fmt: skip
        uow.commit()
    return cleaned


def record_return_receipt(
    db: Database, archive: Path, communication_id: int, *, receipt_date: date, scan: Path,
    outcome: str = ReturnOutcome.DELIVERED, user_login: str | None = None,
) -> int:  # fmt: skip
    """Record a registered letter's return receipt: the date on it, the outcome, and its scan archived with the
    communication. Delivered or unclaimed (compiuta giacenza) letters count as delivered; returned ones fail.
    Returns the archived scan's document id."""
    if outcome not in ReturnOutcome.ALL:
        raise InvalidInput(f"Esito della ricevuta sconosciuto: {outcome}.")
    _check_scan(scan)
    now = utc_now()
    if receipt_date > now.astimezone(ROME).date():
        raise InvalidInput(f"La data della ricevuta di ritorno ({format_date(receipt_date)}) è nel futuro.")
    with UnitOfWork(db) as uow:
        session = uow.session
        communication = _registered_letter(session, communication_id)
        if not communication.registered_number:
            raise InvalidInput(f"Prima registrare il numero della raccomandata {communication_id}.")
        folder = ("Comunicazioni", f"{receipt_date.year}", "Ricevute di ritorno")
        with archived(session, archive, communication.creditor_id, scan, folder, DocumentKind.RETURN_RECEIPT,
                      now) as copy:  # fmt: skip
            _link(session, copy.document_id, communication_id)
            failed = outcome == ReturnOutcome.RETURNED
            status = CommunicationStatus.FAILED if failed else CommunicationStatus.DELIVERED
            words = {ReturnOutcome.DELIVERED: "consegnata", ReturnOutcome.UNCLAIMED: "compiuta giacenza",
                     ReturnOutcome.RETURNED: "restituita al mittente"}[outcome]  # fmt: skip
            detail = f"Ricevuta di ritorno del {format_date(receipt_date)}: {words}"
            communication.status, communication.returned_on, communication.updated_at = status, receipt_date, now
            if failed:
                communication.error = detail
            else:
                communication.delivered_at = datetime.combine(receipt_date, time(12), tzinfo=ROME)
            add_event(session, communication_id, "returned", status=status, detail=detail,
                      user_id=user_id_of(session, user_login), at=now)  # fmt: skip
            uow.commit()
            return copy.document_id


def _letter(session: Session, communication_id: int, creditor_id: int, day: date) -> Letter:
    communication = session.get(Communication, communication_id)
    if communication is None or communication.creditor_id != creditor_id:
        raise NotFound(f"Comunicazione {communication_id} non trovata per questo ente.")
    if communication.channel not in LETTER_CHANNELS:
        raise InvalidInput(f"La comunicazione {communication_id} non è una lettera.")
    if communication.status is not CommunicationStatus.QUEUED:
        raise InvalidInput(f"La lettera {communication_id} non è in coda di stampa (forse stampata da un'altra "
                           "postazione): ricaricare l'elenco.")  # fmt: skip
    payer = session.get_one(Subject, communication.subject_id)
    if not (payer.street and payer.postal_code and payer.city):
        raise InvalidInput(f"{payer.name}: manca l'indirizzo postale completo (via, CAP, comune).")
    recipient = Recipient(name=payer.name, street=payer.street, postal_code=payer.postal_code, city=payer.city,
                          province=payer.province)  # fmt: skip
    rendered = render(session, communication, str(uuid.uuid4()))
    creditor = creditor_block(session.get_one(Creditor, creditor_id))
    return Letter(communication_id, communication.channel is Channel.REGISTERED_LETTER, creditor, recipient, day,
                  rendered.text, rendered.items)  # fmt: skip


def _mark_printed(session: Session, communication_id: int, relative: str, user_id: int | None, now: datetime) -> None:
    done = session.execute(
        update(Communication)
        .where(Communication.id == communication_id, Communication.status == CommunicationStatus.QUEUED)
        .values(status=CommunicationStatus.SENT, provider="print", provider_id=relative, sent_at=now, updated_at=now,
                error=None)
    )  # fmt: skip
    if not getattr(done, "rowcount", 0):
        raise InvalidInput(f"La lettera {communication_id} è stata stampata da un'altra postazione nel frattempo.")
    add_event(session, communication_id, "printed", status=CommunicationStatus.SENT, detail=relative,
              user_id=user_id, at=now)  # fmt: skip


def _link(session: Session, document_id: int, communication_id: int) -> None:
    document = session.get_one(Document, document_id)
    communication = session.get_one(Communication, communication_id)
    document.communication_id, document.subject_id = communication_id, communication.subject_id
    document.credit_id, document.notice_id = communication.credit_id, communication.notice_id
    document.mime_type = document.mime_type or "application/pdf"


def _registered_letter(session: Session, communication_id: int) -> Communication:
    communication = session.get(Communication, communication_id)
    if communication is None:
        raise NotFound(f"Comunicazione {communication_id} non trovata.")
    if communication.channel is not Channel.REGISTERED_LETTER:
        raise InvalidInput(f"La comunicazione {communication_id} non è una raccomandata A/R.")
    return communication


def _valid_registered_number(number: str) -> bool:
    if _DOMESTIC.fullmatch(number):
        return True
    match = _S10.fullmatch(number)
    if match is None:
        return False
    check = 11 - sum(int(d) * w for d, w in zip(match.group(1), _S10_WEIGHTS, strict=True)) % 11
    return int(match.group(2)) == {10: 0, 11: 5}.get(check, check)


def _check_scan(scan: Path) -> None:
    magic = SCAN_TYPES.get(scan.suffix.lower())
    if magic is None:
        raise InvalidInput(f"{scan.name}: la scansione deve essere un PDF, PNG, JPEG o TIFF.")
    try:
        size = scan.stat().st_size
        with scan.open("rb") as stream:
            head = stream.read(8)
    except OSError as error:
        raise InvalidInput(f"{scan}: file non leggibile ({error.strerror or error}).") from error
    if size > MAX_SCAN_BYTES:
        raise InvalidInput(f"{scan.name}: la scansione supera i 20 MB.")
    if not (head.startswith(magic) or (magic == b"II*\x00" and head.startswith(b"MM\x00*"))):
        raise InvalidInput(f"{scan.name}: il contenuto non è un {scan.suffix.lstrip('.').upper()} valido.")
