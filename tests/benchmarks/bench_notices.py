"""Time the PDF notices against bare reportlab: ``python tests/benchmarks/bench_notices.py [--count 2000]
[--batch 10000] [--files 0] [--repeat 3]``.

In one run, for each kind of notice (MAV, pagoPA, transfer) and for an even mix of the three:

- ``bare``: the same page layout with no QR or barcode, drawn the plain way: everything on every page, no form
  objects (``NoticeRenderer(reuse_forms=False)`` on drafts, which have no codes), ``--count`` pages in one file;
- ``no_codes``: the same drafts drawn as the application draws (static parts as forms), to show what codes cost;
- ``full``: ``--count`` complete notices, codes included, in one file; ``ratio`` is full / bare (wall time,
  ``ratio_cpu`` the same in CPU time, steadier on a shared machine), best of ``--repeat`` interleaved rounds.

Then ``--batch`` mixed notices to one print file with its cover (``write_batch_pdf``), and, when ``--files`` is
above zero, that many single-notice files (``write_notice_pdfs``). Every notice has its own code and its own
instructions text, as in a real roll. Prints one JSON line: seconds (wall and CPU), pages per second, ms per
page, bytes per page and peak RSS in MB; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from app.models.enums import NoticeKind
from app.services.notices.document import NoticeDocument, SortOrder, cover_for
from app.services.notices.instructions import fill_instructions
from app.services.notices.pdf_batch import PAGE_COMPRESSION, binary_streams, write_batch_pdf, write_notice_pdfs
from app.services.notices.pdf_notice import NoticeRenderer
from app.services.notices.samples import sample_code, sample_document

KINDS = tuple(NoticeKind)


def _peak_rss_mb() -> float | None:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    kilobytes = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return round(kilobytes / 1024, 1)


def documents(kinds: tuple[NoticeKind, ...], count: int, first_id: int = 1) -> Iterator[NoticeDocument]:
    """``count`` complete notices cycling through ``kinds``, each with its own code and instructions."""
    templates = {kind: sample_document(kind) for kind in kinds}
    for offset in range(count):
        notice_id = first_id + offset
        kind = kinds[offset % len(kinds)]
        document = replace(templates[kind], notice_id=notice_id, code=sample_code(kind, notice_id))
        yield replace(document, instructions=fill_instructions(None, document))


@dataclass(frozen=True)
class Timing:
    """One measured write: wall and CPU seconds, pages and file size."""

    wall: float
    cpu: float
    pages: int
    size: int

    def figures(self) -> dict[str, float]:
        return {
            "seconds": round(self.wall, 3),
            "cpu_seconds": round(self.cpu, 3),
            "pages_per_s": round(self.pages / self.wall, 1),
            "ms_per_page": round(self.wall * 1000 / self.pages, 3),
            "bytes_per_page": round(self.size / self.pages),
        }


def _draw_all(path: Path, batch: list[NoticeDocument], reuse_forms: bool) -> Timing:
    """Draw ``batch`` into one file at ``path`` and save it, timed."""
    wall, cpu = time.perf_counter(), time.process_time()
    with binary_streams():
        canvas = Canvas(str(path), pagesize=A4, pageCompression=PAGE_COMPRESSION)
        renderer = NoticeRenderer(canvas, reuse_forms=reuse_forms)
        pages = sum(renderer.draw(document) for document in batch)
        canvas.save()
    return Timing(time.perf_counter() - wall, time.process_time() - cpu, pages, path.stat().st_size)


def _compare(folder: Path, name: str, batch: list[NoticeDocument], repeat: int) -> dict[str, Any]:
    """Best of ``repeat`` rounds of bare / no codes / full, interleaved so that a busy machine slows all three."""
    drafts = [replace(document, code=None) for document in batch]  # same text and layout, no QR or barcode
    runs: dict[str, list[Timing]] = {"bare": [], "no_codes": [], "full": []}
    for _ in range(repeat):
        runs["bare"].append(_draw_all(folder / f"{name}-bare.pdf", drafts, reuse_forms=False))
        runs["no_codes"].append(_draw_all(folder / f"{name}-forms.pdf", drafts, reuse_forms=True))
        runs["full"].append(_draw_all(folder / f"{name}-full.pdf", batch, reuse_forms=True))
    best = {label: min(timings, key=lambda timing: timing.wall) for label, timings in runs.items()}
    cpu = {label: min(timing.cpu for timing in timings) for label, timings in runs.items()}
    return {
        **{label: timing.figures() for label, timing in best.items()},
        "ratio": round(best["full"].wall / best["bare"].wall, 2),
        "ratio_cpu": round(cpu["full"] / cpu["bare"], 2),
        "ratio_to_no_codes": round(best["full"].wall / best["no_codes"].wall, 2),
    }


def _batch(folder: Path, count: int) -> dict[str, Any]:
    batch = list(documents(KINDS, count, first_id=100_000))
    cover = cover_for(
        batch, roll_name="Ruolo di prova", creditor_name=batch[0].creditor.name, generated_at=datetime.now(UTC),
        sort_order=SortOrder.POSTAL_CODE,
    )  # fmt: skip
    path = folder / "batch.pdf"
    wall, cpu = time.perf_counter(), time.process_time()
    result = write_batch_pdf(batch, cover, path)
    timing = Timing(time.perf_counter() - wall, time.process_time() - cpu, result.page_count, path.stat().st_size)
    return {"notices": count, **timing.figures(), "pages": result.page_count}


def _files(folder: Path, count: int) -> dict[str, Any]:
    batch = list(documents(KINDS, count, first_id=200_000))
    target = folder / "files"
    target.mkdir()
    started = time.perf_counter()
    written = write_notice_pdfs(batch, target)
    seconds = time.perf_counter() - started
    size = sum(path.stat().st_size for path in written)
    return {
        "files": count,
        "seconds": round(seconds, 3),
        "ms_per_file": round(seconds * 1000 / count, 3),
        "bytes_per_file": round(size / count),
    }


def main(argv: list[str] | None = None) -> int:
    """Run every measurement and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="pages per kind for bare / no codes / full")
    parser.add_argument("--batch", type=int, default=10000, help="mixed notices in the batch file with cover")
    parser.add_argument("--files", type=int, default=0, help="single-notice files to write (0: skip)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of each comparison; the best one counts")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {"count": args.count}
    with tempfile.TemporaryDirectory(prefix="bench-notices-") as folder_name:
        folder = Path(folder_name)
        steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
            *(
                (
                    kind.value,
                    lambda kind=kind: _compare(folder, kind.value, list(documents((kind,), args.count)), args.repeat),
                )
                for kind in KINDS
            ),
            ("mixed", lambda: _compare(folder, "mixed", list(documents(KINDS, args.count)), args.repeat)),
        ]
        if args.batch:
            steps.append(("batch", lambda: _batch(folder, args.batch)))
        if args.files:
            steps.append(("files", lambda: _files(folder, args.files)))
        for name, step in steps:
            report[name] = step()
            print(f"{name}: {json.dumps(report[name])}", file=sys.stderr)
    report["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
