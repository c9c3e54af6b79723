"""Property: any schedule an ERP could write, as xlsx or CSV, imports into exactly the credits it lists."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.bootstrap import prepare
from app.models import Credit, Subject
from app.services.creditors import add_creditor
from app.services.database import Database
from app.services.imports import ImportOutcome, ImportRequest, import_schedule
from tests.support.erp_files import ScheduleLine, write_csv, write_xlsx

_counter = itertools.count()
names = st.text(st.characters(codec="cp1252", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40)
cents = st.integers(min_value=0, max_value=10**9)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def schedules(draw: st.DrawFn) -> list[ScheduleLine]:
    count = draw(st.integers(min_value=1, max_value=25))
    lines = []
    for index in range(count):
        amount = draw(cents)
        paid = draw(st.integers(min_value=0, max_value=amount))
        issued = draw(days)
        due = draw(st.dates(min_value=issued, max_value=date(2031, 12, 31)))
        # Names differ by more than case or punctuation: those count as the same customer, by design.
        holder = f"{draw(names).strip()} N{index:03d}".strip()  # a fixed-width tail: unique once normalised
        lines.append(
            ScheduleLine(
                reference=f"FT-{index:04d}/{draw(st.integers(0, 99))}", holder_name=holder,
                holder_tax_code=None, holder_vat_number=None, street=None, postal_code=None, city=None,
                province=None, issue_date=issued, due_date=due,
                amount=Decimal(amount).scaleb(-2), paid=Decimal(paid).scaleb(-2), status=None,
                administrator_name=None, administrator_tax_code=None, pec=None, mobile=None, email=None,
                installation=None, kind=None, instalment=None,
            )
        )  # fmt: skip
    return lines


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=schedules(), as_csv=st.booleans())
def test_what_the_erp_lists_is_what_is_stored(
    db: Database, tmp_path: Path, lines: list[ScheduleLine], as_csv: bool
) -> None:
    prepare(db, "clerk")
    creditor = add_creditor(db, f"Consorzio {next(_counter)}")
    folder = tmp_path / f"example-{next(_counter)}"
    folder.mkdir()
    path = write_csv(folder / "s.csv", lines) if as_csv else write_xlsx(folder / "s.xlsx", lines)
    result = import_schedule(
        db, creditor.id, ImportRequest(path=path), user_login="clerk", archive_folder=folder / "archive"
    )
    assert result.outcome is ImportOutcome.APPLIED, [issue.describe() for issue in result.errors]
    with db.read_session() as session:
        stored = {
            reference: (holder, amount, outstanding, issued, due)
            for reference, holder, amount, outstanding, issued, due in session.execute(
                select(Credit.reference, Subject.name, Credit.amount, Credit.outstanding, Credit.issue_date,
                       Credit.due_date)
                .join(Subject, Subject.id == Credit.holder_id)
                .where(Credit.creditor_id == creditor.id)
            )
        }  # fmt: skip
    assert stored == {
        line.reference: (line.holder_name.strip(), line.amount, line.outstanding, line.issue_date, line.due_date)
        for line in lines
    }
