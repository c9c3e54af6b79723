"""Step 6: what the import did, counted, with the full report one click away."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWizardPage

from app.ui import formatting
from app.ui.import_wizard.common import (
    Tone,
    ask_report_path,
    export_report_in_background,
    failure_text,
    fit_columns,
    replace_model,
    set_status,
    status_label,
    table_view,
)
from app.ui.import_wizard.labels import count_labels
from app.ui.import_wizard.models import missing_model
from app.ui.import_wizard.state import ImportState

# The errors count is always zero after an applied import: not worth a line.
SHOWN_COUNTS = (
    "rows",
    "created",
    "updated",
    "unchanged",
    "duplicates",
    "subjects_created",
    "subjects_updated",
    "administrator_changes",
    "missing",
    "warnings",
)


class SummaryPage(QWizardPage):
    """The counts of the applied import, the open credits no longer in the file, and the report export."""

    report_exported = Signal(str)

    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self._state = state
        self.setTitle(self.tr("Riepilogo"))
        self.setSubTitle(self.tr("Le modifiche sono state scritte nel database e il file è stato archiviato."))
        self.headline_label = status_label()
        self.count_labels: dict[str, QLabel] = {name: QLabel() for name in SHOWN_COUNTS}
        self.missing_title_label = status_label()
        self.missing_view = table_view()
        self.export_report_button = QPushButton(self.tr("Esporta il rapporto completo…"))
        self.report_status_label = status_label()
        self._build()

    def _build(self) -> None:
        form = QFormLayout()
        names = count_labels()
        for name, label in self.count_labels.items():
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            label.setMinimumWidth(80)
            form.addRow(names[name] + ":", label)
        counts_row = QHBoxLayout()
        counts_row.addLayout(form)
        counts_row.addStretch(1)
        footer = QHBoxLayout()
        footer.addWidget(self.report_status_label, 1)
        footer.addWidget(self.export_report_button, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline_label)
        layout.addSpacing(6)
        layout.addLayout(counts_row)
        layout.addWidget(self.missing_title_label)
        layout.addWidget(self.missing_view, 1)
        layout.addStretch(0)  # takes the room when there is no list of missing credits
        layout.addLayout(footer)
        self.export_report_button.clicked.connect(self._ask_export)

    def initializePage(self) -> None:
        """Show the applied import's counts."""
        result = self._state.result
        if result is None:
            return
        text = self.tr("{0} è stato importato.").format(result.file_name)
        set_status(self.headline_label, text, Tone.GOOD)
        for name, label in self.count_labels.items():
            label.setText(formatting.count(getattr(result.counts, name)))
        has_missing = bool(result.missing)
        self.missing_title_label.setVisible(has_missing)
        self.missing_view.setVisible(has_missing)
        if has_missing:
            self.missing_title_label.setText(
                self.tr(
                    "Crediti aperti che il file non elenca più (non sono stati toccati: verificare se sono stati "
                    "pagati o annullati):"
                )
            )
            replace_model(self.missing_view, missing_model(result.missing))
            fit_columns(self.missing_view, stretch=1)
        set_status(self.report_status_label, "")

    def _ask_export(self) -> None:
        result, path = self._state.result, self._state.path
        if result is not None:
            target = ask_report_path(self, result, path.parent if path else None)
            if target is not None:
                self.export_report_to(target)

    def export_report_to(self, path: Path) -> None:
        """Write the import's full report to ``path`` in the background."""
        result = self._state.result
        if result is None:
            return
        set_status(self.report_status_label, self.tr("Esportazione del rapporto…"))
        export_report_in_background(self, result, path, self._exported, self._export_failed)

    def _exported(self, path: Path) -> None:
        set_status(self.report_status_label, self.tr("Rapporto salvato in {0}").format(path), Tone.GOOD)
        self.report_exported.emit(str(path))

    def _export_failed(self, error: BaseException) -> None:
        set_status(self.report_status_label, failure_text(error), Tone.BAD)
