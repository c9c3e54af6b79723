"""What the clerk has chosen so far in the import wizard: plain data the pages share, no Qt."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.services.imports import Field, FileOverview, ImportRequest, ImportResult, ProfileInfo, SheetPreview


@dataclass
class ImportState:
    """The file, sheet, header row, mapping and results of one run of the wizard."""

    creditor_id: int | None = None
    profiles: list[ProfileInfo] = field(default_factory=list)
    profile: ProfileInfo | None = None
    overview: FileOverview | None = None
    full_export: bool = False
    sheet: str | None = None
    header_row: int | None = None
    headers: list[str] = field(default_factory=list)
    mapping: dict[Field, str] = field(default_factory=dict)
    mapped_headers: list[str] | None = None  # the headers ``mapping`` was made for
    check: ImportResult | None = None  # the dry run the preview shows
    result: ImportResult | None = None  # the import that was applied

    @property
    def path(self) -> Path | None:
        """The file being imported, once it has been read."""
        return self.overview.path if self.overview else None

    def forget_choices(self) -> None:
        """Drop sheet, header and mapping so the next pages propose them afresh (new file or profile)."""
        self.sheet, self.header_row, self.headers = None, None, []
        self.mapping, self.mapped_headers = {}, None
        self.check = self.result = None

    def sheet_preview(self) -> SheetPreview | None:
        """The chosen sheet's first rows."""
        if self.overview is None:
            return None
        return next((sheet for sheet in self.overview.sheets if sheet.name == self.sheet), None)

    def request(self, *, dry_run: bool) -> ImportRequest:
        """The service request for the current choices; every field is named so the automatic mapping adds nothing."""
        if self.overview is None:
            raise RuntimeError("no file chosen")
        return ImportRequest(
            path=self.overview.path,
            sheet=self.sheet,
            header_row=self.header_row,
            mapping={field: self.mapping.get(field, "") for field in Field},
            profile=self.profile.name if self.profile else None,
            full_export=self.full_export,
            dry_run=dry_run,
        )


def headers_of(sheet: SheetPreview, row: int | None) -> list[str]:
    """The texts of row ``row`` of the sheet's preview, as the header; empty if the row is not shown."""
    if row is None:
        return []
    if row == sheet.header_row:
        return list(sheet.headers)
    return next(([cell.strip() for cell in cells] for number, cells in sheet.rows if number == row), [])


def first_data_row(sheet: SheetPreview, header_row: int | None) -> list[str]:
    """The first non-blank row below the header, as an example of what each column holds."""
    if header_row is None:
        return []
    return next((cells for number, cells in sheet.rows if number > header_row and any(c.strip() for c in cells)), [])
