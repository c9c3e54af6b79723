"""What every gateway speaks: the message, its receipt and statuses, and what a failure proves about delivery."""

from __future__ import annotations

import email.utils
import enum
import json
import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import ConnectTimeoutError

from app.services.errors import CreditDeskError

# (connect, read) seconds: requests waits forever without one.
Timeout = tuple[float, float]
DEFAULT_TIMEOUT: Timeout = (5.0, 20.0)
MAYBE_SENT = "Non viene rinviato da solo: verifica e decidi se reinviarlo o segnarlo come inviato."


class DeliveryStatus(enum.StrEnum):
    """Where a message is on its way to the recipient, as far as the provider has told us."""

    ACCEPTED = "accepted"  # taken by the provider, not yet handed to WhatsApp
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"

    @property
    def rank(self) -> int:
        """Order along the way; READ and FAILED are both ends, so neither overrides the other."""
        return _RANKS[self]

    @property
    def is_final(self) -> bool:
        """No later status is expected."""
        return self.rank == _RANKS[DeliveryStatus.READ]

    def advances(self, current: DeliveryStatus | None) -> bool:
        """Whether this status moves a message on from ``current``; a late or repeated one never moves it back."""
        return current is None or self.rank > current.rank


_RANKS = {
    DeliveryStatus.ACCEPTED: 0,
    DeliveryStatus.SENT: 1,
    DeliveryStatus.DELIVERED: 2,
    DeliveryStatus.READ: 3,
    DeliveryStatus.FAILED: 3,
}


class RefusalReason(enum.StrEnum):
    """Why a provider refused a message for good."""

    INVALID_NUMBER = "invalid_number"
    NOT_ON_WHATSAPP = "not_on_whatsapp"
    NO_CONSENT = "no_consent"
    OUTSIDE_WINDOW = "outside_window"
    TEMPLATE = "template"
    AUTHENTICATION = "authentication"
    CONFIGURATION = "configuration"
    REQUEST = "request"
    OTHER = "other"

    @property
    def concerns_recipient(self) -> bool:
        """True when the recipient is the problem (try another channel); False when our set-up is (fix it, keep the
        message)."""
        return self in _RECIPIENT_REASONS


_RECIPIENT_REASONS = frozenset(
    {
        RefusalReason.INVALID_NUMBER,
        RefusalReason.NOT_ON_WHATSAPP,
        RefusalReason.NO_CONSENT,
        RefusalReason.OUTSIDE_WINDOW,
    }
)


# A provider's error code → why it refuses for good (None: nothing delivered, a later resend may succeed) and what
# the clerk should read.
ErrorTable = Mapping[int, tuple[RefusalReason | None, str]]


class GatewayError(CreditDeskError):
    """A gateway call that ended without a receipt; the message says in Italian what happened and what to do."""

    def __init__(self, message: str, *, provider_code: str | None = None, http_status: int | None = None) -> None:
        super().__init__(message)
        self.provider_code = provider_code
        self.http_status = http_status


