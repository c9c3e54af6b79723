"""The ``creditdesk`` command on real databases: output, exit codes, and no traceback for a user mistake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from app import __version__
from app.cli.main import main
from app.services.database import Database, head_revision, sqlite_url

REPO = Path(__file__).resolve().parents[2]
IBAN = "IT60 X054 2811 1010 0000 0123 456"


def url_of(db: Database) -> str:
    """The URL the command line needs to open the test database."""
    if db.dialect == "sqlite":
        return sqlite_url(Path(db.url.database or ""))
    return db.url.render_as_string(hide_password=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"creditdesk {__version__}\n", "")


def test_help_is_italian(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and out.startswith("uso: creditdesk") and "comandi" in out


def test_db_upgrade_prints_the_revision(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", url_of(db), "db", "upgrade")
    assert code == 0, err
    assert out.strip().endswith(f"aggiornato alla revisione {head_revision()}.")


def test_summary_json_of_a_new_database(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "summary", "--json", "--db", url_of(db))
    assert code == 0, err
    data = json.loads(out)
    assert set(data) >= {"credits", "subjects", "administrators", "rolls", "notices", "communications",
                         "payments", "documents"}  # fmt: skip
    assert data["credits"] == {
        "count": 0, "amount": "0.00", "outstanding": "0.00",
        "by_status": dict.fromkeys(("issued", "awaiting_payment", "paid", "partially_paid", "overdue",
                                    "written_off", "in_legal"), 0),
    }  # fmt: skip
    assert data["administrators"] == {"with_condominiums": 0, "max_condominiums": 0}
    assert data["payments"] == {"count": 0, "amount": "0.00", "unmatched": 0}
    assert data["documents"] == {"count": 0}


def test_demo_then_summary(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", url_of(db), "demo", "--credits", "400", "--seed", "3")
    assert code == 0, err
    assert out.count("\n") == 1 and "400 crediti" in out and out.rstrip().endswith(" s.")
    assert "100%" in err
    code, out, err = run(capsys, "--db", url_of(db), "summary", "--json")
    data = json.loads(out)
    assert data["credits"]["count"] == 400
    assert sum(data["credits"]["by_status"].values()) == 400
    assert data["subjects"]["total"] == sum(data["subjects"]["by_kind"].values()) > 0
    assert data["administrators"]["max_condominiums"] > 1
    assert data["payments"]["unmatched"] >= 3
    code, out, _ = run(capsys, "--db", url_of(db), "summary")
    assert code == 0 and "Crediti" in out and "400" in out and "€ " in out


def test_creditor_set_iban_then_list(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", url_of(db), "creditor", "set", "--iban", IBAN, "--name", "Consorzio Uno")
    assert code == 0, err
    assert "ABI             05428" in out and "CAB             11101" in out and "000000123456" in out
    code, out, _ = run(capsys, "--db", url_of(db), "creditor", "list")
    assert code == 0 and "Consorzio Uno" in out and "IT60X0542811101000000123456" in out


def test_creditor_add_then_commands_need_a_name(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    url = url_of(db)
    assert run(capsys, "--db", url, "creditor", "add", "Co.Sm.An", "--notice-kind", "pagopa")[0] == 0
    code, _, err = run(capsys, "--db", url, "creditor", "set", "--sia", "A1234")
    assert code == 1 and "più enti creditori: indicare --creditor NOME" in err
    code, out, err = run(capsys, "--db", url, "--creditor", "Co.Sm.An", "creditor", "set", "--sia", "A1234")
    assert code == 0 and "A1234" in out and "pagoPA" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["creditor", "set", "--iban", "IT00 X054 2811 1010 0000 0123 456"], "Errore: IBAN non valido"),
        (["creditor", "set", "--tax-code", "RSSMRA80A01F205Y"], "Errore: Codice fiscale non valido"),
        (["--creditor", "Nessuno", "summary"], "Errore: Ente creditore «Nessuno» non trovato"),
    ],
)
def test_user_errors_give_a_message_and_no_traceback(
    db: Database, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "--db", url_of(db), *argv)
    assert code == 1 and out == ""
    assert err.startswith(message) and "Traceback" not in err


def test_demo_refuses_a_database_with_credits(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--db", url_of(db), "demo", "--credits", "50")[0] == 0
    code, _, err = run(capsys, "--db", url_of(db), "demo", "--credits", "50")
    assert code == 1 and "ha già crediti" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["demo"], "mancano gli argomenti obbligatori: --credits"),
        (["demo", "--credits", "molti"], "argomento --credits: «molti» non è un numero intero"),
        (["creditor", "set", "--notice-kind", "assegno"], "scelta non valida"),
        (["frobnicate"], "scelta non valida: 'frobnicate'"),
        (["creditor", "set"], "Nessuna modifica"),
    ],
)
def test_command_line_mistakes_exit_2_in_italian(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_unreachable_database_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", "postgresql://nessuno@127.0.0.1:1/creditdesk", "summary")
    assert code == 1 and "Impossibile collegarsi a PostgreSQL" in err and "Traceback" not in err


def test_database_from_the_environment(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREDITDESK_DB", url_of(db))
    code, out, _ = run(capsys, "creditor", "list")
    assert code == 0 and "Nuovo ente creditore" in out


def test_no_command_opens_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str | None] = []

    def run_window(db_override: str | None) -> int:
        opened.append(db_override)
        return 7

    fake = types.ModuleType("app.ui.application")
    fake.run_window = run_window  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.ui.application", fake)
    assert main(["--db", "sqlite:///x.sqlite3"]) == 7
    assert opened == ["sqlite:///x.sqlite3"]


def test_window_that_cannot_load_gives_a_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "app.ui.application", None)  # importing it now raises ImportError
    code, _, err = run(capsys)
    assert code == 1 and "impossibile aprire la finestra" in err and "Traceback" not in err


def test_python_m_app_runs_the_real_entry_point() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "app", "--version"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, f"creditdesk {__version__}\n", "")
