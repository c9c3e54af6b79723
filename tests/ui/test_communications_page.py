"""The Communications page with pytest-qt: the journal of messages planned, sent, failed and of unknown outcome,
its filters, the actions the selection allows, and what they change in the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import AppContext
from app.models import Channel, Communication, CommunicationEvent, CommunicationStatus
from app.services.dunning.planner import plan
from app.ui.communications_page import CommunicationsPage
from app.ui.ops import wait_for_operations
from app.ui.widgets.communication_actions import Action
from app.ui.widgets.communication_filters import DateField
from tests.services.dunning.test_journal import PLANNED_ON, Journal, build_journal

STATUS, CHANNEL, AMOUNT = 4, 1, 8  # columns of the journal
TIMEOUT = 15000


@pytest.fixture(autouse=True)
def settled() -> Iterator[None]:
    """Let every background query finish, so none runs into the next test's database."""
    yield
    for _ in range(3):
        wait_for_operations()
        QCoreApplication.processEvents()


@pytest.fixture
def journal(context: AppContext) -> Journal:
    return build_journal(context.db, context.creditor_id(), clerk=context.user_login)


@pytest.fixture
def page(qtbot: QtBot, context: AppContext, journal: Journal) -> CommunicationsPage:
    """The page shown and loaded, every row fetched."""
    widget = CommunicationsPage(context, None)
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    with qtbot.waitSignal(widget.results_shown, timeout=TIMEOUT):
        widget.show()
    _rows_loaded(qtbot, widget)
    return widget


def _rows_loaded(qtbot: QtBot, page: CommunicationsPage) -> None:
    model = page.model
    for position in range(model.rowCount()):
        model.index(position, 0).data()  # as the view does: asks for the row's block
    qtbot.waitUntil(lambda: all(model.row_at(p) is not None for p in range(model.rowCount())), timeout=TIMEOUT)


def _names(page: CommunicationsPage) -> list[str]:
    rows = [page.model.row_at(position) for position in range(page.model.rowCount())]
    return [row.payer_name for row in rows if row is not None]


def _refreshed(qtbot: QtBot, page: CommunicationsPage, change: object) -> None:
    """Run ``change`` (a callable) and wait for the list it causes, with its rows."""
    with qtbot.waitSignal(page.results_shown, timeout=TIMEOUT):
        change()  # type: ignore[operator]
    _rows_loaded(qtbot, page)


def _select(qtbot: QtBot, page: CommunicationsPage, journal: Journal, *names: str) -> None:
    """Choose the messages of these payers and wait for the detail of the first one listed."""
    wanted = {journal.ids[name] for name in names}
    positions = page.model.positions_of(wanted)
    page.select_positions(positions)
    first = page.model.entry(min(positions))[0]

    def shown() -> bool:
        return not page.selection_timer.isActive() and page.detail_panel.shown_id == first

    qtbot.waitUntil(shown, timeout=TIMEOUT)
    assert {communication_id for communication_id, _ in page.selected_entries()} == wanted


