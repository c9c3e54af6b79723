"""Realistic ERP due-date schedule exports ("scadenziario") as xlsx and CSV files, fast enough for benchmarks."""

from __future__ import annotations

import csv
import dataclasses
import operator
import random
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from app.services.demo import catalog
from app.services.demo.identity import entity_number, mailbox, mobile_number, person_tax_code
from app.services.imports.headers import column_letter
from app.services.imports.types import Field

BLANK_EVERY = 97  # with blank_rows, a blank row precedes every line whose index is a positive multiple of this
FORMULA_LOOKALIKE = "=== verificare con l'amministratore ==="  # text, not a formula: the note of the first line


@dataclass(frozen=True, slots=True)
class ScheduleLine:
    """One row of the ERP export, values as the ERP means them; attribute names are ``Field`` values."""

    reference: str
    holder_name: str
    holder_tax_code: str | None
    holder_vat_number: str | None
    street: str | None
    postal_code: str | None
    city: str | None
    province: str | None
    issue_date: date
    due_date: date
    amount: Decimal
    paid: Decimal
    status: str | None
    administrator_name: str | None
    administrator_tax_code: str | None
    pec: str | None
    mobile: str | None
    email: str | None
    installation: str | None
    kind: str | None
    instalment: int | None
    notes: str | None = None

    @property
    def outstanding(self) -> Decimal:
        """What is still owed: amount less paid."""
        return self.amount - self.paid


@dataclass(frozen=True)
class Dialect:
    """An ERP flavour: which fields it exports, in what order and under which header text."""

    name: str
    columns: tuple[tuple[Field, str], ...]
    title: tuple[str, ...]  # rows above the header; ``{as_of}`` becomes the export date
    date_format: str  # how the title writes the export date
    total_label: str
    words: dict[str, str] = dataclasses.field(default_factory=dict)  # status and kind as this ERP words them
    _getter: Callable[[ScheduleLine], tuple[object, ...]] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [field.value for field, _ in self.columns]
        unknown = [name for name in names if name not in _LINE_ATTRIBUTES]
        if unknown:
            raise ValueError(f"{self.name}: no ScheduleLine attribute for {unknown}")
        object.__setattr__(self, "_getter", operator.attrgetter(*names))

    @property
    def headers(self) -> list[str]:
        """The header cells, in column order."""
        return [header for _, header in self.columns]

    @property
    def mapping(self) -> dict[Field, str]:
        """Field → header text, as an ``ImportRequest.mapping`` wants it."""
        return dict(self.columns)

    def header_row(self, title_rows: bool) -> int:
        """The 1-based row (xlsx) or line (CSV) that holds the header."""
        return len(self.title) + 2 if title_rows else 1

    def index(self, field: Field) -> int:
        """The 0-based column of ``field``; ValueError if this ERP does not export it."""
        return [f for f, _ in self.columns].index(field)

    def values(self, line: ScheduleLine) -> list[object]:
        """The line's cells in column order, typed (str, date, Decimal, int or None), worded as this ERP does."""
        cells = list(self._getter(line))
        if self.words:
            cells = [self.words.get(cell, cell) if type(cell) is str else cell for cell in cells]
        return cells


