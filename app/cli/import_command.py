"""``creditdesk import schedule``: the ERP's due-date schedule from the command line, with the same checks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.bootstrap import open_context
from app.cli import output
from app.services.errors import UnreadableFile
from app.services.imports import ImportOutcome, ImportRequest, ImportResult, export_report, import_schedule
from app.services.imports.profiles import profile_info

EXIT_APPLIED, EXIT_REFUSED, EXIT_UNREADABLE = 0, 1, 2
_COUNTS = (
    ("rows", "righe lette"), ("created", "crediti nuovi"), ("updated", "crediti aggiornati"),
    ("unchanged", "crediti invariati"), ("duplicates", "righe doppie contate una volta"),
    ("subjects_created", "anagrafiche nuove"), ("subjects_updated", "anagrafiche aggiornate"),
    ("administrator_changes", "cambi di amministratore"), ("missing", "crediti aperti non più nel file"),
    ("warnings", "avvisi"),
)  # fmt: skip


def add_import_commands(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    """``import schedule FILE …``."""
    parser = commands.add_parser("import", help="importazioni")
    imports = parser.add_subparsers(dest="import_command", title="comandi", metavar="COMANDO", required=True)
    schedule = imports.add_parser("schedule", parents=[common], help="importa lo scadenziario del gestionale")
    schedule.add_argument("file", metavar="FILE", type=Path, help="file xlsx, xls, ods o csv")
    schedule.add_argument("--profile", metavar="NOME", help="profilo di importazione salvato")
    schedule.add_argument("--sheet", metavar="NOME", help="foglio da leggere (altrimenti quello con l'intestazione)")
    schedule.add_argument("--header-row", metavar="N", type=int, help="riga dell'intestazione come la mostra Excel")
    schedule.add_argument(
        "--full", action="store_true", help="il file contiene tutto lo scadenziario aperto: segnala i mancanti"
    )
    schedule.add_argument("--dry-run", action="store_true", help="controlla e conta senza scrivere nulla")
    schedule.add_argument("--errors", metavar="RAPPORTO.xlsx", type=Path, help="salva errori e avvisi in un file xlsx")


def import_schedule_command(args: argparse.Namespace) -> int:
    """Import the file; 0 applied (or checked), 1 refused, 2 unreadable."""
    context = open_context(args.db)
    try:
        full_export = args.full
        if args.profile and not full_export:
            with context.db.read_session() as session:
                full_export = profile_info(session, context.creditor_id(), args.profile).full_export
        request = ImportRequest(
            path=args.file, sheet=args.sheet, header_row=args.header_row, profile=args.profile,
            full_export=full_export, dry_run=args.dry_run,
        )  # fmt: skip
        result = import_schedule(
            context.db,
            context.creditor_id(),
            request,
            user_login=context.user_login,
            archive_folder=context.settings.archive_path,
        )
    except UnreadableFile as exc:
        print(f"Errore: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    finally:
        context.db.dispose()
    if args.errors is not None:
        export_report(result, args.errors)
    return _report(result)


def _report(result: ImportResult) -> int:
    if result.outcome is ImportOutcome.ALREADY_IMPORTED:
        previous = result.previous
        assert previous is not None
        print(f"Il file {result.file_name} è già stato importato il {output.moment(previous.imported_at)} da "
              f"{previous.user_name}: nessuna modifica.")  # fmt: skip
        return EXIT_APPLIED
    if result.outcome is ImportOutcome.REFUSED:
        for issue in result.errors:
            print(issue.describe(), file=sys.stderr)
        count = len(result.errors)
        errors = "1 errore" if count == 1 else f"{output.number(count)} errori"
        print(f"Importazione rifiutata: {errors}, nessuna modifica al database.", file=sys.stderr)
        return EXIT_REFUSED
    for issue in result.warnings:
        print(f"Avviso: {issue.describe()}", file=sys.stderr)
    title = "Controllo riuscito (nessuna modifica scritta)" if result.outcome is ImportOutcome.CHECKED else (
        f"Importazione di {result.file_name} completata")  # fmt: skip
    print(f"{title}:")
    for name, label in _COUNTS:
        print(f"  {label}: {output.number(getattr(result.counts, name))}")
    for credit in result.missing[:20]:
        print(f"  non più nel file: {credit.reference} {credit.holder_name} residuo {output.euro(credit.outstanding)}")
    if len(result.missing) > 20:
        print(f"  … e altri {output.number(len(result.missing) - 20)} (l'elenco completo con --errors)")
    return EXIT_APPLIED
