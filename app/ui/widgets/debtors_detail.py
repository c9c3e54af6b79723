"""The detail area of the Debtors page: who the subject is, how to reach it, and its condominium relations."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models import Channel, SubjectKind
from app.services.database import Database
from app.services.debtors import (
    AssignmentRow,
    CondominiumRow,
    CondominiumTotals,
    SubjectDetail,
    administrator_history,
    condominium_totals,
    condominiums_of,
    subject_detail,
)
from app.ui.formatting import day, money
from app.ui.widgets.debtors_models import CondominiumTableModel, HistoryTableModel, fill


@dataclass(frozen=True)
class SubjectView:
    """What the detail area shows for one subject, read in one background call."""

    detail: SubjectDetail
    history: list[AssignmentRow] | None = None
    condominiums: list[CondominiumRow] | None = None
    totals: CondominiumTotals | None = None


def load_subject_view(db: Database, subject_id: int, include_past: bool) -> SubjectView:
    """The subject with its administrator history (a condominium) or its condominiums (an administrator)."""
    detail = subject_detail(db, subject_id)
    if detail.kind is SubjectKind.CONDOMINIUM:
        return SubjectView(detail, history=administrator_history(db, subject_id))
    if detail.kind is SubjectKind.ADMINISTRATOR:
        rows = condominiums_of(db, subject_id, include_past=include_past)
        return SubjectView(detail, condominiums=rows, totals=condominium_totals(rows))
    return SubjectView(detail)


def _table(parent: QWidget, name: str) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    # No sort column at first: the rows keep the order the service gives them.
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setHighlightSections(False)
    return table


class DebtorDetail(QWidget):
    """Shows a :class:`SubjectView`; asks for past condominiums through :attr:`include_past_toggled`."""

    include_past_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("title_label")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.identity_label = QLabel(self)
        self.identity_label.setObjectName("identity_label")
        self.identity_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("problems_label")
        self.problems_label.setStyleSheet("color: #b3261e;")
        self.problems_label.setWordWrap(True)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("message_label")
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setWordWrap(True)
        self.contacts_box = self._build_contacts()
        self.relations_stack = QStackedWidget(self)
        self.relations_stack.setObjectName("relations_stack")
        self.relations_stack.addWidget(self._build_history())
        self.relations_stack.addWidget(self._build_condominiums())
        self._lay_out()
        self.show_message(self.tr("Selezionare un soggetto nell'elenco per vederne i dettagli."))

    def _lay_out(self) -> None:
        body = QHBoxLayout()
        body.addWidget(self.contacts_box, 0)
        body.addWidget(self.relations_stack, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label in (self.title_label, self.identity_label, self.problems_label):
            layout.addWidget(label)
        layout.addWidget(self.message_label, 1)
        layout.addLayout(body, 1)

    def _build_contacts(self) -> QGroupBox:
        box = QGroupBox(self.tr("Recapiti"), self)
        box.setObjectName("contacts_box")
        box.setMinimumWidth(420)
        form = QFormLayout(box)
        self._contact_labels: dict[str, QLabel] = {}
        for key, caption in (
            ("address", self.tr("Indirizzo")),
            ("mobile", self.tr("Cellulare")),
            ("email", self.tr("E-mail")),
            ("pec", self.tr("PEC")),
            ("whatsapp", self.tr("Consenso WhatsApp")),
            ("channel", self.tr("Canale preferito")),
            ("notes", self.tr("Note")),
        ):
            value = QLabel(box)
            value.setObjectName(f"{key}_label")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(caption, value)
            self._contact_labels[key] = value
        return box

    def _build_history(self) -> QWidget:
        page = QWidget(self)
        self.history_model = HistoryTableModel(self)
        self.history_table = _table(page, "history_table")
        self.history_table.setModel(self.history_model)
        self.history_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.history_empty_label = QLabel(self.tr("Nessun amministratore registrato per questo condominio."), page)
        self.history_empty_label.setObjectName("history_empty_label")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Amministratori del condominio"), page))
        layout.addWidget(self.history_table, 1)
        layout.addWidget(self.history_empty_label)
        return page

    def _build_condominiums(self) -> QWidget:
        page = QWidget(self)
        self.past_check = QCheckBox(self.tr("Mostra anche i condomini passati"), page)
        self.past_check.setObjectName("past_check")
        self.past_check.toggled.connect(self.include_past_toggled)
        self.condominiums_model = CondominiumTableModel(self)
        self.condominiums_table = _table(page, "condominiums_table")
        self.condominiums_table.setModel(self.condominiums_model)
        header = self.condominiums_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.condominiums_empty_label = QLabel(page)
        self.condominiums_empty_label.setObjectName("condominiums_empty_label")
        self.totals_label = QLabel(page)
        self.totals_label.setObjectName("totals_label")
        self.totals_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # It can differ from what the administrator pays: a condominium's older credits may be paid by the
        # administrator who was in charge then.
        self.totals_label.setToolTip(
            self.tr("Residuo dei crediti intestati ai condomini elencati, chiunque sia il pagatore.")
        )
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Condomini amministrati"), page), 1)
        top.addWidget(self.past_check)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.condominiums_table, 1)
        layout.addWidget(self.condominiums_empty_label)
        layout.addWidget(self.totals_label)
        return page

    def show_message(self, text: str) -> None:
        """Replace the detail with a message: nothing selected, loading, or what went wrong."""
        for label in (self.title_label, self.identity_label, self.problems_label):
            label.clear()
            label.setVisible(False)
        self.contacts_box.setVisible(False)
        self.relations_stack.setVisible(False)
        self.message_label.setText(text)
        self.message_label.setVisible(True)

    def show_subject(self, view: SubjectView) -> None:
        """Show the subject; a condominium's administrators or an administrator's condominiums beside it."""
        self.message_label.setVisible(False)
        self._show_identity(view.detail)
        self._show_contacts(view.detail)
        self.contacts_box.setVisible(True)
        if view.history is not None:
            self._show_history(view.history)
        elif view.condominiums is not None and view.totals is not None:
            self._show_condominiums(view.condominiums, view.totals)
        else:
            self.relations_stack.setVisible(False)

    def _show_identity(self, detail: SubjectDetail) -> None:
        self.title_label.setText(detail.name)
        parts = [self._kind_label(detail.kind)]
        if detail.tax_code:
            parts.append(fill(self.tr("C.F. %1"), detail.tax_code))
        if detail.vat_number:
            parts.append(fill(self.tr("P.IVA %1"), detail.vat_number))
        self.identity_label.setText(" · ".join(parts))
        problems = []
        if detail.tax_code_problem:
            problems.append(fill(self.tr("Codice fiscale non valido: %1"), detail.tax_code_problem))
        if detail.vat_number_problem:
            problems.append(fill(self.tr("Partita IVA non valida: %1"), detail.vat_number_problem))
        self.problems_label.setText("\n".join("⚠ " + problem for problem in problems))
        self.title_label.setVisible(True)
        self.identity_label.setVisible(True)
        self.problems_label.setVisible(bool(problems))

    def _show_contacts(self, detail: SubjectDetail) -> None:
        missing = self.tr("—")
        consent = self.tr("No")
        if detail.whatsapp_consent:
            consent = fill(self.tr("Sì, dal %1"), day(detail.whatsapp_consent_date))
        values = {
            "address": detail.address,
            "mobile": detail.mobile,
            "email": detail.email,
            "pec": detail.pec,
            "whatsapp": consent,
            "channel": self._channel_label(detail.preferred_channel),
            "notes": detail.notes,
        }
        for key, value in values.items():
            self._contact_labels[key].setText(value or missing)

    def _show_history(self, rows: list[AssignmentRow]) -> None:
        self.history_model.set_rows(rows)
        self.history_table.resizeColumnsToContents()
        self.history_table.setVisible(bool(rows))
        self.history_empty_label.setVisible(not rows)
        self.relations_stack.setCurrentIndex(0)
        self.relations_stack.setVisible(True)

    def _show_condominiums(self, rows: list[CondominiumRow], totals: CondominiumTotals) -> None:
        self.condominiums_model.set_rows(rows)
        self.condominiums_table.resizeColumnsToContents()
        self.condominiums_table.setVisible(bool(rows))
        if self.past_check.isChecked():
            empty = self.tr("Questo amministratore non ha mai amministrato condomini.")
        else:
            empty = self.tr("Nessun condominio amministrato oggi. Per vedere quelli passati spuntare la casella.")
        self.condominiums_empty_label.setText(empty)
        self.condominiums_empty_label.setVisible(not rows)
        self.totals_label.setText(self.totals_text(totals))
        self.relations_stack.setCurrentIndex(1)
        self.relations_stack.setVisible(True)

    def totals_text(self, totals: CondominiumTotals) -> str:
        """``N condomini · residuo totale X €`` (one condominium in the singular)."""
        if totals.condominiums == 1:
            text = self.tr("1 condominio · residuo totale %2")
        else:
            text = self.tr("%1 condomini · residuo totale %2")
        return fill(text, totals.condominiums, money(totals.outstanding))

    def _kind_label(self, kind: SubjectKind) -> str:
        return {
            SubjectKind.PERSON: self.tr("Persona"),
            SubjectKind.COMPANY: self.tr("Società"),
            SubjectKind.CONDOMINIUM: self.tr("Condominio"),
            SubjectKind.ADMINISTRATOR: self.tr("Amministratore di condominio"),
        }[kind]

    def _channel_label(self, channel: Channel | None) -> str:
        if channel is None:
            return ""
        return {
            Channel.WHATSAPP: self.tr("WhatsApp"),
            Channel.EMAIL: self.tr("E-mail"),
            Channel.PEC: self.tr("PEC"),
            Channel.POST: self.tr("Posta ordinaria"),
            Channel.REGISTERED_LETTER: self.tr("Raccomandata A/R"),
        }[channel]
