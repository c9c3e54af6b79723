"""Every row of a schedule turned into a credit to apply, or into messages saying what is wrong with it."""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Literal, TypeVar

from app.models import CreditKind, CreditStatus, SubjectKind
from app.services.errors import InvalidInput
from app.services.identity import check_tax_code, check_vat_number, normalize_mobile
from app.services.imports import values
from app.services.imports.headers import column_letter, normalise
from app.services.imports.types import CellValue, Field, Issue, Severity
from app.services.imports.values import ValueProblem

_T = TypeVar("_T")
ZERO = Decimal("0.00")
_LIMITS = {
    Field.REFERENCE: 50, Field.HOLDER_NAME: 200, Field.ADMINISTRATOR_NAME: 200, Field.STREET: 200,
    Field.CITY: 100, Field.INSTALLATION: 50, Field.PEC: 200, Field.EMAIL: 200, Field.NOTES: 4000,
}  # fmt: skip
_SUBJECT_FIELDS = (
    Field.HOLDER_NAME, Field.HOLDER_TAX_CODE, Field.HOLDER_VAT_NUMBER, Field.STREET, Field.POSTAL_CODE, Field.CITY,
    Field.PROVINCE, Field.ADMINISTRATOR_NAME, Field.ADMINISTRATOR_TAX_CODE, Field.ADMINISTRATOR_VAT_NUMBER,
    Field.PEC, Field.EMAIL, Field.MOBILE,
)  # fmt: skip
_CREDIT_FIELDS = (
    Field.REFERENCE, Field.INSTALMENT, Field.KIND, Field.ISSUE_DATE, Field.DUE_DATE, Field.AMOUNT, Field.PAID,
    Field.OUTSTANDING, Field.STATUS, Field.INSTALLATION, Field.NOTES,
)  # fmt: skip
_TOTAL_WORDS = frozenset({"totale", "totali", "total", "totals", "tot", "totalegenerale", "totgenerale"})
_CONDOMINIUM_PREFIXES = ("condominio", "cond", "supercondominio", "residenzacondominio", "condom")
_KIND_WORDS = (
    (("fattur", "ft", "invoice", "fatt"), CreditKind.INVOICE),
    (("polizz", "premio", "policy"), CreditKind.POLICY),
    (("rata", "instal", "rateo"), CreditKind.INSTALMENT),
)


class StatusHint:
    """What the ERP's status column says, reduced to what matters to us."""

    PAID = "paid"
    OPEN = "open"
    PARTIAL = "partial"


# Checked in this order, each against the start of every word: "Non pagato" and "Unpaid" are open, not paid.
_STATUS_WORDS = (
    (("stralci", "written", "perdit"), CreditStatus.WRITTEN_OFF),
    (("legal", "avvocat", "contenzios"), CreditStatus.IN_LEGAL),
    (("parz", "partial", "partly", "acconto"), StatusHint.PARTIAL),
    (("apert", "insolut", "scadut", "emess", "open", "overdue", "unpaid", "sospes", "attesa", "impagat"),
     StatusHint.OPEN),
    (("pagat", "saldat", "chius", "incassat", "paid", "closed", "settled"), StatusHint.PAID),
)  # fmt: skip
_NEGATIONS = frozenset({"non", "not", "no", "da", "to"})
_WORD = re.compile(r"[a-z]+")


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


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """One credit as the schedule states it, checked and ready to apply."""

    row: int
    reference: str
    kind: CreditKind
    issue_date: date
    due_date: date
    amount: Decimal
    outstanding: Decimal
    status: CreditStatus | None  # written off or in legal when the ERP says so; otherwise derived
    installation: str | None
    notes: str | None
    holder: SubjectData
    administrator: SubjectData | None


