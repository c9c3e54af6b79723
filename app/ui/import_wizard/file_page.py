"""Step 1: the file to import, the profile to read it with, and whether it lists every open credit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWizardPage,
)

from app.bootstrap import AppContext
from app.services import imports
from app.services.imports import FileOverview, ProfileInfo
from app.ui import formatting
from app.ui.import_wizard.common import Tone, failure_text, set_status, status_label
from app.ui.import_wizard.state import ImportState
from app.ui.ops import op

# How many of each sheet's first rows the wizard shows: as many as the service searches for the header.
PREVIEW_ROWS = 50


class FilePage(QWizardPage):
    """Pick the file; it is read in the background and the page is complete once it has been."""

    profiles_loaded = Signal()
    file_inspected = Signal(bool)  # whether the file could be read

    def __init__(self, context: AppContext, state: ImportState) -> None:
        super().__init__()
        self._context = context
        self._state = state
        self._generation = 0
        self._profiles_requested = False
        self.setTitle(self.tr("Scegli il file"))
        self.setSubTitle(
            self.tr(
                "Lo scadenziario esportato dal gestionale: Excel (.xlsx, .xls), OpenDocument (.ods) o CSV. "
                "Il file viene solo letto: nulla cambia finché non si conferma l'importazione."
            )
        )
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(self.tr("Percorso del file…"))
        self.browse_button = QPushButton(self.tr("Sfoglia…"))
        self.profile_combo = QComboBox()
        self.full_export_check = QCheckBox(
            self.tr("Il file contiene tutto lo scadenziario aperto: segnala i crediti che non ci sono più")
        )
        self.status_label = status_label()
        self._build()

    def _build(self) -> None:
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        self.profile_combo.setMinimumContentsLength(30)
        self.profile_combo.addItem(self.tr("Nessuno: riconosci le colonne dai titoli"), None)
        form = QFormLayout(self)
        form.addRow(self.tr("File:"), file_row)
        form.addRow(self.tr("Profilo:"), self.profile_combo)
        form.addRow("", self.full_export_check)
        form.addRow("", self.status_label)
        self.browse_button.clicked.connect(self._browse)
        self.file_edit.editingFinished.connect(self._path_typed)
        self.profile_combo.currentIndexChanged.connect(self._profile_chosen)
        self.full_export_check.toggled.connect(self._full_export_toggled)

    def initializePage(self) -> None:
        """Load the creditor's profiles once, proposing the one used last."""
        if self._profiles_requested:
            return
        self._profiles_requested = True
        context = self._context

        def work() -> tuple[int, list[ProfileInfo], ProfileInfo | None]:
            creditor_id = context.creditor_id()
            profiles = imports.list_profiles(context.db, creditor_id)
            return creditor_id, profiles, imports.last_used_profile(context.db, creditor_id)

        op(work, self).on_success(self._profiles_arrived).on_failure(self._failed).run()

    def _profiles_arrived(self, answer: tuple[int, list[ProfileInfo], ProfileInfo | None]) -> None:
        creditor_id, profiles, last_used = answer
        self._state.creditor_id = creditor_id
        self.set_profiles(profiles, last_used)
        self.completeChanged.emit()
        self.profiles_loaded.emit()

    def set_profiles(self, profiles: list[ProfileInfo], proposed: ProfileInfo | None) -> None:
        """Offer ``profiles`` in the combo, ``proposed`` selected."""
        self._state.profiles = list(profiles)
        self.profile_combo.blockSignals(True)
        while self.profile_combo.count() > 1:
            self.profile_combo.removeItem(1)
        for profile in profiles:
            self.profile_combo.addItem(profile.name, profile.name)
        index = self.profile_combo.findData(proposed.name) if proposed else 0
        self.profile_combo.setCurrentIndex(max(index, 0))
        self.profile_combo.blockSignals(False)
        self._profile_chosen()

    def add_profile(self, profile: ProfileInfo) -> None:
        """Offer a profile just saved, selected, without proposing sheet and columns again."""
        self.profile_combo.blockSignals(True)
        if self.profile_combo.findData(profile.name) < 0:
            self.profile_combo.addItem(profile.name, profile.name)
        self.profile_combo.setCurrentIndex(self.profile_combo.findData(profile.name))
        self.profile_combo.blockSignals(False)

    def _profile_chosen(self) -> None:
        name = self.profile_combo.currentData()
        profile = next((p for p in self._state.profiles if p.name == name), None)
        self._state.profile = profile
        self._state.forget_choices()
        if profile is not None:
            self.full_export_check.setChecked(profile.full_export)

    def _full_export_toggled(self, checked: bool) -> None:
        self._state.full_export = checked

    def _browse(self) -> None:
        start = self.file_edit.text().strip() or str(Path.home())
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Scegli lo scadenziario"),
            start,
            self.tr("Fogli di calcolo (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;Tutti i file (*)"),
        )
        if name:
            self.set_path(Path(name))

    def _path_typed(self) -> None:
        text = self.file_edit.text().strip()
        if not text:
            self._generation += 1
            self._state.overview = None
            set_status(self.status_label, "")
            self.completeChanged.emit()
        elif self._state.overview is None or self._state.overview.path != Path(text):
            self.set_path(Path(text))

    def set_path(self, path: Path) -> None:
        """Read ``path`` in the background: its sheets and where each one's header seems to be."""
        self.file_edit.setText(str(path))
        self._state.overview = None
        self._state.forget_choices()
        self.completeChanged.emit()
        self._generation += 1
        generation = self._generation
        set_status(self.status_label, self.tr("Lettura del file…"))
        op(lambda: imports.inspect_file(path, PREVIEW_ROWS), self).on_success(
            lambda overview: self._inspected(generation, overview)
        ).on_failure(lambda error: self._unreadable(generation, error)).run()

    def _inspected(self, generation: int, overview: FileOverview) -> None:
        if generation != self._generation:
            return
        self._state.overview = overview
        found = [sheet for sheet in overview.sheets if sheet.header_row is not None]
        sheets = (
            self.tr("1 foglio")
            if len(overview.sheets) == 1
            else self.tr("{0} fogli").format(formatting.count(len(overview.sheets)))
        )
        if found:
            text = self.tr("{0}: {1}; intestazione trovata nel foglio «{2}» alla riga {3}.").format(
                overview.file_name, sheets, found[0].name, found[0].header_row
            )
            set_status(self.status_label, text, Tone.GOOD)
        else:
            text = self.tr("{0}: {1}; intestazione non riconosciuta: indicarla al passo successivo.")
            set_status(self.status_label, text.format(overview.file_name, sheets))
        self.completeChanged.emit()
        self.file_inspected.emit(True)

    def _unreadable(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        set_status(self.status_label, failure_text(error), Tone.BAD)
        self.file_inspected.emit(False)

    def _failed(self, error: BaseException) -> None:
        set_status(self.status_label, failure_text(error), Tone.BAD)

    def isComplete(self) -> bool:
        """A file has been read and the creditor is known."""
        return self._state.overview is not None and self._state.creditor_id is not None
