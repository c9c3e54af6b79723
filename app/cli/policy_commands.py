"""``creditdesk policy list|show|export|import|preview``: a creditor's dunning policies from the command line, and
their JSON form, which ``import`` validates exactly as the window's Save does."""

from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.bootstrap import open_context
from app.cli import output
from app.cli.roll_commands import creditor_of
from app.models import Channel, CreditKind
from app.services.dunning.policies import (
    CHANNEL_NAMES,
    KIND_NAMES,
    LevelDraft,
    PolicyDraft,
    describe_offset,
    find_policy,
    hours_text,
    list_policies,
    load_policy,
    save_policy,
)
from app.services.dunning.policy_preview import preview_candidates, preview_level
from app.services.errors import InvalidInput, NotFound

FORMAT = "creditdesk.dunning_policy"
VERSION = 1
_HOURS = re.compile(r"^(\d{1,2}):(\d{2})$")


def level_number(text: str) -> int:
    """An argparse type: a level's number, 1 for the first."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"«{text}» non è il numero di un livello (1 per il primo)")
    return int(text)


def add_policy_commands(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    """``policy list``, ``policy show NOME``, ``policy export NOME FILE.json``, ``policy import FILE.json``,
    ``policy preview NOME --level N [--credit NUMERO]``."""
    policy = commands.add_parser("policy", help="procedure di sollecito").add_subparsers(
        dest="policy_command", title="comandi", metavar="COMANDO", required=True
    )
    policy.add_parser("list", parents=[common], help="elenca le procedure di sollecito dell'ente")
    show = policy.add_parser("show", parents=[common], help="mostra una procedura, livello per livello")
    show.add_argument("name", metavar="NOME", help="nome della procedura")
    export = policy.add_parser("export", parents=[common], help="scrive una procedura in un file JSON")
    export.add_argument("name", metavar="NOME", help="nome della procedura")
    export.add_argument("file", type=Path, metavar="FILE.json", help="file da scrivere")
    load = policy.add_parser("import", parents=[common], help="crea o aggiorna (per nome) una procedura da un "
                             "file JSON, dopo averla controllata")  # fmt: skip
    load.add_argument("file", type=Path, metavar="FILE.json", help="file scritto da «policy export»")
    preview = policy.add_parser("preview", parents=[common], help="un livello con i dati di un credito vero")
    preview.add_argument("name", metavar="NOME", help="nome della procedura")
    preview.add_argument(
        "--level", type=level_number, required=True, metavar="N", help="numero del livello (1: il primo)"
    )
    preview.add_argument("--credit", metavar="NUMERO", help="numero del credito di esempio (altrimenti uno scelto)")


def policy_list_command(args: argparse.Namespace) -> int:
    """The creditor's policies, the default first."""
    context = open_context(args.db)
    try:
        policies = list_policies(context.db, creditor_of(context, args))
    finally:
        context.db.dispose()
    print(f"{'Procedura':<32} {'Vale per':<24} {'Livelli':>7}  {'Orari':<11}  Invio")
    for p in policies:
        hours = f"{hours_text(p.send_from)}-{hours_text(p.send_until)}"
        print(f"{p.name[:32]:<32} {_served(p.credit_kind):<24} {p.levels:>7}  {hours:<11}  {_sending(p.automatic)}")
    return 0


def policy_show_command(args: argparse.Namespace) -> int:
    """One policy: what it serves, how it sends, and each level with its text."""
    context = open_context(args.db)
    try:
        draft = find_policy(context.db, creditor_of(context, args), args.name)
    finally:
        context.db.dispose()
    print(show_text(draft))
    return 0


