"""The migrations build exactly the schema the models describe, from an empty database, on both databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.models import Base
from app.services.database import (
    Database,
    current_revision,
    head_revision,
    open_database,
    sqlite_url,
    upgrade,
)
from tests.conftest import DIALECTS, PG_ENV, require_postgresql


def _differences(db: Database) -> list[Any]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
        return list(compare_metadata(context, Base.metadata))


def test_autogenerate_finds_no_difference_between_migrations_and_models(db: Database) -> None:
    assert _differences(db) == []


def test_the_migrated_database_has_every_model_table(db: Database) -> None:
    tables = set(inspect(db.engine).get_table_names())

    assert set(Base.metadata.tables) <= tables
    assert tables - set(Base.metadata.tables) == {"alembic_version"}


@pytest.fixture(params=DIALECTS)
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database with no tables at all: a new SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        database = open_database(sqlite_url(tmp_path / "empty.sqlite3"))
        yield database
        database.dispose()
        return
    admin_url = make_url(require_postgresql(os.environ.get(PG_ENV))).set(drivername="postgresql+psycopg")
    name = f"creditdesk_empty_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    database = open_database(admin_url.set(database=name).render_as_string(hide_password=False))
    try:
        yield database
    finally:
        database.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_on_an_empty_database_reaches_head(empty_db: Database) -> None:
    assert current_revision(empty_db) is None

    upgrade(empty_db)

    assert current_revision(empty_db) == head_revision()
    assert _differences(empty_db) == []


def test_upgrade_twice_changes_nothing(empty_db: Database) -> None:
    upgrade(empty_db)
    upgrade(empty_db)

    assert current_revision(empty_db) == head_revision()


def test_downgrade_to_base_then_upgrade_again(empty_db: Database) -> None:
    # GIVEN a database at head
    upgrade(empty_db)

    # WHEN every migration is undone
    with empty_db.engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(resources.files("app.models") / "migrations"))
        config.attributes["connection"] = connection
        command.downgrade(config, "base")

    # THEN only alembic's own table is left, and the migrations can build everything again
    assert set(inspect(empty_db.engine).get_table_names()) <= {"alembic_version"}
    upgrade(empty_db)
    assert current_revision(empty_db) == head_revision()
    assert _differences(empty_db) == []
