"""A unit of work: one transaction that commits only when told and rolls back on leaving otherwise."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session

from app.services.database import Database


class UnitOfWork:
    """``with UnitOfWork(db) as uow: ...; uow.commit()`` — everything inside applies whole or not at all."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._db.write_session()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None

    def commit(self) -> None:
        """Make the work so far permanent."""
        self.session.commit()
