"""Opening the database: SQLite pragmas and write locking, refusals with reasons, the unit of work."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, inspect, select, text
from sqlalchemy.exc import OperationalError

from app.models import Creditor
from app.services import database as database_module
from app.services.database import (
    Database,
    current_revision,
    head_revision,
    is_network_path,
    open_database,
    read_session,
    sqlite_url,
    upgrade,
)
from app.services.errors import DatabaseTooNew, DatabaseUnavailable, NetworkShareRefused
from app.services.unit_of_work import UnitOfWork
from tests.conftest import require_postgresql


@pytest.fixture
def sqlite_file(tmp_path: Path, sqlite_template: Path) -> Path:
    """A migrated SQLite file that the test may open as many times as it likes."""
    path = tmp_path / "shared.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return path


@pytest.fixture
def opened() -> Iterator[list[Database]]:
    """Databases a test opens, disposed at the end even when it fails."""
    databases: list[Database] = []
    yield databases
    for db in databases:
        db.dispose()


def _open(opened: list[Database], path: Path, busy_timeout_ms: int | None = None) -> Database:
    """Open ``path`` as a separate process would: its own engine and connections."""
    db = open_database(sqlite_url(path))
    if busy_timeout_ms is not None:
        _set_busy_timeout(db.engine, busy_timeout_ms)
    opened.append(db)
    return db


def _set_busy_timeout(engine: Engine, milliseconds: int) -> None:
    @event.listens_for(engine, "connect")
    def _short_wait(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA busy_timeout = {milliseconds}")

    engine.dispose()  # the connection opened to check the file was made before this hook


def _creditor_names(db: Database) -> list[str]:
    with read_session(db) as session:
        return list(session.scalars(select(Creditor.name).order_by(Creditor.name)))


# SQLite


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(sqlite_file: Path, opened: list[Database]) -> None:
    db = _open(opened, sqlite_file)

    with read_session(db) as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == 30000


def test_a_write_unit_of_work_takes_the_write_lock_when_it_begins(sqlite_file: Path, opened: list[Database]) -> None:
    first = _open(opened, sqlite_file)
    second = _open(opened, sqlite_file, busy_timeout_ms=200)

    with UnitOfWork(first) as holder:
        # GIVEN a write unit of work that has only read so far
        holder.session.scalar(select(func.count(Creditor.id)))

        # THEN it already holds the write lock: another writer cannot even begin...
        started = time.monotonic()
        with UnitOfWork(second) as other, pytest.raises(OperationalError, match="database is locked"):
            other.session.scalar(select(func.count(Creditor.id)))
        assert time.monotonic() - started >= 0.15  # ...after waiting its busy timeout, not failing at once

        # ...while readers still read (WAL)
        assert _creditor_names(second) == []


def test_a_second_writer_waits_for_the_first_then_succeeds(sqlite_file: Path, opened: list[Database]) -> None:
    first = _open(opened, sqlite_file)
    second = _open(opened, sqlite_file)  # the default 30 s busy timeout
    outcome: dict[str, object] = {}

    def write_from_another_process() -> None:
        try:
            with UnitOfWork(second) as uow:
                # read, then write: exactly the upgrade that fails with "database is locked" when deferred
                count = uow.session.scalar(select(func.count(Creditor.id)))
                uow.session.add(Creditor(name=f"Secondo (dopo {count})"))
                uow.commit()
            outcome["done"] = time.monotonic()
        except Exception as exc:  # reported to the test thread below
            outcome["error"] = exc

    with UnitOfWork(first) as uow:
        # GIVEN a writer holding the lock
        uow.session.scalar(select(func.count(Creditor.id)))
        uow.session.add(Creditor(name="Primo"))
        uow.session.flush()
        # WHEN another writer starts
        writer = threading.Thread(target=write_from_another_process)
        writer.start()
        time.sleep(0.5)
        # THEN it waits instead of failing
        assert writer.is_alive() and not outcome
        committed_at = time.monotonic()
        uow.commit()
    writer.join(timeout=20)

    assert "error" not in outcome, outcome.get("error")
    assert float(outcome["done"]) >= committed_at  # type: ignore[arg-type]
    # AND it read the first writer's row before writing its own
    assert _creditor_names(first) == ["Primo", "Secondo (dopo 1)"]


def test_without_immediate_a_read_then_write_transaction_fails(sqlite_file: Path, opened: list[Database]) -> None:
    """Why write sessions begin IMMEDIATE: a deferred transaction cannot upgrade a stale read to a write."""
    db = _open(opened, sqlite_file)
    deferred = sqlite3.connect(sqlite_file, isolation_level=None, timeout=5)
    try:
        deferred.execute("BEGIN")  # what a plain session does
        deferred.execute("SELECT count(*) FROM creditor").fetchone()
        with UnitOfWork(db) as uow:  # another process writes meanwhile
            uow.session.add(Creditor(name="Altro processo"))
            uow.commit()
        started = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            deferred.execute(
                "INSERT INTO creditor (name, notice_kind, created_at, updated_at) "
                "VALUES ('Perso', 'mav', '2026-01-01', '2026-01-01')"
            )
        assert time.monotonic() - started < 4  # at once: waiting could not help
    finally:
        deferred.close()


def test_read_sessions_never_keep_changes(sqlite_file: Path, opened: list[Database]) -> None:
    db = _open(opened, sqlite_file)

    with read_session(db) as session:
        session.add(Creditor(name="Mai salvato"))
        session.flush()

    assert _creditor_names(db) == []


def test_a_unit_of_work_commits_only_when_told(db: Database) -> None:
    with UnitOfWork(db) as uow:
        uow.session.add(Creditor(name="Scartato"))
        uow.session.flush()
    with UnitOfWork(db) as uow:
        uow.session.add(Creditor(name="Salvato"))
        uow.commit()
    with pytest.raises(RuntimeError), UnitOfWork(db) as uow:
        uow.session.add(Creditor(name="Interrotto"))
        uow.session.flush()
        raise RuntimeError("boom")

    assert _creditor_names(db) == ["Salvato"]
    with pytest.raises(RuntimeError, match="not open"):
        _ = uow.session


# Databases written by a newer CreditDesk


def test_a_database_from_a_newer_version_is_refused_and_left_alone(db: Database) -> None:
    # GIVEN a database a newer CreditDesk has upgraded to a revision this code does not know
    with UnitOfWork(db) as uow:
        uow.session.add(Creditor(name="Tree Ascensori"))
        uow.commit()
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe0099'"))
    tables_before = sorted(inspect(db.engine).get_table_names())
    try:
        # WHEN this version tries to upgrade it
        with pytest.raises(DatabaseTooNew) as raised:
            upgrade(db)

        # THEN it says so and touches nothing
        message = str(raised.value)
        assert "f00dcafe0099" in message
        assert "versione più recente" in message
        assert current_revision(db) == "f00dcafe0099"
        assert sorted(inspect(db.engine).get_table_names()) == tables_before
        assert _creditor_names(db) == ["Tree Ascensori"]
    finally:
        with db.engine.begin() as connection:  # the PostgreSQL test database is shared by later tests
            connection.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head_revision()})


def test_a_database_at_head_is_upgraded_without_complaint(db: Database) -> None:
    upgrade(db)

    assert current_revision(db) == head_revision()


# PostgreSQL unreachable or misconfigured


def _unused_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_postgresql_says_where_and_what_to_check() -> None:
    port = _unused_loopback_port()
    started = time.monotonic()

    with pytest.raises(DatabaseUnavailable) as raised:
        open_database(f"postgresql://impiegato@127.0.0.1:{port}/creditdesk")

    message = str(raised.value)
    assert f"127.0.0.1:{port}" in message
    assert "database 'creditdesk'" in message and "utente 'impiegato'" in message
    assert "Controllare che il server sia acceso e raggiungibile" in message
    assert "pg_hba.conf" in message
    assert time.monotonic() - started < 9  # refused at once, not after the connect timeout


def test_a_missing_postgresql_database_is_explained(postgresql_url: str | None) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(require_postgresql(postgresql_url)).set(database="creditdesk_does_not_exist")

    with pytest.raises(DatabaseUnavailable) as raised:
        open_database(url.render_as_string(hide_password=False))

    assert "database 'creditdesk_does_not_exist'" in str(raised.value)
    assert "creditdesk_does_not_exist" in str(raised.value).split("Dettaglio tecnico:")[1]


def test_an_unsupported_database_is_refused() -> None:
    with pytest.raises(DatabaseUnavailable, match="Database non supportato: 'mysql'"):
        open_database("mysql://utente@localhost/creditdesk")


def test_describe_names_file_or_server(sqlite_file: Path, opened: list[Database], db: Database) -> None:
    assert _open(opened, sqlite_file).describe() == f"SQLite: {sqlite_file}"
    if db.dialect == "postgresql":
        assert db.describe() == f"PostgreSQL: {db.url.host}:{db.url.port}/{db.url.database}"


# Network shares

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
nas:/export/office /mnt/office nfs4 rw,relatime,vers=4.2 0 0
//fileserver/dati /srv/dati cifs rw,relatime,vers=3.0 0 0
/dev/sdb1 /srv/dati/locale ext4 rw,relatime 0 0
nas:/old /mnt/old\\040share nfs rw 0 0
user@host:/home /mnt/ssh fuse.sshfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "network"),
    [
        ("/mnt/office/creditdesk.sqlite3", True),  # NFS
        ("/mnt/office", True),
        ("/srv/dati/crediti/db.sqlite3", True),  # SMB/CIFS
        (
            "/srv/dati/locale/db.sqlite3",
            False,
        ),  # a local disk mounted inside the share: the longest mount wins
        ("/mnt/old share/db.sqlite3", True),  # a mount point with a space, escaped in /proc/mounts
        ("/mnt/ssh/db.sqlite3", True),
        ("/mnt/officer/db.sqlite3", False),  # a sibling whose name merely starts the same
        ("/home/clerk/db.sqlite3", False),
    ],
)
def test_network_paths_are_recognised_from_the_mount_table(path: str, network: bool) -> None:
    assert is_network_path(Path(path), mounts=MOUNTS) is network


@pytest.mark.parametrize("path", ["//fileserver/dati/db.sqlite3", "\\\\fileserver\\dati\\db.sqlite3"])
def test_unc_paths_are_network_paths(path: str) -> None:
    assert is_network_path(Path(path), mounts="") is True


def test_a_local_temporary_folder_is_not_a_network_path(tmp_path: Path) -> None:
    assert is_network_path(tmp_path) is False


def test_a_sqlite_file_on_a_network_share_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Path] = []

    def on_a_share(path: Path, mounts: str | None = None) -> bool:
        seen.append(path)
        return True

    monkeypatch.setattr(database_module, "is_network_path", on_a_share)
    folder = tmp_path / "condivisa"

    with pytest.raises(NetworkShareRefused) as raised:
        open_database(sqlite_url(folder / "creditdesk.sqlite3"))

    message = str(raised.value)
    assert str(folder / "creditdesk.sqlite3") in message
    assert "cartella di rete" in message and "PostgreSQL" in message
    assert seen and not folder.exists()  # refused before anything was created
