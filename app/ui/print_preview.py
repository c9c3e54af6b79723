"""Print preview and printing of a batch PDF, its pages drawn one at a time by PDFium (pypdfium2).

A roll of 10,000 notices is a 20,000-page PDF: the preview shows its first pages only (Qt's preview keeps
every page it shows in memory), and printing renders, draws and forgets one page after the other on a worker
thread, with a progress bar and Cancel. The PDF itself is never rewritten: "Salva PDF…" copies it.
"""

from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QCoreApplication, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QImage, QPainter
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QLabel, QToolBar, QWidget

from app.services.errors import CreditDeskError
from app.ui.ops import Progress, op
from app.ui.widgets.roll_dialogs import show_failure

PREVIEW_PAGES = 20
PREVIEW_DPI = 110
# Past 300 dpi a page of notices prints no better, and an A4 page at 1200 dpi would be half a gigabyte of pixels.
MAX_PRINT_DPI = 300
# PDFium is not thread-safe, not even across documents: one call at a time in the whole process.
_PDFIUM_LOCK = threading.Lock()
_LITTLE_ENDIAN = sys.byteorder == "little"
# Qt's own catalogue names the preview's buttons; held in a name so that our catalogue does not copy them.
_QT_PREVIEW_CONTEXT = "QPrintPreviewDialog"
_FORMATS = {
    "RGB": QImage.Format.Format_RGB888,
    "BGR": QImage.Format.Format_BGR888,
    "RGBX": QImage.Format.Format_RGBX8888,
    "RGBA": QImage.Format.Format_RGBA8888,
    "L": QImage.Format.Format_Grayscale8,
}
if _LITTLE_ENDIAN:  # BGRx in memory is 0xxxRRGGBB read as a little-endian 32-bit word
    _FORMATS |= {"BGRX": QImage.Format.Format_RGB32, "BGRA": QImage.Format.Format_ARGB32}


