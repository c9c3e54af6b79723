"""What an import of the ERP's due-date schedule reads, asks, finds and reports: plain frozen data."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

# A cell as the readers hand it over: None when empty; numbers, dates and booleans as the spreadsheet typed them.
CellValue = str | int | float | bool | date | datetime | time | timedelta | None


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Field(enum.StrEnum):
    """What a column of the schedule can hold; the value is the name profiles store."""

    REFERENCE = "reference"
    INSTALMENT = "instalment"
    KIND = "kind"
    ISSUE_DATE = "issue_date"
    DUE_DATE = "due_date"
    AMOUNT = "amount"
    PAID = "paid"
    OUTSTANDING = "outstanding"
    STATUS = "status"
    INSTALLATION = "installation"
    HOLDER_NAME = "holder_name"
    HOLDER_TAX_CODE = "holder_tax_code"
    HOLDER_VAT_NUMBER = "holder_vat_number"
    STREET = "street"
    POSTAL_CODE = "postal_code"
    CITY = "city"
    PROVINCE = "province"
    ADMINISTRATOR_NAME = "administrator_name"
    ADMINISTRATOR_TAX_CODE = "administrator_tax_code"
    ADMINISTRATOR_VAT_NUMBER = "administrator_vat_number"
    PEC = "pec"
    EMAIL = "email"
    MOBILE = "mobile"
    NOTES = "notes"


class ImportOutcome(enum.StrEnum):
    APPLIED = "applied"
    CHECKED = "checked"  # a dry run that found no error: applying it would succeed
    REFUSED = "refused"  # errors found: nothing written
    ALREADY_IMPORTED = "already_imported"  # the same file was applied before: nothing to do


@dataclass(frozen=True)
class Issue:
    """One problem found in the file, located as the clerk sees it in Excel."""

    severity: Severity
    file: str
    sheet: str | None
    row: int | None  # the row number Excel shows, title rows counted; None for the whole file
    column: str | None  # the column's header text as written in the file
    column_letter: str | None  # "F"
    value: str | None  # the offending value as text
    message: str  # what is wrong, in Italian, e.g. "data inesistente"

    def describe(self) -> str:
        """One line naming file, sheet, row, column, value and what is wrong."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"foglio «{self.sheet}»")
        if self.row is not None:
            parts.append(f"riga {self.row}")
        if self.column:
            letter = f" ({self.column_letter})" if self.column_letter else ""
            parts.append(f"colonna «{self.column}»{letter}")
        if self.value is not None:
            parts.append(f"valore «{self.value}»")
        return f"{', '.join(parts)}: {self.message}"


@dataclass(frozen=True)
class SheetPreview:
    """The first rows of one sheet as text, and where its header seems to be."""

    name: str
    rows: list[tuple[int, list[str]]]  # (Excel row number, cells as text from column A)
    header_row: int | None  # Excel row number of the detected header, None if none was recognised
    headers: list[str]  # the detected header row's cells ("" where blank)


@dataclass(frozen=True)
class FileOverview:
    """What the wizard shows after a file is picked: its sheets and a first look at each."""

    path: Path
    file_name: str
    kind: str  # "xlsx", "xls", "ods", "csv", …
    sheets: list[SheetPreview]


@dataclass(frozen=True)
class ImportRequest:
    """What to import and how; everything left None is found automatically or taken from the profile."""

    path: Path
    sheet: str | None = None
    header_row: int | None = None  # Excel row number
    # field → header text as written in the file; overrides the profile and the automatic mapping.
    mapping: dict[Field, str] | None = None
    profile: str | None = None
    full_export: bool = False  # the file lists every open credit: report the open ones that are missing
    dry_run: bool = False


@dataclass(frozen=True)
class ImportCounts:
    """How many rows did what."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # rows repeated identically in the file, counted once
    subjects_created: int = 0
    subjects_updated: int = 0
    administrator_changes: int = 0
    missing: int = 0  # open credits not in a full export: reported, never deleted
    errors: int = 0
    warnings: int = 0


@dataclass(frozen=True)
class PreviewRow:
    """One parsed row for the wizard's preview, with what was found wrong with it."""

    row: int
    values: dict[Field, str]
    severity: Severity | None
    messages: list[str]


@dataclass(frozen=True)
class MissingCredit:
    """An open credit of ours that a full export no longer lists."""

    reference: str
    holder_name: str
    due_date: date
    outstanding: Decimal


@dataclass(frozen=True)
class PreviousImport:
    """When and by whom the same file was applied before."""

    import_id: int
    imported_at: datetime
    user_name: str


@dataclass(frozen=True)
class ImportResult:
    """The outcome of one import or dry run."""

    outcome: ImportOutcome
    file_name: str
    sha256: str
    sheet: str | None
    header_row: int | None
    mapping: dict[Field, str]
    counts: ImportCounts
    issues: list[Issue] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    missing: list[MissingCredit] = field(default_factory=list)
    import_id: int | None = None
    previous: PreviousImport | None = None

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity is Severity.WARNING]
