"""WhatsApp Business Cloud API: approved templates with the PDF notice, a connection check, and status webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

import requests

from app.services.gateways.base import (
    DEFAULT_TIMEOUT,
    DeliveryStatus,
    ErrorTable,
    GatewayError,
    InvalidWebhook,
    NotDelivered,
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

PROVIDER = "whatsapp_cloud"
LABEL = "WhatsApp (Cloud API)"
NAME = "WhatsApp"
MAX_DOCUMENT_BYTES = 100 * 1024 * 1024
# About one message every 6 s to the same user (formats.md §5); used when 131056 comes without a Retry-After.
PAIR_INTERVAL_SECONDS = 6.0

_T = RefusalReason
_ERRORS: ErrorTable = {
    0: (_T.AUTHENTICATION, "Autenticazione non riuscita: aggiorna il token di accesso in Impostazioni."),
    190: (
        _T.AUTHENTICATION,
        "Il token di accesso WhatsApp non è valido o è scaduto: inseriscine uno nuovo in Impostazioni.",
    ),
    10: (_T.CONFIGURATION, "Il token non ha il permesso di usare questo numero WhatsApp: controlla l'app su Meta."),
    100: (_T.REQUEST, "WhatsApp non ha accettato un parametro della richiesta."),
    368: (_T.CONFIGURATION, "Il numero mittente è temporaneamente bloccato da Meta per violazione delle regole."),
    470: (_T.OUTSIDE_WINDOW, "Sono passate più di 24 ore dall'ultimo messaggio del destinatario."),
    130429: (None, "Raggiunto il limite di messaggi al secondo del numero WhatsApp: l'invio riprenderà più tardi."),
    131008: (_T.REQUEST, "Manca un parametro obbligatorio del modello: controlla i dati del sollecito."),
    131009: (_T.REQUEST, "Un parametro del modello non è valido: controlla i dati del sollecito."),
    131021: (_T.INVALID_NUMBER, "Il destinatario coincide con il numero mittente."),
    131026: (
        _T.NOT_ON_WHATSAPP,
        "Messaggio non consegnabile: il numero non usa WhatsApp, oppure il destinatario non ha accettato i termini "
        "aggiornati o ha un'app troppo vecchia. Usa un altro canale.",
    ),
    131030: (
        _T.CONFIGURATION,
        "Il destinatario non è tra i numeri ammessi dall'account WhatsApp di prova: aggiungilo su Meta o passa a un "
        "numero di produzione.",
    ),
    131031: (_T.CONFIGURATION, "L'account WhatsApp Business è bloccato: controlla la console di Meta."),
    131042: (_T.CONFIGURATION, "Problema di pagamento sull'account WhatsApp Business: controlla il metodo su Meta."),
    131047: (
        _T.OUTSIDE_WINDOW,
        "Fuori dalla finestra di 24 ore dall'ultimo messaggio del destinatario: WhatsApp accetta solo un modello "
        "approvato.",
    ),
    131049: (
        None,
        "Meta ha trattenuto il messaggio per limitare quelli ricevuti dal destinatario: riprova più avanti.",
    ),
    131050: (
        _T.NO_CONSENT,
        "Il destinatario ha scelto di non ricevere messaggi da questa azienda su WhatsApp: serve un nuovo consenso.",
    ),
    131051: (_T.REQUEST, "Tipo di messaggio non supportato da WhatsApp."),
    131053: (_T.REQUEST, "WhatsApp non ha accettato il PDF allegato (caricamento non riuscito o formato errato)."),
    131056: (None, "Troppi messaggi allo stesso destinatario in pochi secondi: l'invio riprenderà più tardi."),
    132000: (_T.TEMPLATE, "Il numero di parametri non corrisponde al modello approvato: controlla il modello."),
    132001: (
        _T.TEMPLATE,
        "Il modello non esiste o non è approvato nella lingua scelta: controlla nome e lingua in Impostazioni.",
    ),
    132005: (_T.TEMPLATE, "Il testo del modello con i parametri supera la lunghezza consentita."),
    132007: (_T.TEMPLATE, "Il contenuto viola le regole di WhatsApp sui modelli."),
    132012: (_T.TEMPLATE, "Un parametro non ha il formato previsto dal modello approvato (testo o documento)."),
    132015: (_T.TEMPLATE, "Il modello è in pausa per bassa qualità: va rivisto nella console di Meta."),
    132016: (_T.TEMPLATE, "Il modello è stato disattivato da Meta."),
    133010: (_T.CONFIGURATION, "Il numero mittente non è registrato sulla Cloud API di WhatsApp."),
}


class WhatsAppCloudGateway:
    """Sends approved WhatsApp templates through Meta's Cloud API; the token is given, never stored or logged."""

    provider = PROVIDER

    def __init__(
        self,
        *,
        phone_number_id: str,
        token: str,
        base_url: str = "https://graph.facebook.com",
        api_version: str = "v21.0",
        session: requests.Session | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        if not re.fullmatch(r"v\d+\.\d+", api_version):
            raise ValueError(f"API version must look like v21.0, not {api_version!r}")
        if not re.fullmatch(r"[0-9]+", phone_number_id):
            raise Refused(
                "L'ID del numero di telefono WhatsApp deve essere fatto di sole cifre: controllalo in Impostazioni.",
                reason=RefusalReason.CONFIGURATION,
            )
        token = token.strip()
        # A token pasted with a line break would make requests refuse the header, quoting the token in its error.
        if not re.fullmatch(r"[\x21-\x7e]+", token):
            raise Refused(
                "Il token di accesso WhatsApp è vuoto o contiene spazi o caratteri non ammessi: incollalo di nuovo in "
                "Impostazioni.",
                reason=RefusalReason.AUTHENTICATION,
            )
        self._root = f"{base_url.rstrip('/')}/{api_version}"
        self._phone_number_id = phone_number_id
        self._token = token
        self._owns_session = session is None
        self._session = session or requests.Session()
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"WhatsAppCloudGateway(root={self._root!r}, phone_number_id={self._phone_number_id!r})"

    def close(self) -> None:
        """Release the HTTP connections, when the session is ours."""
        if self._owns_session:
            self._session.close()

    def upload_document(self, pdf_bytes: bytes, filename: str) -> str:
        """Upload a PDF as WhatsApp media and return its id; a failure is always NotDelivered or Refused, since an
        upload sends nothing to anyone."""
        if not pdf_bytes.startswith(b"%PDF-"):
            raise Refused("Il documento da allegare non è un PDF.", reason=RefusalReason.REQUEST)
        if len(pdf_bytes) > MAX_DOCUMENT_BYTES:
            raise Refused("Il PDF supera i 100 MB ammessi da WhatsApp.", reason=RefusalReason.REQUEST)
        body = self._call(
            "POST",
            f"{self._phone_number_id}/media",
            delivers=False,
            data={"messaging_product": "whatsapp", "type": "application/pdf"},
            files={"file": (_plain_name(filename), pdf_bytes, "application/pdf")},
        )
        media_id = body.get("id")
        if not isinstance(media_id, str) or not media_id:
            raise NotDelivered("WhatsApp non ha restituito l'identificativo del PDF caricato: riprova.")
        log.info(
            "WhatsApp Cloud: PDF %s caricato (%d byte) come media %s", _plain_name(filename), len(pdf_bytes), media_id
        )
        return media_id

    def send_template(
        self,
        to: str,
        template_name: str,
        language: str,
        body_parameters: Sequence[str] | Mapping[str, str],
        document: tuple[str, str] | None = None,
        reference: str = "",
    ) -> SendReceipt:
        """Send an approved template; ``document`` is (media id or https link, filename) for the header. The
        ``reference`` (≤512 characters) comes back in the status webhooks, so an unknown outcome can be settled.
        Returns a receipt with the wamid, or raises NotDelivered, Refused or OutcomeUnknown."""
        number = whatsapp_number(to)
        payload = template_payload(number, template_name, language, body_parameters, document, reference)
        body = self._call("POST", f"{self._phone_number_id}/messages", delivers=True, json=payload)
        receipt = _receipt(body, number)
        log.info(
            "WhatsApp Cloud: modello %s a %s accettato come %s",
            template_name,
            masked(number),
            receipt.provider_message_id,
        )
        return receipt

    def send(self, message: OutgoingMessage) -> SendReceipt:
        """The common interface: uploads the message's PDF when only its bytes are given, then sends the template."""
        number = whatsapp_number(message.to)  # refuse a bad number before uploading anything
        document: tuple[str, str] | None = None
        if message.document is not None:
            doc = message.document
            handle = doc.media_id or doc.link
            if handle is None:
                assert doc.content is not None  # a Document always has one of the three
                handle = self.upload_document(doc.content, doc.filename)
            document = (handle, doc.filename)
        parameters: Sequence[str] | Mapping[str, str] = message.parameters
        if message.parameter_names:
            parameters = dict(zip(message.parameter_names, message.parameters, strict=True))
        # "+" keeps a foreign number foreign when send_template normalises it again.
        return self.send_template(
            f"+{number}", message.template, message.language, parameters, document, message.reference
        )

    def test_connection(self) -> str:
        """Read the sender number's details: an Italian sentence naming it, or a GatewayError saying what to fix."""
        try:
            info = self._call("GET", self._phone_number_id, delivers=False)
        except Refused as exc:
            if exc.provider_code == "100":
                raise Refused(
                    f"L'ID del numero {self._phone_number_id} non esiste o il token non vi ha accesso: controlla "
                    "ID e token in Impostazioni.",
                    reason=RefusalReason.CONFIGURATION,
                    provider_code="100",
                    http_status=exc.http_status,
                ) from exc
            raise
        number = info.get("display_phone_number") or self._phone_number_id
        name = info.get("verified_name")
        quality = info.get("quality_rating")
        sentence = f"Connessione riuscita: numero WhatsApp {number}"
        sentence += f" («{name}»)" if name else ""
        sentence += f", qualità {quality}." if quality else "."
        return sentence

    def _call(self, method: str, path: str, *, delivers: bool, **kwargs: Any) -> dict[str, Any]:
        """One authenticated Graph request; its JSON object, or the domain error its failure means."""
        response = perform(
            self._session,
            method,
            f"{self._root}/{path}",
            delivers=delivers,
            timeout=self._timeout,
            label=LABEL,
            headers={"Authorization": f"Bearer {self._token}"},
            **kwargs,
        )
        if response.status_code >= 300:
            error = response_error(response, delivers=delivers)
            log.warning("WhatsApp Cloud: %s %s → %s (%s)", method, path, type(error).__name__, error.provider_code)
            raise error
        body = json_object(response)
        if body is None:
            raise unreadable_answer(NAME, delivers=delivers)
        return body


def template_payload(
    number: str,
    template_name: str,
    language: str,
    body_parameters: Sequence[str] | Mapping[str, str],
    document: tuple[str, str] | None,
    reference: str = "",
) -> dict[str, Any]:
    """The documented /messages body for a template, with a document header and text body parameters."""
    components: list[dict[str, Any]] = []
    if document is not None:
        handle, filename = document
        key = "link" if handle.startswith(("https://", "http://")) else "id"
        header = {"type": "document", "document": {key: handle, "filename": _plain_name(filename)}}
        components.append({"type": "header", "parameters": [header]})
    if body_parameters:
        if isinstance(body_parameters, Mapping):
            texts = [{"type": "text", "parameter_name": k, "text": v} for k, v in body_parameters.items()]
        else:
            texts = [{"type": "text", "text": text} for text in body_parameters]
        components.append({"type": "body", "parameters": texts})
    template: dict[str, Any] = {"name": template_name, "language": {"code": language}}
    if components:
        template["components"] = components
    payload: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": number,
        "type": "template",
        "template": template,
    }
    if reference:
        payload["biz_opaque_callback_data"] = reference[:512]
    return payload


