"""One payment notice drawn on A4 pages: letterhead, address in the envelope window, items, total, instructions
and the payment part on the last page."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from app.models.enums import NoticeKind
from app.services.notices.document import CreditorBlock, NoticeDocument, Recipient
from app.services.notices.pdf_layout import (
    BOLD,
    COLUMNS,
    FOLDS,
    FOOTER_BASELINE,
    HEADER_RULE,
    HEADER_TOP,
    LEFT,
    LOGO_HEIGHT,
    LOGO_WIDTH,
    REGULAR,
    RIGHT,
    ROW_LINE,
    ROW_SIZE,
    ROWS_BOTTOM,
    TABLE_HEADER_HEIGHT,
    TITLE_BASELINE,
    TOTAL_HEIGHT,
    WINDOW_LEFT,
    WINDOW_TOP,
    WINDOW_WIDTH,
    Instructions,
    PagePlan,
    TextBlock,
    layout_instructions,
    layout_row,
    plan_pages,
    rows_top,
    tail_top,
    x_of,
    y_of,
)
from app.services.notices.pdf_payment import PaymentCodes, draw_payment_frame, draw_payment_values, payment_codes
from app.services.notices.pdf_text import fit, format_date, format_money, truncate

log = logging.getLogger(__name__)

TITLE = "Avviso di pagamento"
SUBTITLES = {
    NoticeKind.MAV: "MAV – pagamento mediante avviso",
    NoticeKind.PAGOPA: "pagoPA",
    NoticeKind.TRANSFER: "Bonifico bancario SEPA",
}
DATA_LABEL_LEFT, DATA_VALUE_LEFT, DATA_VALUE_WIDTH = LEFT, 42.0, 60.0
# Instructions are made a form from their second appearance on: a text printed once would only grow the file.
_INSTRUCTION_FORM_MIN_USES = 2
_INSTRUCTION_TEXTS_TRACKED = 256


class NoticeRenderer:
    """Draws payment notices on one canvas, each from a new page.

    What many pages share is drawn once per canvas as a form XObject and then placed by reference: letterhead
    and logo (per creditor), the first page's captions (per kind), the table heading, the payment part's fixed
    text (per kind) and instructions that recur word for word. A page then costs only its own values and codes.
    """

    def __init__(self, canvas: Canvas, *, reuse_forms: bool = True) -> None:
        """Draw on ``canvas``. ``reuse_forms=False`` draws everything inline on every page: right for a file of
        one notice, where each form would serve once, and the plain baseline the benchmark compares with."""
        self._canvas = canvas
        self._reuse_forms = reuse_forms
        self._forms: dict[Hashable, str] = {}
        self._instruction_uses: dict[str, int] = {}

    def draw(self, document: NoticeDocument) -> int:
        """Draw ``document`` on as many pages as its items need, ending each page; returns how many.

        Raises InvalidInput (nothing drawn) when the notice cannot be printed: an invalid code, or a creditor
        without the pagoPA tax code or IBAN its kind needs.
        """
        codes = payment_codes(document)
        instructions = layout_instructions(document.instructions)
        plans = plan_pages([layout_row(item) for item in document.items], instructions)
        for plan in plans:
            self._draw_page(document, plan, instructions, codes)
            self._canvas.showPage()
        return len(plans)

    def _draw_page(
        self, document: NoticeDocument, plan: PagePlan, instructions: Instructions, codes: PaymentCodes
    ) -> None:
        canvas = self._canvas
        if plan.is_first:
            self._place(("letterhead", document.creditor), lambda: draw_letterhead(canvas, document.creditor))
            self._place(("first", document.kind), lambda: _draw_first_page_frame(canvas, document.kind))
        if plan.is_last:
            _draw_total_rule(canvas, instructions)
        table_top = rows_top(plan.number) - TABLE_HEADER_HEIGHT
        canvas.saveState()
        canvas.translate(0, -table_top * mm)  # the heading form is drawn at the top of the page: move it down
        self._place("table-heading", lambda: _draw_table_heading(canvas))
        canvas.restoreState()
        with TextBlock(canvas) as text:
            if plan.is_first:
                _put_notice_data(text, document)
                put_address(text, document.recipient)
            else:
                _put_continuation_heading(text, document, plan)
            _put_rows(text, plan)
            _put_footer(text, document, plan)
            if plan.is_last:
                _put_total(text, document, instructions)
        if plan.is_last:
            self._draw_instructions(document.instructions, instructions)
            self._place(("payment", document.kind), lambda: draw_payment_frame(canvas, document.kind))
            draw_payment_values(canvas, document, codes)

    def _place(self, key: Hashable, draw: Callable[[], None]) -> None:
        """Place the form for ``key``, drawing it with ``draw`` the first time it is asked for."""
        if not self._reuse_forms:
            draw()
            return
        name = self._forms.get(key)
        if name is None:
            name = f"notice-form-{len(self._forms)}"
            self._canvas.beginForm(name)
            draw()
            self._canvas.endForm()
            self._forms[key] = name
        self._canvas.doForm(name)

    def _draw_instructions(self, source: str, instructions: Instructions) -> None:
        uses = self._instruction_uses.get(source, 0) + 1
        if uses > 1 or len(self._instruction_uses) < _INSTRUCTION_TEXTS_TRACKED:
            self._instruction_uses[source] = uses
        if uses >= _INSTRUCTION_FORM_MIN_USES:
            self._place(("instructions", source), lambda: _draw_instructions(self._canvas, instructions))
        else:
            _draw_instructions(self._canvas, instructions)


def draw_letterhead(canvas: Canvas, creditor: CreditorBlock) -> None:
    """Logo, creditor's name and contacts, the rule under them, the sender line in the window and fold marks."""
    logo_used = _draw_logo(canvas, creditor)
    left = LEFT + LOGO_WIDTH + 5 if logo_used else LEFT
    width = (RIGHT - left) * mm
    name = fit(creditor.name, BOLD, 12, width, 1, 9)
    with TextBlock(canvas) as text:
        text.put(left, HEADER_TOP + 4, name.lines[0], BOLD, name.size)
        for number, line in enumerate(_creditor_lines(creditor)[:4]):
            text.put(left, HEADER_TOP + 8.5 + 3.6 * number, truncate(line, REGULAR, 8, width), REGULAR, 8)
        sender = " - ".join((creditor.name, *creditor.address_lines))
        text.put(
            WINDOW_LEFT, WINDOW_TOP + 1, truncate(f"Mittente: {sender}", REGULAR, 6.5, WINDOW_WIDTH * mm), REGULAR, 6.5
        )
    canvas.saveState()
    canvas.setStrokeGray(0.6)
    canvas.setLineWidth(0.5)
    canvas.line(x_of(LEFT), y_of(HEADER_RULE), x_of(RIGHT), y_of(HEADER_RULE))
    for fold in FOLDS:
        canvas.line(x_of(4), y_of(fold), x_of(8), y_of(fold))
    canvas.restoreState()


