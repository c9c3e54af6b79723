"""The Rolls page: the creditor's rolls with totals per state, the selected roll's notices and history, and the
actions its state allows (send to the bank, read back the MAV codes, print, archive, move on, delete)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QPoint, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.models import NoticeKind, RollStatus
from app.services.rolls import NoticeRow, RollEventRow, RollFormed, RollRow, list_rolls, roll_events, roll_notices
from app.ui import formatting
from app.ui.ops import op
from app.ui.widgets.roll_dialogs import NewRollDialog, show_failure
from app.ui.widgets.roll_models import (
    NoticeTableModel,
    RollAction,
    RollEventTableModel,
    RollTableModel,
    available_actions,
    next_move,
    totals_by_status,
)
from app.ui.widgets.roll_views import RollTotalsStrip, fit_columns, read_only_table
from app.ui.widgets.roll_workflow import RollWorkflow

RollDetail = tuple[list[NoticeRow], list[RollEventRow]]


class RollsPage(QWidget):
    """Rolls, newest first; every query and action runs in the background, a newer answer wins."""

    rolls_shown = Signal(int)
    detail_shown = Signal(int)
    data_changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._creditor_id: int | None = None
        self._loaded = False
        self._generation = 0
        self._detail_generation = 0
        self._selected_id: int | None = None
        self._detail_roll_id: int | None = None
        self.workflow = RollWorkflow(context, self)
        self.workflow.message.connect(self._say)
        self.workflow.created.connect(self._created)
        self.workflow.changed.connect(self._changed)
        self.totals_strip = RollTotalsStrip(self)
        self.rolls_model = RollTableModel(self)
        self.rolls_table = read_only_table(self.rolls_model, (340, 60, 130, 80, 80, 120, 120, 120))
        self.notices_model = NoticeTableModel(self)
        self.notices_table = read_only_table(self.notices_model, (280, 280, 60, 110, 150, 100, 90, 150))
        self.events_model = RollEventTableModel(self)
        self.events_table = read_only_table(self.events_model, (130, 120, 130, 130))
        self.detail_tabs = QTabWidget(self)
        self.message_label = QLabel(self)
        self._build_buttons()
        self._lay_out()
        self.rolls_table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.rolls_table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.rolls_table.customContextMenuRequested.connect(self._context_menu)
        self._update_actions()

    def _build_buttons(self) -> None:
        self.new_button = QPushButton(self.tr("Nuovo ruolo…"), self)
        self.new_button.clicked.connect(self.new_roll)
        self.new_button.setEnabled(False)
        self.action_buttons: dict[RollAction, QPushButton] = {}
        for action, text, handler in self._action_specs():
            button = QPushButton(text, self)
            button.clicked.connect(lambda _checked=False, handler=handler: self._on_selected(handler))
            self.action_buttons[action] = button
        buttons = self.action_buttons
        self.export_button, self.import_codes_button = buttons[RollAction.EXPORT], buttons[RollAction.IMPORT_CODES]
        self.advance_button, self.back_to_draft_button = buttons[RollAction.ADVANCE], buttons[RollAction.BACK_TO_DRAFT]
        self.print_button, self.archive_button = buttons[RollAction.PRINT], buttons[RollAction.ARCHIVE]
        self.delete_button = buttons[RollAction.DELETE]

    def _action_specs(self) -> list[tuple[RollAction, str, Callable[[RollRow], None]]]:
        flow = self.workflow
        return [
            (RollAction.EXPORT, self.tr("Invia in banca…"), flow.ask_export),
            (RollAction.IMPORT_CODES, self.tr("Importa codici MAV…"), flow.ask_import_codes),
            (RollAction.ADVANCE, self.tr("Avanza stato"), self._advance),
            (RollAction.BACK_TO_DRAFT, self.tr("Riporta in bozza"), lambda r: flow.ask_move(r, RollStatus.DRAFT)),
            (RollAction.PRINT, self.tr("Stampa avvisi…"), flow.ask_print),
            (RollAction.ARCHIVE, self.tr("Archivia avvisi PDF"), flow.ask_archive),
            (RollAction.DELETE, self.tr("Elimina bozza"), flow.ask_delete),
        ]

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.new_button)
        bar.addSpacing(12)
        for button in self.action_buttons.values():
            bar.addWidget(button)
        bar.addStretch(1)
        self.detail_tabs.addTab(self.notices_table, self.tr("Avvisi"))
        self.detail_tabs.addTab(self.events_table, self.tr("Storico"))
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.rolls_table)
        self.splitter.addWidget(self.detail_tabs)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.totals_strip)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.message_label)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.reload()

    def reload(self) -> None:
        """Read the rolls again (in the background), keeping the selected one selected."""
        self._generation += 1
        generation, context, known = self._generation, self.context, self._creditor_id

        def work() -> tuple[int, list[RollRow]]:
            creditor_id = known or context.creditor_id()
            return creditor_id, list_rolls(context.db, creditor_id)

        op(work, self).on_success(lambda result: self._show_rolls(generation, *result)).on_failure(self._failed).run()

    def _show_rolls(self, generation: int, creditor_id: int, rows: list[RollRow]) -> None:
        if generation != self._generation:
            return
        self._creditor_id = creditor_id
        self.new_button.setEnabled(True)
        self.rolls_model.set_rows(rows)
        fit_columns(self.rolls_table)
        self.totals_strip.show_totals(totals_by_status(rows))
        position = self.rolls_model.position_of(self._selected_id) if self._selected_id is not None else None
        if position is None and rows:
            position = 0
        # Known before the selection changes, so the selection does not ask for the detail a second time.
        self._selected_id = self.rolls_model.row_at(position).id if position is not None else None
        if position is not None:
            self.rolls_table.selectRow(position)
        self._load_detail()
        if not rows:
            self._say(self.tr("Nessun ruolo: crearne uno con «Nuovo ruolo…» dai crediti da riscuotere."))
        self._update_actions()
        self.rolls_shown.emit(len(rows))

    def selected_roll(self) -> RollRow | None:
        """The roll selected in the table, as last read."""
        rows = self.rolls_table.selectionModel().selectedRows()
        return self.rolls_model.row_at(rows[0].row()) if rows else None

    def select_roll(self, roll_id: int) -> bool:
        """Select roll ``roll_id`` if it is in the table."""
        position = self.rolls_model.position_of(roll_id)
        if position is not None:
            self.rolls_table.selectRow(position)
        return position is not None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        roll = self.selected_roll()
        roll_id = roll.id if roll else None
        self._update_actions()
        if roll_id != self._selected_id:
            self._selected_id = roll_id
            self._load_detail()

    def _load_detail(self) -> None:
        self._detail_generation += 1
        generation, db, roll_id = self._detail_generation, self.context.db, self._selected_id
        if roll_id is None:
            self._show_detail_rows([], [])
            return

        def work() -> RollDetail:
            return roll_notices(db, roll_id), roll_events(db, roll_id)

        op(work, self).on_success(lambda detail: self._show_detail(generation, roll_id, detail)).on_failure(
            self._failed
        ).run()

    def _show_detail(self, generation: int, roll_id: int, detail: RollDetail) -> None:
        if generation != self._detail_generation:
            return
        self._show_detail_rows(*detail)
        self._detail_roll_id = roll_id
        self._update_actions()
        self.detail_shown.emit(roll_id)

    def _show_detail_rows(self, notices: list[NoticeRow], events: list[RollEventRow]) -> None:
        self._detail_roll_id = None
        self.notices_model.set_rows(notices)
        self.events_model.set_rows(events)
        fit_columns(self.notices_table, widest=280)
        fit_columns(self.events_table, widest=400)
        self.detail_tabs.setTabText(0, self.tr("Avvisi ({0})").format(formatting.count(len(notices))))
        self.detail_tabs.setTabText(1, self.tr("Storico ({0})").format(len(events)))

    def _notice_kinds(self, roll: RollRow | None) -> frozenset[NoticeKind]:
        # The notices shown may still be the previous roll's while the new ones load.
        return self.notices_model.kinds() if roll is not None and roll.id == self._detail_roll_id else frozenset()

    def _update_actions(self) -> None:
        roll = self.selected_roll()
        kinds = self._notice_kinds(roll)
        allowed = available_actions(roll, kinds)
        for action, button in self.action_buttons.items():
            button.setEnabled(action in allowed)
        target = next_move(roll.status, kinds) if roll else None
        self.advance_button.setToolTip(
            self.tr("Porta il ruolo a «{0}»").format(formatting.roll_status_label(target)) if target else ""
        )

    def _on_selected(self, handler: Callable[[RollRow], None]) -> None:
        roll = self.selected_roll()
        if roll is not None:
            handler(roll)

    def _advance(self, roll: RollRow) -> None:
        target = next_move(roll.status, self._notice_kinds(roll))
        if target is not None:
            self.workflow.ask_move(roll, target)

    def _context_menu(self, position: QPoint) -> None:
        if self.selected_roll() is None:
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for action, text, handler in self._action_specs():
            item = menu.addAction(text)
            item.setEnabled(self.action_buttons[action].isEnabled())
            item.triggered.connect(lambda _checked=False, handler=handler: self._on_selected(handler))
        menu.popup(self.rolls_table.viewport().mapToGlobal(position))

    def new_roll(self) -> NewRollDialog | None:
        """Open the dialog that forms a new draft roll."""
        if self._creditor_id is None:
            return None
        return self.workflow.new_roll(self._creditor_id)

    def _created(self, formed: RollFormed) -> None:
        self._selected_id = formed.roll_id
        self._changed(formed.roll_id)

    def _changed(self, _roll_id: int) -> None:
        self.reload()
        self.data_changed.emit()

    def _say(self, text: str) -> None:
        self.message_label.setText(text)

    def _failed(self, error: BaseException) -> None:
        self._say(self.tr("Operazione non riuscita."))
        show_failure(self, self.tr("Ruoli"), error)
