"""Domain errors: each carries a message a clerk can act on."""

from __future__ import annotations


class CreditDeskError(Exception):
    """An error caused by input or configuration, explained in words a clerk understands."""


class DatabaseUnavailable(CreditDeskError):
    """The database cannot be opened; the message says what to check."""


class DatabaseTooNew(CreditDeskError):
    """The database was created or upgraded by a newer CreditDesk and must not be touched."""


class NetworkShareRefused(CreditDeskError):
    """A SQLite file on a network share: its locking does not work there."""


class NotFound(CreditDeskError):
    """A named record does not exist."""


class InvalidInput(CreditDeskError):
    """A value given by the user is not acceptable."""


class UnreadableFile(CreditDeskError):
    """A file that cannot be read at all (not a spreadsheet, encrypted, damaged or hostile); nothing was written."""
