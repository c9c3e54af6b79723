"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.bootstrap import AppContext, prepare
from app.models import Base
from app.services.database import Database, open_database, sqlite_url, upgrade
from app.settings import Settings
from tests.support.memory_keyring import MemoryKeyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_ENV = "CREDITDESK_TEST_PG_URL"
DIALECTS = ["sqlite", "postgresql"]


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, data and logs of each test live in a folder of their own; the keyring is in memory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CREDITDESK_HOME", str(home))
    monkeypatch.delenv("CREDITDESK_DB", raising=False)
    keyring.set_keyring(MemoryKeyring())
    return home


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = open_database(sqlite_url(path))
    upgrade(db)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str | None]:
    """A fresh database on the test PostgreSQL server, migrated once, dropped at the end."""
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        yield None
        return
    name = f"creditdesk_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(admin_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(drivername="postgresql+psycopg", database=name)
    url_text = url.render_as_string(hide_password=False)
    db = open_database(url_text)
    upgrade(db)
    db.dispose()
    yield url_text
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def require_postgresql(url: str | None) -> str:
    """The test server's URL; skip without one, except on CI where PostgreSQL must never be skipped."""
    if url is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PG_ENV} is not set: on CI every database test must also run on PostgreSQL")
        pytest.skip(f"no PostgreSQL test server ({PG_ENV} not set)")
    return url


@pytest.fixture(params=DIALECTS)
def db(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path, postgresql_url: str | None
) -> Iterator[Database]:
    """An empty, migrated database: a SQLite file, then the PostgreSQL test database."""
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(sqlite_template, path)
        database = open_database(sqlite_url(path))
        yield database
        _wait_for_background_work()
        database.dispose()
        return
    database = open_database(require_postgresql(postgresql_url))
    # Emptied before each test, not after: the next test empties it anyway, and the database is dropped at the end.
    _truncate_all(database)
    yield database
    _wait_for_background_work()
    database.dispose()


def _wait_for_background_work() -> None:
    """A UI test may end while a worker still queries; let it finish before the tables are emptied."""
    qt_core = sys.modules.get("PySide6.QtCore")
    if qt_core is not None:
        qt_core.QThreadPool.globalInstance().waitForDone(30000)


def _truncate_all(database: Database) -> None:
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def context(db: Database) -> AppContext:
    """The database prepared as the app prepares it (default creditor, a user), with default settings."""
    login = prepare(db, user_login="tester")
    return AppContext(db=db, settings=Settings(), user_login=login)
