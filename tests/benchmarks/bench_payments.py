"""Time a bank statement booked and matched: ``python tests/benchmarks/bench_payments.py [--entries N]``.

Writes N debtors with one overdue credit each into a fresh SQLite database, forms a roll of transfer notices
(RF references), and writes a camt.053 with one incoming transfer per debtor: half name their notice's RF as
a structured reference, a third write the invoice number in the free text, the rest give only the payer's
name and the amount (none of that is timed). Then, in a fresh process so that its peak RSS is its own, times
``import_payments`` — reading, matching, allocating and writing everything in one transaction. Prints one JSON
line; the issue's goals for N = 100,000 are ≤ 30 s and ≤ 400 MB.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.camt_files import EntrySpec

TODAY = date(2026, 11, 23)


def _peak_rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return round(int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024, 1)


def _entries(db_url: str, creditor_id: int, roll_id: int) -> Iterator[EntrySpec]:
    from sqlalchemy import select

    from app.models import Credit, PaymentNotice, Subject
    from app.services.database import open_database
    from tests.support.camt_files import DetailSpec

    db = open_database(db_url)
    with db.read_session() as session:
        rows = session.execute(
            select(Credit.reference, Credit.outstanding, PaymentNotice.code, Subject.name)
            .join(PaymentNotice, PaymentNotice.id == Credit.notice_id)
            .join(Subject, Subject.id == Credit.payer_id)
            .where(Credit.creditor_id == creditor_id, PaymentNotice.roll_id == roll_id)
            .order_by(Credit.id)
        ).all()
    db.dispose()
    for number, (reference, amount, code, name) in enumerate(rows):
        kind = number % 6
        detail = DetailSpec(
            amount=Decimal(amount), end_to_end_id=f"E2E{number:09d}", debtor_name=name,
            debtor_iban=None, creditor_reference=code if kind < 3 else None,
            remittance_lines=(f"Saldo polizza {reference}",) if kind in (3, 4) else ("Pagamento",),
        )  # fmt: skip
        yield EntrySpec(direction="CRDT", booking_date=date(2026, 12, 1 + number % 20), value_date=date(2026, 12, 1),
                        details=(detail,), account_servicer_reference=f"BANK{number:010d}")  # fmt: skip


def _prepare(work: Path, entries: int) -> tuple[str, int, Path]:
    from app.bootstrap import prepare
    from app.models import NoticeKind
    from app.services.database import open_database, sqlite_url
    from app.services.rolls import RollCriteria, create_roll
    from tests.support.camt_files import StatementHeader, write_statement
    from tests.support.ledger_data import write_ledger

    url = sqlite_url(work / "bench.sqlite3")
    db = open_database(url)
    prepare(db, user_login="bench")
    ledger = write_ledger(db, entries, NoticeKind.TRANSFER)
    roll = create_roll(db, ledger.creditor_id, RollCriteria(name="Benchmark"), user_login="bench", today=TODAY)
    db.dispose()
    statement = work / "estratto.xml"
    write_statement(statement, _entries(url, ledger.creditor_id, roll.roll_id), StatementHeader())
    return url, ledger.creditor_id, statement


def _phase(url: str, creditor_id: int, statement: Path, archive: Path) -> None:
    from app.services.database import open_database
    from app.services.payments.importing import import_payments

    db = open_database(url)
    started = time.perf_counter()
    result = import_payments(db, creditor_id, statement, user_login="bench", archive_folder=archive, today=TODAY)
    seconds = time.perf_counter() - started
    db.dispose()
    booked = result.booked
    print(json.dumps({
        "seconds": round(seconds, 2), "rss_mb": _peak_rss_mb(), "movements": booked.movements,
        "matched": booked.matched, "partially_matched": booked.partially_matched, "unmatched": booked.unmatched,
        "by_rule": {str(rule): count for rule, count in booked.by_rule.items()},
    }))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, metavar="FOLDER", help="build the data in FOLDER and keep it")
    parser.add_argument("--phase", nargs=4, metavar=("URL", "CREDITOR", "FILE", "ARCHIVE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        url, creditor, file, archive = args.phase
        _phase(url, int(creditor), Path(file), Path(archive))
        return
    with tempfile.TemporaryDirectory() as folder:
        work = args.keep or Path(folder)
        work.mkdir(parents=True, exist_ok=True)
        url, creditor_id, statement = _prepare(work, args.entries)
        if args.keep:
            shutil.copy(work / "bench.sqlite3", work / "before.sqlite3")
        command = [sys.executable, __file__, "--phase", url, str(creditor_id), str(statement), str(work / "archivio")]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        print(json.dumps({"benchmark": "payments", "entries": args.entries,
                          "file_mb": round(statement.stat().st_size / 2**20, 1), **figures}))  # fmt: skip


if __name__ == "__main__":
    main()
