"""What each ``creditdesk`` command does: open the context, call one service, print the result."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from app.bootstrap import AppContext, open_context
from app.cli import output
from app.services import creditors
from app.services.creditor_notices import NoticeSettings, set_notice_settings
from app.services.database import current_revision
from app.services.demo import generate_demo
from app.services.summary import summarize


@contextmanager
def _context(args: argparse.Namespace) -> Iterator[AppContext]:
    context = open_context(args.db)
    try:
        yield context
    finally:
        context.db.dispose()


def open_window(args: argparse.Namespace) -> int:
    """No command: the desktop window."""
    try:
        from app.ui.application import run_window  # Qt is loaded only when the window is wanted
    except ImportError as exc:
        # Typically a server without the graphics libraries Qt needs: the commands still work.
        print(f"Errore: impossibile aprire la finestra ({exc}). I comandi restano disponibili: "
              "creditdesk --help.", file=sys.stderr)  # fmt: skip
        return 1
    return int(run_window(args.db))


def db_upgrade(args: argparse.Namespace) -> int:
    """Bring the schema up to date and say which revision it reached."""
    with _context(args) as context:
        print(f"Database {context.db.describe()} aggiornato alla revisione {current_revision(context.db)}.")
    return 0


class _ProgressPrinter:
    """Progress on stderr: a line rewritten in place on a terminal, a line every 10% otherwise."""

    def __init__(self) -> None:
        self._interactive = sys.stderr.isatty()
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        step = percent if self._interactive else percent // 10 * 10
        if step == self._last:
            return
        self._last = step
        text = f"Dati dimostrativi: {percent:3d}%"
        if self._interactive:
            print(f"\r{text}", end="\n" if done >= total else "", file=sys.stderr, flush=True)
        else:
            print(text, file=sys.stderr, flush=True)


def demo(args: argparse.Namespace) -> int:
    """Generate demo data and print a one-line result with the time taken."""
    with _context(args) as context:
        print(f"Generazione di {output.number(args.credits)} crediti dimostrativi…", file=sys.stderr)
        started = time.perf_counter()
        report = generate_demo(
            context.db,
            credits=args.credits,
            seed=args.seed,
            creditor_name=args.creditor,
            progress=_ProgressPrinter(),
            user_login=context.user_login,
        )
        print(output.demo_text(report, time.perf_counter() - started))
    return 0


def creditor_list(args: argparse.Namespace) -> int:
    """Every creditor, one per line."""
    with _context(args) as context:
        print(output.creditors_table(creditors.list_creditors(context.db)))
    return 0


def creditor_add(args: argparse.Namespace) -> int:
    """Create a creditor and show it."""
    with _context(args) as context:
        info = creditors.add_creditor(
            context.db,
            args.name,
            tax_code=args.tax_code,
            iban=args.iban,
            sia=args.sia,
            pec=args.pec,
            notice_kind=args.notice_kind,
            user_login=context.user_login,
        )
    print(f"Ente creditore «{info.name}» creato.\n{output.creditor_text(info)}")
    return 0


def creditor_set(args: argparse.Namespace) -> int:
    """Change the creditor's data and show the result."""
    fields = ("name", "tax_code", "iban", "sia", "pec", "notice_kind")
    if all(getattr(args, field) is None for field in fields):
        options = "--name, --tax-code, --iban, --sia, --pec, --notice-kind"
        print(f"Nessuna modifica: indicare almeno una fra {options}.", file=sys.stderr)
        return 2
    with _context(args) as context:
        info = creditors.update_creditor(
            context.db,
            args.creditor,
            **{field: getattr(args, field) for field in fields},
            user_login=context.user_login,
        )
    print(f"Ente creditore «{info.name}» aggiornato.\n{output.creditor_text(info)}")
    return 0


def creditor_notices(args: argparse.Namespace) -> int:
    """Change what the creditor's notices print and pay with, and say what changed."""
    try:
        instructions = args.instructions.read_text(encoding="utf-8") if args.instructions else None
    except (OSError, UnicodeDecodeError) as error:
        print(f"Errore: il file {args.instructions} non si legge come testo UTF-8 ({error}).", file=sys.stderr)
        return 2
    settings = NoticeSettings(
        bic=args.bic, segregation_code=args.segregation_code, cbill_code=args.cbill,
        postal_account=args.postal_account, logo=args.logo, instructions=instructions,
    )  # fmt: skip
    if settings == NoticeSettings():
        print("Nessuna modifica: indicare almeno una opzione (vedere --help).", file=sys.stderr)
        return 2
    with _context(args) as context:
        changed = set_notice_settings(context.db, args.creditor, settings, user_login=context.user_login)
    print("Dati degli avvisi aggiornati: " + ", ".join(sorted(changed)) + ".")
    return 0


def summary(args: argparse.Namespace) -> int:
    """The state of the database, as a table or as JSON."""
    with _context(args) as context:
        data = summarize(context.db, args.creditor)
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else output.summary_text(data))
    return 0
