"""The Cloud API client against a local HTTP look-alike: bodies as Meta documents them, and what each failure means."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from app.services.gateways.base import (
    DeliveryStatus,
    Document,
    GatewayError,
    InvalidWebhook,
    NotDelivered,
    OutcomeUnknown,
    OutgoingMessage,
    RefusalReason,
    Refused,
    retry_after_seconds,
    whatsapp_number,
)
from app.services.gateways.whatsapp_cloud import WhatsAppCloudGateway, answer_subscription, parse_status_webhook
from tests.support.fake_whatsapp import FakeWhatsApp, Fault

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
MOBILE = "+39 333 123 4567"
DIGITS = "393331234567"
# Short enough for a fast suite, long enough for a loaded CI machine to answer a local request.
TIMEOUT = (0.5, 0.5)


@pytest.fixture
def fake() -> Iterator[FakeWhatsApp]:
    with FakeWhatsApp() as server:
        yield server


def gateway_for(fake: FakeWhatsApp, **overrides: object) -> WhatsAppCloudGateway:
    options: dict[str, object] = {
        "phone_number_id": fake.phone_number_id,
        "token": fake.token,
        "base_url": fake.base_url,
        "timeout": TIMEOUT,
    }
    options.update(overrides)
    return WhatsAppCloudGateway(**options)  # type: ignore[arg-type]


@pytest.fixture
def gateway(fake: FakeWhatsApp) -> Iterator[WhatsAppCloudGateway]:
    gw = gateway_for(fake)
    yield gw
    gw.close()


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# -- sending ---------------------------------------------------------------------------------------------------------


def test_a_template_goes_out_with_the_documented_body_and_comes_back_with_its_wamid(
    fake: FakeWhatsApp, gateway: WhatsAppCloudGateway
) -> None:
    receipt = gateway.send_template(
        MOBILE,
        "sollecito_pagamento",
        "it",
        ["Mario Rossi", "€ 120,00"],
        document=("https://example.org/avvisi/avviso.pdf", "avviso.pdf"),
    )

    assert receipt.provider == "whatsapp_cloud"
    assert receipt.provider_message_id.startswith("wamid.")
    assert (receipt.status, receipt.raw_status, receipt.recipient) == (DeliveryStatus.ACCEPTED, "accepted", DIGITS)
    [request] = fake.seen
    assert (request.method, request.path) == ("POST", f"/v21.0/{fake.phone_number_id}/messages")
    assert request.headers["authorization"] == f"Bearer {fake.token}"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": DIGITS,
        "type": "template",
        "template": {
            "name": "sollecito_pagamento",
            "language": {"code": "it"},
            "components": [
                {
                    "type": "header",
                    "parameters": [
                        {
                            "type": "document",
                            "document": {"link": "https://example.org/avvisi/avviso.pdf", "filename": "avviso.pdf"},
                        }
                    ],
                },
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": "Mario Rossi"}, {"type": "text", "text": "€ 120,00"}],
                },
            ],
        },
    }
    assert [(a.to, a.message_id) for a in fake.accepted] == [(DIGITS, receipt.provider_message_id)]


def test_the_pdf_is_uploaded_as_media_and_sent_by_id(fake: FakeWhatsApp, gateway: WhatsAppCloudGateway) -> None:
    media_id = gateway.upload_document(PDF, "C:\\avvisi\\avviso 2025-001.pdf")

    assert fake.media[media_id] == ("avviso 2025-001.pdf", "application/pdf", PDF)
    upload = fake.seen[0]
    assert upload.path == f"/v21.0/{fake.phone_number_id}/media"
    assert upload.headers["content-type"].startswith("multipart/form-data")
    assert b'name="messaging_product"\r\n\r\nwhatsapp' in upload.body

    gateway.send_template(MOBILE, "sollecito_pagamento", "it", ["Mario Rossi", "€ 120,00"], (media_id, "avviso.pdf"))
    header = fake.accepted[0].payload["template"]["components"][0]
    assert header["parameters"][0]["document"] == {"id": media_id, "filename": "avviso.pdf"}


def test_send_uploads_the_message_pdf_names_its_parameters_and_carries_our_reference(
    fake: FakeWhatsApp, gateway: WhatsAppCloudGateway
) -> None:
    message = OutgoingMessage(
        to="333 1234567",
        template="sollecito_pagamento",
        parameters=("Mario Rossi", "€ 120,00"),
        parameter_names=("nome", "importo"),
        document=Document("avviso.pdf", content=PDF),
        reference="attempt-42",
    )

    receipt = gateway.send(message)

    assert [s.route for s in fake.seen] == ["cloud.media", "cloud.messages"]
    payload = fake.accepted[0].payload
    assert payload["biz_opaque_callback_data"] == "attempt-42"
    assert payload["template"]["components"][1]["parameters"] == [
        {"type": "text", "parameter_name": "nome", "text": "Mario Rossi"},
        {"type": "text", "parameter_name": "importo", "text": "€ 120,00"},
    ]
    assert receipt.recipient == DIGITS


def test_a_template_without_parameters_or_document_has_no_components(
    fake: FakeWhatsApp, gateway: WhatsAppCloudGateway
) -> None:
    fake.templates[("promemoria", "it")] = 0

    gateway.send_template(MOBILE, "promemoria", "it", [])

    assert fake.accepted[0].payload["template"] == {"name": "promemoria", "language": {"code": "it"}}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+39 333 123 4567", "393331234567"),
        ("0039-333-1234567", "393331234567"),
        ("333.123.4567", "393331234567"),
        ("(393) 1234567", "393931234567"),  # a national mobile that itself starts with 39
        ("393331234567", "393331234567"),  # already international, without the +
        ("333 123456", "39333123456"),  # the older nine-digit mobiles
        ("+41 79 123 45 67", "41791234567"),
    ],
)
def test_numbers_become_e164_digits(raw: str, expected: str) -> None:
    assert whatsapp_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("06 1234567", "fisso"),
        ("+39 02 12345678", "fisso"),
        ("0039 0461 123456", "fisso"),
        ("339", "non è un numero"),
        ("mario@example.org", "non è un numero"),
        ("333 12", "non è un numero"),
        ("+39 333 1234 56789", "non è un cellulare"),
        ("1234567", "non è un cellulare"),
        ("+0 123 456 789", "non è un numero internazionale"),
    ],
)
def test_landlines_and_garbage_are_refused_before_any_request(
    fake: FakeWhatsApp, gateway: WhatsAppCloudGateway, raw: str, why: str
) -> None:
    with pytest.raises(Refused, match=why) as caught:
        gateway.send(OutgoingMessage(to=raw, template="sollecito_pagamento", document=Document("a.pdf", content=PDF)))

    assert caught.value.reason is RefusalReason.INVALID_NUMBER
    assert fake.seen == []


# -- errors the provider returns -------------------------------------------------------------------------------------

ERROR_CASES = [
    (131047, Refused, RefusalReason.OUTSIDE_WINDOW, "finestra di 24 ore"),
    (130429, NotDelivered, None, "limite di messaggi al secondo"),
    (131056, NotDelivered, None, "stesso destinatario"),
    (131026, Refused, RefusalReason.NOT_ON_WHATSAPP, "non usa WhatsApp"),
    (131030, Refused, RefusalReason.CONFIGURATION, "numeri ammessi"),
    (131050, Refused, RefusalReason.NO_CONSENT, "nuovo consenso"),
    (132001, Refused, RefusalReason.TEMPLATE, "Il modello non esiste"),
    (132000, Refused, RefusalReason.TEMPLATE, "numero di parametri"),
    (190, Refused, RefusalReason.AUTHENTICATION, "token di accesso"),
]


@pytest.mark.parametrize(("code", "kind", "reason", "words"), ERROR_CASES)
def test_each_provider_error_means_one_kind_with_an_italian_message(
    fake: FakeWhatsApp,
    gateway: WhatsAppCloudGateway,
    code: int,
    kind: type[GatewayError],
    reason: RefusalReason | None,
    words: str,
) -> None:
    fake.fail_next(Fault("error", code=code, http_status=401 if code == 190 else 400, route="cloud.messages"))

    with pytest.raises(kind, match=words) as caught:
        gateway.send_template(MOBILE, "sollecito_pagamento", "it", ["Mario Rossi", "€ 120,00"])

    assert caught.value.provider_code == str(code)
    assert f"codice {code}" in str(caught.value)
    if reason is not None:
        assert isinstance(caught.value, Refused) and caught.value.reason is reason
    assert fake.accepted == []


def test_the_fake_refuses_by_itself_what_meta_would(fake: FakeWhatsApp) -> None:
    fake.not_on_whatsapp.add("393330000001")
    fake.allowed_recipients = {DIGITS, "393330000001"}
    gateway = gateway_for(fake)
    cases = [
        (lambda: gateway.send_template("3330000001", "sollecito_pagamento", "it", ["a", "b"]), "131026"),
        (lambda: gateway.send_template("3339999999", "sollecito_pagamento", "it", ["a", "b"]), "131030"),
        (lambda: gateway.send_template(MOBILE, "sollecito_inesistente", "it", ["a", "b"]), "132001"),
        (lambda: gateway.send_template(MOBILE, "sollecito_pagamento", "en_US", ["a", "b"]), "132001"),
        (lambda: gateway.send_template(MOBILE, "sollecito_pagamento", "it", ["a"]), "132000"),
        (lambda: gateway.send_template(MOBILE, "sollecito_pagamento", "it", ["a", "b"], ("404", "a.pdf")), "131053"),
        (lambda: gateway_for(fake, token="stale").send_template(MOBILE, "sollecito_pagamento", "it", []), "190"),
    ]
    for send, code in cases:
        with pytest.raises(Refused) as caught:
            send()
        assert caught.value.provider_code == code
    assert fake.accepted == []


def test_a_rate_limit_says_when_to_retry(fake: FakeWhatsApp, gateway: WhatsAppCloudGateway) -> None:
    fake.fail_next(Fault("error", code=130429, http_status=429, retry_after="7"))
    with pytest.raises(NotDelivered) as caught:
        gateway.send_template(MOBILE, "sollecito_pagamento", "it", ["a", "b"])
    assert caught.value.retry_after == 7

    # 131056 without a header: Meta's documented pace, one message every 6 s to the same user.
    fake.fail_next(Fault("error", code=131056))
    with pytest.raises(NotDelivered) as caught:
        gateway.send_template(MOBILE, "sollecito_pagamento", "it", ["a", "b"])
    assert caught.value.retry_after == 6

    # A bare 429 from something in between (a proxy): still nothing delivered.
    fake.fail_next(Fault("http", http_status=429, body=b"slow down", accept=False, retry_after="3"))
    with pytest.raises(NotDelivered) as caught:
        gateway.send_template(MOBILE, "sollecito_pagamento", "it", ["a", "b"])
    assert caught.value.retry_after == 3
    assert fake.accepted == []


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after_seconds("12") == 12
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past: go now
    later = retry_after_seconds("Fri, 31 Dec 2100 23:59:59 GMT")
    assert later is not None and later > 0


# -- what a broken connection proves ---------------------------------------------------------------------------------


def test_a_timeout_after_sending_is_an_unknown_outcome_and_the_message_did_go(
    fake: FakeWhatsApp, gateway: WhatsAppCloudGateway
) -> None:
    fake.fail_next(Fault("delay", seconds=1.5, route="cloud.messages"))

    with pytest.raises(OutcomeUnknown, match="potrebbe essere stato consegnato"):
        gateway.send_template(MOBILE, "sollecito_pagamento", "it", ["a", "b"])

    # The provider had it: an automatic resend here would be the debtor's second reminder.
    assert [a.to for a in fake.accepted] == [DIGITS]


def test_a_connection_dropped_after_the_request_is_an_unknown_outcome(
    fake: FakeWhatsApp, gateway: WhatsAppCloudGateway
) -> None:
    fake.fail_next(Fault("drop", route="cloud.messages"))

    with pytest.raises(OutcomeUnknown, match="interrotta"):
        gateway.send_template(MOBILE, "sollecito_pagamento", "it", ["a", "b"])

    assert len(fake.accepted) == 1


@pytest.mark.parametrize(
    "fault",
    [
        Fault("http", http_status=502, body=b"<html>Bad gateway</html>"),
        Fault("http", http_status=500, body=b'{"error":{"code":131000,"message":"Something went wrong"}}'),
        Fault("http", http_status=200, body=b"{}"),  # an answer without the wamid
        Fault("http", http_status=200, body=b"not json"),
    ],
)
def test_a_server_error_or_an_unreadable_answer_after_sending_is_an_unknown_outcome(
    fake: FakeWhatsApp, gateway: WhatsAppCloudGateway, fault: Fault
) -> None:
    fake.fail_next(fault)

    with pytest.raises(OutcomeUnknown):
        gateway.send_template(MOBILE, "sollecito_pagamento", "it", ["a", "b"])


def test_a_refused_connection_proves_nothing_was_sent() -> None:
    gateway = WhatsAppCloudGateway(phone_number_id="1", token="t", base_url=closed_port_url(), timeout=TIMEOUT)

    with pytest.raises(NotDelivered, match="Impossibile collegarsi"):
        gateway.send_template(MOBILE, "sollecito_pagamento", "it", ["a", "b"])


def test_an_upload_that_times_out_sent_nothing_to_anyone(fake: FakeWhatsApp, gateway: WhatsAppCloudGateway) -> None:
    fake.fail_next(Fault("delay", seconds=1.5, route="cloud.media"))

    with pytest.raises(NotDelivered):
        gateway.send(OutgoingMessage(MOBILE, "sollecito_pagamento", ("a", "b"), document=Document("a.pdf", PDF)))

    assert fake.accepted == []


def test_a_redirect_is_reported_not_followed(fake: FakeWhatsApp, gateway: WhatsAppCloudGateway) -> None:
    # A captive portal or a proxy answers with a redirect: the provider never saw the message.
    fake.fail_next(Fault("http", http_status=302, accept=False, headers={"Location": f"{fake.base_url}/login"}))

    with pytest.raises(Refused, match="HTTP 302"):
        gateway.send_template(MOBILE, "sollecito_pagamento", "it", ["a", "b"])

    assert [s.path for s in fake.seen] == [f"/v21.0/{fake.phone_number_id}/messages"]


def test_a_token_pasted_with_a_line_break_is_refused_without_quoting_it() -> None:
    with pytest.raises(Refused, match="incollalo di nuovo") as caught:
        WhatsAppCloudGateway(phone_number_id="1", token="EAAG secret\nmore")
    assert "secret" not in str(caught.value)
    assert caught.value.reason is RefusalReason.AUTHENTICATION
    # Surrounding blanks from a copy are forgiven.
    assert WhatsAppCloudGateway(phone_number_id="1", token="  EAAGsecret\n")


def test_only_a_pdf_is_uploaded(fake: FakeWhatsApp, gateway: WhatsAppCloudGateway) -> None:
    with pytest.raises(Refused, match="non è un PDF"):
        gateway.upload_document(b"PK\x03\x04 a zip", "avviso.pdf")
    assert fake.seen == []


def test_the_token_stays_out_of_logs_errors_and_repr(fake: FakeWhatsApp, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "EAAG-very-secret-token"
    fake.token = secret
    gateway = gateway_for(fake, token=secret)
    gateway.send(OutgoingMessage(MOBILE, "sollecito_pagamento", ("a", "b"), document=Document("a.pdf", PDF)))
    fake.fail_next(Fault("error", code=190, http_status=401))
    with pytest.raises(Refused) as caught:
        gateway.send_template(MOBILE, "sollecito_pagamento", "it", ["a", "b"])

    assert secret not in caplog.text
    assert secret not in str(caught.value)
    assert secret not in repr(gateway)
    assert DIGITS not in caplog.text  # numbers are masked too


# -- test connection -------------------------------------------------------------------------------------------------


def test_test_connection_names_the_number(fake: FakeWhatsApp, gateway: WhatsAppCloudGateway) -> None:
    sentence = gateway.test_connection()

    assert sentence == "Connessione riuscita: numero WhatsApp +39 02 1234 5678 («Consorzio di prova»), qualità GREEN."
    assert fake.seen[0].path == f"/v21.0/{fake.phone_number_id}"


def test_test_connection_says_what_to_fix(fake: FakeWhatsApp) -> None:
    with pytest.raises(Refused, match="token") as caught:
        gateway_for(fake, token="wrong").test_connection()
    assert caught.value.reason is RefusalReason.AUTHENTICATION

    with pytest.raises(Refused, match="L'ID del numero 999 non esiste") as caught:
        gateway_for(fake, phone_number_id="999").test_connection()
    assert caught.value.reason is RefusalReason.CONFIGURATION

    with pytest.raises(NotDelivered, match="Impossibile collegarsi"):
        gateway_for(fake, base_url=closed_port_url()).test_connection()


# -- status webhooks -------------------------------------------------------------------------------------------------


def status(wamid: str, state: str, at: int, **extra: object) -> dict[str, object]:
    return {"id": wamid, "status": state, "timestamp": str(at), "recipient_id": DIGITS, **extra}


def test_a_signed_webhook_gives_the_statuses_oldest_first(fake: FakeWhatsApp) -> None:
    body, signature = fake.cloud_status_webhook(
        [
            status("wamid.A", "read", 1_750_000_300, biz_opaque_callback_data="attempt-42"),
            status("wamid.A", "sent", 1_750_000_100),
            status("wamid.B", "deleted", 1_750_000_000),  # not a status we track
        ]
    )

    updates = parse_status_webhook(body, signature, fake.app_secret)

    assert [(u.provider_message_id, u.status) for u in updates] == [
        ("wamid.A", DeliveryStatus.SENT),
        ("wamid.A", DeliveryStatus.READ),
    ]
    read = updates[1]
    assert read.timestamp == datetime.fromtimestamp(1_750_000_300, UTC)
    assert read.reference == "attempt-42"
    assert read.recipient == DIGITS
    # "delivered" never came: read implies it, and a late "delivered" would not move the message back.
    assert read.implies_delivered
    assert not DeliveryStatus.DELIVERED.advances(read.status)
    assert DeliveryStatus.READ.advances(DeliveryStatus.SENT)


def test_a_failed_status_carries_the_reason_in_italian(fake: FakeWhatsApp) -> None:
    errors = [
        {
            "code": 131047,
            "title": "Re-engagement message",
            "message": "Re-engagement message",
            "error_data": {"details": "More than 24 hours have passed since the recipient last replied."},
        }
    ]
    body, signature = fake.cloud_status_webhook([status("wamid.C", "failed", 1_750_000_000, errors=errors)])

    [update] = parse_status_webhook(body, signature, fake.app_secret)

    assert update.status is DeliveryStatus.FAILED
    assert update.error is not None
    assert update.error.code == "131047"
    assert update.error.reason is RefusalReason.OUTSIDE_WINDOW
    assert "finestra di 24 ore" in update.error.message


def test_a_webhook_whose_signature_does_not_match_is_ignored(fake: FakeWhatsApp) -> None:
    body, signature = fake.cloud_status_webhook([status("wamid.A", "read", 1_750_000_000)])

    with pytest.raises(InvalidWebhook, match="firma"):
        parse_status_webhook(body, signature, "another-secret")
    with pytest.raises(InvalidWebhook, match="firma"):
        parse_status_webhook(body.replace(b"read", b"sent"), signature, fake.app_secret)
    with pytest.raises(InvalidWebhook, match="senza firma"):
        parse_status_webhook(body, None, fake.app_secret)
    with pytest.raises(InvalidWebhook):
        parse_status_webhook(body, "sha256=é", fake.app_secret)


def test_a_signed_but_unreadable_webhook_is_refused_and_an_incoming_message_is_no_status(fake: FakeWhatsApp) -> None:
    junk = b"{not json"
    signature = "sha256=" + hmac.new(fake.app_secret.encode(), junk, hashlib.sha256).hexdigest()
    with pytest.raises(InvalidWebhook, match="illeggibile"):
        parse_status_webhook(junk, signature, fake.app_secret)

    incoming = {"entry": [{"changes": [{"field": "messages", "value": {"messages": [{"from": DIGITS}]}}]}]}
    body = json.dumps(incoming).encode()
    signature = "sha256=" + hmac.new(fake.app_secret.encode(), body, hashlib.sha256).hexdigest()
    assert parse_status_webhook(body, signature, fake.app_secret) == []


def test_the_subscription_challenge_is_echoed_only_for_our_verify_token() -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": "ours", "hub.challenge": "1158201444"}
    assert answer_subscription(params, "ours") == "1158201444"
    with pytest.raises(InvalidWebhook):
        answer_subscription(params, "theirs")
