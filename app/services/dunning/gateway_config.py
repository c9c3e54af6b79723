"""The gateways a workstation sends with: their settings in the settings file, their secrets in the keyring."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.models import Channel
from app.services.dunning.dispatch import Sender
from app.services.dunning.senders import MailSender, WhatsAppSender
from app.services.errors import InvalidInput
from app.services.gateways.base import Gateway
from app.services.gateways.smtp_mail import MailSecurity, SmtpServer
from app.services.gateways.twilio import TwilioWhatsAppGateway
from app.services.gateways.whatsapp_cloud import WhatsAppCloudGateway
from app.services.secrets import get_secret, set_secret
from app.settings import Settings, save_settings

MAIL_CHANNELS = {"email": Channel.EMAIL, "pec": Channel.PEC}
_PROVIDERS = ("cloud", "twilio")


def secret_name(gateway: str) -> str:
    """The keyring entry holding a gateway's token or password."""
    return f"gateway:{gateway}"


def _section(settings: Settings, gateway: str) -> dict[str, Any]:
    gateways = settings.extra.setdefault("gateways", {})
    section: dict[str, Any] = gateways.setdefault(gateway, {})
    return section


def configure_whatsapp(settings: Settings, values: Mapping[str, str | None], token: str | None) -> None:
    """Store the WhatsApp provider's settings (``provider``: cloud or twilio, and its ids); the token, if given,
    goes to the keyring only."""
    provider = values.get("provider") or _section(settings, "whatsapp").get("provider")
    if provider not in _PROVIDERS:
        raise InvalidInput("Indicare il fornitore WhatsApp: cloud (API di Meta) o twilio.")
    section = _section(settings, "whatsapp")
    section.update({key: value for key, value in values.items() if value is not None})
    needed = ("phone_number_id",) if provider == "cloud" else ("account_sid", "from_number")
    missing = [name for name in needed if not section.get(name)]
    if missing:
        raise InvalidInput(f"Per WhatsApp ({provider}) mancano: {', '.join(missing)}.")
    save_settings(settings)
    if token:
        set_secret(secret_name("whatsapp"), token)


def configure_mail(settings: Settings, gateway: str, values: Mapping[str, Any], password: str | None) -> None:
    """Store an e-mail or PEC server's settings (host, port, security, username, sender); the password, if given,
    goes to the keyring only."""
    if gateway not in MAIL_CHANNELS:
        raise InvalidInput(f"Servizio di posta sconosciuto: {gateway} (email o pec).")
    section = _section(settings, gateway)
    section.update({key: value for key, value in values.items() if value is not None})
    missing = [name for name in ("host", "username", "sender") if not section.get(name)]
    if missing:
        raise InvalidInput(f"Per {gateway} mancano: {', '.join(missing)}.")
    save_settings(settings)
    if password:
        set_secret(secret_name(gateway), password)


def whatsapp_gateway(settings: Settings) -> Gateway | None:
    """The configured WhatsApp gateway, or None when it is not configured or has no token in the keyring."""
    section = settings.extra.get("gateways", {}).get("whatsapp")
    token = get_secret(secret_name("whatsapp"))
    if not section or not token:
        return None
    base = {"base_url": section["base_url"]} if section.get("base_url") else {}
    if section.get("provider") == "twilio":
        return TwilioWhatsAppGateway(section["account_sid"], token, section["from_number"], **base)
    return WhatsAppCloudGateway(phone_number_id=section["phone_number_id"], token=token, **base)


def mail_sender(settings: Settings, gateway: str) -> MailSender | None:
    """The configured e-mail or PEC sender, or None when it is not configured or has no password in the keyring."""
    section = settings.extra.get("gateways", {}).get(gateway)
    password = get_secret(secret_name(gateway))
    if not section or not password:
        return None
    security = MailSecurity(section.get("security", "ssl"))
    server = SmtpServer(host=section["host"], username=section["username"], port=int(section.get("port", 465)),
                        security=security, cafile=section.get("cafile"))  # fmt: skip
    return MailSender(server, password, section["sender"], section.get("sender_name"))


def build_senders(settings: Settings) -> dict[Channel, Sender]:
    """A sender for each channel this workstation has a complete configuration for."""
    senders: dict[Channel, Sender] = {}
    gateway = whatsapp_gateway(settings)
    if gateway is not None:
        provider = settings.extra.get("gateways", {}).get("whatsapp", {}).get("provider", "cloud")
        senders[Channel.WHATSAPP] = WhatsAppSender(gateway, provider=provider)
    for name, channel in MAIL_CHANNELS.items():
        sender = mail_sender(settings, name)
        if sender is not None:
            senders[channel] = sender
    return senders


def check_whatsapp_connection(settings: Settings) -> str:
    """The provider's answer to a connection test, in Italian; raises a GatewayError saying what to fix."""
    gateway = whatsapp_gateway(settings)
    if gateway is None:
        raise InvalidInput("WhatsApp non è configurato, o il suo token non è nel portachiavi.")
    return gateway.test_connection()