class NotDelivered(GatewayError):
    """Proof that nothing reached the recipient (no connection, rate limit, provider busy before accepting): the
    message may be sent again, not before ``retry_after`` seconds when the provider said so."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        provider_code: str | None = None,
        http_status: int | None = None,
    ) -> None:
        super().__init__(message, provider_code=provider_code, http_status=http_status)
        self.retry_after = retry_after


class Refused(GatewayError):
    """The provider refused the message and a resend cannot change that: nothing was delivered, a clerk or another
    channel must act (``reason.concerns_recipient`` tells which)."""

    def __init__(
        self,
        message: str,
        *,
        reason: RefusalReason,
        provider_code: str | None = None,
        http_status: int | None = None,
    ) -> None:
        super().__init__(message, provider_code=provider_code, http_status=http_status)
        self.reason = reason


class OutcomeUnknown(GatewayError):
    """The request left this computer and no clear answer came back: the message may have been delivered. Never
    resend it automatically; a status, a receipt or a clerk settles it."""


class InvalidWebhook(GatewayError):
    """A callback that cannot be trusted (signature missing or wrong) or read; nothing in it was used."""


@dataclass(frozen=True)
class Document:
    """A PDF to attach: its bytes (uploaded by a gateway that can), a public HTTPS link, or a Cloud API media id."""

    filename: str
    content: bytes | None = None
    link: str | None = None
    media_id: str | None = None

    def __post_init__(self) -> None:
        if not (self.content or self.link or self.media_id):
            raise ValueError("a document needs its content, a link or a media id")


@dataclass(frozen=True)
class OutgoingMessage:
    """One templated WhatsApp message for one recipient.

    ``template`` is what the provider knows the approved template by: its name on the Cloud API, its ContentSid
    (HX…) on Twilio. ``parameters`` fill the body in order; ``parameter_names``, when the template has named
    parameters, name them one by one. ``reference`` is our attempt id, echoed back by providers that can.
    """

    to: str
    template: str
    parameters: tuple[str, ...] = ()
    parameter_names: tuple[str, ...] = ()
    language: str = "it"
    document: Document | None = None
    reference: str = ""

    def __post_init__(self) -> None:
        if self.parameter_names and len(self.parameter_names) != len(self.parameters):
            raise ValueError("parameter_names must name every parameter")


@dataclass(frozen=True)
class SendReceipt:
    """The provider took the message: keep ``provider_message_id`` to match its statuses later."""

    provider: str
    provider_message_id: str
    recipient: str
    status: DeliveryStatus
    raw_status: str


@dataclass(frozen=True)
class StatusError:
    """Why a message failed after it was accepted; ``reason`` is None when a later resend could succeed."""

    code: str
    message: str
    reason: RefusalReason | None


@dataclass(frozen=True)
class StatusUpdate:
    """One status the provider reported for a message it had accepted."""

    provider: str
    provider_message_id: str
    status: DeliveryStatus
    raw_status: str
    timestamp: datetime | None = None
    recipient: str = ""
    error: StatusError | None = None
    reference: str = ""

    @property
    def implies_delivered(self) -> bool:
        """A read message was delivered even when the ``delivered`` status never came."""
        return self.status in (DeliveryStatus.DELIVERED, DeliveryStatus.READ)


class Gateway(Protocol):
    """What the dunning engine needs of a messaging gateway."""

    provider: str

    def send(self, message: OutgoingMessage) -> SendReceipt:
        """Hand one message to the provider; raise NotDelivered, Refused or OutcomeUnknown otherwise."""
        ...

    def test_connection(self) -> str:
        """A short Italian sentence when the credentials work; a GatewayError saying what to fix otherwise."""
        ...


def whatsapp_number(raw: str) -> str:
    """The number as E.164 digits without "+" (an Italian mobile becomes 39…); Refused for a landline or garbage."""
    compact = re.sub(r"[\s.\-/()]", "", raw)
    if compact.startswith("+"):
        digits, international = compact[1:], True
    elif compact.startswith("00"):
        digits, international = compact[2:], True
    else:
        digits, international = compact, False
    if not re.fullmatch(r"[0-9]{6,15}", digits):
        raise _bad_number(raw, "non è un numero di telefono")
    if not international and not (digits.startswith("393") and len(digits) in (11, 12)):
        # Written the Italian way: a mobile has 9 or 10 digits and starts with 3, a landline starts with 0.
        digits = "39" + digits
    if digits.startswith("39"):
        national = digits[2:]
        if national.startswith("0"):
            raise _bad_number(raw, "è un numero fisso, che non riceve WhatsApp")
        if not (national.startswith("3") and len(national) in (9, 10)):
            raise _bad_number(raw, "non è un cellulare italiano valido")
    elif digits.startswith("0") or len(digits) < 8:
        raise _bad_number(raw, "non è un numero internazionale valido")
    return digits


def _bad_number(raw: str, why: str) -> Refused:
    return Refused(
        f"Il numero «{raw.strip()}» {why}: correggilo nell'anagrafica o usa un altro canale.",
        reason=RefusalReason.INVALID_NUMBER,
    )


def masked(number: str) -> str:
    """A phone number fit for a log line: only its last four digits."""
    return "…" + number[-4:]


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def json_object(response: requests.Response) -> dict[str, Any] | None:
    """The response body as a JSON object, or None when it is not one."""
    try:
        body = response.json()
    except (ValueError, json.JSONDecodeError):
        return None
    return body if isinstance(body, dict) else None


def perform(
    session: requests.Session,
    method: str,
    url: str,
    *,
    delivers: bool,
    timeout: Timeout,
    label: str,
    **kwargs: Any,
) -> requests.Response:
    """One HTTP request with a timeout; a transport failure becomes NotDelivered when it provably happened before
    the request left (or when the request cannot deliver anything), OutcomeUnknown otherwise."""
    try:
        # A redirect is never the provider's answer (a proxy, a captive portal): it is reported, not followed.
        return session.request(method, url, timeout=timeout, allow_redirects=False, **kwargs)
    except (
        requests.exceptions.InvalidURL,
        requests.exceptions.MissingSchema,
        requests.exceptions.InvalidSchema,
    ) as exc:
        raise Refused(
            f"L'indirizzo del servizio {label} non è valido: controllalo in Impostazioni.",
            reason=RefusalReason.CONFIGURATION,
        ) from exc
    except requests.RequestException as exc:
        raise transport_error(exc, delivers=delivers, url=url, label=label, timeout=timeout) from exc


def transport_error(
    exc: requests.RequestException, *, delivers: bool, url: str, label: str, timeout: Timeout
) -> GatewayError:
    """The domain error for a request that got no HTTP answer."""
    host = urlsplit(url).hostname or url
    if _sent_nothing(exc):
        return NotDelivered(
            f"Impossibile collegarsi a {label} ({host}): nessun messaggio è partito. Controlla la connessione a "
            "Internet, il proxy o il firewall; l'invio potrà essere ripetuto."
        )
    what = (
        f"nessuna risposta entro {timeout[1]:g} secondi"
        if isinstance(exc, requests.Timeout)
        else "la connessione si è interrotta prima della risposta"
    )
    if not delivers:
        return NotDelivered(f"{label} ({host}): {what}. Riprova più tardi.")
    return OutcomeUnknown(
        f"{label} ({host}): {what}, dopo che la richiesta era già partita. Il messaggio potrebbe essere stato "
        f"consegnato. {MAYBE_SENT}"
    )


def http_error(
    name: str,
    table: ErrorTable,
    *,
    status: int,
    code: object,
    detail: object,
    retry_after: float | None,
    delivers: bool,
) -> GatewayError:
    """The domain error of an HTTP error answer: the provider's code decides when ``table`` knows it, else the
    HTTP status (a 5xx after a send may hide a message that went)."""
    provider_code = str(code) if code is not None else None
    known = table.get(code) if isinstance(code, int) else None
    if known is not None:
        reason, text = known
        message = with_code(name, text, code, detail)
        if reason is None:
            return NotDelivered(message, retry_after=retry_after, provider_code=provider_code, http_status=status)
        return Refused(message, reason=reason, provider_code=provider_code, http_status=status)
    if status in (408, 429):
        text = f"{name} è occupato e non ha accettato il messaggio: l'invio riprenderà più tardi."
        message = with_code(name, text, code, detail)
        return NotDelivered(message, retry_after=retry_after, provider_code=provider_code, http_status=status)
    if status >= 500 and delivers:
        text = (
            f"{name} ha risposto con un errore interno (HTTP {status}) dopo aver ricevuto il messaggio, che potrebbe "
            f"essere partito. {MAYBE_SENT}"
        )
        return OutcomeUnknown(with_code(name, text, code, detail), provider_code=provider_code, http_status=status)
    if status >= 500:
        text = f"{name} non è disponibile (HTTP {status}): riprova più tardi."
        return NotDelivered(with_code(name, text, code, detail), provider_code=provider_code, http_status=status)
    reason = RefusalReason.AUTHENTICATION if status in (401, 403) else RefusalReason.OTHER
    text = f"{name} ha rifiutato la richiesta (HTTP {status})."
    return Refused(with_code(name, text, code, detail), reason=reason, provider_code=provider_code, http_status=status)


def unreadable_answer(name: str, *, delivers: bool) -> GatewayError:
    """The error for a success answer we cannot read (or that lacks the message id): after a send, it may have gone."""
    if delivers:
        return OutcomeUnknown(
            f"{name} ha risposto senza dati leggibili: il messaggio potrebbe essere partito. {MAYBE_SENT}"
        )
    return NotDelivered(f"{name} ha risposto senza dati leggibili: riprova più tardi.")


def status_error(name: str, table: ErrorTable, code: object, detail: object) -> StatusError:
    """Why an accepted message failed later, from the provider's error code."""
    number = int(code) if isinstance(code, int | str) and str(code).isdigit() else None
    known = table.get(number) if number is not None else None
    if known is not None:
        return StatusError(str(number), with_code(name, known[1], number, detail), known[0])
    text = f"{name} non ha consegnato il messaggio."
    return StatusError(
        "" if number is None else str(number), with_code(name, text, number, detail), RefusalReason.OTHER
    )


def with_code(name: str, text: str, code: object, detail: object) -> str:
    """The clerk's sentence, then the provider's code and own words for whoever helps the clerk."""
    suffix = f" [{name}, codice {code}]" if code is not None else ""
    return f"{text}{suffix}" + (f" Dettaglio: {detail}" if detail else "")


def _sent_nothing(exc: BaseException) -> bool:
    """Whether the failure happened while connecting, so no byte of the request reached the provider."""
    stack: list[BaseException] = [exc]
    seen: set[int] = set()
    while stack:
        error = stack.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        # urllib3's NewConnectionError (refused, unreachable, no DNS) is a ConnectTimeoutError; a certificate the
        # handshake rejects also fails before the request is written.
        if isinstance(error, ConnectTimeoutError | ssl.SSLCertVerificationError | requests.ConnectTimeout):
            return True
        linked = (error.__cause__, error.__context__, getattr(error, "reason", None), *error.args)
        stack.extend(item for item in linked if isinstance(item, BaseException))
    return False
