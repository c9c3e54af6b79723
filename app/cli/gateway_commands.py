"""``creditdesk gateway …``: the gateways this workstation sends reminders with; secrets read from stdin into
the keyring, never from the command line, where other users of the computer could read them."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.services.dunning.gateway_config import check_whatsapp_connection, configure_mail, configure_whatsapp
from app.settings import load_settings


def add_gateway_commands(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    """``gateway whatsapp …``, ``gateway mail email|pec …``, ``gateway test whatsapp``."""
    gateway = commands.add_parser("gateway", help="canali di invio dei solleciti").add_subparsers(
        dest="gateway_command", title="comandi", metavar="COMANDO", required=True
    )
    whatsapp = gateway.add_parser("whatsapp", parents=[common], help="fornitore WhatsApp (Meta o Twilio)")
    whatsapp.add_argument("--provider", choices=("cloud", "twilio"), help="cloud (API di Meta) o twilio")
    whatsapp.add_argument("--phone-number-id", metavar="ID", help="Meta: identificativo del numero mittente")
    whatsapp.add_argument("--account-sid", metavar="AC…", help="Twilio: account")
    whatsapp.add_argument("--from-number", metavar="+39…", help="Twilio: numero mittente WhatsApp")
    whatsapp.add_argument("--base-url", metavar="URL", help="indirizzo dell'API (solo per prove)")
    whatsapp.add_argument(
        "--token-stdin", action="store_true", help="legge il token da stdin e lo mette nel portachiavi"
    )
    mail = gateway.add_parser("mail", parents=[common], help="server SMTP per e-mail o PEC")
    mail.add_argument("kind", choices=("email", "pec"), help="email o pec")
    mail.add_argument("--host", metavar="HOST")
    mail.add_argument("--port", type=int, metavar="PORTA")
    mail.add_argument("--security", choices=("ssl", "starttls"))
    mail.add_argument("--username", metavar="UTENTE")
    mail.add_argument("--sender", metavar="INDIRIZZO", help="indirizzo del mittente")
    mail.add_argument("--sender-name", metavar="NOME")
    mail.add_argument("--cafile", metavar="FILE", help="certificato di un'autorità privata (solo per prove)")
    mail.add_argument("--password-stdin", action="store_true", help="legge la password da stdin")
    test = gateway.add_parser("test", parents=[common], help="prova la connessione a un canale")
    test.add_argument("kind", choices=("whatsapp",), help="canale da provare")


def gateway_whatsapp_command(args: argparse.Namespace) -> int:
    """Store the WhatsApp settings (and the token in the keyring)."""
    settings = load_settings()
    values = {"provider": args.provider, "phone_number_id": args.phone_number_id, "account_sid": args.account_sid,
              "from_number": args.from_number, "base_url": args.base_url}  # fmt: skip
    configure_whatsapp(settings, values, _secret(args.token_stdin))
    print("Impostazioni WhatsApp salvate." + (" Token nel portachiavi." if args.token_stdin else ""))
    return 0


def gateway_mail_command(args: argparse.Namespace) -> int:
    """Store an e-mail or PEC server's settings (and the password in the keyring)."""
    settings = load_settings()
    values = {"host": args.host, "port": args.port, "security": args.security, "username": args.username,
              "sender": args.sender, "sender_name": args.sender_name, "cafile": args.cafile}  # fmt: skip
    configure_mail(settings, args.kind, values, _secret(args.password_stdin))
    print(f"Impostazioni {args.kind} salvate." + (" Password nel portachiavi." if args.password_stdin else ""))
    return 0


def gateway_test_command(args: argparse.Namespace) -> int:
    """Try the connection and say what the provider answered."""
    print(check_whatsapp_connection(load_settings()))
    return 0


def _secret(from_stdin: bool) -> str | None:
    if not from_stdin:
        return None
    value = sys.stdin.readline().strip()
    return value or None
