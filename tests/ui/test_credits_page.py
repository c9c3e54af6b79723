"""The Credits page with pytest-qt: lazy model, search, filters, sort, totals, detail and export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.models import Allocation, CreditStatus, Payment, PaymentSource, SubjectKind
from app.services.credits.query import SortKey
from app.services.unit_of_work import UnitOfWork
from app.ui.credits_model import ID_ROLE, columns
from app.ui.credits_page import CreditsPage
from app.ui.i18n import install_translators, remove_translators
from tests.support.builders import Builder

CREDITS = 650


@pytest.fixture
def page(qtbot: QtBot, context: AppContext) -> CreditsPage:
    """The page over 650 credits of the default creditor, shown and loaded."""
    with UnitOfWork(context.db) as uow:
        b = Builder(uow.session)
        b.creditor = uow.session.get(type(b.creditor), context.creditor_id())  # type: ignore[assignment]
        admin = b.subject("Studio Bianchi", SubjectKind.ADMINISTRATOR)
        condo = b.subject("Condominio Via Roma 12", SubjectKind.CONDOMINIUM)
        b.assign(condo, admin, date(2020, 1, 1))
        rossi = b.subject("Rossi Mario", tax_code="RSSMRA80A01H501U")
        roll = b.roll("Ruolo premi 2026")
        for i in range(CREDITS - 2):
            b.credit(condo, f"{100 + i % 50}.00", payer=admin, due=date(2026, 1 + i % 12, 10), flush=False)
        partial = b.credit(
            rossi,
            "1000.00",
            outstanding="400.00",
            status=CreditStatus.PARTIALLY_PAID,
            roll=roll,
            reference="POL-1",
        )
        b.credit(rossi, "5.00", status=CreditStatus.OVERDUE, reference="POL-2", due=date(2025, 1, 1))
        payment = Payment(
            creditor_id=b.creditor.id, source=PaymentSource.BANK, received_on=date(2026, 5, 2), amount=Decimal("700.00")
        )
        payment.allocations.append(Allocation(credit_id=partial.id, amount=Decimal("600.00")))
        uow.session.add(payment)
        uow.commit()
    widget = CreditsPage(context)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.results_shown, timeout=10000):
        widget.show()
    return widget


def _wait_results(qtbot: QtBot, page: CreditsPage, action: object) -> None:
    with qtbot.waitSignal(page.results_shown, timeout=10000):
        action()  # type: ignore[operator]


def test_model_holds_ids_and_only_a_window_of_rows(page: CreditsPage) -> None:
    model = page.model
    assert model.rowCount() == CREDITS
    assert model.cached_rows() <= 400
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    last = model.index(CREDITS - 1, 0)
    assert model.data(last) and model.data(last, ID_ROLE) == model.ids[-1]
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is None


def test_totals_follow_the_filtered_set(qtbot: QtBot, page: CreditsPage) -> None:
    assert page.totals_label.text().startswith("650 crediti")
    _wait_results(qtbot, page, lambda: page.filter_bar.search_edit.setText("rossi"))
    assert page.model.rowCount() == 2
    assert page.totals_label.text() == "2 crediti · importo 1.005,00 € · residuo 405,00 €"


def test_search_by_tax_code_and_reference(qtbot: QtBot, page: CreditsPage) -> None:
    _wait_results(qtbot, page, lambda: page.filter_bar.search_edit.setText("RSSMRA80"))
    assert page.model.rowCount() == 2
    _wait_results(qtbot, page, lambda: page.filter_bar.search_edit.setText("pol-2"))
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 0)) == "POL-2"


def test_status_roll_administrator_and_date_filters(qtbot: QtBot, page: CreditsPage) -> None:
    bar = page.filter_bar
    _wait_results(
        qtbot, page, lambda: bar.status_combo.setCurrentIndex(bar.status_combo.findData(CreditStatus.OVERDUE))
    )
    assert page.model.rowCount() == 1
    status_column = [c.key for c in columns()].index(SortKey.STATUS)
    assert page.model.data(page.model.index(0, status_column)) == "Scaduto"
    _wait_results(qtbot, page, bar.reset)
    assert page.model.rowCount() == CREDITS
    _wait_results(qtbot, page, lambda: bar.roll_combo.setCurrentIndex(1))
    assert page.model.rowCount() == 1
    _wait_results(qtbot, page, bar.reset)
    _wait_results(qtbot, page, lambda: bar.administrator_combo.setCurrentIndex(1))
    assert page.model.rowCount() == CREDITS - 2
    _wait_results(qtbot, page, bar.reset)
    _wait_results(qtbot, page, lambda: bar.due_from_edit.setDate(QDate(2026, 12, 1)))
    assert page.model.rowCount() == (CREDITS - 2) // 12


def test_sort_by_clicking_a_header_goes_back_to_sql(qtbot: QtBot, page: CreditsPage) -> None:
    amount_column = [c.key for c in columns()].index(SortKey.AMOUNT)
    _wait_results(qtbot, page, lambda: page.table_view.sortByColumn(amount_column, Qt.SortOrder.DescendingOrder))
    assert page.model.data(page.model.index(0, amount_column)) == "1.000,00 €"
    _wait_results(qtbot, page, lambda: page.table_view.sortByColumn(amount_column, Qt.SortOrder.AscendingOrder))
    assert page.model.data(page.model.index(0, amount_column)) == "5,00 €"


def test_selecting_a_row_shows_its_detail(qtbot: QtBot, page: CreditsPage) -> None:
    _wait_results(qtbot, page, lambda: page.filter_bar.search_edit.setText("POL-1"))
    page.table_view.selectRow(0)
    qtbot.waitUntil(lambda: "Rossi Mario" in page.detail_view.toPlainText(), timeout=5000)
    text = page.detail_view.toPlainText()
    assert "POL-1" in text and "400,00 €" in text
    assert "02/05/2026" in text and "Banca" in text and "600,00 € di 700,00 €" in text


def test_export_writes_what_the_table_shows(qtbot: QtBot, page: CreditsPage, tmp_path: Path) -> None:
    _wait_results(qtbot, page, lambda: page.filter_bar.search_edit.setText("rossi"))
    target = tmp_path / "rossi.xlsx"
    with qtbot.waitSignal(page.export_finished, timeout=10000):
        page.export_to(target)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert len(rows) == 3
    assert {r[0] for r in rows[1:]} == {"POL-1", "POL-2"}
    assert "Esportati 2 crediti" in page.totals_label.text()


def test_a_sort_while_a_search_is_pending_still_shows_results(qtbot: QtBot, page: CreditsPage) -> None:
    # GIVEN a search whose totals have not arrived yet
    page.filter_bar.search_edit.blockSignals(True)
    page.filter_bar.search_edit.setText("rossi")
    page.filter_bar.search_edit.blockSignals(False)
    amount_column = [c.key for c in columns()].index(SortKey.AMOUNT)
    # WHEN the clerk clicks a header at once, overtaking it
    with qtbot.waitSignal(page.results_shown, timeout=10000):
        page.refresh()
        page.table_view.sortByColumn(amount_column, Qt.SortOrder.DescendingOrder)
    # THEN the newest query's rows and totals are both shown
    assert page.model.rowCount() == 2
    assert page.model.data(page.model.index(0, amount_column)) == "1.000,00 €"
    assert page.totals_label.text().startswith("2 crediti")


def test_an_english_interface_exports_english_titles_and_statuses(
    qtbot: QtBot, page: CreditsPage, tmp_path: Path, qapp: QApplication
) -> None:
    install_translators("en", qapp)
    try:
        _wait_results(qtbot, page, lambda: page.filter_bar.search_edit.setText("pol-2"))
        target = tmp_path / "overdue.xlsx"
        with qtbot.waitSignal(page.export_finished, timeout=10000):
            page.export_to(target)
    finally:
        remove_translators(qapp)
        install_translators("it", qapp)
    header, row = list(load_workbook(target).active.iter_rows(values_only=True))
    assert header[0] == "Number" and "Status" in header
    assert row[header.index("Status")] == "Overdue"
