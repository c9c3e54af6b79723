"""QR matrices as ``codes.qr_matrix`` makes them, five times faster: the penalty scoring that picks the mask.

segno spends 80% of a QR (5 ms of 6 for a pagoPA code, 7 of 9 for an EPC one) applying and scoring the eight
masks module by module in Python, three times the cost of the rest of the notice page. Here segno encodes once
with mask 0; for a given version and error level, switching to mask k flips the same modules whatever the data,
so each candidate is one XOR of big integers, and ISO/IEC 18004 §7.8.3's four penalties (N1-N4) are counted with
shifts and popcounts over all rows and columns packed into one integer. The result is exactly segno's symbol for
the chosen mask; the choice follows the standard's rules scored on the finished symbol, format information
included (segno scores before adding it, so the two may pick different masks: both are valid and readable).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import segno

from app.services.errors import InvalidInput
from app.services.notices.codes import QrMatrix

_MASKS = 8
_GAP = 4  # light bits between packed lines: they stand for the quiet zone the N3 rule looks at
_BIT_TEXT = bytes.maketrans(b"\x00\x01", b"01")
_ERROR_LEVELS = frozenset("lmqh")


def fast_qr_matrix(payload: str, error: str = "m") -> QrMatrix:
    """The smallest QR code holding ``payload`` as UTF-8 at level ``error``, never boosted, like ``qr_matrix``,
    with the mask of lowest ISO penalty."""
    level = error.lower()
    if level not in _ERROR_LEVELS:
        raise ValueError(f"error level must be one of l, m, q, h, not {error!r}")
    data = payload.encode("utf-8")
    try:
        code = segno.make_qr(data, error=level, mask=0, boost_error=False)
    except segno.DataOverflowError as exc:
        raise InvalidInput(f"Troppi dati per un codice QR: {len(data)} byte.") from exc
    version = int(code.version)
    size = len(code.matrix)
    packing = _packing(size)
    base = packing.pack(code.matrix)
    candidates = [base ^ flips for flips in _mask_flips(version, level)]
    best = min(candidates, key=packing.penalty)
    return QrMatrix(rows=packing.rows(best), version=version, error=level)


@cache
def _mask_flips(version: int, level: str) -> tuple[int, ...]:
    """For each mask k, the packed modules that differ between the mask-0 and the mask-k symbol."""
    packing = _packing(17 + 4 * version)
    symbols = [segno.make_qr(b"\x00", error=level, version=version, mask=k, boost_error=False) for k in range(_MASKS)]
    base = packing.pack(symbols[0].matrix)
    return tuple(base ^ packing.pack(symbol.matrix) for symbol in symbols)


@dataclass(frozen=True)
class _Packing:
    """Rows then columns of a ``size``-module symbol in one integer, ``_GAP`` zero bits before each line."""

    size: int
    stride: int
    runs_of_five: int  # bits b of a line where b..b+4 stay in the line
    finder_starts: int  # bits b of a line where b..b+6 stay in the line
    square_starts: int  # bits b of rows 0..size-2 where b+1 stays in the row
    rows_only: int

    def pack(self, matrix: tuple[bytearray, ...]) -> int:
        """A segno matrix (rows of 0/1 bytes) packed: its rows, then its columns."""
        columns = [bytes(column) for column in zip(*matrix, strict=True)]
        value = 0
        for line in reversed([*map(bytes, matrix), *columns]):
            value = (value << self.stride) | int(line.translate(_BIT_TEXT), 2)
        return value << _GAP

    def rows(self, value: int) -> tuple[str, ...]:
        """The rows of a packed symbol as ``QrMatrix`` spells them: "1" dark, "0" light."""
        full = (1 << self.size) - 1
        return tuple(f"{(value >> (_GAP + i * self.stride)) & full:0{self.size}b}" for i in range(self.size))

    def penalty(self, value: int) -> int:
        """N1 + N2 + N3 + N4 of ISO/IEC 18004 §7.8.3.1 for the packed symbol ``value``."""
        light = ~value
        same_as_next = ~(value ^ (value >> 1))
        runs = same_as_next & (same_as_next >> 1) & (same_as_next >> 2) & (same_as_next >> 3) & self.runs_of_five
        # A run of L ≥ 5 same-coloured modules scores L - 2: it sets L - 4 bits of ``runs``, plus 2 per run.
        n1 = runs.bit_count() + 2 * (runs & ~(runs << 1)).bit_count()
        same_as_below = ~(value ^ (value >> self.stride))
        n2 = 3 * (same_as_next & same_as_below & (same_as_below >> 1) & self.square_starts).bit_count()
        finder = value & (light >> 1) & (value >> 2) & (value >> 3) & (value >> 4) & (light >> 5) & (value >> 6)
        before = (light << 1) & (light << 2) & (light << 3) & (light << 4)
        after = (light >> 7) & (light >> 8) & (light >> 9) & (light >> 10)
        n3 = 40 * (finder & self.finder_starts & (before | after)).bit_count()
        dark = (value & self.rows_only).bit_count()
        n4 = 10 * int(abs(dark * 100 / self.size**2 - 50) / 5)
        return n1 + n2 + n3 + n4


@cache
def _packing(size: int) -> _Packing:
    stride = size + _GAP

    def bits(lines: range, first: int, last: int) -> int:
        """Bits ``first``..``last`` of each of ``lines``."""
        span = ((1 << (last - first + 1)) - 1) << first
        return sum(span << (_GAP + line * stride) for line in lines)

    every_line = range(2 * size)
    return _Packing(
        size=size,
        stride=stride,
        runs_of_five=bits(every_line, 0, size - 5),
        finder_starts=bits(every_line, 0, size - 7),
        square_starts=bits(range(size - 1), 0, size - 2),
        rows_only=bits(range(size), 0, size - 1),
    )
