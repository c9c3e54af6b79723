"""``creditdesk import schedule`` on real databases: exit 0 applied, 1 refused with each error, 2 unreadable."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.models import Credit
from app.services.database import Database
from tests.cli.test_main import run, url_of
from tests.support.erp_files import sample_lines, write_csv, write_xlsx


def credit_count(db: Database) -> int:
    with db.read_session() as session:
        return session.scalar(select(func.count()).select_from(Credit)) or 0


def test_a_good_file_is_applied_and_summarised(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "scadenziario.xlsx", sample_lines(40, seed=2))
    code, out, err = run(capsys, "--db", url_of(db), "import", "schedule", str(path))
    assert code == 0, err
    assert "Importazione di scadenziario.xlsx completata" in out and "crediti nuovi: 40" in out
    assert credit_count(db) == 40
    again, out, _ = run(capsys, "--db", url_of(db), "import", "schedule", str(path))
    assert again == 0 and "è già stato importato" in out and "nessuna modifica" in out
    assert credit_count(db) == 40


def test_a_dry_run_writes_nothing(db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "scadenziario.csv", sample_lines(15, seed=3), encoding="cp1252")
    code, out, err = run(capsys, "--db", url_of(db), "import", "schedule", str(path), "--dry-run")
    assert code == 0, err
    assert "Controllo riuscito" in out and "crediti nuovi: 15" in out
    assert credit_count(db) == 0


def test_a_refused_file_prints_each_error_and_writes_the_report(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = sample_lines(12, seed=4)
    lines[5] = dataclasses.replace(lines[5], reference="")
    lines[9] = dataclasses.replace(lines[9], amount=-lines[9].amount, paid=lines[9].paid * 0)
    path = write_csv(tmp_path / "errato.csv", lines)
    report = tmp_path / "errori.xlsx"
    code, _, err = run(capsys, "--db", url_of(db), "import", "schedule", str(path), "--errors", str(report))
    assert code == 1
    assert "errato.csv, riga 7, colonna «N. Fattura» (I): numero del documento mancante" in err
    assert "riga 11, colonna «Importo» (M), valore «-" in err and "importo negativo" in err
    assert "colonna «Residuo» (O), valore «-" in err  # both negative cells of row 11 are named
    assert "Importazione rifiutata: 3 errori, nessuna modifica al database." in err
    assert credit_count(db) == 0
    assert len(list(load_workbook(report)["Segnalazioni"].iter_rows(min_row=2))) >= 2


def test_a_file_that_is_not_a_spreadsheet_exits_2(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "fattura.xlsx"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    code, out, err = run(capsys, "--db", url_of(db), "import", "schedule", str(path))
    assert code == 2 and out == ""
    assert err.startswith("Errore: ") and "fattura.xlsx" in err and "Traceback" not in err


def test_a_missing_profile_is_named(db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", sample_lines(3, seed=1))
    code, _, err = run(capsys, "--db", url_of(db), "import", "schedule", str(path), "--profile", "Zucchetti")
    assert code == 1 and "Il profilo di importazione «Zucchetti» non esiste" in err
