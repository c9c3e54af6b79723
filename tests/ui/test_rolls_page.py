"""The Rolls page with pytest-qt: a roll formed, sent to the bank, given its MAV codes, moved on and printed."""

from __future__ import annotations

import math
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from app.bootstrap import AppContext
from app.models import Credit, Creditor, CreditStatus, NoticeKind, RollStatus
from app.services.notices.document import SortOrder
from app.services.rolls import RollCriteria, create_roll, list_rolls
from app.services.unit_of_work import UnitOfWork
from app.ui import ops as ops_module
from app.ui.print_preview import BatchPrintPreview, PdfPages
from app.ui.rolls_page import RollsPage
from app.ui.widgets import roll_workflow
from app.ui.widgets.roll_dialogs import PrintOptionsDialog
from app.ui.widgets.roll_models import RollAction, available_actions, next_move, totals_by_status
from tests.support.builders import Builder
from tests.support.cbi_files import bank_answer


def _debtors(context: AppContext, notice_kind: NoticeKind = NoticeKind.MAV) -> None:
    """The app's creditor with its bank data, and two debtors with a postal address and an overdue credit each."""
    with UnitOfWork(context.db) as uow:
        make = Builder(uow.session)
        creditor = uow.session.get_one(Creditor, context.creditor_id())
        make.creditor = creditor
        creditor.notice_kind = notice_kind
        creditor.sia_code, creditor.iban = "A1B2C", "IT60X0542811101000000123456"
        creditor.abi, creditor.cab, creditor.account = "05428", "11101", "000000123456"
        rossi = make.subject("Rossi Mario", tax_code="RSSMRA80A01H501U", street="Via Po 1", postal_code="10100",
                             city="Torino", province="TO")  # fmt: skip
        verdi = make.subject("Verdi Anna", street="Piazza Duomo 2", postal_code="20121", city="Milano")
        make.credit(rossi, "120.00", status=CreditStatus.OVERDUE, reference="POL-1")
        make.credit(verdi, "80.00", status=CreditStatus.OVERDUE, reference="POL-2")
        uow.commit()


@pytest.fixture
def page(qtbot: QtBot, context: AppContext) -> RollsPage:
    """The page over a creditor with two overdue credits and no roll yet, shown and loaded."""
    _debtors(context)
    widget = RollsPage(context)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.rolls_shown, timeout=10000):
        widget.show()
    return widget


def _settled(qtbot: QtBot, page: RollsPage, action: Callable[[], Any]) -> None:
    """Do ``action`` and wait until the page has read the rolls and the selected roll's detail again."""
    with qtbot.waitSignals([page.rolls_shown, page.detail_shown], timeout=15000):
        action()


def _enabled(page: RollsPage) -> set[RollAction]:
    return {action for action, button in page.action_buttons.items() if button.isEnabled()}


def _form_roll(qtbot: QtBot, page: RollsPage) -> None:
    dialog = page.new_roll()
    assert dialog is not None
    dialog.name_edit.setText("Premi 2026")
    dialog.notice_due_check.setChecked(True)
    dialog.notice_due_edit.setDate(QDate(2026, 12, 31))
    _settled(qtbot, page, dialog.accept)


