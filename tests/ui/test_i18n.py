"""Italian is the source language; English comes from the shipped .qm; Qt's own buttons follow the choice."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.resources import translations_dir
from app.ui.i18n import install_translators, remove_translators
from app.ui.main_window import MainWindow
from app.ui.placeholder_pages import placeholder_texts

TS_FILE = translations_dir() / "creditdesk_en.ts"


@pytest.fixture
def language(qapp: QApplication) -> Iterator[str]:
    yield "it"
    remove_translators(qapp)
    QLocale.setDefault(QLocale(QLocale.Language.Italian, QLocale.Country.Italy))


def navigation_titles(qtbot: QtBot, context: AppContext) -> list[str]:
    window = MainWindow(context)
    qtbot.addWidget(window)
    return [window.navigation_list.item(row).text() for row in range(window.navigation_list.count())]


def test_english_navigation_reads_credits(qtbot: QtBot, context: AppContext, language: str) -> None:
    install_translators("en")
    titles = navigation_titles(qtbot, context)
    assert titles[2] == "Credits"
    assert titles == [
        "Rolls",
        "Debtors",
        "Credits",
        "Notices",
        "Payments",
        "Communications",
        "Archive",
        "KPIs",
        "Settings",
    ]


def test_italian_navigation_reads_crediti(qtbot: QtBot, context: AppContext, language: str) -> None:
    install_translators("it")
    assert navigation_titles(qtbot, context)[2] == "Crediti"


def test_placeholders_speak_english_too(language: str) -> None:
    install_translators("en")
    assert placeholder_texts()["notices"].startswith("Payment notices (MAV, pagoPA")


def test_qt_standard_buttons_follow_the_language(qtbot: QtBot, language: str) -> None:
    install_translators("it")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annulla"


def test_switching_language_replaces_the_previous_translators(language: str) -> None:
    install_translators("en")
    install_translators("it")
    assert QCoreApplication.translate("MainWindow", "Crediti") == "Crediti"
    assert QLocale().language() == QLocale.Language.Italian


def test_every_string_in_the_english_catalogue_is_translated() -> None:
    # Run scripts/update-translations after adding a tr() string, then translate it in the .ts file.
    root = ET.parse(TS_FILE).getroot()
    untranslated = [
        f"{context.findtext('name')}: {message.findtext('source')}"
        for context in root.iter("context")
        for message in context.iter("message")
        if (translation := message.find("translation")) is not None
        and translation.get("type") not in ("obsolete", "vanished")
        and (translation.get("type") == "unfinished" or not (translation.text or "").strip())
    ]
    assert untranslated == []
    assert TS_FILE.with_suffix(".qm").stat().st_mtime >= TS_FILE.stat().st_mtime - 1
