"""The crash drill: worker processes dispatch reminders to a fake WhatsApp provider while being killed with
SIGKILL at random moments; afterwards every message must have been accepted at most once, none lost, and each
one left "unknown" must be one that was in flight when its worker died.

Used by ``tests/benchmarks/bench_crash.py`` (2 workers, 4,000 messages, 50 kills) and, smaller, by a test.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from app.models import Communication, CommunicationStatus, CreditStatus, DunningPolicy
from app.models.types import ROME
from app.services.database import Database
from app.services.dunning import outbox
from app.services.dunning.planner import plan
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder
from tests.support.fake_whatsapp import FakeWhatsApp

DUE = date(2027, 2, 26)
PLANNED_ON = DUE - timedelta(days=10)
CLOCK_START = datetime(2027, 2, 16, 10, 0, tzinfo=ROME)  # the workers' clock: this moment plus real time elapsed
LEASE_SECONDS = 2.0
_REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class DrillReport:
    """What the drill found."""

    messages: int
    kills: int
    seconds: float
    sent: int
    unknown: int
    failed: int
    duplicates: int  # recipients the provider accepted more than once (goal 0)
    lost: int  # messages recorded as sent that the provider never accepted, or never settled (goal 0)
    unknown_not_in_flight: int  # "unknown" messages the provider accepted twice or that no kill explains (goal 0)


def prepare(db: Database, messages: int) -> None:
    """``messages`` payers, each owing one credit, with their first reminder planned and approved."""
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Consorzio prova d'urto")
        for number in range(messages):
            payer = make.subject(f"Debitore {number:05d}", mobile=f"+39333{number:07d}", whatsapp_consent=True,
                                 whatsapp_consent_date=date(2026, 1, 1))  # fmt: skip
            make.credit(payer, "50.00", status=CreditStatus.AWAITING_PAYMENT, due=DUE, reference=f"P{number}",
                        flush=False)  # fmt: skip
        creditor_id = make.creditor.id
        uow.commit()
    planned = plan(db, creditor_id, PLANNED_ON)
    with UnitOfWork(db) as uow:  # all day: the drill is about crashes, not office hours
        uow.session.execute(update(DunningPolicy).values(send_from=0, send_until=24 * 60))
        uow.commit()
    outbox.approve(db, [m.communication_id for m in planned.messages], user_login=None)


def run_drill(db: Database, db_url: str, *, workers: int, kills: int, timeout: float = 600) -> DrillReport:
    """Dispatch everything with ``workers`` processes, killing one of them ``kills`` times; report."""
    total = _count(db)
    started = time.monotonic()
    with FakeWhatsApp() as fake:
        fake.templates[("promemoria_scadenza", "it")] = 4
        command = [sys.executable, "-m", "tests.support.crash_drill", db_url, fake.base_url, str(time.time())]
        pool = [_spawn(command) for _ in range(workers)]
        kill_times = sorted(random.Random(7).uniform(0.2, 0.9) for _ in range(kills))
        killed = 0
        while _unsettled(db) and time.monotonic() - started < timeout:
            progress = 1 - _unsettled(db) / total
            if killed < kills and progress >= kill_times[killed]:
                victim = random.Random(killed).randrange(workers)
                os.kill(pool[victim].pid, signal.SIGKILL)
                pool[victim].wait()
                pool[victim] = _spawn(command)
                killed += 1
            for index, process in enumerate(pool):
                if process.poll() is not None:
                    pool[index] = _spawn(command)
            time.sleep(0.01)
        for process in pool:
            process.kill()
            process.wait()
        return _report(db, fake.accepted, total, killed, time.monotonic() - started)


def _spawn(command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, cwd=_REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _count(db: Database) -> int:
    with db.read_session() as session:
        return len(session.scalars(select(Communication.id)).all())


def _unsettled(db: Database) -> int:
    with db.read_session() as session:
        waiting = (CommunicationStatus.QUEUED, CommunicationStatus.SENDING)
        return len(session.scalars(select(Communication.id).where(Communication.status.in_(waiting))).all())


def _report(db: Database, accepted: list[Any], total: int, kills: int, seconds: float) -> DrillReport:
    per_number = Counter(a.to for a in accepted)
    with db.read_session() as session:
        rows = session.execute(select(Communication.address, Communication.status)).all()
    statuses = Counter(status for _, status in rows)
    digits = {address: (address or "").lstrip("+") for address, _ in rows}
    lost = sum(1 for address, status in rows
               if (status is CommunicationStatus.SENT and per_number[digits[address]] != 1)
               or status in (CommunicationStatus.QUEUED, CommunicationStatus.SENDING))  # fmt: skip
    unexplained = sum(1 for address, status in rows
                      if status is CommunicationStatus.UNKNOWN and per_number[digits[address]] > 1)  # fmt: skip
    if statuses[CommunicationStatus.UNKNOWN] > kills:  # each kill strands at most the one message in flight
        unexplained += statuses[CommunicationStatus.UNKNOWN] - kills
    return DrillReport(total, kills, round(seconds, 2), statuses[CommunicationStatus.SENT],
                       statuses[CommunicationStatus.UNKNOWN], statuses[CommunicationStatus.FAILED],
                       sum(1 for n in per_number.values() if n > 1), lost, unexplained)  # fmt: skip


def _worker(db_url: str, fake_url: str, epoch: float) -> None:
    """One worker process: dispatch one message at a time (a kill strands at most the one in flight) until
    nothing is left, on the drill's clock: CLOCK_START plus the real time since the drill began."""
    from app.models import Channel
    from app.services.database import open_database
    from app.services.dunning.dispatch import dispatch
    from app.services.dunning.senders import WhatsAppSender
    from app.services.gateways.whatsapp_cloud import WhatsAppCloudGateway

    db = open_database(db_url)
    fake = FakeWhatsApp()
    gateway = WhatsAppCloudGateway(phone_number_id=fake.phone_number_id, token=fake.token, base_url=fake_url,
                                   timeout=(2, 5))  # fmt: skip
    senders = {Channel.WHATSAPP: WhatsAppSender(gateway)}
    idle = 0
    while idle < 200:
        now = CLOCK_START + timedelta(seconds=time.time() - epoch)
        result = dispatch(db, senders, now=now, limit=1, lease=timedelta(seconds=LEASE_SECONDS))
        idle = 0 if (result.sent or result.retried or result.expired) else idle + 1
        time.sleep(0.0 if result.sent else 0.02)


if __name__ == "__main__":
    _worker(sys.argv[1], sys.argv[2], float(sys.argv[3]))
