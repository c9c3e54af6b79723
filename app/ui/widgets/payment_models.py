"""Table models of the Payments page: the unmatched queue and the credits proposed for one payment."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.services.payments.queue import Candidate, UnmatchedRow
from app.ui import formatting
from app.ui.widgets.debtors_models import Column, RowTableModel


def reason_label(reason: str) -> str:
    """Why a credit is proposed, in the interface's language (the service words it in Italian)."""
    labels = {
        "stesso importo": QCoreApplication.translate("PaymentReasons", "stesso importo"),
        "nome simile": QCoreApplication.translate("PaymentReasons", "nome simile"),
        "riferimento nella causale": QCoreApplication.translate("PaymentReasons", "riferimento nella causale"),
    }
    return labels.get(reason, reason)


class UnmatchedTableModel(RowTableModel[UnmatchedRow]):
    """Payments no rule could place, oldest first, with what is still unplaced."""

    def columns(self) -> list[Column[UnmatchedRow]]:
        return [
            Column(self.tr("Data"), lambda r: formatting.day(r.received_on), lambda r: r.received_on),
            Column(self.tr("Importo"), lambda r: formatting.money(r.amount), lambda r: r.amount, True),
            Column(self.tr("Da abbinare"), lambda r: formatting.money(r.unallocated), lambda r: r.unallocated, True),
            Column(self.tr("Stato"), lambda r: formatting.payment_status_label(r.status)),
            Column(self.tr("Pagatore"), lambda r: r.payer_name or "", tooltip=lambda r: r.payer_name or ""),
            Column(self.tr("IBAN"), lambda r: r.payer_iban or ""),
            Column(self.tr("Causale"), lambda r: r.description or "", tooltip=lambda r: r.description or ""),
        ]

    def position_of(self, payment_id: int) -> int | None:
        """The row showing payment ``payment_id``, if it is in the table."""
        for position, row in enumerate(self.rows()):
            if row.id == payment_id:
                return position
        return None


class CandidateTableModel(RowTableModel[Candidate]):
    """Open credits that may be what the selected payment pays, best first."""

    def columns(self) -> list[Column[Candidate]]:
        return [
            Column(self.tr("Numero"), lambda r: r.reference),
            Column(self.tr("Intestatario"), lambda r: r.holder_name, tooltip=lambda r: r.holder_name),
            Column(self.tr("Pagatore"), lambda r: r.payer_name, tooltip=lambda r: r.payer_name),
            Column(self.tr("Scadenza"), lambda r: formatting.day(r.due_date), lambda r: r.due_date),
            Column(self.tr("Residuo"), lambda r: formatting.money(r.outstanding), lambda r: r.outstanding, True),
            Column(self.tr("Perché proposto"), self._reasons, lambda r: -len(r.reasons)),
        ]

    def _reasons(self, row: Candidate) -> str:
        return ", ".join(reason_label(reason) for reason in row.reasons) or "—"
