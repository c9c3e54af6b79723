"""``creditdesk dunning plan``: the reminders due on a day, planned once and listed."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime, time
from time import sleep
from typing import Any

from app.bootstrap import AppContext, open_context
from app.cli import output
from app.cli.roll_commands import creditor_of, day_argument
from app.models.types import ROME, rome_today, utc_now
from app.services.dunning.cycle import run_cycle
from app.services.dunning.planner import PlanResult, plan

_CHANNELS = {"whatsapp": "WhatsApp", "email": "e-mail", "pec": "PEC", "post": "lettera",
             "registered_letter": "raccomandata A/R"}  # fmt: skip


def add_dunning_commands(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    """``dunning plan --at DATE [--json]``."""
    dunning = commands.add_parser("dunning", help="solleciti").add_subparsers(
        dest="dunning_command", title="comandi", metavar="COMANDO", required=True
    )
    planning = dunning.add_parser("plan", parents=[common], help="pianifica i solleciti dovuti in una data")
    planning.add_argument(
        "--at", type=day_argument, required=True, metavar="DATA", help="giorno (gg/mm/aaaa o aaaa-mm-gg)"
    )
    planning.add_argument("--json", action="store_true", help="in formato JSON, per gli script")
    running = dunning.add_parser("run", parents=[common], help="pianifica e invia i solleciti dovuti in una data")
    running.add_argument("--at", type=day_argument, required=True, metavar="DATA", help="giorno (gg/mm/aaaa)")
    running.add_argument("--approve-all", action="store_true", help="approva e invia anche i solleciti pianificati")
    worker = commands.add_parser("worker", parents=[common], help="pianifica e invia i solleciti, a intervalli")
    worker.add_argument("--once", action="store_true", help="un solo giro, poi esce (per l'Utilità di pianificazione)")
    worker.add_argument("--interval", type=int, default=15, metavar="MINUTI", help="minuti fra un giro e l'altro")


def dunning_plan_command(args: argparse.Namespace) -> int:
    """Plan the reminders due on the day and list them (nothing is planned twice)."""
    context = open_context(args.db)
    try:
        result = plan(context.db, creditor_of(context, args), args.at)
    finally:
        context.db.dispose()
    print(json.dumps(_as_json(result), ensure_ascii=False, indent=2) if args.json else _as_text(result))
    return 0


def _as_json(result: PlanResult) -> dict[str, Any]:
    return {
        "day": result.day.isoformat(), "planned": len(result.messages), "items": result.items,
        "no_contact": result.no_contact, "below_minimum": result.below_minimum,
        "already_planned": result.already_planned,
        "messages": [
            {"id": m.communication_id, "payer": m.payer_name, "channel": str(m.channel), "address": m.address,
             "level": m.level, "items": m.items, "amount": str(m.amount), "status": str(m.status)}
            for m in result.messages
        ],
    }  # fmt: skip


def _as_text(result: PlanResult) -> str:
    lines = [
        f"Solleciti del {result.day:%d/%m/%Y}: {len(result.messages)} messaggi per {result.items} avvisi o crediti."
    ]
    for m in result.messages:
        channel, amount = _CHANNELS[str(m.channel)], output.euro(m.amount)
        items = f"{m.items} {'voce' if m.items == 1 else 'voci'}"
        lines.append(f"  {m.payer_name[:40]:<40} {channel:<17} {m.level:<22} {items:>9} {amount:>14}")
    lines.append(f"Già pianificati: {result.already_planned}; senza recapito: {result.no_contact}; "
                 f"sotto l'importo minimo: {result.below_minimum}.")  # fmt: skip
    return "\n".join(lines)


def _run_once(context: AppContext, creditor_ids: list[int] | None, day: date, now: datetime, approve_all: bool) -> str:
    result = run_cycle(context.db, context.settings, now=now, day=day, creditor_ids=creditor_ids,
                       approve_all=approve_all, user_login=context.user_login)  # fmt: skip
    return result.summary()


def dunning_run_command(args: argparse.Namespace) -> int:
    """Plan the day's reminders and send what is approved (or, with --approve-all, everything planned)."""
    context = open_context(args.db)
    try:
        # A past or future day runs as if it were that day at mid-morning; today runs now.
        today = rome_today()
        now = utc_now() if args.at == today else datetime.combine(args.at, time(10, 0), tzinfo=ROME)
        print(_run_once(context, [creditor_of(context, args)], args.at, now, args.approve_all))
    finally:
        context.db.dispose()
    return 0


def worker_command(args: argparse.Namespace) -> int:
    """Plan and send for every creditor, now and then every --interval minutes (once with --once)."""
    context = open_context(args.db)
    try:
        while True:
            print(f"{utc_now().astimezone(ROME):%d/%m/%Y %H:%M} "
                  + _run_once(context, None, rome_today(), utc_now(), False), flush=True)  # fmt: skip
            if args.once:
                return 0
            sleep(max(args.interval, 1) * 60)
    finally:
        context.db.dispose()
