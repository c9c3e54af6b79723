"""Every setting CreditDesk knows, read from and written to one TOML file; secrets never go here."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy.engine import make_url

from app import paths
from app.services.errors import InvalidInput

SETTINGS_FILE = "settings.toml"
LANGUAGES = ("it", "en")


@dataclass
class Settings:
    """The user's settings, with defaults for everything not in the file."""

    database_url: str | None = None
    archive_folder: str | None = None
    default_creditor: str | None = None
    language: str = "it"
    # Databases whose clerk said no to the demo data: an empty production database is not asked again.
    demo_declined: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def archive_path(self) -> Path:
        """The archive folder, by default under the data folder."""
        return Path(self.archive_folder).expanduser() if self.archive_folder else paths.data_dir() / "archive"

    def effective_database_url(self, override: str | None = None) -> str:
        """The database to use: ``--db``, then ``CREDITDESK_DB``, then the settings file, then embedded SQLite."""
        for candidate in (override, os.environ.get("CREDITDESK_DB"), self.database_url):
            if candidate:
                return candidate
        return f"sqlite:///{paths.default_database_path()}"


def settings_path() -> Path:
    """The settings file."""
    return paths.config_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file; a missing file gives the defaults, a broken one a clear error."""
    path = path or settings_path()
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"Il file delle impostazioni {path} non è leggibile: {exc}") from exc
    database = data.pop("database", {})
    archive = data.pop("archive", {})
    creditor = data.pop("creditor", {})
    ui = data.pop("ui", {})
    demo = data.pop("demo", {})
    language = ui.get("language", "it")
    return Settings(
        database_url=database.get("url"),
        archive_folder=archive.get("folder"),
        default_creditor=creditor.get("default"),
        language=language if language in LANGUAGES else "it",
        demo_declined=[str(url) for url in demo.get("declined", [])],
        extra=data,
    )


def without_password(url: str) -> str:
    """``url`` with any password taken out: the form in which a database URL may be written down."""
    parsed = make_url(url)
    return parsed._replace(password=None).render_as_string() if parsed.password else url


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings file atomically; refuses a database URL that carries a password."""
    if settings.database_url and make_url(settings.database_url).password:
        raise InvalidInput(
            "L'indirizzo del database non può contenere la password: viene salvata nel portachiavi del sistema."
        )
    path = path or settings_path()
    data: dict[str, Any] = dict(settings.extra)
    if settings.database_url:
        data["database"] = {"url": settings.database_url}
    if settings.archive_folder:
        data["archive"] = {"folder": settings.archive_folder}
    if settings.default_creditor:
        data["creditor"] = {"default": settings.default_creditor}
    data["ui"] = {"language": settings.language}
    if settings.demo_declined:
        data["demo"] = {"declined": [without_password(url) for url in settings.demo_declined]}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(tomli_w.dumps(data), encoding="utf-8")
    temporary.replace(path)