def _creditor_lines(creditor: CreditorBlock) -> list[str]:
    codes = [
        f"C.F. {creditor.tax_code}" if creditor.tax_code else "",
        f"P.IVA {creditor.vat_number}" if creditor.vat_number else "",
    ]
    contacts = [
        f"Tel. {creditor.phone}" if creditor.phone else "",
        f"E-mail {creditor.email}" if creditor.email else "",
    ]
    lines = [" - ".join(creditor.address_lines), " - ".join(filter(None, codes)), " - ".join(filter(None, contacts))]
    lines.append(f"PEC {creditor.pec}" if creditor.pec else "")
    return [line for line in lines if line]


def _draw_logo(canvas: Canvas, creditor: CreditorBlock) -> bool:
    """Draw the creditor's logo in its box, keeping proportions; False (and no logo) when it cannot be read."""
    if creditor.logo_path is None:
        return False
    try:
        image = ImageReader(str(creditor.logo_path))
        width, height = image.getSize()
        scale = min(LOGO_WIDTH * mm / width, LOGO_HEIGHT * mm / height)
        canvas.drawImage(
            image, x_of(LEFT), y_of(HEADER_TOP) - height * scale, width * scale, height * scale, mask="auto"
        )
    except Exception as error:
        log.warning("Logo %s not usable, notices printed without it: %s", creditor.logo_path, error)
        return False
    return True


def _draw_first_page_frame(canvas: Canvas, kind: NoticeKind) -> None:
    with TextBlock(canvas) as text:
        for number, caption in enumerate(("Avviso n.", "Ruolo", "Emesso il", "Scadenza")):
            text.label(DATA_LABEL_LEFT, WINDOW_TOP + 5 * number, caption, 8)
        text.put(LEFT, TITLE_BASELINE, TITLE, BOLD, 16)
        text.put_right(RIGHT, TITLE_BASELINE, SUBTITLES[kind], REGULAR, 10, gray=0.35)


def _draw_table_heading(canvas: Canvas) -> None:
    """The heading row of the items table, drawn with its top on the top edge of the page."""
    canvas.saveState()
    canvas.setFillGray(0.9)
    canvas.rect(x_of(LEFT), y_of(TABLE_HEADER_HEIGHT), (RIGHT - LEFT) * mm, TABLE_HEADER_HEIGHT * mm, stroke=0, fill=1)
    canvas.restoreState()
    with TextBlock(canvas) as text:
        for column in COLUMNS:
            if column.right_aligned:
                text.put_right(column.right, 4.2, column.heading, BOLD, 8)
            else:
                text.put(column.left + 1, 4.2, column.heading, BOLD, 8)


