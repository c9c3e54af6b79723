"""Payment-instructions templates: defaults that work, placeholders checked, values copied as plain text."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.models.enums import NoticeKind
from app.services.errors import InvalidInput
from app.services.notices.document import CreditorBlock
from app.services.notices.instructions import (
    check_template,
    default_template,
    fill_instructions,
    fill_template,
    notice_values,
    placeholders,
)
from app.services.notices.samples import sample_document


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_default_template_is_usable_and_fills_completely(kind: NoticeKind) -> None:
    assert check_template(default_template(kind), kind) == []
    document = sample_document(kind)
    text = fill_instructions(None, document)
    assert "{" not in text and "}" not in text
    assert "31/01/2027" in text


def test_placeholders_are_filled_as_the_notice_prints_them() -> None:
    document = sample_document(NoticeKind.TRANSFER)
    text = fill_instructions("Paga {importo} entro il {scadenza} su {iban}, causale {codice}.", document)
    assert text == (
        "Paga 608,00 € entro il 31/01/2027 su IT60 X054 2811 1010 0000 0123 456, "
        f"causale {notice_values(document)['codice']}."
    )
    assert notice_values(document)["codice"].startswith("RF")


def test_a_draft_says_the_code_is_yet_to_be_assigned() -> None:
    document = replace(sample_document(NoticeKind.MAV), code=None)
    assert fill_instructions("Codice MAV: {codice}", document) == "Codice MAV: da assegnare"


def test_unknown_placeholders_are_reported_once_each_with_the_choices() -> None:
    problems = check_template("Paga {importo} {importoo} entro {scadenza} {importoo}", NoticeKind.MAV)
    assert len(problems) == 1
    assert "{importoo}" in problems[0] and "{importo}" in problems[0]


def test_a_placeholder_of_another_kind_is_reported_as_such() -> None:
    problems = check_template("IBAN {iban}", NoticeKind.PAGOPA)
    assert problems == ["Il segnaposto {iban} non è disponibile per gli avvisi pagoPA."]
    assert check_template("IBAN {iban}", NoticeKind.TRANSFER) == []


@pytest.mark.parametrize("template", ["{importo:>10}", "{ente!r}", "{ente.__class__}", "{}", "{0}", "{ente[0]}"])
def test_anything_but_a_bare_name_is_refused(template: str) -> None:
    problems = check_template(template, NoticeKind.MAV)
    assert len(problems) == 1
    assert problems[0].startswith(f"Segnaposto non valido «{template}»")


@pytest.mark.parametrize("template", ["Paga {importo", "Paga importo}", "{"])
def test_braces_that_do_not_pair_are_reported(template: str) -> None:
    assert check_template(template, NoticeKind.MAV) == [
        "Una parentesi graffa non è chiusa: per stampare { o } scrivere {{ o }}."
    ]


def test_doubled_braces_print_one_brace() -> None:
    assert check_template("Tra {{graffe}}: {importo}", NoticeKind.MAV) == []
    assert fill_template("Tra {{graffe}}: {importo}", {"importo": "1,00 €"}) == "Tra {graffe}: 1,00 €"


def test_values_are_copied_literally_never_read_as_markup_or_placeholders() -> None:
    values = {"ente": "<b>Rossi & Figli</b> {importo} %s {{x}}", "importo": "5,00 €"}
    assert fill_template("Ente: {ente}; importo {importo}", values) == (
        "Ente: <b>Rossi & Figli</b> {importo} %s {{x}}; importo 5,00 €"
    )


def test_a_creditor_named_like_markup_fills_literally() -> None:
    document = sample_document(NoticeKind.MAV)
    document = replace(document, creditor=replace(document.creditor, name="Rossi & Figli <S.r.l.>"))
    assert fill_instructions("Contatta {ente}.", document) == "Contatta Rossi & Figli <S.r.l.>."


def test_an_unusable_template_stops_filling_with_every_problem() -> None:
    with pytest.raises(InvalidInput) as raised:
        fill_instructions("{cbill} {nome}", sample_document(NoticeKind.MAV))
    assert "{cbill}" in str(raised.value) and "{nome}" in str(raised.value)


def test_missing_optional_values_fill_empty() -> None:
    document = sample_document(NoticeKind.PAGOPA)
    bare = CreditorBlock(name="Ente", pagopa_tax_code="01234567897")
    assert fill_instructions("[{telefono}][{cbill}]", replace(document, creditor=bare)) == "[][]"


def test_each_kind_offers_the_common_placeholders_and_its_own() -> None:
    assert {"importo", "scadenza", "codice", "ente"} <= placeholders(NoticeKind.MAV).keys()
    assert "codice_fiscale_ente" in placeholders(NoticeKind.PAGOPA)
    assert "iban" in placeholders(NoticeKind.TRANSFER) and "iban" not in placeholders(NoticeKind.MAV)
