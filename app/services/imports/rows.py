"""Every row of a schedule turned into a credit to apply, or into messages saying what is wrong with it."""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Literal

from app.models import CreditKind, CreditStatus
from app.services.imports import values
from app.services.imports.headers import normalise
from app.services.imports.row_cells import LIMITS
from app.services.imports.row_subjects import SubjectCells, SubjectData
from app.services.imports.types import CellValue, Field

ZERO = Decimal("0.00")
_CREDIT_FIELDS = (
    Field.REFERENCE, Field.INSTALMENT, Field.KIND, Field.ISSUE_DATE, Field.DUE_DATE, Field.AMOUNT, Field.PAID,
    Field.OUTSTANDING, Field.STATUS, Field.INSTALLATION, Field.NOTES,
)  # fmt: skip
_TOTAL_WORDS = frozenset({"totale", "totali", "total", "totals", "tot", "totalegenerale", "totgenerale"})
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
class RowParser(SubjectCells):
    """Parses the data rows of one sheet with a given column mapping, collecting issues as it goes."""

    duplicates: int = 0
    _seen: dict[str, ScheduleRow] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._credit_cells = operator.itemgetter(*(self._positions[name] for name in _CREDIT_FIELDS))
        self._reference_header = (
            self.headers[self.columns[Field.REFERENCE]] if Field.REFERENCE in self.columns else None
        )

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
        installation = _short_text(installation_cell, LIMITS[Field.INSTALLATION])
        notes = _short_text(notes_cell, LIMITS[Field.NOTES])
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

    def _is_blank_or_total(self, cells: Sequence[CellValue]) -> bool:
        texts = [cell for cell in cells if cell is not None and not (type(cell) is str and not cell.strip())]
        if not texts:
            return True
        if self._cell(Field.DUE_DATE) is not None:
            return False  # a totals row has no due date; "TOTAL ITALIA SPA" with one is a customer
        first = next((cell for cell in texts if type(cell) is str), None)
        return first is not None and normalise(first.split()[0].rstrip(":")) in _TOTAL_WORDS


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


def _money_text(value: Decimal) -> str:
    whole, _, cents = f"{value:.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return f"{groups},{cents}"
