"""Starting CreditDesk: what it offers when the database fails, the password, the demo data, run_window."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app import paths
from app.services.database import current_revision, open_database, sqlite_url, upgrade
from app.services.errors import DatabaseTooNew, DatabaseUnavailable, NetworkShareRefused, NotFound
from app.services.secrets import database_secret_name, get_secret
from app.services.summary import database_is_empty
from app.services.unit_of_work import UnitOfWork
from app.settings import Settings, load_settings, settings_path
from app.ui import application, startup_dialogs
from app.ui.application import (
    DEMO_CREDITS,
    EXIT_BAD_SETTINGS,
    EXIT_REFUSED,
    OpenedDatabase,
    Startup,
    choose_after_failure,
    is_auth_failure,
    local_database_url,
    open_at,
    run_window,
    should_ask_password,
)
from app.ui.i18n import remove_translators
from app.ui.main_window import MainWindow
from app.ui.ops import Cancelled, wait_for_operations
from app.ui.startup_dialogs import FailurePlan, StartupOption
from tests.support.builders import Builder

RETRY, OPEN_LOCAL, EXIT = StartupOption.RETRY, StartupOption.OPEN_LOCAL, StartupOption.EXIT
PG_URL = "postgresql://clerk@db.example:5432/crediti"
UNREACHABLE_PG_URL = "postgresql://postgres@127.0.0.1:1/postgres"


def auth_failure(
    message: str = 'FATAL:  password authentication failed for user "clerk"',
) -> DatabaseUnavailable:
    """A DatabaseUnavailable caused, as in real life, by the driver's OperationalError."""
    error = DatabaseUnavailable("Impossibile collegarsi a PostgreSQL (db.example:5432).")
    error.__cause__ = OperationalError("connect", None, Exception(message))
    return error


@pytest.fixture
def sqlite_file(tmp_path: Path) -> str:
    return sqlite_url(tmp_path / "ufficio.sqlite3")


class FailureDialogs(list[FailurePlan]):
    """The failure dialogs shown, in order; ``answers`` are the clerk's choices (Exit when they run out)."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[StartupOption] = []

    def ask(self, plan: FailurePlan, _parent: object = None) -> StartupOption:
        self.append(plan)
        return self.answers.pop(0) if self.answers else EXIT


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> FailureDialogs:
    dialogs = FailureDialogs()
    monkeypatch.setattr(startup_dialogs, "ask_after_failure", dialogs.ask)
    return dialogs


class DemoQuestion:
    """The question box, patched: records what was asked and gives ``answer``."""

    def __init__(self) -> None:
        self.answer = QMessageBox.StandardButton.No
        self.asked: list[str] = []

    def __call__(self, _parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        self.asked.append(text)
        return self.answer


@pytest.fixture
def demo_question(monkeypatch: pytest.MonkeyPatch) -> DemoQuestion:
    question = DemoQuestion()
    monkeypatch.setattr(QMessageBox, "question", question)
    return question


@pytest.fixture
def demo_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Calls to generate_demo, which reports progress twice and finishes."""
    calls: list[dict[str, Any]] = []

    def fake_generate_demo(db: Any, *, credits: int, progress: Any = None, **options: Any) -> str:
        calls.append({"db": db, "credits": credits, "thread": threading.current_thread(), **options})
        progress(1, 2)
        progress(2, 2)
        return "report"

    monkeypatch.setattr(application, "load_demo_generator", lambda: fake_generate_demo)
    return calls


def start(qtbot: QtBot, url: str) -> Startup:
    """A Startup on ``url``, started; its windows are closed when the test ends."""
    startup = Startup(Settings(), url)
    qtbot.addWidget(startup.opening_window)
    startup.start()
    return startup


def wait_for_window(qtbot: QtBot, startup: Startup) -> MainWindow:
    qtbot.waitSignal(startup.window_opened, timeout=20_000).wait()
    assert startup.main_window is not None
    qtbot.addWidget(startup.main_window)
    return startup.main_window


def test_unreachable_postgresql_offers_retry_local_sqlite_and_exit() -> None:
    plan = choose_after_failure(DatabaseUnavailable("Impossibile collegarsi a PostgreSQL."), PG_URL)
    assert plan.options == (RETRY, OPEN_LOCAL, EXIT)
    assert not plan.refused
    assert "Impossibile collegarsi a PostgreSQL." in plan.message


