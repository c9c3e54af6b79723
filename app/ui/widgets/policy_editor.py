"""The dunning policy editor: the creditor's policies on the left; on the right the chosen one's name, kind of
credit, automatic switch and sending hours, its levels, and the selected level with its text and a live preview."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, QTime, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.models import Channel, CreditKind
from app.services.dunning.policies import (
    NEUTRAL_EXAMPLE,
    LevelDraft,
    PolicyDraft,
    PolicySummary,
    delete_policy,
    list_policies,
    load_policy,
    save_policy,
)
from app.services.errors import CreditDeskError
from app.ui import formatting
from app.ui.ops import op
from app.ui.widgets.policy_level_editor import ERROR_STYLE, LevelEditor
from app.ui.widgets.policy_models import LevelTableModel
from app.ui.widgets.roll_dialogs import show_failure

# The text a new level starts from: a neutral first line, the debt from the second on (messages are in Italian
# whatever the language of the interface).
NEW_LEVEL_TEMPLATE = (
    NEUTRAL_EXAMPLE + "\nLe ricordiamo il pagamento di {importo} entro il {scadenza} (codice {codice})."
)
WARNING_STYLE = "color: #8a5300;"


class PolicyEditorDialog(QDialog):
    """Edits the creditor's dunning policies; every load, save and preview runs in the background, and a save the
    service refuses stays open with the service's words."""

    policies_shown = Signal(int)
    policy_loaded = Signal(object)
    policy_saved = Signal(int)
    save_refused = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None, creditor_id: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Procedure di sollecito"))
        self.resize(1240, 880)
        self.context = context
        self.creditor_id = creditor_id
        self._summaries: list[PolicySummary] = []
        self._policy: PolicyDraft | None = None
        self._row = -1
        self._dirty = self._loading = self._started = False
        self._load_generation = 0
        self.policy_list = QListWidget(self)
        self.new_button = QPushButton(self.tr("Nuova procedura"), self)
        self.delete_button = QPushButton(self.tr("Elimina"), self)
        self.name_edit = QLineEdit(self)
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem(self.tr("Tutti i tipi di credito (procedura predefinita)"), None)
        for kind in CreditKind:
            self.kind_combo.addItem(formatting.kind_label(kind), kind.value)
        self.automatic_check = QCheckBox(self.tr("Invio automatico"), self)
        self.automatic_warning_label = QLabel(self.tr(
            "Attenzione: i solleciti di questa procedura partiranno da soli, senza l'approvazione di un operatore."
        ), self)  # fmt: skip
        self.automatic_warning_label.setStyleSheet(WARNING_STYLE)
        self.automatic_warning_label.setWordWrap(True)
        self.send_from_edit, self.send_until_edit = QTimeEdit(self), QTimeEdit(self)
        for edit in (self.send_from_edit, self.send_until_edit):
            edit.setDisplayFormat("HH:mm")
        self.levels_model = LevelTableModel(self)
        self.levels_table = self._levels_table()
        self.add_level_button = QPushButton(self.tr("Aggiungi livello"), self)
        self.remove_level_button = QPushButton(self.tr("Rimuovi livello"), self)
        self.level_editor = LevelEditor(context, self)
        self.preview_shown = self.level_editor.preview_shown
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label = QLabel(self)
        self.save_button = QPushButton(self.tr("Salva"), self)
        self.save_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Chiudi"), self)
        self._lay_out()
        self._connect()
        self._show_policy(None)

    def _levels_table(self) -> QTableView:
        view = QTableView(self)
        view.setModel(self.levels_model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((36, 170, 220, 280, 120)):
            view.setColumnWidth(column, width)
        view.setMinimumHeight(150)
        return view

    def _lay_out(self) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("<b>" + self.tr("Procedure dell'ente") + "</b>", self))
        left_layout.addWidget(self.policy_list, 1)
        left_layout.addWidget(_row(self.new_button, self.delete_button))
        policy_box = QGroupBox(self.tr("Procedura"), self)
        form = QFormLayout(policy_box)
        form.addRow(self.tr("Nome:"), self.name_edit)
        form.addRow(self.tr("Vale per:"), _row(self.kind_combo))
        approval = QHBoxLayout()
        approval.addWidget(self.automatic_check)
        approval.addWidget(self.automatic_warning_label, 1)
        form.addRow(self.tr("Approvazione:"), approval)
        form.addRow(self.tr("Orari di invio:"), _row(QLabel(self.tr("dalle"), self), self.send_from_edit,
                                                     QLabel(self.tr("alle"), self), self.send_until_edit))  # fmt: skip
        levels_box = QGroupBox(self.tr("Livelli (in ordine di giorni dalla scadenza)"), self)
        levels_layout = QVBoxLayout(levels_box)
        levels_layout.addWidget(self.levels_table)
        levels_layout.addWidget(_row(self.add_level_button, self.remove_level_button))
        level_box = QGroupBox(self.tr("Livello selezionato"), self)
        QVBoxLayout(level_box).addWidget(self.level_editor)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(policy_box)
        right_layout.addWidget(levels_box)
        right_layout.addWidget(level_box, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 1010])
        buttons = QHBoxLayout()
        buttons.addWidget(self.message_label, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.policy_list.currentRowChanged.connect(self._policy_chosen)
        self.new_button.clicked.connect(self.new_policy)
        self.delete_button.clicked.connect(self.delete)
        for signal in (self.name_edit.textEdited, self.kind_combo.activated, self.automatic_check.toggled,
                       self.send_from_edit.timeChanged, self.send_until_edit.timeChanged):  # fmt: skip
            signal.connect(self._edited)
        self.automatic_check.toggled.connect(self.automatic_warning_label.setVisible)
        self.levels_table.selectionModel().currentRowChanged.connect(self._level_chosen)
        self.level_editor.level_edited.connect(self._level_edited)
        self.add_level_button.clicked.connect(self.add_level)
        self.remove_level_button.clicked.connect(self.remove_level)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.reload()

    def reload(self, select_id: int | None = None) -> None:
        """Read the creditor's policies again (in the background) and open ``select_id``, or the one open."""
        context, known = self.context, self.creditor_id
        wanted = select_id if select_id is not None else (self._policy.id if self._policy else None)

        def work() -> tuple[int, list[PolicySummary]]:
            creditor_id = known or context.creditor_id()
            return creditor_id, list_policies(context.db, creditor_id)

        op(work, self).on_success(lambda found: self._show_policies(*found, wanted)).on_failure(
            lambda error: show_failure(self, self.windowTitle(), error)
        ).run()

    def _show_policies(self, creditor_id: int, summaries: list[PolicySummary], wanted: int | None) -> None:
        if self.creditor_id != creditor_id or self.level_editor.creditor_id is None:
            self.level_editor.set_creditor(creditor_id)
        self.creditor_id, self._summaries = creditor_id, summaries
        self.policy_list.blockSignals(True)
        self.policy_list.clear()
        for summary in summaries:
            item = QListWidgetItem(f"{summary.name} ({self._served(summary.credit_kind)})", self.policy_list)
            item.setToolTip(self._served(summary.credit_kind, long=True))
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
        ids = [summary.id for summary in summaries]
        self._row = ids.index(wanted) if wanted in ids else 0
        self.policy_list.setCurrentRow(self._row)
        self.policy_list.blockSignals(False)
        self.policies_shown.emit(len(summaries))
        if summaries:
            self._load(summaries[self._row].id)

    def _served(self, kind: CreditKind | None, long: bool = False) -> str:
        if kind is None:
            return self.tr("per tutti i tipi di credito senza una procedura propria") if long else self.tr("tutti")
        return self.tr("solo per: {0}").format(formatting.kind_label(kind)) if long else formatting.kind_label(kind)

    def _policy_chosen(self, row: int) -> None:
        if row == self._row or row < 0:
            return
        if not self._discard_changes():
            self.policy_list.blockSignals(True)
            self.policy_list.setCurrentRow(self._row)
            self.policy_list.blockSignals(False)
            return
        if self._policy is not None and self._policy.id is None:  # an unsaved new policy is dropped
            row -= 1 if row > self._row else 0
            self.policy_list.blockSignals(True)
            self.policy_list.takeItem(self._row)
            self.policy_list.setCurrentRow(row)
            self.policy_list.blockSignals(False)
        self._row = row
        policy_id = self.policy_list.item(row).data(Qt.ItemDataRole.UserRole)
        if policy_id is not None:
            self._load(policy_id)

    def _load(self, policy_id: int) -> None:
        self._load_generation += 1
        generation, db = self._load_generation, self.context.db
        op(lambda: load_policy(db, policy_id), self).on_success(
            lambda draft: self._show_policy(draft) if generation == self._load_generation else None
        ).on_failure(lambda error: show_failure(self, self.windowTitle(), error)).run()

    def _show_policy(self, draft: PolicyDraft | None) -> None:
        level_row = max(self.levels_table.currentIndex().row(), 0) if draft and self._policy and \
            draft.id == self._policy.id else 0  # fmt: skip
        self._loading = True
        try:
            self._policy = draft
            self.name_edit.setText(draft.name if draft else "")
            kind = draft.credit_kind.value if draft and draft.credit_kind else None
            self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(kind), 0))
            self.automatic_check.setChecked(bool(draft and draft.automatic))
            self.automatic_warning_label.setVisible(bool(draft and draft.automatic))
            self.send_from_edit.setTime(_time(draft.send_from if draft else 9 * 60))
            self.send_until_edit.setTime(_time(draft.send_until if draft else 19 * 60))
            self.levels_model.set_levels(draft.levels if draft else ())
        finally:
            self._loading = False
        for widget in (self.name_edit, self.kind_combo, self.automatic_check, self.send_from_edit,
                       self.send_until_edit, self.add_level_button, self.remove_level_button, self.save_button,
                       self.delete_button):  # fmt: skip
            widget.setEnabled(draft is not None)
        self._select_level(min(level_row, self.levels_model.rowCount() - 1))
        self._dirty = draft is not None and draft.id is None
        if draft is not None:
            self.policy_loaded.emit(draft)

    def _select_level(self, row: int) -> None:
        if row < 0:
            self.level_editor.show_level(None)
            return
        self.levels_table.setCurrentIndex(self.levels_model.index(row, 1))
        self.level_editor.show_level(self.levels_model.level(row))

    def _level_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.level_editor.show_level(self.levels_model.level(current.row()) if current.isValid() else None)

    def _level_edited(self, level: LevelDraft) -> None:
        row = self.levels_table.currentIndex().row()
        if row >= 0:
            self.levels_model.replace_level(row, level)
            self._edited()

    def _edited(self) -> None:
        if not self._loading:
            self._dirty = True
            self.message_label.setText(self.tr("Modifiche non salvate."))

    def current_draft(self) -> PolicyDraft | None:
        """The policy as the dialog now shows it, ready for the service."""
        if self._policy is None:
            return None
        kind = self.kind_combo.currentData()
        return replace(self._policy, name=self.name_edit.text(), credit_kind=CreditKind(kind) if kind else None,
                       automatic=self.automatic_check.isChecked(), send_from=_minutes(self.send_from_edit.time()),
                       send_until=_minutes(self.send_until_edit.time()), levels=self.levels_model.levels())  # fmt: skip

    def add_level(self) -> None:
        """A new level after the last one, with a neutral first line to start from."""
        offsets = [level.offset_days for level in self.levels_model.levels()]
        level = LevelDraft(self.tr("Nuovo livello"), max(offsets, default=0) + 20, (Channel.EMAIL.value,),
                           NEW_LEVEL_TEMPLATE)  # fmt: skip
        self._select_level(self.levels_model.add_level(level))
        self._edited()

    def remove_level(self) -> None:
        """Drop the selected level (saving tells if it was already used and must stay)."""
        row = self.levels_table.currentIndex().row()
        if row < 0:
            return
        self.levels_model.remove_level(row)
        self._select_level(min(row, self.levels_model.rowCount() - 1))
        self._edited()

    def new_policy(self) -> None:
        """Start a policy for a kind of credit that has none yet; it exists once saved."""
        if self.creditor_id is None or not self._discard_changes():
            return
        taken = {summary.credit_kind for summary in self._summaries}
        kind = next((kind for kind in CreditKind if kind not in taken), None)
        level = LevelDraft(self.tr("Primo sollecito"), 20, (Channel.EMAIL.value,), NEW_LEVEL_TEMPLATE)
        draft = PolicyDraft(self.creditor_id, self.tr("Nuova procedura"), kind, levels=(level,))
        self.policy_list.blockSignals(True)
        if self._policy is not None and self._policy.id is None:
            self.policy_list.takeItem(self._row)
        item = QListWidgetItem(self.tr("Nuova procedura (non salvata)"), self.policy_list)
        item.setData(Qt.ItemDataRole.UserRole, None)
        self._row = self.policy_list.row(item)
        self.policy_list.setCurrentRow(self._row)
        self.policy_list.blockSignals(False)
        self._show_policy(draft)
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def save(self) -> None:
        """Validate and store the policy through the service; its refusal is shown here, word for word."""
        draft = self.current_draft()
        if draft is None:
            return
        self.error_label.setText("")
        self.message_label.setText(self.tr("Salvataggio in corso…"))
        self.save_button.setEnabled(False)
        db, login = self.context.db, self.context.user_login
        op(lambda: save_policy(db, draft, user_login=login), self).on_success(self._saved).on_failure(
            self._refused
        ).run()

    def _saved(self, policy_id: int) -> None:
        self.save_button.setEnabled(True)
        self._dirty = False
        self._policy = replace(self._policy, id=policy_id) if self._policy else None
        self.message_label.setText(self.tr("Procedura salvata."))
        self.policy_saved.emit(policy_id)
        self.reload(policy_id)

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.message_label.setText(self.tr("Modifiche non salvate."))
        self._show_error(error)
        if isinstance(error, CreditDeskError):
            self.save_refused.emit(str(error))

    def _show_error(self, error: BaseException) -> None:
        """A clerk's error under the form; anything else to the application's error handler."""
        if isinstance(error, CreditDeskError):
            self.error_label.setText(str(error))
        else:
            show_failure(self, self.windowTitle(), error)

    def delete(self) -> None:
        """Delete the open policy after asking; the service refuses the default one and one already used."""
        if self._policy is None:
            return
        if self._policy.id is None:
            self._dirty = False
            self._policy = None
            self.reload()
            return
        asked = QMessageBox.question(self, self.tr("Elimina procedura"),
                                     self.tr("Eliminare la procedura «{0}»?").format(self._policy.name))  # fmt: skip
        if asked != QMessageBox.StandardButton.Yes:
            return
        db, login, policy_id = self.context.db, self.context.user_login, self._policy.id
        self.error_label.setText("")
        op(lambda: delete_policy(db, policy_id, user_login=login), self).on_success(
            lambda _none: self._deleted()
        ).on_failure(self._show_error).run()

    def _deleted(self) -> None:
        self._dirty, self._policy = False, None
        self.message_label.setText(self.tr("Procedura eliminata."))
        self.reload()

    def _discard_changes(self) -> bool:
        if not self._dirty:
            return True
        question = self.tr("Le modifiche alla procedura non sono salvate. Abbandonarle?")
        asked = QMessageBox.question(self, self.windowTitle(), question)
        if asked == QMessageBox.StandardButton.Yes:
            self._dirty = False
            return True
        return False

    def reject(self) -> None:
        # Closing by the window's button comes here too (QDialog's closeEvent calls reject).
        if self._discard_changes():
            super().reject()


def _time(minutes: int) -> QTime:
    # QTime stops at 23:59: a policy sending "until midnight" shows the last minute of the day.
    minutes = min(minutes, 24 * 60 - 1)
    return QTime(minutes // 60, minutes % 60)


def _minutes(value: QTime) -> int:
    return value.hour() * 60 + value.minute()


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return box