def test_a_roll_from_creation_to_collection(
    qtbot: QtBot, page: RollsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN no roll yet: empty totals, nothing to act on but a new roll
    assert page.rolls_model.rowCount() == 0
    assert "0 ruoli" in page.totals_strip.text_of(RollStatus.DRAFT)
    assert page.new_button.isEnabled() and _enabled(page) == set()
    # WHEN the clerk fills the new roll dialog and confirms it
    _form_roll(qtbot, page)
    # THEN the draft is selected with its two notices, its history and the totals strip counts it
    roll = page.selected_roll()
    assert roll is not None and (roll.name, roll.status, roll.notices, roll.credits) == (
        "Premi 2026",
        RollStatus.DRAFT,
        2,
        2,
    )
    assert roll.due_date == date(2026, 12, 31)
    assert "Bozza 1 ruolo · 200,00 €" in page.totals_strip.text_of(RollStatus.DRAFT)
    assert "2 avvisi" in page.message_label.text()
    assert {row.payer_name for row in page.notices_model.rows()} == {"Rossi Mario", "Verdi Anna"}
    assert [(e.to_status, e.user_name) for e in page.events_model.rows()] == [(RollStatus.DRAFT, "tester")]
    assert _enabled(page) == {RollAction.EXPORT, RollAction.PRINT, RollAction.DELETE}
    # WHEN it is sent to the bank
    flow = tmp_path / "mav.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(flow), ""))
    _settled(qtbot, page, page.export_button.click)
    # THEN the CBI flow is written and the roll waits for its codes
    assert flow.read_bytes().startswith(b" IM")
    assert page.selected_roll().status is RollStatus.SENT_TO_BANK  # type: ignore[union-attr]
    assert "Inviato in banca 1 ruolo · 200,00 €" in page.totals_strip.text_of(RollStatus.SENT_TO_BANK)
    assert "0 ruoli" in page.totals_strip.text_of(RollStatus.DRAFT)
    assert RollAction.IMPORT_CODES in _enabled(page) and RollAction.BACK_TO_DRAFT in _enabled(page)
    assert RollAction.EXPORT not in _enabled(page) and RollAction.DELETE not in _enabled(page)
    # WHEN the bank's codes come back in a file naming a notice of no roll
    wrong = tmp_path / "codici-sbagliati.csv"
    wrong.write_text("N. disposizione;Codice MAV\n424242;X1\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(wrong), ""))
    page.import_codes_button.click()
    # THEN the file is refused and every reason listed
    qtbot.waitUntil(lambda: page.workflow.messages_dialog is not None, timeout=10000)
    refused = page.workflow.messages_dialog
    assert refused is not None and any("424242" in line for line in refused.lines())
    refused.close()
    # WHEN the right answer is read
    codes = {str(row.id): f"MAV{row.id:09d}" for row in page.notices_model.rows()}
    answer = tmp_path / "codici.txt"
    answer.write_bytes(bank_answer(flow.read_bytes(), codes))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(answer), ""))
    _settled(qtbot, page, page.import_codes_button.click)
    # THEN every notice has its code and the roll's notices are issued
    assert {row.code for row in page.notices_model.rows()} == set(codes.values())
    assert page.selected_roll().status is RollStatus.NOTICES_ISSUED  # type: ignore[union-attr]
    assert "Codici MAV applicati: 2" in page.message_label.text()
    # WHEN the clerk moves it on and confirms
    asked: list[str] = []

    def answer_yes(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return _yes()

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    _settled(qtbot, page, page.advance_button.click)
    # THEN it is in collection, each move in its history with who made it
    assert "In riscossione" in asked[0]
    assert page.selected_roll().status is RollStatus.IN_COLLECTION  # type: ignore[union-attr]
    assert [e.to_status for e in page.events_model.rows()] == [
        RollStatus.DRAFT,
        RollStatus.SENT_TO_BANK,
        RollStatus.NOTICES_ISSUED,
        RollStatus.IN_COLLECTION,
    ]
    assert {e.user_name for e in page.events_model.rows()} == {"tester"}
    assert "In riscossione 1 ruolo · 200,00 €" in page.totals_strip.text_of(RollStatus.IN_COLLECTION)
    assert _enabled(page) == {RollAction.ADVANCE, RollAction.PRINT, RollAction.ARCHIVE}


def _yes() -> QMessageBox.StandardButton:
    return QMessageBox.StandardButton.Yes


def test_printing_writes_the_batch_and_opens_the_preview(
    qtbot: QtBot, page: RollsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a draft roll of two notices
    _form_roll(qtbot, page)
    monkeypatch.setattr(PrintOptionsDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)
    seen: dict[str, Any] = {}

    def preview_exec(dialog: BatchPrintPreview) -> int:
        # THEN the preview shows the batch: a cover and one page per notice, all of them in the preview
        seen["path"] = dialog.preview.path
        seen["pages"], seen["images"] = dialog.preview.pages.page_count, len(dialog.preview.images)
        seen["pdf_head"] = dialog.preview.path.read_bytes()[:5]
        # WHEN the clerk saves the PDF and prints it (to a PDF file standing for the printer)
        with qtbot.waitSignal(dialog.saved, timeout=10000):
            dialog.save_to(tmp_path / "copia.pdf")
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "stampato.pdf"))
        with qtbot.waitSignal(dialog.printed, timeout=30000) as printed:
            dialog.start_printing()
        seen["printed"] = printed.args[0]
        return 0

    monkeypatch.setattr(BatchPrintPreview, "exec", preview_exec)
    # WHEN the clerk asks to print the notices
    with qtbot.waitSignal(page.workflow.preview_opened, timeout=30000):
        page.print_button.click()
    assert seen["pdf_head"] == b"%PDF-"
    assert seen["pages"] >= 3 and seen["images"] == seen["pages"]
    assert "pagine" in page.message_label.text() and "2 avvisi" in page.message_label.text()
    # THEN the copy is the batch itself, the printout has every page, and the temporary batch goes away
    assert len(PdfReader(tmp_path / "copia.pdf").pages) == seen["pages"]
    assert seen["printed"] == seen["pages"] and len(PdfReader(tmp_path / "stampato.pdf").pages) == seen["pages"]
    qtbot.waitUntil(lambda: not seen["path"].parent.exists(), timeout=10000)


