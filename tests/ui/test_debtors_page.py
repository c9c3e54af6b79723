"""The Debtors page as a clerk uses it: search the registry, open a condominium, open an administrator."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QMessageLogContext,
    Qt,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.models import SubjectKind
from app.services import debtors
from app.services.database import Database
from app.services.debtors import AssignmentRow, CondominiumRow, OpenCredits, SubjectRow
from app.ui import debtors_page
from app.ui.debtors_page import DebtorsPage
from app.ui.ops import wait_for_operations
from app.ui.widgets.debtors_models import CondominiumTableModel, HistoryTableModel, SubjectTableModel
from tests.services.test_debtors import TODAY, Registry, build_registry

WAIT_MS = 10_000


@pytest.fixture
def registry(context: AppContext, monkeypatch: pytest.MonkeyPatch) -> Registry:
    built = build_registry(context.db)
    # prepare() made a default creditor first; the settings point the window at ours.
    context.settings.default_creditor = "Consorzio TREE"
    monkeypatch.setattr(debtors, "rome_today", lambda: TODAY)
    return built


@pytest.fixture
def page(qtbot: QtBot, context: AppContext, registry: Registry) -> Iterator[DebtorsPage]:
    widget = DebtorsPage(context)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    with qtbot.waitSignal(widget.results_shown, timeout=WAIT_MS):
        widget.show()
    yield widget
    # No worker may outlive the test's database.
    wait_for_operations()


def search(qtbot: QtBot, page: DebtorsPage, text: str) -> None:
    with qtbot.waitSignal(page.results_shown, timeout=WAIT_MS):
        page.search_edit.setText(text)


def select(qtbot: QtBot, page: DebtorsPage, name: str) -> None:
    rows = [row.name for row in page.results_model.rows()]
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        page.results_table.selectRow(rows.index(name))


def record_searches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Let searches run as usual, noting the text of each."""
    calls: list[str] = []
    real = debtors_page.search_subjects

    def recording(db: Database, creditor_id: int, text: str, *args: Any, **kwargs: Any) -> list[SubjectRow]:
        calls.append(text)
        return real(db, creditor_id, text, *args, **kwargs)

    monkeypatch.setattr(debtors_page, "search_subjects", recording)
    return calls


