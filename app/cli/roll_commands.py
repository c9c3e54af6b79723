"""``creditdesk roll …``, ``payments import`` and ``notices pdf``: rolls to the bank, notices, payments back."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.bootstrap import AppContext, open_context
from app.cli import output
from app.models import CreditKind, CreditStatus
from app.services.creditors import resolve_creditor
from app.services.errors import InvalidInput, UnreadableFile
from app.services.imports.types import ImportOutcome
from app.services.notices.document import SortOrder
from app.services.notices.issuing import archive_notice_pdfs, write_roll_batch
from app.services.payments.importing import import_payments
from app.services.rolls import RollCriteria, create_roll
from app.services.rolls.bank_export import export_roll
from app.services.rolls.codes_import import import_notice_codes
from app.services.rolls.forming import DEFAULT_STATUSES

EXIT_APPLIED, EXIT_REFUSED, EXIT_UNREADABLE = 0, 1, 2


def day_argument(text: str) -> date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"«{text}» non è una data (gg/mm/aaaa o aaaa-mm-gg)")


def add_roll_commands(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    """``roll create|export|import-codes`` and ``payments import``."""
    rolls = commands.add_parser("roll", help="ruoli").add_subparsers(
        dest="roll_command", title="comandi", metavar="COMANDO", required=True
    )
    create = rolls.add_parser("create", parents=[common], help="crea un ruolo in bozza dai crediti scelti")
    create.add_argument("--name", required=True, metavar="NOME", help="nome del ruolo")
    create.add_argument(
        "--status",
        action="append",
        choices=[s.value for s in CreditStatus],
        metavar="STATO",
        help="stato dei crediti (ripetibile; predefiniti: issued, partially_paid, overdue)",
    )
    create.add_argument("--due-from", type=day_argument, metavar="DATA", help="scadenza dal")
    create.add_argument("--due-to", type=day_argument, metavar="DATA", help="scadenza al")
    create.add_argument("--kind", action="append", choices=[k.value for k in CreditKind], metavar="TIPO",
                        help="tipo di credito (ripetibile): invoice, policy, instalment, other")  # fmt: skip
    create.add_argument("--notice-due", type=day_argument, metavar="DATA", help="scadenza stampata su tutti gli avvisi")
    export = rolls.add_parser("export", parents=[common], help="scrive il flusso CBI MAV del ruolo per la banca")
    export.add_argument("roll", type=int, metavar="RUOLO", help="numero del ruolo")
    export.add_argument("--out", type=Path, required=True, metavar="FILE", help="file da scrivere")
    codes = rolls.add_parser("import-codes", parents=[common], help="legge i codici MAV assegnati dalla banca")
    codes.add_argument("roll", type=int, metavar="RUOLO", help="numero del ruolo")
    codes.add_argument("file", type=Path, metavar="FILE", help="flusso di ritorno CBI, o tabella CSV/Excel")
    payments = commands.add_parser("payments", help="incassi").add_subparsers(
        dest="payments_command", title="comandi", metavar="COMANDO", required=True
    )
    book = payments.add_parser("import", parents=[common], help="registra e abbina gli incassi di un file")
    book.add_argument("file", type=Path, metavar="FILE", help="esiti CBI MAV, camt.053/054, o elenco incassi")
    notices = commands.add_parser("notices", help="avvisi di pagamento").add_subparsers(
        dest="notices_command", title="comandi", metavar="COMANDO", required=True
    )
    pdf = notices.add_parser("pdf", parents=[common], help="stampa gli avvisi del ruolo in un PDF e li archivia")
    pdf.add_argument("roll", type=int, metavar="RUOLO", help="numero del ruolo")
    pdf.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="PDF da scrivere")
    pdf.add_argument("--order", choices=("cap", "amministratore"), default="cap", help="ordine di stampa")
    pdf.add_argument("--duplex", action="store_true", help="ogni avviso inizia sul fronte di un foglio")


def creditor_of(context: AppContext, args: argparse.Namespace) -> int:
    name = getattr(args, "creditor", None)
    if name is None:
        return context.creditor_id()
    with context.db.read_session() as session:
        return resolve_creditor(session, name).id


def roll_create_command(args: argparse.Namespace) -> int:
    """Form the roll and print its number."""
    context = open_context(args.db)
    try:
        criteria = RollCriteria(
            name=args.name, statuses=tuple(CreditStatus(s) for s in args.status) if args.status else DEFAULT_STATUSES,
            due_from=args.due_from, due_to=args.due_to, kinds=tuple(CreditKind(k) for k in args.kind or ()),
            notice_due_date=args.notice_due,
        )  # fmt: skip
        formed = create_roll(context.db, creditor_of(context, args), criteria, user_login=context.user_login)
    finally:
        context.db.dispose()
    print(formed.roll_id)
    print(f"Ruolo «{formed.name}»: {formed.notices} avvisi, {formed.credits} crediti, "
          f"{output.euro(formed.amount)}", file=sys.stderr)  # fmt: skip
    return EXIT_APPLIED


def roll_export_command(args: argparse.Namespace) -> int:
    """Write the roll's CBI MAV flow."""
    context = open_context(args.db)
    try:
        done = export_roll(context.db, args.roll, args.out, user_login=context.user_login,
                           archive_folder=context.settings.archive_path)  # fmt: skip
    finally:
        context.db.dispose()
    print(f"Flusso MAV scritto in {done.path}: {done.notices} disposizioni, {output.euro(done.amount)}.")
    return EXIT_APPLIED


