"""QR codes and Code 128 barcodes drawn on a reportlab canvas as one filled path each.

reportlab's own widgets draw one rectangle object per module or bar, and even its path API formats every
coordinate through ``fp_str``: 1.8 ms for a 33×33 QR, as much as the rest of the page. Here the path is written
as PDF operators in module units under a scaling transform (integers only), 0.1 ms for the same QR.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfgen.canvas import Canvas

QUIET_ZONE = 4  # QR modules of light margin on each side, ISO/IEC 18004
BARCODE_QUIET_ZONE = 10  # Code 128 modules of light margin on each side


def draw_qr(canvas: Canvas, runs: Iterable[tuple[int, int, int]], size: int, x: float, y: float, side: float) -> None:
    """A QR of ``size`` modules per side from its dark ``runs`` (row, column, length), quiet zone included, in the
    square of ``side`` points whose lower-left corner is (``x``, ``y``): one path, one fill."""
    module = side / (size + 2 * QUIET_ZONE)
    top = y + side - QUIET_ZONE * module
    left = x + QUIET_ZONE * module
    # Rows grow downwards in the matrix: a negative vertical scale maps row r to the band below the top edge.
    _fill_rectangles(
        canvas, (module, 0, 0, -module, left, top), (f"{col} {row} {length} 1 re" for row, col, length in runs)
    )


def code128_bars(value: str) -> tuple[list[tuple[int, int]], int]:
    """The bars of ``value`` in Code 128 as (start module, width in modules), and the symbol's width in modules.

    The encoding (start code, sets, checksum, stop) is reportlab's; only the drawing is ours.
    """
    symbol = Code128(value)
    symbol.validate()
    symbol.encode()
    # reportlab spells each symbol as alternating widths: upper-case letters are bars, lower-case spaces, A/a = 1.
    bars: list[tuple[int, int]] = []
    position = 0
    for letter in symbol.decompose():
        width = ord(letter.lower()) - ord("a") + 1
        if letter.isupper():
            bars.append((position, width))
        position += width
    return bars, position


def draw_code128(
    canvas: Canvas, value: str, x: float, y: float, max_width: float, height: float, max_module: float
) -> float:
    """``value`` as a Code 128 barcode with its quiet zones, left edge at ``x``, bottom at ``y``, at most
    ``max_width`` wide and with modules no wider than ``max_module`` points; returns the width used."""
    bars, modules = code128_bars(value)
    total = modules + 2 * BARCODE_QUIET_ZONE
    module = min(max_width / total, max_module)
    left = x + BARCODE_QUIET_ZONE * module
    _fill_rectangles(canvas, (module, 0, 0, height, left, y), (f"{start} 0 {width} 1 re" for start, width in bars))
    return total * module


def _fill_rectangles(canvas: Canvas, matrix: Sequence[float], rectangles: Iterable[str]) -> None:
    """Fill ``rectangles`` (PDF ``re`` operators) as one path in the coordinate system ``matrix`` sets up."""
    canvas.saveState()
    canvas.transform(*matrix)
    canvas.setFillGray(0)
    canvas.addLiteral(" ".join(rectangles) + " f")
    canvas.restoreState()