def column_texts(model: QAbstractItemModel, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_first_search_waits_for_the_page_to_be_shown(
    qtbot: QtBot, context: AppContext, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = record_searches(monkeypatch)
    widget = DebtorsPage(context)
    qtbot.addWidget(widget)
    qtbot.wait(50)
    assert calls == []
    with qtbot.waitSignal(widget.results_shown, timeout=WAIT_MS):
        widget.show()
    assert calls == [""]
    assert widget.results_model.rowCount() == 9
    assert widget.count_label.text() == "9 soggetti"
    wait_for_operations()


def test_typing_searches_once_after_a_pause(qtbot: QtBot, page: DebtorsPage, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = record_searches(monkeypatch)
    with qtbot.waitSignal(page.results_shown, timeout=WAIT_MS):
        qtbot.keyClicks(page.search_edit, "condominio")
    assert calls == ["condominio"]
    qtbot.waitUntil(lambda: page.results_model.rowCount() == 4, timeout=WAIT_MS)
    assert column_texts(page.results_model, 1) == [
        "Condominio Aurora",
        "Condominio Belvedere",
        "Condominio Cedri",
        "Condominio Delfino",
    ]


def test_kind_filter(qtbot: QtBot, page: DebtorsPage) -> None:
    with qtbot.waitSignal(page.results_shown, timeout=WAIT_MS):
        page.kind_combo.setCurrentIndex(page.kind_combo.findData(SubjectKind.ADMINISTRATOR))
    assert column_texts(page.results_model, 1) == [
        "Studio Bianchi Amministrazioni",
        "Verdi Gestioni Immobiliari",
    ]
    assert set(column_texts(page.results_model, 0)) == {"Amministratore"}
    assert [page.kind_combo.itemText(i) for i in range(page.kind_combo.count())] == [
        "Tutti",
        "Persone",
        "Società",
        "Condomini",
        "Amministratori",
    ]


def test_search_by_tax_code_and_empty_result_message(qtbot: QtBot, page: DebtorsPage) -> None:
    search(qtbot, page, "rssmra80a01h501u")
    assert column_texts(page.results_model, 1) == ["Mario Rossi"]
    assert page.count_label.text() == "1 soggetto"
    search(qtbot, page, "zzzz")
    assert page.results_model.rowCount() == 0
    # The table makes room for a message that says what to do.
    assert page.results_stack.currentWidget() is page.empty_label
    assert "Nessun soggetto trovato" in page.empty_label.text()
    search(qtbot, page, "rossi")
    assert page.results_stack.currentWidget() is page.results_table


def test_results_show_money_in_italian_right_aligned_and_flag_invalid_codes(qtbot: QtBot, page: DebtorsPage) -> None:
    model = page.results_model
    names = column_texts(model, 1)
    company = model.index(names.index("Ascensori Lombardi S.r.l."), 6)
    assert company.data() == "1.244,56 €"
    assert (
        company.data(Qt.ItemDataRole.TextAlignmentRole) == Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    bianchi = names.index("Studio Bianchi Amministrazioni")
    assert model.index(bianchi, 4).data() == "Pagatore"
    assert "6 crediti aperti, 360,40 €" in model.index(bianchi, 4).data(Qt.ItemDataRole.ToolTipRole)
    flagged_code = model.index(names.index("Luigi Rossini"), 2)
    assert flagged_code.data() == "RSSLGU70A01H501X"
    assert flagged_code.data(Qt.ItemDataRole.ToolTipRole) == (
        "Codice fiscale non valido: Il carattere di controllo non è corretto"
    )
    assert flagged_code.data(Qt.ItemDataRole.DecorationRole) is not None
    valid_code = model.index(names.index("Mario Rossi"), 2)
    assert valid_code.data(Qt.ItemDataRole.DecorationRole) is None
    assert valid_code.data(Qt.ItemDataRole.ToolTipRole) is None


def test_condominium_shows_its_administrators_in_order(qtbot: QtBot, page: DebtorsPage) -> None:
    # GIVEN the clerk finds the condominium that changed administrator on 1 July
    search(qtbot, page, "delfino")
    # WHEN it selects it
    select(qtbot, page, "Condominio Delfino")
    # THEN the history lists the old administrator, then the current one
    detail = page.detail
    assert detail.relations_stack.isVisible() and detail.history_table.isVisible()
    assert detail.history_table.model() is detail.history_model
    rows = [column_texts(detail.history_model, column) for column in range(4)]
    assert list(zip(*rows, strict=True)) == [
        ("Studio Bianchi Amministrazioni", "01/01/2023", "30/06/2026", "No"),
        ("Verdi Gestioni Immobiliari", "01/07/2026", "", "Sì"),
    ]
    assert detail.title_label.text() == "Condominio Delfino"
    assert not detail.condominiums_table.isVisible()


def test_administrator_shows_its_condominiums_and_totals(qtbot: QtBot, page: DebtorsPage) -> None:
    search(qtbot, page, "bianchi")
    select(qtbot, page, "Studio Bianchi Amministrazioni")
    detail = page.detail
    assert detail.condominiums_table.isVisible() and not detail.history_table.isVisible()
    assert column_texts(detail.condominiums_model, 0) == [
        "Condominio Aurora",
        "Condominio Belvedere",
        "Condominio Cedri",
    ]
    assert column_texts(detail.condominiums_model, 6) == ["150,10 €", "0,30 €", "0,00 €"]
    assert detail.totals_label.text() == "3 condomini · residuo totale 150,40 €"
    # WHEN the clerk asks for past condominiums too, Delfino (left on 30 June) appears, greyed
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
        detail.past_check.setChecked(True)
    assert column_texts(detail.condominiums_model, 0)[-1] == "Condominio Delfino"
    assert column_texts(detail.condominiums_model, 4) == ["Attuale", "Attuale", "Attuale", "Passato"]
    delfino = detail.condominiums_model.index(3, 0)
    assert delfino.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert detail.totals_label.text() == "4 condomini · residuo totale 650,40 €"


def test_one_condominium_reads_in_the_singular(qtbot: QtBot, page: DebtorsPage) -> None:
    search(qtbot, page, "verdi")
    select(qtbot, page, "Verdi Gestioni Immobiliari")
    assert column_texts(page.detail.condominiums_model, 0) == ["Condominio Delfino"]
    assert page.detail.totals_label.text() == "1 condominio · residuo totale 500,00 €"


def test_administrator_without_condominiums_today_says_so(
    qtbot: QtBot, page: DebtorsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The day before Verdi took over Delfino, Verdi managed nothing.
    monkeypatch.setattr(debtors, "rome_today", lambda: date(2026, 6, 30))
    search(qtbot, page, "verdi")
    select(qtbot, page, "Verdi Gestioni Immobiliari")
    detail = page.detail
    assert detail.condominiums_model.rowCount() == 0
    assert not detail.condominiums_table.isVisible() and detail.condominiums_empty_label.isVisible()
    assert "Nessun condominio amministrato oggi" in detail.condominiums_empty_label.text()
    assert detail.totals_label.text() == "0 condomini · residuo totale 0,00 €"


def test_person_shows_contacts(qtbot: QtBot, page: DebtorsPage) -> None:
    search(qtbot, page, "rossi")
    select(qtbot, page, "Mario Rossi")
    detail = page.detail
    assert detail.contacts_box.isVisible() and not detail.relations_stack.isVisible()
    labels = detail._contact_labels
    assert labels["email"].text() == "mario.rossi@example.it"
    assert labels["whatsapp"].text() == "Sì, dal 02/03/2026"
    assert labels["channel"].text() == "WhatsApp"
    assert labels["pec"].text() == "—"
    assert detail.identity_label.text() == "Persona · C.F. RSSMRA80A01H501U"
    assert not detail.problems_label.isVisible()
    select(qtbot, page, "Luigi Rossini")
    assert detail.problems_label.isVisible()
    assert "Codice fiscale non valido" in detail.problems_label.text()


def test_selection_survives_a_new_search_that_still_finds_it(qtbot: QtBot, page: DebtorsPage) -> None:
    search(qtbot, page, "condominio")
    select(qtbot, page, "Condominio Delfino")
    search(qtbot, page, "delfino")
    assert page.results_table.selectionModel().selectedRows()[0].row() == 0
    assert page.detail.title_label.text() == "Condominio Delfino"
    search(qtbot, page, "aurora")
    assert not page.results_table.selectionModel().hasSelection()
    assert page.detail.message_label.isVisible()


def test_stale_results_are_ignored(qtbot: QtBot, page: DebtorsPage, monkeypatch: pytest.MonkeyPatch) -> None:
    real = debtors_page.search_subjects
    slow_done = threading.Event()

    def slow_for_aurora(db: Database, creditor_id: int, text: str, *args: Any, **kwargs: Any) -> list[SubjectRow]:
        if text != "aurora":
            return real(db, creditor_id, text, *args, **kwargs)
        time.sleep(0.5)
        try:
            return real(db, creditor_id, text, *args, **kwargs)
        finally:
            slow_done.set()

    monkeypatch.setattr(debtors_page, "search_subjects", slow_for_aurora)
    shown: list[int] = []
    page.results_shown.connect(shown.append)
    page.search_edit.setText("aurora")
    page.search()
    page.search_edit.setText("bianchi")
    page.search()
    # The slow, older answer arrives last and must not replace the newer one.
    qtbot.waitUntil(slow_done.is_set, timeout=WAIT_MS)
    qtbot.wait(200)
    assert shown == [1]
    assert column_texts(page.results_model, 1) == ["Studio Bianchi Amministrazioni"]


def test_a_failed_search_is_explained(qtbot: QtBot, page: DebtorsPage, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> list[SubjectRow]:
        raise RuntimeError("connessione persa")

    monkeypatch.setattr(debtors_page, "search_subjects", broken)
    with qtbot.waitSignal(page.results_shown, timeout=WAIT_MS) as blocker:
        page.search()
    assert blocker.args == [-1]
    assert page.count_label.text() == "Ricerca non riuscita: RuntimeError: connessione persa"


def test_sorting_results_by_outstanding(qtbot: QtBot, page: DebtorsPage) -> None:
    page.results_table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
    assert column_texts(page.results_model, 6)[:3] == ["1.244,56 €", "500,00 €", "360,40 €"]
    # A new search keeps the clerk's sort.
    search(qtbot, page, "condominio")
    assert column_texts(page.results_model, 1)[:2] == ["Condominio Delfino", "Condominio Aurora"]


@contextmanager
def model_tester_failures(*models: QAbstractItemModel) -> Iterator[list[str]]:
    """Watch ``models`` with Qt's QAbstractItemModelTester and collect what it reports.

    Our own message handler, not pytest-qt's log capture, so the check also holds under ``pytest -s``.
    """
    failures: list[str] = []

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if context.category == "qt.modeltest":
            failures.append(message)
        elif previous is not None:
            previous(mode, context, message)

    previous = qInstallMessageHandler(handler)
    mode = QAbstractItemModelTester.FailureReportingMode.Warning
    testers = [QAbstractItemModelTester(model, mode) for model in models]
    try:
        yield failures
    finally:
        qInstallMessageHandler(previous)
        del testers


def assert_model_passes(model: QAbstractItemModel, steps: list[Callable[[], object]]) -> None:
    """Run ``steps`` on ``model`` under Qt's own model tester; any complaint fails the test."""
    with model_tester_failures(model) as failures:
        for step in steps:
            step()
    assert failures == []


class _BrokenModel(QAbstractTableModel):
    """Claims children under every cell: what the tester exists to catch."""

    def rowCount(self, parent: Any = None) -> int:
        return 2

    def columnCount(self, parent: Any = None) -> int:
        return 2

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return "x" if role == Qt.ItemDataRole.DisplayRole else None


def test_the_model_check_catches_a_broken_model(qtbot: QtBot) -> None:
    with model_tester_failures(_BrokenModel()) as failures:
        pass
    assert any("FAIL" in failure for failure in failures)


def subject_row(index: int, name: str, outstanding: str, problem: str | None = None) -> SubjectRow:
    return SubjectRow(
        id=index, kind=SubjectKind.PERSON, name=name, tax_code="RSSMRA80A01H501U", tax_code_problem=problem,
        vat_number=None, vat_number_problem=None, city="Roma", province="RM", mobile=None, email=None,
        pec=None, as_holder=OpenCredits(1, Decimal(outstanding)), as_payer=OpenCredits(),
    )  # fmt: skip


def test_models_pass_the_qt_model_tester(qtbot: QtBot) -> None:
    subjects = SubjectTableModel()
    rows = [subject_row(i, f"Nome {i}", f"{i}.50", "errato" if i % 3 else None) for i in range(30)]
    assert_model_passes(
        subjects,
        [lambda: subjects.set_rows(rows), lambda: subjects.sort(6, Qt.SortOrder.DescendingOrder),
         lambda: subjects.sort(-1), lambda: subjects.set_rows([])],
    )  # fmt: skip
    history = HistoryTableModel()
    terms = [
        AssignmentRow(1, 10, "Bianchi", date(2020, 1, 1), date(2026, 6, 30), False),
        AssignmentRow(2, 11, "Verdi", date(2026, 7, 1), None, True),
    ]
    assert_model_passes(history, [lambda: history.set_rows(terms), lambda: history.sort(2)])
    condominiums = CondominiumTableModel()
    buildings = [
        CondominiumRow(i, f"Condominio {i}", "Via Roma 1", "20121", "Milano", "MI", date(2020, 1, 1),
                       None if i % 2 else date(2025, 1, 1), bool(i % 2), i, Decimal(i))
        for i in range(12)
    ]  # fmt: skip
    assert_model_passes(
        condominiums,
        [
            lambda: condominiums.set_rows(buildings),
            lambda: condominiums.sort(6),
            lambda: condominiums.sort(3),
        ],
    )


def test_page_models_pass_the_qt_model_tester_while_used(qtbot: QtBot, page: DebtorsPage) -> None:
    models = (page.results_model, page.detail.history_model, page.detail.condominiums_model)
    with model_tester_failures(*models) as failures:
        search(qtbot, page, "condominio")
        select(qtbot, page, "Condominio Delfino")
        page.results_table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        search(qtbot, page, "")
        select(qtbot, page, "Studio Bianchi Amministrazioni")
        with qtbot.waitSignal(page.detail_shown, timeout=WAIT_MS):
            page.detail.past_check.setChecked(True)
        page.detail.condominiums_table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
    assert failures == []
    assert column_texts(page.detail.condominiums_model, 0)[0] == "Condominio Delfino"
