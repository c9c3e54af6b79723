"""The Credits page: every credit of the creditor, searched, filtered and sorted in SQL, with totals and export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.models import CreditKind, CreditStatus
from app.services.credits.detail import CreditDetail, credit_detail
from app.services.credits.export import export_credits_xlsx
from app.services.credits.options import FilterOptions, filter_options
from app.services.credits.query import (
    CreditFilter,
    CreditTotals,
    SortKey,
    credit_totals,
    fetch_credit_rows,
    find_credit_ids,
)
from app.ui import formatting
from app.ui.credit_detail_view import CreditDetailView
from app.ui.credits_filters import CreditsFilterBar
from app.ui.credits_model import CreditsTableModel, columns
from app.ui.import_wizard import ImportWizard
from app.ui.ops import Progress, op


class CreditsPage(QWidget):
    """Browse, filter and export credits; the table never holds more than a few hundred rows in memory."""

    results_shown = Signal(int)
    export_finished = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._creditor_id: int | None = None
        self._generation = 0
        self._detail_generation = 0
        self._sort = SortKey.DUE_DATE
        self._descending = False
        self._loaded = False
        self._pending_ids: list[int] | None = None
        self._pending_totals: CreditTotals | None = None
        self.filter_bar = CreditsFilterBar()
        self.model = CreditsTableModel(lambda ids: fetch_credit_rows(context.db, ids), self)
        self.table_view = QTableView()
        self.detail_view = CreditDetailView()
        self.totals_label = QLabel()
        self.export_button = QPushButton(self.tr("Esporta in Excel…"))
        self.import_button = QPushButton(self.tr("Importa scadenziario…"))
        self._build()

    def _build(self) -> None:
        view = self.table_view
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(24)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for position, width in enumerate((110, 200, 180, 82, 95, 95, 140, 70, 140, 80, 110)):
            header.resizeSection(position, width)
        sort_column = [c.key for c in columns()].index(self._sort)
        header.setSortIndicator(sort_column, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
        self.model.sort_requested.connect(self._sort_changed)
        view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.filter_bar.filters_changed.connect(self.refresh)
        self.export_button.clicked.connect(self._ask_export)
        self.import_button.clicked.connect(self.open_import_wizard)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(view)
        splitter.addWidget(self.detail_view)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1100, 260])
        footer = QHBoxLayout()
        footer.addWidget(self.totals_label, 1)
        footer.addWidget(self.import_button)
        footer.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_bar)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.load()

    def load(self) -> None:
        """Find the creditor and the filter choices, then run the first query (all in the background)."""
        context = self.context

        def work() -> tuple[int, FilterOptions]:
            creditor_id = context.creditor_id()
            return creditor_id, filter_options(context.db, creditor_id)

        op(work, self).on_success(self._options_loaded).on_failure(self._failed).run()

    def _options_loaded(self, result: tuple[int, FilterOptions]) -> None:
        self._creditor_id, options = result
        self.filter_bar.blockSignals(True)
        self.filter_bar.set_options(options)
        self.filter_bar.blockSignals(False)
        self.refresh()

    def current_filter(self) -> CreditFilter | None:
        if self._creditor_id is None:
            return None
        return self.filter_bar.current_filter(self._creditor_id)

    def refresh(self, recount: bool = True) -> None:
        """Run the query for the current filters and order; an answer to an older query is ignored.

        The ids and the totals are asked for in parallel; a new order alone keeps the totals it had.
        """
        flt = self.current_filter()
        if flt is None:
            return
        self._generation += 1
        generation, db, key, descending = self._generation, self.context.db, self._sort, self._descending
        self._pending_ids = None
        # A new order alone keeps the totals, unless the query that was to bring them was just overtaken.
        if recount or self._pending_totals is None:
            self._pending_totals = None
            self.totals_label.setText(self.tr("Ricerca in corso…"))
            op(lambda: credit_totals(db, flt), self).on_success(
                lambda totals: self._arrived(generation, totals=totals)
            ).on_failure(self._failed).run()
        op(lambda: find_credit_ids(db, flt, key, descending), self).on_success(
            lambda ids: self._arrived(generation, ids=ids)
        ).on_failure(self._failed).run()

    def _arrived(self, generation: int, ids: list[int] | None = None, totals: CreditTotals | None = None) -> None:
        if generation != self._generation:
            return
        if ids is not None:
            self._pending_ids = ids
        if totals is not None:
            self._pending_totals = totals
        if self._pending_ids is not None and self._pending_totals is not None:
            self._show_results(self._pending_ids, self._pending_totals)

    def _show_results(self, ids: list[int], totals: CreditTotals) -> None:
        self.model.set_ids(ids)
        self.detail_view.show_empty()
        counted = (
            self.tr("1 credito") if totals.count == 1 else self.tr("{0} crediti").format(formatting.count(totals.count))
        )
        self.totals_label.setText(
            self.tr("{0} · importo {1} · residuo {2}").format(
                counted, formatting.money(totals.amount), formatting.money(totals.outstanding)
            )
        )
        self.export_button.setEnabled(totals.count > 0)
        self.results_shown.emit(len(ids))

    def _sort_changed(self, key: SortKey, descending: bool) -> None:
        if (key, descending) != (self._sort, self._descending):
            self._sort, self._descending = key, descending
            self.refresh(recount=False)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        credit_id = self.model.credit_id(indexes[0].row())
        self._detail_generation += 1
        generation, db = self._detail_generation, self.context.db
        op(lambda: credit_detail(db, credit_id), self).on_success(
            lambda detail: self._show_detail(generation, detail)
        ).on_failure(self._failed).run()

    def _show_detail(self, generation: int, detail: CreditDetail) -> None:
        if generation == self._detail_generation:
            self.detail_view.show_detail(detail)

    def _ask_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Esporta crediti"),
            str(Path.home() / "crediti.xlsx"),
            self.tr("Cartella Excel (*.xlsx)"),
        )
        if name:
            self.export_to(Path(name if name.lower().endswith(".xlsx") else name + ".xlsx"))

    def export_to(self, path: Path) -> None:
        """Export the filtered set, in the table's order, to ``path`` in the background, with Cancel."""
        flt = self.current_filter()
        if flt is None:
            return
        db, key, descending = self.context.db, self._sort, self._descending

        headers = self._export_headers()
        statuses = {status: formatting.status_label(status) for status in CreditStatus}
        kinds = {kind: formatting.kind_label(kind) for kind in CreditKind}

        def work(progress: Progress) -> int:
            return export_credits_xlsx(
                db,
                flt,
                path,
                sort=key,
                descending=descending,
                headers=headers,
                status_labels=statuses,
                kind_labels=kinds,
                progress=lambda done, total: progress.report(done, total),
            )

        op(work, self).with_progress(self.tr("Esportazione dei crediti…")).on_success(
            lambda count: self._exported(path, count)
        ).on_failure(self._failed).run()

    def _export_headers(self) -> dict[str, str]:
        """The workbook's column titles in the interface's language."""
        return {
            "reference": self.tr("Numero"),
            "kind": self.tr("Tipo"),
            "holder_name": self.tr("Intestatario"),
            "holder_tax_code": self.tr("Codice fiscale / P. IVA"),
            "payer_name": self.tr("Pagatore"),
            "roll_name": self.tr("Ruolo"),
            "installation_ref": self.tr("Impianto / polizza"),
            "notice_code": self.tr("Codice avviso"),
            "issue_date": self.tr("Data emissione"),
            "due_date": self.tr("Scadenza"),
            "amount": self.tr("Importo"),
            "outstanding": self.tr("Residuo"),
            "status": self.tr("Stato"),
            "collector_name": self.tr("Incaricato"),
        }

    def open_import_wizard(self) -> ImportWizard:
        """Open the schedule import wizard; the list reloads after an import is applied."""
        wizard = ImportWizard(self.context, self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.import_applied.connect(self._import_applied)
        wizard.open()
        return wizard

    def _import_applied(self, _result: object) -> None:
        self.load()

    def _exported(self, path: Path, count: int) -> None:
        self.totals_label.setText(self.tr("Esportati {0} crediti in {1}").format(formatting.count(count), path))
        self.export_finished.emit(str(path))

    def _failed(self, error: BaseException) -> None:
        self.totals_label.setText(self.tr("Operazione non riuscita."))
        QMessageBox.warning(self, self.tr("Crediti"), str(error))
