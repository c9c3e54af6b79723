"""PEC receipts: what a certified-mail provider says happened to a message we sent, read from the receipt's .eml."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any
from xml.etree.ElementTree import Element, ParseError
from zoneinfo import ZoneInfo

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from app.services.errors import CreditDeskError

DATICERT_NAME = "daticert.xml"
# A real daticert.xml is about 1 KB; anything near this size is not one and is not worth parsing.
MAX_DATICERT_BYTES = 512 * 1024
# The PEC system is Italian: a provider that leaves out @zona writes Italian local time.
PEC_ZONE = ZoneInfo("Europe/Rome")


class ReceiptKind(StrEnum):
    """The ``tipo`` of a receipt (or of the transport envelope, ``posta-certificata``), as the provider writes it."""

    ACCEPTANCE = "accettazione"
    NON_ACCEPTANCE = "non-accettazione"
    TAKEN_IN_CHARGE = "presa-in-carico"
    DELIVERY = "avvenuta-consegna"
    DELIVERY_FAILURE = "errore-consegna"
    DELIVERY_FAILURE_WARNING = "preavviso-errore-consegna"
    VIRUS_DETECTED = "rilevazione-virus"
    CERTIFIED_MAIL = "posta-certificata"


class ReceiptError(StrEnum):
    """The ``errore`` of a receipt: why a message was not accepted or not delivered."""

    NONE = "nessuno"
    NO_RECIPIENT = "no-dest"
    NO_DOMAIN = "no-dominio"
    VIRUS = "virus"
    OTHER = "altro"


class ReceiptSource(StrEnum):
    """Where a receipt's data came from: the certified XML or, failing that, the message headers."""

    DATICERT = "daticert"
    HEADERS = "headers"


# Kinds that say the message did not get (or may not get) where it was going.
FAILURE_KINDS = frozenset(
    {
        ReceiptKind.NON_ACCEPTANCE,
        ReceiptKind.DELIVERY_FAILURE,
        ReceiptKind.DELIVERY_FAILURE_WARNING,
        ReceiptKind.VIRUS_DETECTED,
    }
)


class ReceiptUnreadable(CreditDeskError):
    """The message is not a PEC receipt we can read, or it is hostile; nothing was taken from it."""


class _DamagedDaticert(ReceiptUnreadable):
    """daticert.xml is there but unusable (malformed, unknown values): the headers may still say enough."""


@dataclass(frozen=True)
class PecReceipt:
    """One receipt, as plain data: what happened, to which of our messages, when, and for whom."""

    kind: ReceiptKind
    error: ReceiptError
    # Our Message-ID, normalised to "<id>": the key that ties the receipt to the communication we sent.
    original_message_id: str | None
    provider_id: str | None  # identificativo: the provider's own id of the transmission
    issued_at: datetime | None  # aware, in the zone the provider wrote
    recipients: tuple[str, ...]  # consegna (one per delivery receipt) or every ricezione (presa-in-carico)
    error_detail: str | None  # errore-esteso, e.g. "5.1.1 - Aruba Pec S.p.A. - indirizzo non valido"
    sender: str | None = None
    addressees: tuple[str, ...] = ()  # intestazione/destinatari: everyone the message was addressed to
    subject: str | None = None
    provider: str | None = None  # gestore-emittente
    source: ReceiptSource = ReceiptSource.DATICERT
    note: str | None = None  # why the headers were used instead of daticert.xml

    @property
    def is_failure(self) -> bool:
        """True for the kinds that report a message not accepted, not (yet) delivered or infected."""
        return self.kind in FAILURE_KINDS

    @property
    def is_541_warning(self) -> bool:
        """True for a preavviso-errore-consegna whose errore-esteso starts with 5.4.1.

        pagoPA's pn-ec treats such an Aruba warning as a final errore-consegna; whether we do is the caller's policy.
        """
        detail = (self.error_detail or "").lstrip()
        return self.kind is ReceiptKind.DELIVERY_FAILURE_WARNING and detail.startswith("5.4.1")