def response_error(response: requests.Response, *, delivers: bool) -> GatewayError:
    """The domain error an HTTP error answer from the Graph API means."""
    error = (json_object(response) or {}).get("error")
    error = error if isinstance(error, dict) else {}
    data = error.get("error_data")
    code = error.get("code")
    detail = (data.get("details") if isinstance(data, dict) else None) or error.get("message") or response.reason
    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
    if code == 131056 and retry_after is None:
        retry_after = PAIR_INTERVAL_SECONDS
    return http_error(
        NAME, _ERRORS, status=response.status_code, code=code, detail=detail, retry_after=retry_after, delivers=delivers
    )


def _receipt(body: dict[str, Any], number: str) -> SendReceipt:
    messages = body.get("messages")
    first = messages[0] if isinstance(messages, list) and messages and isinstance(messages[0], dict) else {}
    wamid = first.get("id")
    if not isinstance(wamid, str) or not wamid:
        raise unreadable_answer(NAME, delivers=True)
    contacts = body.get("contacts")
    contact = contacts[0] if isinstance(contacts, list) and contacts and isinstance(contacts[0], dict) else {}
    raw_status = str(first.get("message_status") or "accepted")
    return SendReceipt(PROVIDER, wamid, str(contact.get("wa_id") or number), DeliveryStatus.ACCEPTED, raw_status)


