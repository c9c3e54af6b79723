"""The editor of one reminder level: when it goes out, on which channels, from what amount, the WhatsApp template,
and its text with placeholder buttons beside a live preview filled with a real credit's data."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.models import Channel
from app.services.dunning.policies import (
    LevelDraft,
    first_line,
    revealing_terms,
    template_problems,
)
from app.services.dunning.policy_preview import PreviewCandidate, preview_candidates, preview_level
from app.services.dunning.rendering import PLACEHOLDERS
from app.services.errors import CreditDeskError
from app.ui import formatting
from app.ui.ops import op
from app.ui.widgets.roll_dialogs import show_failure

PREVIEW_DELAY_MS = 300
SEARCH_DELAY_MS = 250
CANDIDATES = 30
ERROR_STYLE = "color: #b3261e;"


class LevelEditor(QWidget):
    """Edits one level; every change comes out as a new draft through ``level_edited``."""

    level_edited = Signal(object)
    preview_shown = Signal(str)
    candidates_shown = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.creditor_id: int | None = None
        self._level_id: int | None = None
        self._has_level = False
        self._loading = False
        self._preview_generation = 0
        self._candidates_generation = 0
        self.name_edit = QLineEdit(self)
        self.offset_spin = QSpinBox(self)
        self.offset_spin.setRange(0, 3650)
        self.offset_side_combo = QComboBox(self)
        self.offset_side_combo.addItem(self.tr("giorni prima della scadenza"), -1)
        self.offset_side_combo.addItem(self.tr("giorni dopo la scadenza"), 1)
        self.channel_combos = [self._channel_combo(first=position == 0) for position in range(len(Channel))]
        self.min_amount_spin = QDoubleSpinBox(self)
        self.min_amount_spin.setRange(0, 999_999_999)
        self.min_amount_spin.setDecimals(2)
        self.min_amount_spin.setSuffix(" €")
        self.provider_template_edit = QLineEdit(self)
        self.provider_template_edit.setPlaceholderText(self.tr("nome del modello approvato dal fornitore WhatsApp"))
        self.placeholder_buttons = {name: self._placeholder_button(name, text) for name, text in PLACEHOLDERS.items()}
        self.template_edit = QPlainTextEdit(self)
        self.template_edit.setTabChangesFocus(True)
        self.problems_label = self._wrapping_label(ERROR_STYLE)
        self.example_search_edit = QLineEdit(self)
        self.example_search_edit.setPlaceholderText(self.tr("Cerca per numero, intestatario o pagatore"))
        self.example_search_edit.setClearButtonEnabled(True)
        self.example_combo = QComboBox(self)
        self.example_combo.setMinimumContentsLength(20)
        self.example_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.example_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.preview_edit = QPlainTextEdit(self)
        self.preview_edit.setReadOnly(True)
        self.lock_screen_label = self._wrapping_label("")
        self.preview_timer = self._timer(PREVIEW_DELAY_MS, self.refresh_preview)
        self.search_timer = self._timer(SEARCH_DELAY_MS, self.load_candidates)
        self._lay_out()
        self._connect()
        self.show_level(None)

    def _channel_combo(self, first: bool) -> QComboBox:
        combo = QComboBox(self)
        if not first:
            combo.addItem("—", None)
        for channel in Channel:
            combo.addItem(formatting.channel_label(channel), channel.value)
        return combo

    def _placeholder_button(self, name: str, description: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(f"{{{name}}}")
        button.setToolTip(self.tr("Inserisce {0}: {1}").format(f"{{{name}}}", description))
        button.clicked.connect(lambda: self._insert(f"{{{name}}}"))
        return button

    def _wrapping_label(self, style: str) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setStyleSheet(style)
        return label

    def _timer(self, delay: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(delay)
        timer.timeout.connect(slot)
        return timer

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("Nome del livello:"), self.name_edit)
        form.addRow(self.tr("Quando:"), _row(self.offset_spin, self.offset_side_combo))
        channels: list[QWidget] = []
        for position, combo in enumerate(self.channel_combos):
            if position:
                channels.append(QLabel(self.tr("poi"), self))
            channels.append(combo)
        form.addRow(self.tr("Canale e alternative:"), _row(*channels))
        form.addRow(self.tr("Importo minimo:"), _row(self.min_amount_spin, QLabel(
            self.tr("(sotto questo residuo il livello non parte)"), self)))  # fmt: skip
        form.addRow(self.tr("Modello WhatsApp:"), self.provider_template_edit)
        text = QVBoxLayout()
        text.addWidget(_title(self.tr("Testo del messaggio")))
        text.addWidget(_row(QLabel(self.tr("Inserisci:"), self), *self.placeholder_buttons.values()))
        text.addWidget(self.template_edit, 1)
        text.addWidget(self.problems_label)
        preview = QVBoxLayout()
        preview.addWidget(_title(self.tr("Anteprima con un credito vero")))
        example = QHBoxLayout()
        example.addWidget(QLabel(self.tr("Credito di esempio:"), self))
        example.addWidget(self.example_combo, 1)
        preview.addLayout(example)
        preview.addWidget(self.example_search_edit)
        preview.addWidget(self.preview_edit, 1)
        preview.addWidget(self.lock_screen_label)
        panes = QHBoxLayout()
        panes.addLayout(text, 4)
        panes.addLayout(preview, 5)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(panes, 1)

    def _connect(self) -> None:
        for signal in (self.name_edit.textChanged, self.offset_spin.valueChanged, self.min_amount_spin.valueChanged,
                       self.offset_side_combo.currentIndexChanged, self.provider_template_edit.textChanged,
                       *(combo.currentIndexChanged for combo in self.channel_combos)):  # fmt: skip
            signal.connect(self._edited)
        self.template_edit.textChanged.connect(self._template_edited)
        self.example_combo.currentIndexChanged.connect(self._example_chosen)
        self.example_search_edit.textChanged.connect(lambda _text: self.search_timer.start())

    def _example_chosen(self) -> None:
        self.example_combo.setToolTip(self.example_combo.currentText())
        self._schedule_preview()

    def set_creditor(self, creditor_id: int) -> None:
        """Work for ``creditor_id``: its credits fill the preview."""
        self.creditor_id = creditor_id
        self.load_candidates()

    def show_level(self, level: LevelDraft | None) -> None:
        """Fill the fields with ``level`` (None: nothing selected, the editor greys out)."""
        self._loading = True
        try:
            self._level_id = level.id if level else None
            self._has_level = level is not None
            self.setEnabled(self._has_level)
            level = level or LevelDraft("", 0, (), "")
            self.name_edit.setText(level.name)
            self.offset_spin.setValue(abs(level.offset_days))
            self.offset_side_combo.setCurrentIndex(0 if level.offset_days < 0 else 1)
            for position, combo in enumerate(self.channel_combos):
                wanted = level.channels[position] if position < len(level.channels) else None
                combo.setCurrentIndex(max(combo.findData(wanted), 0))
            self.min_amount_spin.setValue(float(level.min_outstanding))
            self.provider_template_edit.setText(level.provider_template or "")
            self.template_edit.setPlainText(level.template)
        finally:
            self._loading = False
        self._update_hints()
        self._schedule_preview()

    def current_level(self) -> LevelDraft:
        """The level as the fields now say it."""
        channels = tuple(combo.currentData() for combo in self.channel_combos if combo.currentData())
        offset = self.offset_spin.value() * int(self.offset_side_combo.currentData())
        minimum = Decimal(f"{self.min_amount_spin.value():.2f}")
        return LevelDraft(name=self.name_edit.text(), offset_days=offset, channels=channels,
                          template=self.template_edit.toPlainText(),
                          provider_template=self.provider_template_edit.text().strip() or None,
                          min_outstanding=minimum, id=self._level_id)  # fmt: skip

    def _insert(self, placeholder: str) -> None:
        self.template_edit.insertPlainText(placeholder)
        self.template_edit.setFocus()

    def _edited(self) -> None:
        self._update_hints()
        if not self._loading:
            self.level_edited.emit(self.current_level())

    def _template_edited(self) -> None:
        self._edited()
        self._schedule_preview()

    def _update_hints(self) -> None:
        level = self.current_level()
        problems = template_problems(level.template) if self._has_level else []
        self.problems_label.setText("\n".join(f"• {problem[:1].upper()}{problem[1:]}." for problem in problems))
        self.problems_label.setVisible(bool(problems))
        whatsapp = Channel.WHATSAPP.value in level.channels
        self.provider_template_edit.setEnabled(whatsapp)
        self.provider_template_edit.setToolTip("" if whatsapp else self.tr("Serve solo se fra i canali c'è WhatsApp."))

    def _schedule_preview(self) -> None:
        if not self._loading:
            self.preview_timer.start()

    def refresh_preview(self) -> None:
        """Fill the text with the chosen credit's data, in the background; the latest request wins."""
        if self.creditor_id is None or not self._has_level:
            return
        self._preview_generation += 1
        generation, db, creditor_id = self._preview_generation, self.context.db, self.creditor_id
        template, credit_id = self.template_edit.toPlainText(), self.example_combo.currentData()
        op(lambda: preview_level(db, creditor_id, template, credit_id), self).on_success(
            lambda text: self._show_preview(generation, text)
        ).on_failure(lambda error: self._preview_failed(generation, error)).run()

    def _show_preview(self, generation: int, text: str) -> None:
        if generation != self._preview_generation:
            return
        self.preview_edit.setPlainText(text)
        self.lock_screen_label.setStyleSheet(ERROR_STYLE if revealing_terms(first_line(text)) else "")
        self.lock_screen_label.setText(self.tr("Sul telefono bloccato si legge: «{0}»").format(first_line(text)))
        self.preview_shown.emit(text)

    def _preview_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._preview_generation:
            return
        if not isinstance(error, CreditDeskError):
            show_failure(self, self.tr("Anteprima"), error)
            return
        self.preview_edit.setPlainText("")
        self.lock_screen_label.setStyleSheet(ERROR_STYLE)
        self.lock_screen_label.setText(str(error))
        self.preview_shown.emit("")

    def load_candidates(self) -> None:
        """Look up credits to preview with (the search's, or the most telling ones), in the background."""
        if self.creditor_id is None:
            return
        self._candidates_generation += 1
        generation, db, creditor_id = self._candidates_generation, self.context.db, self.creditor_id
        search = self.example_search_edit.text()
        op(lambda: preview_candidates(db, creditor_id, search, CANDIDATES), self).on_success(
            lambda found: self._show_candidates(generation, found)
        ).on_failure(lambda error: show_failure(self, self.tr("Credito di esempio"), error)).run()

    def _show_candidates(self, generation: int, candidates: list[PreviewCandidate]) -> None:
        if generation != self._candidates_generation:
            return
        chosen = self.example_combo.currentData()
        self.example_combo.blockSignals(True)
        self.example_combo.clear()
        for candidate in candidates:
            self.example_combo.addItem(self._candidate_label(candidate), candidate.credit_id)
        if not candidates:
            none = self.tr("nessun credito aperto trovato: dati inventati") if not self.example_search_edit.text() \
                else self.tr("nessun credito aperto corrisponde alla ricerca: dati inventati")  # fmt: skip
            self.example_combo.addItem(none, None)
        self.example_combo.setCurrentIndex(max(self.example_combo.findData(chosen), 0))
        self.example_combo.setToolTip(self.example_combo.currentText())
        self.example_combo.blockSignals(False)
        self.candidates_shown.emit(len(candidates))
        self._schedule_preview()

    def _candidate_label(self, candidate: PreviewCandidate) -> str:
        payer = candidate.payer_name if len(candidate.payer_name) <= 32 else candidate.payer_name[:31] + "…"
        if candidate.holders > 1:  # first, so a long name cannot hide why this example is worth choosing
            payer = self.tr("{0} ({1} condomini)").format(payer, candidate.holders)
        return " · ".join((payer, candidate.reference, formatting.day(candidate.due_date),
                           formatting.money(candidate.outstanding)))  # fmt: skip


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return box


def _title(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setWeight(QFont.Weight.Bold)
    label.setFont(font)
    return label
