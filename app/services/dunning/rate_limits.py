"""How fast each gateway may be used: messages per minute through it, and messages per day to one recipient
(WhatsApp blocks numbers that write too often to the same person, and a debtor must not get a burst)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from app.models import Channel
from app.settings import Settings

_SECTIONS = {"whatsapp": Channel.WHATSAPP, "email": Channel.EMAIL, "pec": Channel.PEC}
# Without a setting, WhatsApp gets at most two messages a day per recipient; the providers' own limits on
# throughput are answered with "retry later", which the dispatcher already honours.
DEFAULTS = {Channel.WHATSAPP: (None, 2)}


@dataclass(frozen=True)
class RateLimit:
    """At most ``per_minute`` messages a minute through the gateway, ``per_recipient_per_day`` to one address."""

    per_minute: int | None = None
    per_recipient_per_day: int | None = None

    def claims_within(self, lease: timedelta) -> int | None:
        """How many messages one run may claim so that, paced, the last still goes out well within its lease."""
        if not self.per_minute:
            return None
        return max(1, int(self.per_minute * lease.total_seconds() / 60 / 2))


def limits_from_settings(settings: Settings) -> dict[Channel, RateLimit]:
    """The limits of each sending gateway: ``per_minute`` and ``per_recipient_per_day`` in its settings section,
    else the defaults."""
    gateways = settings.extra.get("gateways", {})
    limits = {channel: RateLimit(*values) for channel, values in DEFAULTS.items()}
    for name, channel in _SECTIONS.items():
        section = gateways.get(name) or {}
        default = limits.get(channel, RateLimit())
        per_minute = _positive(section.get("per_minute"), default.per_minute)
        per_recipient = _positive(section.get("per_recipient_per_day"), default.per_recipient_per_day)
        limits[channel] = RateLimit(per_minute, per_recipient)
    return limits


def _positive(value: object, default: int | None) -> int | None:
    if value is None or value == "":
        return default
    try:
        number = int(str(value))
    except ValueError:
        return default
    return number if number > 0 else None


class Pacer:
    """Spaces calls evenly so that no more than ``per_minute`` happen in any minute."""

    def __init__(
        self, per_minute: int | None, clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:  # fmt: skip
        self._interval = 60.0 / per_minute if per_minute else 0.0
        self._clock, self._sleep = clock, sleep
        self._next: float | None = None

    def wait(self) -> None:
        """Return when the next call may be made."""
        if not self._interval:
            return
        current = self._clock()
        if self._next is not None and current < self._next:
            self._sleep(self._next - current)
            current = self._next
        self._next = current + self._interval
