"""Starting the window: Qt application, translations, error handler, the database, then the main window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy.engine import make_url

from app import __version__, paths
from app.bootstrap import AppContext, connect, prepare
from app.resources import icon_path
from app.services import database
from app.services.database import sqlite_url
from app.services.errors import CreditDeskError, DatabaseTooNew, DatabaseUnavailable, NetworkShareRefused
from app.services.secrets import database_secret_name, set_secret
from app.services.summary import database_is_empty
from app.settings import Settings, load_settings, save_settings, without_password
from app.ui import startup_dialogs
from app.ui.error_handling import install_error_handler
from app.ui.i18n import install_translators
from app.ui.main_window import MainWindow
from app.ui.ops import Cancelled, Progress, op, wait_for_operations
from app.ui.startup_dialogs import FailurePlan, OpeningWindow, StartupOption

log = logging.getLogger(__name__)

DEMO_CREDITS = 20_000
EXIT_REFUSED = 1
EXIT_BAD_SETTINGS = 2
EXIT_CLOSED = 0
AUTH_FAILURE_MARKERS = (
    "password authentication failed",
    "no password supplied",
    "fe_sendauth",
    "authentication failed",
)
AUTH_SQLSTATES = {"28000", "28P01"}
# The database service ends its messages with the driver's words after this marker: they go under "details".
TECHNICAL_DETAIL = "Dettaglio tecnico:"


@dataclass(frozen=True)
class OpenedDatabase:
    """A prepared database and whether it holds no credit yet (worked out off the UI thread)."""

    context: AppContext
    empty: bool


def local_database_url() -> str:
    """The embedded SQLite database this computer falls back to."""
    return sqlite_url(paths.default_database_path())


def is_local_default(url: str) -> bool:
    """Whether ``url`` already is the embedded default, so offering it again would go round in circles."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return False
    return Path(parsed.database).expanduser().resolve() == paths.default_database_path().resolve()


def is_postgresql(url: str) -> bool:
    """Whether ``url`` names a PostgreSQL server."""
    return make_url(url).get_backend_name() == "postgresql"


def is_auth_failure(error: BaseException) -> bool:
    """Whether the server refused the password (or wanted one), looking through the causes of ``error``."""
    current: BaseException | None = error
    while current is not None:
        if getattr(current, "sqlstate", None) in AUTH_SQLSTATES:
            return True
        text = str(current).lower()
        if any(marker in text for marker in AUTH_FAILURE_MARKERS):
            return True
        current = current.__cause__ or getattr(current, "orig", None)
        if current is error:
            break
    return False


def should_ask_password(error: BaseException, url: str) -> bool:
    """Ask for a password when PostgreSQL refused the login and the URL itself carries none."""
    if not isinstance(error, DatabaseUnavailable) or not is_postgresql(url):
        return False
    return make_url(url).password is None and is_auth_failure(error)


def choose_after_failure(error: BaseException, url: str) -> FailurePlan:
    """What to say about a database that did not open, and which ways out make sense for it."""
    translate = QCoreApplication.translate
    local = () if is_local_default(url) else (StartupOption.OPEN_LOCAL,)
    if isinstance(error, DatabaseTooNew):
        # Never altered, never replaced by another database behind the clerk's back: only Exit.
        return FailurePlan(
            title=translate("Startup", "Database più recente di CreditDesk"),
            heading=translate("Startup", "Questa versione di CreditDesk non può usare questo database."),
            message=str(error),
            options=(StartupOption.EXIT,),
            refused=True,
        )
    if isinstance(error, NetworkShareRefused):
        return FailurePlan(
            title=translate("Startup", "Database su una cartella di rete"),
            heading=translate(
                "Startup",
                "Il database SQLite non può stare su una cartella di rete: "
                "per condividerlo fra più postazioni si usa PostgreSQL.",
            ),
            message=str(error),
            options=(*local, StartupOption.EXIT),
        )
    return _unavailable_plan(error, local)


