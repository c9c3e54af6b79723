"""Which channel reaches a payer: the level's own first, then its fallbacks, as the payer's data allow."""

from __future__ import annotations

from dataclasses import dataclass

from app.models import Channel


@dataclass(frozen=True, slots=True)
class Contact:
    """What the registry knows of how to reach a payer."""

    name: str
    mobile: str | None
    whatsapp_consent: bool
    email: str | None
    pec: str | None
    postal_address: str | None  # "Via Roma 1, 00100 Roma (RM)" when street, postal code and city are known


def parse_channels(text: str) -> tuple[Channel, ...]:
    """The channels of a level, first choice first (stored comma-separated)."""
    return tuple(Channel(part.strip()) for part in text.split(",") if part.strip())


def reach(contact: Contact, channels: tuple[Channel, ...]) -> tuple[Channel, str] | None:
    """The first channel of ``channels`` that can reach ``contact``, with the address to use; None if none can.

    WhatsApp needs a mobile number and the payer's recorded consent; letters need a complete postal address.
    """
    for channel in channels:
        address = _address(contact, channel)
        if address:
            return channel, address
    return None


def _address(contact: Contact, channel: Channel) -> str | None:
    if channel is Channel.WHATSAPP:
        return contact.mobile if contact.whatsapp_consent else None
    if channel is Channel.EMAIL:
        return contact.email
    if channel is Channel.PEC:
        return contact.pec
    return contact.postal_address
