"""Qt translations: Italian is the source language of every tr() string; English comes from a .qm file."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.resources import translations_dir

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "it"
LOCALES = {
    "it": QLocale(QLocale.Language.Italian, QLocale.Country.Italy),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom),
}

# QCoreApplication does not own an installed translator: these references keep them alive.
_installed: list[QTranslator] = []


def install_translators(language: str, app: QCoreApplication | None = None) -> list[QTranslator]:
    """Install CreditDesk's and Qt's translations for ``language`` ('it' or 'en'), replacing earlier ones."""
    app = app or QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_translators needs a QCoreApplication")
    remove_translators(app)
    QLocale.setDefault(LOCALES.get(language, LOCALES[SOURCE_LANGUAGE]))
    if language != SOURCE_LANGUAGE:
        _load(app, f"creditdesk_{language}", str(translations_dir()))
    # Qt's standard buttons and dialogs ("Cancel", "Yes") speak the chosen language too.
    qt_translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    _load(app, f"qtbase_{language}", qt_translations)
    return list(_installed)


def remove_translators(app: QCoreApplication | None = None) -> None:
    """Uninstall every translator :func:`install_translators` installed."""
    app = app or QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)


def _load(app: QCoreApplication, name: str, folder: str) -> None:
    translator = QTranslator(app)
    if not translator.load(name, folder):
        # A missing Qt translation only leaves standard buttons in English: worth a log line, not a failure.
        log.info("translation %s not found in %s", name, folder)
        return
    app.installTranslator(translator)
    _installed.append(translator)
