"""How money, dates and statuses read on screen (Italian conventions; labels translated through Qt)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QLocale

from app.models import (
    Channel,
    CommunicationStatus,
    CreditKind,
    CreditStatus,
    DocumentKind,
    NoticeKind,
    NoticeStatus,
    PaymentSource,
    PaymentStatus,
    RollStatus,
)
from app.models.types import ROME


def _localized(plain: str) -> str:
    """Python's ``1,234.50`` with the separators of the interface's language (``1.234,50`` in Italian)."""
    locale = QLocale()
    return plain.translate({ord(","): locale.groupSeparator(), ord("."): locale.decimalPoint()})


def money(amount: Decimal) -> str:
    """``1234.5`` → ``1.234,50 €`` in Italian, ``1,234.50 €`` in English; exact, never through a float."""
    return f"{_localized(f'{amount:,.2f}')} €"


def count(number: int) -> str:
    """``100000`` → ``100.000`` in Italian, ``100,000`` in English."""
    return _localized(f"{number:,}")


def day(value: date | None) -> str:
    """A date as dd/mm/yyyy, or empty."""
    return value.strftime("%d/%m/%Y") if value else ""


def moment(value: datetime | None) -> str:
    """A timestamp in Rome time as dd/mm/yyyy hh:mm, or empty."""
    return value.astimezone(ROME).strftime("%d/%m/%Y %H:%M") if value else ""


def status_label(status: CreditStatus) -> str:
    """The status name a clerk reads (GLOSSARY)."""
    labels = {
        CreditStatus.ISSUED: QCoreApplication.translate("Status", "Emesso"),
        CreditStatus.AWAITING_PAYMENT: QCoreApplication.translate("Status", "In attesa di pagamento"),
        CreditStatus.PAID: QCoreApplication.translate("Status", "Pagato"),
        CreditStatus.PARTIALLY_PAID: QCoreApplication.translate("Status", "Parzialmente pagato"),
        CreditStatus.OVERDUE: QCoreApplication.translate("Status", "Scaduto"),
        CreditStatus.WRITTEN_OFF: QCoreApplication.translate("Status", "Stralciato"),
        CreditStatus.IN_LEGAL: QCoreApplication.translate("Status", "In gestione legale"),
    }
    return labels[status]


def kind_label(kind: CreditKind) -> str:
    """The credit kind a clerk reads."""
    labels = {
        CreditKind.INVOICE: QCoreApplication.translate("Kind", "Fattura"),
        CreditKind.POLICY: QCoreApplication.translate("Kind", "Polizza"),
        CreditKind.INSTALMENT: QCoreApplication.translate("Kind", "Rata"),
        CreditKind.OTHER: QCoreApplication.translate("Kind", "Altro"),
    }
    return labels[kind]


def source_label(source: PaymentSource) -> str:
    """Where a payment came from, as a clerk says it."""
    labels = {
        PaymentSource.BANK: QCoreApplication.translate("Source", "Banca"),
        PaymentSource.ACCOUNTING: QCoreApplication.translate("Source", "Contabilità"),
        PaymentSource.MANUAL: QCoreApplication.translate("Source", "Manuale"),
    }
    return labels[source]


def channel_label(channel: Channel) -> str:
    """The channel of a message."""
    labels = {
        Channel.WHATSAPP: "WhatsApp",
        Channel.EMAIL: QCoreApplication.translate("Channel", "E-mail"),
        Channel.PEC: "PEC",
        Channel.POST: QCoreApplication.translate("Channel", "Posta"),
        Channel.REGISTERED_LETTER: QCoreApplication.translate("Channel", "Raccomandata A/R"),
    }
    return labels[channel]


def communication_status_label(status: CommunicationStatus) -> str:
    """Where a message stands."""
    labels = {
        CommunicationStatus.DRAFT: QCoreApplication.translate("Communication", "Bozza"),
        CommunicationStatus.QUEUED: QCoreApplication.translate("Communication", "In coda"),
        CommunicationStatus.SENDING: QCoreApplication.translate("Communication", "In invio"),
        CommunicationStatus.SENT: QCoreApplication.translate("Communication", "Inviata"),
        CommunicationStatus.DELIVERED: QCoreApplication.translate("Communication", "Consegnata"),
        CommunicationStatus.READ: QCoreApplication.translate("Communication", "Letta"),
        CommunicationStatus.FAILED: QCoreApplication.translate("Communication", "Non riuscita"),
        CommunicationStatus.UNKNOWN: QCoreApplication.translate("Communication", "Esito sconosciuto"),
        CommunicationStatus.CANCELLED: QCoreApplication.translate("Communication", "Annullata"),
    }
    return labels[status]


def document_kind_label(kind: DocumentKind) -> str:
    """What an archived document is."""
    labels = {
        DocumentKind.NOTICE_PDF: QCoreApplication.translate("Document", "Avviso PDF"),
        DocumentKind.INVOICE: QCoreApplication.translate("Document", "Fattura"),
        DocumentKind.LETTER: QCoreApplication.translate("Document", "Lettera"),
        DocumentKind.PEC_RECEIPT: QCoreApplication.translate("Document", "Ricevuta PEC"),
        DocumentKind.RETURN_RECEIPT: QCoreApplication.translate("Document", "Cartolina di ritorno"),
        DocumentKind.BANK_FILE: QCoreApplication.translate("Document", "Flusso bancario"),
        DocumentKind.OTHER: QCoreApplication.translate("Document", "Altro"),
    }
    return labels[kind]


def roll_status_label(status: RollStatus) -> str:
    """Where a roll stands, as the Rolls page and its totals strip say it."""
    labels = {
        RollStatus.DRAFT: QCoreApplication.translate("RollStatus", "Bozza"),
        RollStatus.SENT_TO_BANK: QCoreApplication.translate("RollStatus", "Inviato in banca"),
        RollStatus.NOTICES_ISSUED: QCoreApplication.translate("RollStatus", "Avvisi emessi"),
        RollStatus.IN_COLLECTION: QCoreApplication.translate("RollStatus", "In riscossione"),
        RollStatus.CLOSED: QCoreApplication.translate("RollStatus", "Chiuso"),
    }
    return labels[status]


def notice_status_label(status: NoticeStatus) -> str:
    """Where a payment notice stands."""
    labels = {
        NoticeStatus.DRAFT: QCoreApplication.translate("NoticeStatus", "Bozza"),
        NoticeStatus.REQUESTED: QCoreApplication.translate("NoticeStatus", "Richiesto alla banca"),
        NoticeStatus.ISSUED: QCoreApplication.translate("NoticeStatus", "Emesso"),
        NoticeStatus.PAID: QCoreApplication.translate("NoticeStatus", "Pagato"),
        NoticeStatus.PARTIALLY_PAID: QCoreApplication.translate("NoticeStatus", "Parzialmente pagato"),
        NoticeStatus.CANCELLED: QCoreApplication.translate("NoticeStatus", "Annullato"),
        NoticeStatus.EXPIRED: QCoreApplication.translate("NoticeStatus", "Scaduto"),
    }
    return labels[status]


def notice_kind_label(kind: NoticeKind) -> str:
    """What a notice is paid with."""
    labels = {
        NoticeKind.MAV: "MAV",
        NoticeKind.PAGOPA: "pagoPA",
        NoticeKind.TRANSFER: QCoreApplication.translate("NoticeKind", "Bonifico con RF"),
    }
    return labels[kind]


def bank_outcome_label(outcome: str | None) -> str:
    """The bank's answer for a MAV (``paid``, ``unpaid``, ``recalled``, ``written_off``), or empty."""
    labels = {
        "paid": QCoreApplication.translate("BankOutcome", "Pagato"),
        "unpaid": QCoreApplication.translate("BankOutcome", "Insoluto"),
        "recalled": QCoreApplication.translate("BankOutcome", "Richiamato"),
        "written_off": QCoreApplication.translate("BankOutcome", "Stornato"),
    }
    return labels.get(outcome, outcome) if outcome else ""


def payment_status_label(status: PaymentStatus) -> str:
    """Where a received payment stands with its matching."""
    labels = {
        PaymentStatus.UNMATCHED: QCoreApplication.translate("PaymentStatus", "Da abbinare"),
        PaymentStatus.PARTIALLY_MATCHED: QCoreApplication.translate("PaymentStatus", "Abbinato in parte"),
        PaymentStatus.MATCHED: QCoreApplication.translate("PaymentStatus", "Abbinato"),
        PaymentStatus.REVERSED: QCoreApplication.translate("PaymentStatus", "Stornato"),
    }
    return labels[status]
