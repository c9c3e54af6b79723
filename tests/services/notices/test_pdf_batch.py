"""Batches and archive files: the cover's figures, a new page per notice, duplex padding, no partial files."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest

from app.models.enums import NoticeKind
from app.services.errors import InvalidInput
from app.services.notices.document import BatchCover, NoticeDocument, SortOrder, cover_for
from app.services.notices.pdf_batch import write_batch_pdf, write_notice_pdf, write_notice_pdfs
from app.services.notices.samples import sample_code, sample_document

GENERATED = datetime(2026, 12, 15, 8, 30, tzinfo=UTC)  # 09:30 in Rome


class Cancelled(Exception):
    """What the supervisor's cancel button raises from the progress callback."""


def notices(count: int) -> list[NoticeDocument]:
    """``count`` notices of every kind, amounts 100.00, 100.01, …, due on two dates."""
    kinds = list(NoticeKind)
    found = []
    for number in range(count):
        kind = kinds[number % len(kinds)]
        document = sample_document(kind, notice_id=500 + number)
        found.append(
            replace(
                document,
                amount=Decimal("100.00") + Decimal(number) / 100,
                due_date=date(2027, 1, 31) if number % 2 else date(2027, 2, 28),
                code=sample_code(kind, 500 + number),
            )
        )
    return found


def cover(documents: list[NoticeDocument], sort_order: SortOrder = SortOrder.POSTAL_CODE) -> BatchCover:
    return cover_for(
        documents, roll_name="Ruolo manutenzioni 2026", creditor_name="Consorzio Esempio", generated_at=GENERATED,
        sort_order=sort_order,
    )  # fmt: skip


def test_cover_for_counts_and_totals_per_due_date() -> None:
    documents = notices(5)
    summary = cover(documents)
    assert summary.notice_count == 5
    assert summary.total_amount == Decimal("500.10")
    assert [(t.due_date, t.count, t.amount) for t in summary.due_date_totals] == [
        (date(2027, 1, 31), 2, Decimal("200.04")),
        (date(2027, 2, 28), 3, Decimal("300.06")),
    ]


def test_the_batch_opens_with_its_cover_then_each_notice_on_its_own_pages(tmp_path: Path) -> None:
    documents = notices(4)
    long = replace(documents[1], items=documents[1].items * 40)
    documents[1] = long
    path = tmp_path / "lotto.pdf"
    result = write_batch_pdf(documents, cover(documents, SortOrder.ADMINISTRATOR), path)
    reader = pypdf.PdfReader(path)
    assert result.page_count == len(reader.pages) and result.notice_count == 4
    cover_lines = reader.pages[0].extract_text().splitlines()
    for expected in (
        "Lotto di avvisi di pagamento",
        "Ruolo manutenzioni 2026",
        "Consorzio Esempio",
        "15/12/2026 alle 09:30",
        "4",
        "400,06 €",
        "per amministratore",
        "31/01/2027",
        "28/02/2027",
        "200,04 €",
        "200,02 €",
    ):
        assert expected in cover_lines
    starts = [number for number, page in enumerate(reader.pages) if "Avviso n." in page.extract_text().splitlines()]
    assert len(starts) == 4 and starts[0] == 1
    assert starts[2] - starts[1] >= 2  # the long notice took more than one page
    assert result.total_amount == Decimal("400.06")


def test_duplex_gives_every_notice_an_even_number_of_pages(tmp_path: Path) -> None:
    documents = notices(3)
    documents[0] = replace(documents[0], items=documents[0].items * 40)
    path = tmp_path / "lotto.pdf"
    result = write_batch_pdf(documents, cover(documents), path, duplex=True)
    reader = pypdf.PdfReader(path)
    starts = [number for number, page in enumerate(reader.pages) if "Avviso n." in page.extract_text().splitlines()]
    assert all(start % 2 == 0 for start in starts)  # every notice starts on the front of a sheet
    assert len(reader.pages) % 2 == 0 and result.page_count == len(reader.pages)


