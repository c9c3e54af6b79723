"""Importing the ERP's schedule end to end on a real database: apply whole or nothing, idempotent, recorded."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.bootstrap import prepare
from app.models import (
    AdministratorAssignment,
    Credit,
    CreditChange,
    CreditStatus,
    Document,
    ImportProfile,
    ScheduleImport,
    Subject,
    SubjectKind,
)
from app.services.creditors import resolve_creditor
from app.services.database import Database
from app.services.imports import (
    Field,
    ImportOutcome,
    ImportRequest,
    ImportResult,
    Severity,
    export_report,
    import_schedule,
    last_used_profile,
    save_profile,
)
from app.services.unit_of_work import UnitOfWork
from tests.support.erp_files import ScheduleLine, change_some, excel_row, sample_lines, write_csv, write_xlsx

TODAY = date(2026, 11, 23)


@pytest.fixture
def creditor_id(db: Database) -> int:
    prepare(db, "clerk")
    with db.read_session() as session:
        return resolve_creditor(session, None).id


def run(
    db: Database, creditor_id: int, path: Path, tmp_path: Path, today: date = TODAY, **options: object
) -> ImportResult:
    request = ImportRequest(path=path, **options)  # type: ignore[arg-type]
    return import_schedule(
        db, creditor_id, request, user_login="clerk", archive_folder=tmp_path / "archive", today=today
    )


def archived_files(tmp_path: Path) -> list[Path]:
    return [path for path in (tmp_path / "archive").rglob("*") if path.is_file()]


def table_counts(db: Database) -> dict[str, int]:
    with db.read_session() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Credit, Subject, AdministratorAssignment, ScheduleImport, CreditChange, Document)
        }


def stored_credits(db: Database, creditor_id: int) -> dict[str, tuple[Decimal, Decimal, date, date]]:
    with db.read_session() as session:
        rows = session.execute(
            select(Credit.reference, Credit.amount, Credit.outstanding, Credit.issue_date, Credit.due_date).where(
                Credit.creditor_id == creditor_id
            )
        )
        return {reference: (amount, outstanding, issued, due) for reference, amount, outstanding, issued, due in rows}


def expected(lines: list[ScheduleLine]) -> dict[str, tuple[Decimal, Decimal, date, date]]:
    return {
        (f"{line.reference}/{line.instalment}" if line.instalment else line.reference): (
            line.amount, line.outstanding, line.issue_date, line.due_date
        )
        for line in lines
    }  # fmt: skip


def test_a_realistic_export_is_imported_whole_recorded_and_archived(
    db: Database, creditor_id: int, tmp_path: Path
) -> None:
    # GIVEN an ERP export with titles, blank rows, a totals row, condominiums and their administrators
    lines = sample_lines(300, seed=3)
    path = write_xlsx(tmp_path / "scadenziario.xlsx", lines, formulas=True)
    # WHEN the clerk imports it
    result = run(db, creditor_id, path, tmp_path)
    # THEN every line is a credit with its amounts and dates, and the import is recorded with its file archived
    assert result.outcome is ImportOutcome.APPLIED, [issue.describe() for issue in result.errors]
    assert result.counts.created == len(lines) and result.counts.updated == 0
    assert stored_credits(db, creditor_id) == expected(lines)
    with db.read_session() as session:
        record = session.scalars(select(ScheduleImport)).one()
        assert (record.file_name, record.created, record.rows) == ("scadenziario.xlsx", len(lines), len(lines))
        assert record.sha256 == result.sha256 and record.user_id is not None
        document = session.get_one(Document, record.document_id)
        archived = tmp_path / "archive" / document.relative_path
        assert archived.read_bytes() == path.read_bytes()
        condominiums = session.scalar(select(func.count()).where(Subject.kind == SubjectKind.CONDOMINIUM))
        terms = session.scalar(select(func.count()).select_from(AdministratorAssignment))
        assert condominiums and terms == condominiums
        payer_kinds = set(
            session.scalars(
                select(Subject.kind)
                .join(Credit, Credit.payer_id == Subject.id)
                .where(Credit.holder_id != Credit.payer_id)
            )
        )
        assert payer_kinds == {SubjectKind.ADMINISTRATOR}


def test_the_same_file_twice_changes_nothing_and_says_so(db: Database, creditor_id: int, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "scadenziario.xlsx", sample_lines(50, seed=1))
    first = run(db, creditor_id, path, tmp_path)
    before = table_counts(db)
    second = run(db, creditor_id, path, tmp_path)
    assert first.outcome is ImportOutcome.APPLIED
    assert second.outcome is ImportOutcome.ALREADY_IMPORTED
    assert second.previous is not None and second.previous.import_id == first.import_id
    assert table_counts(db) == before


def test_a_new_export_updates_known_credits_and_records_each_change(
    db: Database, creditor_id: int, tmp_path: Path
) -> None:
    lines = sample_lines(200, seed=5)
    run(db, creditor_id, write_xlsx(tmp_path / "lunedi.xlsx", lines), tmp_path)
    later = change_some(lines, 0.05, seed=2)
    changed = {line.reference for old, line in zip(lines, later, strict=True) if old != line}
    # The same data in another layout is the same data: nothing changes.
    same = run(db, creditor_id, write_csv(tmp_path / "lunedi.csv", lines), tmp_path, today=TODAY)
    assert (same.outcome, same.counts.unchanged, same.counts.updated) == (ImportOutcome.APPLIED, len(lines), 0)
    result = run(db, creditor_id, write_xlsx(tmp_path / "martedi.xlsx", later), tmp_path)
    assert result.counts.updated == len(changed) > 0
    assert result.counts.created == 0 and result.counts.unchanged == len(lines) - len(changed)
    assert stored_credits(db, creditor_id) == expected(later)
    with db.read_session() as session:
        changes = session.scalars(select(CreditChange.changes).where(CreditChange.import_id == result.import_id)).all()
    assert len(changes) == len(changed)
    assert all("outstanding" in json.loads(change) for change in changes)


def test_an_error_in_the_last_row_leaves_the_database_as_it_was(db: Database, creditor_id: int, tmp_path: Path) -> None:
    lines = sample_lines(120, seed=7)
    lines[-1] = dataclasses.replace(lines[-1], due_date=date(2027, 2, 28))
    path = write_xlsx(tmp_path / "errato.xlsx", lines, dates_as_text=True, blank_rows=False)
    # Break the last row's due date by hand: 30 February does not exist.
    workbook = load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    row = excel_row(len(lines) - 1, blank_rows=False)
    headers = [cell.value for cell in sheet[row - len(lines)]]
    column = headers.index("Scadenza") + 1
    sheet.cell(row=row, column=column, value="30/02/2027")
    workbook.save(path)
    before = table_counts(db)
    result = run(db, creditor_id, path, tmp_path)
    assert result.outcome is ImportOutcome.REFUSED
    [error] = result.errors
    assert (error.row, error.column, error.value, error.message) == (row, "Scadenza", "30/02/2027", "data inesistente")
    assert table_counts(db) == before
    assert not archived_files(tmp_path)


def test_a_dry_run_counts_everything_and_writes_nothing(db: Database, creditor_id: int, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "prova.xlsx", sample_lines(80, seed=2))
    before = table_counts(db)
    result = run(db, creditor_id, path, tmp_path, dry_run=True)
    assert result.outcome is ImportOutcome.CHECKED
    assert result.counts.created == 80 and result.counts.subjects_created > 0
    assert len(result.preview) == 50 and result.preview[0].values[Field.REFERENCE]
    assert table_counts(db) == before
    assert run(db, creditor_id, path, tmp_path).counts.created == 80


def test_an_administrator_change_closes_the_old_term_and_the_new_one_pays(
    db: Database, creditor_id: int, tmp_path: Path
) -> None:
    lines = [line for line in sample_lines(60, seed=4) if line.administrator_name][:5]
    run(db, creditor_id, write_xlsx(tmp_path / "prima.xlsx", lines), tmp_path, today=TODAY - timedelta(days=30))
    moved = dataclasses.replace(lines[0], administrator_name="Studio Nuovo Amministratore", administrator_tax_code=None)
    result = run(db, creditor_id, write_xlsx(tmp_path / "dopo.xlsx", [moved, *lines[1:]]), tmp_path)
    warnings = [issue for issue in result.warnings if "cambio di amministratore" in issue.message]
    assert result.counts.administrator_changes == 1 and len(warnings) == 1
    assert f"a «Studio Nuovo Amministratore» dal {TODAY:%d/%m/%Y}" in warnings[0].message
    with db.read_session() as session:
        holder = session.scalars(select(Subject).where(Subject.name == moved.holder_name)).one()
        terms = session.scalars(
            select(AdministratorAssignment)
            .where(AdministratorAssignment.condominium_id == holder.id)
            .order_by(AdministratorAssignment.valid_from)
        ).all()
        assert [term.valid_to for term in terms] == [TODAY - timedelta(days=1), None]
        reference = f"{moved.reference}/{moved.instalment}" if moved.instalment else moved.reference
        payer = session.scalars(
            select(Subject.name).join(Credit, Credit.payer_id == Subject.id).where(Credit.reference == reference)
        ).one()
        assert payer == "Studio Nuovo Amministratore"


def test_a_full_export_reports_open_credits_it_no_longer_lists(db: Database, creditor_id: int, tmp_path: Path) -> None:
    lines = sample_lines(40, seed=8)
    run(db, creditor_id, write_xlsx(tmp_path / "tutto.xlsx", lines), tmp_path)
    open_left_out = [line for line in lines[30:] if line.outstanding > 0]
    result = run(db, creditor_id, write_xlsx(tmp_path / "meno.xlsx", lines[:30]), tmp_path, full_export=True)
    assert result.counts.missing == len(open_left_out) == len(result.missing)
    assert table_counts(db)["credit"] == 40


def test_cancelling_writes_nothing(db: Database, creditor_id: int, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "grande.xlsx", sample_lines(3000, seed=9))
    before = table_counts(db)
    seen: list[tuple[int, int]] = []

    def cancel_while_writing(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= total / 2 > 0:  # every row read, the writing under way
            raise KeyboardInterrupt  # what a cancel button's exception does: leave at once

    with pytest.raises(KeyboardInterrupt):
        import_schedule(
            db, creditor_id, ImportRequest(path=path), user_login="clerk", archive_folder=tmp_path / "archive",
            progress=cancel_while_writing, today=TODAY,
        )  # fmt: skip
    assert seen
    assert table_counts(db) == before
    assert not archived_files(tmp_path)


def test_a_saved_profile_maps_columns_and_is_proposed_next_time(db: Database, creditor_id: int, tmp_path: Path) -> None:
    lines = sample_lines(20, seed=6)
    path = write_xlsx(tmp_path / "polizze.xlsx", lines, dialect="gestionale_b")
    # This consortium files the policy or lift number as a note, not as the installation.
    save_profile(db, creditor_id, "Gestionale B", {Field.INSTALLATION: "", Field.NOTES: "Polizza"})
    result = run(db, creditor_id, path, tmp_path, profile="Gestionale B")
    assert result.outcome is ImportOutcome.APPLIED
    assert result.mapping[Field.NOTES] == "Polizza" and Field.INSTALLATION not in result.mapping
    with db.read_session() as session:
        stored = session.execute(select(Credit.notes, Credit.installation_ref)).all()
        assert {notes for notes, _ in stored} == {line.installation for line in lines}
        assert {installation for _, installation in stored} == {None}
        assert session.scalar(select(func.count()).select_from(ImportProfile)) == 1
    proposed = last_used_profile(db, creditor_id)
    assert proposed is not None and proposed.name == "Gestionale B"


def test_the_report_lists_every_issue_in_a_workbook(db: Database, creditor_id: int, tmp_path: Path) -> None:
    lines = sample_lines(10, seed=1)
    lines[2] = dataclasses.replace(lines[2], paid=lines[2].amount + 1)
    result = run(db, creditor_id, write_csv(tmp_path / "errori.csv", lines, encoding="cp1252"), tmp_path)
    assert result.outcome is ImportOutcome.REFUSED
    target = tmp_path / "rapporto.xlsx"
    export_report(result, target)
    sheet = load_workbook(target)["Segnalazioni"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(result.issues)
    errors = [row for row in rows if row[0] == "Errore"]
    assert [(row[3], row[4], row[7]) for row in errors] == [(4, "Residuo", "residuo negativo")]
    assert all(issue.severity in (Severity.ERROR, Severity.WARNING) for issue in result.issues)


def test_an_unpaid_overdue_credit_is_overdue_and_a_paid_one_paid(
    db: Database, creditor_id: int, tmp_path: Path
) -> None:
    lines = sample_lines(100, seed=11)
    run(db, creditor_id, write_xlsx(tmp_path / "stati.xlsx", lines), tmp_path)
    with db.read_session() as session:
        statuses = {reference: status for reference, status in session.execute(select(Credit.reference, Credit.status))}
    for line in lines:
        reference = f"{line.reference}/{line.instalment}" if line.instalment else line.reference
        if line.status == "Stralciata":
            assert statuses[reference] is CreditStatus.WRITTEN_OFF
        elif line.outstanding == 0:
            assert statuses[reference] is CreditStatus.PAID
        elif line.due_date < TODAY:
            assert statuses[reference] is CreditStatus.OVERDUE


def test_an_administrator_named_on_a_later_row_pays_the_condominiums_earlier_rows_too(
    db: Database, creditor_id: int, tmp_path: Path
) -> None:
    [line] = [line for line in sample_lines(40, seed=12) if line.administrator_name][:1]
    first = dataclasses.replace(line, reference="FT-A", administrator_name=None, administrator_tax_code=None)
    second = dataclasses.replace(line, reference="FT-B")
    result = run(db, creditor_id, write_xlsx(tmp_path / "ordine.xlsx", [first, second]), tmp_path)
    assert result.outcome is ImportOutcome.APPLIED
    with db.read_session() as session:
        payers = set(
            session.scalars(select(Subject.name).join(Credit, Credit.payer_id == Subject.id).where(Credit.reference.in_(
                [f"FT-A/{line.instalment}" if line.instalment else "FT-A", f"FT-B/{line.instalment}" if line.instalment
                 else "FT-B"]
            )))
        )  # fmt: skip
    assert payers == {line.administrator_name}


def write_rows(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_condominium_known_by_the_registry_keeps_its_administrator_as_payer(
    db: Database, creditor_id: int, tmp_path: Path
) -> None:
    header = "N. Fattura;Ragione sociale;Scadenza;Importo;Amministratore"
    run(db, creditor_id, write_rows(tmp_path / "a.csv", header, "F1;Residence Aurora;31/01/2027;100,00;Studio Bianchi"),
        tmp_path)  # fmt: skip
    # GIVEN later exports without the administrator column, with a new invoice too
    plain = "N. Fattura;Ragione sociale;Scadenza;Importo"
    result = run(db, creditor_id, write_rows(tmp_path / "b.csv", plain, "F1;Residence Aurora;31/01/2027;90,00",
                                             "F2;Residence Aurora;28/02/2027;100,00"), tmp_path)  # fmt: skip
    assert result.outcome is ImportOutcome.APPLIED
    with db.read_session() as session:
        found = session.execute(select(Credit.reference, Subject.name).join(Subject, Subject.id == Credit.payer_id))
        payers = {reference: name for reference, name in found}
    assert payers == {"F1": "Studio Bianchi", "F2": "Studio Bianchi"}


def test_a_customer_first_seen_without_administrator_becomes_a_condominium_when_a_row_names_one(
    db: Database, creditor_id: int, tmp_path: Path
) -> None:
    header = "N. Fattura;Ragione sociale;Scadenza;Importo;Amministratore"
    path = write_rows(tmp_path / "c.csv", header, "F1;Residence Aurora;31/01/2027;100,00;",
                      "F2;Residence Aurora;28/02/2027;100,00;Studio Bianchi")  # fmt: skip
    assert run(db, creditor_id, path, tmp_path).outcome is ImportOutcome.APPLIED
    with db.read_session() as session:
        kind = session.scalars(select(Subject.kind).where(Subject.name == "Residence Aurora")).one()
        payers = set(session.scalars(select(Subject.name).join(Credit, Credit.payer_id == Subject.id)))
    assert kind is SubjectKind.CONDOMINIUM and payers == {"Studio Bianchi"}


def test_a_clerks_note_is_not_overwritten_and_father_and_son_stay_apart(
    db: Database, creditor_id: int, tmp_path: Path
) -> None:
    header = "N. Fattura;Ragione sociale;Cod. Fiscale;Indirizzo;Località;Scadenza;Importo;Note"
    first = write_rows(tmp_path / "d.csv", header, "F1;Rossi Mario;RSSMRA50A01H501X;Via Po 1;Roma;31/01/2027;100,00;",
                       "F2;Rossi Mario;RSSMRA80A01H501U;Via Po 1;Roma;31/01/2027;100,00;")  # fmt: skip
    run(db, creditor_id, first, tmp_path)
    with UnitOfWork(db) as uow:
        credit = uow.session.scalars(select(Credit).where(Credit.reference == "F1")).one()
        credit.notes = "Promessa di pagamento al telefono"
        uow.commit()
    again = write_rows(tmp_path / "e.csv", header, "F1;Rossi Mario;RSSMRA50A01H501X;Via Po 1;Roma;31/01/2027;100,00;"
                       "Nota del gestionale")  # fmt: skip
    run(db, creditor_id, again, tmp_path)
    with db.read_session() as session:
        assert session.scalars(select(Credit.notes).where(Credit.reference == "F1")).one() == (
            "Promessa di pagamento al telefono"
        )
        assert session.scalar(select(func.count()).where(Subject.name == "Rossi Mario")) == 2


def test_the_stored_record_counts_the_rows_warnings(db: Database, creditor_id: int, tmp_path: Path) -> None:
    header = "N. Fattura;Ragione sociale;Cod. Fiscale;Scadenza;Importo"
    path = write_rows(tmp_path / "w.csv", header, "F1;Rossi Mario;RSSMRA80A01H501X;31/01/2027;100,00")
    result = run(db, creditor_id, path, tmp_path)
    with db.read_session() as session:
        assert session.scalars(select(ScheduleImport.warnings)).one() == result.counts.warnings == 1
