"""Senders the dispatcher calls, one per channel, adapting a gateway to a rendered message."""

from __future__ import annotations

from pathlib import Path

from app.services.dunning.rendering import RenderedMessage
from app.services.gateways.base import (
    Document,
    Gateway,
    NotDelivered,
    OutcomeUnknown,
    OutgoingMessage,
    RefusalReason,
    Refused,
)
from app.services.gateways.smtp_mail import (
    Attachment,
    MailNotSent,
    MailOutcomeUnknown,
    MailRefused,
    OutgoingMail,
    SmtpServer,
    build_message,
    send_message,
)


class WhatsAppSender:
    """A reminder as the provider's approved template, its parameters name, amount, due date and code; the PDF
    notice goes with it as the template's document when the message is about one notice and the provider can
    take the file itself (the Cloud API; Twilio only fetches files from a public address)."""

    def __init__(
        self, gateway: Gateway, language: str = "it", provider: str | None = None, archive: Path | None = None
    ) -> None:
        self._gateway, self._language, self._archive = gateway, language, archive
        self.provider = gateway.provider if provider in (None, "cloud") else provider

    def deliver(self, message: RenderedMessage) -> str:
        """Send through the gateway and return the provider's message id; its errors pass through unchanged."""
        document = None
        if self._archive is not None and len(message.documents) == 1 and self._gateway.provider != "twilio":
            relative, filename = message.documents[0]
            document = Document(filename, content=_read_pdf(self._archive, relative))
        outgoing = OutgoingMessage(to=message.address, template=message.provider_template,
                                   parameters=message.parameters, language=self._language, document=document,
                                   reference=message.attempt_id)  # fmt: skip
        return self._gateway.send(outgoing).provider_message_id


class MailSender:
    """A reminder as an e-mail or a PEC: the level's text, the PDF notices attached, sent through SMTP.

    The Message-ID is made from the attempt id before the send, so that a PEC receipt settles the message even
    when the process died between the send and its record.
    """

    provider = "smtp"

    def __init__(
        self, server: SmtpServer, password: str, sender: str, sender_name: str | None = None,
        archive: Path | None = None,
    ) -> None:  # fmt: skip
        self._server, self._password = server, password
        self._sender, self._sender_name, self._archive = sender, sender_name, archive

    def deliver(self, message: RenderedMessage) -> str:
        """Send the message; mail errors become the dispatcher's three kinds (not sent, refused, unknown)."""
        attachments: tuple[Attachment, ...] = ()
        if self._archive is not None:
            attachments = tuple(Attachment(filename, _read_pdf(self._archive, relative))
                                for relative, filename in message.documents)  # fmt: skip
        mail = OutgoingMail(sender=self._sender, to=(message.address,), subject=_subject(message),
                            text=message.text, attachments=attachments, sender_name=self._sender_name)  # fmt: skip
        try:
            built = build_message(mail, message_id=message_id_for(message.attempt_id, self._sender))
            return send_message(self._server, self._password, built).message_id
        except MailNotSent as error:
            raise NotDelivered(str(error)) from error
        except MailRefused as error:
            raise Refused(str(error), reason=RefusalReason.OTHER) from error
        except MailOutcomeUnknown as error:
            raise OutcomeUnknown(str(error)) from error


def message_id_for(attempt_id: str, sender: str) -> str:
    """The Message-ID of an attempt's mail: ``<attempt id@sender's domain>``; receipts name it."""
    return f"<{attempt_id}@{sender.rpartition('@')[2] or 'creditdesk.invalid'}>"


def attempt_of(message_id: str | None) -> str | None:
    """The attempt id inside a Message-ID made by message_id_for, else None."""
    local = (message_id or "").strip().strip("<>").partition("@")[0]
    return local if len(local) == 36 and local.count("-") == 4 else None


def _read_pdf(archive: Path, relative: str) -> bytes:
    path = archive.joinpath(*relative.split("/"))
    try:
        return path.read_bytes()
    except OSError as error:
        # Nothing was sent: a retry would fail the same way until a clerk puts the notice back in the archive.
        why = f"L'avviso PDF da allegare non si legge nell'archivio ({path}): {error.strerror or error}."
        raise Refused(f"{why} Rigenerare gli avvisi del ruolo, poi riprovare.", reason=RefusalReason.OTHER) from error


def _subject(message: RenderedMessage) -> str:
    # Neutral: a subject line is shown to whoever glances at the screen, so it names no debt.
    return f"Comunicazione per {message.payer_name}"
