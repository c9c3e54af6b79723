"""The schedule import wizard driven as a clerk drives it, on SQLite and PostgreSQL, every step off the UI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.models import Credit, ScheduleImport, Subject
from app.services import imports
from app.services.imports import Field, ImportOutcome, ImportResult
from app.ui.credits_page import CreditsPage
from app.ui.i18n import install_translators, remove_translators
from app.ui.import_wizard import ImportWizard
from app.ui.import_wizard.models import RowStyle, TextTableModel

HEADERS = [
    "N. Fattura", "Ragione sociale", "Cod. Fiscale", "Data fattura", "Scadenza", "Importo", "Pagato", "Residuo",
    "Stato", "Amministratore", "Cellulare", "Annotazioni cliente",
]  # fmt: skip
HEADER_ROW = 4


def schedule_row(number: int, **changes: object) -> list[object]:
    """One invoice line as the ERP writes it; ``changes`` replace cells by header."""
    values: dict[str, object] = {
        "N. Fattura": f"FT-{number:04d}",
        "Ragione sociale": f"Cliente {number} S.r.l.",
        "Cod. Fiscale": "RSSMRA80A01H501U",
        "Data fattura": "15/01/2026",
        "Scadenza": "28/02/2026",
        "Importo": 100 + number,
        "Pagato": 0,
        "Residuo": 100 + number,
        "Stato": "Aperta",
        "Amministratore": None,
        "Cellulare": "3331234567",
        "Annotazioni cliente": f"nota {number}",
    }
    values.update(changes)
    return [values[header] for header in HEADERS]


def write_schedule(path: Path, rows: list[list[object]]) -> Path:
    """An ERP export: two title lines and a blank one above the header in row 4, the data below."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Scadenziario"
    sheet.append(["Scadenziario clienti al 20/03/2026"])
    sheet.append(["Filtro: tutte le partite"])
    sheet.append([])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    # Row 6 carries a tax code that does not check: a warning, the file is still importable.
    rows = [schedule_row(1), schedule_row(2, **{"Cod. Fiscale": "RSSMRA80A01H501X"}), schedule_row(3)]
    return write_schedule(tmp_path / "scadenziario marzo.xlsx", rows)


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    # Row 6 says more was paid than was owed: an error, nothing may be imported.
    rows = [schedule_row(1), schedule_row(2, Pagato=500, Residuo=0), schedule_row(3)]
    return write_schedule(tmp_path / "scadenziario sbagliato.xlsx", rows)


@pytest.fixture
def wizard(qtbot: QtBot, context: AppContext) -> Iterator[ImportWizard]:
    """The wizard on its first page, the creditor's profiles loaded."""
    widget = ImportWizard(context)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.file_page.profiles_loaded, timeout=10000):
        widget.show()
    yield widget
    widget.preview_page.runner.cancel()
    widget.apply_page.runner.cancel()


@pytest.fixture
def import_threads(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread]:
    """The threads ``import_schedule`` ran on, recorded as it is called."""
    threads: list[threading.Thread] = []
    real = imports.import_schedule

    def recording(*args: Any, **kwargs: Any) -> ImportResult:
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "import_schedule", recording)
    return threads


def click_next(qtbot: QtBot, wizard: ImportWizard) -> None:
    """Press Next (or Importa) as the clerk would: it must be enabled."""
    button = wizard.button(QWizard.WizardButton.NextButton)
    if wizard.currentPage().isCommitPage():
        button = wizard.button(QWizard.WizardButton.CommitButton)
    assert button.isEnabled(), f"Next is disabled on {type(wizard.currentPage()).__name__}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def pick_file(qtbot: QtBot, wizard: ImportWizard, path: Path) -> None:
    with qtbot.waitSignal(wizard.file_page.file_inspected, timeout=10000) as blocker:
        wizard.file_page.set_path(path)
    assert blocker.args == [True]