def roll_import_codes_command(args: argparse.Namespace) -> int:
    """Apply the bank's MAV codes: 0 applied, 1 refused (each reason printed), 2 unreadable."""
    context = open_context(args.db)
    try:
        result = import_notice_codes(context.db, args.roll, args.file, user_login=context.user_login,
                                     archive_folder=context.settings.archive_path)  # fmt: skip
    except UnreadableFile as exc:
        print(f"Errore: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    finally:
        context.db.dispose()
    if result.outcome is ImportOutcome.ALREADY_IMPORTED:
        when = output.moment(result.imported_at) if result.imported_at else "?"
        print(f"Il file {result.file_name} è già stato applicato il {when}: nessuna modifica.")
        return EXIT_APPLIED
    if result.outcome is ImportOutcome.REFUSED:
        for error in result.errors:
            print(f"Errore: {error}", file=sys.stderr)
        print(f"File {result.file_name} rifiutato: nessun codice applicato.", file=sys.stderr)
        return EXIT_REFUSED
    for warning in result.warnings:
        print(f"Avviso: {warning}", file=sys.stderr)
    print(f"Codici MAV applicati: {result.applied}.")
    return EXIT_APPLIED


def payments_import_command(args: argparse.Namespace) -> int:
    """Book the file's payments: 0 applied (or already applied), 1 refused, 2 unreadable."""
    context = open_context(args.db)
    try:
        result = import_payments(context.db, creditor_of(context, args), args.file, user_login=context.user_login,
                                 archive_folder=context.settings.archive_path)  # fmt: skip
    except UnreadableFile as exc:
        print(f"Errore: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except InvalidInput as exc:
        print(f"Errore: {exc}", file=sys.stderr)
        print(f"File {args.file.name} rifiutato: nessun incasso registrato.", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        context.db.dispose()
    if result.outcome is ImportOutcome.ALREADY_IMPORTED:
        when = output.moment(result.previous_at) if result.previous_at else "?"
        print(f"Il file {result.file_name} è già stato importato il {when} da "
              f"{result.previous_user}: nessuna modifica.")  # fmt: skip
        return EXIT_APPLIED
    for warning in result.booked.warnings:
        print(f"Avviso: {warning}", file=sys.stderr)
    print("\n".join(result.summary_lines()))
    return EXIT_APPLIED


def notices_pdf_command(args: argparse.Namespace) -> int:
    """Write the roll's batch PDF and archive one PDF per notice that has its code."""
    order = SortOrder.POSTAL_CODE if args.order == "cap" else SortOrder.ADMINISTRATOR
    context = open_context(args.db)
    try:
        batch = write_roll_batch(context.db, args.roll, args.out, order, duplex=args.duplex)
        kept = archive_notice_pdfs(context.db, args.roll, context.settings.archive_path)
    finally:
        context.db.dispose()
    print(
        f"{batch.notice_count} avvisi ({batch.page_count} pagine, {output.euro(batch.total_amount)}) in {batch.path}."
    )
    print(f"Archiviati {kept.archived} avvisi PDF ({kept.already} erano già in archivio).")
    return EXIT_APPLIED