def normalize_message_id(value: str | None) -> str | None:
    """``value`` as ``<id>`` (None when empty): folding, leftover XML escaping and missing brackets put right."""
    if value is None:
        return None
    text = "".join(value.split())
    if "&" in text:
        # Some providers escape the brackets twice (&amp;lt;), so the XML parser leaves "&lt;" behind.
        text = html.unescape(text)
    core = text.strip("<>")
    return f"<{core}>" if core else None


def parse_receipt(raw: bytes) -> PecReceipt:
    """The receipt in ``raw`` (.eml bytes), from its daticert.xml or, when that is missing or damaged, its headers.

    Raises ReceiptUnreadable when neither says what the message is, or when daticert.xml is hostile.
    """
    message = BytesParser(policy=policy.default).parsebytes(raw)
    xml = find_daticert(message)
    if xml is None:
        problem = "manca l'allegato daticert.xml"
    else:
        try:
            return parse_daticert(xml)
        except _DamagedDaticert as exc:
            problem = str(exc)
    return _from_headers(message, problem)


def find_daticert(message: Message) -> bytes | None:
    """The bytes of the envelope's own daticert.xml, or None; never one inside the forwarded original message.

    A posta-certificata envelope carries the sender's message as postacert.eml: whoever wrote it could attach a
    forged daticert.xml, so only the direct parts of multipart/signed → multipart/mixed are looked at.
    """
    container = message
    if container.get_content_type() == "multipart/signed":
        parts = container.get_payload()
        first = parts[0] if isinstance(parts, list) and parts else None
        if not isinstance(first, Message):
            return None
        container = first
    children = container.get_payload() if container.is_multipart() else None
    found = [part for part in children or () if isinstance(part, Message) and _is_daticert(part)]
    if len(found) > 1:
        raise ReceiptUnreadable("Ricevuta PEC rifiutata: contiene più di un daticert.xml, non si sa quale valga.")
    if not found:
        return None
    payload = found[0].get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def parse_daticert(xml: bytes) -> PecReceipt:
    """The receipt described by a daticert.xml; raises ReceiptUnreadable if it is damaged, unknown or hostile."""
    root = _parse_xml(xml)
    if root.tag != "postacert":
        raise _DamagedDaticert(f"daticert.xml non è una ricevuta PEC (elemento radice <{root.tag}>)")
    kind = _enum_value(ReceiptKind, root.get("tipo"), "tipo")
    error = _enum_value(ReceiptError, root.get("errore", ReceiptError.NONE.value), "errore")
    header = _child(root, "intestazione")
    data = _child(root, "dati")
    delivered_to = _text(data, "consegna")
    return PecReceipt(
        kind=kind,
        error=error,
        original_message_id=normalize_message_id(_text(data, "msgid")),
        provider_id=_text(data, "identificativo"),
        issued_at=_issued_at(_child(data, "data")),
        recipients=(delivered_to,) if delivered_to else _texts(data, "ricezione"),
        error_detail=_text(data, "errore-esteso"),
        sender=_text(header, "mittente"),
        addressees=_texts(header, "destinatari"),
        subject=_text(header, "oggetto"),
        provider=_text(data, "gestore-emittente"),
    )


def _is_daticert(part: Message) -> bool:
    return (part.get_filename() or "").strip().lower() == DATICERT_NAME


