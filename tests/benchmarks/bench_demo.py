"""Time ``generate_demo``: ``python tests/benchmarks/bench_demo.py [--credits 100000] [--db URL] [--fresh]``.

Without ``--db`` it writes into a new SQLite file in a temporary folder. With ``--db`` it uses that database
as it is (its creditor must have no credits yet); add ``--fresh`` with a PostgreSQL URL to create a throw-away
database on that server instead, dropped at the end. Prints one JSON line of figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.bootstrap import prepare
from app.services.database import open_database, sqlite_url
from app.services.demo import generate_demo


def _peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


@contextmanager
def _database(url: str | None, fresh: bool) -> Iterator[str]:
    if url is None:
        with tempfile.TemporaryDirectory() as folder:
            yield sqlite_url(Path(folder) / "bench.sqlite3")
        return
    if not fresh:
        yield url
        return
    server = make_url(url).set(drivername="postgresql+psycopg")
    name = f"creditdesk_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(credits: int, seed: int, url: str | None, fresh: bool) -> dict[str, object]:
    """Generate ``credits`` demo credits and return the figures."""
    with _database(url, fresh) as target:
        db = open_database(target)
        try:
            prepare(db, user_login="bench")
            started = time.perf_counter()
            report = generate_demo(db, credits=credits, seed=seed, today=date(2026, 5, 15))
            seconds = time.perf_counter() - started
        finally:
            db.dispose()
    return {
        "benchmark": "demo",
        "dialect": make_url(target).get_backend_name(),
        "credits": report.credits,
        "seconds": round(seconds, 2),
        "credits_per_second": round(report.credits / seconds),
        "subjects": report.subjects,
        "condominiums": report.condominiums,
        "administrators": report.administrators,
        "notices": report.notices,
        "payments": report.payments,
        "allocations": report.allocations,
        "rss_mb": _peak_rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--credits", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", default=None, help="database URL (default: a new temporary SQLite file)")
    parser.add_argument("--fresh", action="store_true", help="with a PostgreSQL URL: use a throw-away database")
    args = parser.parse_args()
    print(json.dumps(run(args.credits, args.seed, args.db, args.fresh)))


if __name__ == "__main__":
    main()