def test_a_real_unreachable_server_says_what_to_check_and_offers_local_sqlite() -> None:
    with pytest.raises(DatabaseUnavailable) as raised:
        open_at(UNREACHABLE_PG_URL, Settings())
    plan = choose_after_failure(raised.value, UNREACHABLE_PG_URL)
    assert OPEN_LOCAL in plan.options
    assert "Controllare" in plan.message
    # The driver's own words go under "Mostra dettagli", not in the clerk's explanation.
    assert "Dettaglio tecnico" not in plan.message
    assert "connection" in plan.details.lower()
    assert not should_ask_password(raised.value, UNREACHABLE_PG_URL)


def test_database_too_new_is_refused_with_exit_only() -> None:
    plan = choose_after_failure(DatabaseTooNew("aggiornato da una versione più recente"), PG_URL)
    assert plan.options == (EXIT,)
    assert plan.refused


def test_network_share_explains_postgresql_and_offers_the_local_database(tmp_path: Path) -> None:
    url = sqlite_url(Path("//server/condivisa/creditdesk.sqlite3"))
    plan = choose_after_failure(NetworkShareRefused("cartella di rete"), url)
    assert plan.options == (OPEN_LOCAL, EXIT)
    assert "PostgreSQL" in plan.heading


def test_the_local_database_is_not_offered_as_a_way_out_of_itself() -> None:
    plan = choose_after_failure(DatabaseUnavailable("file illeggibile"), local_database_url())
    assert plan.options == (RETRY, EXIT)


def test_an_unexpected_error_still_lets_the_clerk_choose() -> None:
    plan = choose_after_failure(RuntimeError("imprevisto"), PG_URL)
    assert plan.options == (RETRY, OPEN_LOCAL, EXIT)
    assert "RuntimeError: imprevisto" in plan.message


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ('FATAL:  password authentication failed for user "clerk"', True),
        ("connection failed: fe_sendauth: no password supplied", True),
        ("connection refused\n\tIs the server running on that host and accepting TCP/IP connections?", False),
        ('FATAL:  database "crediti" does not exist', False),
    ],
)
def test_authentication_failures_are_told_apart(message: str, expected: bool) -> None:
    assert is_auth_failure(auth_failure(message)) is expected


def test_password_is_asked_only_for_postgresql_without_one_in_the_url() -> None:
    assert should_ask_password(auth_failure(), PG_URL)
    assert not should_ask_password(auth_failure(), "postgresql://clerk:segreta@db.example/crediti")
    assert not should_ask_password(auth_failure(), "sqlite:///tmp/x.sqlite3")
    assert not should_ask_password(NotFound("altro"), PG_URL)


def test_open_at_prepares_the_database_and_tells_whether_it_is_empty(sqlite_file: str) -> None:
    opened = open_at(sqlite_file, Settings())
    try:
        assert opened.empty
        assert opened.context.user_login
        with UnitOfWork(opened.context.db) as uow:
            builder = Builder(uow.session)
            builder.credit(builder.subject("Mario Rossi"), "10.00")
            uow.commit()
        assert not database_is_empty(opened.context.db)
    finally:
        opened.context.db.dispose()


def test_startup_opens_the_window_on_the_database_and_refusing_demo_loads_nothing(
    qtbot: QtBot,
    sqlite_file: str,
    demo_question: DemoQuestion,
    demo_calls: list[Any],
) -> None:
    startup = start(qtbot, sqlite_file)

    window = wait_for_window(qtbot, startup)

    assert demo_question.asked == ["Il database è vuoto. Caricare i dati dimostrativi?"]
    assert demo_calls == []
    assert str(make_url(sqlite_file).database) in window.database_label.text()
    assert not startup.opening_window.isVisible()


def test_accepting_the_demo_runs_generate_demo_in_the_background(
    qtbot: QtBot,
    sqlite_file: str,
    demo_question: DemoQuestion,
    demo_calls: list[Any],
) -> None:
    demo_question.answer = QMessageBox.StandardButton.Yes

    window = wait_for_window(qtbot, start(qtbot, sqlite_file))

    assert len(demo_calls) == 1
    assert demo_calls[0]["credits"] == DEMO_CREDITS
    assert demo_calls[0]["db"] is window.context.db
    assert demo_calls[0]["thread"] is not threading.main_thread()
    assert demo_calls[0]["user_login"] == window.context.user_login
    assert window.statusBar().currentMessage() == "Dati dimostrativi caricati."