def go_to_preview(qtbot: QtBot, wizard: ImportWizard, path: Path) -> ImportResult | None:
    """File, sheet and mapping pages accepted as proposed; returns the dry run the preview shows."""
    pick_file(qtbot, wizard, path)
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    with qtbot.waitSignal(wizard.preview_page.check_finished, timeout=20000) as blocker:
        click_next(qtbot, wizard)
    result: ImportResult | None = blocker.args[0]
    return result


def count_rows(context: AppContext, model: type[Any]) -> int:
    with context.db.read_session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def check_model(model: Any) -> TextTableModel:
    assert isinstance(model, TextTableModel)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    return model


def test_a_good_file_is_checked_applied_and_summed_up(
    qtbot: QtBot, wizard: ImportWizard, context: AppContext, good_file: Path, import_threads: list[threading.Thread]
) -> None:
    # GIVEN a schedule with a title above the header in row 4
    pick_file(qtbot, wizard, good_file)
    assert "riga 4" in wizard.file_page.status_label.text()

    # WHEN the clerk moves on, the sheet and the detected header row are shown
    click_next(qtbot, wizard)
    sheet_page = wizard.sheet_page
    assert sheet_page.sheet_combo.currentText() == "Scadenziario"
    assert sheet_page.header_row_spin.value() == HEADER_ROW
    rows_model = check_model(sheet_page.rows_view.model())
    labels = [rows_model.headerData(row, Qt.Orientation.Vertical) for row in range(rows_model.rowCount())]
    assert labels[:4] == ["1", "2", "4", "5"]  # Excel's row numbers; the blank row 3 is not read
    assert rows_model.style(labels.index(str(HEADER_ROW))) is RowStyle.HEADER
    assert rows_model.style(0) is RowStyle.MUTED

    # THEN the columns are matched by their titles; the clerk adds the one the ERP names its own way
    click_next(qtbot, wizard)
    mapping_page = wizard.mapping_page
    assert mapping_page.column_combos[Field.REFERENCE].currentData() == "N. Fattura"
    assert mapping_page.column_combos[Field.DUE_DATE].currentData() == "Scadenza"
    assert mapping_page.column_combos[Field.NOTES].currentData() == ""
    mapping_page.set_column(Field.NOTES, "Annotazioni cliente")
    assert mapping_page.example_labels[Field.NOTES].text() == "nota 1"
    assert "Annotazioni cliente" not in mapping_page.unused_label.text()

    # AND saves it as a profile
    mapping_page.profile_name_edit.setText("Gestionale A")
    with qtbot.waitSignal(mapping_page.profile_saved, timeout=10000):
        qtbot.mouseClick(mapping_page.save_profile_button, Qt.MouseButton.LeftButton)
    creditor_id = context.creditor_id()
    saved = {profile.name: profile for profile in imports.list_profiles(context.db, creditor_id)}
    assert saved["Gestionale A"].mapping[Field.NOTES] == "Annotazioni cliente"
    assert saved["Gestionale A"].header_row is None  # the detected row needs no pinning

    # WHEN the file is checked, the preview shows the parsed rows and the warning in yellow
    with qtbot.waitSignal(wizard.preview_page.check_finished, timeout=20000) as blocker:
        click_next(qtbot, wizard)
    check = blocker.args[0]
    assert check.outcome is ImportOutcome.CHECKED
    preview = check_model(wizard.preview_page.preview_view.model())
    assert preview.rowCount() == 3
    assert [preview.style(row) for row in range(3)] == [None, RowStyle.WARNING, None]
    assert preview.data(preview.index(1, 0)) == "6"
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "Importa"
    assert count_rows(context, Credit) == 0

    # AND applied, the wizard moves to the summary by itself
    with qtbot.waitSignal(wizard.import_applied, timeout=20000) as applied:
        click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=5000)
    result = applied.args[0]
    assert result.outcome is ImportOutcome.APPLIED

    # THEN the summary's counts are what the database holds
    summary = wizard.summary_page
    assert summary.count_labels["created"].text() == "3" == str(count_rows(context, Credit))
    assert summary.count_labels["rows"].text() == "3"
    assert summary.count_labels["warnings"].text() == str(result.counts.warnings)
    with context.db.read_session() as session:
        notes = set(session.scalars(select(Credit.notes)))
    assert notes == {"nota 1", "nota 2", "nota 3"}
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()

    # AND every check and import ran on a worker, never on the UI thread
    assert len(import_threads) == 2
    assert all(thread is not threading.main_thread() for thread in import_threads)

    # AND the profile used is proposed the next time
    last = imports.last_used_profile(context.db, creditor_id)
    assert last is not None and last.name == "Gestionale A"
    again = ImportWizard(context)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.file_page.profiles_loaded, timeout=10000):
        again.show()
    assert again.file_page.profile_combo.currentText() == "Gestionale A"


