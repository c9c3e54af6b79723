"""Twilio's WhatsApp channel: Content API templates, status polling and signed status callbacks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from app.services.gateways.base import (
    DEFAULT_TIMEOUT,
    DeliveryStatus,
    ErrorTable,
    GatewayError,
    OutgoingMessage,
    RefusalReason,
    Refused,
    SendReceipt,
    StatusError,
    StatusUpdate,
    Timeout,
    http_error,
    json_object,
    masked,
    perform,
    retry_after_seconds,
    status_error,
    unreadable_answer,
    whatsapp_number,
)

log = logging.getLogger(__name__)

PROVIDER = "twilio"
LABEL = NAME = "Twilio"
API = "2010-04-01"

_T = RefusalReason
_ERRORS: ErrorTable = {
    20003: (_T.AUTHENTICATION, "Credenziali Twilio non valide (Account SID o Auth Token): aggiornale in Impostazioni."),
    20404: (_T.CONFIGURATION, "Risorsa non trovata su Twilio: controlla l'Account SID in Impostazioni."),
    20429: (None, "Troppe richieste a Twilio: l'invio riprenderà più tardi."),
    21211: (_T.INVALID_NUMBER, "Il numero del destinatario non è valido."),
    21212: (_T.CONFIGURATION, "Il numero mittente WhatsApp non è valido: controllalo in Impostazioni."),
    21606: (_T.CONFIGURATION, "Il numero mittente non può inviare messaggi da questo account Twilio."),
    21610: (_T.NO_CONSENT, "Il destinatario ha chiesto di non ricevere più messaggi (STOP): serve un nuovo consenso."),
    21614: (_T.INVALID_NUMBER, "Il numero del destinatario non è un cellulare."),
    21655: (_T.TEMPLATE, "Il modello (ContentSid) non esiste su questo account Twilio: controllalo in Impostazioni."),
    21656: (_T.TEMPLATE, "Le variabili non corrispondono al modello Twilio scelto."),
    30003: (_T.NOT_ON_WHATSAPP, "Il destinatario non è raggiungibile."),
    30005: (_T.INVALID_NUMBER, "Il numero del destinatario non esiste."),
    30006: (_T.INVALID_NUMBER, "Il numero del destinatario non può ricevere messaggi."),
    30007: (_T.OTHER, "Il messaggio è stato filtrato come indesiderato."),
    30863: (
        _T.CONFIGURATION,
        "Twilio non ammette messaggi di recupero crediti per conto terzi verso numeri di Stati Uniti e Canada.",
    ),
    63003: (_T.NOT_ON_WHATSAPP, "Il destinatario non risulta su WhatsApp: usa un altro canale."),
    63007: (
        _T.CONFIGURATION,
        "Il mittente WhatsApp non è abilitato su questo account Twilio: controllalo in Impostazioni.",
    ),
    63016: (
        _T.OUTSIDE_WINDOW,
        "Fuori dalla finestra di 24 ore dall'ultimo messaggio del destinatario: WhatsApp accetta solo un modello "
        "approvato.",
    ),
    63018: (None, "Superato il limite di invio WhatsApp del mittente: l'invio riprenderà più tardi."),
    63024: (_T.INVALID_NUMBER, "Destinatario WhatsApp non valido."),
    63027: (_T.TEMPLATE, "Il modello non esiste in questa lingua o non è approvato."),
    63028: (_T.TEMPLATE, "Il numero di parametri non corrisponde al modello approvato."),
    63038: (None, "Raggiunto il limite giornaliero di messaggi dell'account: l'invio riprenderà domani."),
    63049: (None, "Meta ha trattenuto il messaggio per limitare quelli ricevuti dal destinatario: riprova più avanti."),
}

# Twilio's words for a message's progress (formats.md §5); anything else reads as still on its way.
_STATUSES = {
    "queued": DeliveryStatus.ACCEPTED,
    "accepted": DeliveryStatus.ACCEPTED,
    "scheduled": DeliveryStatus.ACCEPTED,
    "sending": DeliveryStatus.ACCEPTED,
    "sent": DeliveryStatus.SENT,
    "partially_delivered": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.READ,
    "undelivered": DeliveryStatus.FAILED,
    "failed": DeliveryStatus.FAILED,
    "canceled": DeliveryStatus.FAILED,
}


class TwilioWhatsAppGateway:
    """Sends approved WhatsApp templates (Content API) through Twilio; the auth token is given, never stored or
    logged."""

    provider = PROVIDER

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_number: str,
        *,
        base_url: str = "https://api.twilio.com",
        session: requests.Session | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        status_callback: str | None = None,
    ) -> None:
        if not re.fullmatch(r"AC[0-9a-fA-F]{32}", account_sid):
            raise Refused(
                "L'Account SID di Twilio deve essere «AC» seguito da 32 caratteri: controllalo in Impostazioni.",
                reason=RefusalReason.CONFIGURATION,
            )
        self._account = f"{base_url.rstrip('/')}/{API}/Accounts/{account_sid}"
        self._auth = (account_sid, auth_token)
        self._from = "whatsapp:+" + whatsapp_number(from_number.removeprefix("whatsapp:"))
        self._owns_session = session is None
        self._session = session or requests.Session()
        self._timeout = timeout
        self._status_callback = status_callback

    def __repr__(self) -> str:
        return f"TwilioWhatsAppGateway(account={self._auth[0]!r}, from_number={self._from!r})"

    def close(self) -> None:
        """Release the HTTP connections, when the session is ours."""
        if self._owns_session:
            self._session.close()

    def send_template(
        self,
        to: str,
        content_sid: str,
        variables: Mapping[str, str],
        media_url: str | None = None,
        status_callback: str | None = None,
    ) -> SendReceipt:
        """Send an approved Content template; returns a receipt with the SM… sid, or raises NotDelivered, Refused
        or OutcomeUnknown. No Body is sent: with a ContentSid the template is the text."""
        number = whatsapp_number(to)
        form = {
            "From": self._from,
            "To": f"whatsapp:+{number}",
            "ContentSid": content_sid,
            "ContentVariables": json.dumps(dict(variables), ensure_ascii=False),
        }
        if media_url:
            form["MediaUrl"] = media_url
        if status_callback or self._status_callback:
            form["StatusCallback"] = status_callback or self._status_callback or ""
        body = self._call("POST", "Messages.json", delivers=True, data=form)
        receipt = _receipt(body, number)
        log.info("Twilio: modello %s a %s accettato come %s", content_sid, masked(number), receipt.provider_message_id)
        return receipt

    def send(self, message: OutgoingMessage) -> SendReceipt:
        """The common interface: parameters become variables "1", "2"… (or their names); the PDF must be a link,
        since Twilio fetches media from a public URL."""
        number = whatsapp_number(message.to)
        media_url = None
        if message.document is not None:
            media_url = message.document.link
            if not media_url:
                raise Refused(
                    "Twilio allega solo documenti pubblicati a un indirizzo web: configura dove pubblicare i PDF o "
                    "usa la Cloud API di WhatsApp.",
                    reason=RefusalReason.CONFIGURATION,
                )
        names = message.parameter_names or tuple(str(i) for i in range(1, len(message.parameters) + 1))
        variables = dict(zip(names, message.parameters, strict=True))
        return self.send_template(f"+{number}", message.template, variables, media_url)

    def fetch_status(self, message_sid: str) -> StatusUpdate:
        """The message's current status as Twilio reports it (poll it: statuses also arrive by callback)."""
        if not re.fullmatch(r"(SM|MM)[0-9a-fA-F]{32}", message_sid):
            raise Refused(f"«{message_sid}» non è un identificativo di messaggio Twilio.", reason=RefusalReason.REQUEST)
        body = self._call("GET", f"Messages/{message_sid}.json", delivers=False)
        return status_update(
            sid=str(body.get("sid") or message_sid),
            raw_status=str(body.get("status") or ""),
            error_code=body.get("error_code"),
            error_message=body.get("error_message"),
            recipient=str(body.get("to") or ""),
            timestamp=_rfc2822(body.get("date_updated")),
        )

    def test_connection(self) -> str:
        """Read the account: an Italian sentence naming it, or a GatewayError saying what to fix."""
        account = self._call("GET", "", delivers=False)
        name = account.get("friendly_name") or self._auth[0]
        status = account.get("status")
        if status not in (None, "active"):
            raise Refused(
                f"L'account Twilio «{name}» non è attivo (stato: {status}): controllalo sulla console Twilio.",
                reason=RefusalReason.CONFIGURATION,
            )
        trial = " È un account di prova: invia solo ai numeri verificati." if account.get("type") == "Trial" else ""
        return f"Connessione riuscita: account Twilio «{name}», mittente {self._from.removeprefix('whatsapp:')}.{trial}"

    def _call(self, method: str, path: str, *, delivers: bool, **kwargs: Any) -> dict[str, Any]:
        """One authenticated REST request; its JSON object, or the domain error its failure means."""
        url = f"{self._account}/{path}" if path else f"{self._account}.json"
        response = perform(
            self._session, method, url, delivers=delivers, timeout=self._timeout, label=LABEL, auth=self._auth, **kwargs
        )
        if response.status_code >= 300:
            error = response_error(response, delivers=delivers)
            log.warning("Twilio: %s %s → %s (%s)", method, path or "account", type(error).__name__, error.provider_code)
            raise error
        body = json_object(response)
        if body is None:
            raise unreadable_answer(NAME, delivers=delivers)
        return body


