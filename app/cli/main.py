"""The ``creditdesk`` command: parse, dispatch, and turn every user error into a clear message."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from app.cli import commands, dunning_commands, gateway_commands, letter_commands, policy_commands, roll_commands
from app.cli.import_command import import_schedule_command
from app.cli.parser import build_parser
from app.services.errors import CreditDeskError
from app.services.imports.sources import check_xml_safety

_SUBCOMMANDS = (
    "db_command",
    "creditor_command",
    "import_command",
    "roll_command",
    "payments_command",
    "notices_command",
    "dunning_command",
    "gateway_command",
    "letters_command",
    "policy_command",
)
Handler = Callable[[argparse.Namespace], int]
_HANDLERS: dict[tuple[str | None, str | None], Handler] = {
    (None, None): commands.open_window,
    ("db", "upgrade"): commands.db_upgrade,
    ("demo", None): commands.demo,
    ("creditor", "list"): commands.creditor_list,
    ("creditor", "add"): commands.creditor_add,
    ("creditor", "set"): commands.creditor_set,
    ("creditor", "notices"): commands.creditor_notices,
    ("summary", None): commands.summary,
    ("import", "schedule"): import_schedule_command,
    ("roll", "create"): roll_commands.roll_create_command,
    ("roll", "export"): roll_commands.roll_export_command,
    ("roll", "import-codes"): roll_commands.roll_import_codes_command,
    ("payments", "import"): roll_commands.payments_import_command,
    ("notices", "pdf"): roll_commands.notices_pdf_command,
    ("dunning", "plan"): dunning_commands.dunning_plan_command,
    ("dunning", "run"): dunning_commands.dunning_run_command,
    ("worker", None): dunning_commands.worker_command,
    ("gateway", "whatsapp"): gateway_commands.gateway_whatsapp_command,
    ("gateway", "mail"): gateway_commands.gateway_mail_command,
    ("gateway", "test"): gateway_commands.gateway_test_command,
    ("policy", "list"): policy_commands.policy_list_command,
    ("policy", "show"): policy_commands.policy_show_command,
    ("policy", "export"): policy_commands.policy_export_command,
    ("policy", "import"): policy_commands.policy_import_command,
    ("policy", "preview"): policy_commands.policy_preview_command,
    ("letters", "print"): letter_commands.letters_print_command,
    ("letters", "number"): letter_commands.letters_number_command,
    ("letters", "receipt"): letter_commands.letters_receipt_command,
}


def _handler(args: argparse.Namespace) -> Handler:
    sub = next((getattr(args, name) for name in _SUBCOMMANDS if getattr(args, name, None)), None)
    return _HANDLERS[(args.command, sub)]


def main(argv: list[str] | None = None) -> int:
    """Run ``creditdesk`` with ``argv`` (default: the process arguments); return the exit code."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_request:  # --help, --version and argparse errors end here
        code = exit_request.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    try:
        check_xml_safety()
        return _handler(args)(args)
    except CreditDeskError as exc:
        print(f"Errore: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        detail = getattr(exc, "orig", None) or exc
        print(f"Errore del database: {str(detail).strip()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrotto.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
