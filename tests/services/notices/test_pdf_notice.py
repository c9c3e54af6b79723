"""One notice as a PDF: what it says (read back with pypdf), where it says it, its codes, and its pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.models.enums import NoticeKind
from app.services.errors import InvalidInput
from app.services.notices.codes import QrMatrix, epc_qr_payload, pagopa_qr_payload, qr_runs
from app.services.notices.document import Holder, NoticeDocument, NoticeItem, Recipient, SortOrder, cover_for
from app.services.notices.instructions import fill_instructions
from app.services.notices.pdf_batch import write_batch_pdf, write_notice_pdf
from app.services.notices.pdf_codes import QUIET_ZONE, code128_bars
from app.services.notices.pdf_layout import PAGE_HEIGHT, RIGHT, WINDOW_BOTTOM, WINDOW_LEFT, WINDOW_TOP, WINDOW_WIDTH
from app.services.notices.pdf_payment import QR_LEFT, QR_SIDE, QR_TOP
from app.services.notices.qr_fast import fast_qr_matrix
from app.services.notices.samples import SAMPLE_ITEMS, sample_document

ESCAPED = "Rossi & Figli <S.r.l.>"
NOW = datetime(2026, 12, 15, 8, 30, tzinfo=UTC)
CODE_MODULE = re.compile(r"(?<![\d.])\d+ \d+ \d+ 1 re")  # codes are drawn in whole modules, one unit high


def write(document: NoticeDocument, folder: Path, name: str = "avviso.pdf") -> Path:
    path = folder / name
    write_notice_pdf(document, path)
    return path


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def page_content(path: Path, page: int = 0) -> str:
    """The drawing operators of one page (its own stream, not the forms it places)."""
    content = pypdf.PdfReader(path).pages[page].get_contents()
    assert content is not None
    return content.get_data().decode("latin-1")


def flat(text: str) -> str:
    return " ".join(text.split())


def with_items(document: NoticeDocument, count: int) -> NoticeDocument:
    items = tuple(
        NoticeItem(
            f"FT 2026/{number:04d}",
            f"Canone ascensore rata {number}",
            date(2027, 1, 31),
            Decimal("10.00"),
            f"ASC-{number}",
        )
        for number in range(1, count + 1)
    )
    return replace(document, items=items, amount=Decimal("10.00") * count)


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_the_notice_says_who_what_how_much_and_by_when(kind: NoticeKind, tmp_path: Path) -> None:
    document = sample_document(kind)
    (text,) = page_texts(write(document, tmp_path))
    lines = text.splitlines()
    for expected in (
        "Avviso di pagamento",
        "Condominio Via Roma 12",
        "c/o Studio Bianchi Amministrazioni",
        "Via Garibaldi 8",
        "40122 Bologna (BO)",
        "FT 2026/1187",
        "Canone manutenzione ascensore - 2° semestre",
        "ASC-0412",
        "486,00 €",
        "122,00 €",
        "608,00 €",
        "31/01/2027",
        "15/12/2026",
        "Consorzio Esempio Manutenzione Impianti",
    ):
        assert expected in lines
    assert flat(document.instructions) in flat(text)


@pytest.mark.parametrize(
    ("kind", "printed"),
    [
        (NoticeKind.MAV, "000000001187"),
        (NoticeKind.PAGOPA, "3010 0000 0000 1187 21"),
        (NoticeKind.TRANSFER, "RF47 CONS 0000 0011 87"),
    ],
)
def test_the_payment_code_is_printed_in_its_standard_spelling(kind: NoticeKind, printed: str, tmp_path: Path) -> None:
    (text,) = page_texts(write(sample_document(kind), tmp_path))
    assert printed in text.splitlines()


def test_pagopa_part_shows_creditor_tax_code_and_cbill(tmp_path: Path) -> None:
    (text,) = page_texts(write(sample_document(NoticeKind.PAGOPA), tmp_path))
    lines = text.splitlines()
    assert {"Codice fiscale ente creditore", "01234567897", "Codice CBILL", "AB12C"} <= set(lines)


def test_transfer_part_shows_iban_in_groups_and_the_qr_caption(tmp_path: Path) -> None:
    (text,) = page_texts(write(sample_document(NoticeKind.TRANSFER), tmp_path))
    assert "IT60 X054 2811 1010 0000 0123 456" in text.splitlines()
    assert "Inquadra il codice QR con l'app della tua banca" in flat(text)


def test_names_that_look_like_markup_print_exactly_as_written(tmp_path: Path) -> None:
    document = sample_document(NoticeKind.TRANSFER)
    document = replace(
        document,
        creditor=replace(document.creditor, name="Consorzio <Acque> & Co."),
        recipient=replace(document.recipient, name=ESCAPED, care_of="Studio <b>Bianchi</b> & Verdi (sede)"),
        holder=Holder("Holder &amp; \\ back (slash)", "RSSMRA80A01H501U"),
        items=(NoticeItem("<ref/>", "Descrizione <i>non</i> corsivo & \\ )(", date(2027, 1, 31), Decimal("608.00")),),
    )
    document = replace(document, instructions=fill_instructions("Paga {ente} & <b>{destinatario}</b>", document))
    (text,) = page_texts(write(document, tmp_path))
    lines = text.splitlines()
    for exact in (
        ESCAPED,
        "c/o Studio <b>Bianchi</b> & Verdi (sede)",
        "Holder &amp; \\ back (slash)",
        "<ref/>",
        "Descrizione <i>non</i> corsivo & \\ )(",
        "Paga Consorzio <Acque> & Co. & <b>Rossi & Figli <S.r.l.></b>",
    ):
        assert exact in lines
    assert "Consorzio <Acque> & Co." in lines


def placed_text(path: Path, page: int = 0) -> list[tuple[str, float, float, str, float]]:
    """Each string drawn on ``page`` as (text, x, y, font, size) in points, forms' offsets included."""
    found: list[tuple[str, float, float, str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict[str, str] | None, size: float) -> None:
        if text.strip() and font is not None:
            found.append((text.strip(), tm[4] + cm[4], tm[5] + cm[5], font["/BaseFont"].lstrip("/"), size))

    pypdf.PdfReader(path).pages[page].extract_text(visitor_text=visit)
    return found


def test_long_names_wrap_or_shrink_and_never_leave_their_block(tmp_path: Path) -> None:
    long_name = "Condominio Residenza Parco dei Tigli Scale A B C e D Supercondominio Amministrazione Straordinaria"
    document = sample_document(NoticeKind.PAGOPA)
    document = replace(
        document,
        creditor=replace(document.creditor, name="Consorzio " + "Intercomunale " * 8),
        recipient=Recipient(long_name * 2, "Via " + "Lunghissima " * 10, "40122", "Bologna", "BO", "Studio " * 20),
        holder=Holder(long_name, "80012345678"),
        roll_name="Ruolo " * 30,
        items=(NoticeItem("X" * 60, "parola " * 40, date(2027, 1, 31), Decimal("608.00"), "I" * 50),),
    )
    for text, x, y, font, size in placed_text(write(document, tmp_path)):
        right = x + stringWidth(text, font, size)
        assert right <= RIGHT * mm + 0.5, text
        if x >= WINDOW_LEFT * mm - 0.5 and WINDOW_TOP <= (PAGE_HEIGHT - y) / mm <= WINDOW_BOTTOM:
            assert right <= (WINDOW_LEFT + WINDOW_WIDTH) * mm + 0.5, text
    lines = page_texts(tmp_path / "avviso.pdf")[0].splitlines()
    assert any(line.startswith("Condominio Residenza") for line in lines)


def test_sixty_items_continue_on_further_pages_with_the_payment_part_last(tmp_path: Path) -> None:
    document = with_items(sample_document(NoticeKind.PAGOPA), 60)
    document = replace(document, instructions=fill_instructions(None, document))
    texts = page_texts(write(document, tmp_path))
    assert len(texts) >= 2
    *earlier, last = texts
    assert "Pagamento con pagoPA" in last and "600,00 €" in last
    for number, text in enumerate(earlier, start=1):
        assert "Pagamento con pagoPA" not in text and "Totale da pagare" not in text
        assert "Segue alla pagina successiva" in text
        assert f"Pagina {number} di {len(texts)}" in text
    references = [line for text in texts for line in text.splitlines() if line.startswith("FT 2026/")]
    assert references == [f"FT 2026/{number:04d}" for number in range(1, 61)]
    assert sum("Riferimento" in text.splitlines() for text in texts) == len(texts)  # the heading on each page


def test_the_last_page_never_holds_the_total_alone(tmp_path: Path) -> None:
    for count in range(20, 40):
        texts = page_texts(write(with_items(sample_document(NoticeKind.MAV), count), tmp_path))
        assert any(line.startswith("FT 2026/") for line in texts[-1].splitlines()), count


def test_a_draft_prints_da_assegnare_and_no_code_to_pay_with(tmp_path: Path) -> None:
    for kind in NoticeKind:
        path = write(replace(sample_document(kind), code=None), tmp_path, f"{kind}.pdf")
        reader = pypdf.PdfReader(path)
        assert "da assegnare" in reader.pages[0].extract_text().splitlines()
        assert not CODE_MODULE.search(page_content(path))  # no QR module nor barcode bar


def qr_of(document: NoticeDocument) -> QrMatrix:
    creditor = document.creditor
    assert document.code is not None
    if document.kind is NoticeKind.PAGOPA:
        return fast_qr_matrix(pagopa_qr_payload(document.code, creditor.pagopa_tax_code or "", document.amount))
    payload = epc_qr_payload(
        creditor.name, creditor.iban or "", document.amount, reference=document.code, bic=creditor.bic
    )
    return fast_qr_matrix(payload)


@pytest.mark.parametrize("kind", [NoticeKind.PAGOPA, NoticeKind.TRANSFER])
def test_the_qr_is_one_path_of_one_rectangle_per_run(kind: NoticeKind, tmp_path: Path) -> None:
    document = sample_document(kind)
    content = page_content(write(document, tmp_path))
    runs = qr_runs(qr_of(document))
    expected = " ".join(f"{column} {row} {length} 1 re" for row, column, length in runs) + " f"
    assert content.count(expected) == 1
    assert content.count(" f\n") + content.count(" f ") >= 1


def test_the_mav_barcode_is_one_path(tmp_path: Path) -> None:
    document = sample_document(NoticeKind.MAV)
    content = page_content(write(document, tmp_path))
    bars, _ = code128_bars(document.code or "")
    assert " ".join(f"{start} 0 {width} 1 re" for start, width in bars) + " f" in content


def test_code128_bars_have_the_symbology_structure() -> None:
    bars, modules = code128_bars("000000001187")
    # Set C packs the 12 digits into 6 symbols: start + 6 + check = 8 symbols of 11 modules, and a 13-module stop;
    # each symbol has 3 bars, the stop 4, and the symbol always begins and ends with a bar.
    assert modules == 8 * 11 + 13
    assert len(bars) == 8 * 3 + 4
    assert bars[0][0] == 0 and bars[-1][0] + bars[-1][1] == modules
    assert [width for _, width in bars[:3]] == [2, 1, 3]  # START C is 2-1-1-2-3-2: bars 2, 1, 3 (ISO 15417)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
@pytest.mark.parametrize("kind", [NoticeKind.PAGOPA, NoticeKind.TRANSFER])
def test_the_rendered_qr_shows_exactly_the_matrix(kind: NoticeKind, tmp_path: Path) -> None:
    document = sample_document(kind)
    path = write(document, tmp_path)
    dpi = 200
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-singlefile", str(path), str(tmp_path / "page")], check=True)
    width, _, pixels = read_pgm(tmp_path / "page.pgm")
    matrix = qr_of(document)
    module = QR_SIDE * mm / (matrix.size + 2 * QUIET_ZONE)
    left = QR_LEFT * mm + QUIET_ZONE * module
    top = QR_TOP * mm + QUIET_ZONE * module  # points from the top edge
    scale = dpi / 72
    for row, bits in enumerate(matrix.rows):
        for column, bit in enumerate(bits):
            x = round((left + (column + 0.5) * module) * scale)
            y = round((top + (row + 0.5) * module) * scale)
            dark = pixels[y * width + x] < 128
            assert dark == (bit == "1"), (row, column)


def read_pgm(path: Path) -> tuple[int, int, bytes]:
    """A binary (P5) PGM as written by pdftoppm: width, height and one byte per pixel."""
    data = path.read_bytes()
    fields = data.split(maxsplit=4)
    assert fields[0] == b"P5"
    width, height = int(fields[1]), int(fields[2])
    return width, height, fields[4][-width * height :]


def test_a_missing_or_broken_logo_means_no_logo_never_a_crash(tmp_path: Path) -> None:
    broken = tmp_path / "logo.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    for logo in (tmp_path / "missing.png", broken, tmp_path):
        document = sample_document(NoticeKind.MAV)
        document = replace(document, creditor=replace(document.creditor, logo_path=logo))
        path = write(document, tmp_path)
        assert b"/Subtype /Image" not in path.read_bytes()
        assert "Consorzio Esempio Manutenzione Impianti" in page_texts(path)[0]


def test_a_logo_is_embedded_once_per_file_whatever_the_notices(tmp_path: Path) -> None:
    from PIL import Image  # reportlab's own dependency

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 120), (20, 90, 160)).save(logo)
    document = sample_document(NoticeKind.MAV)
    document = replace(document, creditor=replace(document.creditor, logo_path=logo))
    batch = [replace(document, notice_id=number, code=f"{number:012d}") for number in range(1, 6)]
    path = tmp_path / "lotto.pdf"
    write_batch_pdf(
        batch,
        cover_for(batch, roll_name="R", creditor_name="C", generated_at=NOW, sort_order=SortOrder.POSTAL_CODE),
        path,
    )
    assert len(pypdf.PdfReader(path).pages) == 6
    assert path.read_bytes().count(b"/Subtype /Image") == 1
    single = write(with_items(document, 80), tmp_path)
    assert single.read_bytes().count(b"/Subtype /Image") == 1


