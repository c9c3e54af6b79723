"""How money, dates and statuses read on screen (Italian conventions; labels translated through Qt)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from app.models import CreditKind, CreditStatus

ROME = ZoneInfo("Europe/Rome")


def money(amount: Decimal) -> str:
    """``1234.5`` → ``1.234,50 €``: the grouping and comma an Italian clerk reads."""
    text = f"{amount:,.2f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{text} €"


def count(number: int) -> str:
    """``100000`` → ``100.000``."""
    return f"{number:,}".replace(",", ".")


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
