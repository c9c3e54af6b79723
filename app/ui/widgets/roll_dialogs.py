"""Dialogs of the Rolls and Payments pages: a new roll's criteria, the print order, a list of messages."""

from __future__ import annotations

import sys
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.models import CreditKind, CreditStatus
from app.models.types import rome_today
from app.services.errors import CreditDeskError
from app.services.notices.document import SortOrder
from app.services.rolls import RollCriteria, RollFormed, create_roll
from app.services.rolls.forming import DEFAULT_STATUSES
from app.ui import formatting
from app.ui.ops import op

# A paid credit owes nothing: offering it would only lead to "no credit matches".
OFFERED_STATUSES = tuple(status for status in CreditStatus if status is not CreditStatus.PAID)


def show_failure(parent: QWidget, title: str, error: BaseException) -> None:
    """A clerk's error in a warning box; anything unexpected to the application's error handler and log."""
    if isinstance(error, CreditDeskError):
        QMessageBox.warning(parent, title, str(error))
    else:
        sys.excepthook(type(error), error, error.__traceback__)


def _optional_date(parent: QWidget, label: str, initial: date) -> tuple[QCheckBox, QDateEdit]:
    """A check box that switches a date on; the date is ignored while it is off."""
    check = QCheckBox(label, parent)
    edit = QDateEdit(QDate(initial.year, initial.month, initial.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setEnabled(False)
    check.toggled.connect(edit.setEnabled)
    return check, edit


def _date_of(check: QCheckBox, edit: QDateEdit) -> date | None:
    if not check.isChecked():
        return None
    value = edit.date()
    return date(value.year(), value.month(), value.day())


class NewRollDialog(QDialog):
    """Collects a new roll's name and criteria and forms it; stays open, saying why, when the service refuses."""

    roll_created = Signal(object)

    def __init__(self, context: AppContext, creditor_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Nuovo ruolo"))
        self.context = context
        self.creditor_id = creditor_id
        self.formed: RollFormed | None = None
        today = rome_today()
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(self.tr("es. Ruolo premi {0}").format(today.year))
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(today.year)
        self.status_checks = {status: QCheckBox(formatting.status_label(status), self) for status in OFFERED_STATUSES}
        for status, check in self.status_checks.items():
            check.setChecked(status in DEFAULT_STATUSES)
        self.kind_checks = {kind: QCheckBox(formatting.kind_label(kind), self) for kind in CreditKind}
        self.due_from_check, self.due_from_edit = _optional_date(self, self.tr("dal"), date(today.year, 1, 1))
        self.due_to_check, self.due_to_edit = _optional_date(self, self.tr("al"), date(today.year, 12, 31))
        self.notice_due_check, self.notice_due_edit = _optional_date(self, self.tr("uguale per tutti:"), today)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Crea ruolo"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("Nome del ruolo:"), self.name_edit)
        form.addRow(self.tr("Anno:"), self.year_spin)
        form.addRow(self.tr("Crediti negli stati:"), _grid(list(self.status_checks.values()), 2))
        kinds = _grid(list(self.kind_checks.values()), 4)
        kinds_hint = QLabel(self.tr("(nessuno scelto: tutti i tipi)"), self)
        kinds_hint.setEnabled(False)
        kinds_box = QVBoxLayout()
        kinds_box.addWidget(kinds)
        kinds_box.addWidget(kinds_hint)
        form.addRow(self.tr("Tipi di credito:"), kinds_box)
        due = QHBoxLayout()
        for widget in (self.due_from_check, self.due_from_edit, self.due_to_check, self.due_to_edit):
            due.addWidget(widget)
        due.addStretch(1)
        form.addRow(self.tr("Scadenza dei crediti:"), due)
        notice_due = QHBoxLayout()
        notice_due.addWidget(self.notice_due_check)
        notice_due.addWidget(self.notice_due_edit)
        notice_due.addStretch(1)
        form.addRow(self.tr("Scadenza degli avvisi:"), notice_due)
        hint = QLabel(self.tr("Senza una data comune, ogni avviso scade con il primo dei suoi crediti."), self)
        hint.setEnabled(False)
        form.addRow("", hint)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def criteria(self) -> RollCriteria:
        """The criteria as filled in."""
        return RollCriteria(
            name=self.name_edit.text(),
            statuses=tuple(status for status, check in self.status_checks.items() if check.isChecked()),
            due_from=_date_of(self.due_from_check, self.due_from_edit),
            due_to=_date_of(self.due_to_check, self.due_to_edit),
            kinds=tuple(kind for kind, check in self.kind_checks.items() if check.isChecked()),
            year=self.year_spin.value(),
            notice_due_date=_date_of(self.notice_due_check, self.notice_due_edit),
        )

    def accept(self) -> None:
        """Form the roll in the background; close on success, show the service's reason otherwise."""
        criteria = self.criteria()
        if not criteria.statuses:
            self.error_label.setText(self.tr("Scegliere almeno uno stato dei crediti."))
            return
        self.error_label.setText(self.tr("Formazione del ruolo in corso…"))
        self.buttons.setEnabled(False)
        db, creditor_id, login = self.context.db, self.creditor_id, self.context.user_login
        op(lambda: create_roll(db, creditor_id, criteria, user_login=login), self).on_success(self._created).on_failure(
            self._refused
        ).run()

    def _created(self, formed: RollFormed) -> None:
        self.formed = formed
        self.roll_created.emit(formed)
        super().accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, CreditDeskError):
            self.error_label.setText(str(error))
        else:
            self.error_label.setText("")
            show_failure(self, self.windowTitle(), error)


def _grid(checks: list[QCheckBox], per_row: int) -> QWidget:
    box = QWidget()
    grid = QGridLayout(box)
    grid.setContentsMargins(0, 0, 0, 0)
    for index, check in enumerate(checks):
        grid.addWidget(check, index // per_row, index % per_row)
    return box


class PrintOptionsDialog(QDialog):
    """How to print a roll's notices: in postal code order for the post, or grouped by administrator."""

    def __init__(self, roll_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Stampa avvisi"))
        self.postal_code_radio = QRadioButton(self.tr("per CAP (per la spedizione postale)"), self)
        self.administrator_radio = QRadioButton(self.tr("per amministratore (gli avvisi di ciascuno insieme)"), self)
        self.postal_code_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.postal_code_radio)
        group.addButton(self.administrator_radio)
        self.duplex_check = QCheckBox(self.tr("Fronte/retro (ogni avviso inizia su un nuovo foglio)"), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Prepara la stampa"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Avvisi del ruolo «{0}», in ordine:").format(roll_name), self))
        layout.addWidget(self.postal_code_radio)
        layout.addWidget(self.administrator_radio)
        layout.addWidget(self.duplex_check)
        layout.addWidget(buttons)

    def order(self) -> SortOrder:
        """The order chosen."""
        return SortOrder.POSTAL_CODE if self.postal_code_radio.isChecked() else SortOrder.ADMINISTRATOR

    def duplex(self) -> bool:
        """Whether blank pages keep each notice on sheets of its own for double-sided printing."""
        return self.duplex_check.isChecked()


class LinesDialog(QDialog):
    """A short explanation above a list of lines the clerk can read and copy: errors, warnings, a summary."""

    def __init__(self, title: str, intro: str, lines: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(640, 360)
        self.intro_label = QLabel(intro, self)
        self.intro_label.setWordWrap(True)
        self.lines_list = QListWidget(self)
        self.lines_list.addItems(lines)
        self.lines_list.setWordWrap(True)
        self.lines_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.lines_list, 1)
        layout.addWidget(buttons)

    def lines(self) -> list[str]:
        """The lines shown."""
        return [self.lines_list.item(row).text() for row in range(self.lines_list.count())]
