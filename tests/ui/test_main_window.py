"""The main window over a prepared database: navigation, honest placeholders, status bar, menus, geometry."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app import __version__
from app.bootstrap import AppContext
from app.settings import load_settings, settings_path
from app.ui import main_window as main_window_module
from app.ui.credits_page import CreditsPage
from app.ui.debtors_page import DebtorsPage
from app.ui.main_window import PAGE_KEYS, MainWindow
from app.ui.ops import wait_for_operations
from app.ui.payments_page import PaymentsPage
from app.ui.placeholder_pages import PlaceholderPage
from app.ui.rolls_page import RollsPage
from app.ui.settings_page import SettingsPage

ITALIAN_TITLES = [
    "Ruoli",
    "Debitori",
    "Crediti",
    "Avvisi",
    "Incassi",
    "Comunicazioni",
    "Archivio",
    "KPI",
    "Impostazioni",
]
PLACEHOLDERS = {
    "notices": "avvisi di pagamento",
    "communications": "solleciti",
    "archive": "archivio dei documenti",
    "kpis": "indicatori",
}


@pytest.fixture(autouse=True)
def settled(qtbot: QtBot, context: AppContext) -> Iterator[None]:
    """Close every main window and let the pages' queries finish, so none runs into the next test's setup.

    An answer that arrives after the close can start a follow-up query (the Credits page refreshes when its
    filter choices arrive): deliver the answers and wait again until nothing is left running.
    """
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            widget.close()
    for _ in range(5):
        wait_for_operations()
        QCoreApplication.processEvents()
    wait_for_operations()


@pytest.fixture
def window(qtbot: QtBot, context: AppContext) -> Iterator[MainWindow]:
    shown = MainWindow(context)
    qtbot.addWidget(shown)
    shown.show()
    yield shown


def click_page(qtbot: QtBot, window: MainWindow, key: str) -> QWidget:
    """Click the navigation entry of ``key`` and return the page then on screen."""
    item = window.navigation_list.item(PAGE_KEYS.index(key))
    rect = window.navigation_list.visualItemRect(item)
    with qtbot.waitSignal(window.page_shown, timeout=2000):
        qtbot.mouseClick(window.navigation_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page = window.pages_stack.currentWidget()
    assert page is not None
    return page


def test_status_bar_names_the_database_and_the_user(window: MainWindow, context: AppContext) -> None:
    assert context.db.describe() in window.database_label.text()
    assert "tester" in window.user_label.text()
    assert window.database_label.isVisible()


def test_navigation_lists_the_pages_in_order_and_starts_on_credits(window: MainWindow) -> None:
    titles = [window.navigation_list.item(row).text() for row in range(window.navigation_list.count())]
    assert titles == ITALIAN_TITLES
    assert window.current_page_key() == "credits"
    assert isinstance(window.pages_stack.currentWidget(), CreditsPage)


def test_unvisited_pages_are_not_built(window: MainWindow) -> None:
    assert window.created_pages() == {"credits"}


def test_clicking_the_navigation_switches_pages(qtbot: QtBot, window: MainWindow) -> None:
    assert isinstance(click_page(qtbot, window, "debtors"), DebtorsPage)
    assert isinstance(click_page(qtbot, window, "settings"), SettingsPage)
    assert isinstance(click_page(qtbot, window, "rolls"), RollsPage)
    assert isinstance(click_page(qtbot, window, "payments"), PaymentsPage)
    assert isinstance(click_page(qtbot, window, "notices"), PlaceholderPage)
    credits = click_page(qtbot, window, "credits")
    assert isinstance(credits, CreditsPage)
    assert window.page("credits") is credits


def test_keyboard_shortcut_switches_pages(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    with qtbot.waitSignal(window.page_shown, timeout=2000) as shown:
        qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert shown.args == ["debtors"]


@pytest.mark.parametrize("key", sorted(PLACEHOLDERS))
def test_placeholder_pages_say_what_they_will_hold_and_show_no_data(window: MainWindow, key: str) -> None:
    page = window.show_page(key)

    assert isinstance(page, PlaceholderPage)
    assert page.title_label.text() == ITALIAN_TITLES[PAGE_KEYS.index(key)]
    assert page.description_label.text().startswith("Qui ")
    assert PLACEHOLDERS[key] in page.description_label.text()
    assert page.findChildren(QAbstractItemView) == []


def test_settings_page_shows_where_things_live(window: MainWindow, context: AppContext) -> None:
    page = window.show_page("settings")

    assert isinstance(page, SettingsPage)
    assert page.database_label.text() == context.db.describe()
    assert page.settings_file_label.text() == str(settings_path())
    assert page.archive_folder_label.text() == str(context.settings.archive_path)
    assert page.language_combo.currentText() == "Italiano"
    assert "prossimo avvio" in page.language_note_label.text()


def test_choosing_english_saves_it_for_the_next_start(qtbot: QtBot, window: MainWindow) -> None:
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)

    with qtbot.waitSignal(page.language_saved, timeout=5000) as saved:
        page.language_combo.setCurrentIndex(page.language_combo.findData("en"))

    assert saved.args == ["en"]
    assert load_settings().language == "en"
    assert "prossimo avvio" in page.language_note_label.text()
    # The running window stays in the language it started with.
    assert window.navigation_list.item(2).text() == "Crediti"


def test_about_box_shows_the_version(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, _title, text: shown.append(text))

    window.about_action.trigger()

    assert len(shown) == 1
    assert __version__ in shown[0]


def test_menus_offer_exit_and_about(window: MainWindow) -> None:
    assert [action.text() for action in window.menuBar().actions()] == ["&File", "&Aiuto"]
    assert [action.text() for action in window.file_menu.actions()] == [
        "&Importa scadenziario…",
        "Importa i&ncassi…",
        "",
        "&Esci",
    ]
    assert [action.text() for action in window.help_menu.actions()] == ["&Informazioni su CreditDesk"]


def test_exit_closes_the_window(qtbot: QtBot, window: MainWindow) -> None:
    window.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_closing_waits_for_background_work_and_releases_the_database(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    original_dispose = context.db.dispose

    def wait_for_operations() -> bool:
        events.append("waited")
        return True

    def dispose() -> None:
        events.append("disposed")
        original_dispose()

    monkeypatch.setattr(main_window_module, "wait_for_operations", wait_for_operations)
    monkeypatch.setattr(context.db, "dispose", dispose)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()

    window.close()

    assert events == ["waited", "disposed"]


def test_geometry_is_restored_at_the_next_start(qtbot: QtBot, context: AppContext) -> None:
    first = MainWindow(context)
    qtbot.addWidget(first)
    first.show()
    # The offscreen screen is 800×800, narrower than the window can be: the height tells the restore.
    first.resize(first.minimumSizeHint().width(), 555)
    first.move(QPoint(40, 30))
    qtbot.waitUntil(lambda: first.height() == 555)
    saved = first.geometry()
    first.close()

    second = MainWindow(context)
    qtbot.addWidget(second)
    second.show()

    assert second.size() == saved.size()


def test_a_page_that_fails_to_open_is_reported_and_the_window_stays(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    reported: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda exc_type, _exc, _tb: reported.append(exc_type))

    def broken_page(*_args: object) -> QWidget:
        raise RuntimeError("pagina rotta")

    monkeypatch.setattr(main_window_module, "DebtorsPage", broken_page)

    page = window.show_page("debtors")

    assert reported == [RuntimeError]
    assert isinstance(page, PlaceholderPage)
    assert "errore" in page.description_label.text()
    assert isinstance(window.show_page("credits"), CreditsPage)


def test_the_file_menu_opens_the_schedule_import_on_the_credits_page(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(CreditsPage, "open_import_wizard", lambda page: opened.append(type(page).__name__))
    window.show_page("debtors")
    window.import_action.trigger()
    assert window.current_page_key() == "credits"
    assert opened == ["CreditsPage"]
