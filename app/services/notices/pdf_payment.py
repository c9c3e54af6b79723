"""The payment part at the foot of a notice's last page: MAV code and barcode, pagoPA data and QR, or the
transfer's IBAN, RF reference and EPC QR. Fixed captions are drawn apart from the values so that a batch
draws them once, as a form."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.models.enums import NoticeKind
from app.services.errors import InvalidInput
from app.services.notices.codes import epc_qr_payload, pagopa_qr_payload, qr_runs
from app.services.notices.document import NoticeDocument
from app.services.notices.pdf_codes import draw_code128, draw_qr
from app.services.notices.pdf_layout import (
    BOLD,
    ITALIC,
    LEFT,
    MONO,
    PAYMENT_TOP,
    REGULAR,
    RIGHT,
    TextBlock,
    x_of,
    y_of,
)
from app.services.notices.pdf_text import format_date, format_money, group, printable_code, truncate, wrap
from app.services.notices.qr_fast import fast_qr_matrix

QR_LEFT, QR_TOP, QR_SIDE = 150.0, 209.0, 42.0
BARCODE_BOTTOM, BARCODE_HEIGHT, BARCODE_WIDTH = 240.0, 13.0, 105.0
BARCODE_MAX_MODULE = 0.42  # mm: thin enough to stay compact, far above what scanners need (~0.25 mm)
EPC_NAME_MAX = 70

HEADINGS = {
    NoticeKind.MAV: "Pagamento con MAV",
    NoticeKind.PAGOPA: "Pagamento con pagoPA",
    NoticeKind.TRANSFER: "Pagamento con bonifico bancario",
}
QR_CAPTIONS = {
    NoticeKind.PAGOPA: "Inquadra il codice QR con l'app IO o con l'app della tua banca",
    NoticeKind.TRANSFER: "Inquadra il codice QR con l'app della tua banca",
}
MAV_WHERE = (
    "In qualsiasi banca, allo sportello, con l'home banking o agli ATM abilitati, anche se non sei cliente "
    "della banca: basta il codice MAV. Non serve compilare alcun modulo."
)


@dataclass(frozen=True, slots=True)
class PaymentCodes:
    """The codes of one notice, ready to draw: computed before its first page so a bad code stops the notice
    before anything of it is drawn."""

    printed: str
    qr_runs: tuple[tuple[int, int, int], ...] = ()
    qr_size: int = 0
    barcode: str | None = None


def payment_codes(document: NoticeDocument) -> PaymentCodes:
    """The printed code and the QR or barcode of ``document``; a draft (no code) gets neither.

    Raises InvalidInput when the creditor lacks what the kind needs (pagoPA tax code, IBAN) or a code is invalid.
    """
    creditor = document.creditor
    printed = printable_code(document.kind, document.code)
    if document.kind is NoticeKind.PAGOPA and not creditor.pagopa_tax_code:
        raise InvalidInput(f"L'ente {creditor.name} non ha il codice fiscale per pagoPA: completarne i dati.")
    if document.kind is NoticeKind.TRANSFER and not creditor.iban:
        raise InvalidInput(f"L'ente {creditor.name} non ha un IBAN: completarne i dati prima di stampare.")
    if document.code is None:
        return PaymentCodes(printed)
    if document.kind is NoticeKind.MAV:
        return PaymentCodes(printed, barcode=document.code)
    if document.kind is NoticeKind.PAGOPA:
        payload = pagopa_qr_payload(document.code, creditor.pagopa_tax_code or "", document.amount)
    else:
        name = creditor.name[:EPC_NAME_MAX].strip()  # the bank pays the IBAN; EPC069-12 caps the name at 70
        payload = epc_qr_payload(name, creditor.iban or "", document.amount, reference=document.code, bic=creditor.bic)
    matrix = fast_qr_matrix(payload)
    return PaymentCodes(printed, tuple(qr_runs(matrix)), matrix.size)


def draw_payment_frame(canvas: Canvas, kind: NoticeKind) -> None:
    """What the payment part of ``kind`` shows on every notice: separator, heading, captions, fixed texts."""
    canvas.saveState()
    canvas.setDash(3, 2)
    canvas.setLineWidth(0.5)
    canvas.setStrokeGray(0.5)
    canvas.line(x_of(LEFT), y_of(PAYMENT_TOP), x_of(RIGHT), y_of(PAYMENT_TOP))
    canvas.restoreState()
    with TextBlock(canvas) as text:
        text.put(LEFT, 207, HEADINGS[kind], BOLD, 11)
        for left, baseline, caption in _CAPTIONS[kind]:
            text.label(left, baseline, caption)
        if kind is NoticeKind.MAV:
            _draw_mav_where(canvas, text)
        else:
            for number, line in enumerate(wrap(QR_CAPTIONS[kind], REGULAR, 7.5, QR_SIDE * mm)):
                text.put_centred(QR_LEFT + QR_SIDE / 2, QR_TOP + QR_SIDE + 4 + 3.4 * number, line, REGULAR, 7.5)


_CAPTIONS: dict[NoticeKind, tuple[tuple[float, float, str], ...]] = {
    NoticeKind.MAV: (
        (LEFT, 214, "Codice MAV"),
        (LEFT, 247, "Importo"),
        (65, 247, "Scadenza"),
        (LEFT, 262, "Beneficiario"),
        (LEFT, 273, "Debitore"),
    ),
    NoticeKind.PAGOPA: (
        (LEFT, 214, "Codice avviso"),
        (LEFT, 230, "Codice fiscale ente creditore"),
        (80, 230, "Codice CBILL"),
        (LEFT, 244, "Importo"),
        (80, 244, "Entro il"),
        (LEFT, 259, "Ente creditore"),
        (LEFT, 271, "Destinatario"),
    ),
    NoticeKind.TRANSFER: (
        (LEFT, 214, "IBAN"),
        (LEFT, 230, "Beneficiario"),
        (115, 230, "BIC"),
        (LEFT, 244, "Importo"),
        (80, 244, "Entro il"),
        (LEFT, 259, "Causale: riferimento RF (indicalo sempre)"),
        (LEFT, 273, "Debitore"),
    ),
}


def _draw_mav_where(canvas: Canvas, text: TextBlock) -> None:
    canvas.saveState()
    canvas.setStrokeGray(0.6)
    canvas.setLineWidth(0.5)
    canvas.roundRect(x_of(130), y_of(276), 65 * mm, 62 * mm, 2 * mm)
    canvas.restoreState()
    text.put(134, 220, "Dove pagare", BOLD, 9)
    for number, line in enumerate(wrap(MAV_WHERE, REGULAR, 8, 57 * mm)):
        text.put(134, 226 + 3.8 * number, line, REGULAR, 8)


def draw_payment_values(canvas: Canvas, document: NoticeDocument, codes: PaymentCodes) -> None:
    """What changes from notice to notice in the payment part: code, amounts, names, QR or barcode."""
    with TextBlock(canvas) as text:
        _VALUE_DRAWERS[document.kind](text, document, codes)
    if codes.barcode is not None:
        draw_code128(
            canvas,
            codes.barcode,
            x_of(LEFT),
            y_of(BARCODE_BOTTOM),
            BARCODE_WIDTH * mm,
            BARCODE_HEIGHT * mm,
            BARCODE_MAX_MODULE * mm,
        )
    if codes.qr_size:
        draw_qr(canvas, codes.qr_runs, codes.qr_size, x_of(QR_LEFT), y_of(QR_TOP + QR_SIDE), QR_SIDE * mm)
    elif document.kind is not NoticeKind.MAV:
        _draw_missing_qr(canvas)


def _code_font(codes: PaymentCodes, size: float) -> tuple[str, float]:
    return (MONO, size) if codes.qr_size or codes.barcode else (ITALIC, 11)


def _mav_values(text: TextBlock, document: NoticeDocument, codes: PaymentCodes) -> None:
    text.put(LEFT, 222, codes.printed, *_code_font(codes, 18))
    text.put(LEFT, 254, format_money(document.amount), BOLD, 14)
    text.put(65, 254, format_date(document.due_date), BOLD, 12)
    text.put(LEFT, 267, truncate(document.creditor.name, REGULAR, 9, 110 * mm), REGULAR, 9)
    text.put(LEFT, 278, truncate(document.recipient.name, REGULAR, 9, 110 * mm), REGULAR, 9)


def _pagopa_values(text: TextBlock, document: NoticeDocument, codes: PaymentCodes) -> None:
    creditor = document.creditor
    text.put(LEFT, 222, codes.printed, *_code_font(codes, 16))
    text.put(LEFT, 236, creditor.pagopa_tax_code or "", MONO, 11)
    text.put(80, 236, creditor.cbill_code or "—", MONO, 11)
    text.put(LEFT, 251, format_money(document.amount), BOLD, 14)
    text.put(80, 251, format_date(document.due_date), BOLD, 12)
    text.put(LEFT, 264, truncate(creditor.name, REGULAR, 9, 130 * mm), REGULAR, 9)
    text.put(LEFT, 276, truncate(document.recipient.name, REGULAR, 9, 130 * mm), REGULAR, 9)


def _transfer_values(text: TextBlock, document: NoticeDocument, codes: PaymentCodes) -> None:
    creditor = document.creditor
    text.put(LEFT, 222, group(creditor.iban or ""), MONO, 14)
    text.put(LEFT, 236, truncate(creditor.name, REGULAR, 10, 96 * mm), REGULAR, 10)
    text.put(115, 236, creditor.bic or "—", MONO, 10)
    text.put(LEFT, 251, format_money(document.amount), BOLD, 14)
    text.put(80, 251, format_date(document.due_date), BOLD, 12)
    text.put(LEFT, 266, codes.printed, *_code_font(codes, 13))
    text.put(LEFT, 278, truncate(document.recipient.name, REGULAR, 9, 130 * mm), REGULAR, 9)


_VALUE_DRAWERS = {NoticeKind.MAV: _mav_values, NoticeKind.PAGOPA: _pagopa_values, NoticeKind.TRANSFER: _transfer_values}


def _draw_missing_qr(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setDash(2, 2)
    canvas.setStrokeGray(0.6)
    canvas.rect(x_of(QR_LEFT), y_of(QR_TOP + QR_SIDE), QR_SIDE * mm, QR_SIDE * mm)
    canvas.restoreState()
    with TextBlock(canvas) as text:
        for number, line in enumerate(("Codice QR", "disponibile", "all'emissione")):
            text.put_centred(QR_LEFT + QR_SIDE / 2, QR_TOP + 18 + 4 * number, line, ITALIC, 8, gray=0.4)
