"""The refusals a clerk reads when a file cannot be opened: what is wrong, where, and what to do."""

from __future__ import annotations

from app.services.errors import UnreadableFile
from app.services.imports.source_limits import MAX_CELL_CHARS, MAX_DATA_ROWS, MAX_FILE_BYTES, MAX_UNCOMPRESSED_BYTES


def thousands(number: int) -> str:
    """``number`` with Italian thousands separators: 250000 → "250.000"."""
    return f"{number:,}".replace(",", ".")


def column_letter(index: int) -> str:
    """The column letters Excel shows for a 0-based column index: 0 → "A", 27 → "AB"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


NOT_SPREADSHEET = (
    "non è un foglio di calcolo né un file CSV leggibile: esportare lo scadenziario dal gestionale in formato "
    "Excel (.xlsx) o CSV e riprovare"
)
EMPTY = "è vuoto: esportare di nuovo lo scadenziario dal gestionale e riprovare"
PASSWORD = "è protetto da password: salvarlo senza password e riprovare"
DAMAGED = "è danneggiato o incompleto e non si riesce a leggere: aprirlo in Excel, salvarlo di nuovo e riprovare"
WEB_PAGE = (
    "è una pagina web (HTML) o un file XML salvato con il nome di un foglio di calcolo: aprirlo in Excel, "
    "salvarlo come cartella di lavoro Excel (.xlsx) e riprovare"
)
XML_DECLARATIONS = (
    "contiene dichiarazioni XML (DOCTYPE o ENTITY) che un foglio di calcolo non usa e che possono bloccare il "
    "programma, quindi non viene aperto: aprirlo in Excel, salvarlo di nuovo come .xlsx e riprovare"
)
XML_ENCODING = (
    "contiene parti XML in una codifica che Excel non usa, quindi non viene aperto: aprirlo in Excel, salvarlo "
    "di nuovo come .xlsx e riprovare"
)
BOMB = (
    f"una volta decompresso occuperebbe più di {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB o è compresso in modo "
    "anomalo, quindi non viene aperto: esportare di nuovo lo scadenziario dal gestionale e riprovare"
)
TOO_BIG = f"supera i {MAX_FILE_BYTES // (1024 * 1024)} MB: dividerlo in più file e riprovare"
NO_DELIMITER = (
    "non ha un separatore di colonne riconoscibile (punto e virgola, virgola o tabulazione): esportarlo di nuovo "
    "dal gestionale in formato CSV o Excel e riprovare"
)
TOO_MANY_ROWS = f"il foglio ha più di {thousands(MAX_DATA_ROWS)} righe: dividerlo in più file"
CELL_TOO_LONG = (
    f"la cella contiene più di {thousands(MAX_CELL_CHARS)} caratteri, il massimo di Excel: accorciarla e riprovare"
)


def too_sparse(last_row: int, last_column: int) -> str:
    """The problem of a sheet whose used cells span a rectangle too large to hold in memory."""
    return (
        f"il foglio usa celle troppo distanti tra loro (fino alla riga {thousands(last_row)} e alla colonna "
        f"{column_letter(last_column - 1)}): copiare i soli dati in un foglio nuovo e riprovare"
    )


def no_sheet(sheet: str) -> str:
    """The predicate for a sheet name the file does not have."""
    return f"non ha un foglio «{sheet}»: sceglierne uno tra quelli elencati"


def cannot_open(error: OSError) -> str:
    """The predicate for a file the system will not let us read (missing, locked, no permission)."""
    reason = f" ({error.strerror})" if error.strerror else ""
    return (
        f"non si riesce ad aprire{reason}: controllare che esista e che non sia aperto in un altro programma, "
        "poi riprovare"
    )


def file_refusal(file_name: str, predicate: str) -> UnreadableFile:
    """An UnreadableFile about the file as a whole: "Il file «x» <predicate>."."""
    return UnreadableFile(f"Il file «{file_name}» {predicate}.")


def place_refusal(
    file_name: str,
    problem: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    column: int | None = None,
) -> UnreadableFile:
    """An UnreadableFile naming file, sheet, Excel row and column letter (``column`` 0-based), then the problem."""
    parts = [f"Il file «{file_name}»"]
    if sheet is not None:
        parts.append(f"foglio «{sheet}»")
    if row is not None:
        parts.append(f"riga {row}")
    if column is not None:
        parts.append(f"colonna {column_letter(column)}")
    return UnreadableFile(f"{', '.join(parts)}: {problem}.")
