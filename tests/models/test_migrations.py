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


def test_a_database_full_of_data_upgrades_with_every_reference_kept(empty_db: Database) -> None:
    # GIVEN a database of the first release holding a roll's worth of linked rows
    upgrade(empty_db, "0002")
    with empty_db.engine.begin() as connection:
        for statement in (
            "INSERT INTO creditor (id, name, notice_kind, created_at, updated_at) "
            "VALUES (1, 'Co.Sm.An', 'mav', '2026-01-01', '2026-01-01')",
            "INSERT INTO subject (id, creditor_id, kind, name, country, whatsapp_consent, created_at, updated_at) "
            "VALUES (1, 1, 'person', 'Rossi', 'IT', false, '2026-01-01', '2026-01-01')",
            "INSERT INTO credit (id, creditor_id, holder_id, payer_id, reference, kind, issue_date, due_date, amount, "
            "outstanding, status, created_at, updated_at) VALUES (1, 1, 1, 1, 'F1', 'invoice', '2026-01-01', "
            "'2026-02-01', 10, 4, 'partially_paid', '2026-01-01', '2026-01-01')",
            "INSERT INTO payment (id, creditor_id, payer_id, source, received_on, amount, created_at, updated_at) "
            "VALUES (1, 1, 1, 'bank', '2026-02-01', 6, '2026-02-01', '2026-02-01')",
            "INSERT INTO allocation (id, payment_id, credit_id, amount) VALUES (1, 1, 1, 6)",
            "INSERT INTO communication (id, creditor_id, subject_id, credit_id, channel, status, created_at, "
            "updated_at) VALUES (1, 1, 1, 1, 'email', 'sent', '2026-02-01', '2026-02-01')",
        ):
            connection.exec_driver_sql(statement)
    # WHEN it is upgraded to this version (SQLite rebuilds credit, payment and communication on the way)
    upgrade(empty_db)
    # THEN every row and reference is there, and what the new columns say of old rows is right
    assert current_revision(empty_db) == head_revision()
    with empty_db.engine.connect() as connection:
        allocated = connection.exec_driver_sql("SELECT credit_id, amount FROM allocation").one()
        assert (allocated[0], float(allocated[1])) == (1, 6.0)
        payment = connection.exec_driver_sql("SELECT status, unallocated FROM payment").one()
        assert (payment[0], float(payment[1])) == ("matched", 0.0)
        assert connection.exec_driver_sql("SELECT attempts FROM communication").scalar() == 0
        if empty_db.dialect == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
