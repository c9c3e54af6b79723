"""The payment instructions printed on a notice: a default Italian text per kind, edited by the supervisor, whose
``{placeholders}`` are checked before use and filled with plain values that are never read as markup or as
placeholders again."""

from __future__ import annotations

import string
from collections.abc import Mapping

from app.models.enums import NoticeKind
from app.services.errors import InvalidInput
from app.services.notices.document import NoticeDocument
from app.services.notices.pdf_text import format_date, format_money, group, printable_code

# Placeholder → what it prints, for the supervisor's editor. Italian names: the supervisor types them.
COMMON_PLACEHOLDERS: dict[str, str] = {
    "ente": "nome dell'ente creditore",
    "importo": "importo da pagare (1.234,56 €)",
    "scadenza": "data di scadenza (31/01/2027)",
    "codice": "codice di pagamento: codice MAV, codice avviso pagoPA o riferimento RF",
    "destinatario": "nome del destinatario dell'avviso",
    "intestatario": "nome dell'intestatario delle fatture (il destinatario se coincide)",
    "ruolo": "nome del ruolo",
    "telefono": "telefono dell'ente",
    "email": "e-mail dell'ente",
    "pec": "PEC dell'ente",
}
KIND_PLACEHOLDERS: dict[NoticeKind, dict[str, str]] = {
    NoticeKind.MAV: {},
    NoticeKind.PAGOPA: {
        "codice_fiscale_ente": "codice fiscale dell'ente creditore per pagoPA",
        "cbill": "codice CBILL dell'ente",
    },
    NoticeKind.TRANSFER: {"iban": "IBAN dell'ente, a gruppi di quattro", "bic": "BIC della banca dell'ente"},
}

_KIND_LABELS = {NoticeKind.MAV: "MAV", NoticeKind.PAGOPA: "pagoPA", NoticeKind.TRANSFER: "con bonifico"}

_CLOSING = "Se hai già pagato, non tenere conto di questo avviso. Per informazioni contatta {ente}."
DEFAULT_TEMPLATES: dict[NoticeKind, str] = {
    NoticeKind.MAV: (
        "Puoi pagare entro il {scadenza} presso qualsiasi banca, allo sportello, con l'home banking o agli ATM "
        "abilitati, indicando il codice MAV {codice}. Conserva la ricevuta: è la prova del pagamento.\n\n" + _CLOSING
    ),
    NoticeKind.PAGOPA: (
        "Puoi pagare entro il {scadenza} con pagoPA: con l'app IO, sul sito o sull'app della tua banca, presso "
        "gli sportelli bancari, gli uffici postali e i punti vendita abilitati. Inquadra il codice QR oppure "
        "indica il codice avviso {codice} e il codice fiscale dell'ente {codice_fiscale_ente}.\n\n" + _CLOSING
    ),
    NoticeKind.TRANSFER: (
        "Puoi pagare entro il {scadenza} con un bonifico sull'IBAN {iban} intestato a {ente}, indicando come "
        "causale il riferimento {codice}: ci permette di abbinare subito il pagamento a questo avviso. Con l'app "
        "della tua banca puoi inquadrare il codice QR: i dati del bonifico si compilano da soli.\n\n" + _CLOSING
    ),
}


def placeholders(kind: NoticeKind) -> dict[str, str]:
    """Every placeholder a template for ``kind`` may use, with the Italian description the editor shows."""
    return {**COMMON_PLACEHOLDERS, **KIND_PLACEHOLDERS[kind]}


def default_template(kind: NoticeKind) -> str:
    """The instructions printed when the supervisor has not written their own for ``kind``."""
    return DEFAULT_TEMPLATES[kind]


def check_template(template: str, kind: NoticeKind) -> list[str]:
    """Problems that stop ``template`` from being used for ``kind``, as Italian sentences; empty when usable.

    Reported: braces that do not pair (a literal brace is written ``{{`` or ``}}``), unknown placeholders,
    placeholders of another kind of notice, and anything but a bare name between braces.
    """
    try:
        fields = [
            _field_text(name, spec, conversion) for _, name, spec, conversion in _parse(template) if name is not None
        ]
    except ValueError:
        return ["Una parentesi graffa non è chiusa: per stampare { o } scrivere {{ o }}."]
    allowed = placeholders(kind)
    problems = (_field_problem(field, allowed, kind) for field in dict.fromkeys(fields))
    return [problem for problem in problems if problem]


def _field_text(name: str, spec: str | None, conversion: str | None) -> str:
    """The placeholder as the supervisor wrote it, between the braces."""
    return name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")


def _field_problem(field: str, allowed: Mapping[str, str], kind: NoticeKind) -> str | None:
    if field in allowed:
        return None
    if not field.isidentifier():
        return f"Segnaposto non valido «{{{field}}}»: fra le graffe va solo un nome, ad esempio {{importo}}."
    if any(field in names for names in KIND_PLACEHOLDERS.values()):
        return f"Il segnaposto {{{field}}} non è disponibile per gli avvisi {_KIND_LABELS[kind]}."
    choices = ", ".join(f"{{{name}}}" for name in allowed)
    return f"Segnaposto sconosciuto {{{field}}}: quelli disponibili sono {choices}."


def fill_template(template: str, values: Mapping[str, str]) -> str:
    """``template`` with each ``{name}`` replaced by ``values[name]`` as plain text, in one pass.

    A value containing braces or markup (``<b>``, ``&``) is copied as it is. Raises ``KeyError`` for a name
    missing from ``values``: check the template with ``check_template`` first.
    """
    parts: list[str] = []
    for literal, name, _, _ in _parse(template):
        parts.append(literal)
        if name is not None:
            parts.append(values[name])
    return "".join(parts)


def notice_values(document: NoticeDocument) -> dict[str, str]:
    """The value of every placeholder for ``document``'s kind, formatted as the notice prints them."""
    creditor = document.creditor
    values = {
        "ente": creditor.name,
        "importo": format_money(document.amount),
        "scadenza": format_date(document.due_date),
        "codice": printable_code(document.kind, document.code),
        "destinatario": document.recipient.name,
        "intestatario": (document.holder or document.recipient).name,
        "ruolo": document.roll_name,
        "telefono": creditor.phone or "",
        "email": creditor.email or "",
        "pec": creditor.pec or "",
    }
    if document.kind is NoticeKind.PAGOPA:
        values |= {"codice_fiscale_ente": creditor.pagopa_tax_code or "", "cbill": creditor.cbill_code or ""}
    elif document.kind is NoticeKind.TRANSFER:
        values |= {"iban": group(creditor.iban or ""), "bic": creditor.bic or ""}
    return values


def fill_instructions(template: str | None, document: NoticeDocument) -> str:
    """The instructions for ``document``: ``template`` (the kind's default when None) filled with its values.

    Raises InvalidInput, listing every problem, when the template cannot be used for this kind of notice.
    """
    text = default_template(document.kind) if template is None else template
    problems = check_template(text, document.kind)
    if problems:
        raise InvalidInput("Il testo delle istruzioni di pagamento non va bene: " + " ".join(problems))
    return fill_template(text, notice_values(document))


def _parse(template: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return list(string.Formatter().parse(template))