def _plain_name(filename: str) -> str:
    """The file name the recipient sees: no folders of ours in it."""
    return PurePath(filename.replace("\\", "/")).name or "documento.pdf"


def verify_signature(body: bytes, signature_header: str | None, app_secret: str) -> None:
    """Accept the raw body only if X-Hub-Signature-256 is its HMAC-SHA256 under the app secret; InvalidWebhook
    otherwise."""
    if not signature_header or not signature_header.startswith("sha256="):
        raise InvalidWebhook("Notifica WhatsApp senza firma X-Hub-Signature-256: ignorata.")
    expected = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature_header.strip().encode("utf-8", "replace")):
        raise InvalidWebhook("La firma della notifica WhatsApp non corrisponde: ignorata (controlla l'app secret).")


def parse_status_webhook(body: bytes, signature_header: str | None, app_secret: str) -> list[StatusUpdate]:
    """The message statuses in a signed webhook delivery, oldest first; other changes (incoming messages, template
    updates) are skipped. Order is not trusted: apply each with ``DeliveryStatus.advances``."""
    verify_signature(body, signature_header, app_secret)
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidWebhook("Notifica WhatsApp firmata ma illeggibile: ignorata.") from exc
    updates = [update for raw in _raw_statuses(payload) if (update := _status_update(raw)) is not None]
    # Meta does not promise order; oldest first, and at equal times the further status last.
    updates.sort(key=lambda u: (u.timestamp or datetime.min.replace(tzinfo=UTC), u.status.rank))
    return updates


