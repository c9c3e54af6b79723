"""Money stays an exact two-place Decimal and timestamps stay aware (stored UTC), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Connection, Integer, MetaData, Table, func, select
from sqlalchemy.exc import StatementError

from app.models.types import Money, UtcDateTime
from app.services.database import Database

# Numeric(14, 2): twelve digits before the point.
LARGEST = Decimal("999999999999.99")
ROME = ZoneInfo("Europe/Rome")
ZONES = [UTC, ROME, ZoneInfo("America/Sao_Paulo"), ZoneInfo("Asia/Kolkata"), timezone(timedelta(hours=-11))]

metadata = MetaData()
probe = Table(
    "type_probe",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("amount", Money()),
    Column("at", UtcDateTime()),
    prefixes=["TEMPORARY"],
)


@contextmanager
def probe_table(db: Database) -> Iterator[Connection]:
    """A connection with a temporary table of both types; nothing outlives it, the schema is untouched."""
    with db.engine.connect() as connection:
        metadata.create_all(connection)
        try:
            yield connection
        finally:
            connection.rollback()


def _store_and_read(connection: Connection, **values: object) -> tuple[Decimal | None, datetime | None]:
    connection.execute(probe.delete())
    connection.execute(probe.insert().values(id=1, **values))
    row = connection.execute(select(probe.c.amount, probe.c.at)).one()
    return row.amount, row.at


def test_any_two_place_amount_round_trips_exactly(db: Database) -> None:
    with probe_table(db) as connection:

        @settings(max_examples=150, deadline=None)
        @given(st.decimals(min_value=-LARGEST, max_value=LARGEST, places=2, allow_nan=False, allow_infinity=False))
        @example(Decimal("0.10"))
        @example(LARGEST)
        @example(-LARGEST)
        @example(Decimal("0.00"))
        def round_trip(amount: Decimal) -> None:
            stored, _ = _store_and_read(connection, amount=amount)
            assert isinstance(stored, Decimal)
            assert stored == amount
            assert stored.as_tuple().exponent == -2  # always two places: "12.50", never "12.5"

        round_trip()


@pytest.mark.parametrize("amount", [Decimal("0.001"), Decimal("12.345"), Decimal("-0.005")])
def test_an_amount_with_three_places_is_refused_not_rounded(db: Database, amount: Decimal) -> None:
    with probe_table(db) as connection, pytest.raises(StatementError) as raised:
        connection.execute(probe.insert().values(id=1, amount=amount))

    assert isinstance(raised.value.orig, ValueError)
    assert "more than two decimal places" in str(raised.value.orig)


def test_trailing_zeros_are_not_extra_places(db: Database) -> None:
    with probe_table(db) as connection:
        stored, _ = _store_and_read(connection, amount=Decimal("12.300"))

    assert stored == Decimal("12.30")
    assert str(stored) == "12.30"


def test_an_amount_beyond_twelve_digits_is_refused(db: Database) -> None:
    with probe_table(db) as connection, pytest.raises((StatementError, ValueError)):
        connection.execute(probe.insert().values(id=1, amount=LARGEST + Decimal("0.01")))


def test_sums_in_the_database_are_exact(db: Database) -> None:
    amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
    with probe_table(db) as connection:

        @settings(max_examples=60, deadline=None)
        @given(st.lists(amounts, min_size=1, max_size=40))
        @example([Decimal("0.10")] * 3)  # 0.1 + 0.1 + 0.1 != 0.3 in floating point
        @example([Decimal("0.01")] * 40)
        def exact_sum(values: list[Decimal]) -> None:
            connection.execute(probe.delete())
            connection.execute(probe.insert(), [{"id": i, "amount": value} for i, value in enumerate(values)])
            total = connection.scalar(select(func.sum(probe.c.amount)))
            assert isinstance(total, Decimal)
            assert total == sum(values, Decimal("0.00"))

        exact_sum()


def test_any_aware_timestamp_comes_back_aware_in_utc(db: Database) -> None:
    with probe_table(db) as connection:

        @settings(max_examples=150, deadline=None)
        @given(
            st.datetimes(
                min_value=datetime(1900, 1, 2),
                max_value=datetime(2200, 1, 1),
                timezones=st.sampled_from(ZONES),
            )
        )
        @example(datetime(2026, 3, 29, 1, 59, 59, 999999, tzinfo=ROME))  # the hour before summer time
        @example(datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=ROME))  # the repeated hour, second time
        def round_trip(moment: datetime) -> None:
            _, stored = _store_and_read(connection, at=moment)
            assert stored is not None
            assert stored.utcoffset() == timedelta(0)
            assert stored == moment.astimezone(UTC)

        round_trip()


def test_timestamps_are_stored_in_utc_so_they_sort_by_instant(db: Database) -> None:
    rome_morning = datetime(2026, 7, 1, 10, 0, tzinfo=ROME)  # 08:00 UTC
    utc_nine = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    with probe_table(db) as connection:
        connection.execute(probe.insert(), [{"id": 1, "at": utc_nine}, {"id": 2, "at": rome_morning}])
        order = connection.scalars(select(probe.c.id).order_by(probe.c.at)).all()
        later = connection.scalars(select(probe.c.id).where(probe.c.at > datetime(2026, 7, 1, 8, 30, tzinfo=UTC))).all()

    assert order == [2, 1]
    assert later == [1]


def test_a_naive_timestamp_is_refused(db: Database) -> None:
    with probe_table(db) as connection, pytest.raises(StatementError) as raised:
        connection.execute(probe.insert().values(id=1, at=datetime(2026, 7, 1, 10, 0)))

    assert isinstance(raised.value.orig, ValueError)
    assert "timezone-aware" in str(raised.value.orig)


def test_a_float_is_never_taken_for_money(db: Database) -> None:
    with probe_table(db) as connection, pytest.raises((StatementError, TypeError)):
        connection.execute(probe.insert().values(id=1, amount=0.1))