def test_a_cancel_leaves_no_file_and_no_leftovers(tmp_path: Path) -> None:
    documents = notices(6)
    path = tmp_path / "lotto.pdf"
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 3:
            raise Cancelled

    with pytest.raises(Cancelled):
        write_batch_pdf(documents, cover(documents), path, progress)
    assert seen == [(1, 6), (2, 6), (3, 6)]
    assert list(tmp_path.iterdir()) == []


def test_a_cancel_keeps_the_previous_file_untouched(tmp_path: Path) -> None:
    documents = notices(3)
    path = tmp_path / "lotto.pdf"
    write_batch_pdf(documents, cover(documents), path)
    before = path.read_bytes()

    def cancel(done: int, total: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        write_batch_pdf(documents, cover(documents), path, cancel)
    assert path.read_bytes() == before
    assert [entry.name for entry in tmp_path.iterdir()] == ["lotto.pdf"]


def test_notices_that_do_not_match_the_cover_write_nothing(tmp_path: Path) -> None:
    documents = notices(3)
    path = tmp_path / "lotto.pdf"
    with pytest.raises(InvalidInput, match="La copertina del lotto indica 3 avvisi"):
        write_batch_pdf(documents[:2], cover(documents), path)
    assert list(tmp_path.iterdir()) == []


def test_a_batch_may_stream_its_notices_from_a_generator(tmp_path: Path) -> None:
    documents = notices(3)

    def stream() -> Iterator[NoticeDocument]:
        yield from documents

    result = write_batch_pdf(stream(), cover(documents), tmp_path / "lotto.pdf")
    assert result.notice_count == 3


def test_a_long_list_of_due_dates_continues_the_cover(tmp_path: Path) -> None:
    documents = [
        replace(document, due_date=date(2027, 1, 1 + number % 28).replace(month=1 + number // 28))
        for number, document in enumerate(notices(40))
    ]
    path = tmp_path / "lotto.pdf"
    write_batch_pdf(documents, cover(documents), path)
    reader = pypdf.PdfReader(path)
    assert "Totali per scadenza (segue) - Ruolo manutenzioni 2026" in reader.pages[1].extract_text().splitlines()
    dates = [line for page in reader.pages[:2] for line in page.extract_text().splitlines() if line.endswith("/2027")]
    assert len(dates) == 40


def test_one_file_per_notice_for_the_archive(tmp_path: Path) -> None:
    documents = notices(3)
    written = write_notice_pdfs(documents, tmp_path)
    assert [path.name for path in written] == ["avviso-500.pdf", "avviso-501.pdf", "avviso-502.pdf"]
    for path, document in zip(written, documents, strict=True):
        text = pypdf.PdfReader(path).pages[0].extract_text()
        assert str(document.notice_id) in text.splitlines()


def test_a_cancelled_archive_run_keeps_only_whole_files(tmp_path: Path) -> None:
    def cancel_after_two(done: int, total: int) -> None:
        if done == 2:
            raise Cancelled

    with pytest.raises(Cancelled):
        write_notice_pdfs(
            notices(5), tmp_path, lambda document: f"n{document.notice_id}.pdf", cancel_after_two, total=5
        )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["n500.pdf", "n501.pdf"]
    for path in tmp_path.iterdir():
        assert len(pypdf.PdfReader(path).pages) == 1


def test_a_notice_that_cannot_be_printed_leaves_no_file(tmp_path: Path) -> None:
    document = sample_document(NoticeKind.PAGOPA)
    broken = replace(document, code="301000000000118799")
    with pytest.raises(InvalidInput):
        write_notice_pdf(broken, tmp_path / "avviso.pdf")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_files_get_the_usual_permissions_not_private_temporary_ones(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        path = tmp_path / "avviso.pdf"
        write_notice_pdf(sample_document(NoticeKind.MAV), path)
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o644  # readable by the other users of an archive share
