"""Properties of splitting a payment over credits: exact sums, never beyond what is owed, oldest due date first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.models import CreditStatus
from app.services.payments.allocation import OpenCredit, allocate

ZERO = Decimal("0.00")
cents = st.integers(min_value=0, max_value=10**8).map(lambda c: Decimal(c).scaleb(-2))
positive_cents = st.integers(min_value=1, max_value=10**8).map(lambda c: Decimal(c).scaleb(-2))
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def open_credits(draw: st.DrawFn) -> list[OpenCredit]:
    """Credits with distinct ids, some already partly or wholly paid, due dates that may coincide."""
    ids = draw(st.lists(st.integers(min_value=1, max_value=10**6), unique=True, max_size=12))
    credits = []
    for credit_id in ids:
        amount = draw(positive_cents)
        outstanding = draw(st.integers(min_value=0, max_value=int(amount * 100)).map(lambda c: Decimal(c).scaleb(-2)))
        credits.append(
            OpenCredit(
                id=credit_id, reference=f"F{credit_id}", due_date=draw(days), outstanding=outstanding, amount=amount,
                payer_id=1, notice_id=None, status=CreditStatus.ISSUED,
            )
        )  # fmt: skip
    return credits


def _order(credit: OpenCredit) -> tuple[date, int]:
    return credit.due_date, credit.id


@given(amount=cents, credits=open_credits())
def test_parts_and_remainder_sum_to_the_amount(amount: Decimal, credits: list[OpenCredit]) -> None:
    parts, left = allocate(amount, credits)
    assert sum((part for _credit, part in parts), ZERO) + left == amount
    assert left >= ZERO
    assert all(part > ZERO for _credit, part in parts)
    # Something is left over only when every credit has been paid in full
    if left > ZERO:
        assert all(credit.outstanding == ZERO for credit in credits)


@given(amount=cents, credits=open_credits())
def test_no_credit_takes_more_than_it_owes_and_owes_exactly_the_parts_less(
    amount: Decimal, credits: list[OpenCredit]
) -> None:
    before = {credit.id: credit.outstanding for credit in credits}
    parts, _left = allocate(amount, credits)
    taken = {credit.id: part for credit, part in parts}
    assert len(taken) == len(parts)  # one part per credit at most
    for credit in credits:
        assert taken.get(credit.id, ZERO) <= before[credit.id]
        assert credit.outstanding == before[credit.id] - taken.get(credit.id, ZERO)
        assert credit.outstanding >= ZERO


@given(amount=cents, credits=open_credits())
def test_a_later_credit_takes_nothing_while_an_earlier_one_still_owes(
    amount: Decimal, credits: list[OpenCredit]
) -> None:
    parts, _left = allocate(amount, credits)
    taken = {credit.id for credit, _part in parts}
    ordered = sorted(credits, key=_order)
    for position, credit in enumerate(ordered):
        if credit.id in taken:
            assert all(earlier.outstanding == ZERO for earlier in ordered[:position])
    assert [credit.id for credit, _part in parts] == [credit.id for credit in ordered if credit.id in taken]


def test_oldest_due_date_first_then_the_remainder() -> None:
    def credit(credit_id: int, due: date, outstanding: str) -> OpenCredit:
        value = Decimal(outstanding)
        return OpenCredit(credit_id, f"F{credit_id}", due, value, value, 1, None, CreditStatus.ISSUED)

    late, early, middle = (
        credit(1, date(2026, 9, 30), "100.00"),
        credit(2, date(2026, 1, 31), "30.00"),
        credit(3, date(2026, 5, 31), "50.00"),
    )
    parts, left = allocate(Decimal("60.00"), [late, early, middle])
    assert [(c.id, part) for c, part in parts] == [(2, Decimal("30.00")), (3, Decimal("30.00"))]
    assert (left, early.outstanding, middle.outstanding, late.outstanding) == (
        ZERO,
        ZERO,
        Decimal("20.00"),
        Decimal("100.00"),
    )
    parts, left = allocate(Decimal("200.00"), [late, early, middle])
    assert [(c.id, part) for c, part in parts] == [(3, Decimal("20.00")), (1, Decimal("100.00"))]
    assert left == Decimal("80.00")
