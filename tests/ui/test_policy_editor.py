"""The dunning policy editor with pytest-qt: open it, edit a level's text, watch the preview, save, and see a
revealing first line refused with the service's words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.models import CreditKind, Creditor, SubjectKind
from app.services.dunning.policies import list_policies, load_policy
from app.services.unit_of_work import UnitOfWork
from app.ui.ops import wait_for_operations
from app.ui.widgets.policy_editor import PolicyEditorDialog
from tests.support.builders import Builder

DUE = date(2090, 3, 31)


@pytest.fixture(autouse=True)
def settled() -> Iterator[None]:
    """Let every background query finish, so none runs into the next test's database."""
    yield
    for _ in range(3):
        wait_for_operations()
        QCoreApplication.processEvents()


def _administrator(context: AppContext) -> None:
    with UnitOfWork(context.db) as uow:
        make = Builder.for_creditor(uow.session, context.creditor_id())
        make.credit(make.subject("Rossi Mario"), "40.00", reference="R-1", due=DUE)
        bianchi = make.subject("Studio Bianchi", SubjectKind.ADMINISTRATOR)
        for number in (1, 2):
            condo = make.subject(f"Condominio Via Roma {number}", SubjectKind.CONDOMINIUM)
            make.assign(condo, bianchi, date(2020, 1, 1))
            make.credit(condo, f"{number}00.00", payer=bianchi, reference=f"B-{number}", due=DUE)
        uow.commit()


def _answer(monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton) -> None:
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *_args: answer))


@pytest.fixture
def dialog(qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch) -> PolicyEditorDialog:
    """The editor over the default policy, an administrator with two condominiums and a private debtor; asked
    whether to drop unsaved changes when it closes, the clerk says yes."""
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    _administrator(context)
    widget = PolicyEditorDialog(context)
    qtbot.addWidget(widget)
    with qtbot.waitSignals([widget.policies_shown, widget.policy_loaded, widget.level_editor.candidates_shown],
                           timeout=15000):  # fmt: skip
        widget.show()
    qtbot.waitUntil(lambda: "Studio Bianchi" in widget.level_editor.preview_edit.toPlainText(), timeout=10000)
    return widget


def _type_template(qtbot: QtBot, dialog: PolicyEditorDialog, text: str) -> None:
    with qtbot.waitSignal(dialog.preview_shown, timeout=10000):
        dialog.level_editor.template_edit.setPlainText(text)


