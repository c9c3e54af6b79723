"""Sending one message over SMTP (PEC over SSL, e-mail over STARTTLS or SSL) with a Message-ID we choose, and
errors that say whether anything may have gone out.

The error kinds are defined here for now; the gateways' shared taxonomy will absorb them later.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid
from enum import StrEnum
from typing import ClassVar

from app.services.errors import CreditDeskError

log = logging.getLogger(__name__)

PEC_PORT = 465  # SMTP over SSL from the first byte: what every PEC provider requires
SUBMISSION_PORT = 587  # SMTP upgraded with STARTTLS before the password is sent
DEFAULT_TIMEOUT = 30.0
# Our ids end "…creditdesk@<domain>", so a clerk reading a receipt by hand can tell them apart.
MESSAGE_ID_TAG = "creditdesk"


class MailSecurity(StrEnum):
    """How the connection is protected; there is deliberately no unencrypted choice."""

    SSL = "ssl"
    STARTTLS = "starttls"


class MailError(CreditDeskError):
    """A message not sent as asked; ``kind`` says what the outbox may do next, ``message_id`` which message."""

    kind: ClassVar[str] = "unknown"
    retry_safe: ClassVar[bool] = False

    def __init__(self, message: str, *, message_id: str | None = None) -> None:
        super().__init__(message)
        self.message_id = message_id


class MailNotSent(MailError):
    """Nothing was sent (no connection, a temporary refusal): sending again later is safe."""

    kind = "retry"
    retry_safe = True


class MailRefused(MailError):
    """Nothing was sent and trying again as it is will not help (password, address, certificate, content)."""

    kind = "permanent"


class MailOutcomeUnknown(MailError):
    """The message may or may not have been accepted: never resend it automatically; a receipt or a clerk decides."""

    kind = "unknown"


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to send; the password is not here, it comes from the keyring at each call."""

    host: str
    username: str
    port: int = PEC_PORT
    security: MailSecurity = MailSecurity.SSL
    timeout: float = DEFAULT_TIMEOUT  # seconds, for the connection and for every command
    cafile: str | None = None  # a private certificate authority; None trusts the system's
    helo_name: str | None = None  # name given in EHLO; None lets smtplib ask the operating system


@dataclass(frozen=True)
class Attachment:
    """A file attached to a message."""

    filename: str
    content: bytes
    content_type: str = "application/pdf"


@dataclass(frozen=True)
class OutgoingMail:
    """What to send: bare addresses (``name@domain``), a text body, optionally HTML and attachments."""

    sender: str
    to: tuple[str, ...]
    subject: str
    text: str
    html: str | None = None
    attachments: tuple[Attachment, ...] = ()
    sender_name: str | None = None
    reply_to: str | None = None


@dataclass(frozen=True)
class SentMail:
    """A message the server accepted (250 after DATA): its Message-ID is the key receipts will name."""

    message_id: str
    recipients: tuple[str, ...]
    sent_at: datetime
    server_reply: str


def new_message_id(domain: str) -> str:
    """A fresh, globally unique ``<…@domain>`` Message-ID."""
    return make_msgid(idstring=MESSAGE_ID_TAG, domain=domain)


def build_message(mail: OutgoingMail, *, message_id: str | None = None, now: datetime | None = None) -> EmailMessage:
    """The MIME message for ``mail``: text with an HTML alternative, attachments, Date and a Message-ID.

    The Message-ID is ``message_id`` or a new one in the sender's domain. Raises MailRefused for an address or a
    subject that cannot be sent.
    """
    sender = _checked_address(mail.sender, "mittente")
    if not mail.to:
        raise MailRefused("Il messaggio non ha destinatari.")
    recipients = [_checked_address(address, "destinatario") for address in mail.to]
    if "\r" in mail.subject or "\n" in mail.subject:
        raise MailRefused("L'oggetto del messaggio non può contenere un a capo.")
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = Address(display_name=mail.sender_name or "", addr_spec=sender)
    message["To"] = ", ".join(recipients)
    if mail.reply_to:
        message["Reply-To"] = _checked_address(mail.reply_to, "indirizzo di risposta")
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(now or datetime.now().astimezone())
    message["Message-ID"] = message_id or new_message_id(sender.rpartition("@")[2])
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return message