def _put_notice_data(text: TextBlock, document: NoticeDocument) -> None:
    values = (str(document.notice_id), document.roll_name, format_date(document.issue_date))
    for number, value in enumerate(values):
        text.put(
            DATA_VALUE_LEFT, WINDOW_TOP + 5 * number, truncate(value, REGULAR, 9, DATA_VALUE_WIDTH * mm), REGULAR, 9
        )
    text.put(DATA_VALUE_LEFT, WINDOW_TOP + 15, format_date(document.due_date), BOLD, 9)
    if document.holder is not None:
        holder = fit(document.holder.name, REGULAR, 9, DATA_VALUE_WIDTH * mm, 2, 7)
        text.label(DATA_LABEL_LEFT, WINDOW_TOP + 20, "Intestatario", 8)
        for number, line in enumerate(holder.lines):
            text.put(DATA_VALUE_LEFT, WINDOW_TOP + 20 + 3.8 * number, line, REGULAR, holder.size)
        if document.holder.tax_code:
            baseline = WINDOW_TOP + 21.2 + 3.8 * len(holder.lines)
            text.label(DATA_LABEL_LEFT, baseline, "C.F./P.IVA", 8)
            text.put(DATA_VALUE_LEFT, baseline, document.holder.tax_code, REGULAR, 9)


def put_address(text: TextBlock, recipient: Recipient) -> None:
    """The address block in the envelope window: name (two lines at most, shrunk if needed), c/o, street, town."""
    width = WINDOW_WIDTH * mm
    name = fit(recipient.name, BOLD, 10, width, 2, 8)
    baseline = WINDOW_TOP + 7
    for line in name.lines:
        text.put(WINDOW_LEFT, baseline, line, BOLD, name.size)
        baseline += 4.4
    for part in recipient.address_lines():
        fitted = fit(part, REGULAR, 10, width, 2 if part.startswith("c/o") else 1, 8)
        for line in fitted.lines:
            text.put(WINDOW_LEFT, baseline, line, REGULAR, fitted.size)
            baseline += 4.4


def _put_continuation_heading(text: TextBlock, document: NoticeDocument, plan: PagePlan) -> None:
    heading = f"{TITLE} n. {document.notice_id} - {document.creditor.name}"
    text.put(LEFT, HEADER_TOP + 4, truncate(heading, BOLD, 11, (RIGHT - LEFT) * mm), BOLD, 11)
    text.put(LEFT, HEADER_TOP + 10, truncate(document.recipient.name, REGULAR, 9, (RIGHT - LEFT - 30) * mm), REGULAR, 9)
    text.put_right(RIGHT, HEADER_TOP + 10, "segue", REGULAR, 9, gray=0.35)


def _put_rows(text: TextBlock, plan: PagePlan) -> None:
    top = rows_top(plan.number)
    reference, description, installation, due_date, amount = COLUMNS
    for row in plan.rows:
        baseline = top + ROW_LINE
        text.put(reference.left + 1, baseline, row.reference, REGULAR, ROW_SIZE)
        for number, line in enumerate(row.description):
            text.put(description.left + 1, baseline + ROW_LINE * number, line, REGULAR, row.description_size)
        text.put(installation.left + 1, baseline, row.installation, REGULAR, ROW_SIZE)
        text.put(due_date.left + 1, baseline, row.due_date, REGULAR, ROW_SIZE)
        text.put_right(amount.right, baseline, row.amount, REGULAR, ROW_SIZE)
        top += row.height
    if not plan.is_last:
        text.put_right(RIGHT, min(top, ROWS_BOTTOM) + 4, "Segue alla pagina successiva", REGULAR, 8, gray=0.35)


def _draw_total_rule(canvas: Canvas, instructions: Instructions) -> None:
    top = tail_top(instructions) + 1
    canvas.saveState()
    canvas.setLineWidth(0.8)
    canvas.line(x_of(LEFT), y_of(top), x_of(RIGHT), y_of(top))
    canvas.restoreState()


def _put_total(text: TextBlock, document: NoticeDocument, instructions: Instructions) -> None:
    baseline = tail_top(instructions) + TOTAL_HEIGHT / 2 + 1.5
    text.put_right(166, baseline, f"Totale da pagare entro il {format_date(document.due_date)}", BOLD, 10)
    text.put_right(RIGHT, baseline, format_money(document.amount), BOLD, 11)


def _draw_instructions(canvas: Canvas, instructions: Instructions) -> None:
    top = tail_top(instructions) + TOTAL_HEIGHT
    with TextBlock(canvas) as text:
        for number, line in enumerate(instructions.lines):
            text.put(LEFT, top + instructions.leading * (number + 0.8), line, REGULAR, instructions.size)


def _put_footer(text: TextBlock, document: NoticeDocument, plan: PagePlan) -> None:
    footer = truncate(f"Avviso n. {document.notice_id} - {document.roll_name}", REGULAR, 7, 140 * mm)
    text.put(LEFT, FOOTER_BASELINE, footer, REGULAR, 7, gray=0.45)
    if plan.count > 1:
        text.put_right(RIGHT, FOOTER_BASELINE, f"Pagina {plan.number} di {plan.count}", REGULAR, 7, gray=0.45)