def response_error(response: requests.Response, *, delivers: bool) -> GatewayError:
    """The domain error an HTTP error answer from Twilio's REST API means."""
    body = json_object(response) or {}
    return http_error(
        NAME,
        _ERRORS,
        status=response.status_code,
        code=body.get("code"),
        detail=body.get("message") or response.reason,
        retry_after=retry_after_seconds(response.headers.get("Retry-After")),
        delivers=delivers,
    )


def _receipt(body: dict[str, Any], number: str) -> SendReceipt:
    sid = body.get("sid")
    if not isinstance(sid, str) or not sid:
        raise unreadable_answer(NAME, delivers=True)
    raw_status = str(body.get("status") or "queued")
    status = _STATUSES.get(raw_status, DeliveryStatus.ACCEPTED)
    if status is DeliveryStatus.FAILED:
        # Refused at once, though with a sid: nothing left for the recipient.
        error = _status_error(body.get("error_code"), body.get("error_message"), raw_status)
        raise Refused(error.message, reason=error.reason or RefusalReason.OTHER, provider_code=error.code)
    recipient = str(body.get("to") or "").removeprefix("whatsapp:+") or number
    return SendReceipt(PROVIDER, sid, recipient, status, raw_status)


def status_update(
    *,
    sid: str,
    raw_status: str,
    error_code: object = None,
    error_message: object = None,
    recipient: str = "",
    timestamp: datetime | None = None,
) -> StatusUpdate:
    """A Twilio status (polled or called back) in the gateways' terms."""
    status = _STATUSES.get(raw_status)
    if status is None:
        log.warning("Twilio: stato %r non previsto per %s, letto come ancora in corso", raw_status, sid)
        status = DeliveryStatus.ACCEPTED
    error = _status_error(error_code, error_message, raw_status) if status is DeliveryStatus.FAILED else None
    return StatusUpdate(
        provider=PROVIDER,
        provider_message_id=sid,
        status=status,
        raw_status=raw_status,
        timestamp=timestamp,
        recipient=recipient.removeprefix("whatsapp:+"),
        error=error,
    )


