"""The import's writer thread: one transaction that commits only when told, and whose failures reach the caller."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from app.models import Creditor
from app.services.bulk import Progress
from app.services.database import Database
from app.services.imports.pipeline import BackgroundTransaction
from app.services.unit_of_work import UnitOfWork


def creditors(db: Database) -> int:
    with db.read_session() as session:
        return session.scalar(select(func.count()).select_from(Creditor)) or 0


def add_creditor(uow: UnitOfWork, name: str) -> None:
    uow.session.add(Creditor(name=name))
    uow.session.flush()


def commit(uow: UnitOfWork, names: list[str], progress: Progress) -> int:
    uow.commit()
    return len(names)


def step(names: list[str], name: str, progress: Progress) -> None:
    if name == "guasto":
        raise ValueError("riga che il database rifiuta")
    names.append(name)


def test_chunks_are_written_in_one_transaction_committed_by_finish(db: Database) -> None:
    def start(uow: UnitOfWork) -> list[str]:
        add_creditor(uow, "Consorzio A")
        return []

    transaction = BackgroundTransaction(db, start, step, commit)
    for name in ("uno", "due"):
        transaction.send(name)
    assert transaction.finish() == 2
    assert creditors(db) == 1


def test_a_failure_on_the_thread_reaches_the_caller_and_nothing_is_written(db: Database) -> None:
    def start(uow: UnitOfWork) -> list[str]:
        add_creditor(uow, "Consorzio B")
        return []

    transaction = BackgroundTransaction(db, start, step, commit)
    transaction.send("guasto")
    with pytest.raises(ValueError, match="il database rifiuta"):
        transaction.finish()
    assert creditors(db) == 0


def test_an_abort_rolls_back_what_was_written(db: Database) -> None:
    def start(uow: UnitOfWork) -> list[str]:
        add_creditor(uow, "Consorzio C")
        return []

    transaction = BackgroundTransaction(db, start, step, commit)
    transaction.send("uno")
    transaction.abort()
    assert creditors(db) == 0


def test_a_cancel_from_the_progress_callback_rolls_back(db: Database) -> None:
    def start(uow: UnitOfWork) -> list[str]:
        add_creditor(uow, "Consorzio D")
        return []

    def slow_commit(uow: UnitOfWork, names: list[str], progress: Progress) -> int:
        for _ in range(200):
            progress.advance(0)  # the thread's own report: raises once the caller has cancelled
            time.sleep(0.01)
        uow.commit()
        return 0

    def cancel(done: int, total: int) -> None:
        raise KeyboardInterrupt

    transaction = BackgroundTransaction(db, start, step, slow_commit)
    with pytest.raises(KeyboardInterrupt):
        transaction.finish(cancel)
    assert creditors(db) == 0
