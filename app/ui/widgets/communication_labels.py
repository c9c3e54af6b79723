"""How the Communications page names channels, statuses and timeline events, and which states come first."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from app.models import Channel, CommunicationStatus

# The order of a message's life, left to right on the status strip.
STATUS_ORDER = (
    CommunicationStatus.DRAFT,
    CommunicationStatus.QUEUED,
    CommunicationStatus.SENDING,
    CommunicationStatus.SENT,
    CommunicationStatus.DELIVERED,
    CommunicationStatus.READ,
    CommunicationStatus.FAILED,
    CommunicationStatus.UNKNOWN,
    CommunicationStatus.CANCELLED,
)
# States that need a clerk: the strip and the table show them in the alert colour.
NEEDS_CLERK = frozenset({CommunicationStatus.FAILED, CommunicationStatus.UNKNOWN})
ALERT_COLOR = QColor("#b3261e")
DONE_COLOR = QColor("#2e7d32")
PAST_COLOR = QColor("#6b6b6b")
DONE = frozenset({CommunicationStatus.SENT, CommunicationStatus.DELIVERED, CommunicationStatus.READ})


def status_label(status: CommunicationStatus) -> str:
    """Where a message stands, as the clerk says it (a reminder, hence masculine: "sollecito")."""
    translate = QCoreApplication.translate
    labels = {
        CommunicationStatus.DRAFT: translate("CommunicationLabels", "Pianificato"),
        CommunicationStatus.QUEUED: translate("CommunicationLabels", "In coda"),
        CommunicationStatus.SENDING: translate("CommunicationLabels", "In invio"),
        CommunicationStatus.SENT: translate("CommunicationLabels", "Inviato"),
        CommunicationStatus.DELIVERED: translate("CommunicationLabels", "Consegnato"),
        CommunicationStatus.READ: translate("CommunicationLabels", "Letto"),
        CommunicationStatus.FAILED: translate("CommunicationLabels", "Non riuscito"),
        CommunicationStatus.UNKNOWN: translate("CommunicationLabels", "Esito sconosciuto"),
        CommunicationStatus.CANCELLED: translate("CommunicationLabels", "Annullato"),
    }
    return labels[status]


def channel_label(channel: Channel) -> str:
    """The channel a message goes out on."""
    translate = QCoreApplication.translate
    labels = {
        Channel.WHATSAPP: "WhatsApp",
        Channel.EMAIL: translate("CommunicationLabels", "E-mail"),
        Channel.PEC: "PEC",
        Channel.POST: translate("CommunicationLabels", "Lettera"),
        Channel.REGISTERED_LETTER: translate("CommunicationLabels", "Raccomandata A/R"),
    }
    return labels[channel]


def event_label(kind: str) -> str:
    """What a timeline event means; a kind this version does not know is shown as recorded."""
    translate = QCoreApplication.translate
    labels = {
        "planned": translate("CommunicationLabels", "Pianificato"),
        "approve": translate("CommunicationLabels", "Approvato"),
        "approved": translate("CommunicationLabels", "Approvato"),
        "claimed": translate("CommunicationLabels", "Preso in carico per l'invio"),
        "sent": translate("CommunicationLabels", "Inviato"),
        # Written both by the dispatcher (a failure it will retry) and by a clerk's "Riprova".
        "retry": translate("CommunicationLabels", "Nuovo tentativo"),
        "failed": translate("CommunicationLabels", "Non riuscito"),
        "unknown": translate("CommunicationLabels", "Esito sconosciuto"),
        "delivered": translate("CommunicationLabels", "Consegnato"),
        "read": translate("CommunicationLabels", "Letto"),
        "receipt": translate("CommunicationLabels", "Ricevuta"),
        "cancel": translate("CommunicationLabels", "Annullato"),
        "cancelled": translate("CommunicationLabels", "Annullato"),
        "resend": translate("CommunicationLabels", "Reinvio chiesto"),
        "mark_sent": translate("CommunicationLabels", "Segnato come inviato"),
        "printed": translate("CommunicationLabels", "Stampato"),
        "registered": translate("CommunicationLabels", "Raccomandata spedita"),
        "returned": translate("CommunicationLabels", "Cartolina di ritorno ricevuta"),
    }
    return labels.get(kind, kind)


def status_color(status: CommunicationStatus) -> QColor | None:
    """The colour of a status in tables: red when a clerk must act, green when sent, grey when cancelled."""
    if status in NEEDS_CLERK:
        return ALERT_COLOR
    if status in DONE:
        return DONE_COLOR
    if status is CommunicationStatus.CANCELLED:
        return PAST_COLOR
    return None
