"""The Communications page's filter bar: a text search, the channel, the level and a range of days."""

from __future__ import annotations

import enum
from datetime import date, timedelta

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.models import Channel, CommunicationStatus
from app.models.types import rome_today
from app.services.dunning.journal import CommunicationFilter, LevelOption
from app.ui.widgets.communication_labels import channel_label

SEARCH_DELAY_MS = 250


class DateField(enum.Enum):
    """Which day of a message the range is about."""

    ANY = "any"
    PLANNED = "planned"
    SENT = "sent"


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class CommunicationFilterBar(QWidget):
    """Collects what the clerk wants to see; says ``filters_changed`` (a search after a short pause)."""

    filters_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Cerca per pagatore o indirizzo"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(220)
        self.channel_combo = QComboBox(self)
        self.channel_combo.addItem(self.tr("Tutti i canali"), None)
        for channel in Channel:
            self.channel_combo.addItem(channel_label(channel), channel)
        self.level_combo = QComboBox(self)
        self.level_combo.setMinimumContentsLength(18)
        self.set_levels([])
        self.date_field_combo = QComboBox(self)
        self.date_field_combo.addItem(self.tr("Qualsiasi data"), DateField.ANY)
        self.date_field_combo.addItem(self.tr("Pianificate dal"), DateField.PLANNED)
        self.date_field_combo.addItem(self.tr("Inviate dal"), DateField.SENT)
        today = rome_today()
        self.from_edit = self._date_edit(today - timedelta(days=30))
        self.to_label = QLabel(self.tr("al"), self)
        self.to_edit = self._date_edit(today)
        self.reset_button = QPushButton(self.tr("Azzera filtri"), self)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self._lay_out()
        self._connect()
        self._date_field_changed()

    def _date_edit(self, initial: date) -> QDateEdit:
        edit = QDateEdit(_qdate(initial), self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        return edit

    def _lay_out(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit, 2)
        layout.addWidget(self.channel_combo)
        layout.addWidget(self.level_combo)
        layout.addSpacing(8)
        layout.addWidget(self.date_field_combo)
        layout.addWidget(self.from_edit)
        layout.addWidget(self.to_label)
        layout.addWidget(self.to_edit)
        layout.addStretch(1)
        layout.addWidget(self.reset_button)

    def _connect(self) -> None:
        self.search_edit.textChanged.connect(lambda _text: self.search_timer.start())
        self.search_edit.returnPressed.connect(self._search_now)
        self.search_timer.timeout.connect(self.filters_changed)
        self.channel_combo.currentIndexChanged.connect(lambda _index: self.filters_changed.emit())
        self.level_combo.currentIndexChanged.connect(lambda _index: self.filters_changed.emit())
        self.date_field_combo.currentIndexChanged.connect(self._date_field_changed)
        self.from_edit.dateChanged.connect(self._date_changed)
        self.to_edit.dateChanged.connect(self._date_changed)
        self.reset_button.clicked.connect(self.reset)

    def set_levels(self, levels: list[LevelOption]) -> None:
        """Offer these levels; the one chosen stays chosen if it is still there. Says nothing of the change."""
        chosen = self.level_combo.currentData()
        several_policies = len({level.policy_name for level in levels}) > 1
        self.level_combo.blockSignals(True)
        self.level_combo.clear()
        self.level_combo.addItem(self.tr("Tutti i livelli"), None)
        for level in levels:
            name = f"{level.policy_name} — {level.name}" if several_policies else level.name
            self.level_combo.addItem(name, level.id)
        found = self.level_combo.findData(chosen) if chosen is not None else 0
        self.level_combo.setCurrentIndex(max(found, 0))
        self.level_combo.blockSignals(False)

    def current_filter(self, status: CommunicationStatus | None) -> CommunicationFilter:
        """The filter the bar shows, with ``status`` (chosen on the status strip) if any."""
        channel = self.channel_combo.currentData()
        level = self.level_combo.currentData()
        field = self.date_field_combo.currentData()
        first, last = _pydate(self.from_edit.date()), _pydate(self.to_edit.date())
        return CommunicationFilter(
            statuses=frozenset({status}) if status is not None else frozenset(),
            channels=frozenset({channel}) if channel is not None else frozenset(),
            level_ids=frozenset({level}) if level is not None else frozenset(),
            planned_from=first if field is DateField.PLANNED else None,
            planned_to=last if field is DateField.PLANNED else None,
            sent_from=first if field is DateField.SENT else None,
            sent_to=last if field is DateField.SENT else None,
            text=self.search_edit.text().strip(),
        )

    def reset(self) -> None:
        """Every filter back to "all", then one ``filters_changed``."""
        self.blockSignals(True)
        self.search_edit.clear()
        self.search_timer.stop()
        self.channel_combo.setCurrentIndex(0)
        self.level_combo.setCurrentIndex(0)
        self.date_field_combo.setCurrentIndex(0)
        self.blockSignals(False)
        self.filters_changed.emit()

    def _search_now(self) -> None:
        self.search_timer.stop()
        self.filters_changed.emit()

    def _date_field_changed(self) -> None:
        dated = self.date_field_combo.currentData() is not DateField.ANY
        for widget in (self.from_edit, self.to_label, self.to_edit):
            widget.setEnabled(dated)
        self.filters_changed.emit()

    def _date_changed(self) -> None:
        if self.date_field_combo.currentData() is not DateField.ANY:
            self.filters_changed.emit()
