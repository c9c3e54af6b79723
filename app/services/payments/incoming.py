"""A payment as a bank or accounting file reports it, before it is matched: the same shape for every format."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.models import PaymentSource


class Outcome(enum.StrEnum):
    """What the bank says happened to a MAV; a payment file says only PAID."""

    PAID = "paid"
    UNPAID = "unpaid"
    RECALLED = "recalled"
    WRITTEN_OFF = "written_off"


@dataclass(frozen=True, slots=True)
class IncomingPayment:
    """One movement to book: money in (or a reversal of money in), with what may tie it to our notices."""

    bank_reference: str  # unique per movement for the creditor and source: the key that makes a re-import a no-op
    amount: Decimal
    received_on: date
    where: str  # "riga 12", "movimento 3 (ref …)": how a message names it
    source: PaymentSource = PaymentSource.BANK
    value_date: date | None = None
    payer_name: str | None = None
    payer_iban: str | None = None
    remittance: str = ""
    structured_reference: str | None = None
    end_to_end_id: str | None = None
    notice_code: str | None = None  # the MAV code of a CBI return flow
    notice_id: int | None = None  # the disposition number we gave the bank (our notice id)
    invoice_number: str | None = None  # the accounting office's column
    reversal: bool = False
    outcome: Outcome = Outcome.PAID