def parse_status_callback(params: Mapping[str, str]) -> StatusUpdate:
    """The status in a StatusCallback request's form (check it first with ``verify_callback_signature``)."""
    return status_update(
        sid=params.get("MessageSid", ""),
        raw_status=params.get("MessageStatus", ""),
        error_code=params.get("ErrorCode") or None,
        recipient=params.get("To", ""),
    )


def _status_error(code: object, message: object, raw_status: str) -> StatusError:
    if raw_status == "canceled" and not code:
        return StatusError(
            "canceled", "Invio annullato prima della partenza: il messaggio non è stato consegnato.", None
        )
    return status_error(NAME, _ERRORS, code, message)


def _rfc2822(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def verify_callback_signature(
    url: str, params: Mapping[str, str] | Iterable[tuple[str, str]], signature: str | None, auth_token: str
) -> bool:
    """Whether X-Twilio-Signature is Twilio's signature of this callback: base64 HMAC-SHA1, keyed by the auth token,
    of the full URL followed by every POST parameter's name and value, sorted by name. Compared in constant time;
    the URL is also tried with and without its default port, as Twilio's own libraries do."""
    if not signature:
        return False
    pairs = sorted(params.items() if isinstance(params, Mapping) else params)
    given = signature.strip().encode("utf-8", "replace")
    return any(
        hmac.compare_digest(sign_callback(candidate, pairs, auth_token).encode(), given)
        for candidate in _url_variants(url)
    )


def sign_callback(url: str, params: Mapping[str, str] | Iterable[tuple[str, str]], auth_token: str) -> str:
    """Twilio's request signature for a URL and its POST parameters."""
    pairs = sorted(params.items() if isinstance(params, Mapping) else params)
    data = url + "".join(name + value for name, value in pairs)
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def _url_variants(url: str) -> list[str]:
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    if default is None or parts.hostname is None:
        return [url]
    host = parts.netloc.rsplit("@", 1)[-1]
    userinfo = parts.netloc[: len(parts.netloc) - len(host)]
    if parts.port is None:
        other = f"{userinfo}{host}:{default}"
    elif parts.port == default:
        other = userinfo + host.rsplit(":", 1)[0]
    else:
        return [url]
    return [url, urlunsplit(parts._replace(netloc=other))]
