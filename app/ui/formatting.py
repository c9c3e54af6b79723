"""How money, dates and statuses read on screen (Italian conventions; labels translated through Qt)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QLocale

from app.models import CreditKind, CreditStatus

ROME = ZoneInfo("Europe/Rome")


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
