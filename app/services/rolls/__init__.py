"""Rolls (ruoli): formed from a filter of credits, one notice per holder, moved through their states."""

from app.services.rolls.forming import RollCriteria, RollFormed, create_roll, delete_roll, remove_credits
from app.services.rolls.overview import NoticeRow, RollEventRow, RollRow, list_rolls, roll_events, roll_notices
from app.services.rolls.states import ALLOWED_MOVES, change_roll_status

__all__ = [
    "ALLOWED_MOVES",
    "NoticeRow",
    "RollCriteria",
    "RollEventRow",
    "RollFormed",
    "RollRow",
    "change_roll_status",
    "create_roll",
    "delete_roll",
    "list_rolls",
    "remove_credits",
    "roll_events",
    "roll_notices",
]