def test_it_opens_on_the_default_policy_with_a_real_administrators_preview(dialog: PolicyEditorDialog) -> None:
    assert dialog.policy_list.count() == 1 and dialog.policy_list.item(0).text() == "Procedura standard (tutti)"
    assert dialog.levels_model.rowCount() == 4
    QAbstractItemModelTester(dialog.levels_model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    row = [dialog.levels_model.index(0, column).data() for column in range(6)]
    assert row == ["1", "Promemoria scadenza", "10 giorni prima della scadenza", "WhatsApp → E-mail → Posta", "—",
                   "promemoria_scadenza"]  # fmt: skip
    editor = dialog.level_editor
    assert editor.name_edit.text() == "Promemoria scadenza"
    assert editor.example_combo.currentText().startswith("Studio Bianchi (2 condomini) · B-")
    assert editor.lock_screen_label.text() == (
        "Sul telefono bloccato si legge: «Gentile Studio Bianchi, le ricordiamo una comunicazione di "
        "Nuovo ente creditore.»"
    )
    assert editor.placeholder_buttons["condomini"].toolTip().startswith("Inserisce {condomini}: elenco dei condomini")
    assert not dialog.automatic_warning_label.isVisible()
    dialog.automatic_check.setChecked(True)
    assert dialog.automatic_warning_label.isVisible()
    assert "senza l'approvazione di un operatore" in dialog.automatic_warning_label.text()


def test_editing_a_levels_text_updates_the_preview_and_saving_persists_it(
    qtbot: QtBot, dialog: PolicyEditorDialog, context: AppContext
) -> None:
    editor = dialog.level_editor
    # GIVEN the clerk selects the second level and rewrites its text, inserting the condominium list by button
    dialog.levels_table.selectRow(1)
    _type_template(qtbot, dialog, "Buongiorno {nome}.\nResiduo {importo}:\n")
    editor.template_edit.moveCursor(editor.template_edit.textCursor().MoveOperation.End)
    with qtbot.waitSignal(dialog.preview_shown, timeout=10000) as shown:
        editor.placeholder_buttons["condomini"].click()
    # THEN the preview shows the administrator's data, condominium by condominium
    assert shown.args == ["Buongiorno Studio Bianchi.\nResiduo 300,00 €:\n"
                          "- Condominio Via Roma 1: 100,00 € (codice B-1)\n"
                          "- Condominio Via Roma 2: 200,00 € (codice B-2)"]  # fmt: skip
    # WHEN another credit is chosen as the example
    with qtbot.waitSignal(editor.candidates_shown, timeout=10000):
        editor.example_search_edit.setText("R-1")
    qtbot.waitUntil(lambda: editor.preview_edit.toPlainText().startswith("Buongiorno Rossi Mario."), timeout=10000)
    # WHEN the clerk also moves the level, sets a minimum, and saves
    editor.offset_spin.setValue(25)
    editor.min_amount_spin.setValue(50)
    assert dialog.levels_model.index(1, 2).data() == "25 giorni dopo la scadenza"
    with qtbot.waitSignals([dialog.policy_saved, dialog.policy_loaded], timeout=15000):
        dialog.save_button.click()
    # THEN it is stored, and the dialog shows what was stored
    (summary,) = list_policies(context.db, context.creditor_id())
    stored = load_policy(context.db, summary.id).levels[1]
    assert (stored.name, stored.offset_days, str(stored.min_outstanding)) == ("Primo sollecito", 25, "50.00")
    assert stored.template == "Buongiorno {nome}.\nResiduo {importo}:\n{condomini}"
    assert dialog.error_label.text() == "" and dialog.message_label.text() == "Procedura salvata."
    assert dialog.levels_table.currentIndex().row() == 1


def test_a_revealing_first_line_is_refused_with_the_services_message(
    qtbot: QtBot, dialog: PolicyEditorDialog, context: AppContext
) -> None:
    _type_template(qtbot, dialog, "Sollecito di pagamento: {importo}\nGrazie.")
    # the editor warns as the clerk types…
    assert "La prima riga «Sollecito di pagamento: {importo}» rivela il debito" in (
        dialog.level_editor.problems_label.text())  # fmt: skip
    assert dialog.levels_model.index(0, 1).data(0x9)  # the level's name is flagged (foreground role)
    # …and the save is refused with the service's own words
    with qtbot.waitSignal(dialog.save_refused, timeout=10000) as refused:
        dialog.save_button.click()
    assert refused.args[0].startswith("Livello 1 «Promemoria scadenza», testo: la prima riga «Sollecito di pagamento")
    assert dialog.error_label.text() == refused.args[0]
    (summary,) = list_policies(context.db, context.creditor_id())
    assert load_policy(context.db, summary.id).levels[0].template.startswith("Gentile {nome}")


def test_a_new_policy_for_a_kind_of_credit_is_created_and_listed(
    qtbot: QtBot, dialog: PolicyEditorDialog, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog.new_button.click()
    assert dialog.policy_list.count() == 2 and dialog.kind_combo.currentData() == CreditKind.INVOICE.value
    dialog.name_edit.setText("Fatture TREE")
    dialog.add_level_button.click()
    assert dialog.levels_model.rowCount() == 2 and dialog.level_editor.offset_spin.value() == 40
    with qtbot.waitSignals([dialog.policy_saved, dialog.policies_shown], timeout=15000):
        dialog.save_button.click()
    names = [(p.name, p.credit_kind, p.levels) for p in list_policies(context.db, context.creditor_id())]
    assert names == [("Procedura standard", None, 4), ("Fatture TREE", CreditKind.INVOICE, 2)]
    # switching with unsaved changes asks first; "No" keeps the clerk where they are
    dialog.name_edit.setText("Fatture")
    dialog.name_edit.textEdited.emit("Fatture")
    _answer(monkeypatch, QMessageBox.StandardButton.No)
    dialog.policy_list.setCurrentRow(0)
    assert dialog.policy_list.currentRow() == 1 and dialog.name_edit.text() == "Fatture"
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.policy_loaded, timeout=10000):
        dialog.policy_list.setCurrentRow(0)
    assert dialog.name_edit.text() == "Procedura standard"


def test_the_default_policy_cannot_be_deleted(
    qtbot: QtBot, dialog: PolicyEditorDialog, monkeypatch: pytest.MonkeyPatch, context: AppContext
) -> None:
    qtbot.waitUntil(lambda: dialog.delete_button.isEnabled())
    dialog.delete_button.click()
    qtbot.waitUntil(lambda: "non si può eliminare" in dialog.error_label.text(), timeout=10000)
    with UnitOfWork(context.db) as uow:
        assert uow.session.get(Creditor, context.creditor_id()) is not None
