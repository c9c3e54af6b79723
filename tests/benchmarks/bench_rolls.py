"""Time a roll's way to the bank: ``python tests/benchmarks/bench_rolls.py [--notices N] [--pg URL]``.

Writes N debtors with one overdue credit each into a fresh SQLite database (not timed), then times forming the
roll (one notice per debtor) and writing its CBI MAV flow (read back and checked, archived, recorded) — the
issue's figure is the export of 30,000 notices. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.bootstrap import prepare
from app.services.database import open_database, sqlite_url
from app.services.rolls import RollCriteria, create_roll
from app.services.rolls.bank_export import export_roll
from tests.support.ledger_data import write_ledger


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notices", type=int, default=30_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        db = open_database(sqlite_url(work / "bench.sqlite3"))
        prepare(db, user_login="bench")
        ledger = write_ledger(db, args.notices)
        started = time.perf_counter()
        roll = create_roll(db, ledger.creditor_id, RollCriteria(name="Benchmark"), user_login="bench",
                           today=date(2026, 11, 23))  # fmt: skip
        formed = time.perf_counter() - started
        started = time.perf_counter()
        done = export_roll(db, roll.roll_id, work / "mav.txt", user_login="bench", archive_folder=work / "archivio")
        exported = time.perf_counter() - started
        size = done.path.stat().st_size
        db.dispose()
    print(json.dumps({
        "benchmark": "rolls", "notices": done.notices, "roll_create_s": round(formed, 2),
        "cbi_export_s": round(exported, 2), "flow_bytes": size,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
