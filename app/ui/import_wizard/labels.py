"""The words the import wizard shows for fields, severities and counts, translated through Qt."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.services.imports import Field, Severity

translate = QCoreApplication.translate


def field_label(field: Field) -> str:
    """What a field of the schedule is called on screen."""
    labels = {
        Field.REFERENCE: translate("ImportLabels", "Numero documento"),
        Field.INSTALMENT: translate("ImportLabels", "Numero rata"),
        Field.KIND: translate("ImportLabels", "Tipo documento"),
        Field.ISSUE_DATE: translate("ImportLabels", "Data documento"),
        Field.DUE_DATE: translate("ImportLabels", "Scadenza"),
        Field.AMOUNT: translate("ImportLabels", "Importo"),
        Field.PAID: translate("ImportLabels", "Pagato"),
        Field.OUTSTANDING: translate("ImportLabels", "Residuo"),
        Field.STATUS: translate("ImportLabels", "Stato"),
        Field.INSTALLATION: translate("ImportLabels", "Impianto / polizza"),
        Field.HOLDER_NAME: translate("ImportLabels", "Intestatario (ragione sociale)"),
        Field.HOLDER_TAX_CODE: translate("ImportLabels", "Codice fiscale intestatario"),
        Field.HOLDER_VAT_NUMBER: translate("ImportLabels", "Partita IVA intestatario"),
        Field.STREET: translate("ImportLabels", "Indirizzo"),
        Field.POSTAL_CODE: translate("ImportLabels", "CAP"),
        Field.CITY: translate("ImportLabels", "Comune"),
        Field.PROVINCE: translate("ImportLabels", "Provincia"),
        Field.ADMINISTRATOR_NAME: translate("ImportLabels", "Amministratore"),
        Field.ADMINISTRATOR_TAX_CODE: translate("ImportLabels", "Codice fiscale amministratore"),
        Field.ADMINISTRATOR_VAT_NUMBER: translate("ImportLabels", "Partita IVA amministratore"),
        Field.PEC: translate("ImportLabels", "PEC"),
        Field.EMAIL: translate("ImportLabels", "E-mail"),
        Field.MOBILE: translate("ImportLabels", "Cellulare"),
        Field.NOTES: translate("ImportLabels", "Note"),
    }
    return labels[field]


def severity_label(severity: Severity | None) -> str:
    """Errore, Avviso, or OK for a row with nothing wrong."""
    if severity is Severity.ERROR:
        return translate("ImportLabels", "Errore")
    if severity is Severity.WARNING:
        return translate("ImportLabels", "Avviso")
    return translate("ImportLabels", "OK")


def count_labels() -> dict[str, str]:
    """Each of ImportCounts' numbers, named as the summary and the report name them."""
    labels = {
        "rows": translate("ImportLabels", "Righe lette"),
        "created": translate("ImportLabels", "Crediti nuovi"),
        "updated": translate("ImportLabels", "Crediti aggiornati"),
        "unchanged": translate("ImportLabels", "Crediti invariati"),
        "duplicates": translate("ImportLabels", "Righe doppie (contate una volta)"),
        "subjects_created": translate("ImportLabels", "Anagrafiche nuove"),
        "subjects_updated": translate("ImportLabels", "Anagrafiche aggiornate"),
        "administrator_changes": translate("ImportLabels", "Cambi di amministratore"),
        "missing": translate("ImportLabels", "Crediti aperti non più nel file"),
        "errors": translate("ImportLabels", "Errori"),
        "warnings": translate("ImportLabels", "Avvisi"),
    }
    return labels


def report_labels() -> dict[str, str]:
    """The titles of the .xlsx report's sheets and columns, in the interface's language."""
    return {
        "issues": translate("ImportLabels", "Segnalazioni"),
        "severity": translate("ImportLabels", "Gravità"),
        "file": translate("ImportLabels", "File"),
        "sheet": translate("ImportLabels", "Foglio"),
        "row": translate("ImportLabels", "Riga"),
        "column": translate("ImportLabels", "Colonna"),
        "letter": translate("ImportLabels", "Lettera"),
        "value": translate("ImportLabels", "Valore"),
        "message": translate("ImportLabels", "Problema"),
        Severity.ERROR: severity_label(Severity.ERROR),
        Severity.WARNING: severity_label(Severity.WARNING),
        "missing": translate("ImportLabels", "Non più nel file"),
        "reference": field_label(Field.REFERENCE),
        "holder": translate("ImportLabels", "Cliente"),
        "due_date": field_label(Field.DUE_DATE),
        "outstanding": field_label(Field.OUTSTANDING),
        "summary": translate("ImportLabels", "Riepilogo"),
        "item": translate("ImportLabels", "Voce"),
        "count": translate("ImportLabels", "Numero"),
    }
