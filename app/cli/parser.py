"""An argparse parser that speaks Italian: usage, help and the error messages clerks are likely to see."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

from app import __version__
from app.cli.dunning_commands import add_dunning_commands
from app.cli.gateway_commands import add_gateway_commands
from app.cli.import_command import add_import_commands
from app.cli.letter_commands import add_letter_commands
from app.cli.policy_commands import add_policy_commands
from app.cli.roll_commands import add_roll_commands
from app.models import NoticeKind

# argparse's own messages are English; these patterns turn the common ones into Italian.
_TRANSLATIONS = (
    (re.compile(r"^the following arguments are required: (.*)$"), r"mancano gli argomenti obbligatori: \1"),
    (re.compile(r"^unrecognized arguments: (.*)$"), r"argomenti non riconosciuti: \1"),
    (re.compile(r"^ambiguous option: (\S+) could match (.*)$"), r"opzione ambigua: \1 può indicare \2"),
    (
        re.compile(r"^argument (\S+): invalid choice: (.*) \(choose from (.*)\)$"),
        r"argomento \1: scelta non valida: \2 (scegliere fra \3)",
    ),
    (re.compile(r"^argument (\S+): invalid \w+ value: (.*)$"), r"argomento \1: valore non valido: \2"),
    (re.compile(r"^argument (\S+): expected one argument$"), r"argomento \1: manca il valore"),
    (re.compile(r"^argument (\S+): (.*)$"), r"argomento \1: \2"),
)


def translate(message: str) -> str:
    """The Italian version of an argparse error message (the message itself when it is not known)."""
    for pattern, replacement in _TRANSLATIONS:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


class ItalianHelpFormatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "uso: ")


class ItalianArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser with Italian help and errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ItalianHelpFormatter)
        with_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # ours is added below, in Italian
        super().__init__(*args, **kwargs)
        self._positionals.title = "argomenti"
        self._optionals.title = "opzioni"
        if with_help:
            self.add_argument("-h", "--help", action="help", help="mostra questo aiuto ed esce")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: errore: {translate(message)}\n")


def positive_int(text: str) -> int:
    """An argparse type: a whole number greater than zero."""
    try:
        value = int(text.replace(".", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» non è un numero intero") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"il numero deve essere maggiore di zero, non {value}")
    return value


def _common_options() -> ItalianArgumentParser:
    # Repeated on every subcommand so `creditdesk summary --db URL` works like `creditdesk --db URL summary`;
    # SUPPRESS keeps a value given before the subcommand from being overwritten by a default.
    common = ItalianArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="database da usare")
    common.add_argument("--creditor", metavar="NOME", default=argparse.SUPPRESS, help="ente creditore")
    return common


def _creditor_fields(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tax-code", metavar="CF", help="codice fiscale (16 caratteri o 11 cifre)")
    parser.add_argument("--iban", metavar="IBAN", help="IBAN italiano; ABI, CAB e conto ne derivano")
    parser.add_argument("--sia", metavar="CODICE", help="codice SIA (5 caratteri)")
    parser.add_argument("--pec", metavar="INDIRIZZO", help="indirizzo PEC")
    parser.add_argument(
        "--notice-kind", choices=[k.value for k in NoticeKind], help="tipo di avviso: mav, pagopa o transfer"
    )


def build_parser() -> ItalianArgumentParser:
    """The whole ``creditdesk`` command line."""
    parser = ItalianArgumentParser(
        prog="creditdesk",
        description="CreditDesk: recupero crediti per consorzi. Senza comando apre la finestra.",
    )
    parser.add_argument("--version", action="version", version=f"creditdesk {__version__}", help="mostra la versione")
    parser.add_argument("--db", metavar="URL", default=None, help="database (altrimenti CREDITDESK_DB o impostazioni)")
    parser.add_argument("--creditor", metavar="NOME", default=None, help="ente creditore su cui agire")
    common = _common_options()
    commands = parser.add_subparsers(dest="command", title="comandi", metavar="COMANDO")
    db = commands.add_parser("db", help="gestione del database").add_subparsers(
        dest="db_command", title="comandi", metavar="COMANDO", required=True
    )
    db.add_parser("upgrade", parents=[common], help="aggiorna lo schema del database")
    demo = commands.add_parser("demo", parents=[common], help="genera dati dimostrativi realistici")
    demo.add_argument("--credits", type=positive_int, required=True, metavar="N", help="numero di crediti")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="seme: stessi dati a parità di seme")
    _add_creditor_commands(commands.add_parser("creditor", help="enti creditori"), common)
    summary = commands.add_parser(
        "summary", parents=[common], help="lo stato del database in breve (di un ente con --creditor)"
    )
    summary.add_argument("--json", action="store_true", help="in formato JSON, per gli script")
    add_import_commands(commands, common)
    add_roll_commands(commands, common)
    add_dunning_commands(commands, common)
    add_policy_commands(commands, common)
    add_gateway_commands(commands, common)
    add_letter_commands(commands, common)
    return parser


def _add_creditor_commands(parser: ItalianArgumentParser, common: ItalianArgumentParser) -> None:
    creditor = parser.add_subparsers(dest="creditor_command", title="comandi", metavar="COMANDO", required=True)
    creditor.add_parser("list", parents=[common], help="elenca gli enti creditori")
    add = creditor.add_parser("add", parents=[common], help="aggiunge un ente creditore")
    add.add_argument("name", metavar="NOME", help="nome dell'ente")
    _creditor_fields(add)
    change = creditor.add_parser("set", parents=[common], help="modifica i dati dell'ente creditore")
    change.add_argument("--name", metavar="NOME", help="nuovo nome")
    _creditor_fields(change)
    notices = creditor.add_parser("notices", parents=[common], help="dati stampati sugli avvisi e codici pagoPA")
    notices.add_argument("--bic", metavar="BIC", help="BIC della banca dell'ente (codice QR del bonifico)")
    notices.add_argument("--segregation-code", metavar="NN", help="codice di segregazione pagoPA (2 cifre)")
    notices.add_argument("--cbill", metavar="CODICE", help="codice CBILL dell'ente (5 caratteri)")
    notices.add_argument("--postal-account", metavar="CONTO", help="conto corrente postale")
    notices.add_argument("--logo", metavar="FILE", help="logo dell'ente (PNG o JPEG)")
    notices.add_argument("--instructions", metavar="FILE.txt", type=Path,
                         help="testo delle istruzioni di pagamento, con {segnaposto} (UTF-8)")  # fmt: skip
