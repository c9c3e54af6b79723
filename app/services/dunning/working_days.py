"""Which days a reminder may go out: never on a Sunday or an Italian public holiday."""

from __future__ import annotations

import functools
from datetime import date, timedelta

import holidays


@functools.lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("IT", years=year))


def is_working_day(day: date) -> bool:
    """False on Sundays and Italian national holidays (Easter Monday included), True otherwise."""
    return day.weekday() != 6 and day not in _holidays(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself when a reminder may go out then, else the first day after it that may."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day