def _answer(monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton) -> list[str]:
    """Every confirmation gets ``answer``; the texts asked are returned."""
    asked: list[str] = []

    def question(_parent: object, title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(f"{title}: {text}")
        return answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def _act(qtbot: QtBot, page: CommunicationsPage, action: Action) -> None:
    with qtbot.waitSignals([page.action_finished, page.results_shown], timeout=TIMEOUT):
        page.action_bar.buttons[action].click()
    _rows_loaded(qtbot, page)


def _statuses(context: AppContext) -> dict[int, CommunicationStatus]:
    with context.db.read_session() as session:
        return {c.id: c.status for c in session.scalars(select(Communication))}


def _enabled(page: CommunicationsPage) -> set[Action]:
    return {action for action, button in page.action_bar.buttons.items() if button.isEnabled()}


def test_the_page_lists_every_message_in_italian_with_counts_per_status(
    page: CommunicationsPage, journal: Journal
) -> None:
    assert page.model.rowCount() == 6 and page.totals_label.text() == "6 comunicazioni"
    QAbstractItemModelTester(page.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    cells = {
        page.model.index(p, 0).data(): (page.model.index(p, CHANNEL).data(), page.model.index(p, STATUS).data())
        for p in range(page.model.rowCount())
    }
    assert cells["Gialli Paolo"] == ("Lettera", "Pianificato")
    assert cells["Verdi Anna"] == ("E-mail", "Inviato")
    assert cells["Bianchi Luca"] == ("WhatsApp", "Non riuscito")
    assert cells["Neri Sara"] == ("WhatsApp", "Esito sconosciuto")
    studio = page.model.positions_of({journal.ids["Studio Azzurri"]})  # the administrator's two condominiums
    assert page.model.index(studio[0], AMOUNT).data() == "25,00 €"
    strip = page.status_strip
    shown = (
        CommunicationStatus.DRAFT,
        CommunicationStatus.SENT,
        CommunicationStatus.FAILED,
        CommunicationStatus.UNKNOWN,
    )
    assert [strip.count(status) for status in shown] == [2, 2, 1, 1]
    unknown_button = strip.status_buttons[CommunicationStatus.UNKNOWN]
    assert unknown_button.text() == "Esito sconosciuto\n1" and unknown_button.property("alert") is True
    assert strip.status_buttons[CommunicationStatus.CANCELLED].property("alert") is False
    # nothing chosen yet: only "approve all" (two planned) is on offer
    assert _enabled(page) == {Action.APPROVE_ALL}


def test_filters_narrow_the_list(qtbot: QtBot, page: CommunicationsPage) -> None:
    strip, bar = page.status_strip, page.filter_bar
    _refreshed(qtbot, page, strip.status_buttons[CommunicationStatus.UNKNOWN].click)
    assert _names(page) == ["Neri Sara"]
    # the counts stay those of every status, for the other buttons to mean something
    assert strip.count(CommunicationStatus.SENT) == 2
    # "approve all" acts on what is seen: not while the unknown queue is shown alone, yes on the planned list
    assert Action.APPROVE_ALL not in _enabled(page)
    _refreshed(qtbot, page, strip.status_buttons[CommunicationStatus.DRAFT].click)
    assert sorted(_names(page)) == ["Gialli Paolo", "Studio Azzurri"] and Action.APPROVE_ALL in _enabled(page)
    _refreshed(qtbot, page, strip.all_button.click)
    _refreshed(qtbot, page, lambda: bar.channel_combo.setCurrentIndex(bar.channel_combo.findData(Channel.EMAIL)))
    assert _names(page) == ["Verdi Anna"]
    _refreshed(qtbot, page, bar.reset_button.click)
    assert len(_names(page)) == 6
    _refreshed(qtbot, page, lambda: bar.search_edit.setText("torino"))  # part of Gialli's postal address
    assert _names(page) == ["Gialli Paolo"]
    _refreshed(qtbot, page, lambda: bar.search_edit.setText("azzurri"))
    assert _names(page) == ["Studio Azzurri"]
    _refreshed(qtbot, page, bar.reset_button.click)
    # the days of planning: that day holds them all, the day after none
    day = QDate(PLANNED_ON.year, PLANNED_ON.month, PLANNED_ON.day)
    bar.blockSignals(True)
    bar.from_edit.setDate(day)
    bar.to_edit.setDate(day)
    bar.blockSignals(False)
    _refreshed(
        qtbot, page, lambda: bar.date_field_combo.setCurrentIndex(bar.date_field_combo.findData(DateField.PLANNED))
    )
    assert len(_names(page)) == 6
    _refreshed(qtbot, page, lambda: bar.from_edit.setDate(day.addDays(1)))
    assert _names(page) == [] and page.totals_label.text() == "Nessuna comunicazione con questi filtri."
    assert page.detail_panel.title_label.text().startswith("Scegliere una comunicazione")


def test_the_selection_enables_the_actions_its_states_allow(
    qtbot: QtBot, page: CommunicationsPage, journal: Journal
) -> None:
    _select(qtbot, page, journal, "Studio Azzurri")
    assert _enabled(page) == {Action.APPROVE, Action.APPROVE_ALL, Action.CANCEL}
    _select(qtbot, page, journal, "Neri Sara")
    assert _enabled(page) == {Action.RESEND, Action.MARK_SENT, Action.APPROVE_ALL}
    assert "1 con esito sconosciuto" in page.action_bar.selection_label.text()
    _select(qtbot, page, journal, "Bianchi Luca")
    assert _enabled(page) == {Action.RETRY, Action.APPROVE_ALL}
    _select(qtbot, page, journal, "Rossi Mario")
    assert _enabled(page) == {Action.APPROVE_ALL}
    _select(qtbot, page, journal, "Rossi Mario", "Gialli Paolo", "Neri Sara")
    assert _enabled(page) == {Action.APPROVE, Action.APPROVE_ALL, Action.CANCEL, Action.RESEND, Action.MARK_SENT}


def test_approving_one_then_all_the_planned_queues_them(
    qtbot: QtBot, page: CommunicationsPage, journal: Journal, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    studio, gialli = journal.ids["Studio Azzurri"], journal.ids["Gialli Paolo"]
    # WHEN the clerk approves the administrator's message, chosen with a message already sent
    _select(qtbot, page, journal, "Studio Azzurri", "Rossi Mario")
    _act(qtbot, page, Action.APPROVE)
    # THEN she was told how many and what happens, and only the planned one is queued
    assert "Approvare 1 comunicazione pianificata?" in asked[0] and "Le altre 1 scelte" in asked[0]
    assert _statuses(context)[studio] is CommunicationStatus.QUEUED
    assert page.message_label.text() == "Comunicazioni approvate: 1."
    assert page.status_strip.count(CommunicationStatus.DRAFT) == 1
    # the same messages stay chosen, now in their new state
    assert dict(page.selected_entries())[studio] is CommunicationStatus.QUEUED
    # WHEN she approves every planned one left
    _act(qtbot, page, Action.APPROVE_ALL)
    assert "Approvare l'unica comunicazione pianificata" in asked[1]
    assert _statuses(context)[gialli] is CommunicationStatus.QUEUED
    assert page.status_strip.count(CommunicationStatus.DRAFT) == 0 and Action.APPROVE_ALL not in _enabled(page)
    with context.db.read_session() as session:
        approvals = session.scalars(select(CommunicationEvent).where(CommunicationEvent.kind == "approve"))
        assert {e.communication_id for e in approvals if e.user_id is not None} >= {studio, gialli}


def test_the_unknown_queue_is_settled_by_the_clerk(
    qtbot: QtBot, page: CommunicationsPage, journal: Journal, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    neri = journal.ids["Neri Sara"]
    # GIVEN the unknown queue, and Neri's message in it
    _refreshed(qtbot, page, page.status_strip.status_buttons[CommunicationStatus.UNKNOWN].click)
    _select(qtbot, page, journal, "Neri Sara")
    # WHEN the clerk asks to resend it but says no at the question, nothing changes
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    page.action_bar.resend_button.click()
    assert "due volte" in asked[0]
    assert _statuses(context)[neri] is CommunicationStatus.UNKNOWN
    # WHEN she checked that it arrived and marks it as sent
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    _act(qtbot, page, Action.MARK_SENT)
    # THEN it is sent, the queue is empty, and the strip no longer raises the alarm
    assert "Segnare come inviata 1 comunicazione con esito sconosciuto?" in asked[0]
    assert _statuses(context)[neri] is CommunicationStatus.SENT
    assert page.model.rowCount() == 0
    unknown_button = page.status_strip.status_buttons[CommunicationStatus.UNKNOWN]
    assert page.status_strip.count(CommunicationStatus.UNKNOWN) == 0 and unknown_button.property("alert") is False


def test_resend_skip_and_retry_move_the_chosen_messages(
    qtbot: QtBot, page: CommunicationsPage, journal: Journal, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    _select(qtbot, page, journal, "Neri Sara")
    _act(qtbot, page, Action.RESEND)
    _select(qtbot, page, journal, "Gialli Paolo", "Studio Azzurri", "Verdi Anna")
    _act(qtbot, page, Action.CANCEL)
    assert "Annullare 2 comunicazioni non ancora inviate?" in asked[1]
    _select(qtbot, page, journal, "Bianchi Luca")
    _act(qtbot, page, Action.RETRY)
    statuses = _statuses(context)
    assert {name: statuses[journal.ids[name]] for name in journal.ids} == {
        "Rossi Mario": CommunicationStatus.SENT,
        "Verdi Anna": CommunicationStatus.SENT,
        "Bianchi Luca": CommunicationStatus.QUEUED,
        "Neri Sara": CommunicationStatus.QUEUED,
        "Gialli Paolo": CommunicationStatus.CANCELLED,
        "Studio Azzurri": CommunicationStatus.CANCELLED,
    }
    assert page.status_strip.count(CommunicationStatus.CANCELLED) == 2


def test_the_detail_shows_items_timeline_documents_and_the_payers_history(
    qtbot: QtBot, page: CommunicationsPage, journal: Journal, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = page.detail_panel
    _select(qtbot, page, journal, "Studio Azzurri")
    assert "Studio Azzurri" in panel.title_label.text() and "Promemoria scadenza" in panel.title_label.text()
    assert [(r.holder_name, r.amount) for r in panel.items_model.rows()] == [
        ("Condominio Via Roma 1", Decimal("10.00")), ("Condominio Via Roma 2", Decimal("15.00"))]  # fmt: skip
    assert panel.tabs.tabText(0) == "Voci (2)"

    _select(qtbot, page, journal, "Rossi Mario")
    kinds = [panel.events_model.index(r, 1).data() for r in range(panel.events_model.rowCount())]
    assert sorted(kinds) == ["Approvato", "Inviato", "Pianificato"]
    users = {panel.events_model.index(r, 3).data() for r in range(panel.events_model.rowCount())}
    assert context.user_login in users
    assert "Inviato il" in panel.facts_label.text() and "fake" in panel.facts_label.text()
    assert [d.relative_path for d in panel.documents_model.rows()] == ["Co/MAV/avviso-rossi.pdf"]
    assert panel.timeline_model.rowCount() == 3 and panel.tabs.tabText(3) == "Storico del pagatore (1)"

    # the notice it carried opens from the archive
    archived = context.settings.archive_path / "Co/MAV/avviso-rossi.pdf"
    archived.parent.mkdir(parents=True, exist_ok=True)
    archived.write_bytes(b"%PDF-1.4\n")
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    panel.documents_table.selectRow(0)
    assert panel.open_button.isEnabled()
    panel.open_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=TIMEOUT)
    assert Path(opened[0].toLocalFile()) == archived
    # one missing from the archive is named, not opened
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, _t, text: warned.append(text)))
    archived.unlink()
    panel.open_button.click()
    qtbot.waitUntil(lambda: bool(warned), timeout=TIMEOUT)
    assert "avviso-rossi.pdf" in warned[0] and len(opened) == 1


def test_a_later_level_shows_in_the_payers_history(
    qtbot: QtBot, page: CommunicationsPage, journal: Journal, context: AppContext
) -> None:
    plan(context.db, journal.creditor_id, PLANNED_ON + timedelta(days=30))  # 20 days after the due date
    _refreshed(qtbot, page, page.reload)
    assert page.model.rowCount() > 6
    _select(qtbot, page, journal, "Neri Sara")
    panel = page.detail_panel
    assert panel.tabs.tabText(3) == "Storico del pagatore (2)"
    described = {panel.timeline_model.index(r, 1).data() for r in range(panel.timeline_model.rowCount())}
    assert any("Primo sollecito" in text for text in described)
    assert any("Promemoria scadenza" in text for text in described)