def test_holder_is_printed_only_when_given(tmp_path: Path) -> None:
    with_holder = page_texts(write(sample_document(NoticeKind.MAV), tmp_path, "a.pdf"))[0].splitlines()
    without = page_texts(write(replace(sample_document(NoticeKind.MAV), holder=None), tmp_path, "b.pdf"))[
        0
    ].splitlines()
    assert "Intestatario" in with_holder and "80012345678" in with_holder
    assert "Intestatario" not in without and "80012345678" not in without


def test_a_creditor_missing_what_its_kind_needs_is_refused_before_drawing(tmp_path: Path) -> None:
    pagopa = sample_document(NoticeKind.PAGOPA)
    with pytest.raises(InvalidInput, match="codice fiscale per pagoPA"):
        write(replace(pagopa, creditor=replace(pagopa.creditor, pagopa_tax_code=None)), tmp_path)
    transfer = sample_document(NoticeKind.TRANSFER)
    with pytest.raises(InvalidInput, match="IBAN"):
        write(replace(transfer, creditor=replace(transfer.creditor, iban=None)), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_notice_without_items_still_has_its_total_and_payment_part(tmp_path: Path) -> None:
    (text,) = page_texts(write(replace(sample_document(NoticeKind.MAV), items=()), tmp_path))
    assert "608,00 €" in text and "Pagamento con MAV" in text


def test_amounts_must_be_decimal() -> None:
    with pytest.raises(TypeError):
        replace(sample_document(NoticeKind.MAV), amount=608.0)  # type: ignore[arg-type]
    assert SAMPLE_ITEMS[0].amount == Decimal("486.00")
