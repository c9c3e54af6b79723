"""What the clerk does to a roll: each action asks (a file, an order, a confirmation), then calls one service
function in the background and says what happened."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import cast

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from app.bootstrap import AppContext
from app.models import RollStatus
from app.services.imports.types import ImportOutcome
from app.services.notices.document import SortOrder
from app.services.notices.issuing import ArchivedNotices, archive_notice_pdfs, write_roll_batch
from app.services.notices.pdf_batch import BatchResult
from app.services.rolls import RollFormed, RollRow, change_roll_status, delete_roll
from app.services.rolls.bank_export import RollExport, export_roll
from app.services.rolls.codes_import import CodesImported, import_notice_codes
from app.ui import formatting
from app.ui.ops import Operation, Progress, op
from app.ui.print_preview import BatchPrintPreview, PreparedPreview, prepare_preview
from app.ui.widgets.roll_dialogs import LinesDialog, NewRollDialog, PrintOptionsDialog, show_failure

Batch = tuple[BatchResult, PreparedPreview]


def file_stem(text: str) -> str:
    """``Ruolo premi 2026`` → ``Ruolo-premi-2026``: a name every file system accepts."""
    return re.sub(r"[^0-9A-Za-z]+", "-", text).strip("-") or "ruolo"


class RollWorkflow(QObject):
    """The actions of the Rolls page on the roll it is given; ``changed`` tells the page to reload."""

    created = Signal(object)
    changed = Signal(int)
    message = Signal(str)
    preview_opened = Signal(object)

    def __init__(self, context: AppContext, page: QWidget) -> None:
        super().__init__(page)
        self.context = context
        self.page = page
        self.messages_dialog: LinesDialog | None = None
        self.preview_dialog: BatchPrintPreview | None = None

    def _run(
        self, work: Callable[..., object], done: Callable[[object], None], title: str, label: str | None
    ) -> Operation[object]:
        operation = op(work, self.page)
        if label is not None:
            operation.with_progress(label)
        return operation.on_success(done).on_failure(lambda error: show_failure(self.page, title, error)).run()

    def new_roll(self, creditor_id: int) -> NewRollDialog:
        """Open the new roll dialog (it forms the roll itself) and return it."""
        dialog = NewRollDialog(self.context, creditor_id, self.page)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.roll_created.connect(self._created)
        dialog.open()
        return dialog

    def _created(self, formed: RollFormed) -> None:
        text = self.tr("Ruolo «{0}» creato in bozza: {1} avvisi, {2} crediti, {3}.")
        self.message.emit(text.format(formed.name, formed.notices, formed.credits, formatting.money(formed.amount)))
        self.created.emit(formed)

    def ask_export(self, roll: RollRow) -> None:
        """Ask where to write the CBI flow for the bank, then write it."""
        suggested = Path.home() / f"MAV-{file_stem(roll.name)}-{roll.year}.txt"
        name, _ = QFileDialog.getSaveFileName(
            self.page, self.tr("Invia in banca"), str(suggested), self.tr("Flusso CBI (*.txt);;Tutti i file (*)")
        )
        if name:
            self.export_to(roll, Path(name))

    def export_to(self, roll: RollRow, path: Path) -> None:
        """Write the roll's MAV flow to ``path``; the roll is then sent to the bank."""
        db, login, archive = self.context.db, self.context.user_login, self.context.settings.archive_path

        def work(_progress: Progress) -> RollExport:
            return export_roll(db, roll.id, path, user_login=login, archive_folder=archive)

        self._run(work, lambda done: self._exported(roll, done), self.tr("Invia in banca"),
                  self.tr("Scrittura del flusso MAV…"))  # fmt: skip

    def _exported(self, roll: RollRow, done: object) -> None:
        assert isinstance(done, RollExport)
        text = self.tr("Flusso MAV scritto in {0}: {1} disposizioni, {2}. Consegnarlo alla banca.")
        self.message.emit(text.format(done.path, done.notices, formatting.money(done.amount)))
        self.changed.emit(roll.id)

    def ask_import_codes(self, roll: RollRow) -> None:
        """Ask for the bank's answer with the MAV codes, then apply it."""
        name, _ = QFileDialog.getOpenFileName(
            self.page,
            self.tr("Importa codici MAV"),
            str(Path.home()),
            self.tr("Ritorno CBI o tabella dei codici (*.txt *.csv *.xlsx *.xls *.ods);;Tutti i file (*)"),
        )
        if name:
            self.import_codes_from(roll, Path(name))

    def import_codes_from(self, roll: RollRow, path: Path) -> None:
        """Apply the MAV codes of ``path`` to the roll's notices: all of them, or none with the reasons listed."""
        db, login, archive = self.context.db, self.context.user_login, self.context.settings.archive_path

        def work(_progress: Progress) -> CodesImported:
            return import_notice_codes(db, roll.id, path, user_login=login, archive_folder=archive)

        self._run(work, lambda result: self._codes_imported(roll, result), self.tr("Importa codici MAV"),
                  self.tr("Lettura dei codici MAV…"))  # fmt: skip

    def _codes_imported(self, roll: RollRow, result: object) -> None:
        assert isinstance(result, CodesImported)
        if result.outcome is ImportOutcome.REFUSED:
            intro = self.tr("Il file {0} è stato rifiutato: nessun codice applicato. Correggere e riprovare.")
            self.show_lines(self.tr("Codici MAV rifiutati"), intro.format(result.file_name), result.errors)
            self.message.emit(self.tr("Codici MAV rifiutati: {0} errori.").format(len(result.errors)))
            return
        if result.outcome is ImportOutcome.ALREADY_IMPORTED:
            text = self.tr("Il file {0} era già stato applicato il {1}: nessuna modifica.")
            self.message.emit(text.format(result.file_name, formatting.moment(result.imported_at)))
            return
        text = self.tr("Codici MAV applicati: {0}.").format(result.applied)
        self.message.emit(" ".join([text, *result.warnings]))
        self.changed.emit(roll.id)

    def show_lines(self, title: str, intro: str, lines: list[str]) -> LinesDialog:
        """Show a list of messages in a window of its own, without blocking the page."""
        dialog = LinesDialog(title, intro, lines, self.page)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.messages_dialog = dialog
        dialog.destroyed.connect(lambda _object=None: setattr(self, "messages_dialog", None))
        dialog.open()
        return dialog

    def ask_move(self, roll: RollRow, to: RollStatus) -> None:
        """Ask the clerk to confirm, then move the roll to ``to``."""
        question = self.tr("Portare il ruolo «{0}» da «{1}» a «{2}»?").format(
            roll.name, formatting.roll_status_label(roll.status), formatting.roll_status_label(to)
        )
        if to is RollStatus.DRAFT:
            question += " " + self.tr("Il flusso già inviato non vale più: la banca va avvisata.")
        answer = QMessageBox.question(self.page, self.tr("Cambia stato"), question)
        if answer == QMessageBox.StandardButton.Yes:
            self.move(roll, to)

    def move(self, roll: RollRow, to: RollStatus) -> None:
        """Move the roll to ``to``, recording who did it."""
        db, login = self.context.db, self.context.user_login
        text = self.tr("Ruolo «{0}»: ora «{1}».").format(roll.name, formatting.roll_status_label(to))
        self._run(
            lambda: change_roll_status(db, roll.id, to, user_login=login),
            lambda _status: self._done(roll, text),
            self.tr("Cambia stato"),
            None,
        )

    def _done(self, roll: RollRow, text: str) -> None:
        self.message.emit(text)
        self.changed.emit(roll.id)

    def ask_delete(self, roll: RollRow) -> None:
        """Ask the clerk to confirm, then delete the draft roll."""
        question = self.tr("Eliminare la bozza «{0}»? I suoi {1} crediti tornano disponibili per un altro ruolo.")
        answer = QMessageBox.question(self.page, self.tr("Elimina bozza"), question.format(roll.name, roll.credits))
        if answer != QMessageBox.StandardButton.Yes:
            return
        db, login = self.context.db, self.context.user_login
        text = self.tr("Bozza «{0}» eliminata.").format(roll.name)
        self._run(
            lambda: delete_roll(db, roll.id, user_login=login),
            lambda _none: self._done(roll, text),
            self.tr("Elimina bozza"),
            None,
        )

    def ask_archive(self, roll: RollRow) -> None:
        """Archive one PDF per notice that has its code (those already archived are kept)."""
        db, archive = self.context.db, self.context.settings.archive_path

        def work(progress: Progress) -> ArchivedNotices:
            return archive_notice_pdfs(db, roll.id, archive, progress=lambda done, total: progress.report(done, total))

        self._run(work, self._archived, self.tr("Archivia avvisi PDF"), self.tr("Archiviazione degli avvisi PDF…"))

    def _archived(self, result: object) -> None:
        assert isinstance(result, ArchivedNotices)
        text = self.tr("Archiviati {0} avvisi PDF ({1} erano già in archivio).")
        self.message.emit(text.format(result.archived, result.already))

    def ask_print(self, roll: RollRow) -> None:
        """Ask for the order, then prepare the batch PDF and show it in the print preview."""
        dialog = PrintOptionsDialog(roll.name, self.page)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_batch(roll, dialog.order(), dialog.duplex())

    def print_batch(self, roll: RollRow, order: SortOrder, duplex: bool = False) -> Operation[object]:
        """Write the roll's batch PDF to a temporary folder (with progress and Cancel), then preview it."""
        db, name = self.context.db, f"avvisi-{file_stem(roll.name)}-{roll.year}.pdf"

        def work(progress: Progress) -> Batch:
            folder = Path(tempfile.mkdtemp(prefix="creditdesk-stampa-"))
            try:
                batch = write_roll_batch(db, roll.id, folder / name, order, duplex=duplex,
                                         progress=lambda done, total: progress.report(done, total))  # fmt: skip
                return batch, prepare_preview(batch.path, progress)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise

        return self._run(work, lambda batch: self._batch_ready(roll, batch), self.tr("Stampa avvisi"),
                  self.tr("Preparazione degli avvisi da stampare…"))  # fmt: skip

    def _batch_ready(self, roll: RollRow, ready: object) -> None:
        batch, prepared = cast(Batch, ready)
        text = self.tr("Avvisi del ruolo «{0}»: {1} avvisi, {2} pagine, {3}.")
        self.message.emit(
            text.format(roll.name, batch.notice_count, batch.page_count, formatting.money(batch.total_amount))
        )
        dialog = BatchPrintPreview(prepared, f"{roll.name} {roll.year}", self.page)
        self.preview_dialog = dialog
        self.preview_opened.emit(dialog)
        try:
            dialog.exec()
        finally:
            self.preview_dialog = None
            dialog.deleteLater()
            self._discard(prepared)

    def _discard(self, prepared: PreparedPreview) -> None:
        """Close the batch PDF and remove its temporary folder (in the background)."""
        prepared.pages.close()
        folder = prepared.path.parent
        op(lambda: shutil.rmtree(folder, ignore_errors=True)).run()
