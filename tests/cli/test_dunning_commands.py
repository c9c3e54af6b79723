"""``creditdesk dunning plan``: the day's reminders, planned once, as text or JSON."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.models import CreditStatus
from app.services.database import Database
from app.services.unit_of_work import UnitOfWork
from tests.cli.test_main import run, url_of
from tests.support.builders import Builder


def test_plan_lists_the_days_reminders_and_plans_nothing_twice(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session)
        rossi = make.subject("Rossi Mario", email="mario@example.it")
        make.credit(rossi, "120.00", status=CreditStatus.OVERDUE, due=date(2027, 1, 29))
        uow.commit()
    code, out, err = run(capsys, "--db", url_of(db), "dunning", "plan", "--at", "18/02/2027", "--json")
    assert code == 0, err
    planned = json.loads(out)
    assert (planned["planned"], planned["items"]) == (1, 1)
    (message,) = planned["messages"]
    assert (message["payer"], message["channel"], message["level"], message["amount"]) == (
        "Rossi Mario", "email", "Primo sollecito", "120.00")  # fmt: skip
    code, out, _ = run(capsys, "--db", url_of(db), "dunning", "plan", "--at", "2027-02-18")
    assert code == 0 and "0 messaggi" in out and "Già pianificati: 1" in out
