"""The Debtors page: search the registry; a condominium shows its administrators, an administrator its
condominiums with what they owe."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.models import SubjectKind
from app.services.debtors import SubjectRow, search_subjects
from app.services.errors import CreditDeskError
from app.ui.ops import op
from app.ui.widgets.debtors_detail import DebtorDetail, SubjectView, load_subject_view
from app.ui.widgets.debtors_models import SubjectTableModel, fill

log = logging.getLogger(__name__)
SEARCH_DELAY_MS = 250
# More rows than a clerk reads: past this the page asks for a narrower search instead.
RESULT_LIMIT = 500
MAX_COLUMN_WIDTH = 300


class DebtorsPage(QWidget):
    """Registry search with a detail area that follows the selected subject's kind.

    Every query runs on a worker thread; a generation number per query kind drops answers that arrive after
    a newer question was asked.
    """

    results_shown = Signal(int)
    detail_shown = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._creditor_id: int | None = None
        self._loaded = False
        self._search_generation = 0
        self._detail_generation = 0
        self._selected_id: int | None = None
        self._build_search_bar()
        self._build_results()
        self.detail = DebtorDetail(self)
        self.detail.setObjectName("detail")
        self.detail.include_past_toggled.connect(lambda _checked: self._reload_detail())
        self._lay_out()
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.search)
        self.search_edit.textChanged.connect(lambda _text: self.search_timer.start())
        self.search_edit.returnPressed.connect(self.search)
        self.kind_combo.currentIndexChanged.connect(lambda _index: self.search())

    def _build_search_bar(self) -> None:
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("search_edit")
        self.search_edit.setPlaceholderText(self.tr("Cerca per nome, codice fiscale o partita IVA"))
        self.search_edit.setClearButtonEnabled(True)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("kind_combo")
        for label, kind in (
            (self.tr("Tutti"), None),
            (self.tr("Persone"), SubjectKind.PERSON),
            (self.tr("Società"), SubjectKind.COMPANY),
            (self.tr("Condomini"), SubjectKind.CONDOMINIUM),
            (self.tr("Amministratori"), SubjectKind.ADMINISTRATOR),
        ):
            self.kind_combo.addItem(label, kind)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count_label")

    def _build_results(self) -> None:
        self.results_model = SubjectTableModel(self)
        self.results_table = QTableView(self)
        self.results_table.setObjectName("results_table")
        self.results_table.setModel(self.results_model)
        self.results_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_table.setAlternatingRowColors(True)
        # No sort column at first: the rows keep the order by name the search returns.
        self.results_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.results_table.setSortingEnabled(True)
        self.results_table.setWordWrap(False)
        self.results_table.verticalHeader().setVisible(False)
        header = self.results_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.results_table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        # An empty result says why in the table's place, where the clerk is looking.
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("empty_label")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: palette(placeholder-text); font-size: 11pt;")
        self.results_stack = QStackedWidget(self)
        self.results_stack.setObjectName("results_stack")
        self.results_stack.addWidget(self.results_table)
        self.results_stack.addWidget(self.empty_label)

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Cerca:"), self))
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(QLabel(self.tr("Tipo:"), self))
        bar.addWidget(self.kind_combo)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(bar)
        top_layout.addWidget(self.results_stack, 1)
        top_layout.addWidget(self.count_label)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("splitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The first search waits until the clerk opens the page: a hidden page costs no query at start-up.
        if not self._loaded:
            self._loaded = True
            # The detail needs the room: an administrator may list hundreds of condominiums.
            height = self.splitter.height()
            self.splitter.setSizes([height * 45 // 100, height * 55 // 100])
            self.search()

    def search(self) -> None:
        """Search now with the current text and kind; an answer to an older search is dropped."""
        self.search_timer.stop()
        self._search_generation += 1
        generation = self._search_generation
        context, text, kind = self.context, self.search_edit.text(), self.kind_combo.currentData()
        known_creditor = self._creditor_id

        def work() -> tuple[int, list[SubjectRow]]:
            creditor_id = known_creditor or context.creditor_id()
            return creditor_id, search_subjects(context.db, creditor_id, text, kind, limit=RESULT_LIMIT + 1)

        self.count_label.setText(self.tr("Ricerca in corso…"))
        self._run(work, lambda result: self._show_results(generation, *result), self._search_failed(generation))

    def _run(
        self,
        work: Callable[[], Any],
        success: Callable[[Any], None],
        failure: Callable[[BaseException], None],
    ) -> None:
        # op() drops the answer by itself if this page is deleted while the worker runs.
        op(work, self).on_success(success).on_failure(failure).run()

    def _show_results(self, generation: int, creditor_id: int, rows: list[SubjectRow]) -> None:
        if generation != self._search_generation:
            return
        self._creditor_id = creditor_id
        truncated = len(rows) > RESULT_LIMIT
        rows = rows[:RESULT_LIMIT]
        self.results_model.set_rows(rows)
        self._fit_result_columns()
        self.count_label.setText(self._count_text(len(rows), truncated))
        self.empty_label.setText(self.count_label.text() if not rows else "")
        self.results_stack.setCurrentWidget(self.results_table if rows else self.empty_label)
        self._restore_selection()
        self.results_shown.emit(len(rows))

    def _count_text(self, count: int, truncated: bool) -> str:
        if truncated:
            return fill(
                self.tr("Mostrati i primi %1 soggetti: cercare per nome o codice per trovare gli altri."),
                count,
            )
        if count == 0:
            if self.search_edit.text().strip() or self.kind_combo.currentIndex() > 0:
                return self.tr("Nessun soggetto trovato: controllare il testo cercato o scegliere «Tutti».")
            return self.tr("Anagrafica vuota: importare lo scadenziario o caricare i dati dimostrativi.")
        return self.tr("1 soggetto") if count == 1 else fill(self.tr("%1 soggetti"), count)

    def _fit_result_columns(self) -> None:
        self.results_table.resizeColumnsToContents()
        header = self.results_table.horizontalHeader()
        # A long company name or PEC address must not push the other columns off screen; the tooltip and the
        # detail area show it whole.
        for column in range(header.count()):
            header.resizeSection(column, min(header.sectionSize(column), MAX_COLUMN_WIDTH))

    def _restore_selection(self) -> None:
        """Keep the subject selected across a new search when it is still in the results."""
        for row, item in enumerate(self.results_model.rows()):
            if item.id == self._selected_id:
                self.results_table.selectRow(row)
                return
        self._selected_id = None
        self.detail.show_message(self.tr("Selezionare un soggetto nell'elenco per vederne i dettagli."))

    def _search_failed(self, generation: int) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            if generation != self._search_generation:
                return
            log.error("Debtors search failed", exc_info=error)
            self.count_label.setText(fill(self.tr("Ricerca non riuscita: %1"), _explain(error)))
            self.results_shown.emit(-1)

        return failed

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.results_table.selectionModel().selectedRows()
        subject_id = self.results_model.row_at(rows[0].row()).id if rows else None
        if subject_id == self._selected_id and subject_id is not None:
            return
        self._selected_id = subject_id
        self._reload_detail()

    def _reload_detail(self) -> None:
        self._detail_generation += 1
        generation, subject_id = self._detail_generation, self._selected_id
        if subject_id is None:
            self.detail.show_message(self.tr("Selezionare un soggetto nell'elenco per vederne i dettagli."))
            return
        db, include_past = self.context.db, self.detail.past_check.isChecked()
        self._run(
            lambda: load_subject_view(db, subject_id, include_past),
            lambda view: self._show_detail(generation, view),
            self._detail_failed(generation),
        )

    def _show_detail(self, generation: int, view: SubjectView) -> None:
        if generation != self._detail_generation:
            return
        self.detail.show_subject(view)
        self.detail_shown.emit(view.detail.id)

    def _detail_failed(self, generation: int) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            if generation != self._detail_generation:
                return
            log.error("Debtor detail failed", exc_info=error)
            self.detail.show_message(fill(self.tr("Impossibile leggere il soggetto: %1"), _explain(error)))
            self.detail_shown.emit(-1)

        return failed


def _explain(error: BaseException) -> str:
    """A clerk's message for a domain error; the technical one otherwise (the log has the traceback)."""
    return str(error) if isinstance(error, CreditDeskError) else f"{type(error).__name__}: {error}"
