"""The creditors (enti creditori): list, add, complete, and pick the one a command acts on."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AuditEvent, Creditor, NoticeKind, User
from app.services import identity
from app.services.database import Database, read_session
from app.services.errors import InvalidInput, NotFound
from app.services.unit_of_work import UnitOfWork

# The name app.bootstrap gives the creditor of a new database, waiting to be completed.
UNFILLED_CREDITOR_NAME = "Nuovo ente creditore"

_SIA_RE = re.compile(r"^[A-Z0-9]{5}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


@dataclass(frozen=True)
class CreditorInfo:
    """A creditor as the window and the command line show it."""

    id: int
    name: str
    tax_code: str | None
    vat_number: str | None
    iban: str | None
    abi: str | None
    cab: str | None
    account: str | None
    sia_code: str | None
    pec: str | None
    notice_kind: NoticeKind

    @property
    def needs_completion(self) -> bool:
        """Whether the creditor still lacks what a roll needs (its own name, IBAN, tax code)."""
        return self.name == UNFILLED_CREDITOR_NAME or not self.iban or not self.tax_code


@dataclass(frozen=True)
class BankAccount:
    """An Italian IBAN and the ABI, CAB and account number it contains."""

    iban: str
    abi: str
    cab: str
    account: str


def parse_italian_iban(value: str) -> BankAccount:
    """Validate an Italian IBAN (check digits, BBAN layout, CIN) and split out ABI, CAB and account."""
    try:
        coordinates = identity.bank_coordinates(value)
    except InvalidInput as exc:
        raise InvalidInput(f"IBAN non valido «{value}»: {exc}") from exc
    return BankAccount(iban=identity.compact(value), **coordinates._asdict())


def validate_tax_code(value: str) -> str:
    """A valid codice fiscale in compact form: 16 characters for a person, 11 digits for an entity."""
    check = identity.check_tax_code(value)
    if check.problem:
        raise InvalidInput(f"Codice fiscale non valido «{value}»: {check.problem}.")
    return check.value


def _validate_sia(value: str) -> str:
    code = value.strip().upper()
    if not _SIA_RE.match(code):
        raise InvalidInput(f"Codice SIA non valido «{value}»: deve avere 5 caratteri fra lettere e cifre.")
    return code


def _validate_pec(value: str) -> str:
    address = value.strip()
    if not _EMAIL_RE.match(address):
        raise InvalidInput(f"Indirizzo PEC non valido «{value}»: deve essere nella forma nome@dominio.it.")
    return address


def _validate_notice_kind(value: str | NoticeKind) -> NoticeKind:
    try:
        return NoticeKind(str(value).strip().lower())
    except ValueError as exc:
        choices = ", ".join(kind.value for kind in NoticeKind)
        raise InvalidInput(f"Tipo di avviso non valido «{value}»: scegliere fra {choices}.") from exc


def _validate_name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise InvalidInput("Il nome dell'ente creditore non può essere vuoto.")
    if len(name) > 200:
        raise InvalidInput(f"Nome dell'ente creditore troppo lungo ({len(name)} caratteri, massimo 200).")
    return name


def _info(creditor: Creditor) -> CreditorInfo:
    return CreditorInfo(
        id=creditor.id,
        name=creditor.name,
        tax_code=creditor.tax_code,
        vat_number=creditor.vat_number,
        iban=creditor.iban,
        abi=creditor.abi,
        cab=creditor.cab,
        account=creditor.account,
        sia_code=creditor.sia_code,
        pec=creditor.pec,
        notice_kind=NoticeKind(creditor.notice_kind),
    )


def list_creditors(db: Database) -> list[CreditorInfo]:
    """Every creditor in the database, by name."""
    with read_session(db) as session:
        return [_info(c) for c in session.scalars(select(Creditor).order_by(Creditor.name))]


def resolve_creditor(session: Session, name: str | None) -> Creditor:
    """The creditor a command acts on: the one named, else the only one; never a guess among several."""
    if name is not None:
        return _named_creditor(session, name)
    creditors = list(session.scalars(select(Creditor).order_by(Creditor.name).limit(2)))
    if not creditors:
        raise NotFound("Nessun ente creditore nel database: crearne uno con «creditdesk creditor add NOME».")
    if len(creditors) > 1:
        raise InvalidInput(f"Ci sono più enti creditori: indicare --creditor NOME (enti presenti: {_names(session)}).")
    return creditors[0]


def _named_creditor(session: Session, name: str) -> Creditor:
    wanted = " ".join(name.split())
    exact = session.scalar(select(Creditor).where(Creditor.name == wanted))
    if exact is not None:
        return exact
    # A clerk types "consorzio demo" for "Consorzio Demo": accept it when it points to exactly one creditor.
    loose = list(session.scalars(select(Creditor).where(func.lower(Creditor.name) == wanted.lower()).limit(2)))
    if len(loose) == 1:
        return loose[0]
    known = _names(session) or "nessuno"
    raise NotFound(f"Ente creditore «{name}» non trovato. Enti presenti: {known}.")


def _names(session: Session) -> str:
    return ", ".join(f"«{n}»" for n in session.scalars(select(Creditor.name).order_by(Creditor.name)))


def add_creditor(
    db: Database,
    name: str,
    *,
    tax_code: str | None = None,
    iban: str | None = None,
    sia: str | None = None,
    pec: str | None = None,
    notice_kind: str | NoticeKind | None = None,
    user_login: str | None = None,
) -> CreditorInfo:
    """Create a creditor with a unique name and the validated data given; record who did it."""
    clean_name = _validate_name(name)
    changes = _validated_changes(tax_code=tax_code, iban=iban, sia=sia, pec=pec, notice_kind=notice_kind)
    with UnitOfWork(db) as uow:
        _refuse_duplicate(uow.session, clean_name)
        creditor = Creditor(name=clean_name, notice_kind=NoticeKind.MAV)
        _apply(creditor, changes)
        uow.session.add(creditor)
        uow.session.flush()
        _audit(uow.session, "creditor.add", creditor, {"name": clean_name, **changes}, user_login)
        info = _info(creditor)
        uow.commit()
    return info


def update_creditor(
    db: Database,
    creditor_name: str | None,
    *,
    name: str | None = None,
    tax_code: str | None = None,
    iban: str | None = None,
    sia: str | None = None,
    pec: str | None = None,
    notice_kind: str | NoticeKind | None = None,
    user_login: str | None = None,
) -> CreditorInfo:
    """Change the data of one creditor (the only one, or the named one); an empty string clears a field.

    ABI, CAB and account always follow the IBAN; every value is validated before anything is written.
    """
    changes = _validated_changes(tax_code=tax_code, iban=iban, sia=sia, pec=pec, notice_kind=notice_kind)
    if name is not None:
        changes["name"] = _validate_name(name)
    if not changes:
        raise InvalidInput("Nessuna modifica indicata per l'ente creditore.")
    with UnitOfWork(db) as uow:
        creditor = resolve_creditor(uow.session, creditor_name)
        if "name" in changes and changes["name"] != creditor.name:
            _refuse_duplicate(uow.session, changes["name"], creditor.id)
        before = {field: getattr(creditor, field) for field in changes}
        _apply(creditor, changes)
        uow.session.flush()
        details = {field: [_plain(before[field]), _plain(value)] for field, value in changes.items()}
        _audit(uow.session, "creditor.update", creditor, details, user_login)
        info = _info(creditor)
        uow.commit()
    return info


def _validated_changes(
    *,
    tax_code: str | None,
    iban: str | None,
    sia: str | None,
    pec: str | None,
    notice_kind: str | NoticeKind | None,
) -> dict[str, Any]:
    """Column → new value for every field given; "" means clear it."""
    changes: dict[str, Any] = {}
    if tax_code is not None:
        changes["tax_code"] = validate_tax_code(tax_code) if tax_code.strip() else None
    if iban is not None:
        account = parse_italian_iban(iban) if iban.strip() else None
        changes["iban"] = account.iban if account else None
        changes["abi"] = account.abi if account else None
        changes["cab"] = account.cab if account else None
        changes["account"] = account.account if account else None
    if sia is not None:
        changes["sia_code"] = _validate_sia(sia) if sia.strip() else None
    if pec is not None:
        changes["pec"] = _validate_pec(pec) if pec.strip() else None
    if notice_kind is not None:
        changes["notice_kind"] = _validate_notice_kind(notice_kind)
    return changes


def _apply(creditor: Creditor, changes: dict[str, Any]) -> None:
    for field, value in changes.items():
        setattr(creditor, field, value)


def _refuse_duplicate(session: Session, name: str, renamed_id: int | None = None) -> None:
    query = select(Creditor.name).where(func.lower(Creditor.name) == name.lower())
    if renamed_id is not None:
        query = query.where(Creditor.id != renamed_id)
    clash = session.scalar(query)
    if clash is not None:
        raise InvalidInput(f"Esiste già un ente creditore di nome «{clash}»: scegliere un altro nome.")


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, NoticeKind) else value


def _audit(session: Session, action: str, creditor: Creditor, details: dict[str, Any], login: str | None) -> None:
    user_id = session.scalar(select(User.id).where(User.login == login)) if login else None
    session.add(
        AuditEvent(
            user_id=user_id,
            action=action,
            entity="creditor",
            entity_id=creditor.id,
            details=json.dumps({k: _plain(v) for k, v in details.items()}, ensure_ascii=False, sort_keys=True),
        )
    )
