"""Small pieces the wizard's pages share: status lines, table views, progress bars and the report export."""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QCoreApplication
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QHeaderView, QLabel, QProgressBar, QTableView, QWidget

from app.services import imports
from app.services.errors import CreditDeskError
from app.services.imports import ImportResult
from app.ui.import_wizard.labels import count_labels, report_labels
from app.ui.ops import op

translate = QCoreApplication.translate


class Tone(enum.Enum):
    """The colour of a status line: plain, good news, or something the clerk must act on."""

    PLAIN = ""
    GOOD = "color: #1b6e20;"
    BAD = "color: #b3261e; font-weight: bold;"


def status_label() -> QLabel:
    """A word-wrapped line that says what is happening."""
    label = QLabel()
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def set_status(label: QLabel, text: str, tone: Tone = Tone.PLAIN) -> None:
    """Show ``text`` in ``label`` in the given tone; an empty line takes no room."""
    label.setStyleSheet(tone.value)
    label.setText(text)
    label.setVisible(bool(text))


def failure_text(error: BaseException) -> str:
    """What to tell the clerk about a failure; an unexpected one also goes to the error log and dialog."""
    if isinstance(error, CreditDeskError):
        return str(error)
    sys.excepthook(type(error), error, error.__traceback__)
    return translate("ImportWizard", "Errore imprevisto: il dettaglio è stato scritto nel registro.")


def table_view(stretch_last: bool = True) -> QTableView:
    """A read-only, row-selecting table view with compact rows."""
    view = QTableView()
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_last)
    return view


def replace_model(view: QTableView, model: QAbstractItemModel) -> None:
    """Show ``model`` in ``view``, which keeps it; the model shown before is deleted."""
    old = view.model()
    model.setParent(view)
    view.setModel(model)
    if old is not None:
        old.deleteLater()


def fit_columns(view: QTableView, minimum: int = 60, maximum: int = 320, stretch: int | None = None) -> None:
    """Size each column to its contents, within bounds, so long texts do not push the rest out of sight.

    ``stretch`` names the column that takes the room left over, instead of the last one.
    """
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for column in range(header.count()):
        header.resizeSection(column, max(minimum, min(maximum, header.sectionSize(column) + 12)))
    if stretch is not None and stretch < header.count():
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def show_progress(bar: QProgressBar, done: int, total: int) -> None:
    """Move ``bar``; with no total known yet it runs as a busy indicator."""
    if total <= 0:
        bar.setRange(0, 0)
        return
    bar.setRange(0, total)
    bar.setValue(min(done, total))


def ask_report_path(parent: QWidget, result: ImportResult, folder: Path | None) -> Path | None:
    """Ask where to save the report, proposing a name after the imported file; None if the clerk gave up."""
    stem = Path(result.file_name).stem or "scadenziario"
    proposed = translate("ImportWizard", "{0} - rapporto di importazione.xlsx").format(stem)
    name, _ = QFileDialog.getSaveFileName(
        parent,
        translate("ImportWizard", "Esporta il rapporto"),
        str((folder or Path.home()) / proposed),
        translate("ImportWizard", "Cartella Excel (*.xlsx)"),
    )
    if not name:
        return None
    return Path(name if name.lower().endswith(".xlsx") else name + ".xlsx")


def export_report_in_background(
    parent: QWidget,
    result: ImportResult,
    path: Path,
    on_done: Callable[[Path], None],
    on_failed: Callable[[BaseException], None],
) -> None:
    """Write every error, warning and missing credit of ``result`` to ``path`` on a worker thread."""
    labels, counts = report_labels(), count_labels()
    op(lambda: imports.export_report(result, path, labels=labels, count_labels=counts), parent).on_success(
        lambda _none: on_done(path)
    ).on_failure(on_failed).run()
