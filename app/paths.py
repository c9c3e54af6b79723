"""Where CreditDesk keeps its settings, data and logs (platformdirs), overridable with CREDITDESK_HOME."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "CreditDesk"


def _home() -> Path | None:
    home = os.environ.get("CREDITDESK_HOME")
    return Path(home).expanduser() if home else None


def config_dir() -> Path:
    """The folder of the settings file."""
    home = _home()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The folder of the embedded database and, by default, of the archive."""
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The folder of the rotating log files."""
    home = _home()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    """The embedded SQLite database file."""
    return data_dir() / "creditdesk.sqlite3"
