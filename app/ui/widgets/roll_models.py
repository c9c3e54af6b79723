"""Table models of the Rolls page, the totals per state, and which actions a roll's state allows."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from app.models import NoticeKind, NoticeStatus, RollStatus
from app.services.rolls import ALLOWED_MOVES, NoticeRow, RollEventRow, RollRow
from app.ui import formatting
from app.ui.widgets.debtors_models import Column, RowTableModel

ZERO = Decimal("0.00")
ALERT_BRUSH = QBrush(QColor("#b3261e"))
DONE_BRUSH = QBrush(QColor("#2e7d32"))
# The order of a roll's life, left to right on the totals strip.
STATUS_ORDER = (
    RollStatus.DRAFT,
    RollStatus.SENT_TO_BANK,
    RollStatus.NOTICES_ISSUED,
    RollStatus.IN_COLLECTION,
    RollStatus.CLOSED,
)


class RollAction(enum.Enum):
    """What the clerk may do to the selected roll."""

    EXPORT = "export"
    IMPORT_CODES = "import_codes"
    ADVANCE = "advance"
    BACK_TO_DRAFT = "back_to_draft"
    PRINT = "print"
    ARCHIVE = "archive"
    DELETE = "delete"


@dataclass(frozen=True)
class StatusTotal:
    """How many rolls are in one state, and what they ask for in all."""

    count: int = 0
    amount: Decimal = ZERO


def totals_by_status(rows: Iterable[RollRow]) -> dict[RollStatus, StatusTotal]:
    """Count and amount of the rolls in each state (every state present, zero when none)."""
    totals = {status: StatusTotal() for status in STATUS_ORDER}
    for row in rows:
        found = totals[row.status]
        totals[row.status] = StatusTotal(found.count + 1, found.amount + row.amount)
    return totals


def next_move(status: RollStatus, kinds: frozenset[NoticeKind]) -> RollStatus | None:
    """The state "Avanza stato" moves a roll to, None when there is none to offer.

    Sending to the bank is the export's job (it writes the flow) and going back to draft has its own button;
    a draft reaches "notices issued" directly only when its notices carry the creditor's own codes.
    """
    forward = [to for to in ALLOWED_MOVES[status] if to not in (RollStatus.DRAFT, RollStatus.SENT_TO_BANK)]
    if not forward:
        return None
    if status is RollStatus.DRAFT and (not kinds or NoticeKind.MAV in kinds):
        return None
    return forward[0]


def available_actions(roll: RollRow | None, kinds: frozenset[NoticeKind]) -> frozenset[RollAction]:
    """The actions the roll's state allows; ``kinds`` are its notices' kinds (empty while unknown)."""
    if roll is None:
        return frozenset()
    mav = not kinds or NoticeKind.MAV in kinds
    status, has_notices = roll.status, roll.notices > 0
    allowed = {
        RollAction.EXPORT: status is RollStatus.DRAFT and has_notices and mav,
        RollAction.IMPORT_CODES: status in (RollStatus.SENT_TO_BANK, RollStatus.NOTICES_ISSUED) and mav,
        RollAction.ADVANCE: next_move(status, kinds) is not None,
        RollAction.BACK_TO_DRAFT: RollStatus.DRAFT in ALLOWED_MOVES[status],
        RollAction.PRINT: has_notices,
        RollAction.ARCHIVE: has_notices
        and status in (RollStatus.NOTICES_ISSUED, RollStatus.IN_COLLECTION, RollStatus.CLOSED),
        RollAction.DELETE: status is RollStatus.DRAFT,
    }
    return frozenset(action for action, ok in allowed.items() if ok)


class RollTableModel(RowTableModel[RollRow]):
    """The creditor's rolls with their totals, newest first."""

    def columns(self) -> list[Column[RollRow]]:
        return [
            Column(self.tr("Ruolo"), lambda r: r.name, tooltip=lambda r: r.criteria or r.name),
            Column(self.tr("Anno"), lambda r: str(r.year), lambda r: r.year, True),
            Column(self.tr("Stato"), lambda r: formatting.roll_status_label(r.status), _status_rank),
            Column(self.tr("Avvisi"), lambda r: formatting.count(r.notices), lambda r: r.notices, True),
            Column(self.tr("Crediti"), lambda r: formatting.count(r.credits), lambda r: r.credits, True),
            Column(self.tr("Importo"), lambda r: formatting.money(r.amount), lambda r: r.amount, True),
            Column(self.tr("Incassato"), lambda r: formatting.money(r.collected), lambda r: r.collected, True),
            Column(self.tr("Residuo"), lambda r: formatting.money(r.outstanding), lambda r: r.outstanding, True),
            Column(self.tr("Scadenza avvisi"), lambda r: formatting.day(r.due_date), lambda r: r.due_date),
        ]

    def row_data(self, row: RollRow, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.status is RollStatus.CLOSED:
            return QBrush(QColor("#6b6b6b"))
        return None

    def position_of(self, roll_id: int) -> int | None:
        """The row showing roll ``roll_id``, if it is in the table."""
        for position, row in enumerate(self.rows()):
            if row.id == roll_id:
                return position
        return None


def _status_rank(row: RollRow) -> int:
    return STATUS_ORDER.index(row.status)


class NoticeTableModel(RowTableModel[NoticeRow]):
    """A roll's notices: to whom, for whom, with which code, and what the bank answered."""

    def columns(self) -> list[Column[NoticeRow]]:
        return [
            Column(self.tr("Destinatario"), lambda r: r.payer_name, tooltip=lambda r: r.payer_name),
            Column(self.tr("Intestatario"), lambda r: r.holder_name, tooltip=lambda r: r.holder_name),
            Column(self.tr("CAP"), lambda r: r.postal_code or "", lambda r: r.postal_code),
            Column(self.tr("Tipo"), lambda r: formatting.notice_kind_label(r.kind)),
            Column(self.tr("Codice"), lambda r: r.code or "—", lambda r: r.code),
            Column(self.tr("Importo"), lambda r: formatting.money(r.amount), lambda r: r.amount, True),
            Column(self.tr("Scadenza"), lambda r: formatting.day(r.due_date), lambda r: r.due_date),
            Column(self.tr("Stato"), lambda r: formatting.notice_status_label(r.status)),
            Column(self.tr("Esito banca"), lambda r: formatting.bank_outcome_label(r.bank_outcome)),
        ]

    def row_data(self, row: NoticeRow, role: int) -> Any:
        if role != Qt.ItemDataRole.ForegroundRole:
            return None
        if row.status in (NoticeStatus.EXPIRED, NoticeStatus.CANCELLED):
            return ALERT_BRUSH
        return DONE_BRUSH if row.status is NoticeStatus.PAID else None

    def kinds(self) -> frozenset[NoticeKind]:
        """The kinds of the notices shown."""
        return frozenset(row.kind for row in self.rows())


class RollEventTableModel(RowTableModel[RollEventRow]):
    """A roll's history, oldest first: each move, who made it and why."""

    def columns(self) -> list[Column[RollEventRow]]:
        return [
            Column(self.tr("Quando"), lambda r: formatting.moment(r.at), lambda r: r.at),
            Column(self.tr("Chi"), lambda r: r.user_name or "—"),
            Column(self.tr("Da"), lambda r: formatting.roll_status_label(r.from_status) if r.from_status else "—"),
            Column(self.tr("A"), lambda r: formatting.roll_status_label(r.to_status)),
            Column(self.tr("Nota"), lambda r: r.note or "", tooltip=lambda r: r.note or ""),
        ]
