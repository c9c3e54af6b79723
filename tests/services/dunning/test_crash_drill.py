"""The crash drill, small: two worker processes killed with SIGKILL while they send; nothing twice, nothing lost."""

from __future__ import annotations

from app.services.database import Database
from tests.cli.test_main import url_of
from tests.support.crash_drill import prepare, run_drill


def test_killed_workers_never_send_twice_and_lose_nothing(db: Database) -> None:
    prepare(db, 120)
    report = run_drill(db, url_of(db), workers=2, kills=6, timeout=240)
    assert report.kills == 6
    assert (report.duplicates, report.lost, report.unknown_not_in_flight) == (0, 0, 0), report
    assert report.sent + report.unknown == report.messages and report.failed == 0
