"""Time a roll's way to the bank: ``python tests/benchmarks/bench_rolls.py [--notices N] [--pg URL]``.

Writes N debtors with one overdue credit each into a fresh SQLite database (not timed), then times forming the
roll (one notice per debtor) and writing its CBI MAV flow (read back and checked, archived, recorded) — the
issue's figure is the export of 30,000 notices. With ``--batch`` also times the supervisor's batch PDF of the
whole roll through the service and archiving one PDF per notice (the issue's figure: 10,000 notices to one
batch ≤ 2 minutes; run it with ``--notices 10000``). Prints one JSON line.
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

from sqlalchemy import String, cast, update

from app.bootstrap import prepare
from app.models import PaymentNotice
from app.services.database import Database, open_database, sqlite_url
from app.services.notices.issuing import archive_notice_pdfs, write_roll_batch
from app.services.rolls import RollCriteria, create_roll
from app.services.rolls.bank_export import export_roll
from app.services.unit_of_work import UnitOfWork
from tests.support.ledger_data import write_ledger


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notices", type=int, default=30_000)
    parser.add_argument("--batch", action="store_true", help="also print the roll's batch PDF and archive its PDFs")
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
        figures = {"benchmark": "rolls", "notices": done.notices, "roll_create_s": round(formed, 2),
                   "cbi_export_s": round(exported, 2), "flow_bytes": size}  # fmt: skip
        if args.batch:
            figures.update(_batch(db, roll.roll_id, work))
        db.dispose()
    print(json.dumps(figures))


def _batch(db: Database, roll_id: int, work: Path) -> dict[str, float]:
    """The supervisor's batch through the service (read, sort, draw), then one archived PDF per notice."""
    with UnitOfWork(db) as uow:  # the bank's codes, so that the notices print whole
        uow.session.execute(
            update(PaymentNotice)
            .where(PaymentNotice.roll_id == roll_id)
            .values(code=cast(PaymentNotice.id + 100_000_000, String))
        )
        uow.commit()
    started = time.perf_counter()
    batch = write_roll_batch(db, roll_id, work / "avvisi.pdf")
    printed = time.perf_counter() - started
    started = time.perf_counter()
    archive_notice_pdfs(db, roll_id, work / "archivio")
    archived = time.perf_counter() - started
    return {"batch_pdf_s": round(printed, 2), "batch_pages": batch.page_count, "archive_pdfs_s": round(archived, 2)}


if __name__ == "__main__":
    main()
