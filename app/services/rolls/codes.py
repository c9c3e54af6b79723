"""The code a notice is paid with, when the creditor assigns it: a pagoPA notice number or an RF reference."""

from __future__ import annotations

from app.models import Creditor, NoticeKind
from app.services.errors import InvalidInput
from app.services.notices.codes import make_notice_number, rf_for_notice

_PAGOPA_AUX_DIGIT = 3  # a creditor served by an intermediary: segregation code + base + check digits


def notice_code(creditor: Creditor, kind: NoticeKind, notice_id: int) -> str | None:
    """The code of a new notice: None for a MAV (the bank assigns it), else derived from the notice's id.

    The notice id is unique in the database, so the code is unique for the creditor without a counter.
    """
    if kind is NoticeKind.MAV:
        return None
    if kind is NoticeKind.TRANSFER:
        return rf_for_notice(rf_prefix(creditor), notice_id)
    if not creditor.pagopa_segregation_code:
        raise InvalidInput(
            f"L'ente «{creditor.name}» emette avvisi pagoPA ma non ha il codice di segregazione: "
            "indicarlo nelle impostazioni dell'ente."
        )
    return make_notice_number(_PAGOPA_AUX_DIGIT, creditor.pagopa_segregation_code, notice_id)


def rf_prefix(creditor: Creditor) -> str:
    """The creditor's part of its RF references: its id in letters (1 → B, 26 → BA), so two never share one."""
    letters, number = "", creditor.id
    while True:
        number, digit = divmod(number, 26)
        letters = chr(ord("A") + digit) + letters
        if number == 0:
            return letters
