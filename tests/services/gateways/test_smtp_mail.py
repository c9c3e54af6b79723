"""Sending PEC and e-mail to a real SMTP server (aiosmtpd, TLS with a certificate made for the test)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from app.services.gateways.smtp_mail import (
    SUBMISSION_PORT,
    Attachment,
    MailNotSent,
    MailOutcomeUnknown,
    MailRefused,
    MailSecurity,
    OutgoingMail,
    SmtpServer,
    build_message,
    send_mail,
    send_message,
)
from tests.support.mail_servers import (
    RecordingHandler,
    RunningSmtp,
    SelfSignedCertificate,
    closed_port,
    make_certificate,
    silent_server,
    smtp_server,
)

# aiosmtpd cannot tell that an implicit-TLS session is encrypted, so its PEC server may not insist on TLS for AUTH.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")

PASSWORD = "s3greto-PEC!"
USER = "solleciti@pec.consorzio.example"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> SelfSignedCertificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def pec_server(certificate: SelfSignedCertificate) -> Iterator[RunningSmtp]:
    with smtp_server(certificate, implicit_tls=True, users={USER: PASSWORD}) as running:
        yield running


def account(running: RunningSmtp | None, certificate: SelfSignedCertificate, **changes: object) -> SmtpServer:
    """The test server's settings (a refused port when ``running`` is None), with ``changes``."""
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": running.port if running else closed_port(),
        "username": USER,
        "cafile": str(certificate.cert),
        "timeout": 2.0,
        "helo_name": "creditdesk.test",
    }
    values.update(changes)
    return SmtpServer(**values)  # type: ignore[arg-type]


def reminder(**changes: object) -> OutgoingMail:
    """A PEC reminder with accents, HTML and a PDF, with ``changes``."""
    values: dict[str, object] = {
        "sender": USER,
        "sender_name": "Consorzio Co.Sm.An",
        "to": ("mario.rossi@pec.example.it",),
        "subject": "Sollecito di pagamento n° 3 – scadenza 31/05",
        "text": "Gentile Mario Rossi,\nrisulta non pagato l'importo di 120,50 €.\n",
        "html": "<p>Gentile Mario Rossi,<br>risulta non pagato l'importo di <b>120,50 €</b>.</p>",
        "attachments": (Attachment("avviso_pagamento_è.pdf", PDF),),
    }
    values.update(changes)
    return OutgoingMail(**values)  # type: ignore[arg-type]


def received_message(running: RunningSmtp) -> EmailMessage:
    """The one message the server received, parsed."""
    (only,) = running.handler.received
    message = BytesParser(policy=policy.default).parsebytes(only.content)
    assert isinstance(message, EmailMessage)
    return message


def test_a_pec_goes_over_ssl_with_its_parts_and_the_pdf(
    pec_server: RunningSmtp, certificate: SelfSignedCertificate
) -> None:
    sent = send_mail(account(pec_server, certificate), PASSWORD, reminder())

    (mail,) = pec_server.handler.received
    assert (mail.mail_from, mail.rcpt_tos, mail.login) == (USER, ("mario.rossi@pec.example.it",), USER)
    assert mail.encrypted
    message = received_message(pec_server)
    assert message["From"].addresses[0].addr_spec == USER
    assert message["From"].addresses[0].display_name == "Consorzio Co.Sm.An"
    assert str(message["To"]) == "mario.rossi@pec.example.it"
    assert str(message["Subject"]) == "Sollecito di pagamento n° 3 – scadenza 31/05"
    # A long Message-ID is folded onto its own line on the wire, which RFC 5322 allows.
    assert message["Message-ID"].strip() == sent.message_id
    assert abs(message["Date"].datetime - datetime.now(UTC)) < timedelta(minutes=1)
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and "120,50 €" in text.get_content()
    assert html is not None and "<b>120,50 €</b>" in html.get_content()
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "avviso_pagamento_è.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF
    assert sent.recipients == ("mario.rossi@pec.example.it",)
    assert sent.server_reply.startswith("2.0.0 Ok")


def test_our_message_id_is_in_the_senders_domain_and_new_each_time() -> None:
    first, second = build_message(reminder()), build_message(reminder())

    assert first["Message-ID"].startswith("<") and first["Message-ID"].endswith("creditdesk@pec.consorzio.example>")
    assert first["Message-ID"] != second["Message-ID"]


def test_a_message_id_chosen_before_sending_is_the_one_sent(
    pec_server: RunningSmtp, certificate: SelfSignedCertificate
) -> None:
    # GIVEN the outbox recorded the id before the send, as a crash between the two must leave it known
    message = build_message(reminder(), message_id="<fixed.1@pec.consorzio.example>")

    sent = send_message(account(pec_server, certificate), PASSWORD, message)

    assert sent.message_id == "<fixed.1@pec.consorzio.example>"
    assert received_message(pec_server)["Message-ID"] == "<fixed.1@pec.consorzio.example>"


def test_plain_email_upgrades_with_starttls_before_logging_in(certificate: SelfSignedCertificate) -> None:
    with smtp_server(certificate, implicit_tls=False, users={USER: PASSWORD}) as running:
        server = account(running, certificate, security=MailSecurity.STARTTLS)
        sent = send_mail(server, PASSWORD, reminder(html=None, attachments=()))

    (mail,) = running.handler.received
    assert mail.encrypted and mail.login == USER
    message = received_message(running)
    assert message.get_content_type() == "text/plain"
    assert message["Message-ID"].strip() == sent.message_id
    assert SUBMISSION_PORT == 587


