"""The bank's side of a CBI MAV exchange, for tests: its answer to a disposition flow we wrote."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date


def _put(record: str, start: int, value: str) -> str:
    """``value`` written at 1-based position ``start`` of a 120-character record."""
    return record[: start - 1] + value + record[start - 1 + len(value) :]


def bank_answer(
    flow: bytes, codes: Mapping[str, str], outcomes: Mapping[str, str] | None = None, paid_on: date | None = None
) -> bytes:
    """The return flow a bank sends for ``flow``: sender and receiver swapped, each disposition (by its number
    in record 51) with the MAV code of ``codes`` and the causale of ``outcomes`` (default 07000), paid on
    ``paid_on`` when given. Dispositions absent from ``codes`` come back without a code."""
    outcomes = outcomes or {}
    records = flow.decode("ascii").split("\r\n")
    causale_at: dict[int, int] = {}
    out: list[str] = []
    for record in records:
        if not record:
            continue
        kind = record[1:3]
        if kind in ("IM", "EF"):
            record = _put(_put(record, 4, record[8:13]), 9, record[3:8])
        elif kind == "14":
            causale_at[int(record[3:10])] = len(out)
        elif kind == "51":
            reference = record[10:20].strip().lstrip("0")
            record = _put(record, 75, codes.get(reference, "").ljust(12))
            if paid_on is not None:
                record = _put(record, 110, paid_on.strftime("%d%m%y"))
            index = causale_at[int(record[3:10])]
            out[index] = _put(out[index], 29, outcomes.get(reference, "07000"))
        out.append(record)
    return ("\r\n".join(out) + "\r\n").encode("ascii")
