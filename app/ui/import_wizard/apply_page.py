"""Step 5: the import itself, on a worker thread, with a progress bar and a button to stop it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWizard, QWizardPage

from app.bootstrap import AppContext
from app.services.imports import ImportOutcome, ImportResult
from app.ui import formatting
from app.ui.import_wizard.common import Tone, failure_text, set_status, show_progress, status_label
from app.ui.import_wizard.runner import ImportRunner
from app.ui.import_wizard.state import ImportState


class ApplyPage(QWizardPage):
    """Writes the whole file or nothing; stopping it rolls everything back. Moves on by itself when done."""

    import_finished = Signal(object)  # the ImportResult, or None if stopped or failed

    def __init__(self, context: AppContext, state: ImportState) -> None:
        super().__init__()
        self._state = state
        self.runner = ImportRunner(context, self)
        self.setTitle(self.tr("Importazione"))
        self.setSubTitle(
            self.tr("Le modifiche vengono scritte tutte insieme: se l'importazione si interrompe, non cambia nulla.")
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Avanti"))
        self.status_label = status_label()
        self.progress_bar = QProgressBar()
        self.cancel_button = QPushButton(self.tr("Interrompi"))
        self._build()

    def _build(self) -> None:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.progress_bar)
        layout.addLayout(buttons)
        layout.addStretch(1)
        # Bound methods, not lambdas: a lambda holding the page would be freed while Qt deletes the page.
        self.runner.progressed.connect(self._progressed)
        self.runner.import_finished.connect(self._finished)
        self.runner.import_failed.connect(self._failed)
        self.cancel_button.clicked.connect(self.cancel)

    def _progressed(self, done: int, total: int) -> None:
        show_progress(self.progress_bar, done, total)

    def initializePage(self) -> None:
        """Start the import of the file as checked."""
        state = self._state
        state.result = None
        if state.creditor_id is None or state.overview is None:
            return
        self.progress_bar.setVisible(True)
        show_progress(self.progress_bar, 0, 0)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        set_status(self.status_label, self.tr("Importazione di {0} in corso…").format(state.overview.file_name))
        self.runner.start(state.creditor_id, state.request(dry_run=False))
        self.completeChanged.emit()

    def cancel(self) -> None:
        """Stop the import: the service rolls back, nothing is written."""
        if self.runner.running:
            self.runner.cancel()
            self.cancel_button.setEnabled(False)
            set_status(self.status_label, self.tr("Interruzione in corso: annullo le modifiche…"))

    def _finished(self, result: ImportResult | None) -> None:
        self._stopped()
        if result is None:
            text = self.tr("Importazione interrotta: nel database non è stato scritto nulla.")
            set_status(self.status_label, text, Tone.BAD)
        elif result.outcome is ImportOutcome.APPLIED:
            self._state.result = result
            text = self.tr("Importazione completata: {0} righe.").format(formatting.count(result.counts.rows))
            set_status(self.status_label, text, Tone.GOOD)
        elif result.outcome is ImportOutcome.ALREADY_IMPORTED:
            set_status(self.status_label, self.tr("Questo file è già stato importato: nulla è cambiato."), Tone.BAD)
        else:
            # The data changed between the check and now (another clerk, say): the new errors are in the report.
            text = self.tr(
                "Il file non è stato importato: nel frattempo sono comparsi errori ({0}). Tornare indietro per vederli."
            )
            set_status(self.status_label, text.format(formatting.count(result.counts.errors)), Tone.BAD)
        self.completeChanged.emit()
        self.import_finished.emit(result)
        wizard = self.wizard()
        if self._state.result is not None and wizard is not None and wizard.currentPage() is self:
            wizard.next()

    def _failed(self, error: BaseException) -> None:
        self._stopped()
        set_status(self.status_label, failure_text(error), Tone.BAD)
        self.completeChanged.emit()
        self.import_finished.emit(None)

    def _stopped(self) -> None:
        self.progress_bar.setVisible(False)
        self.cancel_button.setVisible(False)

    def isComplete(self) -> bool:
        """The import was applied."""
        return self._state.result is not None