def test_cancelling_the_demo_still_opens_the_window(
    qtbot: QtBot,
    sqlite_file: str,
    demo_question: DemoQuestion,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demo_question.answer = QMessageBox.StandardButton.Yes

    def cancelled_demo(db: Any, *, credits: int, progress: Any = None, **_options: Any) -> None:
        raise Cancelled()

    monkeypatch.setattr(application, "load_demo_generator", lambda: cancelled_demo)

    window = wait_for_window(qtbot, start(qtbot, sqlite_file))

    assert "annullato" in window.statusBar().currentMessage()


def test_a_database_with_credits_is_not_offered_the_demo(
    qtbot: QtBot, sqlite_file: str, demo_question: DemoQuestion
) -> None:
    opened = open_at(sqlite_file, Settings())
    with UnitOfWork(opened.context.db) as uow:
        builder = Builder(uow.session)
        builder.credit(builder.subject("Mario Rossi"), "10.00")
        uow.commit()
    opened.context.db.dispose()

    wait_for_window(qtbot, start(qtbot, sqlite_file))

    assert demo_question.asked == []


def test_unreachable_postgresql_falls_back_to_the_local_database(
    qtbot: QtBot, plans: FailureDialogs, demo_question: DemoQuestion
) -> None:
    plans.answers.append(OPEN_LOCAL)

    window = wait_for_window(qtbot, start(qtbot, UNREACHABLE_PG_URL))

    assert len(plans) == 1
    assert plans[0].options == (RETRY, OPEN_LOCAL, EXIT)
    assert str(paths.default_database_path()) in window.database_label.text()


def test_retry_tries_again_and_exit_abandons_the_start(qtbot: QtBot, plans: FailureDialogs) -> None:
    plans.answers.append(RETRY)
    startup = Startup(Settings(), UNREACHABLE_PG_URL)
    qtbot.addWidget(startup.opening_window)

    with qtbot.waitSignal(startup.startup_abandoned, timeout=20_000) as abandoned:
        startup.start()

    assert len(plans) == 2
    assert abandoned.args == [EXIT_REFUSED]
    assert startup.main_window is None


def test_closing_the_opening_window_ends_the_start_and_ignores_late_answers(
    qtbot: QtBot, plans: FailureDialogs
) -> None:
    startup = Startup(Settings(), UNREACHABLE_PG_URL)
    qtbot.addWidget(startup.opening_window)

    with qtbot.waitSignal(startup.startup_abandoned, timeout=5_000) as abandoned:
        startup.start()
        startup.opening_window.close_requested.emit()
    wait_for_operations()
    qtbot.wait(50)

    assert abandoned.args == [0]
    assert plans == []


def test_a_window_that_cannot_be_built_ends_the_start_with_an_explanation(
    qtbot: QtBot, sqlite_file: str, demo_question: DemoQuestion, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(application, "MainWindow", lambda _context: 1 / 0)
    monkeypatch.setattr(startup_dialogs, "show_warning", lambda _title, message, _parent=None: warnings.append(message))
    startup = Startup(Settings(), sqlite_file)
    qtbot.addWidget(startup.opening_window)

    with qtbot.waitSignal(startup.startup_abandoned, timeout=20_000) as abandoned:
        startup.start()

    assert abandoned.args == [EXIT_REFUSED]
    assert warnings == ["division by zero"]
    assert startup.context is not None
    startup.context.db.dispose()


def make_too_new(url: str) -> None:
    db = open_database(url)
    upgrade(db)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_the_future'"))
    db.dispose()


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(
    qtbot: QtBot, plans: FailureDialogs, sqlite_file: str
) -> None:
    make_too_new(sqlite_file)
    startup = Startup(Settings(), sqlite_file)
    qtbot.addWidget(startup.opening_window)

    with qtbot.waitSignal(startup.startup_abandoned, timeout=20_000):
        startup.start()

    assert [plan.options for plan in plans] == [(EXIT,)]
    assert plans[0].refused
    db = open_database(sqlite_file)
    assert current_revision(db) == "ffff_from_the_future"
    db.dispose()


def test_refused_password_is_asked_for_and_saved_in_the_keyring(
    qtbot: QtBot,
    sqlite_file: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN a server that refuses the login without a password and accepts "s3cret"
    real = open_at(sqlite_file, Settings())
    passwords_tried: list[str | None] = []

    def fake_open_at(url: str, settings: Settings, password: str | None = None) -> OpenedDatabase:
        passwords_tried.append(password)
        if password != "s3cret":
            raise auth_failure()
        return OpenedDatabase(real.context, empty=False)

    asked: list[bool] = []

    def ask_password(_where: str, _user: str, refused: bool, _parent: object = None) -> str:
        asked.append(refused)
        return "s3cret"

    monkeypatch.setattr(application, "open_at", fake_open_at)
    monkeypatch.setattr(startup_dialogs, "ask_password", ask_password)
    monkeypatch.setattr(startup_dialogs, "ask_save_password", lambda _p=None: True)

    # WHEN CreditDesk starts on it
    wait_for_window(qtbot, start(qtbot, PG_URL))

    # THEN the password was asked once, used, and kept in the keyring
    assert passwords_tried == [None, "s3cret"]
    assert asked == [False]
    name = database_secret_name(make_url(PG_URL))
    qtbot.waitUntil(lambda: get_secret(name) == "s3cret")


def test_cancelling_the_password_shows_the_usual_choices(
    qtbot: QtBot, plans: FailureDialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(application, "open_at", lambda *_args: (_ for _ in ()).throw(auth_failure()))
    monkeypatch.setattr(startup_dialogs, "ask_password", lambda *_args: None)
    startup = Startup(Settings(), PG_URL)
    qtbot.addWidget(startup.opening_window)

    with qtbot.waitSignal(startup.startup_abandoned, timeout=20_000):
        startup.start()

    assert plans[0].options == (RETRY, OPEN_LOCAL, EXIT)


@pytest.fixture
def app_guard(qapp: QApplication) -> Iterator[QApplication]:
    """run_window runs a real event loop: stop it after a while whatever happens, and tidy up afterwards."""
    QTimer.singleShot(30_000, qapp.quit)
    yield qapp
    qapp.setQuitOnLastWindowClosed(True)
    remove_translators(qapp)


def test_run_window_refuses_a_database_from_a_newer_version(
    app_guard: QApplication, plans: FailureDialogs, sqlite_file: str
) -> None:
    make_too_new(sqlite_file)
    assert run_window(sqlite_file) == EXIT_REFUSED
    assert plans[0].refused


def test_run_window_explains_a_broken_settings_file(app_guard: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text("[database\nurl = ", encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, message: shown.append(message))

    assert run_window(None) == EXIT_BAD_SETTINGS
    assert str(settings_path()) in shown[0]


def test_run_window_opens_the_window_and_returns_zero_when_it_closes(
    app_guard: QApplication, sqlite_file: str, demo_question: DemoQuestion, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[MainWindow] = []
    original = Startup._open_main_window

    def open_then_close(self: Startup, message: str = "") -> None:
        original(self, message)
        assert self.main_window is not None
        opened.append(self.main_window)
        QTimer.singleShot(0, self.main_window.close)

    monkeypatch.setattr(Startup, "_open_main_window", open_then_close)

    assert run_window(sqlite_file) == 0
    assert len(opened) == 1
    assert (paths.log_dir() / "creditdesk.log").exists()


def test_a_declined_demo_is_not_offered_again_for_that_database(
    qtbot: QtBot, sqlite_file: str, demo_question: DemoQuestion, demo_calls: list[Any]
) -> None:
    # GIVEN a clerk who said no to the demo data on an empty database
    first = Startup(load_settings(), sqlite_file)
    qtbot.addWidget(first.opening_window)
    first.start()
    wait_for_window(qtbot, first).close()
    # WHEN CreditDesk starts again on the same, still empty, database
    second = Startup(load_settings(), sqlite_file)
    qtbot.addWidget(second.opening_window)
    second.start()
    wait_for_window(qtbot, second)
    # THEN the question was asked once, and the choice is in the settings file
    assert len(demo_question.asked) == 1
    assert demo_calls == []
    assert load_settings().demo_declined == [sqlite_file]
