"""Reading, checking and applying the ERP's due-date schedule (scadenziario)."""

from app.services.imports.profiles import (
    ProfileInfo,
    delete_profile,
    last_used_profile,
    list_profiles,
    save_profile,
)
from app.services.imports.report import export_report
from app.services.imports.schedule import import_schedule, inspect_file, suggest_mapping
from app.services.imports.types import (
    Field,
    FileOverview,
    ImportCounts,
    ImportOutcome,
    ImportRequest,
    ImportResult,
    Issue,
    MissingCredit,
    PreviewRow,
    Severity,
    SheetPreview,
)

__all__ = [
    "Field",
    "FileOverview",
    "ImportCounts",
    "ImportOutcome",
    "ImportRequest",
    "ImportResult",
    "Issue",
    "MissingCredit",
    "PreviewRow",
    "ProfileInfo",
    "Severity",
    "SheetPreview",
    "delete_profile",
    "export_report",
    "import_schedule",
    "inspect_file",
    "last_used_profile",
    "list_profiles",
    "save_profile",
    "suggest_mapping",
]