def send_mail(server: SmtpServer, password: str, mail: OutgoingMail) -> SentMail:
    """Build ``mail`` and send it: see send_message."""
    return send_message(server, password, build_message(mail))


def send_message(server: SmtpServer, password: str, message: EmailMessage) -> SentMail:
    """Send a built message to its To and Cc addresses; return it as the server accepted it.

    Raises MailNotSent when nothing went out and a retry is safe, MailRefused when nothing went out and a retry
    will not help, MailOutcomeUnknown when the content was handed over but the server's answer never came.
    """
    message_id = str(message.get("Message-ID") or "")
    if not message_id:
        raise MailRefused("Il messaggio non ha un Message-ID: le ricevute non potrebbero essere abbinate.")
    sender, recipients = _envelope(message)
    payload = message.as_bytes(policy=policy.SMTP)
    with _session(server, password, message_id) as smtp:
        _declare_envelope(smtp, server, sender, recipients, message_id)
        reply = _transfer(smtp, server, payload, message_id)
    log.info("Messaggio %s accettato da %s:%d (%d destinatari)", message_id, server.host, server.port, len(recipients))
    return SentMail(message_id, tuple(recipients), datetime.now(UTC), reply)


def _checked_address(value: str, role: str) -> str:
    """A bare ASCII addr-spec, or MailRefused: a display name or line break here would forge headers."""
    text = value.strip()
    try:
        if not text.isascii() or any(char in text for char in "\r\n<>,"):
            raise ValueError(text)
        address = Address(addr_spec=text)
    except (ValueError, IndexError):
        raise MailRefused(f"Indirizzo {role} non valido: {value!r}.") from None
    if not address.username or "." not in address.domain:
        raise MailRefused(f"Indirizzo {role} non valido: {value!r}.")
    return address.addr_spec


def _envelope(message: EmailMessage) -> tuple[str, list[str]]:
    senders = getaddresses([str(message.get("From", ""))])
    recipients = [address for _, address in getaddresses(message.get_all("To", []) + message.get_all("Cc", []))]
    if not senders or not senders[0][1] or not recipients or not all(recipients):
        raise MailRefused("Il messaggio non ha un mittente e almeno un destinatario validi.")
    return senders[0][1], recipients


@contextmanager
def _session(server: SmtpServer, password: str, message_id: str) -> Iterator[smtplib.SMTP]:
    """A logged-in connection, closed on leaving; a failed QUIT after a sent message is no error."""
    smtp = _connect(server, password, message_id)
    try:
        yield smtp
    finally:
        with suppress(smtplib.SMTPException, OSError):
            smtp.quit()
        smtp.close()