def test_the_summary_report_exports_to_excel(
    qtbot: QtBot, wizard: ImportWizard, context: AppContext, good_file: Path, tmp_path: Path
) -> None:
    go_to_preview(qtbot, wizard, good_file)
    with qtbot.waitSignal(wizard.import_applied, timeout=20000):
        click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=5000)
    target = tmp_path / "rapporto.xlsx"
    with qtbot.waitSignal(wizard.summary_page.report_exported, timeout=10000):
        wizard.summary_page.export_report_to(target)
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["Segnalazioni", "Non più nel file", "Riepilogo"]
    summary = {row[0]: row[1] for row in workbook["Riepilogo"].iter_rows(values_only=True)}
    assert summary["Crediti nuovi"] == 3


def test_a_bad_row_is_highlighted_and_blocks_the_import(
    qtbot: QtBot, wizard: ImportWizard, context: AppContext, bad_file: Path, tmp_path: Path
) -> None:
    # GIVEN a file whose row 6 is wrong
    check = go_to_preview(qtbot, wizard, bad_file)

    # THEN the check refuses it, the row is red and Importa stays disabled
    assert check is not None and check.outcome is ImportOutcome.REFUSED
    page = wizard.preview_page
    preview = check_model(page.preview_view.model())
    styles = {preview.data(preview.index(row, 0)): preview.style(row) for row in range(preview.rowCount())}
    assert styles["6"] is RowStyle.ERROR
    assert styles["5"] is None
    bad_row = next(row for row in range(preview.rowCount()) if preview.data(preview.index(row, 0)) == "6")
    assert "pagato supera" in preview.data(preview.index(bad_row, 2))
    assert preview.data(preview.index(bad_row, 0), Qt.ItemDataRole.BackgroundRole) is not None
    assert not page.isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert "Errori: 1" in page.summary_label.text()
    issues = check_model(page.issues_view.model())
    assert issues.style(0) is RowStyle.ERROR and issues.data(issues.index(0, 1)) == "6"

    # AND the full report can be saved for whoever fixes the ERP
    target = tmp_path / "errori.xlsx"
    with qtbot.waitSignal(page.report_exported, timeout=10000):
        page.export_report_to(target)
    rows = list(load_workbook(target)["Segnalazioni"].iter_rows(values_only=True))
    assert rows[0][0] == "Gravità"
    assert any(row[0] == "Errore" and row[3] == 6 for row in rows[1:])
    assert count_rows(context, Credit) == 0


def test_cancel_during_the_import_writes_nothing(
    qtbot: QtBot, wizard: ImportWizard, context: AppContext, good_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN an import that stops, mid-write, at its first progress report, until the clerk has acted
    reached, resume = threading.Event(), threading.Event()
    real = imports.import_schedule

    def gated(*args: Any, progress: Callable[[int, int], None], **kwargs: Any) -> ImportResult:
        request = args[2]

        def report(done: int, total: int) -> None:
            if not request.dry_run and done > 0 and not reached.is_set():
                reached.set()
                assert resume.wait(20)
            progress(done, total)

        return real(*args, progress=report, **kwargs)

    monkeypatch.setattr(imports, "import_schedule", gated)
    go_to_preview(qtbot, wizard, good_file)
    credits_before, subjects_before = count_rows(context, Credit), count_rows(context, Subject)

    # WHEN the clerk presses Interrompi while the worker is inside the transaction
    click_next(qtbot, wizard)
    qtbot.waitUntil(reached.is_set, timeout=20000)
    page = wizard.apply_page
    assert page.cancel_button.isVisible() and page.progress_bar.isVisible()
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)  # the UI thread is free to take the click
    with qtbot.waitSignal(page.import_finished, timeout=20000) as blocker:
        resume.set()

    # THEN nothing was written and the clerk may go back and try again
    assert blocker.args == [None]
    assert "non è stato scritto nulla" in page.status_label.text()
    assert wizard.currentPage() is page
    assert count_rows(context, Credit) == credits_before == 0
    assert count_rows(context, Subject) == subjects_before
    assert count_rows(context, ScheduleImport) == 0
    assert wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    assert not list(context.settings.archive_path.rglob("*.xlsx"))