_LINE_ATTRIBUTES = frozenset(f.name for f in dataclasses.fields(ScheduleLine)) | {"outstanding"}
F = Field
DIALECTS: dict[str, Dialect] = {
    "gestionale_a": Dialect(
        "gestionale_a",
        (
            (F.HOLDER_NAME, "Ragione sociale"), (F.HOLDER_TAX_CODE, "Cod. Fiscale"), (F.HOLDER_VAT_NUMBER, "P. IVA"),
            (F.STREET, "Indirizzo"), (F.POSTAL_CODE, "CAP"), (F.CITY, "Località"), (F.PROVINCE, "Prov."),
            (F.KIND, "Tipo doc."), (F.REFERENCE, "N. Fattura"), (F.INSTALMENT, "Rata"),
            (F.ISSUE_DATE, "Data fattura"), (F.DUE_DATE, "Scadenza"), (F.AMOUNT, "Importo"), (F.PAID, "Pagato"),
            (F.OUTSTANDING, "Residuo"), (F.STATUS, "Stato"), (F.ADMINISTRATOR_NAME, "Amministratore"),
            (F.ADMINISTRATOR_TAX_CODE, "C.F. Amministratore"), (F.PEC, "PEC"), (F.MOBILE, "Cellulare"),
            (F.EMAIL, "E-mail"), (F.INSTALLATION, "Impianto"), (F.NOTES, "Note"),
        ),
        ("Scadenziario clienti al {as_of}", "Filtro: tutte le partite"),
        "%d/%m/%Y",
        "Totale",
    ),
    "gestionale_b": Dialect(  # no Pagato and no Stato: paid = importo − residuo
        "gestionale_b",
        (
            (F.REFERENCE, "Num. doc."), (F.INSTALMENT, "N. rata"), (F.KIND, "Tipo documento"),
            (F.ISSUE_DATE, "Data doc."), (F.DUE_DATE, "Data scad."), (F.HOLDER_NAME, "Cliente"),
            (F.HOLDER_TAX_CODE, "Codice fiscale"), (F.HOLDER_VAT_NUMBER, "Partita IVA"), (F.STREET, "Via"),
            (F.POSTAL_CODE, "C.A.P."), (F.CITY, "Città"), (F.PROVINCE, "Provincia"), (F.AMOUNT, "Importo rata"),
            (F.OUTSTANDING, "Residuo"), (F.INSTALLATION, "Polizza"), (F.ADMINISTRATOR_NAME, "Amm.re condominio"),
            (F.ADMINISTRATOR_TAX_CODE, "CF amm.re"), (F.PEC, "Indirizzo PEC"), (F.EMAIL, "Email"),
            (F.MOBILE, "Tel. cellulare"),
        ),
        ("GESTIONALE B - Estratto scadenze clienti", "Data elaborazione: {as_of}"),
        "%d/%m/%Y",
        "TOTALE GENERALE",
    ),
    "english": Dialect(
        "english",
        (
            (F.HOLDER_NAME, "Customer"), (F.HOLDER_TAX_CODE, "Tax code"), (F.HOLDER_VAT_NUMBER, "VAT number"),
            (F.STREET, "Address"), (F.POSTAL_CODE, "ZIP code"), (F.CITY, "City"), (F.PROVINCE, "Province"),
            (F.REFERENCE, "Invoice no."), (F.INSTALMENT, "Instalment"), (F.KIND, "Document type"),
            (F.ISSUE_DATE, "Invoice date"), (F.DUE_DATE, "Due date"), (F.AMOUNT, "Amount"), (F.PAID, "Paid"),
            (F.OUTSTANDING, "Balance"), (F.STATUS, "Status"), (F.ADMINISTRATOR_NAME, "Property manager"),
            (F.ADMINISTRATOR_TAX_CODE, "Manager tax code"), (F.PEC, "Certified e-mail"), (F.MOBILE, "Mobile"),
            (F.EMAIL, "E-mail"), (F.INSTALLATION, "Installation"), (F.NOTES, "Notes"),
        ),
        ("Accounts receivable ageing as of {as_of}", "Filter: all items"),
        "%Y-%m-%d",
        "Total",
        {
            "Aperta": "Open", "Pagata": "Paid", "Parz. pagata": "Partly paid", "Scaduta": "Overdue",
            "Stralciata": "Written off", "Fattura": "Invoice", "Polizza": "Policy", "Rata": "Instalment",
        },
    ),
}  # fmt: skip
del F


def excel_row(index: int, *, dialect: str = "gestionale_a", title_rows: bool = True, blank_rows: bool = True) -> int:
    """The row Excel shows for ``lines[index]`` in a file written by ``write_xlsx`` with these options."""
    blanks = index // BLANK_EVERY if blank_rows else 0
    return DIALECTS[dialect].header_row(title_rows) + 1 + index + blanks


QUARTER_DAYS = (0, 91, 182, 273)
PREMIUMS_CENTS = (45000, 61250, 128000, 83600, 97520, 210000)
NOTES = ("Sollecito inviato", "Contestazione in corso", "Pagamento promesso entro fine mese", "Vedi accordo")
_Holder = dict[str, Any]  # ScheduleLine keyword arguments in the making
_CONTACTS = ("administrator_name", "administrator_tax_code", "pec", "email", "mobile")


