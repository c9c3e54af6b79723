"""The post room's actions on the Communications page: print the queued letters into one PDF, record a
registered letter's number, and its return receipt with the scan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.models import Channel, CommunicationStatus
from app.services.dunning.journal import CommunicationDetail
from app.services.dunning.letters import ReturnOutcome


@dataclass(frozen=True)
class ReturnReceipt:
    """What the clerk read on a return receipt."""

    receipt_date: date
    outcome: str
    scan: Path


class LetterBar(QWidget):
    """Print the queued letters; for the registered letter shown in the detail, its number and return receipt."""

    print_requested = Signal()
    number_requested = Signal(int)
    receipt_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shown: CommunicationDetail | None = None
        self.print_button = QPushButton(self.tr("Stampa lettere in coda…"), self)
        self.print_button.setToolTip(self.tr("Un PDF con le lettere e le raccomandate in coda, da stampare e spedire"))
        self.number_button = QPushButton(self.tr("Numero raccomandata…"), self)
        self.receipt_button = QPushButton(self.tr("Ricevuta di ritorno…"), self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in (self.print_button, self.number_button, self.receipt_button):
            layout.addWidget(button)
        layout.addStretch(1)
        self.print_button.clicked.connect(self.print_requested)
        self.number_button.clicked.connect(lambda: self._shown and self.number_requested.emit(self._shown.row.id))
        self.receipt_button.clicked.connect(lambda: self._shown and self.receipt_requested.emit(self._shown.row.id))
        self.show_detail(None)

    def show_detail(self, detail: CommunicationDetail | None) -> None:
        """Enable the registered letter's buttons when the message shown is one that went out."""
        self._shown = detail
        sent = (CommunicationStatus.SENT, CommunicationStatus.DELIVERED, CommunicationStatus.FAILED)
        registered = (
            detail is not None and detail.row.channel is Channel.REGISTERED_LETTER and detail.row.status in sent
        )
        self.number_button.setEnabled(registered)
        self.receipt_button.setEnabled(registered and detail is not None and bool(detail.registered_number))


class ReturnReceiptDialog(QDialog):
    """The date on the return receipt, what it says, and the scan to archive."""

    def __init__(self, communication_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ricevuta di ritorno – comunicazione {0}").format(communication_id))
        self.date_edit = QDateEdit(QDate.currentDate(), self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setMaximumDate(QDate.currentDate())
        self.outcome_combo = QComboBox(self)
        self.outcome_combo.addItem(self.tr("Consegnata"), ReturnOutcome.DELIVERED)
        self.outcome_combo.addItem(self.tr("Compiuta giacenza (vale come consegnata)"), ReturnOutcome.UNCLAIMED)
        self.outcome_combo.addItem(self.tr("Restituita al mittente"), ReturnOutcome.RETURNED)
        self.scan_edit = QLineEdit(self)
        self.scan_edit.setPlaceholderText(self.tr("PDF, PNG, JPEG o TIFF"))
        browse = QPushButton(self.tr("Sfoglia…"), self)
        browse.clicked.connect(self._browse)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan_edit, 1)
        scan_row.addWidget(browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.scan_edit.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        self.ok_button.setEnabled(False)
        form = QFormLayout(self)
        form.addRow(self.tr("Data sulla ricevuta"), self.date_edit)
        form.addRow(self.tr("Esito"), self.outcome_combo)
        form.addRow(self.tr("Scansione"), scan_row)
        form.addRow(buttons)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Scansione della ricevuta"), "", self.tr("Scansioni (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)")
        )
        if name:
            self.scan_edit.setText(name)

    def receipt(self) -> ReturnReceipt:
        """What was entered."""
        return ReturnReceipt(self.date_edit.date().toPython(), self.outcome_combo.currentData(),  # type: ignore[arg-type]
                             Path(self.scan_edit.text().strip()))  # fmt: skip
