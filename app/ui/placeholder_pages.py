"""Pages that later versions fill: each says plainly what it will hold, and shows no invented data."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def placeholder_texts() -> dict[str, str]:
    """For each page still to come (by its key), the sentence that tells the clerk what it will hold."""
    translate = QCoreApplication.translate
    return {
        "notices": translate(
            "PlaceholderPages",
            "Qui compariranno gli avvisi di pagamento (MAV, pagoPA, bonifico con RF) emessi per ciascun "
            "ruolo, con il loro stato e gli esiti restituiti dalla banca.",
        ),
        "communications": translate(
            "PlaceholderPages",
            "Qui compariranno i solleciti e le altre comunicazioni ai debitori (PEC, e-mail, raccomandate), "
            "con le ricevute di accettazione e di consegna.",
        ),
        "archive": translate(
            "PlaceholderPages",
            "Qui comparirà l'archivio dei documenti: flussi scambiati con la banca, bollettini, ricevute PEC "
            "e lettere, collegati a debitori, crediti e ruoli.",
        ),
        "kpis": translate(
            "PlaceholderPages",
            "Qui compariranno gli indicatori dell'incasso: riscosso e residuo per ruolo, per scadenza e per "
            "incaricato del recupero.",
        ),
    }


class PlaceholderPage(QWidget):
    """A page with its title and one or two sentences about what it will hold."""

    def __init__(self, title: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = QLabel(title)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title_label.setFont(font)
        self.description_label = QLabel(description)
        self.description_label.setWordWrap(True)
        self.description_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.availability_label = QLabel(self.tr("Questa sezione sarà disponibile in una prossima versione."))
        self.availability_label.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(12)
        layout.addWidget(self.title_label)
        layout.addWidget(self.description_label)
        layout.addWidget(self.availability_label)
        layout.addStretch(1)
