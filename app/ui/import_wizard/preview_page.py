"""Step 4: a dry run of the whole file; the first 50 rows and every problem shown, errors blocking the import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QTabWidget, QVBoxLayout, QWizard, QWizardPage

from app.bootstrap import AppContext
from app.services.imports import Field, ImportOutcome, ImportResult
from app.ui import formatting
from app.ui.import_wizard.common import (
    Tone,
    ask_report_path,
    export_report_in_background,
    failure_text,
    fit_columns,
    replace_model,
    set_status,
    show_progress,
    status_label,
    table_view,
)
from app.ui.import_wizard.models import issues_model, missing_model, preview_model
from app.ui.import_wizard.runner import ImportRunner
from app.ui.import_wizard.state import ImportState


class PreviewPage(QWizardPage):
    """Runs the import without writing; complete only when it found no error."""

    check_finished = Signal(object)  # the dry run's ImportResult, or None if it was stopped
    report_exported = Signal(str)

    def __init__(self, context: AppContext, state: ImportState) -> None:
        super().__init__()
        self._state = state
        self.runner = ImportRunner(context, self)
        self.setTitle(self.tr("Controllo del file"))
        self.setSubTitle(
            self.tr(
                "Ogni riga è stata letta e controllata senza scrivere nulla. Le righe in rosso hanno errori che "
                "impediscono l'importazione; quelle in giallo hanno avvisi e vengono importate comunque."
            )
        )
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Importa"))
        self.summary_label = status_label()
        self.progress_bar = QProgressBar()
        self.tabs = QTabWidget()
        self.preview_view = table_view()
        self.issues_view = table_view()
        self.missing_view = table_view()
        self.export_report_button = QPushButton(self.tr("Esporta il rapporto completo…"))
        self.report_status_label = status_label()
        self._build()

    def _build(self) -> None:
        self.tabs.addTab(self.preview_view, "")
        self.tabs.addTab(self.issues_view, "")
        self.tabs.addTab(self.missing_view, "")
        footer = QHBoxLayout()
        footer.addWidget(self.report_status_label, 1)
        footer.addWidget(self.export_report_button, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(footer)
        # Bound methods, not lambdas: a lambda holding the page would be freed while Qt deletes the page.
        self.runner.progressed.connect(self._progressed)
        self.runner.import_finished.connect(self._checked)
        self.runner.import_failed.connect(self._failed)
        self.export_report_button.clicked.connect(self._ask_export)

    def _progressed(self, done: int, total: int) -> None:
        show_progress(self.progress_bar, done, total)

    def initializePage(self) -> None:
        """Start the dry run for the current choices."""
        state = self._state
        state.check = None
        self._clear()
        if state.creditor_id is None or state.overview is None:
            return
        self.progress_bar.setVisible(True)
        show_progress(self.progress_bar, 0, 0)
        set_status(self.summary_label, self.tr("Controllo di {0} in corso…").format(state.overview.file_name))
        self.runner.start(state.creditor_id, state.request(dry_run=True))
        self.completeChanged.emit()

    def _clear(self) -> None:
        for view in (self.preview_view, self.issues_view, self.missing_view):
            replace_model(view, preview_model([], []))
        self.tabs.setTabText(0, self.tr("Anteprima (prime 50 righe)"))
        self.tabs.setTabText(1, self.tr("Errori e avvisi"))
        self.tabs.setTabText(2, self.tr("Crediti non più nel file"))
        self.tabs.setTabVisible(2, False)
        self.export_report_button.setEnabled(False)
        set_status(self.report_status_label, "")

    def show_check(self, result: ImportResult) -> None:
        """Show ``result`` as this page's check (the import itself refused the file after all)."""
        self._checked(result)

    def _checked(self, result: ImportResult | None) -> None:
        self.progress_bar.setVisible(False)
        self._state.check = result
        if result is None:
            set_status(self.summary_label, self.tr("Controllo interrotto."), Tone.BAD)
        else:
            self._show(result)
        self.completeChanged.emit()
        self.check_finished.emit(result)

    def _show(self, result: ImportResult) -> None:
        fields = [field for field in Field if field in result.mapping]
        replace_model(self.preview_view, preview_model(result.preview, fields))
        replace_model(self.issues_view, issues_model(result.issues))
        replace_model(self.missing_view, missing_model(result.missing))
        fit_columns(self.preview_view)
        fit_columns(self.issues_view)
        fit_columns(self.missing_view, stretch=1)
        counts = result.counts
        self.tabs.setTabText(1, self.tr("Errori e avvisi ({0})").format(formatting.count(len(result.issues))))
        self.tabs.setTabText(2, self.tr("Crediti non più nel file ({0})").format(formatting.count(counts.missing)))
        self.tabs.setTabVisible(2, bool(result.missing))
        self.export_report_button.setEnabled(result.outcome is not ImportOutcome.ALREADY_IMPORTED)
        if result.outcome is ImportOutcome.REFUSED and not result.preview:
            self.tabs.setCurrentWidget(self.issues_view)
        set_status(self.summary_label, *self._verdict(result))

    def _verdict(self, result: ImportResult) -> tuple[str, Tone]:
        counts, n = result.counts, formatting.count
        if result.outcome is ImportOutcome.ALREADY_IMPORTED and result.previous is not None:
            text = self.tr("Questo file è già stato importato il {0} da {1}: non c'è nulla da importare.")
            return text.format(formatting.moment(result.previous.imported_at), result.previous.user_name), Tone.BAD
        if result.outcome is ImportOutcome.REFUSED:
            text = self.tr(
                "Errori: {0}. Il file non può essere importato: correggerlo nel gestionale (o cambiare "
                "l'abbinamento delle colonne) e riprovare. L'elenco completo si può esportare in Excel."
            )
            return text.format(n(counts.errors)), Tone.BAD
        text = self.tr(
            "Nessun errore. Righe: {0} · crediti nuovi: {1} · aggiornati: {2} · invariati: {3} · avvisi: {4}."
        ).format(n(counts.rows), n(counts.created), n(counts.updated), n(counts.unchanged), n(counts.warnings))
        if counts.missing:
            text += " " + self.tr("Crediti aperti non più nel file: {0}.").format(n(counts.missing))
        text += " " + self.tr("Premere «Importa» per scrivere le modifiche.")
        return text, Tone.GOOD

    def _failed(self, error: BaseException) -> None:
        self.progress_bar.setVisible(False)
        set_status(self.summary_label, failure_text(error), Tone.BAD)
        self.completeChanged.emit()
        self.check_finished.emit(None)

    def isComplete(self) -> bool:
        """The dry run found nothing that stops the import."""
        check = self._state.check
        return check is not None and check.outcome is ImportOutcome.CHECKED and not self.runner.running

    def _ask_export(self) -> None:
        check, path = self._state.check, self._state.path
        if check is not None:
            target = ask_report_path(self, check, path.parent if path else None)
            if target is not None:
                self.export_report_to(target)

    def export_report_to(self, path: Path) -> None:
        """Write the dry run's full report to ``path`` in the background."""
        check = self._state.check
        if check is None:
            return
        set_status(self.report_status_label, self.tr("Esportazione del rapporto…"))
        export_report_in_background(self, check, path, self._exported, self._export_failed)

    def _exported(self, path: Path) -> None:
        set_status(self.report_status_label, self.tr("Rapporto salvato in {0}").format(path), Tone.GOOD)
        self.report_exported.emit(str(path))

    def _export_failed(self, error: BaseException) -> None:
        set_status(self.report_status_label, failure_text(error), Tone.BAD)