@dataclass
class RowParser:
    """Parses the data rows of one sheet with a given column mapping, collecting issues as it goes."""

    file: str
    sheet: str | None
    headers: Sequence[str]
    columns: dict[Field, int]
    issues: list[Issue] = field(default_factory=list)
    duplicates: int = 0
    _seen: dict[str, ScheduleRow] = field(default_factory=dict)
    _warned_contact: set[str] = field(default_factory=set)
    _administrators: dict[str, tuple[int, SubjectData]] = field(default_factory=dict)
    # ERP exports repeat the same customers, amounts, dates and words thousands of times: each distinct raw
    # value is parsed once. Only values that parsed cleanly are kept, so an error is reported on every row.
    _subject_cache: dict[tuple[CellValue, ...], tuple[SubjectData, SubjectData | None]] = field(default_factory=dict)
    _cache: dict[Field, dict[CellValue, object]] = field(default_factory=lambda: {name: {} for name in Field})
    _cells: list[CellValue] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Every field has a position; an unmapped one points past the row's end, where a None is appended.
        self._width = max(self.columns.values(), default=-1) + 1
        self._positions = {name: self.columns.get(name, self._width) for name in Field}
        self._subject_key = operator.itemgetter(*(self._positions[name] for name in _SUBJECT_FIELDS))
        self._credit_cells = operator.itemgetter(*(self._positions[name] for name in _CREDIT_FIELDS))
        self._reference_header = (
            self.headers[self.columns[Field.REFERENCE]] if Field.REFERENCE in self.columns else None
        )

    @property
    def error_count(self) -> int:
        return sum(1 for issue in self.issues if issue.severity is Severity.ERROR)

    def parse(self, row: int, cells: Sequence[CellValue]) -> ScheduleRow | None:
        """The row as a credit, or None when it is blank, a totals row, or wrong (the reasons are in issues)."""
        self._row, self._failed = row, False
        padded = list(cells[: self._width])
        padded.extend([None] * (self._width + 1 - len(padded)))
        self._cells = padded
        quick = self._quick(padded)
        if quick is not None:
            return self._first_occurrence(quick)
        reference = self._text(Field.REFERENCE)
        if reference is None or self._cell(Field.HOLDER_NAME) is None:
            if self._is_blank_or_total(cells):
                return None
            if reference is None:
                self._error(Field.REFERENCE, "numero del documento mancante")
                return None
        if reference == self._reference_header:
            return None  # the header repeated on every printed page of some exports
        parsed = self._parse_credit(reference)
        if parsed is None or self._failed:
            return None
        return self._first_occurrence(parsed)

    def _quick(self, cells: list[CellValue]) -> ScheduleRow | None:
        """The row from values already seen and found good, or None to take the path that explains problems.

        Exports repeat their dates, amounts, words and customers: most rows are made of values parsed before,
        and need only lookups and the checks that tie one row's values together.
        """
        (reference_cell, instalment_cell, kind_cell, issue_cell, due_cell, amount_cell, paid_cell, outstanding_cell,
         status_cell, installation_cell, notes_cell) = self._credit_cells(cells)  # fmt: skip
        if type(reference_cell) is not str:
            return None
        reference = reference_cell.strip()
        if (
            not reference
            or reference == self._reference_header
            or bool in {type(instalment_cell), type(amount_cell), type(paid_cell), type(outstanding_cell)}
        ):
            return None  # True == 1 as a key: a TRUE cell would find the amount or instalment of a 1
        cache = self._cache
        instalment = None if instalment_cell is None else cache[Field.INSTALMENT].get(instalment_cell)
        if instalment is not None:
            reference = f"{reference}/{instalment}"
        elif instalment_cell is not None:
            return None
        due = cache[Field.DUE_DATE].get(due_cell)
        issue = due if issue_cell is None else cache[Field.ISSUE_DATE].get(issue_cell)
        amount = cache[Field.AMOUNT].get(amount_cell)
        paid = None if paid_cell is None else cache[Field.PAID].get(paid_cell)
        outstanding = None if outstanding_cell is None else cache[Field.OUTSTANDING].get(outstanding_cell)
        hint = None if status_cell is None else cache[Field.STATUS].get(status_cell)
        subjects = self._subject_cache.get(self._subject_key(cells))
        if (
            len(reference) > 50 or due is None
            or issue is None or issue > due or amount is None or subjects is None  # type: ignore[operator]
            or (paid is None and paid_cell is not None) or (outstanding is None and outstanding_cell is not None)
            or (hint is None and status_cell is not None)
        ):  # fmt: skip
            return None
        assert isinstance(amount, Decimal) and isinstance(due, date) and isinstance(issue, date)
        owed = _owed(amount, paid, outstanding, hint)  # type: ignore[arg-type]
        if owed is None:
            return None
        installation = _short_text(installation_cell, _LIMITS[Field.INSTALLATION])
        notes = _short_text(notes_cell, _LIMITS[Field.NOTES])
        if installation is False or notes is False:
            return None
        kind = cache[Field.KIND].get(kind_cell) if kind_cell is not None else None
        if kind is None:
            if kind_cell is not None:
                return None
            kind = CreditKind.INSTALMENT if instalment is not None else CreditKind.INVOICE
        return ScheduleRow(
            row=self._row, reference=reference, kind=kind, issue_date=issue, due_date=due, amount=amount,  # type: ignore[arg-type]
            outstanding=owed, status=hint if isinstance(hint, CreditStatus) else None, installation=installation,
            notes=notes, holder=subjects[0], administrator=subjects[1],
        )  # fmt: skip

    def _parse_credit(self, reference: str) -> ScheduleRow | None:
        instalment = self._value(Field.INSTALMENT, values.whole_number)
        if instalment is not None:
            reference = f"{reference}/{instalment}"
            self._limit(Field.REFERENCE, reference)
        due_date = self._value(Field.DUE_DATE, values.day)
        if due_date is None and not self._failed:
            self._error(Field.DUE_DATE, "data di scadenza mancante")
        issue_date = self._value(Field.ISSUE_DATE, values.day)
        if issue_date is not None and due_date is not None and issue_date > due_date:
            self._warn(Field.ISSUE_DATE, "la data del documento è successiva alla scadenza")
        hint = self._status_hint()
        amounts = self._amounts(hint)
        holder, administrator = self._subjects()
        if self._failed or due_date is None or amounts is None or holder is None:
            return None
        amount, outstanding = amounts
        return ScheduleRow(
            row=self._row,
            reference=reference,
            kind=self._kind(instalment),
            issue_date=issue_date or due_date,
            due_date=due_date,
            amount=amount,
            outstanding=outstanding,
            status=hint if isinstance(hint, CreditStatus) else None,
            installation=self._text(Field.INSTALLATION),
            notes=self._text(Field.NOTES),
            holder=holder,
            administrator=administrator,
        )

    def _first_occurrence(self, parsed: ScheduleRow) -> ScheduleRow | None:
        seen = self._seen.setdefault(parsed.reference, parsed)
        if seen is parsed:
            return parsed
        if replace(seen, row=parsed.row) == parsed:
            self.duplicates += 1
            self._warn(Field.REFERENCE, f"riga identica alla riga {seen.row}: contata una volta sola")
        else:
            self._error(Field.REFERENCE, f"numero già presente alla riga {seen.row} con dati diversi")
        return None

    # --- amounts and status -------------------------------------------------------------------------------

    def _amounts(self, hint: object) -> tuple[Decimal, Decimal] | None:
        amount = self._money(Field.AMOUNT, "importo negativo")
        paid = self._money(Field.PAID, "importo pagato negativo")
        outstanding = self._money(Field.OUTSTANDING, "residuo negativo")
        if amount is None and outstanding is None:
            if not self._failed:
                self._error(Field.AMOUNT if Field.AMOUNT in self.columns else Field.OUTSTANDING, "importo mancante")
            return None
        if self._failed:
            return None
        if amount is None:
            assert outstanding is not None
            amount = outstanding + (paid or ZERO)
        if paid is not None and paid > amount:
            self._error(Field.PAID, f"il pagato supera l'importo di {_money_text(amount)}")
            return None
        if outstanding is not None and outstanding > amount:
            self._error(Field.OUTSTANDING, f"il residuo supera l'importo di {_money_text(amount)}")
            return None
        if paid is not None and outstanding is not None and amount - paid != outstanding:
            self._error(
                Field.OUTSTANDING,
                f"importo {_money_text(amount)} meno pagato {_money_text(paid)} fa {_money_text(amount - paid)}, "
                "non il residuo indicato",
            )
            return None
        if outstanding is None:
            outstanding = amount - paid if paid is not None else (ZERO if hint == StatusHint.PAID else amount)
        self._check_hint(hint, amount, outstanding)
        return amount, outstanding

    def _check_hint(self, hint: object, amount: Decimal, outstanding: Decimal) -> None:
        if hint == StatusHint.PAID and outstanding > 0:
            self._warn(
                Field.STATUS, f"lo stato dice pagato ma il residuo è {_money_text(outstanding)}: vale il residuo"
            )
        elif hint == StatusHint.OPEN and outstanding == 0 and amount > 0:
            self._warn(Field.STATUS, "lo stato dice aperto ma il residuo è zero: vale il residuo")

    def _status_hint(self) -> object:
        raw = self._text(Field.STATUS)
        if raw is None:
            return None
        cache = self._cache[Field.STATUS]
        cell = self._cell(Field.STATUS)
        if cell in cache:
            return cache[cell]
        hint = self._word_status(raw)
        if hint is not None:
            cache[cell] = hint
        return hint

    def _word_status(self, raw: str) -> object:
        words = _WORD.findall(unicodedata.normalize("NFKD", raw.casefold()))
        if words and words[0] in _NEGATIONS:
            return StatusHint.OPEN  # "Non pagato", "Da pagare", "Not paid"
        for stems, hint in _STATUS_WORDS:
            if any(word.startswith(stems) for word in words):
                return hint
        self._warn(Field.STATUS, "stato non riconosciuto: lo stato si ricava da importi e scadenza")
        return None

    def _kind(self, instalment: int | None) -> CreditKind:
        raw = self._text(Field.KIND)
        if raw is None:
            return CreditKind.INSTALMENT if instalment is not None else CreditKind.INVOICE
        cache = self._cache[Field.KIND]
        known = cache.get(self._cell(Field.KIND))
        if known is None:
            word = normalise(raw)
            known = next((kind for stems, kind in _KIND_WORDS if word.startswith(stems)), CreditKind.OTHER)
            cache[self._cell(Field.KIND)] = known
        return known  # type: ignore[return-value]

    # --- subjects -----------------------------------------------------------------------------------------

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

    # --- cells --------------------------------------------------------------------------------------------

    def _cell(self, column: Field) -> CellValue:
        return self._cells[self._positions[column]]

    def _text(self, column: Field) -> str | None:
        cell = self._cells[self._positions[column]]
        if cell is None:
            return None
        result = (cell.strip() or None) if type(cell) is str else values.text(cell)
        if result is not None and column in _LIMITS and len(result) > _LIMITS[column]:
            self._limit(column, result)
        return result

    def _limit(self, column: Field, value: str) -> None:
        if len(value) > _LIMITS[column]:
            self._error(column, f"testo troppo lungo: {len(value)} caratteri, al massimo {_LIMITS[column]}")

    def _value(self, column: Field, parse: Callable[[CellValue], _T]) -> _T | None:
        cell = self._cells[self._positions[column]]
        if cell is None:
            return None
        cache = self._cache[column]
        known = cache.get(cell) if type(cell) is not bool else None  # True == 1 as a key
        if known is not None:
            return known  # type: ignore[return-value]
        if type(cell) is str and not cell.strip():
            return None
        try:
            result = parse(cell)
        except ValueProblem as problem:
            self._error(column, str(problem))
            return None
        cache[cell] = result
        return result

    def _money(self, column: Field, negative: str) -> Decimal | None:
        result = self._value(column, values.amount)
        if result is not None and result < 0:
            self._error(column, negative)
            return None
        return result

    def _is_blank_or_total(self, cells: Sequence[CellValue]) -> bool:
        texts = [cell for cell in cells if cell is not None and not (type(cell) is str and not cell.strip())]
        if not texts:
            return True
        if self._cell(Field.DUE_DATE) is not None:
            return False  # a totals row has no due date; "TOTAL ITALIA SPA" with one is a customer
        first = next((cell for cell in texts if type(cell) is str), None)
        return first is not None and normalise(first.split()[0].rstrip(":")) in _TOTAL_WORDS

    def _error(self, column: Field, message: str) -> None:
        self._failed = True
        self._issue(Severity.ERROR, column, message)

    def _warn(self, column: Field, message: str) -> None:
        self._issue(Severity.WARNING, column, message)

    def _issue(self, severity: Severity, column: Field, message: str) -> None:
        index = self.columns.get(column)
        cell = self._cell(column)
        self.issues.append(
            Issue(
                severity=severity,
                file=self.file,
                sheet=self.sheet,
                row=self._row,
                column=self.headers[index] if index is not None else None,
                column_letter=column_letter(index) if index is not None else None,
                value=values.text(cell) if cell is not None else None,
                message=message,
            )
        )


