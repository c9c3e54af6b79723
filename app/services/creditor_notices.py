"""What a creditor's notices print and pay with: BIC, pagoPA segregation code, CBILL, logo, instructions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from stdnum import bic as bic_code
from stdnum.exceptions import ValidationError

from app.models import AuditEvent, NoticeKind
from app.services.creditors import resolve_creditor
from app.services.database import Database
from app.services.errors import InvalidInput
from app.services.notices.instructions import check_template
from app.services.rolls.states import user_id_of
from app.services.unit_of_work import UnitOfWork

_LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")
_RESERVED_SEGREGATION = range(96, 100)  # SACI: for the platform's central services


@dataclass(frozen=True)
class NoticeSettings:
    """The notice settings given (None: leave as it is; "": clear)."""

    bic: str | None = None
    segregation_code: str | None = None
    cbill_code: str | None = None
    postal_account: str | None = None
    logo: str | None = None
    instructions: str | None = None


def set_notice_settings(
    db: Database, creditor_name: str | None, settings: NoticeSettings, *, user_login: str | None
) -> dict[str, str | None]:
    """Validate and store the settings given for the creditor (the only one, or the named one); returns the
    columns changed. Raises InvalidInput, naming the field, for a value that would print a wrong notice."""
    with UnitOfWork(db) as uow:
        creditor = resolve_creditor(uow.session, creditor_name)
        changes = _validated(settings, creditor.notice_kind)
        for column, value in changes.items():
            setattr(creditor, column, value)
        uow.session.add(AuditEvent(user_id=user_id_of(uow.session, user_login), action="creditor.notices",
                                   entity="creditor", entity_id=creditor.id,
                                   details=json.dumps(changes, ensure_ascii=False, sort_keys=True)))  # fmt: skip
        uow.commit()
    return changes


def _validated(settings: NoticeSettings, kind: NoticeKind) -> dict[str, str | None]:
    checks = {
        "bic": (settings.bic, _bic), "pagopa_segregation_code": (settings.segregation_code, _segregation),
        "cbill_code": (settings.cbill_code, _cbill), "postal_account": (settings.postal_account, _postal_account),
        "logo_path": (settings.logo, _logo), "notice_instructions": (settings.instructions, lambda v: _text(v, kind)),
    }  # fmt: skip
    return {column: (check(value) if value.strip() else None) for column, (value, check) in checks.items()
            if value is not None}  # fmt: skip


def _bic(value: str) -> str:
    try:
        return str(bic_code.validate(value))
    except ValidationError as error:
        raise InvalidInput(f"BIC «{value}» non valido: 8 o 11 caratteri, come BPMOIT22XXX.") from error


def _segregation(value: str) -> str:
    code = value.strip()
    if not (len(code) == 2 and code.isdigit()) or int(code) in _RESERVED_SEGREGATION:
        raise InvalidInput(f"Codice di segregazione pagoPA «{value}» non valido: due cifre da 00 a 95.")
    return code


def _cbill(value: str) -> str:
    code = value.strip().upper()
    if not (len(code) == 5 and code.isalnum()):
        raise InvalidInput(f"Codice CBILL «{value}» non valido: 5 lettere o cifre.")
    return code


def _postal_account(value: str) -> str:
    digits = value.strip()
    if not (digits.isdigit() and len(digits) <= 12):
        raise InvalidInput(f"Conto corrente postale «{value}» non valido: fino a 12 cifre.")
    return digits.zfill(12)


def _logo(value: str) -> str:
    path = Path(value).expanduser()
    if path.suffix.lower() not in _LOGO_SUFFIXES or not path.is_file():
        raise InvalidInput(f"Logo «{value}»: indicare un file PNG o JPEG esistente.")
    return str(path.resolve())


def _text(value: str, kind: NoticeKind) -> str:
    problems = check_template(value, kind)
    if problems:
        raise InvalidInput("Il testo delle istruzioni di pagamento non va bene: " + " ".join(problems))
    return value.strip()
