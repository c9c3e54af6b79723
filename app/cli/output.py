"""Plain-text output for clerks: Italian numbers and amounts, labels of states, aligned tables."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from app.models.types import ROME
from app.services.creditors import CreditorInfo
from app.services.demo import DemoReport

CREDIT_STATUS = {
    "issued": "Emesso", "awaiting_payment": "In attesa di pagamento", "paid": "Pagato",
    "partially_paid": "Parzialmente pagato", "overdue": "Scaduto", "written_off": "Stralciato",
    "in_legal": "In gestione legale",
}  # fmt: skip
SUBJECT_KIND = {
    "person": "Persone", "company": "Società", "condominium": "Condomini", "administrator": "Amministratori",
}  # fmt: skip
ROLL_STATUS = {
    "draft": "Bozza", "sent_to_bank": "Inviato in banca", "notices_issued": "Avvisi emessi",
    "in_collection": "In riscossione", "closed": "Chiuso",
}  # fmt: skip
NOTICE_STATUS = {
    "draft": "Bozza", "requested": "Richiesto alla banca", "issued": "Emesso", "paid": "Pagato",
    "partially_paid": "Parzialmente pagato", "cancelled": "Annullato", "expired": "Scaduto",
}  # fmt: skip
COMMUNICATION_STATUS = {
    "draft": "Bozza", "queued": "In coda", "sending": "In invio", "sent": "Inviata",
    "delivered": "Consegnata", "read": "Letta", "failed": "Non riuscita", "unknown": "Esito sconosciuto",
    "cancelled": "Annullata",
}  # fmt: skip
NOTICE_KIND = {"mav": "MAV", "pagopa": "pagoPA", "transfer": "Bonifico con RF"}


def number(value: int) -> str:
    """An integer with Italian thousands separators: 100.000."""
    return f"{value:,}".replace(",", ".")


def moment(value: datetime) -> str:
    """A timestamp as a clerk reads it, in Rome time: 23/11/2026 alle 15:04."""
    return value.astimezone(ROME).strftime("%d/%m/%Y alle %H:%M")


def euro(value: str | Decimal) -> str:
    """An amount in Italian form: € 1.234,50."""
    text = f"{Decimal(value):,.2f}"
    return "€ " + text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _section(title: str, total: str, rows: list[tuple[str, str]]) -> list[str]:
    lines = [f"{title:<40}{total:>18}"]
    lines += [f"  {label:<38}{value:>18}" for label, value in rows]
    return lines


def _by_status(block: dict[str, Any], labels: dict[str, str]) -> list[tuple[str, str]]:
    return [(labels.get(key, key), number(count)) for key, count in block["by_status"].items() if count]


def summary_text(data: dict[str, Any]) -> str:
    """The summary as an Italian table, one figure per line; states with no records are left out."""
    credits, subjects, admins, payments = (data[k] for k in ("credits", "subjects", "administrators", "payments"))
    lines = [f"Ente creditore: {data['creditor']}"] if data.get("creditor") else ["Tutti gli enti creditori"]
    amounts = [("Importo", euro(credits["amount"])), ("Residuo", euro(credits["outstanding"]))]
    lines += _section("Crediti", number(credits["count"]), amounts + _by_status(credits, CREDIT_STATUS))
    kinds = [(SUBJECT_KIND.get(k, k), number(v)) for k, v in subjects["by_kind"].items() if v]
    lines += _section("Anagrafiche", number(subjects["total"]), kinds)
    largest = [("Massimo condomini per amministratore", number(admins["max_condominiums"]))]
    lines += _section("Amministratori con condomini", number(admins["with_condominiums"]), largest)
    for key, title, labels in (
        ("rolls", "Ruoli", ROLL_STATUS),
        ("notices", "Avvisi di pagamento", NOTICE_STATUS),
        ("communications", "Comunicazioni", COMMUNICATION_STATUS),
    ):
        lines += _section(title, number(data[key]["count"]), _by_status(data[key], labels))
    collected = [
        ("Importo incassato", euro(payments["amount"])),
        ("Non abbinati", number(payments["unmatched"])),
    ]
    lines += _section("Incassi", number(payments["count"]), collected)
    lines += _section("Documenti in archivio", number(data["documents"]["count"]), [])
    return "\n".join(lines)


def creditor_text(info: CreditorInfo) -> str:
    """One creditor, field by field."""
    rows = [
        ("Nome", info.name + (" (da completare)" if info.needs_completion else "")),
        ("Codice fiscale", info.tax_code),
        ("Partita IVA", info.vat_number),
        ("IBAN", info.iban),
        ("ABI", info.abi),
        ("CAB", info.cab),
        ("Conto", info.account),
        ("Codice SIA", info.sia_code),
        ("PEC", info.pec),
        ("Tipo di avviso", NOTICE_KIND.get(info.notice_kind, info.notice_kind.value)),
    ]
    return "\n".join(f"{label:<16}{value or '-'}" for label, value in rows)


def creditors_table(creditors: list[CreditorInfo]) -> str:
    """The creditors, one per line."""
    lines = [f"{'Nome':<40} {'Codice fiscale':<16} {'IBAN':<27} {'SIA':<5} Avvisi"]
    for info in creditors:
        name = info.name + (" *" if info.needs_completion else "")
        kind = NOTICE_KIND.get(info.notice_kind.value, info.notice_kind.value)
        lines.append(f"{name:<40} {info.tax_code or '-':<16} {info.iban or '-':<27} {info.sia_code or '-':<5} {kind}")
    if any(info.needs_completion for info in creditors):
        lines.append("* dati da completare con «creditdesk creditor set»")
    return "\n".join(lines)


def demo_text(report: DemoReport, seconds: float) -> str:
    """The one-line result of ``creditdesk demo``."""
    return (
        f"Dati dimostrativi per «{report.creditor}»: {number(report.credits)} crediti, "
        f"{number(report.subjects)} anagrafiche ({number(report.condominiums)} condomini, "
        f"{number(report.administrators)} amministratori), {number(report.rolls)} ruoli, "
        f"{number(report.notices)} avvisi, {number(report.payments)} incassi in {seconds:.1f} s."
    )