def _cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def _person(rng: random.Random, town: catalog.Town) -> tuple[str, str, str, str]:
    """(surname, first name, "Surname First", codice fiscale) of a person born in ``town``."""
    female = rng.random() < 0.45
    surname = rng.choice(catalog.SURNAMES)
    first = rng.choice(catalog.FEMALE_NAMES if female else catalog.MALE_NAMES)
    birth = date(1940, 1, 1) + timedelta(days=rng.randrange(60 * 365))
    return surname, first, f"{surname} {first}", person_tax_code(surname, first, birth, female, town.cadastral_code)


def _administrator(rng: random.Random) -> _Holder:
    town = rng.choice(catalog.TOWNS)
    surname, first, full, code = _person(rng, town)
    name = rng.choice((full, f"Studio {full}", f"Rag. {first} {surname}"))
    return {
        "administrator_name": name,
        "administrator_tax_code": code,
        "pec": f"{mailbox(first, surname)}@{rng.choice(catalog.PEC_DOMAINS)}",
        "email": f"studio.{mailbox(surname)}@{rng.choice(catalog.EMAIL_DOMAINS)}",
        "mobile": mobile_number(rng, catalog.MOBILE_PREFIXES),
        "_town": town,
    }


def _address(rng: random.Random, town: catalog.Town, street: str) -> _Holder:
    missing = rng.random() < 0.03  # the ERP's registry is never complete
    return {
        "street": None if missing else street,
        "postal_code": None if missing else town.postal_code,
        "city": town.name,
        "province": town.province,
    }


def _condominium(rng: random.Random, serial: int, administrators: list[_Holder]) -> _Holder:
    admin = rng.choice(administrators)
    town = admin["_town"] if rng.random() < 0.8 else rng.choice(catalog.TOWNS)  # studios work near home
    # The house number comes from the serial: two condominiums never share a name and address, as in life.
    street = f"{rng.choice(catalog.STREETS)} {serial + 1}"
    tax_code = entity_number(9_000_000 + serial, town.tax_office) if rng.random() < 0.7 else None
    contacts = {key: value for key, value in admin.items() if not key.startswith("_")}
    names = {"holder_name": f"Condominio {street}", "holder_tax_code": tax_code, "holder_vat_number": None}
    return _address(rng, town, street) | contacts | names


def _company(rng: random.Random, serial: int, town: catalog.Town) -> _Holder:
    surname = rng.choice(catalog.SURNAMES)
    form = rng.choice(catalog.COMPANY_FORMS)
    name = (
        f"{rng.choice(catalog.COMPANY_WORDS)} {surname} {form}" if rng.random() < 0.9 else f"{surname} & Figli <{form}>"
    )
    vat = entity_number(1_000_000 + serial, town.tax_office)
    pec = f"{mailbox(surname)}{serial}@{rng.choice(catalog.PEC_DOMAINS)}"
    tax_code = vat if rng.random() < 0.8 else None
    return {"holder_name": name, "holder_tax_code": tax_code, "holder_vat_number": vat, "pec": pec}


def _private(rng: random.Random, serial: int, town: catalog.Town) -> _Holder:
    surname, first, full, code = _person(rng, town)
    email = f"{mailbox(first, surname)}{serial % 100}@{rng.choice(catalog.EMAIL_DOMAINS)}"
    return {
        "holder_name": full,
        "holder_tax_code": code,
        "holder_vat_number": None,
        "email": email if rng.random() < 0.6 else None,
        "mobile": mobile_number(rng, catalog.MOBILE_PREFIXES) if rng.random() < 0.7 else None,
    }


def _holder(rng: random.Random, serial: int, condominium_share: float, administrators: list[_Holder]) -> _Holder:
    """A holder's registry fields: a condominium with its administrator's contacts, a company or a person."""
    draw = rng.random()
    if draw < condominium_share:
        return _condominium(rng, serial, administrators)
    town = rng.choice(catalog.TOWNS)
    street = f"{rng.choice(catalog.STREETS)} {rng.randrange(1, 120)}"
    holder = _address(rng, town, street) | dict.fromkeys(_CONTACTS)
    company = draw < condominium_share + (1 - condominium_share) / 2
    return holder | (_company(rng, serial, town) if company else _private(rng, serial, town))


