"""The crash drill at full size: ``python tests/benchmarks/bench_crash.py [--messages 4000] [--workers 2]
[--kills 50] [--pg URL]``.

Worker processes dispatch N approved reminders to a fake WhatsApp Cloud API while one of them is killed with
SIGKILL at random moments and started again. Reports duplicates (goal 0), lost (goal 0) and the messages left
"unknown" (each must be one that was in flight at a kill), plus the dispatch rate. On SQLite by default; on a
throw-away PostgreSQL database with ``--pg``. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.bootstrap import prepare as prepare_database
from app.services.database import open_database, sqlite_url
from tests.benchmarks.bench_import import _pg_database
from tests.support.crash_drill import prepare, run_drill


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=4_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--pg", metavar="URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url, drop = _pg_database(args.pg) if args.pg else (sqlite_url(Path(folder) / "drill.sqlite3"), None)
        db = open_database(url)
        try:
            prepare_database(db, user_login="bench")
            prepare(db, args.messages)
            report = run_drill(db, url, workers=args.workers, kills=args.kills)
        finally:
            db.dispose()
            if drop is not None:
                drop()
    figures = dataclasses.asdict(report)
    figures["messages_per_s"] = round(report.sent / report.seconds, 1) if report.seconds else None
    print(json.dumps({"benchmark": "crash", "database": "postgresql" if args.pg else "sqlite", **figures}))


if __name__ == "__main__":
    main()