def _connect(server: SmtpServer, password: str, message_id: str) -> smtplib.SMTP:
    # smtplib's debug output is never switched on: it would print the AUTH exchange, password included.
    smtp: smtplib.SMTP | None = None
    try:
        # The host goes to the constructor: smtplib checks the certificate against the name given there only.
        if server.security is MailSecurity.SSL:
            context = _tls_context(server)
            smtp = smtplib.SMTP_SSL(
                server.host, server.port, local_hostname=server.helo_name, timeout=server.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(server.host, server.port, local_hostname=server.helo_name, timeout=server.timeout)
            # No fallback to a clear-text login: a server without STARTTLS is refused before the password goes out.
            smtp.starttls(context=_tls_context(server))
        smtp.login(server.username, password)
        return smtp
    except (smtplib.SMTPException, OSError, MailError) as exc:
        if smtp is not None:
            smtp.close()
        raise _before_data(exc, server, message_id) from exc


def _tls_context(server: SmtpServer) -> ssl.SSLContext:
    try:
        return ssl.create_default_context(cafile=server.cafile)
    except (OSError, ssl.SSLError) as exc:
        raise MailRefused(f"Il certificato dell'autorità {server.cafile} non si può leggere ({exc}).") from exc


def _declare_envelope(
    smtp: smtplib.SMTP, server: SmtpServer, sender: str, recipients: list[str], message_id: str
) -> None:
    """MAIL FROM and every RCPT TO: one refused recipient stops the send before any content goes out."""
    try:
        code, reply = smtp.mail(sender)
        if code != 250:
            raise _reply_error(code, reply, f"il mittente {sender}", message_id)
        for recipient in recipients:
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                raise _reply_error(code, reply, f"il destinatario {recipient}", message_id)
    except (smtplib.SMTPException, OSError) as exc:
        raise _before_data(exc, server, message_id) from exc


def _transfer(smtp: smtplib.SMTP, server: SmtpServer, payload: bytes, message_id: str) -> str:
    """DATA: from here on a lost answer means the server may hold the message, so the outcome is unknown."""
    try:
        code, reply = smtp.data(payload)
    except smtplib.SMTPDataError as exc:  # DATA itself refused: no content was sent
        raise _reply_error(exc.smtp_code, exc.smtp_error, "il messaggio", message_id) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailOutcomeUnknown(
            f"Il collegamento con {server.host} si è interrotto mentre il messaggio veniva consegnato al server "
            f"({_detail(exc)}): non si sa se è partito. Non viene reinviato automaticamente; attendere le "
            "ricevute o verificare nella posta inviata prima di reinviarlo.",
            message_id=message_id,
        ) from exc
    if code == 250:
        return _decoded(reply)
    # After the content, RFC 5321 lets a server keep a message only by answering 250: any code here means it did not.
    raise _reply_error(code, reply, "il messaggio", message_id)


def _reply_error(code: int, reply: bytes | str, what: str, message_id: str) -> MailError:
    text = f"{code} {_decoded(reply)}"
    if code >= 500:
        return MailRefused(
            f"Il server ha rifiutato {what} ({text}). Nulla è stato inviato; correggere prima di riprovare.",
            message_id=message_id,
        )
    return MailNotSent(
        f"Il server ha rifiutato temporaneamente {what} ({text}). Nulla è stato inviato; si può riprovare.",
        message_id=message_id,
    )


def _before_data(exc: BaseException, server: SmtpServer, message_id: str) -> MailError:
    """The error kind of a failure before any content was sent: nothing went out, the question is whether to retry."""
    where = f"{server.host}:{server.port}"
    if isinstance(exc, MailError):
        return exc
    # 454 is a temporary authentication failure (RFC 4954): retried like any 4xx below, not blamed on the password.
    if isinstance(exc, smtplib.SMTPAuthenticationError) and exc.smtp_code >= 500:
        return MailRefused(
            f"Il server {where} ha rifiutato nome utente o password ({server.username}). Nulla è stato inviato: "
            "correggere le credenziali nelle impostazioni.",
            message_id=message_id,
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply_error(exc.smtp_code, exc.smtp_error, "il collegamento", message_id)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MailRefused(
            f"Il certificato del server {where} non è valido ({exc.verify_message}). Nulla è stato inviato: "
            "controllare il nome del server nelle impostazioni.",
            message_id=message_id,
        )
    # SMTPException derives from OSError: the protocol's own failures are told apart from the network's first.
    if isinstance(exc, smtplib.SMTPException) and not isinstance(exc, smtplib.SMTPServerDisconnected):
        return MailRefused(
            f"Il server {where} non consente l'invio sicuro ({_detail(exc)}). Nulla è stato inviato: controllare "
            "porta e sicurezza nelle impostazioni.",
            message_id=message_id,
        )
    return MailNotSent(
        f"Impossibile comunicare con il server {where} ({_detail(exc)}). Nulla è stato inviato; si può riprovare.",
        message_id=message_id,
    )


def _detail(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _decoded(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
