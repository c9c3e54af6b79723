"""Passwords and tokens, kept only in the operating system's keyring."""

from __future__ import annotations

import contextlib

import keyring
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError
from sqlalchemy.engine import URL

from app.services.errors import CreditDeskError

SERVICE = "CreditDesk"


class KeyringUnavailable(CreditDeskError):
    """No usable keyring on this computer."""


def database_secret_name(url: URL) -> str:
    """The keyring entry that holds the password of a database user."""
    return f"db:{url.username}@{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def get_secret(name: str) -> str | None:
    """The secret stored under ``name``, or None if there is none (or no keyring at all)."""
    try:
        return keyring.get_password(SERVICE, name)
    except (NoKeyringError, KeyringError):
        return None


def set_secret(name: str, value: str) -> None:
    """Store a secret in the keyring; raise a clear error where no keyring is available."""
    try:
        keyring.set_password(SERVICE, name, value)
    except (NoKeyringError, KeyringError) as exc:
        raise KeyringUnavailable(
            f"Nessun portachiavi del sistema disponibile: la password non può essere salvata. Dettaglio: {exc}"
        ) from exc


def delete_secret(name: str) -> None:
    """Forget a secret; forgetting one that is not there is not an error."""
    with contextlib.suppress(PasswordDeleteError, NoKeyringError, KeyringError):
        keyring.delete_password(SERVICE, name)
