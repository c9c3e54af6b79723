"""Finding the credits a payment settles: notice code, then RF or notice number, then invoice number, then
amount and payer — what the creditor knows, loaded once per file so that 100,000 movements match quickly."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Credit, MatchRule, Payment, PaymentNotice, Subject
from app.services.notices.codes import find_notice_numbers, find_rf_references
from app.services.payments.allocation import ZERO, OpenCredit
from app.services.payments.incoming import IncomingPayment

_TOKENS = re.compile(r"[A-Za-z0-9][A-Za-z0-9/\-.]*[A-Za-z0-9]|[A-Za-z0-9]")
_SPACES = re.compile(r"[^0-9A-Z]+")


@dataclass(frozen=True)
class Match:
    """The credits a payment goes to first, how they were found, and whose they are."""

    rule: MatchRule
    credits: list[OpenCredit]
    payer_id: int | None
    notice_id: int | None


class Matcher:
    """The creditor's open credits and notices, indexed by everything a payment may name."""

    def __init__(self, session: Session, creditor_id: int) -> None:
        self.credits: dict[int, OpenCredit] = {}
        self._by_notice: defaultdict[int, list[OpenCredit]] = defaultdict(list)
        self._by_payer: defaultdict[int, list[OpenCredit]] = defaultdict(list)
        self._by_reference: dict[str, OpenCredit] = {}
        for row in session.execute(
            select(Credit.id, Credit.reference, Credit.due_date, Credit.outstanding, Credit.amount, Credit.payer_id,
                   Credit.notice_id, Credit.status).where(Credit.creditor_id == creditor_id, Credit.outstanding > 0)
        ):  # fmt: skip
            self.add(OpenCredit(*row))
        self._notices: dict[str, int] = {}
        self._notice_payers: dict[int, int] = {}
        for notice_id, code, payer_id in session.execute(
            select(PaymentNotice.id, PaymentNotice.code, PaymentNotice.payer_id).where(
                PaymentNotice.creditor_id == creditor_id
            )
        ):
            self._notice_payers[notice_id] = payer_id
            if code:
                self._notices[_compact(code)] = notice_id
        self._names = _payer_names(session, creditor_id)
        self._ibans = _known_ibans(session, creditor_id)

    def add(self, credit: OpenCredit) -> None:
        """Make ``credit`` findable (again): a reversal gives a paid credit back its debt."""
        if credit.id in self.credits:
            return
        self.credits[credit.id] = credit
        self._by_reference[credit.reference.upper()] = credit
        self._by_payer[credit.payer_id].append(credit)
        if credit.notice_id is not None:
            self._by_notice[credit.notice_id].append(credit)

    def match(self, payment: IncomingPayment) -> Match | None:
        """The first rule that finds credits for ``payment``, in the documented order; None when none does."""
        notice_id = self._notice_named(payment)
        if notice_id is not None:
            return self._notice_match(MatchRule.NOTICE_CODE, notice_id)
        notice_id = self._notice_referenced(payment)
        if notice_id is not None:
            return self._notice_match(MatchRule.REFERENCE, notice_id)
        credits = self._invoices(payment)
        if credits:
            return Match(MatchRule.INVOICE_NUMBER, credits, credits[0].payer_id, None)
        return self._by_amount_and_payer(payment)

    def payer_credits(self, payer_id: int | None) -> list[OpenCredit]:
        """The payer's credits that still owe something."""
        if payer_id is None:
            return []
        return [credit for credit in self._by_payer.get(payer_id, ()) if credit.outstanding > ZERO]

    def learn_iban(self, iban: str | None, payer_id: int | None) -> None:
        """Remember who pays from ``iban``, for the next payments that name no reference."""
        if iban and payer_id is not None:
            self._ibans.setdefault(_compact(iban), payer_id)

    def _notice_match(self, rule: MatchRule, notice_id: int) -> Match:
        return Match(rule, list(self._by_notice.get(notice_id, ())), self._notice_payers.get(notice_id), notice_id)

    def _notice_named(self, payment: IncomingPayment) -> int | None:
        if payment.notice_code and (found := self._notices.get(_compact(payment.notice_code))) is not None:
            return found
        if payment.notice_id is not None and payment.notice_id in self._notice_payers:
            return payment.notice_id
        return None

    def _notice_referenced(self, payment: IncomingPayment) -> int | None:
        texts = [payment.structured_reference or "", payment.remittance]
        for text in texts:
            for code in [*find_rf_references(text), *find_notice_numbers(text)]:
                if (found := self._notices.get(code)) is not None:
                    return found
        return None

    def _invoices(self, payment: IncomingPayment) -> list[OpenCredit]:
        found: dict[int, OpenCredit] = {}
        names = [payment.invoice_number] if payment.invoice_number else []
        names += reference_tokens(payment.invoice_number or "") + reference_tokens(payment.remittance)
        for name in names:
            credit = self._by_reference.get(name.upper())
            if credit is not None:
                found.setdefault(credit.id, credit)
        return list(found.values())

    def _by_amount_and_payer(self, payment: IncomingPayment) -> Match | None:
        payers: tuple[int, ...] = ()
        if payment.payer_iban and (known := self._ibans.get(_compact(payment.payer_iban))) is not None:
            payers = (known,)
        if not payers and payment.payer_name:
            payers = self._names.get(_name_key(payment.payer_name), ())
        candidates: list[tuple[list[OpenCredit], int, int | None]] = []
        for payer_id in payers:
            open_credits = self.payer_credits(payer_id)
            by_notice: defaultdict[int | None, list[OpenCredit]] = defaultdict(list)
            for credit in open_credits:
                by_notice[credit.notice_id].append(credit)
                if credit.outstanding == payment.amount:
                    candidates.append(([credit], payer_id, credit.notice_id))
            for notice_id, credits in by_notice.items():
                if notice_id is not None and len(credits) > 1 and sum(c.outstanding for c in credits) == payment.amount:
                    candidates.append((credits, payer_id, notice_id))
        if len(candidates) != 1:
            return None  # none, or several that fit equally: a clerk decides
        credits, payer_id, notice_id = candidates[0]
        return Match(MatchRule.AMOUNT_PAYER, credits, payer_id, notice_id)