def _documents(rng: random.Random, start: date, serial: int) -> Iterator[_Holder]:
    """The holder's documents: quarterly lift-maintenance invoices, or an insurance policy paid in instalments."""
    if rng.random() < 0.75:
        shift = rng.randrange(28)
        fee = rng.choice(catalog.LIFT_FEES_CENTS)
        for lift in range(1 if rng.random() < 0.7 else 2):
            installation = f"IMP-{(serial * 2 + lift) % 1_000_000:06d}"
            for days in QUARTER_DAYS:
                issue = start + timedelta(days=days + shift)
                yield {
                    "kind": "Fattura",
                    "installation": installation,
                    "instalment": None,
                    "issue_date": issue,
                    "due_date": issue + timedelta(days=rng.choice((30, 60, 90))),
                    "_cents": fee,
                }
        return
    policy = f"POL-{serial:07d}"
    issue = start + timedelta(days=rng.randrange(250))
    premium = rng.choice(PREMIUMS_CENTS)
    parts = rng.choice((1, 1, 2, 3, 4))
    for number in range(1, parts + 1):
        share = premium // parts + (premium % parts if number == parts else 0)
        yield {
            "kind": "Polizza" if parts == 1 else "Rata",
            "installation": policy,
            "instalment": None if parts == 1 else number,
            "issue_date": issue,
            "due_date": issue + timedelta(days=30 + 90 * (number - 1)),
            "_cents": share,
        }


