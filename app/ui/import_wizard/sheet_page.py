"""Step 2: the sheet and the row holding the column titles, shown as Excel shows them."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QSpinBox, QVBoxLayout, QWizardPage

from app.services.imports import SheetPreview
from app.ui.import_wizard.common import Tone, fit_columns, replace_model, set_status, status_label, table_view
from app.ui.import_wizard.models import sheet_model
from app.ui.import_wizard.state import ImportState, headers_of


class SheetPage(QWizardPage):
    """Choose the sheet and the header row; a click on a row of the table makes it the header."""

    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self._state = state
        self.setTitle(self.tr("Foglio e riga di intestazione"))
        self.setSubTitle(
            self.tr(
                "La riga evidenziata contiene i titoli delle colonne; le righe sopra (titoli, filtri) non vengono "
                "importate. Se non è quella giusta, fare clic sulla riga corretta."
            )
        )
        self.sheet_combo = QComboBox()
        self.header_row_spin = QSpinBox()
        self.hint_label = status_label()
        self.rows_view = table_view(stretch_last=False)
        self._build()

    def _build(self) -> None:
        self.sheet_combo.setMinimumContentsLength(24)
        self.header_row_spin.setMinimumWidth(90)
        self.header_row_spin.setSpecialValueText("—")
        form = QFormLayout()
        form.addRow(self.tr("Foglio:"), self.sheet_combo)
        form.addRow(self.tr("Riga di intestazione:"), self.header_row_spin)
        top = QHBoxLayout()
        top.addLayout(form)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.rows_view, 1)
        self.rows_view.verticalHeader().setVisible(True)
        self.sheet_combo.currentIndexChanged.connect(self._sheet_chosen)
        self.header_row_spin.valueChanged.connect(self._header_row_chosen)
        self.rows_view.clicked.connect(self._row_clicked)

    def initializePage(self) -> None:
        """Show the file's sheets, proposing the profile's, else the first where a header was found."""
        overview = self._state.overview
        if overview is None:
            return
        chosen = self._state.sheet or self._proposed_sheet()
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        for sheet in overview.sheets:
            self.sheet_combo.addItem(sheet.name)
        self.sheet_combo.setCurrentIndex(max(self.sheet_combo.findText(chosen or ""), 0))
        self.sheet_combo.blockSignals(False)
        self._sheet_chosen(keep_row=self._state.header_row is not None)

    def _proposed_sheet(self) -> str | None:
        overview, profile = self._state.overview, self._state.profile
        if overview is None:
            return None
        names = [sheet.name for sheet in overview.sheets]
        if profile is not None and profile.sheet in names:
            return profile.sheet
        return next((sheet.name for sheet in overview.sheets if sheet.header_row is not None), names[0])

    def _proposed_row(self, sheet: SheetPreview) -> int | None:
        # As the service reads it: a profile's header row wins over the one recognised in the file.
        profile = self._state.profile
        shown = {number for number, _ in sheet.rows}
        if profile is not None and profile.header_row in shown and profile.sheet in (None, sheet.name):
            return profile.header_row
        return sheet.header_row

    def _sheet_chosen(self, _index: int = 0, keep_row: bool = False) -> None:
        self._state.sheet = self.sheet_combo.currentText() or None
        sheet = self._state.sheet_preview()
        if sheet is None:
            return
        numbers = [number for number, _ in sheet.rows]
        row = self._state.header_row if keep_row else self._proposed_row(sheet)
        # One below the first row stands for "not chosen yet", shown as a dash.
        self.header_row_spin.blockSignals(True)
        self.header_row_spin.setRange(min(numbers, default=1) - 1, max(numbers, default=1))
        self.header_row_spin.setValue(row if row is not None else self.header_row_spin.minimum())
        self.header_row_spin.blockSignals(False)
        self._set_header_row(row)

    def _header_row_chosen(self, row: int) -> None:
        self._set_header_row(row if row > self.header_row_spin.minimum() else None)

    def _row_clicked(self, index: QModelIndex) -> None:
        sheet = self._state.sheet_preview()
        if sheet is not None and index.isValid():
            self.header_row_spin.setValue(sheet.rows[index.row()][0])

    def _set_header_row(self, row: int | None) -> None:
        sheet = self._state.sheet_preview()
        if sheet is None:
            return
        self._state.header_row = row
        self._state.headers = headers_of(sheet, row)
        replace_model(self.rows_view, sheet_model(sheet, row))
        fit_columns(self.rows_view, minimum=48, maximum=220)
        self._show_hint(sheet, row)
        self.completeChanged.emit()

    def _show_hint(self, sheet: SheetPreview, row: int | None) -> None:
        if row is None:
            text = self.tr("Nessuna intestazione riconosciuta: fare clic sulla riga con i titoli delle colonne.")
            set_status(self.hint_label, text, Tone.BAD)
        elif not any(self._state.headers):
            set_status(self.hint_label, self.tr("La riga {0} è vuota: sceglierne un'altra.").format(row), Tone.BAD)
        elif row == sheet.header_row:
            set_status(self.hint_label, self.tr("Intestazione riconosciuta alla riga {0}.").format(row), Tone.GOOD)
        else:
            set_status(self.hint_label, self.tr("Intestazione alla riga {0}, scelta a mano.").format(row))

    def isComplete(self) -> bool:
        """A sheet and a header row with at least one title are chosen."""
        return self._state.header_row is not None and any(self._state.headers)
