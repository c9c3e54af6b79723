"""Senders the dispatcher calls, one per channel, adapting a gateway to a rendered message."""

from __future__ import annotations

from app.services.dunning.rendering import RenderedMessage
from app.services.gateways.base import Gateway, OutgoingMessage


class WhatsAppSender:
    """A reminder as the provider's approved template, its parameters name, amount, due date and code."""

    def __init__(self, gateway: Gateway, language: str = "it") -> None:
        self._gateway, self._language = gateway, language

    def deliver(self, message: RenderedMessage) -> str:
        """Send through the gateway and return the provider's message id; its errors pass through unchanged."""
        outgoing = OutgoingMessage(to=message.address, template=message.provider_template,
                                   parameters=message.parameters, language=self._language,
                                   reference=message.attempt_id)  # fmt: skip
        return self._gateway.send(outgoing).provider_message_id