def show_text(draft: PolicyDraft) -> str:
    """A policy as a clerk reads it on a terminal."""
    lines = [f"Procedura «{draft.name}»: {_served(draft.credit_kind)}",
             f"Invio {_sending(draft.automatic)}, dalle {hours_text(draft.send_from)} alle "
             f"{hours_text(draft.send_until)}"]  # fmt: skip
    for number, level in enumerate(draft.levels, 1):
        channels = " → ".join(_channel_name(name) for name in level.channels)
        lines += ["", f"{number}. {level.name}: {describe_offset(level.offset_days)}", f"   Canali: {channels}"]
        if level.provider_template:
            lines.append(f"   Modello WhatsApp: {level.provider_template}")
        if level.min_outstanding:
            lines.append(f"   Solo da un residuo di {output.euro(level.min_outstanding)}")
        lines += ["   Testo:", *(f"     {line}" for line in level.template.splitlines())]
    return "\n".join(lines)


def _channel_name(name: str) -> str:
    known = {channel.value: channel for channel in Channel}
    return CHANNEL_NAMES[known[name]] if name in known else name


def _served(kind: CreditKind | None) -> str:
    return f"solo {KIND_NAMES[kind]}" if kind else "tutti i tipi (predefinita)"


def _sending(automatic: bool) -> str:
    return "automatico, senza approvazione" if automatic else "dopo l'approvazione"