def answer_subscription(params: Mapping[str, str], verify_token: str) -> str:
    """The hub.challenge to echo when Meta verifies the webhook subscription with our verify token."""
    token = params.get("hub.verify_token", "")
    if params.get("hub.mode") != "subscribe" or not hmac.compare_digest(token.encode(), verify_token.encode()):
        raise InvalidWebhook("Verifica dell'indirizzo WhatsApp rifiutata: il verify token non corrisponde.")
    return params.get("hub.challenge", "")


def _raw_statuses(payload: object) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    entries = payload.get("entry") if isinstance(payload, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            statuses = value.get("statuses") if isinstance(value, dict) else None
            found.extend(s for s in (statuses if isinstance(statuses, list) else []) if isinstance(s, dict))
    return found


def _status_update(raw: dict[str, Any]) -> StatusUpdate | None:
    """One webhook status; None for a status we do not track (or one without a message id)."""
    raw_status = str(raw.get("status", ""))
    try:
        status = DeliveryStatus(raw_status)
    except ValueError:
        log.debug("WhatsApp Cloud: stato %r ignorato", raw_status)
        return None
    if not raw.get("id") or status is DeliveryStatus.ACCEPTED:
        return None
    timestamp = None
    if str(raw.get("timestamp", "")).isdigit():
        timestamp = datetime.fromtimestamp(int(raw["timestamp"]), UTC)
    return StatusUpdate(
        provider=PROVIDER,
        provider_message_id=str(raw["id"]),
        status=status,
        raw_status=raw_status,
        timestamp=timestamp,
        recipient=str(raw.get("recipient_id", "")),
        error=_status_error(raw.get("errors")) if status is DeliveryStatus.FAILED else None,
        reference=str(raw.get("biz_opaque_callback_data", "")),
    )


def _status_error(errors: object) -> StatusError:
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    data = first.get("error_data")
    detail = (data.get("details") if isinstance(data, dict) else None) or first.get("message") or first.get("title")
    return status_error(NAME, _ERRORS, first.get("code"), detail)
