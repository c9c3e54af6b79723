"""The Communications page: every reminder sent or to be sent, filtered and counted per status, a message's
items, timeline and documents, its payer's history, and the clerk's actions — approve the planned ones (all
or some), skip them, retry the failed ones, settle those whose outcome is unknown."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.models import CommunicationStatus
from app.services.dunning.journal import (
    CommunicationDetail,
    CommunicationFilter,
    CommunicationRow,
    DebtorTimeline,
    LevelOption,
    communication_detail,
    count_by_status,
    debtor_timeline,
    fetch_communication_rows,
    find_communications,
    level_options,
)
from app.services.dunning.letters import LetterBatch, print_letters, record_registered_number, record_return_receipt
from app.services.errors import NotFound
from app.ui import formatting
from app.ui.ops import Progress, op
from app.ui.widgets.communication_actions import (
    Action,
    CommunicationActionBar,
    Entry,
    done_text,
    eligible,
    perform,
    question,
)
from app.ui.widgets.communication_detail import CommunicationDetailPanel
from app.ui.widgets.communication_filters import CommunicationFilterBar
from app.ui.widgets.communication_letters import LetterBar, ReturnReceiptDialog
from app.ui.widgets.communication_models import CommunicationTableModel
from app.ui.widgets.communication_summary import CommunicationStatusStrip
from app.ui.widgets.roll_dialogs import show_failure
from app.ui.widgets.roll_views import read_only_table

SELECTION_DELAY_MS = 80  # a drag or Shift+arrows over many rows asks for one detail, not one per row
COLUMN_WIDTHS = (220, 130, 150, 220, 125, 90, 120, 50, 95, 200)
# Actions the clerk cannot take back: their question proposes "No", so a hasty Enter does nothing.
CAREFUL = frozenset({Action.CANCEL, Action.RESEND, Action.MARK_SENT})
Results = tuple[list[Entry], dict[CommunicationStatus, int]]


class CommunicationsPage(QWidget):
    """Reminders of the creditor, newest first, with their detail and the actions their states allow."""

    results_shown = Signal(int)
    detail_shown = Signal(int)
    action_finished = Signal(object, int)
    data_changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._creditor_id: int | None = None
        self._loaded = False
        self._generation = 0
        self._detail_generation = 0
        self._detail_id: int | None = None
        self._keep_ids: set[int] = set()
        self.filter_bar = CommunicationFilterBar(self)
        self.status_strip = CommunicationStatusStrip(self)
        self.action_bar = CommunicationActionBar(self)
        self.letter_bar = LetterBar(self)
        self.model = CommunicationTableModel(self)
        self.table_view = read_only_table(self.model, COLUMN_WIDTHS, multi=True)
        self.table_view.setSortingEnabled(False)  # newest first, always: the order comes from SQL
        self.detail_panel = CommunicationDetailPanel(self)
        self.totals_label = QLabel(self)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.selection_timer = QTimer(self)
        self.selection_timer.setSingleShot(True)
        self.selection_timer.setInterval(SELECTION_DELAY_MS)
        self._lay_out()
        self._connect()
        self.action_bar.update_for([], 0)

    def _lay_out(self) -> None:
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table_view)
        splitter.addWidget(self.detail_panel)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([500, 300])
        footer = QHBoxLayout()
        footer.addWidget(self.totals_label)
        footer.addSpacing(16)
        footer.addWidget(self.message_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.status_strip)
        layout.addWidget(self.action_bar)
        layout.addWidget(self.letter_bar)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)

    def _connect(self) -> None:
        self.filter_bar.filters_changed.connect(self.refresh)
        self.status_strip.status_chosen.connect(lambda _status: self.refresh())
        self.action_bar.triggered.connect(self.ask_action)
        self.model.rows_wanted.connect(self._fetch_rows)
        self.table_view.selectionModel().selectionChanged.connect(lambda *_args: self.selection_timer.start())
        self.selection_timer.timeout.connect(self._selection_settled)
        self.detail_panel.open_requested.connect(self.open_document)
        self.letter_bar.print_requested.connect(self.print_letters)
        self.letter_bar.number_requested.connect(self.ask_registered_number)
        self.letter_bar.receipt_requested.connect(self.ask_return_receipt)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.reload()

    def reload(self) -> None:
        """Find the creditor and its reminder levels, then list the messages (all in the background)."""
        context = self.context

        def work() -> tuple[int, list[LevelOption]]:
            creditor_id = context.creditor_id()
            return creditor_id, level_options(context.db, creditor_id)

        op(work, self).on_success(self._levels_loaded).on_failure(self._failed).run()

    def _levels_loaded(self, result: tuple[int, list[LevelOption]]) -> None:
        self._creditor_id, levels = result
        self.filter_bar.set_levels(levels)
        self.refresh()

    def current_filter(self) -> CommunicationFilter:
        """What the filter bar and the status strip ask for."""
        return self.filter_bar.current_filter(self.status_strip.chosen())

    def refresh(self) -> None:
        """List the messages that pass the filters and count them per status; an older answer is ignored.

        The messages chosen before stay chosen if they are still listed.
        """
        if self._creditor_id is None:
            return
        self._generation += 1
        generation, db, creditor_id, flt = self._generation, self.context.db, self._creditor_id, self.current_filter()
        self._keep_ids = {communication_id for communication_id, _ in self.selected_entries()} | self._keep_ids
        self.totals_label.setText(self.tr("Ricerca in corso…"))

        def work() -> Results:
            return find_communications(db, creditor_id, flt), count_by_status(db, creditor_id, flt)

        op(work, self).on_success(lambda found: self._show_results(generation, *found)).on_failure(self._failed).run()

    def _show_results(self, generation: int, entries: list[Entry], counts: dict[CommunicationStatus, int]) -> None:
        if generation != self._generation:
            return
        keep, self._keep_ids = self._keep_ids, set()
        self.model.set_entries(entries)
        self.status_strip.show_counts(counts)
        if not entries:
            self.totals_label.setText(self.tr("Nessuna comunicazione con questi filtri."))
        elif len(entries) == 1:
            self.totals_label.setText(self.tr("1 comunicazione"))
        else:
            self.totals_label.setText(self.tr("{0} comunicazioni").format(formatting.count(len(entries))))
        self._detail_id = None  # the detail is read again: the message may have changed
        self.select_positions(self.model.positions_of(keep) if keep else [])
        self._selection_settled()
        self.results_shown.emit(len(entries))

    def _fetch_rows(self, generation: int, block: int, ids: list[int]) -> None:
        db = self.context.db

        def arrived(rows: dict[int, CommunicationRow]) -> None:
            self.model.add_rows(generation, block, rows)

        op(lambda: fetch_communication_rows(db, ids), self).on_success(arrived).on_failure(self._failed).run()

    def select_positions(self, positions: list[int]) -> None:
        """Choose the messages at these positions (in runs, so choosing thousands stays quick)."""
        selection = QItemSelection()
        last_column = self.model.columnCount() - 1
        start = previous = None
        for position in [*sorted(positions), None]:
            if start is not None and previous is not None and (position is None or position != previous + 1):
                selection.select(self.model.index(start, 0), self.model.index(previous, last_column))
                start = None
            if position is not None and start is None:
                start = position
            previous = position
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        selection_model = self.table_view.selectionModel()
        selection_model.select(selection, flags)
        if positions:
            selection_model.setCurrentIndex(
                self.model.index(min(positions), 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def planned_count(self) -> int:
        """How many planned messages "approve all" would queue: those the list shows, or would with all states.

        While another state is shown alone (the unknown queue, say) it is none: the button acts on what is seen.
        """
        if self.status_strip.chosen() not in (None, CommunicationStatus.DRAFT):
            return 0
        return self.status_strip.count(CommunicationStatus.DRAFT)

    def selected_entries(self) -> list[Entry]:
        """The chosen messages' ids and states (as last listed), in the table's order."""
        positions: set[int] = set()
        selection = self.table_view.selectionModel().selection()
        for number in range(selection.size()):
            selected = selection.at(number)
            positions.update(range(selected.top(), selected.bottom() + 1))
        count = self.model.rowCount()
        return [self.model.entry(position) for position in sorted(positions) if position < count]

    def _selection_settled(self) -> None:
        self.selection_timer.stop()
        chosen = self.selected_entries()
        self.action_bar.update_for(chosen, self.planned_count())
        current = self.table_view.selectionModel().currentIndex()
        chosen_ids = [communication_id for communication_id, _ in chosen]
        if current.isValid() and self.model.entry(current.row())[0] in chosen_ids:
            shown: int | None = self.model.entry(current.row())[0]
        else:
            shown = chosen_ids[0] if chosen_ids else None
        if shown != self._detail_id:
            self._detail_id = shown
            self._load_detail(shown)

    def _load_detail(self, communication_id: int | None) -> None:
        self._detail_generation += 1
        generation, db = self._detail_generation, self.context.db
        if communication_id is None:
            self.detail_panel.show_empty()
            self.letter_bar.show_detail(None)
            return

        def work() -> tuple[CommunicationDetail, DebtorTimeline]:
            detail = communication_detail(db, communication_id)
            return detail, debtor_timeline(db, detail.row.subject_id)

        op(work, self).on_success(lambda found: self._show_detail(generation, *found)).on_failure(
            lambda error: self._detail_failed(generation, error)
        ).run()

    def _show_detail(self, generation: int, detail: CommunicationDetail, timeline: DebtorTimeline) -> None:
        if generation == self._detail_generation:
            self.detail_panel.show_detail(detail, timeline)
            self.letter_bar.show_detail(detail)
            self.detail_shown.emit(detail.row.id)

    def _detail_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._detail_generation:
            return
        self.detail_panel.show_empty()
        if not isinstance(error, NotFound):  # deleted meanwhile: nothing to show, nothing to report
            self._failed(error)

    def ask_action(self, action: Action) -> None:
        """Confirm ``action`` with the clerk (how many messages, what happens), then do it in the background."""
        if self._creditor_id is None:
            return
        ids: list[int] | None = None
        if action is Action.APPROVE_ALL:
            count, others = self.planned_count(), 0
        else:
            chosen = self.selected_entries()
            ids = eligible(action, chosen)
            count, others = len(ids), len(chosen) - len(ids)
        if not count:
            return
        title, text = question(action, count, others)
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        if QMessageBox.question(self, title, text, yes | no, no if action in CAREFUL else yes) != yes:
            return
        self._run(action, ids)

    def _run(self, action: Action, ids: list[int] | None) -> None:
        db, login, creditor_id = self.context.db, self.context.user_login, self._creditor_id
        assert creditor_id is not None
        # "All planned" means those planned now among the filtered, not the count the clerk saw a moment ago.
        planned = replace(self.current_filter(), statuses=frozenset({CommunicationStatus.DRAFT}))

        def work() -> tuple[int, int]:
            chosen = ids if ids is not None else [i for i, _ in find_communications(db, creditor_id, planned)]
            return (perform(db, action, chosen, login) if chosen else 0), len(chosen)

        for button in self.action_bar.buttons.values():
            button.setEnabled(False)
        self.message_label.setText(self.tr("Operazione in corso…"))
        op(work, self).on_success(lambda result: self._acted(action, *result)).on_failure(self._failed).run()

    def _acted(self, action: Action, moved: int, asked: int) -> None:
        self.message_label.setText(done_text(action, moved, asked))
        self.refresh()
        self.action_finished.emit(action, moved)
        self.data_changed.emit()

    def print_letters(self) -> None:
        """Ask where to save the batch, then print every queued letter into it and record them as sent."""
        if self._creditor_id is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Stampa lettere in coda"), "lettere.pdf", "PDF (*.pdf)")
        if not name:
            return
        db, archive, creditor_id = self.context.db, self.context.settings.archive_path, self._creditor_id
        login = self.context.user_login

        def work(progress: Progress) -> LetterBatch:
            return print_letters(db, archive, creditor_id, Path(name), user_login=login,
                                 progress=lambda done, total: progress.report(done, total))  # fmt: skip

        def printed(batch: LetterBatch) -> None:
            text = self.tr("Stampate {0} lettere, di cui {1} raccomandate A/R, in {2}.")
            self.message_label.setText(text.format(batch.letters, batch.registered, batch.path))
            self.refresh()
            self.data_changed.emit()
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(batch.path)))

        op(work, self).with_progress(self.tr("Stampa delle lettere…")).on_success(printed).on_failure(
            self._failed
        ).run()

    def ask_registered_number(self, communication_id: int) -> None:
        """Ask the number on the registered letter's receipt of posting and record it."""
        number, accepted = QInputDialog.getText(
            self, self.tr("Numero raccomandata"),
            self.tr("Numero della raccomandata (12 cifre, o il formato internazionale RR…IT):"),
        )  # fmt: skip
        if not accepted or not number.strip():
            return
        db, login = self.context.db, self.context.user_login
        work = lambda: record_registered_number(db, communication_id, number, user_login=login)  # noqa: E731
        op(work, self).on_success(lambda stored: self._letter_recorded(
            self.tr("Raccomandata n. {0} registrata.").format(stored))).on_failure(self._failed).run()  # fmt: skip

    def ask_return_receipt(self, communication_id: int) -> None:
        """Ask the return receipt's date, outcome and scan; record it and archive the scan."""
        dialog = ReturnReceiptDialog(communication_id, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        receipt = dialog.receipt()
        db, archive, login = self.context.db, self.context.settings.archive_path, self.context.user_login

        def work() -> int:
            return record_return_receipt(db, archive, communication_id, receipt_date=receipt.receipt_date,
                                         scan=receipt.scan, outcome=receipt.outcome, user_login=login)  # fmt: skip

        op(work, self).on_success(lambda _id: self._letter_recorded(
            self.tr("Ricevuta di ritorno registrata e archiviata."))).on_failure(self._failed).run()  # fmt: skip

    def _letter_recorded(self, text: str) -> None:
        self.message_label.setText(text)
        self._detail_id = None
        self.refresh()
        self.data_changed.emit()

    def open_document(self, relative_path: str) -> None:
        """Open an archived file with the program the system associates with it; say so if it is missing."""
        path = self.context.settings.archive_path / relative_path

        def opened(exists: bool) -> None:
            if exists:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
            else:
                text = self.tr("Il file {0} non si trova nell'archivio ({1}).")
                QMessageBox.warning(self, self.tr("Documento"), text.format(relative_path, path.parent))

        # Even a look at a file may hang on a network share: not on the UI thread.
        op(path.is_file, self).on_success(opened).on_failure(self._failed).run()

    def _failed(self, error: BaseException) -> None:
        self.message_label.setText(self.tr("Operazione non riuscita."))
        self._selection_settled()
        show_failure(self, self.tr("Comunicazioni"), error)