def policy_export_command(args: argparse.Namespace) -> int:
    """Write the policy as JSON (levels in order, texts included), for another installation or a backup."""
    context = open_context(args.db)
    try:
        draft = find_policy(context.db, creditor_of(context, args), args.name)
    finally:
        context.db.dispose()
    args.file.write_text(json.dumps(policy_json(draft), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Procedura «{draft.name}» scritta in {args.file}: {len(draft.levels)} livelli.")
    return 0


def policy_json(draft: PolicyDraft) -> dict[str, Any]:
    """The policy's JSON form: no ids, so it can be imported into any creditor."""
    return {
        "format": FORMAT, "version": VERSION, "name": draft.name,
        "credit_kind": draft.credit_kind.value if draft.credit_kind else None, "automatic": draft.automatic,
        "send_from": hours_text(draft.send_from), "send_until": hours_text(draft.send_until),
        "levels": [
            {"name": level.name, "offset_days": level.offset_days, "channels": list(level.channels),
             "provider_template": level.provider_template, "min_outstanding": str(level.min_outstanding),
             "template": level.template}
            for level in draft.levels
        ],
    }  # fmt: skip


def policy_import_command(args: argparse.Namespace) -> int:
    """Create the policy of the file, or replace the creditor's one of the same name; nothing is written unless
    the whole policy passes the checks the window applies."""
    data = _read_json(args.file)
    context = open_context(args.db)
    try:
        creditor_id = creditor_of(context, args)
        try:
            existing: PolicyDraft | None = find_policy(context.db, creditor_id, str(data.get("name", "")))
        except NotFound:
            existing = None
        draft = policy_from_json(data, creditor_id, existing)
        saved = load_policy(context.db, save_policy(context.db, draft, user_login=context.user_login))
    finally:
        context.db.dispose()
    done = "aggiornata" if existing else "creata"
    print(f"Procedura «{saved.name}» {done}: {len(saved.levels)} livelli.")
    return 0


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"Il file {path} non si legge come testo UTF-8 ({error}).") from error
    except json.JSONDecodeError as error:
        raise InvalidInput(f"Il file {path} non è JSON valido: riga {error.lineno}, colonna {error.colno}.") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(f"Il file {path} non è una procedura di sollecito scritta da «creditdesk policy export».")
    if data.get("version") != VERSION:
        raise InvalidInput(f"Il file {path} è nella versione {data.get('version')} del formato; questa CreditDesk "
                           f"legge la versione {VERSION}.")  # fmt: skip
    return data


def policy_from_json(data: dict[str, Any], creditor_id: int, existing: PolicyDraft | None) -> PolicyDraft:
    """The draft a JSON policy describes. Replacing ``existing``, each level keeps the stored level of the same
    name (else of the same days), so what was already sent at that level stays tied to it."""
    kind = _field(data, "credit_kind", (str, type(None)))
    if kind is not None and kind not in {k.value for k in CreditKind}:
        raise InvalidInput(f"Campo «credit_kind»: «{kind}» non è un tipo di credito "
                           f"({', '.join(k.value for k in CreditKind)}, o null per tutti).")  # fmt: skip
    levels = _field(data, "levels", list)
    stored = list(existing.levels) if existing else []
    drafts = tuple(_level(entry, number, stored) for number, entry in enumerate(levels, 1))
    return PolicyDraft(creditor_id=creditor_id, name=_field(data, "name", str),
                       credit_kind=CreditKind(kind) if kind else None, automatic=_field(data, "automatic", bool),
                       send_from=_minutes(data, "send_from"), send_until=_minutes(data, "send_until"),
                       levels=drafts, id=existing.id if existing else None)  # fmt: skip


def _level(entry: Any, number: int, stored: list[LevelDraft]) -> LevelDraft:
    if not isinstance(entry, dict):
        raise InvalidInput(f"Livello {number}: atteso un oggetto JSON con nome, giorni, canali e testo.")
    where = f"livello {number}, "
    name, offset = _field(entry, "name", str, where), _field(entry, "offset_days", int, where)
    channels = _field(entry, "channels", list, where)
    try:
        minimum = Decimal(str(entry.get("min_outstanding", "0.00")))
    except InvalidOperation as error:
        raise InvalidInput(f'Campo «{where}min_outstanding»: non è un importo (es. "25.00").') from error
    match = next((level for level in stored if level.name == name), None) or next(
        (level for level in stored if level.offset_days == offset), None)  # fmt: skip
    if match is not None:
        stored.remove(match)
    return LevelDraft(name=name, offset_days=offset, channels=tuple(str(c) for c in channels),
                      template=_field(entry, "template", str, where),
                      provider_template=_field(entry, "provider_template", (str, type(None)), where),
                      min_outstanding=minimum, id=match.id if match else None)  # fmt: skip


def _field(data: dict[str, Any], key: str, kinds: type | tuple[type, ...], where: str = "") -> Any:
    if key not in data:
        raise InvalidInput(f"Campo «{where}{key}» mancante nel file.")
    value = data[key]
    # bool is an int in Python: a day count of true is no day count.
    if not isinstance(value, kinds) or (isinstance(value, bool) and kinds is int):
        raise InvalidInput(f"Campo «{where}{key}»: valore {json.dumps(value, ensure_ascii=False)} non valido.")
    return value


def _minutes(data: dict[str, Any], key: str) -> int:
    text = _field(data, key, str)
    found = _HOURS.match(text)
    if not found or int(found[2]) > 59 or int(found[1]) * 60 + int(found[2]) > 24 * 60:
        raise InvalidInput(f'Campo «{key}»: «{text}» non è un orario (hh:mm, es. "09:00").')
    return int(found[1]) * 60 + int(found[2])


def policy_preview_command(args: argparse.Namespace) -> int:
    """A level's text filled with a real credit's data (the one given, or the most telling unpaid one)."""
    context = open_context(args.db)
    try:
        creditor_id = creditor_of(context, args)
        draft = find_policy(context.db, creditor_id, args.name)
        if args.level > len(draft.levels):
            raise InvalidInput(f"La procedura «{draft.name}» ha {len(draft.levels)} livelli: --level da 1 a "
                               f"{len(draft.levels)}.")  # fmt: skip
        level = draft.levels[args.level - 1]
        found = preview_candidates(context.db, creditor_id, args.credit or "", 50 if args.credit else 1)
        if args.credit:
            found = [c for c in found if c.reference.lower() == args.credit.strip().lower()]
            if not found:
                raise NotFound(f"Nessun credito da pagare con numero «{args.credit}».")
        text = preview_level(context.db, creditor_id, level.template, found[0].credit_id if found else None)
    finally:
        context.db.dispose()
    example = f"il credito {found[0].reference} di {found[0].payer_name}" if found else "dati inventati"
    print(f"Livello {args.level} «{level.name}» con {example}:", file=sys.stderr)
    print(text)
    return 0