def _same_person(first: SubjectData, second: SubjectData) -> bool:
    """Whether two rows name the same subject: by a code both give, else by name (a code left blank is no clue)."""
    if first.tax_code and second.tax_code:
        return first.tax_code == second.tax_code
    if first.vat_number and second.vat_number:
        return first.vat_number == second.vat_number
    return normalise(first.name) == normalise(second.name)


def _owed(amount: Decimal, paid: Decimal | None, outstanding: Decimal | None, hint: object) -> Decimal | None:
    """What is still owed when amount, paid, outstanding and status agree and are not negative; else None."""
    if amount < 0 or (paid is not None and not 0 <= paid <= amount):
        return None
    if outstanding is not None:
        if not 0 <= outstanding <= amount or (paid is not None and amount - paid != outstanding):
            return None
    else:
        outstanding = amount - paid if paid is not None else (ZERO if hint == StatusHint.PAID else amount)
    if (hint == StatusHint.PAID and outstanding > 0) or (hint == StatusHint.OPEN and outstanding == 0 < amount):
        return None
    return outstanding


def _short_text(cell: CellValue, limit: int) -> str | Literal[False] | None:
    """A text cell trimmed, None when blank, False when too long or not plain text."""
    if cell is None:
        return None
    if type(cell) is not str:
        return False
    stripped = cell.strip()
    return (stripped or None) if len(stripped) <= limit else False


def _holder_kind(name: str, administrator: str | None, tax_code: str | None) -> SubjectKind:
    if administrator or normalise(name.split()[0]).startswith(_CONDOMINIUM_PREFIXES):
        return SubjectKind.CONDOMINIUM
    if tax_code is not None and len(tax_code) == 16:
        return SubjectKind.PERSON
    return SubjectKind.COMPANY


def _money_text(value: Decimal) -> str:
    whole, _, cents = f"{value:.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return f"{groups},{cents}"