class PdfPages:
    """A PDF opened for drawing its pages one at a time, from whichever thread, one call at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with _PDFIUM_LOCK:
            try:
                self._document = pdfium.PdfDocument(str(path))
            except pdfium.PdfiumError as error:
                raise CreditDeskError(f"Impossibile aprire il PDF {path.name}: {error}") from error
            self.page_count = len(self._document)

    def render(self, index: int, dpi: float) -> QImage:
        """Page ``index`` (from 0) at ``dpi`` as an image that owns its pixels."""
        with _PDFIUM_LOCK:
            page = self._document[index]
            try:
                # RGB byte order maps straight onto a QImage format, with no copy through PIL.
                bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
                try:
                    image_format = _FORMATS[bitmap.mode]
                    view = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, image_format)
                    image = view.copy()  # the bitmap's buffer goes with the bitmap
                finally:
                    bitmap.close()
            finally:
                page.close()
        image.setDotsPerMeterX(round(dpi / 0.0254))
        image.setDotsPerMeterY(round(dpi / 0.0254))
        return image

    def close(self) -> None:
        """Release the document; the file may then be removed."""
        with _PDFIUM_LOCK:
            self._document.close()


@dataclass
class PreparedPreview:
    """An open batch PDF and the images of its first pages, ready for the preview dialog."""

    pages: PdfPages
    images: list[QImage] = field(default_factory=list)

    @property
    def path(self) -> Path:
        """Where the batch PDF is."""
        return self.pages.path


def prepare_preview(path: Path, progress: Progress | None = None, limit: int = PREVIEW_PAGES) -> PreparedPreview:
    """Open the PDF at ``path`` and render its first ``limit`` pages for the screen (run it on a worker)."""
    pages = PdfPages(path)
    try:
        shown = min(limit, pages.page_count)
        label = QCoreApplication.translate("PrintPreview", "Preparazione dell'anteprima…")
        images = []
        for index in range(shown):
            images.append(pages.render(index, PREVIEW_DPI))
            if progress is not None:
                progress.report(index + 1, shown, label)
    except BaseException:
        pages.close()
        raise
    return PreparedPreview(pages, images)


def draw_fitted(painter: QPainter, image: QImage, area: QRect) -> None:
    """Draw ``image`` as large as fits in ``area``, centred, keeping its proportions."""
    size = QSize(image.width(), image.height()).scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    left = area.left() + (area.width() - size.width()) / 2
    top = area.top() + (area.height() - size.height()) / 2
    painter.drawImage(QRectF(left, top, size.width(), size.height()), image)


def print_pages(pages: PdfPages, printer: QPrinter, progress: Progress) -> int:
    """Print the pages the printer's range asks for (all by default), one at a time; returns how many.

    Runs on a worker thread (Qt allows painting on a QPrinter there). A cancel aborts the print job.
    """
    first = max(printer.fromPage(), 1)
    last = min(printer.toPage() or pages.page_count, pages.page_count)
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise CreditDeskError("La stampante non è pronta: controllarla e riprovare.")
    try:
        area = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
        area.moveTo(0, 0)
        total = last - first + 1
        label = QCoreApplication.translate("PrintPreview", "Stampa della pagina {0} di {1}…")
        for number in range(first, last + 1):
            if number > first and not printer.newPage():
                raise CreditDeskError("La stampante ha rifiutato una pagina: stampa interrotta.")
            draw_fitted(painter, pages.render(number - 1, dpi), area)
            progress.report(number - first + 1, total, label.format(number - first + 1, total))
    except BaseException:
        printer.abort()
        raise
    finally:
        painter.end()
    return total


class BatchPrintPreview(QPrintPreviewDialog):
    """Qt's print preview over a batch PDF: its first pages on screen, Print for all of them, Save PDF."""

    printed = Signal(int)
    saved = Signal(str)

    def __init__(self, preview: PreparedPreview, title: str, parent: QWidget | None = None) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setFullPage(True)  # the notices carry their own margins
        printer.setDocName(title)
        super().__init__(printer, parent)
        self._printer = printer  # the dialog does not own it: kept alive here
        self.preview = preview
        self._printing = False
        self.setWindowTitle(self.tr("Anteprima di stampa — {0}").format(title))
        self.resize(1000, 800)
        self.paintRequested.connect(self.paint_preview)
        self.note_label = QLabel(self._note(), self)
        self.note_label.setContentsMargins(8, 4, 8, 4)
        self.note_label.setWordWrap(True)
        layout = self.layout()
        if layout is not None:
            layout.addWidget(self.note_label)
        self.toolbar = self.findChild(QToolBar)
        self.print_action = self._take_over_print_action()
        self.save_action = QAction(self.tr("Salva PDF…"), self)
        self.save_action.setToolTip(self.tr("Salva il PDF degli avvisi in una cartella a scelta"))
        self.save_action.triggered.connect(self.ask_save)
        if self.toolbar is not None:
            self.toolbar.addAction(self.save_action)

    def _note(self) -> str:
        total, shown = self.preview.pages.page_count, len(self.preview.images)
        if shown < total:
            return self.tr("Anteprima delle prime {0} pagine su {1}: la stampa comprende tutte le pagine.").format(
                shown, total
            )
        return self.tr("{0} pagine.").format(total)

    def _take_over_print_action(self) -> QAction | None:
        """Qt's Print button would paint every page on the UI thread: it starts our worker instead."""
        if self.toolbar is None:
            return None
        wanted = QCoreApplication.translate(_QT_PREVIEW_CONTEXT, "Print")
        for action in self.toolbar.actions():
            if action.text() == wanted:
                action.triggered.disconnect()
                action.triggered.connect(self.ask_print)
                return action
        return None

    def paint_preview(self, printer: QPrinter) -> None:
        """Draw the pages rendered for the screen, one per sheet."""
        painter = QPainter()
        if not painter.begin(printer):
            return
        area = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
        area.moveTo(0, 0)
        for index, image in enumerate(self.preview.images):
            if index:
                printer.newPage()
            draw_fitted(painter, image, area)
        painter.end()

    def ask_print(self) -> None:
        """The system's print dialog (printer, copies, page range), then the print itself."""
        dialog = QPrintDialog(self._printer, self)
        dialog.setMinMax(1, self.preview.pages.page_count)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.start_printing()

    def start_printing(self, on_done: Callable[[int], None] | None = None) -> None:
        """Print every page (or the chosen range) on a worker, with progress and Cancel."""
        pages, printer = self.preview.pages, self._printer
        self._set_printing(True)

        def finished(count: int) -> None:
            self._set_printing(False)
            self.printed.emit(count)
            if on_done is not None:
                on_done(count)

        op(lambda progress: print_pages(pages, printer, progress), self).with_progress(
            self.tr("Stampa degli avvisi…")
        ).on_success(finished).on_failure(self._print_failed).run()

    def _print_failed(self, error: BaseException) -> None:
        self._set_printing(False)
        show_failure(self, self.tr("Stampa"), error)

    def _set_printing(self, printing: bool) -> None:
        # The printer belongs to the worker while it prints: nothing here may repaint or reconfigure it.
        self._printing = printing
        if self.toolbar is not None:
            self.toolbar.setEnabled(not printing)

    def is_printing(self) -> bool:
        """Whether a print job is running (the dialog then refuses to close)."""
        return self._printing

    def ask_save(self) -> None:
        """Ask where to save the batch PDF, then copy it there."""
        suggested = str(Path.home() / self.preview.path.name)
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Salva PDF"), suggested, self.tr("Documento PDF (*.pdf)"))
        if name:
            self.save_to(Path(name if name.lower().endswith(".pdf") else name + ".pdf"))

    def save_to(self, target: Path) -> None:
        """Copy the batch PDF to ``target`` in the background."""
        source = self.preview.path
        op(lambda: shutil.copyfile(source, target), self).on_success(
            lambda _copied: self.saved.emit(str(target))
        ).on_failure(lambda error: self._save_failed(target, error)).run()

    def _save_failed(self, target: Path, error: BaseException) -> None:
        if isinstance(error, OSError):
            error = CreditDeskError(f"Impossibile salvare il PDF in {target}: {error.strerror or error}")
        show_failure(self, self.tr("Salva PDF"), error)

    def done(self, result: int) -> None:
        """Closing waits for the print job: the worker still draws on this dialog's printer."""
        if self._printing:
            return
        super().done(result)
