"""The Payments page: import the bank's or the accounting office's collections, then place by hand what no
rule could, choosing among the credits proposed for each payment."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.services.imports.types import ImportOutcome
from app.services.payments.importing import PaymentsImported, import_payments
from app.services.payments.queue import (
    Candidate,
    UnmatchedRow,
    assign_payment,
    candidate_credits,
    unmatched_payments,
)
from app.ui import formatting
from app.ui.ops import Progress, op
from app.ui.widgets.payment_models import CandidateTableModel, UnmatchedTableModel
from app.ui.widgets.roll_dialogs import LinesDialog, show_failure
from app.ui.widgets.roll_views import fit_columns, read_only_table

SEARCH_DELAY_MS = 250
PAYMENT_FILES = "*.txt *.xml *.csv *.xlsx *.xls *.ods"


class PaymentsPage(QWidget):
    """The unmatched payments queue and, for the selected payment, the credits it may pay."""

    queue_shown = Signal(int)
    candidates_shown = Signal(int)
    assigned = Signal(object)
    imported = Signal(object)
    data_changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._creditor_id: int | None = None
        self._loaded = False
        self._queue_generation = 0
        self._candidates_generation = 0
        self._payment_id: int | None = None
        self.summary_dialog: LinesDialog | None = None
        self.import_button = QPushButton(self.tr("Importa incassi…"), self)
        self.import_button.setToolTip(self.tr("Flusso CBI (.txt), estratto camt (.xml), elenco della contabilità"))
        self.queue_label = QLabel(self)
        self.queue_model = UnmatchedTableModel(self)
        self.queue_table = read_only_table(self.queue_model, (90, 110, 110, 130, 220, 230))
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Cerca un credito per numero o nome dell'intestatario o pagatore"))
        self.search_edit.setClearButtonEnabled(True)
        self.candidates_label = QLabel(self)
        self.candidates_model = CandidateTableModel(self)
        self.candidates_table = read_only_table(self.candidates_model, (120, 240, 240, 90, 110), multi=True)
        self.selection_label = QLabel(self)
        self.assign_button = QPushButton(self.tr("Assegna"), self)
        self.assign_button.setEnabled(False)
        self.message_label = QLabel(self)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self._lay_out()
        self._connect()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.import_button)
        top.addWidget(self.queue_label, 1)
        queue = QWidget(self)
        queue_layout = QVBoxLayout(queue)
        queue_layout.setContentsMargins(0, 0, 0, 0)
        queue_layout.addWidget(QLabel("<b>" + self.tr("Incassi da abbinare") + "</b>", self))
        queue_layout.addWidget(self.queue_table, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(queue)
        self.splitter.addWidget(self._candidates_area())
        self.splitter.setChildrenCollapsible(False)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.message_label)

    def _candidates_area(self) -> QWidget:
        search = QHBoxLayout()
        search.addWidget(QLabel(self.tr("Cerca:"), self))
        search.addWidget(self.search_edit, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.selection_label, 1)
        footer.addWidget(self.assign_button)
        candidates = QWidget(self)
        candidates_layout = QVBoxLayout(candidates)
        candidates_layout.setContentsMargins(0, 0, 0, 0)
        candidates_layout.addWidget(self.candidates_label)
        candidates_layout.addLayout(search)
        candidates_layout.addWidget(self.candidates_table, 1)
        candidates_layout.addLayout(footer)
        return candidates

    def _connect(self) -> None:
        self.import_button.clicked.connect(self.ask_import)
        self.assign_button.clicked.connect(self.assign)
        self.queue_table.selectionModel().selectionChanged.connect(self._payment_selected)
        self.candidates_table.selectionModel().selectionChanged.connect(self._candidates_selected)
        self.search_timer.timeout.connect(self.load_candidates)
        self.search_edit.textChanged.connect(lambda _text: self.search_timer.start())
        self.search_edit.returnPressed.connect(self.load_candidates)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.reload()

    def reload(self) -> None:
        """Read the queue again (in the background), keeping the selected payment selected if still there."""
        self._queue_generation += 1
        generation, context, known = self._queue_generation, self.context, self._creditor_id

        def work() -> tuple[int, list[UnmatchedRow]]:
            creditor_id = known or context.creditor_id()
            return creditor_id, unmatched_payments(context.db, creditor_id)

        op(work, self).on_success(lambda result: self._show_queue(generation, *result)).on_failure(self._failed).run()

    def _show_queue(self, generation: int, creditor_id: int, rows: list[UnmatchedRow]) -> None:
        if generation != self._queue_generation:
            return
        self._creditor_id = creditor_id
        self.queue_model.set_rows(rows)
        fit_columns(self.queue_table)
        waiting = sum((row.unallocated for row in rows), Decimal("0.00"))
        text = (
            self.tr("{0} incassi da abbinare, {1} in attesa.")
            if len(rows) != 1
            else self.tr("1 incasso da abbinare, {1} in attesa.")
        )
        self.queue_label.setText(text.format(formatting.count(len(rows)), formatting.money(waiting)))
        position = self.queue_model.position_of(self._payment_id) if self._payment_id is not None else None
        if position is None and rows:
            position = 0
        self._payment_id = self.queue_model.row_at(position).id if position is not None else None
        if position is not None:
            self.queue_table.selectRow(position)
        self.load_candidates()
        self.queue_shown.emit(len(rows))

    def selected_payment(self) -> UnmatchedRow | None:
        """The payment selected in the queue."""
        rows = self.queue_table.selectionModel().selectedRows()
        return self.queue_model.row_at(rows[0].row()) if rows else None

    def _payment_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        payment = self.selected_payment()
        payment_id = payment.id if payment else None
        if payment_id != self._payment_id:
            self._payment_id = payment_id
            self.load_candidates()

    def load_candidates(self) -> None:
        """Ask for the credits the selected payment may pay (the search text, if any, narrows them)."""
        self.search_timer.stop()
        self._candidates_generation += 1
        generation, db, payment_id = self._candidates_generation, self.context.db, self._payment_id
        if payment_id is None:
            self._show_candidates(generation, None, [])
            return
        search = self.search_edit.text().strip() or None
        op(lambda: candidate_credits(db, payment_id, search), self).on_success(
            lambda rows: self._show_candidates(generation, payment_id, rows)
        ).on_failure(self._failed).run()

    def _show_candidates(self, generation: int, payment_id: int | None, rows: list[Candidate]) -> None:
        if generation != self._candidates_generation:
            return
        self.candidates_model.set_rows(rows)
        fit_columns(self.candidates_table)
        payment = self.selected_payment()
        if payment_id is None or payment is None:
            self.candidates_label.setText(self.tr("Nessun incasso da abbinare."))
        else:
            text = self.tr("<b>Crediti per l'incasso del {0}</b> da {1}: {2} da assegnare")
            who = payment.payer_name or self.tr("pagatore sconosciuto")
            text = text.format(formatting.day(payment.received_on), who, formatting.money(payment.unallocated))
            if not rows:
                text += " — " + self.tr("nessun credito proposto: cercarlo per numero o per nome.")
            self.candidates_label.setText(text)
        self._candidates_selected(QItemSelection(), QItemSelection())
        self.candidates_shown.emit(len(rows))

    def selected_candidates(self) -> list[Candidate]:
        """The credits chosen in the candidates table."""
        rows = self.candidates_table.selectionModel().selectedRows()
        return [self.candidates_model.row_at(index.row()) for index in sorted(rows, key=lambda i: i.row())]

    def _candidates_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        chosen = self.selected_candidates()
        outstanding = sum((candidate.outstanding for candidate in chosen), Decimal("0.00"))
        if chosen:
            text = (
                self.tr("1 credito scelto, residuo {1}.")
                if len(chosen) == 1
                else self.tr("{0} crediti scelti, residuo {1}.")
            )
            text = text.format(len(chosen), formatting.money(outstanding))
        else:
            text = self.tr("Scegliere uno o più crediti (Ctrl+clic per sceglierne più di uno).")
        self.selection_label.setText(text)
        self.assign_button.setEnabled(bool(chosen) and self.selected_payment() is not None)

    def assign(self) -> None:
        """Give the selected payment's unplaced money to the chosen credits, oldest due date first."""
        payment, chosen = self.selected_payment(), self.selected_candidates()
        if payment is None or not chosen:
            return
        db, login, ids = self.context.db, self.context.user_login, [c.credit_id for c in chosen]
        self.assign_button.setEnabled(False)
        op(lambda: assign_payment(db, payment.id, ids, user_login=login), self).on_success(
            lambda left: self._assigned(payment, left)
        ).on_failure(self._failed).run()

    def _assigned(self, payment: UnmatchedRow, left: Decimal) -> None:
        text = self.tr("Assegnati {0} dell'incasso del {1}; restano {2} da abbinare.")
        given = payment.unallocated - left
        self.message_label.setText(
            text.format(formatting.money(given), formatting.day(payment.received_on), formatting.money(left))
        )
        self.assigned.emit(left)
        self.reload()
        self.data_changed.emit()

    def ask_import(self) -> None:
        """Ask for a payments file, then book it."""
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Importa incassi"),
            str(Path.home()),
            self.tr("Incassi: CBI, camt, contabilità ({0});;Tutti i file (*)").format(PAYMENT_FILES),
        )
        if name:
            self.import_from(Path(name))

    def import_from(self, path: Path) -> None:
        """Book every movement of ``path`` (all or nothing), with progress and Cancel; then show the summary."""
        context, known = self.context, self._creditor_id
        archive = context.settings.archive_path

        def work(progress: Progress) -> PaymentsImported:
            creditor_id = known or context.creditor_id()
            return import_payments(
                context.db,
                creditor_id,
                path,
                user_login=context.user_login,
                archive_folder=archive,
                progress=lambda done, total: progress.report(done, total),
            )

        op(work, self).with_progress(self.tr("Registrazione degli incassi…")).on_success(self._imported).on_failure(
            self._failed
        ).run()

    def _imported(self, result: PaymentsImported) -> None:
        if result.outcome is ImportOutcome.ALREADY_IMPORTED:
            text = self.tr("Il file {0} era già stato importato il {1} da {2}: nessuna modifica.")
            when = formatting.moment(result.previous_at)
            self.message_label.setText(text.format(result.file_name, when, result.previous_user or "—"))
        else:
            lines = result.summary_lines() + [self.tr("Avviso: {0}").format(w) for w in result.booked.warnings]
            intro = self.tr("File {0}: incassi registrati e abbinati dove possibile.").format(result.file_name)
            self.summary_dialog = LinesDialog(self.tr("Incassi importati"), intro, lines, self)
            self.summary_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.summary_dialog.open()
            self.message_label.setText(intro)
            self.reload()
            self.data_changed.emit()
        self.imported.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.message_label.setText(self.tr("Operazione non riuscita."))
        self.assign_button.setEnabled(bool(self.selected_candidates()))
        show_failure(self, self.tr("Incassi"), error)
