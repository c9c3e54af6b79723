"""The import wizard: file → sheet and header → columns → check → import → summary."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget, QWizard

from app.bootstrap import AppContext
from app.services.imports import ImportOutcome, ImportResult, ProfileInfo
from app.ui.import_wizard.apply_page import ApplyPage
from app.ui.import_wizard.file_page import FilePage
from app.ui.import_wizard.mapping_page import MappingPage
from app.ui.import_wizard.preview_page import PreviewPage
from app.ui.import_wizard.sheet_page import SheetPage
from app.ui.import_wizard.state import ImportState
from app.ui.import_wizard.summary_page import SummaryPage


class ImportWizard(QWizard):
    """Imports one schedule file for the window's creditor; all reading and writing runs off the UI thread."""

    import_applied = Signal(object)  # the ImportResult of an applied import

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = ImportState()
        self.setWindowTitle(self.tr("Importa scadenziario"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Chiudi"))
        self._closing = False
        self.file_page = FilePage(context, self.state)
        self.sheet_page = SheetPage(self.state)
        self.mapping_page = MappingPage(context, self.state)
        self.preview_page = PreviewPage(context, self.state)
        self.apply_page = ApplyPage(context, self.state)
        self.summary_page = SummaryPage(self.state)
        for page in (
            self.file_page,
            self.sheet_page,
            self.mapping_page,
            self.preview_page,
            self.apply_page,
            self.summary_page,
        ):
            self.addPage(page)
            # After QWizard's own handler, which would enable Back again while work runs.
            page.completeChanged.connect(self._hold_back_while_busy)
        for runner in (self.preview_page.runner, self.apply_page.runner):
            runner.import_finished.connect(self._work_ended)
            runner.import_failed.connect(self._work_ended)
        self.mapping_page.profile_saved.connect(self._profile_saved)
        self.apply_page.import_finished.connect(self._import_finished)
        self.currentIdChanged.connect(self._page_changed)
        self.resize(1100, 760)

    def busy(self) -> bool:
        """Whether a check or an import is running."""
        return self.preview_page.runner.running or self.apply_page.runner.running

    def _hold_back_while_busy(self) -> None:
        if self.busy():
            self.button(QWizard.WizardButton.BackButton).setEnabled(False)

    def _page_changed(self, _id: int) -> None:
        self._hold_back_while_busy()

    def reject(self) -> None:
        """Cancel: stop the work first, and close once it has rolled back, so nothing is left half done."""
        if not self.busy():
            super().reject()
            return
        self._closing = True
        self.button(QWizard.WizardButton.CancelButton).setEnabled(False)
        self.preview_page.runner.cancel()
        self.apply_page.cancel()

    def _work_ended(self, _outcome: object) -> None:
        if self._closing and not self.busy():
            # Let the pages take the answer in first.
            QTimer.singleShot(0, super().reject)

    def _profile_saved(self, profile: ProfileInfo) -> None:
        self.file_page.add_profile(profile)

    def _import_finished(self, result: ImportResult | None) -> None:
        if result is None:
            return
        if result.outcome is ImportOutcome.APPLIED:
            self.import_applied.emit(result)
        elif result.outcome is ImportOutcome.REFUSED:
            self.preview_page.show_check(result)
