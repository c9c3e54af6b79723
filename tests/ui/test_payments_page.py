"""The Payments page with pytest-qt: import a file, place by hand what no rule matched, see the credit paid."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import AppContext
from app.models import Credit, Creditor, CreditStatus
from app.services.unit_of_work import UnitOfWork
from app.ui.credits_page import CreditsPage
from app.ui.main_window import MainWindow
from app.ui.ops import wait_for_operations
from app.ui.payments_page import PaymentsPage
from tests.support.builders import Builder
from tests.support.payment_files import Collection, collections_csv

# assign_payment reads today's date for the credits' statuses: due dates far ahead keep the test independent of it
YEAR = 2090


def _credits(context: AppContext) -> None:
    with UnitOfWork(context.db) as uow:
        make = Builder(uow.session)
        make.creditor = uow.session.get_one(Creditor, context.creditor_id())
        rossi, verdi = make.subject("Rossi Mario"), make.subject("Verdi Anna")
        make.credit(rossi, "100.00", reference="R-1", due=date(YEAR, 5, 31))
        make.credit(verdi, "80.00", reference="V-1", due=date(YEAR, 3, 31))
        uow.commit()


def _unmatched_file(folder: Path) -> Path:
    """The accounting office's list with one collection no rule can place: no invoice, an unknown payer."""
    row = Collection("N/D", Decimal("100.00"), date(2026, 1, 10), "Sconosciuto Srl", "MOV-1", "versamento")
    return collections_csv(folder / "incassi.csv", [row])


@pytest.fixture(autouse=True)
def settled() -> Iterator[None]:
    """Let every background query finish, so none runs into the next test's database."""
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            widget.close()
    for _ in range(3):
        wait_for_operations()
        QCoreApplication.processEvents()


@pytest.fixture
def page(qtbot: QtBot, context: AppContext) -> PaymentsPage:
    """The page over two open credits and an empty queue, shown and loaded."""
    _credits(context)
    widget = PaymentsPage(context)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.queue_shown, timeout=10000):
        widget.show()
    return widget


def _import(qtbot: QtBot, page: PaymentsPage, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(path), ""))
    with qtbot.waitSignals([page.imported, page.queue_shown, page.candidates_shown], timeout=15000):
        page.import_button.click()


def _search(qtbot: QtBot, page: PaymentsPage, text: str) -> None:
    with qtbot.waitSignal(page.candidates_shown, timeout=10000):
        page.search_edit.setText(text)


def test_an_unmatched_payment_is_placed_by_hand(
    qtbot: QtBot, page: PaymentsPage, context: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN an empty queue
    assert page.queue_model.rowCount() == 0
    assert "Nessun incasso" in page.candidates_label.text() and not page.assign_button.isEnabled()
    # WHEN a collection nobody can match is imported
    _import(qtbot, page, _unmatched_file(tmp_path), monkeypatch)
    # THEN the summary says so and the payment waits in the queue, with the credit of the same amount proposed
    assert page.summary_dialog is not None and "Da abbinare: 1" in page.summary_dialog.lines()
    (waiting,) = page.queue_model.rows()
    assert (waiting.amount, waiting.unallocated, waiting.payer_name) == (
        Decimal("100.00"),
        Decimal("100.00"),
        "Sconosciuto Srl",
    )
    assert "1 incasso da abbinare, 100,00 €" in page.queue_label.text()
    proposed = {c.reference: c for c in page.candidates_model.rows()}
    assert proposed["R-1"].reasons == ("stesso importo",)
    # WHEN the clerk searches the credit and chooses it
    _search(qtbot, page, "R-1")
    assert [c.reference for c in page.candidates_model.rows()] == ["R-1"]
    page.candidates_table.selectRow(0)
    assert page.assign_button.isEnabled() and "100,00 €" in page.selection_label.text()
    left: list[Decimal] = []
    page.assigned.connect(left.append)
    with qtbot.waitSignals([page.assigned, page.queue_shown], timeout=15000):
        page.assign_button.click()
    # THEN the queue is empty and the credit is paid
    assert page.queue_model.rowCount() == 0
    assert left == [Decimal("0.00")] and "restano 0,00 €" in page.message_label.text()
    with context.db.read_session() as session:
        credit = session.scalars(select(Credit).where(Credit.reference == "R-1")).one()
        assert (credit.status, credit.outstanding) == (CreditStatus.PAID, Decimal("0.00"))


def test_a_partial_assignment_leaves_the_rest_in_the_queue(
    qtbot: QtBot, page: PaymentsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(qtbot, page, _unmatched_file(tmp_path), monkeypatch)
    _search(qtbot, page, "Verdi")
    page.candidates_table.selectRow(0)

    with qtbot.waitSignals([page.assigned, page.queue_shown], timeout=15000):
        page.assign_button.click()

    (waiting,) = page.queue_model.rows()
    assert waiting.unallocated == Decimal("20.00")
    assert "restano 20,00 €" in page.message_label.text()


def test_the_same_file_twice_changes_nothing(
    qtbot: QtBot, page: PaymentsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _unmatched_file(tmp_path)
    _import(qtbot, page, path, monkeypatch)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(path), ""))

    with qtbot.waitSignal(page.imported, timeout=15000):
        page.import_button.click()

    assert "già stato importato" in page.message_label.text()
    assert page.queue_model.rowCount() == 1


def test_an_unreadable_file_is_refused_with_the_reason(
    qtbot: QtBot, page: PaymentsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    garbage = tmp_path / "estratto.bin"
    garbage.write_bytes(b"\x00\x01\x02 not a table")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(garbage), ""))

    page.import_button.click()

    qtbot.waitUntil(lambda: bool(warnings), timeout=10000)
    assert "estratto.bin" in warnings[0]
    assert page.queue_model.rowCount() == 0


def test_models_pass_the_model_tester(
    qtbot: QtBot, page: PaymentsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(qtbot, page, _unmatched_file(tmp_path), monkeypatch)
    for model in (page.queue_model, page.candidates_model):
        QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)


def test_the_file_menu_imports_payments_and_the_credits_page_follows(
    qtbot: QtBot, context: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the window on the Credits page, with R-1 open
    _credits(context)
    window = MainWindow(context)
    qtbot.addWidget(window)
    credits = window.page("credits")
    assert isinstance(credits, CreditsPage)
    with qtbot.waitSignal(credits.results_shown, timeout=10000):
        window.show()
    # WHEN the clerk imports payments from the File menu
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(_unmatched_file(tmp_path)), ""))
    window.import_payments_action.trigger()
    page = window.pages_stack.currentWidget()
    assert isinstance(page, PaymentsPage) and window.current_page_key() == "payments"
    qtbot.waitUntil(lambda: page.queue_model.rowCount() == 1, timeout=15000)
    # AND assigns the payment to R-1
    _search(qtbot, page, "R-1")
    page.candidates_table.selectRow(0)
    assert _status_shown(credits, "R-1") == "In attesa di pagamento"
    page.assign_button.click()
    # THEN the Credits page, already open, shows R-1 paid
    qtbot.waitUntil(lambda: _status_shown(credits, "R-1") == "Pagato", timeout=15000)


def _status_shown(credits: CreditsPage, reference: str) -> str | None:
    model = credits.model
    for row in range(model.rowCount()):
        if model.data(model.index(row, 0)) == reference:
            return str(model.data(model.index(row, 6)))
    return None
