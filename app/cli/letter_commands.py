"""``creditdesk letters …``: print the queued letters, record a registered letter's number and its return
receipt."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.bootstrap import open_context
from app.cli.roll_commands import creditor_of, day_argument
from app.services.dunning.letters import (
    ReturnOutcome,
    print_letters,
    record_registered_number,
    record_return_receipt,
)


def add_letter_commands(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    """``letters print --out FILE``, ``letters number ID NUMBER``, ``letters receipt ID --date D --scan FILE``."""
    letters = commands.add_parser("letters", help="lettere e raccomandate A/R").add_subparsers(
        dest="letters_command", title="comandi", metavar="COMANDO", required=True
    )
    printing = letters.add_parser("print", parents=[common], help="stampa in un PDF le lettere in coda")
    printing.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="PDF da mandare in stampa")
    number = letters.add_parser("number", parents=[common], help="registra il numero di una raccomandata")
    number.add_argument("communication", type=int, metavar="ID", help="numero della comunicazione")
    number.add_argument("number", metavar="NUMERO", help="numero della raccomandata (12 cifre o RR…IT)")
    receipt = letters.add_parser("receipt", parents=[common], help="registra la ricevuta di ritorno")
    receipt.add_argument("communication", type=int, metavar="ID", help="numero della comunicazione")
    receipt.add_argument("--date", type=day_argument, required=True, metavar="DATA", help="data sulla ricevuta")
    receipt.add_argument("--scan", type=Path, required=True, metavar="FILE", help="scansione (PDF, PNG, JPEG, TIFF)")
    outcomes = "delivered (consegnata), unclaimed (compiuta giacenza), returned (restituita)"
    receipt.add_argument("--outcome", choices=ReturnOutcome.ALL, default=ReturnOutcome.DELIVERED, help=outcomes)


def letters_print_command(args: argparse.Namespace) -> int:
    """Print the creditor's queued letters into one PDF and record them as sent."""
    context = open_context(args.db)
    try:
        batch = print_letters(context.db, context.settings.archive_path, creditor_of(context, args), args.out,
                              user_login=context.user_login)  # fmt: skip
    finally:
        context.db.dispose()
    print(f"Stampate {batch.letters} lettere ({batch.registered} raccomandate A/R) in {batch.path}.")
    return 0


def letters_number_command(args: argparse.Namespace) -> int:
    """Record a registered letter's number."""
    context = open_context(args.db)
    try:
        number = record_registered_number(context.db, args.communication, args.number, user_login=context.user_login)
    finally:
        context.db.dispose()
    print(f"Raccomandata n. {number} registrata per la comunicazione {args.communication}.")
    return 0


def letters_receipt_command(args: argparse.Namespace) -> int:
    """Record a registered letter's return receipt and archive its scan."""
    context = open_context(args.db)
    try:
        record_return_receipt(context.db, context.settings.archive_path, args.communication, receipt_date=args.date,
                              scan=args.scan, outcome=args.outcome, user_login=context.user_login)  # fmt: skip
    finally:
        context.db.dispose()
    print(f"Ricevuta di ritorno registrata e archiviata per la comunicazione {args.communication}.")
    return 0
