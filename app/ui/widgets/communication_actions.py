"""The clerk's actions on messages: which states each one takes, the buttons enabled by the selection, the
question that confirms it (how many, and what will happen), and the outbox service that does it."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.models import CommunicationStatus
from app.services.database import Database
from app.services.dunning import outbox
from app.ui import formatting

Entry = tuple[int, CommunicationStatus]


class Action(enum.Enum):
    """What the clerk may do to messages."""

    APPROVE = "approve"
    APPROVE_ALL = "approve_all"
    CANCEL = "cancel"
    RETRY = "retry"
    RESEND = "resend"
    MARK_SENT = "mark_sent"


# The states each action moves a message from (the outbox's own rule, which has the last word).
ACCEPTS: dict[Action, frozenset[CommunicationStatus]] = {
    Action.APPROVE: frozenset({CommunicationStatus.DRAFT}),
    Action.APPROVE_ALL: frozenset({CommunicationStatus.DRAFT}),
    Action.CANCEL: frozenset({CommunicationStatus.DRAFT, CommunicationStatus.QUEUED}),
    Action.RETRY: frozenset({CommunicationStatus.FAILED}),
    Action.RESEND: frozenset({CommunicationStatus.UNKNOWN}),
    Action.MARK_SENT: frozenset({CommunicationStatus.UNKNOWN}),
}


def eligible(action: Action, selection: Sequence[Entry]) -> list[int]:
    """The ids among ``selection`` that ``action`` applies to, by the states last listed."""
    accepted = ACCEPTS[action]
    return [communication_id for communication_id, status in selection if status in accepted]


def perform(db: Database, action: Action, ids: Sequence[int], user_login: str | None) -> int:
    """Do ``action`` to ``ids`` through the outbox; returns how many moved (the rest had changed meanwhile)."""
    if action in (Action.APPROVE, Action.APPROVE_ALL):
        return outbox.approve(db, ids, user_login=user_login)
    if action is Action.CANCEL:
        return outbox.cancel(db, ids, user_login=user_login)
    if action is Action.RETRY:
        return outbox.retry(db, ids, user_login=user_login)
    return outbox.resolve_unknown(db, ids, resend=action is Action.RESEND, user_login=user_login)


def question(action: Action, count: int, others: int) -> tuple[str, str]:
    """The confirmation's title and text: how many messages, and what happens to them."""
    translate = QCoreApplication.translate
    one = count == 1
    texts = {
        Action.APPROVE: (
            translate("CommunicationActions", "Approva"),
            translate("CommunicationActions", "Approvare 1 comunicazione pianificata?") if one
            else translate("CommunicationActions", "Approvare {0} comunicazioni pianificate?"),
        ),
        Action.APPROVE_ALL: (
            translate("CommunicationActions", "Approva tutti i pianificati"),
            translate("CommunicationActions", "Approvare l'unica comunicazione pianificata tra quelle filtrate?") if one
            else translate("CommunicationActions", "Approvare tutte le {0} comunicazioni pianificate tra quelle "
                                                   "filtrate?"),
        ),
        Action.CANCEL: (
            translate("CommunicationActions", "Annulla"),
            translate("CommunicationActions", "Annullare 1 comunicazione non ancora inviata?") if one
            else translate("CommunicationActions", "Annullare {0} comunicazioni non ancora inviate?"),
        ),
        Action.RETRY: (
            translate("CommunicationActions", "Riprova"),
            translate("CommunicationActions", "Riprovare l'invio di 1 comunicazione non riuscita?") if one
            else translate("CommunicationActions", "Riprovare l'invio di {0} comunicazioni non riuscite?"),
        ),
        Action.RESEND: (
            translate("CommunicationActions", "Reinvia"),
            translate("CommunicationActions", "Reinviare 1 comunicazione con esito sconosciuto?") if one
            else translate("CommunicationActions", "Reinviare {0} comunicazioni con esito sconosciuto?"),
        ),
        Action.MARK_SENT: (
            translate("CommunicationActions", "Segna come inviato"),
            translate("CommunicationActions", "Segnare come inviata 1 comunicazione con esito sconosciuto?") if one
            else translate("CommunicationActions", "Segnare come inviate {0} comunicazioni con esito sconosciuto?"),
        ),
    }  # fmt: skip
    title, asked = texts[action]
    text = asked.format(count) + " " + _consequence(action)
    if others:
        text += " " + translate(
            "CommunicationActions", "Le altre {0} scelte non sono in uno stato adatto e restano come sono."
        ).format(others)
    return title, text