def _parse_xml(xml: bytes) -> Element:
    if len(xml) > MAX_DATICERT_BYTES:
        raise _DamagedDaticert(f"daticert.xml troppo grande ({len(xml)} byte)")
    try:
        # A bare DOCTYPE is allowed because real providers send one (Telecom's names postacert.dtd); entity
        # declarations and external references, the means of entity bombs and file theft, are refused.
        root: Element = fromstring(xml, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ReceiptUnreadable(
            "Ricevuta PEC rifiutata: il suo daticert.xml dichiara entità XML (file costruito per nuocere); "
            "non è stato letto. Segnalarla all'assistenza."
        ) from exc
    except ParseError as exc:
        raise _DamagedDaticert(f"daticert.xml non è XML valido ({exc})") from exc
    return root


def _enum_value(enum: Any, value: str | None, attribute: str) -> Any:
    try:
        return enum((value or "").strip())
    except ValueError:
        raise _DamagedDaticert(f"daticert.xml ha {attribute}={value!r}, valore sconosciuto") from None


def _child(element: Element, tag: str) -> Element:
    found = element.find(tag)
    if found is None:
        raise _DamagedDaticert(f"daticert.xml non ha l'elemento <{tag}>")
    return found


def _text(element: Element, tag: str) -> str | None:
    found = element.find(tag)
    text = (found.text or "").strip() if found is not None else ""
    return text or None


def _texts(element: Element, tag: str) -> tuple[str, ...]:
    return tuple(text for found in element.findall(tag) if (text := (found.text or "").strip()))


def _issued_at(data: Element) -> datetime:
    day, time = _text(data, "giorno"), _text(data, "ora")
    try:
        moment = datetime.strptime(f"{day} {time}", "%d/%m/%Y %H:%M:%S")
    except ValueError:
        raise _DamagedDaticert(f"daticert.xml ha una data non valida: giorno={day!r}, ora={time!r}") from None
    return moment.replace(tzinfo=_zone(data.get("zona")))


def _zone(value: str | None) -> tzinfo:
    if not value or not value.strip():
        return PEC_ZONE
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", value.strip())
    if match is None:
        raise _DamagedDaticert(f"daticert.xml ha un fuso orario non valido: zona={value!r}")
    offset = timedelta(hours=int(match[2]), minutes=int(match[3]))
    return timezone(-offset if match[1] == "-" else offset)


def _from_headers(message: Message, problem: str) -> PecReceipt:
    """The little the X- headers say, for a receipt whose daticert.xml is missing or damaged; never the subject."""
    kind = _kind_from_headers(message, problem)
    return PecReceipt(
        kind=kind,
        # The headers do not carry the error type: "altro" is the honest value for a failure.
        error=ReceiptError.OTHER if kind in FAILURE_KINDS else ReceiptError.NONE,
        original_message_id=normalize_message_id(_header(message, "X-Riferimento-Message-ID")),
        provider_id=None,
        issued_at=_header_date(message),
        recipients=(),
        error_detail=None,
        source=ReceiptSource.HEADERS,
        note=f"{problem}: dati presi dalle intestazioni del messaggio",
    )


def _kind_from_headers(message: Message, problem: str) -> ReceiptKind:
    declared = _header(message, "X-Ricevuta")
    transport = (_header(message, "X-Trasporto") or "").lower()
    if declared:
        try:
            return ReceiptKind(declared.lower())
        except ValueError:
            raise ReceiptUnreadable(f"Ricevuta PEC non riconosciuta: {problem} e X-Ricevuta={declared!r}.") from None
    if transport == ReceiptKind.CERTIFIED_MAIL.value:
        return ReceiptKind.CERTIFIED_MAIL
    if transport == "errore":
        raise ReceiptUnreadable(
            "Busta di anomalia PEC: il gestore ha ricevuto un messaggio non certificato; non è una ricevuta."
        )
    raise ReceiptUnreadable(
        f"Il messaggio non è una ricevuta PEC leggibile: {problem} e mancano le intestazioni X-Ricevuta e X-Trasporto."
    )


def _header(message: Message, name: str) -> str | None:
    try:
        value = message.get(name)
    except (ValueError, TypeError, IndexError):  # a header too broken for the email package to model
        return None
    text = str(value).strip() if value is not None else ""
    return text or None


def _header_date(message: Message) -> datetime | None:
    value = _header(message, "Date")
    if value is None:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (ValueError, TypeError, IndexError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=PEC_ZONE)
