"""``creditdesk policy …`` on real databases: list, show, export, import (validated as the window's Save) and
preview with a real credit."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.models import CreditKind, SubjectKind
from app.services.database import Database
from app.services.dunning.policies import find_policy, list_policies
from app.services.unit_of_work import UnitOfWork
from tests.cli.test_main import run, url_of
from tests.support.builders import Builder


def _world(db: Database) -> int:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Co.Sm.An")
        make.credit(make.subject("Rossi Mario"), "40.00", reference="R-1", due=date(2027, 2, 26))
        bianchi = make.subject("Studio Bianchi", SubjectKind.ADMINISTRATOR)
        for number in (1, 2):
            condo = make.subject(f"Condominio {number}", SubjectKind.CONDOMINIUM)
            make.credit(condo, "10.00", payer=bianchi, reference=f"B-{number}", due=date(2027, 2, 26))
        creditor_id = make.creditor.id
        uow.commit()
    return creditor_id


def test_list_and_show_the_default_policy(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    _world(db)
    code, out, err = run(capsys, "--db", url_of(db), "policy", "list")
    assert code == 0, err
    assert out.splitlines()[1].split() == ["Procedura", "standard", "tutti", "i", "tipi", "(predefinita)", "4",
                                           "09:00-19:00", "dopo", "l'approvazione"]  # fmt: skip
    code, out, err = run(capsys, "--db", url_of(db), "policy", "show", "procedura standard")
    assert code == 0, err
    assert out.startswith("Procedura «Procedura standard»: tutti i tipi (predefinita)\n"
                          "Invio dopo l'approvazione, dalle 09:00 alle 19:00\n\n"
                          "1. Promemoria scadenza: 10 giorni prima della scadenza\n"
                          "   Canali: WhatsApp → e-mail → posta\n   Modello WhatsApp: promemoria_scadenza\n"
                          "   Testo:\n     Gentile {nome}, le ricordiamo una comunicazione di {ente}.\n")  # fmt: skip
    code, _, err = run(capsys, "--db", url_of(db), "policy", "show", "Polizze")
    assert code == 1 and "Procedura di sollecito «Polizze» non trovata" in err


def test_export_then_import_as_a_new_policy_and_back_over_the_old_one(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    creditor_id = _world(db)
    exported = tmp_path / "standard.json"
    code, out, err = run(capsys, "--db", url_of(db), "policy", "export", "Procedura standard", str(exported))
    assert code == 0 and "4 livelli" in out, err
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert (data["format"], data["send_from"], data["levels"][3]["channels"]) == (
        "creditdesk.dunning_policy", "09:00", ["pec", "registered_letter"])  # fmt: skip
    # GIVEN the file edited into a policy for insurance premiums, with three levels
    data.update(name="Polizze", credit_kind="policy", automatic=True, send_until="18:30", levels=data["levels"][1:])
    edited = tmp_path / "polizze.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(capsys, "--db", url_of(db), "policy", "import", str(edited))
    assert (code, out.strip()) == (0, "Procedura «Polizze» creata: 3 livelli."), err
    policy = find_policy(db, creditor_id, "Polizze")
    assert (policy.credit_kind, policy.automatic, policy.send_until) == (CreditKind.POLICY, True, 18 * 60 + 30)
    # WHEN the standard policy comes back with a level's days changed, it is updated, its levels kept
    before = find_policy(db, creditor_id, "Procedura standard")
    standard = json.loads(exported.read_text(encoding="utf-8"))
    standard["levels"][1]["offset_days"] = 25
    exported.write_text(json.dumps(standard), encoding="utf-8")
    code, out, err = run(capsys, "--db", url_of(db), "policy", "import", str(exported))
    assert (code, out.strip()) == (0, "Procedura «Procedura standard» aggiornata: 4 livelli."), err
    after = find_policy(db, creditor_id, "Procedura standard")
    assert [level.id for level in after.levels] == [level.id for level in before.levels]
    assert after.levels[1].offset_days == 25
    assert [p.name for p in list_policies(db, creditor_id)] == ["Procedura standard", "Polizze"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"levels": [{"name": "Uno", "offset_days": 5, "channels": ["whatsapp"], "template": "Ciao {nome}",
                      "provider_template": None, "min_outstanding": "0"}]},
         "Livello 1 «Uno», modello WhatsApp: WhatsApp invia solo i modelli approvati"),
        ({"send_from": "9.00"}, "Campo «send_from»: «9.00» non è un orario"),
        ({"credit_kind": "car"}, "Campo «credit_kind»: «car» non è un tipo di credito"),
        ({"automatic": "yes"}, "Campo «automatic»: valore \"yes\" non valido."),
        ({"format": "other"}, "non è una procedura di sollecito scritta da «creditdesk policy export»"),
    ],
)  # fmt: skip
def test_an_invalid_file_is_refused_and_nothing_is_written(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path, change: dict[str, object], message: str
) -> None:
    creditor_id = _world(db)
    data = {"format": "creditdesk.dunning_policy", "version": 1, "name": "Rate", "credit_kind": "instalment",
            "automatic": False, "send_from": "09:00", "send_until": "19:00",
            "levels": [{"name": "Primo", "offset_days": 20, "channels": ["email"], "provider_template": None,
                        "min_outstanding": "0.00", "template": "Gentile {nome},\n{importo}"}], **change}  # fmt: skip
    path = tmp_path / "rate.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(capsys, "--db", url_of(db), "policy", "import", str(path))
    assert code == 1 and message in err, err
    assert [p.name for p in list_policies(db, creditor_id)] == ["Procedura standard"]


def test_preview_a_level_with_the_administrators_or_a_chosen_credit(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    _world(db)
    code, out, err = run(capsys, "--db", url_of(db), "policy", "preview", "Procedura standard", "--level", "2")
    assert code == 0, err
    assert err.startswith("Livello 2 «Primo sollecito» con il credito B-")
    assert out.startswith("Gentile Studio Bianchi, una comunicazione di Co.Sm.An.\nNon risulta ancora il pagamento "
                          "di 20,00 € scaduto il 26/02/2027 (codice B-1, B-2).")  # fmt: skip
    code, out, err = run(capsys, "--db", url_of(db), "policy", "preview", "Procedura standard", "--level", "1",
                         "--credit", "r-1")  # fmt: skip
    assert code == 0 and out.startswith("Gentile Rossi Mario, le ricordiamo"), err
    code, _, err = run(capsys, "--db", url_of(db), "policy", "preview", "Procedura standard", "--level", "9")
    assert code == 1 and "ha 4 livelli: --level da 1 a 4" in err
    code, _, err = run(capsys, "--db", url_of(db), "policy", "preview", "Procedura standard", "--level", "0")
    assert code == 2 and "non è il numero di un livello" in err
    code, _, err = run(capsys, "--db", url_of(db), "policy", "preview", "Procedura standard", "--level", "1",
                       "--credit", "X-9")  # fmt: skip
    assert code == 1 and "Nessun credito da pagare con numero «X-9»" in err
