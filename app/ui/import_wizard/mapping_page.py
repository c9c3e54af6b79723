"""Step 3: which column of the file holds which field, filled in automatically, editable, savable as a profile."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.bootstrap import AppContext
from app.services import imports
from app.services.imports import Field, ProfileInfo
from app.services.imports.headers import AMOUNT_FIELDS, REQUIRED, column_letter
from app.ui.import_wizard.common import Tone, failure_text, set_status, status_label
from app.ui.import_wizard.labels import field_label
from app.ui.import_wizard.state import ImportState, first_data_row
from app.ui.ops import op


class MappingPage(QWizardPage):
    """One combo per field; the page is complete when every field a credit needs has a column."""

    profile_saved = Signal(object)  # the ProfileInfo as saved

    def __init__(self, context: AppContext, state: ImportState) -> None:
        super().__init__()
        self._context = context
        self._state = state
        self.setTitle(self.tr("Abbinamento delle colonne"))
        self.setSubTitle(
            self.tr(
                "Per ogni dato, la colonna del file che lo contiene. Le colonne riconosciute sono già indicate. "
                "I dati in grassetto sono obbligatori; per l'importo basta Importo o Residuo."
            )
        )
        self.column_combos: dict[Field, QComboBox] = {field: QComboBox() for field in Field}
        self.example_labels: dict[Field, QLabel] = {field: QLabel() for field in Field}
        self.unused_label = status_label()
        self.missing_label = status_label()
        self.profile_name_edit = QLineEdit()
        self.save_profile_button = QPushButton(self.tr("Salva come profilo"))
        self.profile_status_label = status_label()
        self._build()

    def _build(self) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        for column, title in enumerate((self.tr("Dato"), self.tr("Colonna del file"), self.tr("Esempio (prima riga)"))):
            title_label = QLabel(f"<b>{title}</b>")
            grid.addWidget(title_label, 0, column)
        needed = {*REQUIRED, *AMOUNT_FIELDS}
        for row, field in enumerate(Field, start=1):
            name_label = QLabel(field_label(field))
            if field in needed:
                name_label.setText(f"<b>{field_label(field)}</b>")
            combo = self.column_combos[field]
            combo.setMinimumContentsLength(26)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(self._columns_chosen)
            example = self.example_labels[field]
            example.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name_label, row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(example, row, 2)
        grid.setColumnStretch(2, 1)
        fields_widget = QWidget()
        fields_widget.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(fields_widget)

        profile_box = QGroupBox(self.tr("Profilo"))
        profile_row = QHBoxLayout()
        profile_row.addWidget(QLabel(self.tr("Nome:")))
        self.profile_name_edit.setPlaceholderText(self.tr("ad esempio il nome del gestionale"))
        profile_row.addWidget(self.profile_name_edit, 1)
        profile_row.addWidget(self.save_profile_button)
        profile_layout = QVBoxLayout(profile_box)
        profile_layout.addLayout(profile_row)
        profile_layout.addWidget(self.profile_status_label)
        self.save_profile_button.clicked.connect(self.save_profile)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.unused_label)
        layout.addWidget(profile_box)

    def initializePage(self) -> None:
        """Fill the combos with the file's headers; propose the mapping unless one was made for these headers."""
        state = self._state
        if state.mapped_headers != state.headers:
            state.mapping = imports.suggest_mapping(state.headers, state.profile)
            state.mapped_headers = list(state.headers)
        choices = [(f"{column_letter(i)} · {header}", header) for i, header in enumerate(state.headers) if header]
        for field, combo in self.column_combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("— non importare —"), "")
            for text, header in choices:
                combo.addItem(text, header)
            combo.setCurrentIndex(max(combo.findData(state.mapping.get(field, "")), 0))
            combo.blockSignals(False)
            self._show_example(field)
        if state.profile is not None and not self.profile_name_edit.text():
            self.profile_name_edit.setText(state.profile.name)
        set_status(self.profile_status_label, "")
        self._show_unused_and_missing()

    def set_column(self, field: Field, header: str) -> None:
        """Map ``field`` to the column titled ``header`` ("" for none), as if chosen in its combo."""
        combo = self.column_combos[field]
        index = combo.findData(header)
        if index < 0:
            raise ValueError(f"no column {header!r}")
        combo.setCurrentIndex(index)

    def _columns_chosen(self) -> None:
        chosen = {field: combo.currentData() or "" for field, combo in self.column_combos.items()}
        self._state.mapping = {field: header for field, header in chosen.items() if header}
        self._state.check = None
        for field in Field:
            self._show_example(field)
        self._show_unused_and_missing()

    def _show_example(self, field: Field) -> None:
        state, sheet = self._state, self._state.sheet_preview()
        header = state.mapping.get(field)
        example = ""
        if sheet is not None and header and header in state.headers:
            cells = first_data_row(sheet, state.header_row)
            index = state.headers.index(header)
            example = cells[index] if index < len(cells) else ""
        self.example_labels[field].setText(example)

    def _show_unused_and_missing(self) -> None:
        used = set(self._state.mapping.values())
        unused = [f"«{header}»" for header in self._state.headers if header and header not in used]
        text = self.tr("Colonne del file non importate: {0}").format(", ".join(unused)) if unused else ""
        set_status(self.unused_label, text)
        missing = self.missing_fields()
        if missing:
            names = ", ".join(missing)
            set_status(self.missing_label, self.tr("Indicare la colonna per: {0}").format(names), Tone.BAD)
        else:
            set_status(self.missing_label, "")
        self.completeChanged.emit()

    def missing_fields(self) -> list[str]:
        """The names of the fields a credit needs that have no column yet."""
        mapped = self._state.mapping
        missing = [field_label(field) for field in REQUIRED if field not in mapped]
        if not any(field in mapped for field in AMOUNT_FIELDS):
            missing.append(self.tr("{0} o {1}").format(field_label(Field.AMOUNT), field_label(Field.OUTSTANDING)))
        return missing

    def isComplete(self) -> bool:
        """Every field a credit needs has a column."""
        return not self.missing_fields()

    def save_profile(self) -> None:
        """Save the mapping, with sheet and header row where they matter, under the name typed (in the background)."""
        state, db = self._state, self._context.db
        creditor_id, sheet = state.creditor_id, state.sheet_preview()
        if creditor_id is None or sheet is None or state.overview is None:
            return
        name = self.profile_name_edit.text()
        # Keep the clerk's removals, but leave fields not in this file free for a later export that has them.
        automatic = imports.suggest_mapping(state.headers, None)
        mapping = {field: "" for field in automatic if field not in state.mapping} | dict(state.mapping)
        # A sheet name or header row is stored only where it had to be chosen: a fixed one would be wrong for
        # next month's file as soon as a title line or a sheet changes.
        sheet_name = state.sheet if len(state.overview.sheets) > 1 else None
        header_row = state.header_row if state.header_row != sheet.header_row else None
        full_export = state.full_export
        self.save_profile_button.setEnabled(False)

        def work() -> ProfileInfo:
            return imports.save_profile(
                db, creditor_id, name, mapping, sheet=sheet_name, header_row=header_row, full_export=full_export
            )

        op(work, self).on_success(self._profile_saved).on_failure(self._profile_failed).run()

    def _profile_saved(self, profile: ProfileInfo) -> None:
        self.save_profile_button.setEnabled(True)
        self._state.profile = profile
        self._state.profiles = [p for p in self._state.profiles if p.name != profile.name] + [profile]
        set_status(self.profile_status_label, self.tr("Profilo «{0}» salvato.").format(profile.name), Tone.GOOD)
        self.profile_saved.emit(profile)

    def _profile_failed(self, error: BaseException) -> None:
        self.save_profile_button.setEnabled(True)
        set_status(self.profile_status_label, failure_text(error), Tone.BAD)
