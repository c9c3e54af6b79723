"""The main window: navigation on the left, one page at a time, database and user in the status bar."""

from __future__ import annotations

import logging
import platform
import sys
from collections.abc import Callable

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app import __version__, paths
from app.bootstrap import AppContext
from app.resources import icon_path
from app.ui.credits_page import CreditsPage
from app.ui.debtors_page import DebtorsPage
from app.ui.ops import wait_for_operations
from app.ui.payments_page import PaymentsPage
from app.ui.placeholder_pages import PlaceholderPage, placeholder_texts
from app.ui.rolls_page import RollsPage
from app.ui.settings_page import SettingsPage

log = logging.getLogger(__name__)

PAGE_KEYS = (
    "rolls",
    "debtors",
    "credits",
    "notices",
    "payments",
    "communications",
    "archive",
    "kpis",
    "settings",
)
START_PAGE = "credits"
WINDOW_SETTINGS_FILE = "window.ini"


def window_settings() -> QSettings:
    """Where window geometry is kept: an INI file beside the settings, so CREDITDESK_HOME moves it too."""
    return QSettings(str(paths.config_dir() / WINDOW_SETTINGS_FILE), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    """CreditDesk's window over an open, prepared database."""

    page_shown = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("CreditDesk")
        self._pages: dict[str, QWidget] = {}
        self.navigation_list = self._build_navigation()
        self.pages_stack = QStackedWidget()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation_list)
        layout.addWidget(self.pages_stack, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self._build_status_bar()
        self.navigation_list.currentRowChanged.connect(self._on_row_changed)
        self.show_page(START_PAGE)
        self._restore_geometry()

    def page_titles(self) -> dict[str, str]:
        """The title of each page, in navigation order."""
        return {
            "rolls": self.tr("Ruoli"),
            "debtors": self.tr("Debitori"),
            "credits": self.tr("Crediti"),
            "notices": self.tr("Avvisi"),
            "payments": self.tr("Incassi"),
            "communications": self.tr("Comunicazioni"),
            "archive": self.tr("Archivio"),
            "kpis": self.tr("KPI"),
            "settings": self.tr("Impostazioni"),
        }

    def show_page(self, key: str) -> QWidget:
        """Select page ``key`` in the navigation and return it, creating it on first use."""
        self.navigation_list.setCurrentRow(PAGE_KEYS.index(key))
        return self.page(key)

    def created_pages(self) -> set[str]:
        """The keys of the pages built so far."""
        return set(self._pages)

    def current_page_key(self) -> str:
        """The key of the page on screen."""
        return PAGE_KEYS[self.navigation_list.currentRow()]

    def page(self, key: str) -> QWidget:
        """Page ``key``, built the first time it is asked for: unvisited pages cost nothing at start."""
        existing = self._pages.get(key)
        if existing is not None:
            return existing
        try:
            page = self._create_page(key)
        except Exception:
            # A page that cannot open must not take the window down: report it and show why it is empty.
            sys.excepthook(*sys.exc_info())
            page = PlaceholderPage(
                self.page_titles()[key],
                self.tr("Questa pagina non si è aperta per un errore; il dettaglio è nel registro."),
            )
        self._pages[key] = page
        self.pages_stack.addWidget(page)
        return page

    def _create_page(self, key: str) -> QWidget:
        factories: dict[str, Callable[[], QWidget]] = {
            "rolls": lambda: RollsPage(self.context, self),
            "credits": lambda: CreditsPage(self.context, self),
            "debtors": lambda: DebtorsPage(self.context, self),
            "payments": lambda: PaymentsPage(self.context, self),
            "settings": lambda: SettingsPage(self.context, self),
        }
        factory = factories.get(key)
        if factory is None:
            return PlaceholderPage(self.page_titles()[key], placeholder_texts()[key], self)
        page = factory()
        if isinstance(page, RollsPage | PaymentsPage):
            page.data_changed.connect(lambda source=page: self._refresh_other_pages(source))
        return page

    def _refresh_other_pages(self, source: QWidget) -> None:
        """A roll formed or a payment placed changes what the other pages show: those already open reload."""
        for page in self._pages.values():
            if page is source:
                continue
            if isinstance(page, CreditsPage):
                page.load()
            elif isinstance(page, RollsPage | PaymentsPage):
                page.reload()

    def _build_navigation(self) -> QListWidget:
        navigation_list = QListWidget()
        navigation_list.setObjectName("navigation_list")
        navigation_list.setIconSize(QSize(22, 22))
        navigation_list.setFixedWidth(190)
        navigation_list.setFrameShape(QListWidget.Shape.NoFrame)
        navigation_list.setStyleSheet(
            "#navigation_list { background: palette(window); border-right: 1px solid palette(mid); }"
            "#navigation_list::item { padding: 8px 10px; }"
        )
        for number, (key, title) in enumerate(self.page_titles().items(), start=1):
            item = QListWidgetItem(QIcon(str(icon_path(key))), title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"{title} (Ctrl+{number})")
            navigation_list.addItem(item)
        return navigation_list

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.import_action = QAction(self.tr("&Importa scadenziario…"), self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.open_import_wizard)
        self.file_menu.addAction(self.import_action)
        self.import_payments_action = QAction(self.tr("Importa i&ncassi…"), self)
        self.import_payments_action.triggered.connect(self.open_payments_import)
        self.file_menu.addAction(self.import_payments_action)
        self.file_menu.addSeparator()
        self.quit_action = QAction(self.tr("&Esci"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.help_menu = self.menuBar().addMenu(self.tr("&Aiuto"))
        self.about_action = QAction(self.tr("&Informazioni su CreditDesk"), self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)
        for number, key in enumerate(PAGE_KEYS, start=1):
            # Window-wide shortcuts, so Ctrl+3 reaches Crediti from anywhere without a menu of their own.
            go_action = QAction(self)
            go_action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            go_action.triggered.connect(lambda _checked=False, key=key: self.show_page(key))
            self.addAction(go_action)

    def open_import_wizard(self) -> None:
        """Show the Credits page and open the schedule import on it, so the clerk sees the credits it brings."""
        page = self.show_page("credits")
        if isinstance(page, CreditsPage):  # not when the page failed to open and shows why instead
            page.open_import_wizard()

    def open_payments_import(self) -> None:
        """Show the Payments page and ask for a payments file there, so the clerk sees the queue it leaves."""
        page = self.show_page("payments")
        if isinstance(page, PaymentsPage):
            page.ask_import()

    def _build_status_bar(self) -> None:
        self.database_label = QLabel(self.tr("Database: {where}").format(where=self.context.db.describe()))
        self.user_label = QLabel(self.tr("Utente: {login}").format(login=self.context.user_login))
        self.statusBar().addPermanentWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)

    def _on_row_changed(self, row: int) -> None:
        if row < 0:
            return
        key = PAGE_KEYS[row]
        self.pages_stack.setCurrentWidget(self.page(key))
        self.page_shown.emit(key)

    def show_about(self) -> None:
        """The About box: version of CreditDesk and of what it runs on."""
        QMessageBox.about(
            self,
            self.tr("Informazioni su CreditDesk"),
            self.tr(
                "<h3>CreditDesk {version}</h3><p>Gestione e recupero dei crediti per i consorzi: ruoli, "
                "avvisi MAV, solleciti e incassi.</p><p>Python {python}, Qt {qt}</p>"
            ).format(version=__version__, python=platform.python_version(), qt=pyside_version),
        )

    def _restore_geometry(self) -> None:
        store = window_settings()
        geometry = store.value("main_window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            # First run: clerks work with the window filling the screen, where every column of the
            # Credits table fits; this size is what "restore" goes back to.
            self.resize(1280, 800)
            self.setWindowState(Qt.WindowState.WindowMaximized)
        state = store.value("main_window/state")
        if state is not None:
            self.restoreState(state)

    def save_geometry(self) -> None:
        """Remember size, position and toolbars for the next start."""
        store = window_settings()
        store.setValue("main_window/geometry", self.saveGeometry())
        store.setValue("main_window/state", self.saveState())
        store.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the geometry, let background work finish, then release the database."""
        self.save_geometry()
        self.statusBar().showMessage(self.tr("Attendo la fine delle operazioni in corso…"))
        if not wait_for_operations():
            log.warning("closing with background operations still running")
        self.context.db.dispose()
        super().closeEvent(event)
