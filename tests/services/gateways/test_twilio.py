"""The Twilio WhatsApp client against a local HTTP look-alike: forms as Twilio documents them, polling, signatures."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Iterator
from urllib.parse import parse_qsl

import pytest

from app.services.gateways.base import (
    DeliveryStatus,
    Document,
    GatewayError,
    NotDelivered,
    OutcomeUnknown,
    OutgoingMessage,
    RefusalReason,
    Refused,
)
from app.services.gateways.twilio import (
    TwilioWhatsAppGateway,
    parse_status_callback,
    sign_callback,
    verify_callback_signature,
)
from tests.support.fake_whatsapp import FakeWhatsApp, Fault

CONTENT_SID = "HX0123456789abcdef0123456789abcdef"
MOBILE = "+39 333 123 4567"
DIGITS = "393331234567"
TIMEOUT = (0.5, 0.5)


@pytest.fixture
def fake() -> Iterator[FakeWhatsApp]:
    with FakeWhatsApp() as server:
        yield server


def gateway_for(fake: FakeWhatsApp, **overrides: object) -> TwilioWhatsAppGateway:
    options: dict[str, object] = {
        "account_sid": fake.account_sid,
        "auth_token": fake.auth_token,
        "from_number": fake.twilio_from,
        "base_url": fake.base_url,
        "timeout": TIMEOUT,
    }
    options.update(overrides)
    return TwilioWhatsAppGateway(**options)  # type: ignore[arg-type]


@pytest.fixture
def gateway(fake: FakeWhatsApp) -> Iterator[TwilioWhatsAppGateway]:
    gw = gateway_for(fake)
    yield gw
    gw.close()


def send(gateway: TwilioWhatsAppGateway, to: str = MOBILE) -> str:
    return gateway.send_template(to, CONTENT_SID, {"1": "Mario Rossi", "2": "€ 120,00"}).provider_message_id


# -- sending ---------------------------------------------------------------------------------------------------------


def test_a_template_goes_out_as_the_documented_form_with_basic_auth(
    fake: FakeWhatsApp, gateway: TwilioWhatsAppGateway
) -> None:
    receipt = gateway.send_template(
        MOBILE,
        CONTENT_SID,
        {"1": "Mario Rossi", "2": "€ 120,00"},
        media_url="https://example.org/avvisi/avviso.pdf",
        status_callback="https://creditdesk.example.org/twilio/status?attempt=42",
    )

    assert receipt.provider == "twilio"
    assert receipt.provider_message_id.startswith("SM") and len(receipt.provider_message_id) == 34
    assert (receipt.status, receipt.raw_status, receipt.recipient) == (DeliveryStatus.ACCEPTED, "queued", DIGITS)
    [request] = fake.seen
    assert (request.method, request.path) == ("POST", f"/2010-04-01/Accounts/{fake.account_sid}/Messages.json")
    credentials = base64.b64encode(f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
    assert request.headers["authorization"] == f"Basic {credentials}"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    form = dict(parse_qsl(request.body.decode()))
    assert form == {
        "From": "whatsapp:+14155238886",
        "To": f"whatsapp:+{DIGITS}",
        "ContentSid": CONTENT_SID,
        "ContentVariables": '{"1": "Mario Rossi", "2": "€ 120,00"}',
        "MediaUrl": "https://example.org/avvisi/avviso.pdf",
        "StatusCallback": "https://creditdesk.example.org/twilio/status?attempt=42",
    }
    assert "Body" not in form  # a template's text is the template
    assert json.loads(form["ContentVariables"]) == {"1": "Mario Rossi", "2": "€ 120,00"}
    assert [a.message_id for a in fake.accepted] == [receipt.provider_message_id]


def test_send_numbers_the_variables_and_links_the_pdf(fake: FakeWhatsApp) -> None:
    gateway = gateway_for(fake, from_number="+1 415 523 8886", status_callback="https://cd.example.org/status")
    message = OutgoingMessage(
        to="333 1234567",
        template=CONTENT_SID,
        parameters=("Mario Rossi", "€ 120,00"),
        document=Document("avviso.pdf", link="https://example.org/a.pdf"),
    )

    gateway.send(message)

    form = fake.accepted[0].payload
    assert json.loads(form["ContentVariables"]) == {"1": "Mario Rossi", "2": "€ 120,00"}
    assert form["MediaUrl"] == "https://example.org/a.pdf"
    assert form["StatusCallback"] == "https://cd.example.org/status"
    assert form["From"] == "whatsapp:+14155238886"


def test_a_pdf_without_a_public_link_is_refused_before_any_request(
    fake: FakeWhatsApp, gateway: TwilioWhatsAppGateway
) -> None:
    message = OutgoingMessage(MOBILE, CONTENT_SID, ("a", "b"), document=Document("a.pdf", content=b"%PDF-1.4"))

    with pytest.raises(Refused, match="indirizzo web") as caught:
        gateway.send(message)

    assert caught.value.reason is RefusalReason.CONFIGURATION
    assert fake.seen == []


def test_a_landline_is_refused_before_any_request(fake: FakeWhatsApp, gateway: TwilioWhatsAppGateway) -> None:
    with pytest.raises(Refused, match="fisso"):
        send(gateway, "+39 06 1234 5678")
    assert fake.seen == []


# -- errors ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "http_status", "kind", "reason", "words"),
    [
        (63016, 400, Refused, RefusalReason.OUTSIDE_WINDOW, "finestra di 24 ore"),
        (21211, 400, Refused, RefusalReason.INVALID_NUMBER, "non è valido"),
        (21610, 400, Refused, RefusalReason.NO_CONSENT, "STOP"),
        (63003, 400, Refused, RefusalReason.NOT_ON_WHATSAPP, "non risulta su WhatsApp"),
        (63018, 429, NotDelivered, None, "limite di invio"),
        (20003, 401, Refused, RefusalReason.AUTHENTICATION, "Credenziali Twilio"),
    ],
)
def test_each_twilio_error_means_one_kind_with_an_italian_message(
    fake: FakeWhatsApp,
    gateway: TwilioWhatsAppGateway,
    code: int,
    http_status: int,
    kind: type[GatewayError],
    reason: RefusalReason | None,
    words: str,
) -> None:
    fake.fail_next(Fault("error", code=code, http_status=http_status, route="twilio.messages"))

    with pytest.raises(kind, match=words) as caught:
        send(gateway)

    assert caught.value.provider_code == str(code)
    if reason is not None:
        assert isinstance(caught.value, Refused) and caught.value.reason is reason
    assert fake.accepted == []


def test_the_fake_refuses_by_itself_what_twilio_would(fake: FakeWhatsApp) -> None:
    cases = [
        (
            gateway_for(fake, auth_token="wrong"),
            CONTENT_SID,
            {"1": "a", "2": "b"},
            "20003",
            RefusalReason.AUTHENTICATION,
        ),
        (gateway_for(fake), "HX" + "f" * 32, {"1": "a", "2": "b"}, "21655", RefusalReason.TEMPLATE),
        (gateway_for(fake), CONTENT_SID, {"1": "a"}, "21656", RefusalReason.TEMPLATE),
        (
            gateway_for(fake, from_number="+39 333 000 0000"),
            CONTENT_SID,
            {"1": "a", "2": "b"},
            "63007",
            RefusalReason.CONFIGURATION,
        ),
    ]
    for gateway, content_sid, variables, code, reason in cases:
        with pytest.raises(Refused) as caught:
            gateway.send_template(MOBILE, content_sid, variables)
        assert (caught.value.provider_code, caught.value.reason) == (code, reason)
    assert fake.accepted == []


def test_too_many_requests_says_when_to_retry(fake: FakeWhatsApp, gateway: TwilioWhatsAppGateway) -> None:
    fake.fail_next(Fault("error", code=20429, http_status=429, retry_after="4"))

    with pytest.raises(NotDelivered) as caught:
        send(gateway)

    assert caught.value.retry_after == 4


def test_a_timeout_after_sending_is_an_unknown_outcome_and_the_message_did_go(
    fake: FakeWhatsApp, gateway: TwilioWhatsAppGateway
) -> None:
    fake.fail_next(Fault("delay", seconds=1.5, route="twilio.messages"))

    with pytest.raises(OutcomeUnknown, match="Non viene rinviato da solo"):
        send(gateway)

    assert [a.to for a in fake.accepted] == [DIGITS]


def test_a_dropped_connection_or_a_5xx_after_sending_is_an_unknown_outcome(
    fake: FakeWhatsApp, gateway: TwilioWhatsAppGateway
) -> None:
    fake.fail_next(Fault("drop"))
    with pytest.raises(OutcomeUnknown):
        send(gateway)

    fake.fail_next(Fault("http", http_status=503, body=b'{"code": 20500, "message": "Internal Server Error"}'))
    with pytest.raises(OutcomeUnknown, match="HTTP 503"):
        send(gateway)

    assert len(fake.accepted) == 2
    assert fake.duplicates() == {(DIGITS, CONTENT_SID): 2}  # what resending blindly would have done


def test_a_refused_connection_proves_nothing_was_sent(fake: FakeWhatsApp) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    gateway = gateway_for(fake, base_url=f"http://127.0.0.1:{port}")

    with pytest.raises(NotDelivered, match="nessun messaggio è partito"):
        send(gateway)


# -- polling ---------------------------------------------------------------------------------------------------------


def test_polling_follows_queued_sent_delivered_read(fake: FakeWhatsApp, gateway: TwilioWhatsAppGateway) -> None:
    sid = send(gateway)

    updates = [gateway.fetch_status(sid) for _ in range(5)]

    assert [u.raw_status for u in updates] == ["queued", "sent", "delivered", "read", "read"]
    assert [u.status for u in updates] == [
        DeliveryStatus.ACCEPTED,
        DeliveryStatus.SENT,
        DeliveryStatus.DELIVERED,
        DeliveryStatus.READ,
        DeliveryStatus.READ,
    ]
    assert all(u.provider_message_id == sid and u.error is None for u in updates)
    assert updates[0].recipient == DIGITS
    assert updates[-1].timestamp is not None and updates[-1].timestamp.tzinfo is not None
    assert updates[-1].status.is_final
    assert fake.seen[1].path == f"/2010-04-01/Accounts/{fake.account_sid}/Messages/{sid}.json"


@pytest.mark.parametrize(
    ("steps", "code", "reason", "words"),
    [
        (["queued", "failed:63016"], "63016", RefusalReason.OUTSIDE_WINDOW, "finestra di 24 ore"),
        (["queued", "sent", "undelivered:63003"], "63003", RefusalReason.NOT_ON_WHATSAPP, "non risulta su WhatsApp"),
        (["queued", "undelivered:63049"], "63049", None, "trattenuto"),
        (["queued", "failed:30008"], "30008", RefusalReason.OTHER, "non ha consegnato"),
        (["scheduled", "canceled"], "canceled", None, "annullato"),
    ],
)
def test_polling_reports_a_failure_with_its_reason(
    fake: FakeWhatsApp,
    gateway: TwilioWhatsAppGateway,
    steps: list[str],
    code: str,
    reason: RefusalReason | None,
    words: str,
) -> None:
    fake.progressions[DIGITS] = steps
    sid = send(gateway)

    updates = [gateway.fetch_status(sid) for _ in steps]

    final = updates[-1]
    assert final.status is DeliveryStatus.FAILED
    assert final.error is not None
    assert (final.error.code, final.error.reason) == (code, reason)
    assert words in final.error.message


def test_polling_an_unknown_message(fake: FakeWhatsApp, gateway: TwilioWhatsAppGateway) -> None:
    with pytest.raises(Refused, match="non trovata") as caught:
        gateway.fetch_status("SM" + "0" * 32)
    assert caught.value.provider_code == "20404"

    with pytest.raises(Refused, match="non è un identificativo"):
        gateway.fetch_status("../../Accounts")


def test_a_poll_that_times_out_is_only_a_poll_to_repeat(fake: FakeWhatsApp, gateway: TwilioWhatsAppGateway) -> None:
    sid = send(gateway)
    fake.fail_next(Fault("delay", seconds=1.5, route="twilio.message"))

    with pytest.raises(NotDelivered):
        gateway.fetch_status(sid)


# -- test connection -------------------------------------------------------------------------------------------------


def test_test_connection_names_the_account(fake: FakeWhatsApp, gateway: TwilioWhatsAppGateway) -> None:
    sentence = gateway.test_connection()

    assert sentence == "Connessione riuscita: account Twilio «Consorzio di prova», mittente +14155238886."
    assert fake.seen[0].path == f"/2010-04-01/Accounts/{fake.account_sid}.json"


def test_test_connection_says_what_to_fix(fake: FakeWhatsApp) -> None:
    with pytest.raises(Refused, match="Credenziali") as caught:
        gateway_for(fake, auth_token="wrong").test_connection()
    assert caught.value.reason is RefusalReason.AUTHENTICATION

    fake.twilio_account_status = "suspended"
    with pytest.raises(Refused, match="non è attivo"):
        gateway_for(fake).test_connection()

    with pytest.raises(Refused, match="Account SID"):
        gateway_for(fake, account_sid="AC123")


def test_the_auth_token_stays_out_of_errors_and_repr(fake: FakeWhatsApp) -> None:
    gateway = gateway_for(fake, auth_token="tw-very-secret")
    with pytest.raises(Refused) as caught:
        send(gateway)
    assert "tw-very-secret" not in str(caught.value)
    assert "tw-very-secret" not in repr(gateway)


# -- callbacks -------------------------------------------------------------------------------------------------------

# Twilio's worked example: token 12345, this URL and these parameters.
DOC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
DOC_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}


def test_the_callback_signature_matches_twilios_documented_examples() -> None:
    # The "Webhooks security" page's example (as quoted by many independent implementations).
    assert verify_callback_signature(DOC_URL, DOC_PARAMS, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "12345")
    # The twilio-php library's validation guide: same URL and token, another caller.
    php = dict(DOC_PARAMS, Caller="+14158675309", From="+14158675309")
    assert verify_callback_signature(DOC_URL, php, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "12345")


def test_a_tampered_callback_fails_the_signature() -> None:
    good = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    assert not verify_callback_signature(DOC_URL, dict(DOC_PARAMS, Digits="9999"), good, "12345")
    assert not verify_callback_signature(DOC_URL.replace("bar=2", "bar=3"), DOC_PARAMS, good, "12345")
    assert not verify_callback_signature(DOC_URL, DOC_PARAMS, good, "54321")
    assert not verify_callback_signature(DOC_URL, DOC_PARAMS, good[:-1], "12345")
    assert not verify_callback_signature(DOC_URL, DOC_PARAMS, None, "12345")
    assert not verify_callback_signature(DOC_URL, DOC_PARAMS, "è", "12345")


def test_the_signature_holds_with_or_without_the_default_port_and_for_repeated_names() -> None:
    signed = sign_callback("https://cd.example.org:443/status", {"MessageSid": "SM1"}, "tok")
    assert verify_callback_signature("https://cd.example.org/status", {"MessageSid": "SM1"}, signed, "tok")
    pairs = [("MediaUrl", "b"), ("MediaUrl", "a")]
    assert verify_callback_signature("https://x.org/s", pairs, sign_callback("https://x.org/s", pairs[::-1], "t"), "t")


def test_a_status_callback_reads_as_a_status_update() -> None:
    update = parse_status_callback(
        {
            "MessageSid": "SM" + "1" * 32,
            "MessageStatus": "undelivered",
            "ErrorCode": "63016",
            "To": f"whatsapp:+{DIGITS}",
        }
    )

    assert update.status is DeliveryStatus.FAILED
    assert update.recipient == DIGITS
    assert update.error is not None and update.error.reason is RefusalReason.OUTSIDE_WINDOW

    delivered = parse_status_callback({"MessageSid": "SM" + "1" * 32, "MessageStatus": "delivered"})
    assert delivered.status is DeliveryStatus.DELIVERED and delivered.error is None
