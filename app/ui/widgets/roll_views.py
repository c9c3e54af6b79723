"""Views of the Rolls page: the totals per state above the table, and a read-only table set up once."""

from __future__ import annotations

import re
from html import escape, unescape

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHBoxLayout, QHeaderView, QLabel, QTableView, QWidget

from app.models import RollStatus
from app.ui import formatting
from app.ui.widgets.roll_models import STATUS_ORDER, StatusTotal


class RollTotalsStrip(QFrame):
    """One box per state of a roll, left to right in the order of its life: how many rolls, for how much."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roll_totals_strip")
        self.status_labels: dict[RollStatus, QLabel] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for status in STATUS_ORDER:
            label = QLabel(self)
            label.setObjectName(f"{status.value}_total_label")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setFrameShape(QFrame.Shape.StyledPanel)
            label.setContentsMargins(10, 6, 10, 6)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self.status_labels[status] = label
            layout.addWidget(label, 1)
        self.show_totals({status: StatusTotal() for status in STATUS_ORDER})

    def show_totals(self, totals: dict[RollStatus, StatusTotal]) -> None:
        """Write each state's count and amount."""
        for status, label in self.status_labels.items():
            total = totals.get(status, StatusTotal())
            rolls = self.tr("1 ruolo") if total.count == 1 else self.tr("{0} ruoli").format(total.count)
            label.setText(
                f"<span style='color:palette(placeholder-text)'>{escape(formatting.roll_status_label(status))}</span>"
                f"<br><b>{escape(rolls)}</b> · {escape(formatting.money(total.amount))}"
            )

    def text_of(self, status: RollStatus) -> str:
        """What the box of ``status`` says, as plain text (for tests and accessibility)."""
        markup = self.status_labels[status].text().replace("<br>", " ")
        return unescape(re.sub(r"<[^>]+>", "", markup))


def read_only_table(model: QAbstractItemModel, widths: tuple[int, ...], multi: bool = False) -> QTableView:
    """A table of whole rows, sortable, with the given column widths and the last one stretched."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    mode = QAbstractItemView.SelectionMode
    view.setSelectionMode(mode.ExtendedSelection if multi else mode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for position, width in enumerate(widths):
        header.resizeSection(position, width)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    return view


def fit_columns(view: QTableView, widest: int = 320) -> None:
    """Size each column to its header and the rows in view, none wider than ``widest`` (the tooltip shows all)."""
    header = view.horizontalHeader()
    for column in range(header.count() - 1):  # the last one stretches over what is left
        view.resizeColumnToContents(column)
        header.resizeSection(column, min(header.sectionSize(column) + 12, widest))
