"""Time the schedule import against bare python-calamine: ``python tests/benchmarks/bench_import.py [--rows N]
[--pg URL]``.

Writes a realistic ERP export of N rows (xlsx, and the same data as CSV), then, each in a fresh process so that
its peak RSS is its own: calamine reading the xlsx into Python values (the yardstick); the full import into a new
SQLite database; the re-import of the same export with 1% of rows changed; the same two on PostgreSQL (a
throw-away database on the server at ``--pg``); the CSV import into a new SQLite database. Prints one JSON line
with seconds, ratios to the bare read and peak RSS in MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

TODAY = date(2026, 11, 23)


def _peak_rss_mb() -> float | None:
    # VmHWM, not getrusage: a child's ru_maxrss starts from its parent's at fork, and the parent holds the data.
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    kilobytes = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return round(kilobytes / 1024, 1)


def _bare(path: Path) -> float:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    workbook = CalamineWorkbook.from_path(str(path))
    for _ in workbook.get_sheet_by_index(0).iter_rows():
        pass  # each row becomes Python values, as the import needs them
    return time.perf_counter() - started


def _import(path: Path, url: str, archive: Path) -> float:
    from app.bootstrap import prepare
    from app.services.creditors import resolve_creditor
    from app.services.database import open_database
    from app.services.imports import ImportOutcome, ImportRequest, import_schedule

    db = open_database(url)
    try:
        prepare(db, user_login="bench")
        with db.read_session() as session:
            creditor_id = resolve_creditor(session, None).id
        started = time.perf_counter()
        result = import_schedule(
            db, creditor_id, ImportRequest(path=path), user_login="bench", archive_folder=archive, today=TODAY
        )
        seconds = time.perf_counter() - started
    finally:
        db.dispose()
    if result.outcome is not ImportOutcome.APPLIED:
        raise SystemExit(f"import not applied: {result.outcome} {[i.describe() for i in result.errors[:5]]}")
    return seconds


def _phase(args: argparse.Namespace) -> None:
    seconds = _bare(args.file) if args.phase == "bare" else _import(args.file, args.db, args.archive)
    print(json.dumps({"seconds": round(seconds, 2), "rss_mb": _peak_rss_mb()}))


def _run_phase(phase: str, file: Path, db: str = "", archive: Path | None = None) -> dict[str, float]:
    command = [sys.executable, __file__, "--phase", phase, "--file", str(file), "--db", db]
    if archive is not None:
        command += ["--archive", str(archive)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return figures


def _pg_database(server_url: str) -> tuple[str, Callable[[], None]]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"creditdesk_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", metavar="URL", help="PostgreSQL server for the PostgreSQL figures")
    parser.add_argument("--phase", choices=("bare", "import"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--archive", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        _phase(args)
        return
    from app.services.database import sqlite_url
    from tests.support.erp_files import change_some, sample_lines, write_csv, write_xlsx

    figures: dict[str, object] = {"benchmark": "import", "rows": args.rows}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        lines = sample_lines(args.rows, seed=1)
        export = write_xlsx(work / "scadenziario.xlsx", lines)
        changed = write_xlsx(work / "scadenziario-1pc.xlsx", change_some(lines, 0.01, seed=2))
        csv_file = write_csv(work / "scadenziario.csv", lines)
        del lines
        figures["columns"] = 23
        bare = _run_phase("bare", export)
        figures["bare_calamine_s"] = bare["seconds"]
        targets: list[tuple[str, str, Callable[[], None] | None]] = [
            ("sqlite", sqlite_url(work / "bench.sqlite3"), None)
        ]
        if args.pg:
            targets.append(("postgresql", *_pg_database(args.pg)))
        for dialect, url, drop in targets:
            try:
                full = _run_phase("import", export, url, work / f"archive-{dialect}")
                again = _run_phase("import", changed, url, work / f"archive-{dialect}")
            finally:
                if drop is not None:
                    drop()
            figures[f"{dialect}_full_s"] = full["seconds"]
            figures[f"{dialect}_full_ratio"] = round(full["seconds"] / bare["seconds"], 2)
            figures[f"{dialect}_reimport_1pc_s"] = again["seconds"]
            figures[f"{dialect}_reimport_ratio"] = round(again["seconds"] / bare["seconds"], 2)
            figures[f"{dialect}_peak_rss_mb"] = max(full["rss_mb"], again["rss_mb"])
        csv_run = _run_phase("import", csv_file, sqlite_url(work / "csv.sqlite3"), work / "archive-csv")
        figures["csv_sqlite_full_s"] = csv_run["seconds"]
        figures["csv_peak_rss_mb"] = csv_run["rss_mb"]
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
