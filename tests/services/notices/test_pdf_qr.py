"""The fast QR matrix: segno's own symbol for the mask it picks, and the mask the ISO penalty rules pick."""

from __future__ import annotations

from decimal import Decimal

import pytest
import segno
from segno.encoder import mask_scores

from app.services.errors import InvalidInput
from app.services.notices.codes import epc_qr_payload, make_notice_number, pagopa_qr_payload, qr_matrix, rf_for_notice
from app.services.notices.qr_fast import _packing, fast_qr_matrix

BITS = bytes.maketrans(b"\x00\x01", b"01")


def payloads() -> list[str]:
    pagopa = [pagopa_qr_payload(make_notice_number(3, "01", n), "01234567897", Decimal("12.34") + n) for n in range(12)]
    epc = [
        epc_qr_payload(
            "Consorzio Esempio",
            "IT60X0542811101000000123456",
            Decimal("608.00") + n,
            reference=rf_for_notice("CONS", n),
        )
        for n in range(12)
    ]
    long_text = [
        epc_qr_payload(
            "Società Cooperativa Sociale «Esempio»", "IT60X0542811101000000123456", Decimal("1.00"), text="é" * 60
        )
    ]
    return pagopa + epc + long_text


def segno_rows(payload: str, mask: int) -> tuple[str, ...]:
    code = segno.make_qr(payload.encode("utf-8"), error="m", mask=mask, boost_error=False)
    return tuple(bytes(row).translate(BITS).decode("ascii") for row in code.matrix)


def brute_penalty(rows: tuple[str, ...]) -> int:
    """ISO/IEC 18004 §7.8.3.1, module by module; N3 counts every 1:1:3:1:1 with four light modules (or the edge,
    the quiet zone being light) on at least one side."""
    matrix = tuple(bytearray(int(bit) for bit in row) for row in rows)
    n1, n2, _, n4 = mask_scores(matrix, len(rows), len(rows))
    lines = [*rows, *("".join(column) for column in zip(*rows, strict=True))]
    n3 = 0
    for line in lines:
        padded = "0000" + line + "0000"
        for start in range(4, len(padded) - 10):
            light_around = "1" not in padded[start - 4 : start] or "1" not in padded[start + 7 : start + 11]
            if padded[start : start + 7] == "1011101" and light_around:
                n3 += 40
    return n1 + n2 + n3 + n4


@pytest.mark.parametrize("payload", payloads())
def test_the_matrix_is_segnos_symbol_for_the_least_penalised_mask(payload: str) -> None:
    matrix = fast_qr_matrix(payload)
    candidates = {mask: segno_rows(payload, mask) for mask in range(8)}
    chosen = [mask for mask, rows in candidates.items() if rows == matrix.rows]
    assert len(chosen) == 1
    penalties = {mask: brute_penalty(rows) for mask, rows in candidates.items()}
    assert penalties[chosen[0]] == min(penalties.values())
    reference = qr_matrix(payload)
    assert (matrix.version, matrix.error, matrix.size) == (reference.version, reference.error, reference.size)


@pytest.mark.parametrize("payload", payloads()[:6])
def test_packed_penalty_matches_the_module_by_module_count(payload: str) -> None:
    for mask in range(8):
        rows = segno_rows(payload, mask)
        packing = _packing(len(rows))
        matrix = tuple(bytearray(int(bit) for bit in row) for row in rows)
        assert packing.penalty(packing.pack(matrix)) == brute_penalty(rows)


def test_errors_are_those_of_qr_matrix() -> None:
    with pytest.raises(ValueError):
        fast_qr_matrix("x", error="z")
    with pytest.raises(InvalidInput, match="Troppi dati"):
        fast_qr_matrix("x" * 3000)
    assert fast_qr_matrix("x", error="H").error == "h"
