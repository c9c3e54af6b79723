"""The few questions CreditDesk asks while it opens the database; each is one thin, replaceable dialog."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.resources import icon_path


class StartupOption(Enum):
    """What the clerk can do when the database did not open."""

    RETRY = "retry"
    OPEN_LOCAL = "open_local"
    EXIT = "exit"


@dataclass(frozen=True)
class FailurePlan:
    """What to tell the clerk about a database that did not open, and which ways out to offer."""

    title: str
    heading: str
    message: str
    options: tuple[StartupOption, ...]
    refused: bool = False
    details: str = ""


def option_label(option: StartupOption) -> str:
    """The button text of an option."""
    translate = QCoreApplication.translate
    labels = {
        StartupOption.RETRY: translate("StartupDialogs", "Riprova"),
        StartupOption.OPEN_LOCAL: translate("StartupDialogs", "Apri il database locale"),
        StartupOption.EXIT: translate("StartupDialogs", "Esci"),
    }
    return labels[option]


_ROLES = {
    StartupOption.RETRY: QMessageBox.ButtonRole.AcceptRole,
    StartupOption.OPEN_LOCAL: QMessageBox.ButtonRole.ActionRole,
    StartupOption.EXIT: QMessageBox.ButtonRole.RejectRole,
}


def ask_after_failure(plan: FailurePlan, parent: QWidget | None = None) -> StartupOption:
    """Show why the database did not open and return the option the clerk chose (Esc means Exit)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical if plan.refused else QMessageBox.Icon.Warning)
    box.setWindowTitle(plan.title)
    box.setText(plan.heading)
    box.setInformativeText(plan.message)
    if plan.details:
        box.setDetailedText(plan.details)
    # QMessageBox sizes itself for one-line messages; these explain what to check and need room.
    box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 480px; }")
    buttons: dict[QPushButton, StartupOption] = {}
    for option in plan.options:
        button = box.addButton(option_label(option), _ROLES[option])
        buttons[button] = option
        if option is StartupOption.EXIT:
            box.setEscapeButton(button)
    box.setDefaultButton(next(iter(buttons)))
    box.exec()
    clicked = box.clickedButton()
    return buttons.get(clicked, StartupOption.EXIT) if isinstance(clicked, QPushButton) else StartupOption.EXIT


def ask_password(where: str, user: str, refused: bool, parent: QWidget | None = None) -> str | None:
    """Ask for the PostgreSQL password of ``user``; None if the clerk cancelled."""
    translate = QCoreApplication.translate
    label = translate("StartupDialogs", "Password dell'utente {user} per il database {where}:").format(
        user=user, where=where
    )
    if refused:
        label = translate("StartupDialogs", "La password non è stata accettata.") + "\n" + label
    password, accepted = QInputDialog.getText(
        parent, translate("StartupDialogs", "Password del database"), label, QLineEdit.EchoMode.Password
    )
    return password if accepted and password else None


def ask_save_password(parent: QWidget | None = None) -> bool:
    """Whether to keep the password that worked in the system keyring."""
    translate = QCoreApplication.translate
    answer = QMessageBox.question(
        parent,
        translate("StartupDialogs", "Password del database"),
        translate(
            "StartupDialogs",
            "Salvare la password nel portachiavi del sistema, così da non doverla scrivere al prossimo avvio?",
        ),
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_demo(parent: QWidget | None = None) -> bool:
    """Whether to fill an empty database with demonstration data."""
    translate = QCoreApplication.translate
    answer = QMessageBox.question(
        parent,
        translate("StartupDialogs", "Dati dimostrativi"),
        translate("StartupDialogs", "Il database è vuoto. Caricare i dati dimostrativi?"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    return answer == QMessageBox.StandardButton.Yes


def show_warning(title: str, message: str, parent: QWidget | None = None) -> None:
    """A plain warning the clerk acknowledges before CreditDesk carries on."""
    QMessageBox.warning(parent, title, message)


class OpeningWindow(QWidget):
    """The small window shown while the database opens and is brought up to date."""

    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("CreditDesk")
        self.setFixedSize(460, 150)
        icon_label = QLabel()
        icon_label.setPixmap(QIcon(str(icon_path("creditdesk"))).pixmap(48, 48))
        self.message_label = QLabel(self.tr("Apertura del database…"))
        self.message_label.setWordWrap(True)
        self.activity_bar = QProgressBar()
        self.activity_bar.setRange(0, 0)
        self.activity_bar.setTextVisible(False)
        text_layout = QVBoxLayout()
        text_layout.addWidget(self.message_label)
        text_layout.addWidget(self.activity_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 20)
        layout.setSpacing(16)
        layout.addWidget(icon_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(text_layout, 1)

    def show_message(self, text: str) -> None:
        """Say what is happening now."""
        self.message_label.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing it by hand means the clerk gave up waiting: say so, so the start can end."""
        if event.spontaneous():
            self.close_requested.emit()
        super().closeEvent(event)
