"""Dispatch rate to a local fake gateway: ``python tests/benchmarks/bench_dispatch.py [--messages 2000] [--pg URL]``.

N approved reminders are sent by one dispatcher in this process, in its normal batches, to the fake WhatsApp
Cloud API (an HTTP server on loopback); each is claimed, committed, sent and recorded as in production. The
issue's goal: ≥ 50 messages per second. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.bootstrap import prepare as prepare_database
from app.models import Channel
from app.services.database import open_database, sqlite_url
from app.services.dunning.dispatch import dispatch
from app.services.dunning.senders import WhatsAppSender
from app.services.gateways.whatsapp_cloud import WhatsAppCloudGateway
from tests.benchmarks.bench_import import _pg_database
from tests.support.crash_drill import CLOCK_START, prepare
from tests.support.fake_whatsapp import FakeWhatsApp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=2_000)
    parser.add_argument("--pg", metavar="URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url, drop = _pg_database(args.pg) if args.pg else (sqlite_url(Path(folder) / "dispatch.sqlite3"), None)
        db = open_database(url)
        try:
            prepare_database(db, user_login="bench")
            prepare(db, args.messages)
            with FakeWhatsApp() as fake:
                fake.templates[("promemoria_scadenza", "it")] = 4
                gateway = WhatsAppCloudGateway(phone_number_id=fake.phone_number_id, token=fake.token,
                                               base_url=fake.base_url)  # fmt: skip
                senders = {Channel.WHATSAPP: WhatsAppSender(gateway)}
                started = time.perf_counter()
                sent = 0
                while (result := dispatch(db, senders, now=CLOCK_START)).sent:
                    sent += result.sent
                seconds = time.perf_counter() - started
                accepted = len(fake.accepted)
        finally:
            db.dispose()
            if drop is not None:
                drop()
    print(json.dumps({"benchmark": "dispatch", "database": "postgresql" if args.pg else "sqlite", "sent": sent,
                      "accepted": accepted, "seconds": round(seconds, 2),
                      "messages_per_s": round(sent / seconds, 1)}))  # fmt: skip


if __name__ == "__main__":
    main()
