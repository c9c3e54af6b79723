"""Time planning reminders over a large ledger: ``python tests/benchmarks/bench_dunning.py [--credits N]``.

Fills a fresh SQLite database with N demo credits (not timed), then times ``plan`` on a day when reminders of
every level are due, and once more on the same day (nothing left to plan: the idempotent pass). The issue's
goal: ≤ 3 s for 100,000 credits. Prints one JSON line.
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
from app.services.creditors import resolve_creditor
from app.services.database import open_database, sqlite_url
from app.services.demo import generate_demo
from app.services.dunning.planner import plan

DAY = date(2026, 11, 23)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--credits", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(sqlite_url(Path(folder) / "bench.sqlite3"))
        prepare(db, user_login="bench")
        generate_demo(db, credits=args.credits, seed=1)
        with db.read_session() as session:
            creditor_id = resolve_creditor(session, None).id
        started = time.perf_counter()
        first = plan(db, creditor_id, DAY)
        planned = time.perf_counter() - started
        started = time.perf_counter()
        again = plan(db, creditor_id, DAY)
        replanned = time.perf_counter() - started
        db.dispose()
    print(json.dumps({
        "benchmark": "dunning", "credits": args.credits, "plan_s": round(planned, 2), "messages": len(first.messages),
        "items": first.items, "no_contact": first.no_contact, "replan_s": round(replanned, 2),
        "replanned_messages": len(again.messages),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