def _unavailable_plan(error: BaseException, local: tuple[StartupOption, ...]) -> FailurePlan:
    translate = QCoreApplication.translate
    if isinstance(error, CreditDeskError):
        heading = translate("Startup", "Il database non si è aperto.")
        message, _, details = str(error).partition(TECHNICAL_DETAIL)
    else:
        heading = translate("Startup", "Il database non si è aperto per un errore imprevisto.")
        message, details = f"{type(error).__name__}: {error}", ""
    return FailurePlan(
        title=translate("Startup", "Database non disponibile"),
        heading=heading,
        message=message.strip(),
        options=(StartupOption.RETRY, *local, StartupOption.EXIT),
        details=details.strip(),
    )


def open_at(url: str, settings: Settings, password: str | None = None) -> OpenedDatabase:
    """Connect to ``url`` (typed password, else the keyring's), upgrade it, and tell whether it is empty."""
    db = database.open_database(url, password=password) if password else connect(url)
    try:
        login = prepare(db)
        empty = database_is_empty(db)
    except BaseException:
        db.dispose()
        raise
    return OpenedDatabase(AppContext(db=db, settings=settings, user_login=login), empty)


def load_demo_generator() -> Callable[..., Any]:
    """The demo data generator, imported only when the clerk asks for it."""
    from app.services.demo import generate_demo

    return generate_demo


def load_demo(context: AppContext, progress: Progress, credits: int = DEMO_CREDITS) -> Any:
    """Fill the database with demo data, reporting to ``progress``; None if the clerk cancelled."""
    generate_demo = load_demo_generator()
    try:
        return generate_demo(
            context.db,
            credits=credits,
            progress=lambda done, total: progress.report(done, total),
            user_login=context.user_login,
        )
    except Cancelled:
        # generate_demo writes in one transaction: leaving it by this exception leaves the database empty.
        return None