def _settle(rng: random.Random, cents: int, due: date, as_of: date) -> tuple[Decimal, str]:
    """What was paid of ``cents`` by ``as_of``, and the status the ERP shows for it."""
    overdue = due < as_of
    draw = rng.random()
    if draw < (0.7 if overdue else 0.1):
        return _cents(cents), "Pagata"
    if draw < (0.8 if overdue else 0.13):
        return _cents(rng.randrange(1, cents // 100) * 100 if cents > 200 else cents // 2), "Parz. pagata"
    if overdue and draw > 0.99:
        return Decimal("0.00"), "Stralciata"
    return Decimal("0.00"), "Scaduta" if overdue else "Aperta"


def sample_lines(
    count: int,
    *,
    seed: int = 0,
    start: date = date(2026, 1, 1),
    condominium_share: float = 0.6,
    administrators: int | None = None,
) -> list[ScheduleLine]:
    """``count`` lines with unique references, ordered by due date; the same seed gives the same lines."""
    rng = random.Random(seed)
    as_of = start + timedelta(days=330)
    if administrators is None:  # about 5 lines per condominium, 30 condominiums per administrator
        administrators = max(1, round(count * condominium_share / 150))
    pool = [_administrator(rng) for _ in range(administrators)]
    drafts: list[_Holder] = []
    serial = 0
    while len(drafts) < count:
        serial += 1
        holder = _holder(rng, serial, condominium_share, pool)
        for document in _documents(rng, start, serial):
            drafts.append(holder | document)
    del drafts[count:]
    drafts.sort(key=operator.itemgetter("issue_date"))  # the ERP numbers its invoices in date order
    numbers: dict[int, int] = {}
    lines = []
    for draft in drafts:
        issue, cents = draft.pop("issue_date"), draft.pop("_cents")
        numbers[issue.year] = number = numbers.get(issue.year, 0) + 1
        paid, status = _settle(rng, cents, draft["due_date"], as_of)
        note = rng.choice(NOTES) if rng.random() < 0.02 else None
        lines.append(
            ScheduleLine(
                reference=f"FT-{issue.year}/{number:06d}",
                issue_date=issue,
                amount=_cents(cents),
                paid=paid,
                status=status,
                notes=note,
                **draft,
            )
        )
    lines.sort(key=operator.attrgetter("due_date", "reference"))
    return lines


def change_some(lines: Sequence[ScheduleLine], share: float, *, seed: int = 0) -> list[ScheduleLine]:
    """A copy where ``round(share * len(lines))`` lines still owing something (fewer if not enough) got a payment."""
    rng = random.Random(seed)
    owing = [i for i, line in enumerate(lines) if line.outstanding > 0 and line.status != "Stralciata"]
    changed = list(lines)
    for i in rng.sample(owing, min(round(share * len(lines)), len(owing))):
        line = lines[i]
        if rng.random() < 0.7 or line.outstanding < Decimal("0.02"):
            changed[i] = dataclasses.replace(line, paid=line.amount, status="Pagata")
        else:
            part = (line.outstanding / 2).quantize(Decimal("0.01"))
            changed[i] = dataclasses.replace(line, paid=line.paid + part, status="Parz. pagata")
    return changed


_DATE_FIELDS = (Field.ISSUE_DATE, Field.DUE_DATE)
_MONEY_FIELDS = (Field.AMOUNT, Field.PAID, Field.OUTSTANDING)


def _columns(dialect: Dialect, fields: Iterable[Field]) -> list[int]:
    return [i for i, (field, _) in enumerate(dialect.columns) if field in fields]


def _as_of(lines: Sequence[ScheduleLine]) -> date:
    return max((line.issue_date for line in lines), default=date(2026, 1, 1))


def _title(dialect: Dialect, lines: Sequence[ScheduleLine]) -> list[list[object]]:
    as_of = _as_of(lines).strftime(dialect.date_format)
    rows: list[list[object]] = [[text.format(as_of=as_of)] for text in dialect.title]
    return [*rows, []]


def _italian_amount(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


_TEXT_AMOUNTS: tuple[Callable[[Decimal], str], ...] = (
    _italian_amount,
    lambda value: f"€ {_italian_amount(value)}",
    lambda value: f"{value:.2f}",
)


def _text_date(value: date, row: int) -> str:
    return value.isoformat() if row % 3 == 0 else value.strftime("%d/%m/%Y")


_Row = tuple[int, list[object], bool]  # Excel row number, typed cells from column A, bold


@dataclass(frozen=True)
class _Formula:
    expression: str
    cached: Decimal


def write_csv(
    path: Path | str,
    lines: Sequence[ScheduleLine],
    *,
    dialect: str = "gestionale_a",
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
    decimal_comma: bool = True,
    title_rows: bool = False,
) -> Path:
    """Write ``lines`` as the ERP's CSV: dd/mm/yyyy dates, plain amounts ("1234,56"), CRLF line ends."""
    flavour = DIALECTS[dialect]
    dates, money = set(_columns(flavour, _DATE_FIELDS)), set(_columns(flavour, _MONEY_FIELDS))
    target = Path(path)
    with target.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
        if title_rows:
            writer.writerows(_title(flavour, lines))
        writer.writerow(flavour.headers)
        for line in lines:
            cells = flavour.values(line)
            for i in dates:
                cells[i] = cells[i].strftime("%d/%m/%Y")  # type: ignore[attr-defined]
            for i in money:
                cells[i] = str(cells[i]).replace(".", ",") if decimal_comma else str(cells[i])
            writer.writerow(cells)
    return target


def write_xlsx(
    path: Path | str,
    lines: Sequence[ScheduleLine],
    *,
    dialect: str = "gestionale_a",
    title_rows: bool = True,
    totals_row: bool = True,
    blank_rows: bool = True,
    dates_as_text: bool = False,
    amounts_as_text: bool = False,
    sheet: str = "Scadenziario",
    extra_sheets: Sequence[str | tuple[str, Sequence[Sequence[object]]]] = (),
    formulas: bool = False,
    sheet_index: int = 0,
) -> Path:
    """Write ``lines`` as the ERP's Excel export; the header is on ``Dialect.header_row(title_rows)``.

    Data row ``i`` is on ``excel_row(i, ...)``. ``formulas`` makes the outstanding column ``=amount-paid`` with its
    cached value and puts ``FORMULA_LOOKALIKE`` (text) in the first line's notes. Extra sheets are a name (a short
    legend) or ``(name, rows)``; the schedule goes at ``sheet_index`` among them and is the active sheet.
    """
    flavour = DIALECTS[dialect]
    if formulas and (amounts_as_text or not {Field.PAID, Field.OUTSTANDING, Field.NOTES} <= flavour.mapping.keys()):
        raise ValueError("formulas need numeric amounts and a dialect with paid, outstanding and notes columns")
    schedule = _schedule_rows(flavour, lines, title_rows, totals_row, blank_rows, formulas)
    if dates_as_text or amounts_as_text:
        schedule = _as_text(flavour, schedule, dates_as_text, amounts_as_text)
    sheets: list[tuple[str, Iterable[_Row]]] = [_extra_sheet(extra) for extra in extra_sheets]
    sheets.insert(sheet_index, (sheet, schedule))
    return _XlsxWriter(Path(path)).write(sheets, active=sheet_index)


def _schedule_rows(
    dialect: Dialect, lines: Sequence[ScheduleLine], title_rows: bool, totals: bool, blanks: bool, formulas: bool
) -> Iterator[_Row]:
    """(Excel row, typed cells, bold) of the schedule sheet, blank rows left out."""
    if title_rows:
        for number, cells in enumerate(_title(dialect, lines), start=1):
            yield number, cells, number == 1
    header = dialect.header_row(title_rows)
    yield header, list(dialect.headers), True
    money = _columns(dialect, _MONEY_FIELDS)
    letters = [column_letter(i) for i in range(len(dialect.columns))]
    if formulas:
        amount, paid, outstanding, notes = (dialect.index(f) for f in (*_MONEY_FIELDS, Field.NOTES))
    row = header
    for i, line in enumerate(lines):
        row += 1 + (blanks and i > 0 and i % BLANK_EVERY == 0)
        cells = dialect.values(line)
        if formulas:
            cells[outstanding] = _Formula(f"{letters[amount]}{row}-{letters[paid]}{row}", line.outstanding)
            if i == 0:
                cells[notes] = FORMULA_LOOKALIKE
        yield row, cells, False
    if totals:
        sums: list[object] = [dialect.total_label] + [None] * (len(dialect.columns) - 1)
        for column in money:
            attribute = dialect.columns[column][0].value
            total = sum((getattr(line, attribute) for line in lines), Decimal("0.00"))
            first, last = f"{letters[column]}{header + 1}", f"{letters[column]}{row}"
            sums[column] = _Formula(f"SUM({first}:{last})", total) if formulas else total
        yield row + 1, sums, True


def _as_text(dialect: Dialect, rows: Iterator[_Row], dates: bool, amounts: bool) -> Iterator[_Row]:
    """The rows with dates and/or amounts turned into text the way ERPs and clerks mix them."""
    date_columns = _columns(dialect, _DATE_FIELDS) if dates else []
    money_columns = _columns(dialect, _MONEY_FIELDS) if amounts else []
    for row, cells, bold in rows:
        for i in date_columns:
            if i < len(cells) and isinstance(cells[i], date):
                cells[i] = _text_date(cells[i], row)  # type: ignore[arg-type]
        for i in money_columns:
            if i < len(cells) and isinstance(cells[i], Decimal):
                cells[i] = _TEXT_AMOUNTS[row % 3](cells[i])  # type: ignore[arg-type]
        yield row, cells, bold


def _extra_sheet(extra: str | tuple[str, Sequence[Sequence[object]]]) -> tuple[str, list[_Row]]:
    if isinstance(extra, str):
        rows: Sequence[Sequence[object]] = [["Legenda stati"], ["Aperta", "da incassare"], ["Pagata", "incassata"]]
        name = extra
    else:
        name, rows = extra
    return name, [(number, list(cells), False) for number, cells in enumerate(rows, start=1)]


_EPOCH = date(1899, 12, 30)  # Excel's day 0 as the 1900 date system counts (after its 1900-02-29 bug)
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{_MAIN_NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font>
</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="4" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>
</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


class _XlsxWriter:
    """Writes the package XML by hand: shared strings, real date serials, formulas with cached values."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.strings: dict[str, int] = {}
        self._last_row = self._width = 1

    def write(self, sheets: Sequence[tuple[str, Iterable[_Row]]], active: int) -> Path:
        """Write the workbook with ``sheets`` in order, ``active`` the one Excel opens on; same input, same bytes."""
        count = len(sheets)
        parts = {
            "[Content_Types].xml": self._content_types(count),
            "_rels/.rels": f'<Relationships xmlns="{_PKG_NS}"><Relationship Id="rId1" Type="{_REL_NS}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>',
            "xl/workbook.xml": self._workbook([name for name, _ in sheets], active),
            "xl/_rels/workbook.xml.rels": self._workbook_rels(count),
            "xl/styles.xml": _STYLES,
        }
        for number, (_, rows) in enumerate(sheets, start=1):
            parts[f"xl/worksheets/sheet{number}.xml"] = self._sheet(rows, number - 1 == active)
        items = "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in self.strings)
        parts["xl/sharedStrings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="{_MAIN_NS}" uniqueCount="{len(self.strings)}">{items}</sst>'
        )
        with zipfile.ZipFile(self.path, "w") as package:
            for name, text in parts.items():
                # A fixed timestamp: the importer recognises a file by its SHA-256, so reruns must match.
                entry = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
                package.writestr(entry, text, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
        return self.path

    def _sheet(self, rows: Iterable[_Row], active: bool) -> str:
        letters = [column_letter(i) for i in range(64)]
        self._last_row, self._width = 1, 1
        body = "".join([self._row(number, cells, bold, letters) for number, cells, bold in rows])
        selected = ' tabSelected="1"' if active else ""
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN_NS}" xmlns:r='
            f'"{_REL_NS}"><dimension ref="A1:{letters[self._width - 1]}{self._last_row}"/><sheetViews><sheetView '
            f'workbookViewId="0"{selected}/></sheetViews><sheetData>{body}</sheetData></worksheet>'
        )

    def _row(self, number: int, cells: list[object], bold: bool, letters: list[str]) -> str:
        self._last_row, self._width = number, max(self._width, len(cells))
        parts = [f'<row r="{number}">']
        strings, text_style = self.strings, ' s="3"' if bold else ""
        for letter, value in zip(letters, cells, strict=False):  # letters outnumber cells
            if value is None:
                continue
            kind = type(value)
            if kind is Decimal:
                parts.append(f'<c r="{letter}{number}" s="{4 if bold else 2}"><v>{value}</v></c>')
            elif kind is date:
                parts.append(f'<c r="{letter}{number}" s="1"><v>{(value - _EPOCH).days}</v></c>')  # type: ignore[operator]
            elif kind is _Formula:
                formula: _Formula = value  # type: ignore[assignment]
                parts.append(
                    f'<c r="{letter}{number}" s="{4 if bold else 2}"><f>{formula.expression}</f>'
                    f"<v>{formula.cached}</v></c>"
                )
            elif kind is int or kind is float:
                parts.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
            elif value != "":
                index = strings.setdefault(str(value), len(strings))
                parts.append(f'<c r="{letter}{number}" t="s"{text_style}><v>{index}</v></c>')
        parts.append("</row>")
        return "".join(parts)

    @staticmethod
    def _content_types(count: int) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT}.worksheet+xml"/>'
            for n in range(1, count + 1)
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats'
            f'.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
            f'formats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>{sheets}'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/><Override PartName='
            f'"/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/></Types>'
        )

    @staticmethod
    def _workbook(names: list[str], active: int) -> str:
        sheets = "".join(
            f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, start=1)
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN_NS}" xmlns:r='
            f'"{_REL_NS}"><bookViews><workbookView activeTab="{active}"/></bookViews><sheets>{sheets}</sheets>'
            f"</workbook>"
        )

    @staticmethod
    def _workbook_rels(count: int) -> str:
        rels = [
            f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, count + 1)
        ]
        rels.append(f'<Relationship Id="rId{count + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>')
        rels.append(f'<Relationship Id="rId{count + 2}" Type="{_REL_NS}/sharedStrings" Target="sharedStrings.xml"/>')
        return f'<Relationships xmlns="{_PKG_NS}">{"".join(rels)}</Relationships>'
