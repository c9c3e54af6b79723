"""Opening the database: SQLite embedded by default or a shared PostgreSQL, upgraded to the code's schema."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.services.errors import DatabaseTooNew, DatabaseUnavailable, NetworkShareRefused

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "afs",
        "ncpfs",
        "9p",
        "fuse.sshfs",
        "davfs",
        "ceph",
    }
)
_WRITE_OPTION = "creditdesk_write"
_UPGRADE_LOCK = 0x4352_4544  # "CRED": an application-chosen key for PostgreSQL's advisory lock


@dataclass
class Database:
    """An open database: the engine, a factory of read sessions and one of write sessions."""

    engine: Engine
    url: URL
    read_session: sessionmaker[Session]
    write_session: sessionmaker[Session]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def describe(self) -> str:
        """Where the data lives, for the status bar: a file path or host/database."""
        if self.dialect == "sqlite":
            return f"SQLite: {self.url.database}"
        return f"PostgreSQL: {self.url.host or 'localhost'}:{self.url.port or 5432}/{self.url.database}"

    def dispose(self) -> None:
        self.engine.dispose()


def sqlite_url(path: Path) -> str:
    """The URL of a SQLite database file."""
    return f"sqlite:///{path}"


def is_network_path(path: Path, mounts: str | None = None) -> bool:
    """Whether ``path`` lies on a network file system (a UNC path, a mapped network drive, NFS, SMB …)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":
        return _is_windows_remote_drive(path)
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    resolved = str(path.resolve())
    best, best_type = "", ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = fields[1].replace("\\040", " ")
        if (resolved == mount_point or resolved.startswith(mount_point.rstrip("/") + "/")) and len(mount_point) > len(
            best
        ):
            best, best_type = mount_point, fields[2]
    return best_type in NETWORK_FILESYSTEMS


def _is_windows_remote_drive(path: Path) -> bool:
    import ctypes

    drive = os.path.splitdrive(str(path.resolve()))[0]
    if not drive:
        return False
    drive_remote = 4
    return bool(ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote)  # type: ignore[attr-defined]


def open_database(url: str, *, password: str | None = None) -> Database:
    """Connect to ``url`` and check that it answers; raise a clear error if it does not.

    The schema is not touched: call :func:`upgrade` for that.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed)
    elif parsed.get_backend_name() == "postgresql":
        engine = _postgresql_engine(parsed, password)
    else:
        raise DatabaseUnavailable(
            f"Database non supportato: {parsed.get_backend_name()!r}. Usare sqlite:///percorso oppure "
            "postgresql://utente@host/database."
        )
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        engine.dispose()
        raise DatabaseUnavailable(_explain_connection_error(parsed, exc)) from exc
    write_engine = engine.execution_options(**{_WRITE_OPTION: True})
    return Database(
        engine=engine,
        url=parsed,
        read_session=sessionmaker(engine, expire_on_commit=False),
        write_session=sessionmaker(write_engine, expire_on_commit=False),
    )


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        path = Path(database).expanduser()
        if is_network_path(path.parent if not path.exists() else path):
            raise NetworkShareRefused(
                f"Il file {path} si trova su una cartella di rete. SQLite non funziona in modo affidabile su "
                "una condivisione di rete (il suo registro WAL richiede memoria condivisa locale) e i dati "
                "potrebbero danneggiarsi. Per condividere i dati fra più postazioni usare PostgreSQL; "
                "altrimenti scegliere una cartella su questo computer."
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        url = url.set(database=str(path))
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # SQLAlchemy, not the driver, decides when transactions begin (see the "begin" hook).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A write transaction takes the write lock up front: a deferred one that later upgrades from read to
        # write fails at once with "database is locked" when another process got there first.
        immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _postgresql_engine(url: URL, password: str | None) -> Engine:
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    if password is not None and url.password is None:
        url = url.set(password=password)
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        connect_args={"connect_timeout": 10, "application_name": "CreditDesk"},
    )


def _explain_connection_error(url: URL, exc: OperationalError) -> str:
    if url.get_backend_name() == "sqlite":
        return f"Impossibile aprire il database SQLite {url.database}: {exc.orig}"
    where = f"{url.host or 'localhost'}:{url.port or 5432}, database {url.database!r}, utente {url.username!r}"
    return (
        f"Impossibile collegarsi a PostgreSQL ({where}).\n"
        "Controllare che il server sia acceso e raggiungibile da questa postazione (rete, firewall, "
        "listen_addresses e pg_hba.conf), che host, porta, nome del database e utente siano corretti, e che "
        "la password salvata nel portachiavi del sistema sia quella giusta.\n"
        f"Dettaglio tecnico: {str(exc.orig).strip()}"
    )


def _alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("app.models") / "migrations"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The schema revision this code expects."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    """The schema revision the database is at, or None for an empty database."""
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_not_newer(db: Database) -> None:
    """Refuse a database whose schema was written by a newer CreditDesk."""
    revision = current_revision(db)
    if revision is None:
        return
    known = {script.revision for script in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}
    if revision not in known:
        raise DatabaseTooNew(
            f"Il database {db.describe()} è stato aggiornato da una versione più recente di CreditDesk "
            f"(revisione {revision}). Per non danneggiarlo questa versione non lo modifica: installare "
            "l'ultima versione di CreditDesk."
        )


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema to this code's revision (or ``revision``), in one transaction; refuse a newer database."""
    check_not_newer(db)
    try:
        with db.engine.execution_options(**{_WRITE_OPTION: True}).connect() as connection:
            _foreign_keys(connection, enabled=False)
            try:
                with connection.begin():
                    if db.dialect == "postgresql":
                        # Workstations starting together must not both run the same DDL: the first upgrades,
                        # the others wait here and then find nothing left to do. (SQLite's IMMEDIATE does this.)
                        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_UPGRADE_LOCK})")
                    command.upgrade(_alembic_config(connection), revision)
                    _check_foreign_keys(connection)
            finally:
                _foreign_keys(connection, enabled=True)
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(f"Aggiornamento del database {db.describe()} non riuscito: {exc}") from exc


def _foreign_keys(connection: Connection, *, enabled: bool) -> None:
    # SQLite alters a table by copying it and dropping the old one; with foreign keys enforced, dropping a table
    # that other rows point to fails. SQLite's documented procedure turns them off around the change (it must
    # be outside a transaction) and checks them all before committing.
    if connection.dialect.name == "sqlite":
        driver = connection.connection.driver_connection
        assert driver is not None
        driver.execute(f"PRAGMA foreign_keys = {'ON' if enabled else 'OFF'}")


def _check_foreign_keys(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = ", ".join(sorted({str(row[0]) for row in broken}))
        raise DatabaseUnavailable(
            f"L'aggiornamento lascerebbe riferimenti non validi nelle tabelle {tables}: annullato."
        )


def escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards taken literally (use with ``escape="\\\\"``): "100%" finds "100%"."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def analyze(db: Database) -> None:
    """Refresh the query planner's statistics; call after writing many rows (an import, the demo data)."""
    with db.engine.execution_options(**{_WRITE_OPTION: True}).begin() as connection:
        connection.exec_driver_sql("ANALYZE")


@contextmanager
def read_session(db: Database) -> Iterator[Session]:
    """A short read-only session that is always closed."""
    session = db.read_session()
    try:
        yield session
    finally:
        session.rollback()
        session.close()
