"""Senders the dispatcher calls, one per channel, adapting a gateway to a rendered message."""

from __future__ import annotations

from app.services.dunning.rendering import RenderedMessage
from app.services.gateways.base import (
    Gateway,
    NotDelivered,
    OutcomeUnknown,
    OutgoingMessage,
    RefusalReason,
    Refused,
)
from app.services.gateways.smtp_mail import (
    MailNotSent,
    MailOutcomeUnknown,
    MailRefused,
    OutgoingMail,
    SmtpServer,
    send_mail,
)


class WhatsAppSender:
    """A reminder as the provider's approved template, its parameters name, amount, due date and code."""

    def __init__(self, gateway: Gateway, language: str = "it", provider: str = "cloud") -> None:
        self._gateway, self._language, self.provider = gateway, language, provider

    def deliver(self, message: RenderedMessage) -> str:
        """Send through the gateway and return the provider's message id; its errors pass through unchanged."""
        outgoing = OutgoingMessage(to=message.address, template=message.provider_template,
                                   parameters=message.parameters, language=self._language,
                                   reference=message.attempt_id)  # fmt: skip
        return self._gateway.send(outgoing).provider_message_id


class MailSender:
    """A reminder as an e-mail or a PEC: the level's text, sent through SMTP; the Message-ID is the provider id,
    so that PEC receipts, which name it, settle the message."""

    def __init__(self, server: SmtpServer, password: str, sender: str, sender_name: str | None = None) -> None:
        self._server, self._password = server, password
        self._sender, self._sender_name = sender, sender_name
        self.provider = "smtp"

    def deliver(self, message: RenderedMessage) -> str:
        """Send the message; mail errors become the dispatcher's three kinds (not sent, refused, unknown)."""
        mail = OutgoingMail(sender=self._sender, to=(message.address,), subject=_subject(message),
                            text=message.text, sender_name=self._sender_name)  # fmt: skip
        try:
            return send_mail(self._server, self._password, mail).message_id
        except MailNotSent as error:
            raise NotDelivered(str(error)) from error
        except MailRefused as error:
            raise Refused(str(error), reason=RefusalReason.OTHER) from error
        except MailOutcomeUnknown as error:
            raise OutcomeUnknown(str(error)) from error


def _subject(message: RenderedMessage) -> str:
    # Neutral: a subject line is shown to whoever glances at the screen, so it names no debt.
    return f"Comunicazione per {message.payer_name}"
