"""Builds what the window and the command line need, in one place: settings, the database, the user."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import make_url

from app.models import Creditor, User, UserRole
from app.services import database
from app.services.creditors import UNFILLED_CREDITOR_NAME
from app.services.database import Database
from app.services.errors import NotFound
from app.services.secrets import database_secret_name, get_secret
from app.services.unit_of_work import UnitOfWork
from app.settings import Settings, load_settings


@dataclass
class AppContext:
    """An open, up-to-date database with the settings and the user working on it."""

    db: Database
    settings: Settings
    user_login: str

    def creditor_id(self) -> int:
        """The creditor the window works on: the one named in the settings, else the first one."""
        with database.read_session(self.db) as session:
            named = None
            if self.settings.default_creditor:
                named = session.scalar(select(Creditor.id).where(Creditor.name == self.settings.default_creditor))
            first = session.scalar(select(Creditor.id).order_by(Creditor.id).limit(1))
        if named is None and first is None:
            raise NotFound("Nessun ente creditore nel database.")
        return named if named is not None else first  # type: ignore[return-value]


def connect(url: str) -> Database:
    """Open ``url``, taking a PostgreSQL password from the keyring when the URL has none."""
    parsed = make_url(url)
    password = None
    if parsed.get_backend_name() == "postgresql" and parsed.password is None:
        password = get_secret(database_secret_name(parsed))
    return database.open_database(url, password=password)


def prepare(db: Database, user_login: str | None = None) -> str:
    """Upgrade the schema, make sure a creditor and the current user exist; return the user's login."""
    database.upgrade(db)
    login = user_login or current_login()
    with UnitOfWork(db) as uow:
        session = uow.session
        if session.scalar(select(Creditor.id).limit(1)) is None:
            session.add(Creditor(name=UNFILLED_CREDITOR_NAME))
        if session.scalar(select(User.id).where(User.login == login)) is None:
            session.add(User(login=login, display_name=login, role=UserRole.CLERK))
        uow.commit()
    return login


def open_context(db_override: str | None = None) -> AppContext:
    """Settings, then the database they name (upgraded), then the user: what every command starts from."""
    settings = load_settings()
    db = connect(settings.effective_database_url(db_override))
    try:
        login = prepare(db)
    except Exception:
        db.dispose()
        raise
    return AppContext(db=db, settings=settings, user_login=login)


def current_login() -> str:
    """The operating-system login of whoever runs CreditDesk."""
    try:
        return getpass.getuser()
    except Exception:
        return "utente"