def _consequence(action: Action) -> str:
    translate = QCoreApplication.translate
    consequences = {
        Action.APPROVE: translate("CommunicationActions", "Entrano in coda e partono al prossimo invio, "
                                                          "nell'orario consentito dalla procedura."),
        Action.APPROVE_ALL: translate("CommunicationActions", "Entrano in coda e partono al prossimo invio, "
                                                              "nell'orario consentito dalla procedura."),
        Action.CANCEL: translate("CommunicationActions", "Non partiranno, e per lo stesso livello di sollecito "
                                                         "non saranno più pianificate."),
        Action.RETRY: translate("CommunicationActions", "Tornano in coda subito, con un nuovo conteggio dei "
                                                        "tentativi."),
        Action.RESEND: translate("CommunicationActions", "Tornano in coda e partono di nuovo: se il primo invio era "
                                                         "arrivato, il pagatore riceverà il messaggio due volte."),
        Action.MARK_SENT: translate("CommunicationActions", "Farlo solo dopo aver verificato che sono arrivate: non "
                                                            "saranno più inviate."),
    }  # fmt: skip
    return consequences[action]


def done_text(action: Action, moved: int, asked: int) -> str:
    """What the status line says after ``action`` moved ``moved`` of ``asked`` messages."""
    translate = QCoreApplication.translate
    texts = {
        Action.APPROVE: translate("CommunicationActions", "Comunicazioni approvate: {0}."),
        Action.APPROVE_ALL: translate("CommunicationActions", "Comunicazioni approvate: {0}."),
        Action.CANCEL: translate("CommunicationActions", "Comunicazioni annullate: {0}."),
        Action.RETRY: translate("CommunicationActions", "Comunicazioni rimesse in coda: {0}."),
        Action.RESEND: translate("CommunicationActions", "Comunicazioni rimesse in coda per il reinvio: {0}."),
        Action.MARK_SENT: translate("CommunicationActions", "Comunicazioni segnate come inviate: {0}."),
    }
    text = texts[action].format(moved)
    if moved < asked:
        text += " " + translate(
            "CommunicationActions", "Le altre {0} erano cambiate nel frattempo e sono rimaste come sono."
        ).format(asked - moved)
    return text


class CommunicationActionBar(QWidget):
    """The action buttons, enabled by the states of the selected messages; ``triggered`` says which was pressed."""

    triggered = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.approve_button = QPushButton(self.tr("Approva"), self)
        self.approve_all_button = QPushButton(self.tr("Approva tutti i pianificati"), self)
        self.cancel_button = QPushButton(self.tr("Annulla"), self)
        self.retry_button = QPushButton(self.tr("Riprova"), self)
        self.resend_button = QPushButton(self.tr("Reinvia"), self)
        self.mark_sent_button = QPushButton(self.tr("Segna come inviato"), self)
        self.selection_label = QLabel(self)
        self.buttons = {
            Action.APPROVE: self.approve_button,
            Action.APPROVE_ALL: self.approve_all_button,
            Action.CANCEL: self.cancel_button,
            Action.RETRY: self.retry_button,
            Action.RESEND: self.resend_button,
            Action.MARK_SENT: self.mark_sent_button,
        }
        tips = {
            Action.APPROVE: self.tr("Mette in coda per l'invio le comunicazioni pianificate scelte"),
            Action.APPROVE_ALL: self.tr("Mette in coda tutte le comunicazioni pianificate che passano i filtri"),
            Action.CANCEL: self.tr("Salta le comunicazioni scelte non ancora inviate: non partiranno"),
            Action.RETRY: self.tr("Rimette in coda le comunicazioni non riuscite scelte"),
            Action.RESEND: self.tr("Esito sconosciuto: rimette in coda per un nuovo invio"),
            Action.MARK_SENT: self.tr("Esito sconosciuto: il messaggio è arrivato, non va reinviato"),
        }
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for action, button in self.buttons.items():
            button.setToolTip(tips[action])
            button.setEnabled(False)
            button.clicked.connect(lambda _checked=False, action=action: self.triggered.emit(action))
            layout.addWidget(button)
            if action in (Action.APPROVE_ALL, Action.RETRY):
                layout.addSpacing(12)
        layout.addWidget(self.selection_label, 1)

    def update_for(self, selection: Sequence[Entry], planned: int) -> None:
        """Enable each button the selection allows; "approve all" while any planned message passes the filters."""
        for action, button in self.buttons.items():
            button.setEnabled(planned > 0 if action is Action.APPROVE_ALL else bool(eligible(action, selection)))
        if selection:
            by_status = Counter(status for _, status in selection)
            many = formatting.count(len(selection))
            text = self.tr("1 scelta") if len(selection) == 1 else self.tr("{0} scelte").format(many)
            if unknown := by_status[CommunicationStatus.UNKNOWN]:
                text += " · " + self.tr("{0} con esito sconosciuto").format(formatting.count(unknown))
            self.selection_label.setText(text)
        else:
            self.selection_label.setText(self.tr("Ctrl+clic o Maiusc+clic per sceglierne più d'una."))
