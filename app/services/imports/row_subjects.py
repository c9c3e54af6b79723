"""The customer, condominium and administrator a schedule row names, checked and described once each."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field

from app.models import SubjectKind
from app.services.errors import InvalidInput
from app.services.identity import check_tax_code, check_vat_number, normalize_mobile
from app.services.imports.headers import normalise
from app.services.imports.row_cells import RowCells
from app.services.imports.types import CellValue, Field

SUBJECT_FIELDS = (
    Field.HOLDER_NAME, Field.HOLDER_TAX_CODE, Field.HOLDER_VAT_NUMBER, Field.STREET, Field.POSTAL_CODE, Field.CITY,
    Field.PROVINCE, Field.ADMINISTRATOR_NAME, Field.ADMINISTRATOR_TAX_CODE, Field.ADMINISTRATOR_VAT_NUMBER,
    Field.PEC, Field.EMAIL, Field.MOBILE,
)  # fmt: skip
_CONDOMINIUM_PREFIXES = ("condominio", "cond", "supercondominio", "residenzacondominio", "condom")


@dataclass(frozen=True, slots=True)
class SubjectData:
    """A customer, condominium or administrator as one row describes it."""

    kind: SubjectKind
    name: str
    tax_code: str | None = None
    tax_code_problem: str | None = None
    vat_number: str | None = None
    vat_number_problem: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    province: str | None = None
    pec: str | None = None
    email: str | None = None
    mobile: str | None = None


@dataclass
class SubjectCells(RowCells):
    """Reads the subjects of a row, each distinct set of cells once."""

    _warned_contact: set[str] = field(default_factory=set)
    _administrators: dict[str, tuple[int, SubjectData]] = field(default_factory=dict)
    _subject_cache: dict[tuple[CellValue, ...], tuple[SubjectData, SubjectData | None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._subject_key = operator.itemgetter(*(self._positions[name] for name in SUBJECT_FIELDS))

    def _subjects(self) -> tuple[SubjectData | None, SubjectData | None]:
        key = self._subject_key(self._cells)
        known = self._subject_cache.get(key)
        if known is not None:
            return known
        errors_before = self._failed
        holder, administrator = self._parse_subjects()
        if holder is not None and not self._failed and not errors_before:
            self._subject_cache[key] = (holder, administrator)
        return holder, administrator

    def _parse_subjects(self) -> tuple[SubjectData | None, SubjectData | None]:
        name = self._text(Field.HOLDER_NAME)
        if name is None:
            self._error(Field.HOLDER_NAME, "nome del cliente mancante")
            return None, None
        administrator_name = self._text(Field.ADMINISTRATOR_NAME)
        tax_code, tax_problem = self._code(Field.HOLDER_TAX_CODE, check_tax_code)
        vat_number, vat_problem = self._code(Field.HOLDER_VAT_NUMBER, check_vat_number)
        contacts = self._contacts(administrator_name or name)
        holder_contacts = {} if administrator_name else contacts
        holder = SubjectData(
            kind=_holder_kind(name, administrator_name, tax_code),
            name=name,
            tax_code=tax_code,
            tax_code_problem=tax_problem,
            vat_number=vat_number,
            vat_number_problem=vat_problem,
            street=self._text(Field.STREET),
            postal_code=self._postal_code(),
            city=self._text(Field.CITY),
            province=self._province(),
            **holder_contacts,
        )
        if administrator_name is None:
            return holder, None
        admin_tax_code, admin_tax_problem = self._code(Field.ADMINISTRATOR_TAX_CODE, check_tax_code)
        admin_vat, admin_vat_problem = self._code(Field.ADMINISTRATOR_VAT_NUMBER, check_vat_number)
        administrator = SubjectData(
            kind=SubjectKind.ADMINISTRATOR,
            name=administrator_name,
            tax_code=admin_tax_code,
            tax_code_problem=admin_tax_problem,
            vat_number=admin_vat,
            vat_number_problem=admin_vat_problem,
            **contacts,
        )
        self._check_one_administrator(holder, administrator)
        return holder, administrator

    def _check_one_administrator(self, holder: SubjectData, administrator: SubjectData) -> None:
        key = holder.tax_code or holder.vat_number or normalise(f"{holder.name}|{holder.street}|{holder.city}")
        seen = self._administrators.setdefault(key, (self._row, administrator))
        if not _same_person(seen[1], administrator):
            self._error(
                Field.ADMINISTRATOR_NAME,
                f"il condominio ha un altro amministratore alla riga {seen[0]}: un condominio ha un solo "
                "amministratore alla volta",
            )

    def _contacts(self, payer_name: str) -> dict[str, str | None]:
        contacts: dict[str, str | None] = {"pec": self._address(Field.PEC), "email": self._address(Field.EMAIL)}
        mobile: str | None = None
        raw = self._text(Field.MOBILE)
        if raw is not None:
            try:
                mobile = normalize_mobile(raw)
            except InvalidInput as exc:
                self._warn(Field.MOBILE, f"{str(exc).rstrip('.')}: il numero non viene registrato")
        elif Field.MOBILE in self.columns and payer_name not in self._warned_contact:
            self._warned_contact.add(payer_name)
            self._warn(Field.MOBILE, f"cellulare mancante per «{payer_name}»: niente solleciti WhatsApp")
        contacts["mobile"] = mobile
        return contacts

    def _code(self, column: Field, check: Callable[[str], object]) -> tuple[str | None, str | None]:
        raw = self._text(column)
        if raw is None:
            return None, None
        cache = self._cache[column]
        key = self._cell(column)
        known = cache.get(key)
        if known is not None:
            return known  # type: ignore[return-value]
        result = check(raw)
        code, problem = result.value, result.problem  # type: ignore[attr-defined]
        if problem:
            self._warn(column, f"{problem}: registrato così com'è e segnalato in anagrafica")
        limit = 16 if column in (Field.HOLDER_TAX_CODE, Field.ADMINISTRATOR_TAX_CODE) else 11
        if len(code) > limit:
            self._error(column, f"troppo lungo: al massimo {limit} caratteri")
            return None, None
        cache[key] = (code, problem)
        return code, problem

    def _address(self, column: Field) -> str | None:
        raw = self._text(column)
        if raw is None:
            return None
        if "@" not in raw or "." not in raw.rpartition("@")[2] or " " in raw:
            self._warn(column, "indirizzo e-mail non valido: non viene registrato")
            return None
        return raw.lower()

    def _postal_code(self) -> str | None:
        raw = self._text(Field.POSTAL_CODE)
        if raw is None:
            return None
        code = raw.zfill(5) if raw.isdigit() and len(raw) < 5 else raw  # typed as a number: Rome's 00184 → 184
        if len(code) != 5 or not code.isdigit():
            self._warn(Field.POSTAL_CODE, "CAP non valido (servono 5 cifre): non viene registrato")
            return None
        return code

    def _province(self) -> str | None:
        raw = self._text(Field.PROVINCE)
        if raw is None:
            return None
        code = raw.strip("() ").upper()
        if len(code) != 2 or not code.isalpha():
            self._warn(Field.PROVINCE, "sigla della provincia non valida (servono 2 lettere): non viene registrata")
            return None
        return code


def _same_person(first: SubjectData, second: SubjectData) -> bool:
    """Whether two rows name the same subject: by a code both give, else by name (a code left blank is no clue)."""
    if first.tax_code and second.tax_code:
        return first.tax_code == second.tax_code
    if first.vat_number and second.vat_number:
        return first.vat_number == second.vat_number
    return normalise(first.name) == normalise(second.name)


def _holder_kind(name: str, administrator: str | None, tax_code: str | None) -> SubjectKind:
    if administrator or normalise(name.split()[0]).startswith(_CONDOMINIUM_PREFIXES):
        return SubjectKind.CONDOMINIUM
    if tax_code is not None and len(tax_code) == 16:
        return SubjectKind.PERSON
    return SubjectKind.COMPANY
