"""Settings live in one TOML file with defaults; passwords only in the keyring; --db beats CREDITDESK_DB."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import cast

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring
from sqlalchemy.engine import make_url

from app import bootstrap, paths
from app.services.database import Database
from app.services.errors import InvalidInput
from app.services.secrets import (
    SERVICE,
    KeyringUnavailable,
    database_secret_name,
    delete_secret,
    get_secret,
    set_secret,
)
from app.settings import Settings, load_settings, save_settings, settings_path


def test_folders_follow_creditdesk_home(isolated_home: Path) -> None:
    assert settings_path() == isolated_home / "config" / "settings.toml"
    assert paths.default_database_path() == isolated_home / "data" / "creditdesk.sqlite3"
    assert paths.log_dir() == isolated_home / "logs"


def test_without_a_file_every_setting_has_its_default(isolated_home: Path) -> None:
    settings = load_settings()

    assert settings == Settings()
    assert settings.language == "it"
    assert settings.archive_path == isolated_home / "data" / "archive"
    assert settings.effective_database_url() == f"sqlite:///{isolated_home / 'data' / 'creditdesk.sqlite3'}"
    assert not settings_path().exists()  # reading never creates the file


def test_settings_round_trip_through_toml() -> None:
    settings = Settings(
        database_url="postgresql://impiegato@db.consorzio.local:5433/creditdesk",
        archive_folder="/srv/archivio crediti",
        default_creditor="Co.Sm.An",
        language="en",
        extra={"mail": {"smtp_host": "smtp.example.it", "port": 587}},
    )

    save_settings(settings)

    assert load_settings() == settings
    written = tomllib.loads(settings_path().read_text(encoding="utf-8"))
    assert written["database"] == {"url": "postgresql://impiegato@db.consorzio.local:5433/creditdesk"}
    assert written["archive"] == {"folder": "/srv/archivio crediti"}
    assert written["creditor"] == {"default": "Co.Sm.An"}
    assert written["mail"] == {"smtp_host": "smtp.example.it", "port": 587}
    assert not settings_path().with_suffix(".tmp").exists()


def test_settings_can_live_in_another_file(tmp_path: Path) -> None:
    path = tmp_path / "altrove" / "impostazioni.toml"

    save_settings(Settings(default_creditor="Tree"), path)

    assert load_settings(path).default_creditor == "Tree"
    assert not settings_path().exists()


def test_an_unknown_language_falls_back_to_italian() -> None:
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text('[ui]\nlanguage = "klingon"\n', encoding="utf-8")

    assert load_settings().language == "it"


def test_a_broken_file_is_explained() -> None:
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text("[database\nurl = ", encoding="utf-8")

    with pytest.raises(InvalidInput, match="non è leggibile") as raised:
        load_settings()
    assert str(settings_path()) in str(raised.value)


def test_database_choice_precedence(monkeypatch: pytest.MonkeyPatch, isolated_home: Path) -> None:
    in_file = Settings(database_url="postgresql://impiegato@file-host/creditdesk")
    default = f"sqlite:///{isolated_home / 'data' / 'creditdesk.sqlite3'}"

    # the settings file beats the default
    assert Settings().effective_database_url() == default
    assert in_file.effective_database_url() == "postgresql://impiegato@file-host/creditdesk"
    # CREDITDESK_DB beats the file
    monkeypatch.setenv("CREDITDESK_DB", "postgresql://impiegato@env-host/creditdesk")
    assert in_file.effective_database_url() == "postgresql://impiegato@env-host/creditdesk"
    assert Settings().effective_database_url() == "postgresql://impiegato@env-host/creditdesk"
    # --db beats everything
    assert in_file.effective_database_url("sqlite:////tmp/prova.sqlite3") == "sqlite:////tmp/prova.sqlite3"
    # an empty variable counts as unset
    monkeypatch.setenv("CREDITDESK_DB", "")
    assert in_file.effective_database_url() == "postgresql://impiegato@file-host/creditdesk"


def test_open_context_uses_creditdesk_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    chosen = tmp_path / "scelto.sqlite3"
    save_settings(Settings(database_url=f"sqlite:///{tmp_path / 'dal-file.sqlite3'}"))
    monkeypatch.setenv("CREDITDESK_DB", f"sqlite:///{chosen}")

    context = bootstrap.open_context()
    context.db.dispose()

    assert chosen.exists()
    assert not (tmp_path / "dal-file.sqlite3").exists()


def test_a_database_url_with_a_password_is_never_written() -> None:
    with pytest.raises(InvalidInput, match="non può contenere la password"):
        save_settings(Settings(database_url="postgresql://impiegato:segreta@db/creditdesk"))

    assert not settings_path().exists()


# Secrets


def test_secrets_round_trip_through_the_keyring() -> None:
    assert get_secret("smtp:consorzio") is None

    set_secret("smtp:consorzio", "s3greta")
    assert get_secret("smtp:consorzio") == "s3greta"
    assert keyring.get_password(SERVICE, "smtp:consorzio") == "s3greta"

    delete_secret("smtp:consorzio")
    assert get_secret("smtp:consorzio") is None
    delete_secret("smtp:consorzio")  # forgetting twice is fine


def test_the_database_password_entry_names_user_server_and_database() -> None:
    url = make_url("postgresql://impiegato@db.consorzio.local:5433/creditdesk")

    assert database_secret_name(url) == "db:impiegato@db.consorzio.local:5433/creditdesk"
    assert (
        database_secret_name(make_url("postgresql://impiegato@/creditdesk")) == "db:impiegato@localhost:5432/creditdesk"
    )


def test_connect_takes_the_postgresql_password_from_the_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql://impiegato@db.consorzio.local:5433/creditdesk"
    set_secret(database_secret_name(make_url(url)), "s3greta")
    calls: list[tuple[str, str | None]] = []

    def fake_open(url: str, *, password: str | None = None) -> Database:
        calls.append((url, password))
        return cast(Database, object())

    monkeypatch.setattr(bootstrap.database, "open_database", fake_open)

    bootstrap.connect(url)
    bootstrap.connect("postgresql://altro@db.consorzio.local:5433/creditdesk")  # no entry for this user
    bootstrap.connect("sqlite:////tmp/locale.sqlite3")

    assert calls == [
        (url, "s3greta"),
        ("postgresql://altro@db.consorzio.local:5433/creditdesk", None),
        ("sqlite:////tmp/locale.sqlite3", None),
    ]


def test_without_a_keyring_secrets_cannot_be_saved_and_read_as_missing() -> None:
    keyring.set_keyring(NoKeyring())

    with pytest.raises(KeyringUnavailable, match="Nessun portachiavi del sistema disponibile"):
        set_secret("smtp:consorzio", "s3greta")
    assert get_secret("smtp:consorzio") is None
    delete_secret("smtp:consorzio")


def test_a_password_never_reaches_the_settings_file() -> None:
    set_secret("db:impiegato@db:5432/creditdesk", "s3greta")

    save_settings(Settings(database_url="postgresql://impiegato@db/creditdesk"))

    assert "s3greta" not in settings_path().read_text(encoding="utf-8")


def test_declined_demo_databases_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    save_settings(Settings(demo_declined=["sqlite:////dati/creditdesk.sqlite3"]), path)
    assert load_settings(path).demo_declined == ["sqlite:////dati/creditdesk.sqlite3"]


def test_a_declined_demo_never_writes_a_database_password(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    save_settings(Settings(demo_declined=["postgresql://clerk:S3cret@db.example/crediti"]), path)
    assert "S3cret" not in path.read_text(encoding="utf-8")
    assert load_settings(path).demo_declined == ["postgresql://clerk@db.example/crediti"]
