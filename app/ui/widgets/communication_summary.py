"""The status strip of the Communications page: how many messages are in each state, one button each; a click
shows that state alone. "Esito sconosciuto" and "Non riuscito" stand out while any message waits in them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QSizePolicy, QToolButton, QWidget

from app.models import CommunicationStatus
from app.ui import formatting
from app.ui.widgets.communication_labels import NEEDS_CLERK, STATUS_ORDER, status_label

_STYLE = """
QToolButton { border: 1px solid palette(mid); border-radius: 4px; padding: 4px 10px; background: palette(base); }
QToolButton:hover { border-color: palette(highlight); }
QToolButton:checked { border: 2px solid palette(highlight); background: palette(alternate-base); }
QToolButton[alert="true"] { color: #b3261e; background: #fdecea; border-color: #b3261e; font-weight: bold; }
QToolButton[alert="true"]:checked { border: 2px solid #b3261e; background: #f8d3ce; }
"""


class CommunicationStatusStrip(QFrame):
    """One checkable button per state and one for all of them; ``status_chosen`` says which (None: all)."""

    status_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("communication_status_strip")
        self.setStyleSheet(_STYLE)
        self._counts: dict[CommunicationStatus, int] = dict.fromkeys(CommunicationStatus, 0)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.all_button = self._button("all_status_button")
        self.status_buttons: dict[CommunicationStatus, QToolButton] = {
            status: self._button(f"{status.value}_status_button") for status in STATUS_ORDER
        }
        self.all_button.setChecked(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.all_button)
        for button in self.status_buttons.values():
            layout.addWidget(button)
        layout.addStretch(1)
        self._group.buttonClicked.connect(self._clicked)
        self.show_counts(self._counts)

    def _button(self, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setCheckable(True)
        button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._group.addButton(button)
        return button

    def show_counts(self, counts: dict[CommunicationStatus, int]) -> None:
        """Write each state's count; the states that need a clerk are flagged while they hold any message."""
        self._counts = {status: counts.get(status, 0) for status in CommunicationStatus}
        self.all_button.setText(self.tr("Tutte") + "\n" + formatting.count(sum(self._counts.values())))
        for status, button in self.status_buttons.items():
            number = self._counts[status]
            button.setText(f"{status_label(status)}\n{formatting.count(number)}")
            alert = status in NEEDS_CLERK and number > 0
            if button.property("alert") != alert:
                button.setProperty("alert", alert)
                # A dynamic property changes the look only once the style sheet is applied again.
                button.style().unpolish(button)
                button.style().polish(button)
            button.setToolTip(self._tooltip(status, number))

    def _tooltip(self, status: CommunicationStatus, number: int) -> str:
        if status is CommunicationStatus.UNKNOWN and number:
            return self.tr(
                "Invii interrotti o senza risposta dal gestore: verificare se sono arrivati, poi reinviarli o "
                "segnarli come inviati. Non vengono mai reinviati da soli."
            )
        if status is CommunicationStatus.FAILED and number:
            return self.tr("Invii rifiutati o non riusciti dopo tutti i tentativi: si possono riprovare a mano.")
        return self.tr("Mostra solo: {0}").format(status_label(status))

    def count(self, status: CommunicationStatus) -> int:
        """The count shown for ``status``."""
        return self._counts[status]

    def chosen(self) -> CommunicationStatus | None:
        """The state shown alone, or None for all."""
        for status, button in self.status_buttons.items():
            if button.isChecked():
                return status
        return None

    def choose(self, status: CommunicationStatus | None) -> None:
        """Show ``status`` alone (None: all), as a click would."""
        button = self.all_button if status is None else self.status_buttons[status]
        if not button.isChecked():
            button.setChecked(True)
            self.status_chosen.emit(status)

    def _clicked(self, button: QToolButton) -> None:
        self.status_chosen.emit(self.chosen())
