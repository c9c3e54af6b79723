"""Which row of a sheet is the header, and which column holds which field, from the names ERPs give them."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from app.services.imports.types import CellValue, Field

# How Italian ERPs (and a few English ones) title each column; compared without case, accents or punctuation.
SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.REFERENCE: (
        "N. Fattura", "Numero fattura", "Num. fattura", "Nr. fattura", "N. doc.", "Num. doc.", "Nr. doc.",
        "Numero documento", "N. documento", "Num. documento", "Documento", "Rif.", "Riferimento", "Protocollo",
        "N. partita", "Partita", "Invoice no.", "Invoice number", "Invoice", "Document no.", "Reference",
    ),
    Field.INSTALMENT: ("Rata", "N. rata", "Num. rata", "Nr. rata", "Numero rata", "Instalment", "Installment"),
    Field.KIND: ("Tipo doc.", "Tipo documento", "Tipo", "Document type", "Type"),
    Field.ISSUE_DATE: (
        "Data fattura", "Data doc.", "Data documento", "Data emissione", "Data reg.", "Data registrazione",
        "Invoice date", "Document date", "Issue date",
    ),
    Field.DUE_DATE: ("Scadenza", "Data scad.", "Data scadenza", "Scad.", "Scadenza rata", "Due date", "Due"),
    Field.AMOUNT: (
        "Importo", "Importo rata", "Imp. rata", "Importo fattura", "Importo documento", "Totale documento",
        "Tot. documento", "Importo scadenza", "Amount", "Total", "Invoice amount",
    ),
    Field.PAID: ("Pagato", "Importo pagato", "Incassato", "Importo incassato", "Paid", "Amount paid"),
    Field.OUTSTANDING: (
        "Residuo", "Importo residuo", "Saldo", "Da pagare", "Scoperto", "Residuo da incassare", "Balance",
        "Outstanding", "Open amount",
    ),
    Field.STATUS: ("Stato", "Stato pagamento", "Stato partita", "Stato scadenza", "Status"),
    Field.INSTALLATION: (
        "Impianto", "Cod. impianto", "Codice impianto", "Matricola", "Polizza", "N. polizza", "Num. polizza",
        "Installation", "Policy", "Policy no.",
    ),
    Field.HOLDER_NAME: (
        "Ragione sociale", "Cliente", "Intestatario", "Denominazione", "Nominativo", "Debitore", "Condominio",
        "Rag. sociale", "Customer", "Customer name", "Name", "Debtor",
    ),
    Field.HOLDER_TAX_CODE: (
        "Cod. Fiscale", "Codice fiscale", "C.F.", "CF", "Cod. fisc.", "Codice fiscale cliente", "Tax code",
        "Fiscal code",
    ),
    Field.HOLDER_VAT_NUMBER: ("P. IVA", "Partita IVA", "P.IVA", "PIVA", "Part. IVA", "VAT", "VAT number", "VAT no."),
    Field.STREET: ("Indirizzo", "Via", "Indirizzo cliente", "Address", "Street"),
    Field.POSTAL_CODE: ("CAP", "C.A.P.", "Postal code", "ZIP", "ZIP code", "Post code"),
    Field.CITY: ("Città", "Comune", "Località", "City", "Town"),
    Field.PROVINCE: ("Provincia", "Prov.", "Pr.", "Province"),
    Field.ADMINISTRATOR_NAME: (
        "Amministratore", "Amministratore condominio", "Amm.re", "Amm.re condominio", "Amministratore cond.",
        "Administrator", "Property manager", "Building manager",
    ),
    Field.ADMINISTRATOR_TAX_CODE: (
        "C.F. Amministratore", "Cod. fiscale amministratore", "Codice fiscale amministratore", "CF amministratore",
        "CF amm.re", "C.F. amm.re", "Administrator tax code", "Manager tax code",
    ),
    Field.ADMINISTRATOR_VAT_NUMBER: (
        "P. IVA Amministratore", "Partita IVA amministratore", "P.IVA amministratore", "Administrator VAT number",
    ),
    Field.PEC: ("PEC", "Indirizzo PEC", "E-mail PEC", "Email PEC", "Certified email", "Certified e-mail"),
    Field.EMAIL: ("Email", "E-mail", "Mail", "Indirizzo email", "Indirizzo e-mail", "Email address"),
    Field.MOBILE: (
        "Cellulare", "Cell.", "Telefono cellulare", "Tel. cellulare", "Cellulare amministratore", "Mobile", "Tel.",
        "Telefono", "Phone", "Mobile phone",
    ),
    Field.NOTES: ("Note", "Annotazioni", "Notes"),
}  # fmt: skip

# A schedule without these cannot make a credit; the amount may come as Residuo alone.
REQUIRED = (Field.REFERENCE, Field.HOLDER_NAME, Field.DUE_DATE)
AMOUNT_FIELDS = (Field.AMOUNT, Field.OUTSTANDING)
HEADER_SEARCH_ROWS = 50
_MIN_MATCHES = 3
_NOT_WORD = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=65_536)
def normalise(header: str) -> str:
    """A header reduced to lower-case letters and digits, accents removed: "N. Fattura" → "nfattura"."""
    if header.isascii():
        return _NOT_WORD.sub("", header.lower())
    decomposed = unicodedata.normalize("NFKD", header.casefold())
    return _NOT_WORD.sub("", "".join(char for char in decomposed if not unicodedata.combining(char)))


_LOOKUP: dict[str, Field] = {normalise(name): field for field, names in SYNONYMS.items() for name in names}


def field_for(header: str) -> Field | None:
    """The field a header names, if it is one of the known synonyms."""
    return _LOOKUP.get(normalise(header))


def header_texts(cells: Sequence[CellValue]) -> list[str]:
    """A header row's cells as text ("" where blank), trimmed."""
    return ["" if cell is None else str(cell).strip() for cell in cells]


def header_score(cells: Sequence[CellValue]) -> int:
    """How many distinct fields a row's cells name: the header row names the most."""
    return len({field for cell in cells if type(cell) is str and (field := field_for(cell)) is not None})


def find_header_row(rows: Iterable[tuple[int, Sequence[CellValue]]]) -> int | None:
    """The Excel row number of the first row naming the most fields (at least three), or None."""
    best_row, best_score = None, _MIN_MATCHES - 1
    for row_number, cells in rows:
        score = header_score(cells)
        if score > best_score:
            best_row, best_score = row_number, score
    return best_row


def automatic_mapping(headers: Sequence[str]) -> dict[Field, str]:
    """field → header for every header recognised; the first column wins when two name the same field."""
    mapping: dict[Field, str] = {}
    for header in headers:
        field = field_for(header) if header else None
        if field is not None and field not in mapping:
            mapping[field] = header
    return mapping


def resolve_mapping(
    headers: Sequence[str], *overrides: Mapping[Field, str] | None
) -> tuple[dict[Field, int], list[str]]:
    """Field → column index, the automatic mapping overlaid by each override in turn (later ones win).

    Returns the columns and, for each override header the file does not have, a message naming it. An
    override to the empty string removes the field.
    """
    positions = {normalise(header): index for index, header in reversed(list(enumerate(headers))) if header}
    chosen = automatic_mapping(headers)
    problems: list[str] = []
    for override in overrides:
        for field, header in (override or {}).items():
            if not header:
                chosen.pop(field, None)
            elif normalise(header) in positions:
                chosen[field] = header
            else:
                chosen.pop(field, None)
                problems.append(f"la colonna «{header}» indicata nel profilo non c'è nel file")
    return {field: positions[normalise(header)] for field, header in chosen.items()}, problems


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
