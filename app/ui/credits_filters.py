"""The filter bar of the Credits page: search, status, due-date range, roll, administrator, collector."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.models import CreditStatus
from app.services.credits.options import Choice, FilterOptions
from app.services.credits.query import CreditFilter
from app.ui import formatting

SEARCH_DELAY_MS = 250
NO_DATE = QDate(2000, 1, 1)


class CreditsFilterBar(QWidget):
    """Collects the clerk's filters and says when they changed (search text after a short pause)."""

    filters_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Cerca per nome, codice fiscale, P. IVA o numero…"))
        self.search_edit.setClearButtonEnabled(True)
        self.status_combo = QComboBox()
        self.status_combo.addItem(self.tr("Tutti gli stati"), None)
        for status in CreditStatus:
            self.status_combo.addItem(formatting.status_label(status), status)
        self.roll_combo = QComboBox()
        self.administrator_combo = QComboBox()
        self.administrator_combo.setEditable(True)
        self.administrator_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.collector_combo = QComboBox()
        self.due_from_edit = _date_edit(self.tr("dal"))
        self.due_to_edit = _date_edit(self.tr("al"))
        self.reset_button = QPushButton(self.tr("Azzera filtri"))
        self.set_options(FilterOptions((), (), ()))
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._lay_out()
        self._connect()

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.search_edit, 0, 0, 1, 4)
        grid.addWidget(self.status_combo, 0, 4)
        grid.addWidget(self.reset_button, 0, 5)
        grid.addWidget(QLabel(self.tr("Scadenza")), 1, 0)
        grid.addWidget(self.due_from_edit, 1, 1)
        grid.addWidget(self.due_to_edit, 1, 2)
        grid.addWidget(self.roll_combo, 1, 3)
        grid.addWidget(self.administrator_combo, 1, 4)
        grid.addWidget(self.collector_combo, 1, 5)
        grid.setColumnStretch(3, 1)
        grid.setColumnStretch(4, 1)

    def _connect(self) -> None:
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self._search_timer.timeout.connect(self.filters_changed)
        for combo in (self.status_combo, self.roll_combo, self.administrator_combo, self.collector_combo):
            combo.currentIndexChanged.connect(lambda _i: self.filters_changed.emit())
        for edit in (self.due_from_edit, self.due_to_edit):
            edit.dateChanged.connect(lambda _d: self.filters_changed.emit())
        self.reset_button.clicked.connect(self.reset)

    def set_options(self, options: FilterOptions) -> None:
        """Fill the roll, administrator and collector choices, keeping the current choice where it remains."""
        self._fill(self.roll_combo, self.tr("Tutti i ruoli"), options.rolls)
        self._fill(self.administrator_combo, self.tr("Tutti gli amministratori"), options.administrators)
        self._fill(self.collector_combo, self.tr("Tutti gli incaricati"), options.collectors)
        completer = QCompleter([c.label for c in options.administrators], self.administrator_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.administrator_combo.setCompleter(completer)

    @staticmethod
    def _fill(combo: QComboBox, everything: str, choices: tuple[Choice, ...]) -> None:
        previous = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for choice in choices:
            combo.addItem(choice.label, choice.id)
        position = combo.findData(previous) if previous is not None else 0
        combo.setCurrentIndex(max(position, 0))
        combo.blockSignals(False)

    def current_filter(self, creditor_id: int) -> CreditFilter:
        """The filter the widgets describe now."""
        status = self.status_combo.currentData()
        return CreditFilter(
            creditor_id=creditor_id,
            text=self.search_edit.text(),
            statuses=frozenset({status}) if status is not None else frozenset(),
            due_from=_date_of(self.due_from_edit),
            due_to=_date_of(self.due_to_edit),
            roll_id=self.roll_combo.currentData(),
            administrator_id=self.administrator_combo.currentData(),
            collector_id=self.collector_combo.currentData(),
        )

    def reset(self) -> None:
        """Back to everything, with a single query."""
        widgets = (
            self.search_edit,
            self.status_combo,
            self.roll_combo,
            self.administrator_combo,
            self.collector_combo,
            self.due_from_edit,
            self.due_to_edit,
        )
        for widget in widgets:
            widget.blockSignals(True)
        self.search_edit.clear()
        for combo in (self.status_combo, self.roll_combo, self.administrator_combo, self.collector_combo):
            combo.setCurrentIndex(0)
        self.due_from_edit.setDate(NO_DATE)
        self.due_to_edit.setDate(NO_DATE)
        for widget in widgets:
            widget.blockSignals(False)
        self._search_timer.stop()
        self.filters_changed.emit()


def _date_edit(prefix: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(f"{prefix} —")
    edit.setDate(NO_DATE)
    return edit


def _date_of(edit: QDateEdit) -> date | None:
    value = edit.date()
    if value == NO_DATE:
        return None
    return date(value.year(), value.month(), value.day())