def test_the_preview_print_button_prints_on_a_worker(
    qtbot: QtBot, page: RollsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a batch PDF of the roll shown in the preview
    _form_roll(qtbot, page)
    roll = page.selected_roll()
    assert roll is not None
    opened: list[BatchPrintPreview] = []

    def keep_open(dialog: BatchPrintPreview) -> int:
        opened.append(dialog)
        return 0

    monkeypatch.setattr(BatchPrintPreview, "exec", keep_open)
    monkeypatch.setattr(BatchPrintPreview, "deleteLater", lambda _dialog: None)
    monkeypatch.setattr(page.workflow, "_discard", lambda _prepared: None)
    with qtbot.waitSignal(page.workflow.preview_opened, timeout=30000):
        page.workflow.print_batch(roll, SortOrder.ADMINISTRATOR, duplex=True)
    dialog = opened[0]
    printer = dialog.printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "stampato.pdf"))
    monkeypatch.setattr(QPrintDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)
    # WHEN the clerk presses the preview's own Print button
    assert dialog.print_action is not None
    with qtbot.waitSignal(dialog.printed, timeout=30000):
        dialog.print_action.trigger()
    # THEN every page of the batch is printed, by the worker
    assert len(PdfReader(tmp_path / "stampato.pdf").pages) == dialog.preview.pages.page_count
    assert not dialog.is_printing()
    dialog.preview.pages.close()