def reference_tokens(text: str) -> list[str]:
    """The words of ``text`` that could be a document number (``FT-2026/0042``, ``N9876``), upper-cased.

    A word glued to the one before it by a full stop ("fatt.N1234") is offered alone as well.
    """
    found: dict[str, None] = {}
    for token in _TOKENS.findall(text):
        found[token.upper()] = None
        for part in token.split("."):
            if part:
                found[part.upper()] = None
    return list(found)


def _payer_names(session: Session, creditor_id: int) -> dict[str, tuple[int, ...]]:
    # Tuples, not sets: a name almost always has one payer, and 100,000 sets weigh 20 MB more.
    names: dict[str, tuple[int, ...]] = {}
    payers = select(Credit.payer_id).where(Credit.creditor_id == creditor_id, Credit.outstanding > 0).distinct()
    for subject_id, name in session.execute(select(Subject.id, Subject.name).where(Subject.id.in_(payers))):
        key = _name_key(name)
        names[key] = (*names.get(key, ()), subject_id)
    return names


def _known_ibans(session: Session, creditor_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Payment.payer_iban, Payment.payer_id)
        .where(Payment.creditor_id == creditor_id, Payment.payer_iban.is_not(None), Payment.payer_id.is_not(None))
        .distinct()
    )
    return {_compact(iban): payer_id for iban, payer_id in rows if iban and payer_id is not None}


def _compact(code: str) -> str:
    return _SPACES.sub("", code.upper())


def _name_key(name: str) -> str:
    return " ".join(_SPACES.sub(" ", name.upper()).split())
