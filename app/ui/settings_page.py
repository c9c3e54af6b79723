"""The Settings page: where the data, settings and logs live, and the language of the interface."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.bootstrap import AppContext
from app.settings import load_settings, save_settings, settings_path
from app.ui.ops import op

# Each language is named in itself, so a clerk who picked the wrong one can still find the way back.
LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}


def save_language(language: str, settings_file: Path | None = None) -> str:
    """Store the interface language in the settings file, keeping every other setting as it is on disk."""
    settings = load_settings(settings_file)
    settings.language = language
    save_settings(settings, settings_file)
    return language


class SettingsPage(QWidget):
    """Shows the database in use and the folders CreditDesk works with; lets the clerk choose the language."""

    language_saved = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(16)
        title_label = QLabel(self.tr("Impostazioni"))
        font = title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title_label.setFont(font)
        layout.addWidget(title_label)
        layout.addWidget(self._build_locations_box())
        layout.addWidget(self._build_language_box())
        layout.addStretch(1)

    def _build_locations_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Dati e cartelle"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.database_label = self._value_label(self.context.db.describe())
        form.addRow(self.tr("Database in uso:"), self.database_label)
        self.user_label = self._value_label(self.context.user_login)
        form.addRow(self.tr("Utente:"), self.user_label)
        self.settings_file_label = self._value_label(str(settings_path()))
        form.addRow(self.tr("File delle impostazioni:"), self._with_open_button(self.settings_file_label, None))
        self.data_folder_label = self._value_label(str(paths.data_dir()))
        form.addRow(self.tr("Cartella dei dati:"), self._with_open_button(self.data_folder_label, paths.data_dir()))
        self.log_folder_label = self._value_label(str(paths.log_dir()))
        form.addRow(self.tr("Cartella dei registri:"), self._with_open_button(self.log_folder_label, paths.log_dir()))
        archive = self.context.settings.archive_path
        self.archive_folder_label = self._value_label(str(archive))
        form.addRow(self.tr("Cartella dell'archivio:"), self._with_open_button(self.archive_folder_label, archive))
        return box

    def _build_language_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Lingua"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.language_combo = QComboBox()
        for code, name in LANGUAGE_NAMES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(self.context.settings.language)))
        self.language_combo.currentIndexChanged.connect(self._on_language_chosen)
        form.addRow(self.tr("Lingua dell'interfaccia:"), self.language_combo)
        self.language_note_label = QLabel(self.tr("La lingua scelta viene usata dal prossimo avvio di CreditDesk."))
        form.addRow("", self.language_note_label)
        return box

    def _value_label(self, text: str) -> QLabel:
        # Not word-wrapped: a path breaks at its hyphens and a wrapped form row loses its second line.
        label = QLabel(text)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setToolTip(text)
        return label

    def _with_open_button(self, label: QLabel, folder: Path | None) -> QWidget:
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(label, 1)
        if folder is not None:
            open_button = QPushButton(self.tr("Apri"))
            open_button.setToolTip(self.tr("Apre la cartella nel gestore dei file"))
            open_button.setEnabled(folder.is_dir())
            open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
            row_layout.addWidget(open_button)
        return row

    def _on_language_chosen(self, index: int) -> None:
        language = str(self.language_combo.itemData(index))
        self.language_combo.setEnabled(False)
        op(lambda: save_language(language), self).on_success(self._on_language_saved).on_failure(
            self._on_language_not_saved
        ).run()

    def _on_language_saved(self, language: str) -> None:
        self.language_combo.setEnabled(True)
        self.context.settings.language = language
        self.language_note_label.setText(self.tr("Lingua salvata: sarà usata dal prossimo avvio di CreditDesk."))
        self.language_saved.emit(language)

    def _on_language_not_saved(self, error: BaseException) -> None:
        # Show the language that is really stored, not the one that failed to save.
        self.language_combo.blockSignals(True)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(self.context.settings.language)))
        self.language_combo.blockSignals(False)
        self.language_combo.setEnabled(True)
        QMessageBox.warning(self, self.tr("Impostazioni"), self.tr("Lingua non salvata: {error}").format(error=error))