def test_cancelling_the_wizard_while_it_imports_stops_first_then_closes(
    qtbot: QtBot, wizard: ImportWizard, context: AppContext, good_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reached, resume = threading.Event(), threading.Event()
    real = imports.import_schedule

    def gated(*args: Any, progress: Callable[[int, int], None], **kwargs: Any) -> ImportResult:
        def report(done: int, total: int) -> None:
            if not args[2].dry_run and not reached.is_set():
                reached.set()
                assert resume.wait(20)
            progress(done, total)

        return real(*args, progress=report, **kwargs)

    monkeypatch.setattr(imports, "import_schedule", gated)
    go_to_preview(qtbot, wizard, good_file)
    click_next(qtbot, wizard)
    qtbot.waitUntil(reached.is_set, timeout=20000)
    wizard.reject()
    assert wizard.isVisible()  # still open: the transaction has not rolled back yet
    with qtbot.waitSignal(wizard.rejected, timeout=20000):
        resume.set()
    assert count_rows(context, Credit) == 0


def test_an_unreadable_file_is_explained_on_the_first_page(qtbot: QtBot, wizard: ImportWizard, tmp_path: Path) -> None:
    broken = tmp_path / "rotto.xlsx"
    broken.write_bytes(b"this is not a workbook")
    with qtbot.waitSignal(wizard.file_page.file_inspected, timeout=10000) as blocker:
        wizard.file_page.set_path(broken)
    assert blocker.args == [False]
    assert wizard.file_page.status_label.text()
    assert not wizard.file_page.isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_a_header_row_chosen_by_hand_is_used(qtbot: QtBot, wizard: ImportWizard, good_file: Path) -> None:
    pick_file(qtbot, wizard, good_file)
    click_next(qtbot, wizard)
    page = wizard.sheet_page
    page.header_row_spin.setValue(1)
    assert wizard.state.header_row == 1
    assert "a mano" in page.hint_label.text()
    index = page.rows_view.model().index(2, 0)  # row 4: the blank row 3 is not shown
    page.rows_view.clicked.emit(index)
    assert wizard.state.header_row == HEADER_ROW
    assert wizard.state.headers[:2] == ["N. Fattura", "Ragione sociale"]


def test_the_credits_page_opens_the_wizard_and_reloads_after_an_import(
    qtbot: QtBot, context: AppContext, good_file: Path
) -> None:
    page = CreditsPage(context)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.results_shown, timeout=10000):
        page.show()
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    wizard = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ImportWizard) and w.isVisible())
    qtbot.waitUntil(lambda: wizard.state.creditor_id is not None, timeout=10000)
    go_to_preview(qtbot, wizard, good_file)
    with qtbot.waitSignal(page.results_shown, timeout=20000) as shown:
        click_next(qtbot, wizard)
    assert shown.args == [3]
    wizard.accept()


def test_the_wizard_speaks_english_when_asked(qtbot: QtBot, context: AppContext, qapp: QApplication) -> None:
    install_translators("en", qapp)
    try:
        widget = ImportWizard(context)
        qtbot.addWidget(widget)
        assert widget.windowTitle() == "Import schedule"
        assert widget.file_page.full_export_check.text().startswith("The file holds")
        widget.file_page.initializePage()  # nothing may be left running into the next test
        qtbot.waitUntil(lambda: widget.state.creditor_id is not None, timeout=10000)
    finally:
        remove_translators(qapp)
        install_translators("it", qapp)
