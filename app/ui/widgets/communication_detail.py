"""The detail panel of the Communications page: one message's facts, what it covers, its timeline, its
documents (opened from the archive), and everything sent to the same payer."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.services.dunning.journal import CommunicationDetail, CommunicationRow, DebtorTimeline, DocumentLine
from app.ui import formatting
from app.ui.widgets.communication_labels import NEEDS_CLERK, channel_label, status_label
from app.ui.widgets.communication_models import DocumentsModel, EventsModel, ItemsModel
from app.ui.widgets.roll_views import fit_columns, read_only_table

FACTS_WIDTH = 340


class CommunicationDetailPanel(QWidget):
    """Shows one message; ``open_requested`` asks the page to open an archived file (its relative path)."""

    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._described: dict[int, str] = {}
        self.shown_id: int | None = None
        self.title_label = QLabel(self)
        self.title_label.setWordWrap(True)
        self.facts_label = QLabel(self)
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextFormat(Qt.TextFormat.RichText)
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.items_model = ItemsModel(self)
        self.items_table = read_only_table(self.items_model, (180, 150, 80, 90))
        self.events_model = EventsModel(self)
        self.events_table = read_only_table(self.events_model, (115, 150, 120, 90, 200))
        self.documents_model = DocumentsModel(self)
        self.documents_table = read_only_table(self.documents_model, (120, 115, 260))
        self.open_button = QPushButton(self.tr("Apri"), self)
        self.open_button.setToolTip(self.tr("Apre il documento scelto dall'archivio"))
        self.open_button.setEnabled(False)
        self.timeline_model = EventsModel(self, describe=self._describe)
        self.timeline_table = read_only_table(self.timeline_model, (115, 190, 150, 120, 90, 200))
        self.tabs = QTabWidget(self)
        self._lay_out()
        self.documents_table.selectionModel().selectionChanged.connect(self._document_chosen)
        self.documents_table.doubleClicked.connect(lambda _index: self._open_chosen())
        self.open_button.clicked.connect(self._open_chosen)
        self.show_empty()

    def _lay_out(self) -> None:
        documents = QWidget(self)
        documents_layout = QVBoxLayout(documents)
        documents_layout.setContentsMargins(0, 0, 0, 0)
        documents_layout.addWidget(self.documents_table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        documents_layout.addLayout(buttons)
        self.tabs.addTab(self.items_table, self.tr("Voci"))
        self.tabs.addTab(self.events_table, self.tr("Cronologia"))
        self.tabs.addTab(documents, self.tr("Documenti"))
        self.tabs.addTab(self.timeline_table, self.tr("Storico del pagatore"))
        # The facts on the left, the tables on the right: under the journal, the panel is wide and low.
        facts = QWidget(self)
        facts.setMinimumWidth(FACTS_WIDTH)
        facts.setMaximumWidth(FACTS_WIDTH + 120)
        facts_layout = QVBoxLayout(facts)
        facts_layout.setContentsMargins(0, 0, 0, 0)
        facts_layout.addWidget(self.title_label)
        facts_layout.addWidget(self.facts_label)
        facts_layout.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(facts)
        layout.addWidget(self.tabs, 1)

    def show_empty(self) -> None:
        """Nothing chosen: say how to choose, and empty every table."""
        self.shown_id = None
        self.title_label.setText(self.tr("Scegliere una comunicazione per vederne il dettaglio."))
        self.facts_label.clear()
        self._described = {}
        for model in (self.items_model, self.events_model, self.documents_model, self.timeline_model):
            model.set_rows([])
        self._set_tab_titles(0, 0, 0)

    def show_detail(self, detail: CommunicationDetail, timeline: DebtorTimeline) -> None:
        """Show ``detail``, and the payer's whole history from ``timeline`` with this message's events in bold."""
        row = detail.row
        self.shown_id = row.id
        level = row.level_name or self.tr("senza livello")
        title = self.tr("<b>{0}</b> — {1}, {2}").format(
            escape(row.payer_name), escape(channel_label(row.channel)), escape(level)
        )
        self.title_label.setText(title)
        self.facts_label.setText(self._facts(detail))
        self._described = {c.id: self._description(c) for c in timeline.communications}
        self.items_model.set_rows(detail.items)
        self.events_model.set_rows(detail.events)
        self.documents_model.set_rows(detail.documents)
        self.timeline_model.highlighted = row.id
        self.timeline_model.set_rows(timeline.events)
        for table in (self.items_table, self.events_table, self.documents_table, self.timeline_table):
            fit_columns(table, widest=260)
        self._set_tab_titles(len(detail.items), len(detail.documents), len(timeline.communications))
        self._document_chosen(QItemSelection(), QItemSelection())

    def _set_tab_titles(self, items: int, documents: int, messages: int) -> None:
        self.tabs.setTabText(0, self.tr("Voci ({0})").format(items))
        self.tabs.setTabText(2, self.tr("Documenti ({0})").format(documents))
        self.tabs.setTabText(3, self.tr("Storico del pagatore ({0})").format(messages))

    def _facts(self, detail: CommunicationDetail) -> str:
        row = detail.row
        status = escape(status_label(row.status))
        if row.status in NEEDS_CLERK:
            status = f"<b style='color:#b3261e'>{status}</b>"
        facts: list[tuple[str, str]] = [
            (self.tr("Stato"), status),
            (self.tr("Indirizzo"), escape(row.address or "—")),
            (self.tr("Importo"), escape(f"{formatting.money(row.amount)} ({self._items_text(row.items)})")),
            (self.tr("Pianificato il"), escape(formatting.day(row.planned_on))),
            (self.tr("Invio previsto"), escape(formatting.moment(row.scheduled_for))),
            (self.tr("Inviato il"), escape(formatting.moment(row.sent_at))),
            (self.tr("Consegnato il"), escape(formatting.moment(detail.delivered_at))),
            (self.tr("Letto il"), escape(formatting.moment(detail.read_at))),
            (self.tr("Tentativi"), str(row.attempts) if row.attempts else ""),
            (self.tr("Gestore"), escape(" · ".join(p for p in (detail.provider, detail.provider_id) if p))),
            (self.tr("Raccomandata n."), escape(detail.registered_number or "")),
            (self.tr("Cartolina di ritorno del"), escape(formatting.day(detail.returned_on))),
            (self.tr("Errore"), f"<span style='color:#b3261e'>{escape(row.error)}</span>" if row.error else ""),
        ]
        name_style = "padding-right:10px;color:palette(placeholder-text)"
        cells = "".join(
            f"<tr><td style='{name_style}'>{escape(name)}</td><td>{value}</td></tr>" for name, value in facts if value
        )
        return f"<table cellspacing='0' cellpadding='1'>{cells}</table>"

    def _items_text(self, count: int) -> str:
        return self.tr("1 voce") if count == 1 else self.tr("{0} voci").format(count)

    def _description(self, row: CommunicationRow) -> str:
        when = formatting.day(row.planned_on)
        return f"{channel_label(row.channel)}, {row.level_name or '—'}" + (f" ({when})" if when else "")

    def _describe(self, communication_id: int) -> str:
        return self._described.get(communication_id, f"#{communication_id}")

    def chosen_document(self) -> DocumentLine | None:
        """The document selected in the Documents tab."""
        rows = self.documents_table.selectionModel().selectedRows()
        return self.documents_model.row_at(rows[0].row()) if rows else None

    def _document_chosen(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.open_button.setEnabled(self.chosen_document() is not None)

    def _open_chosen(self) -> None:
        document = self.chosen_document()
        if document is not None:
            self.open_requested.emit(document.relative_path)
