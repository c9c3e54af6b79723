"""Where things go on a notice page, and which items go on which page.

Distances are millimetres from the top-left corner of an A4 sheet, as a ruler on the printed page reads them;
``y_of`` turns them into reportlab's points from the bottom.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import TracebackType

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.services.notices.document import NoticeItem
from app.services.notices.pdf_text import fit, format_date, format_money, printable, truncate, wrap

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 15.0
RIGHT = 195.0

REGULAR = "Helvetica"
BOLD = "Helvetica-Bold"
ITALIC = "Helvetica-Oblique"
MONO = "Courier-Bold"

# The address sits in the window of an Italian DL envelope (110 × 220 mm, window 100 × 45 mm on the right,
# 20 mm from the right edge and 15 mm from the bottom) holding the A4 folded in three: 110 mm from the left,
# 50 mm from the top, 80 × 35 mm, leaving about 5 mm of play on every side for the sheet moving in the envelope.
WINDOW_LEFT = 110.0
WINDOW_TOP = 50.0
WINDOW_WIDTH = 80.0
WINDOW_BOTTOM = 85.0
FOLDS = (99.0, 198.0)

HEADER_TOP = 12.0
LOGO_WIDTH, LOGO_HEIGHT = 45.0, 20.0
HEADER_RULE = 36.0
TITLE_BASELINE = 97.0

FIRST_TABLE_TOP = 102.0  # the header row of the items table on the first page
NEXT_TABLE_TOP = 30.0  # and on the pages that continue it
TABLE_HEADER_HEIGHT = 6.0
ROWS_BOTTOM = 280.0  # where rows stop on a page without the payment part
PAYMENT_TOP = 200.0  # the payment part fills the bottom third, below the second fold
PAYMENT_BOTTOM = 285.0
FOOTER_BASELINE = 291.0

ROW_SIZE = 8.5
ROW_LINE = 3.4
ROW_PADDING = 1.5
TOTAL_HEIGHT = 10.0
INSTRUCTION_SIZE = 8.0
INSTRUCTION_MIN_SIZE = 6.5
INSTRUCTION_MAX_LINES = 12
INSTRUCTION_GAP = 2.0


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the items table: its heading, left edge and width in millimetres, right-aligned or not."""

    heading: str
    left: float
    width: float
    right_aligned: bool = False

    @property
    def right(self) -> float:
        """Right edge in millimetres."""
        return self.left + self.width


REFERENCE = Column("Riferimento", LEFT, 30.0)
DESCRIPTION = Column("Descrizione", 46.0, 70.0)
INSTALLATION = Column("Impianto", 117.0, 32.0)
DUE_DATE = Column("Scadenza", 150.0, 19.0)
AMOUNT = Column("Importo", 171.0, RIGHT - 171.0, right_aligned=True)
COLUMNS = (REFERENCE, DESCRIPTION, INSTALLATION, DUE_DATE, AMOUNT)


def y_of(distance: float) -> float:
    """reportlab's y (points from the bottom) of a line ``distance`` millimetres from the top of the page."""
    return PAGE_HEIGHT - distance * mm


def x_of(distance: float) -> float:
    """reportlab's x of a point ``distance`` millimetres from the left edge."""
    return distance * mm


LABEL_GRAY = 0.35


class TextBlock:
    """Strings placed in page millimetres inside one PDF text object: one BT/ET and no repeated font changes,
    which is most of what ``canvas.drawString`` costs. Every string goes through ``printable`` first."""

    def __init__(self, canvas: Canvas) -> None:
        self._canvas = canvas
        self._text = canvas.beginText()
        self._font: tuple[str, float] | None = None
        self._gray = 0.0

    def __enter__(self) -> TextBlock:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if error is None:
            self._canvas.drawText(self._text)

    def put(
        self, left: float, baseline: float, text: str, font: str = REGULAR, size: float = 9.0, *, gray: float = 0.0
    ) -> None:
        """``text`` starting ``left`` mm from the left edge on the baseline ``baseline`` mm from the top."""
        self._put(x_of(left), baseline, printable(text), font, size, gray)

    def put_right(
        self, right: float, baseline: float, text: str, font: str = REGULAR, size: float = 9.0, *, gray: float = 0.0
    ) -> None:
        """``text`` ending ``right`` mm from the left edge."""
        shown = printable(text)
        self._put(x_of(right) - stringWidth(shown, font, size), baseline, shown, font, size, gray)

    def put_centred(
        self, centre: float, baseline: float, text: str, font: str = REGULAR, size: float = 9.0, *, gray: float = 0.0
    ) -> None:
        """``text`` centred on ``centre`` mm from the left edge."""
        shown = printable(text)
        self._put(x_of(centre) - stringWidth(shown, font, size) / 2, baseline, shown, font, size, gray)

    def label(self, left: float, baseline: float, text: str, size: float = 7.5) -> None:
        """A field's caption: small and gray."""
        self.put(left, baseline, text, REGULAR, size, gray=LABEL_GRAY)

    def _put(self, x: float, baseline: float, text: str, font: str, size: float, gray: float) -> None:
        if self._font != (font, size):
            self._text.setFont(font, size)
            self._font = (font, size)
        if self._gray != gray:
            self._text.setFillGray(gray)
            self._gray = gray
        self._text.setTextOrigin(x, y_of(baseline))
        # textLine, not textOut: textOut measures the string again to advance a cursor we never use.
        self._text.textLine(text)