def test_cancelling_the_batch_leaves_no_file_and_opens_no_preview(
    qtbot: QtBot, page: RollsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a draft roll, and temporary files kept where the test can see them
    _form_roll(qtbot, page)
    roll = page.selected_roll()
    assert roll is not None
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    opened: list[object] = []
    page.workflow.preview_opened.connect(opened.append)
    started = threading.Event()

    def endless_batch(_db: object, _roll_id: int, out: Path, *_args: object, progress: Any, **_kwargs: object) -> None:
        out.write_bytes(b"%PDF-1.4 half a batch")
        started.set()
        for _ in range(1000):
            progress(1, 2)
            time.sleep(0.01)

    monkeypatch.setattr(roll_workflow, "write_roll_batch", endless_batch)
    # WHEN the clerk cancels while the batch is being written
    operation = page.workflow.print_batch(roll, SortOrder.POSTAL_CODE)
    assert started.wait(10)
    operation.progress.cancel()
    # THEN nothing is left behind and no preview opens
    qtbot.waitUntil(lambda: operation not in ops_module._running, timeout=10000)
    assert opened == [] and list(tmp_path.glob("creditdesk-stampa-*")) == []


def test_a_refused_roll_keeps_the_dialog_open_with_the_reason(qtbot: QtBot, page: RollsPage) -> None:
    dialog = page.new_roll()
    assert dialog is not None
    dialog.name_edit.setText("Solo legali")
    for status, check in dialog.status_checks.items():
        check.setChecked(status is CreditStatus.IN_LEGAL)

    dialog.accept()

    qtbot.waitUntil(lambda: "Nessun credito" in dialog.error_label.text(), timeout=10000)
    assert dialog.isVisible() and dialog.buttons.isEnabled()
    assert page.rolls_model.rowCount() == 0


def test_back_to_draft_then_delete_frees_the_credits(
    qtbot: QtBot, page: RollsPage, context: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a roll sent to the bank
    _form_roll(qtbot, page)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(tmp_path / "mav.txt"), ""))
    _settled(qtbot, page, page.export_button.click)
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: _yes())
    # WHEN the bank refuses the flow and the clerk takes the roll back to draft
    _settled(qtbot, page, page.back_to_draft_button.click)
    assert page.selected_roll().status is RollStatus.DRAFT  # type: ignore[union-attr]
    # AND deletes the draft
    with qtbot.waitSignal(page.rolls_shown, timeout=10000) as shown:
        page.delete_button.click()
    # THEN no roll is left and the credits may go on another one
    assert shown.args == [0]
    assert "0 ruoli" in page.totals_strip.text_of(RollStatus.DRAFT)
    with context.db.read_session() as session:
        assert session.scalars(select(Credit.roll_id)).all() == [None, None]


def test_a_declined_confirmation_changes_nothing(
    qtbot: QtBot, page: RollsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    _form_roll(qtbot, page)
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.No)
    page.delete_button.click()
    qtbot.wait(200)
    assert page.rolls_model.rowCount() == 1


def test_models_pass_the_model_tester(qtbot: QtBot, page: RollsPage) -> None:
    _form_roll(qtbot, page)
    for model in (page.rolls_model, page.notices_model, page.events_model):
        QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    page.rolls_table.sortByColumn(5, page.rolls_table.horizontalHeader().sortIndicatorOrder())
    assert page.rolls_model.rowCount() == 1


def test_totals_and_moves_follow_the_states(context: AppContext) -> None:
    _debtors(context, NoticeKind.TRANSFER)
    formed = create_roll(context.db, context.creditor_id(), RollCriteria(name="Bonifici"), user_login="tester")
    (roll,) = list_rolls(context.db, context.creditor_id())
    totals = totals_by_status([roll, roll])
    assert (totals[RollStatus.DRAFT].count, totals[RollStatus.DRAFT].amount) == (2, Decimal("400.00"))
    assert totals[RollStatus.CLOSED].count == 0 and formed.notices == 2
    # A draft of the creditor's own codes is issued directly; a MAV draft goes through the bank export.
    assert next_move(RollStatus.DRAFT, frozenset({NoticeKind.TRANSFER})) is RollStatus.NOTICES_ISSUED
    assert next_move(RollStatus.DRAFT, frozenset({NoticeKind.MAV})) is None
    assert next_move(RollStatus.CLOSED, frozenset()) is None
    transfer = available_actions(roll, frozenset({NoticeKind.TRANSFER}))
    assert RollAction.EXPORT not in transfer and RollAction.ADVANCE in transfer


def test_pdf_pages_render_one_page_at_the_asked_resolution(tmp_path: Path) -> None:
    path = tmp_path / "due.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFillColorRGB(1, 0, 0)
    canvas.rect(0, 0, A4[0], A4[1] / 2, fill=1, stroke=0)
    canvas.showPage()
    canvas.showPage()
    canvas.save()
    pages = PdfPages(path)
    try:
        image = pages.render(0, 72)
    finally:
        pages.close()
    assert pages.page_count == 2
    assert (image.width(), image.height()) == (math.ceil(A4[0]), math.ceil(A4[1]))
    assert image.pixelColor(10, image.height() - 10).name() == "#ff0000"
    assert image.pixelColor(10, 10).name() == "#ffffff"
