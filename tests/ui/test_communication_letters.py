"""The post room on the Communications page: the queued registered letter printed, its number and its return
receipt recorded from the window, the scan archived."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import AppContext
from app.models import Communication, CommunicationStatus, CreditStatus, Document, DocumentKind
from app.services.dunning import outbox
from app.services.dunning.planner import plan
from app.services.unit_of_work import UnitOfWork
from app.settings import Settings
from app.ui.communications_page import CommunicationsPage
from app.ui.ops import wait_for_operations
from app.ui.widgets.communication_letters import ReturnReceiptDialog
from tests.support.builders import Builder

TIMEOUT = 15000
DUE = date(2026, 7, 6)


@pytest.fixture(autouse=True)
def settled() -> Iterator[None]:
    yield
    for _ in range(3):
        wait_for_operations()
        QCoreApplication.processEvents()


@pytest.fixture
def letter_context(context: AppContext, tmp_path: Path) -> tuple[AppContext, int]:
    """A registered letter queued for a payer with only a postal address, 61 days past due."""
    with UnitOfWork(context.db) as uow:
        make = Builder.for_creditor(uow.session, context.creditor_id())
        payer = make.subject("Russo Anna", street="Via Po 3", postal_code="10123", city="Torino", province="TO")
        make.credit(payer, "95.00", status=CreditStatus.OVERDUE, due=DUE)
        uow.commit()
    planned = plan(context.db, context.creditor_id(), DUE + timedelta(days=61))
    (message,) = planned.messages
    outbox.approve(context.db, [message.communication_id], user_login=None)
    settings = Settings(archive_folder=str(tmp_path / "archivio"))
    return AppContext(db=context.db, settings=settings, user_login=context.user_login), message.communication_id


def _stored(context: AppContext, communication_id: int) -> Communication:
    with context.db.read_session() as session:
        communication = session.get_one(Communication, communication_id)
        session.expunge(communication)
        return communication


def test_a_registered_letter_is_printed_numbered_and_its_receipt_archived(
    qtbot: QtBot, letter_context: tuple[AppContext, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    context, communication_id = letter_context
    page = CommunicationsPage(context, None)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.results_shown, timeout=TIMEOUT):
        page.show()
    batch = tmp_path / "raccomandate.pdf"
    opened: list[QUrl] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(batch), "PDF (*.pdf)")))

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    with qtbot.waitSignal(page.results_shown, timeout=TIMEOUT):
        page.letter_bar.print_button.click()
    assert batch.read_bytes().startswith(b"%PDF") and opened == [QUrl.fromLocalFile(str(batch))]
    assert "1 raccomandate A/R" in page.message_label.text()
    assert _stored(context, communication_id).status is CommunicationStatus.SENT

    page.select_positions(page.model.positions_of({communication_id}))
    qtbot.waitUntil(lambda: page.letter_bar.number_button.isEnabled(), timeout=TIMEOUT)
    assert not page.letter_bar.receipt_button.isEnabled()  # the number comes first
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *_a, **_k: ("200012345678", True)))
    with qtbot.waitSignal(page.results_shown, timeout=TIMEOUT):
        page.letter_bar.number_button.click()
    assert _stored(context, communication_id).registered_number == "200012345678"
    qtbot.waitUntil(lambda: page.letter_bar.receipt_button.isEnabled(), timeout=TIMEOUT)

    scan = tmp_path / "ricevuta.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")

    def fill_and_accept(dialog: ReturnReceiptDialog) -> int:
        dialog.date_edit.setDate(QDate(2026, 9, 15))
        dialog.scan_edit.setText(str(scan))
        assert dialog.ok_button.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ReturnReceiptDialog, "exec", fill_and_accept)
    with qtbot.waitSignal(page.results_shown, timeout=TIMEOUT):
        page.letter_bar.receipt_button.click()
    stored = _stored(context, communication_id)
    assert (stored.status, stored.returned_on) == (CommunicationStatus.DELIVERED, date(2026, 9, 15))
    with context.db.read_session() as session:
        kinds = session.scalars(select(Document.kind).where(Document.communication_id == communication_id)).all()
        assert sorted(kinds) == [DocumentKind.LETTER, DocumentKind.RETURN_RECEIPT]
