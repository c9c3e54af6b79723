"""Column types that keep money exact and timestamps aware on every supported database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, DateTime, Dialect, Numeric
from sqlalchemy.types import TypeDecorator, TypeEngine

CENT = Decimal("0.01")
ROME = ZoneInfo("Europe/Rome")
LARGEST_AMOUNT = Decimal("999999999999.99")


class Money(TypeDecorator[Decimal]):
    """A ``Decimal`` amount in euro with two places.

    PostgreSQL stores ``NUMERIC(14, 2)``. SQLite has no decimal type and would keep such values as floating
    point, so there the column holds whole cents in an integer: sums stay exact on both.
    """

    impl = Numeric(14, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(14, 2, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError(f"money must be a Decimal, not the float {value!r}")
        amount = value if isinstance(value, Decimal) else Decimal(value)
        if amount != amount.quantize(CENT):
            raise ValueError(f"amount {amount} has more than two decimal places")
        if abs(amount) > LARGEST_AMOUNT:
            raise ValueError(f"amount {amount} does not fit Numeric(14, 2)")
        if dialect.name == "sqlite":
            return int(amount.scaleb(2))
        return amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-2).quantize(CENT)
        return Decimal(value).quantize(CENT)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp, stored in UTC and always returned aware (in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_now() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return datetime.now(UTC)


def rome_today() -> date:
    """Today's date in Rome, where the clerks, the banks and the due dates are."""
    return datetime.now(ROME).date()