def describe_url(url: str) -> str:
    """Where ``url`` points, for the clerk: a file path or host/database, never a password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.database)
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database}"


class Startup(QObject):
    """Opens the database in the background, asks what to do when that fails, then opens the main window."""

    window_opened = Signal(object)
    startup_abandoned = Signal(int)

    def __init__(self, settings: Settings, url: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.url = url
        self.opening_window = OpeningWindow()
        self.context: AppContext | None = None
        self.main_window: MainWindow | None = None
        self._typed_password: str | None = None
        self._abandoned = False
        self.opening_window.close_requested.connect(lambda: self._abandon(EXIT_CLOSED))

    def start(self) -> None:
        """Show the opening window and start opening the database; returns at once."""
        self.opening_window.show()
        self._open()

    def _open(self) -> None:
        self.opening_window.show_message(self.tr("Apertura del database…") + "\n" + describe_url(self.url))
        url, settings, password = self.url, self.settings, self._typed_password
        op(lambda: open_at(url, settings, password)).on_success(self._on_opened).on_failure(self._on_failed).run()

    def _on_failed(self, error: BaseException) -> None:
        if self._abandoned:
            return
        expected = isinstance(error, CreditDeskError)
        log.warning(
            "database %s did not open: %s",
            describe_url(self.url),
            error,
            exc_info=None if expected else error,
        )
        if should_ask_password(error, self.url):
            user = make_url(self.url).username or ""
            refused = self._typed_password is not None
            password = startup_dialogs.ask_password(describe_url(self.url), user, refused, self.opening_window)
            if password is not None:
                self._typed_password = password
                self._open()
                return
        choice = startup_dialogs.ask_after_failure(choose_after_failure(error, self.url), self.opening_window)
        if choice is StartupOption.RETRY:
            self._open()
        elif choice is StartupOption.OPEN_LOCAL:
            self.url = local_database_url()
            self._typed_password = None
            self._open()
        else:
            self._abandon(EXIT_REFUSED)

    def _on_opened(self, opened: OpenedDatabase) -> None:
        if self._abandoned:
            opened.context.db.dispose()
            return
        self.context = opened.context
        self.opening_window.show_message(self.tr("Database aperto.") + "\n" + describe_url(self.url))
        if self._typed_password is not None:
            self._offer_to_save_password(self._typed_password)
        if opened.empty and without_password(self.url) not in self.settings.demo_declined:
            if startup_dialogs.ask_demo(self.opening_window):
                self._load_demo(opened.context)
                return
            self._remember_demo_declined()
        self._open_main_window()

    def _remember_demo_declined(self) -> None:
        self.settings.demo_declined.append(without_password(self.url))
        try:
            save_settings(self.settings)
        except (CreditDeskError, OSError):
            # Not remembering only means the question comes back next time.
            log.warning("could not remember that the demo data was declined", exc_info=True)

    def _offer_to_save_password(self, password: str) -> None:
        if not startup_dialogs.ask_save_password(self.opening_window):
            return
        name = database_secret_name(make_url(self.url))
        title = self.tr("Password del database")
        op(lambda: set_secret(name, password)).on_failure(
            lambda error: startup_dialogs.show_warning(title, str(error))
        ).run()

    def _load_demo(self, context: AppContext) -> None:
        label = self.tr("Caricamento dei dati dimostrativi ({count} crediti)…").format(
            count=QLocale().toString(DEMO_CREDITS)
        )
        self.opening_window.show_message(label)
        op(lambda progress: load_demo(context, progress), self.opening_window).with_progress(label).on_success(
            self._on_demo_loaded
        ).on_failure(self._on_demo_failed).run()

    def _on_demo_loaded(self, report: Any) -> None:
        if report is None:
            self._open_main_window(self.tr("Caricamento dei dati dimostrativi annullato."))
        else:
            self._open_main_window(self.tr("Dati dimostrativi caricati."))

    def _on_demo_failed(self, error: BaseException) -> None:
        log.error("demo data not loaded", exc_info=error)
        startup_dialogs.show_warning(
            self.tr("Dati dimostrativi"),
            self.tr("I dati dimostrativi non sono stati caricati: {error}").format(error=error),
            self.opening_window,
        )
        self._open_main_window()

    def _open_main_window(self, message: str = "") -> None:
        assert self.context is not None
        try:
            self.main_window = MainWindow(self.context)
        except Exception as exc:
            # Without a window the application would linger invisibly: explain, then end it.
            log.exception("main window not built")
            startup_dialogs.show_warning("CreditDesk", str(exc) or type(exc).__name__, self.opening_window)
            self._abandon(EXIT_REFUSED)
            return
        self.main_window.show()
        if message:
            self.main_window.statusBar().showMessage(message, 15_000)
        self.opening_window.close()
        self.window_opened.emit(self.main_window)

    def _abandon(self, exit_code: int) -> None:
        if self._abandoned:
            return
        self._abandoned = True
        self.opening_window.close()
        self.startup_abandoned.emit(exit_code)


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, named so that Qt's own settings and dialogs say CreditDesk."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv)
    app.setApplicationName("CreditDesk")
    app.setOrganizationName("CreditDesk")
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")
    app.setWindowIcon(QIcon(str(icon_path("creditdesk"))))
    return app


def run_window(db_override: str | None = None) -> int:
    """Open the window on the database of ``--db``, CREDITDESK_DB or the settings; return the exit code."""
    app = create_application()
    reporter = install_error_handler(paths.log_dir())
    try:
        settings = load_settings()
    except CreditDeskError as exc:
        install_translators("it", app)
        QMessageBox.critical(None, "CreditDesk", str(exc))
        reporter.uninstall()
        return EXIT_BAD_SETTINGS
    install_translators(settings.language, app)
    startup = Startup(settings, settings.effective_database_url(db_override))
    # Until the main window is up, closing the opening window or a question must not end the application.
    app.setQuitOnLastWindowClosed(False)
    startup.window_opened.connect(lambda _window: app.setQuitOnLastWindowClosed(True))
    startup.startup_abandoned.connect(app.exit)
    startup.start()
    try:
        return app.exec()
    finally:
        # A worker still upgrading or opening the database must not outlive the interpreter.
        wait_for_operations()
        reporter.uninstall()