def test_a_server_without_starttls_gets_no_password(certificate: SelfSignedCertificate) -> None:
    server = smtp_server(certificate, implicit_tls=False, users={USER: PASSWORD}, offer_starttls=False)
    with server as running, pytest.raises(MailRefused) as refused:
        send_mail(account(running, certificate, security=MailSecurity.STARTTLS), PASSWORD, reminder())

    assert refused.value.kind == "permanent" and not refused.value.retry_safe
    assert "Nulla è stato inviato" in str(refused.value)
    assert running.handler.received == []


def test_a_wrong_password_is_permanent_and_never_written_anywhere(
    pec_server: RunningSmtp, certificate: SelfSignedCertificate, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    with pytest.raises(MailRefused) as refused:
        send_mail(account(pec_server, certificate), "wrong-password-123", reminder())

    message = str(refused.value)
    assert refused.value.kind == "permanent"
    assert "nome utente o password" in message and USER in message
    assert "wrong-password-123" not in message and "wrong-password-123" not in caplog.text
    assert pec_server.handler.received == []


def test_a_temporary_authentication_failure_is_retried_not_blamed_on_the_password(
    pec_server: RunningSmtp, certificate: SelfSignedCertificate
) -> None:
    with pytest.raises(MailNotSent, match="454"):
        send_mail(account(pec_server, certificate), "TEMPFAIL", reminder())


def test_a_refused_connection_means_nothing_was_sent_and_a_retry_is_safe(certificate: SelfSignedCertificate) -> None:
    with pytest.raises(MailNotSent) as not_sent:
        send_mail(account(None, certificate), PASSWORD, reminder())

    assert not_sent.value.kind == "retry" and not_sent.value.retry_safe
    assert "Nulla è stato inviato; si può riprovare" in str(not_sent.value)
    assert not_sent.value.message_id is not None


def test_a_server_that_never_greets_times_out_as_not_sent(certificate: SelfSignedCertificate) -> None:
    with silent_server() as port:
        started = time.monotonic()
        with pytest.raises(MailNotSent):
            send_mail(account(None, certificate, port=port, timeout=0.3), PASSWORD, reminder())

    assert time.monotonic() - started < 2


def test_no_answer_after_the_content_is_an_unknown_outcome_never_a_retry(certificate: SelfSignedCertificate) -> None:
    # GIVEN a server that takes the message but answers after the client has given up
    handler = RecordingHandler(delay=1.5)
    with smtp_server(certificate, implicit_tls=True, users={USER: PASSWORD}, handler=handler) as running:
        message = build_message(reminder())

        with pytest.raises(MailOutcomeUnknown) as unknown:
            send_message(account(running, certificate, timeout=0.5), PASSWORD, message)

    # THEN the server does hold it, which is why it must not be resent on its own
    assert len(handler.received) == 1
    assert unknown.value.kind == "unknown" and not unknown.value.retry_safe
    assert unknown.value.message_id == message["Message-ID"]
    assert "non si sa se è partito" in str(unknown.value)


@pytest.mark.parametrize(
    ("reply", "error"),
    [("550 5.1.1 <x@pec.example.it>: casella inesistente", MailRefused), ("451 4.3.0 riprovare", MailNotSent)],
)
def test_a_refused_recipient_stops_the_whole_send(
    certificate: SelfSignedCertificate, reply: str, error: type[Exception]
) -> None:
    handler = RecordingHandler(refuse={"x@pec.example.it": reply})
    server = smtp_server(certificate, implicit_tls=True, users={USER: PASSWORD}, handler=handler)
    with server as running, pytest.raises(error) as refused:
        send_mail(account(running, certificate), PASSWORD, reminder(to=("ok@pec.example.it", "x@pec.example.it")))

    assert "il destinatario x@pec.example.it" in str(refused.value) and reply[:3] in str(refused.value)
    assert handler.received == []


def test_an_untrusted_certificate_is_refused_before_the_password(
    pec_server: RunningSmtp, certificate: SelfSignedCertificate
) -> None:
    with pytest.raises(MailRefused) as refused:
        send_mail(account(pec_server, certificate, cafile=None), PASSWORD, reminder())

    assert "certificato" in str(refused.value)
    assert pec_server.handler.received == []


@pytest.mark.parametrize(
    "changes",
    [
        {"subject": "Sollecito\r\nBcc: tutti@example.it"},
        {"to": ("mario.rossi@pec.example.it\r\nBcc: x@y.it",)},
        {"to": ("Mario <mario@pec.example.it>",)},
        {"to": ("non-un-indirizzo",)},
        {"to": ()},
        {"sender": "solleciti@localhost"},
    ],
)
def test_a_message_that_cannot_be_sent_safely_is_refused_before_connecting(changes: dict[str, object]) -> None:
    with pytest.raises(MailRefused):
        build_message(reminder(**changes))


def test_a_missing_ca_file_is_a_configuration_error(certificate: SelfSignedCertificate, tmp_path: Path) -> None:
    with pytest.raises(MailRefused, match="certificato"):
        send_mail(account(None, certificate, cafile=str(tmp_path / "missing.pem")), PASSWORD, reminder())