@dataclass(frozen=True, slots=True)
class Row:
    """One item as printed: its cells fitted to their columns and the row's height in millimetres."""

    reference: str
    description: tuple[str, ...]
    description_size: float
    installation: str
    due_date: str
    amount: str
    height: float


def layout_row(item: NoticeItem) -> Row:
    """``item`` fitted to the table: the description wraps to two lines (shrinking if needed), the rest is cut."""
    description = fit(item.description, REGULAR, ROW_SIZE, DESCRIPTION.width * mm, 2, 7.0)
    return Row(
        reference=truncate(item.reference, REGULAR, ROW_SIZE, REFERENCE.width * mm),
        description=description.lines,
        description_size=description.size,
        installation=truncate(item.installation or "", REGULAR, ROW_SIZE, INSTALLATION.width * mm),
        due_date=format_date(item.due_date),
        amount=format_money(item.amount),
        height=ROW_LINE * len(description.lines) + ROW_PADDING,
    )


@dataclass(frozen=True, slots=True)
class Instructions:
    """The instructions as printed: lines at ``size`` points, ``height`` millimetres tall."""

    lines: tuple[str, ...]
    size: float

    @property
    def leading(self) -> float:
        """Millimetres from one baseline to the next."""
        return self.size * 0.44

    @property
    def height(self) -> float:
        """Millimetres the block takes."""
        return self.leading * len(self.lines)


@lru_cache(maxsize=64)
def layout_instructions(text: str) -> Instructions:
    """``text`` wrapped to the page width, each line break kept, in at most 12 lines (shrunk, then cut).

    Cached: a batch usually prints the same few texts thousands of times.
    """
    width = (RIGHT - LEFT) * mm
    size = INSTRUCTION_SIZE
    while True:
        lines = [line for paragraph in text.splitlines() for line in wrap(paragraph, REGULAR, size, width)]
        if len(lines) <= INSTRUCTION_MAX_LINES or size <= INSTRUCTION_MIN_SIZE:
            break
        size -= 0.5
    if len(lines) > INSTRUCTION_MAX_LINES:
        flat = " ".join(text.split())
        lines = list(fit(flat, REGULAR, size, width, INSTRUCTION_MAX_LINES, size).lines)
    while lines and not lines[-1]:
        lines.pop()
    return Instructions(tuple(lines), size)


@dataclass(frozen=True, slots=True)
class PagePlan:
    """The rows one page shows; the last page also carries the total, the instructions and the payment part."""

    number: int
    count: int
    rows: tuple[Row, ...]

    @property
    def is_first(self) -> bool:
        """The page with the letterhead and the address."""
        return self.number == 1

    @property
    def is_last(self) -> bool:
        """The page with the payment part."""
        return self.number == self.count


def tail_top(instructions: Instructions) -> float:
    """Where the total row starts on the last page: the total and the instructions sit on the payment part."""
    return PAYMENT_TOP - INSTRUCTION_GAP - instructions.height - TOTAL_HEIGHT


def rows_top(page_number: int) -> float:
    """Where the first row of the table starts on page ``page_number``."""
    table_top = FIRST_TABLE_TOP if page_number == 1 else NEXT_TABLE_TOP
    return table_top + TABLE_HEADER_HEIGHT


def plan_pages(rows: list[Row], instructions: Instructions) -> list[PagePlan]:
    """Rows split over as many pages as needed: full pages first, and the last page holds at least one row
    (when there are any) above the total, so a total never stands alone on a page of its own."""
    last_bottom = tail_top(instructions)
    chunks: list[tuple[Row, ...]] = []
    start = 0
    while True:
        top = rows_top(len(chunks) + 1)
        remaining = rows[start:]
        if sum(row.height for row in remaining) <= last_bottom - top:
            chunks.append(tuple(remaining))
            break
        taken = min(_fitting(remaining, ROWS_BOTTOM - top), len(remaining) - 1)
        taken = max(taken, 1)
        chunks.append(tuple(remaining[:taken]))
        start += taken
    return [PagePlan(number, len(chunks), chunk) for number, chunk in enumerate(chunks, start=1)]


def _fitting(rows: list[Row], space: float) -> int:
    used = 0.0
    for count, row in enumerate(rows):
        used += row.height
        if used > space:
            return count
    return len(rows)
