"""Export to .xlsx (all or nothing, no formulas) and the detail of one credit, on a real database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.models import (
    Allocation,
    Channel,
    Communication,
    CommunicationStatus,
    Document,
    DocumentKind,
    NoticeKind,
    Payment,
    PaymentNotice,
    PaymentSource,
    SubjectKind,
)
from app.services.credits.detail import credit_detail
from app.services.credits.export import export_credits_xlsx
from app.services.credits.query import CreditFilter, SortKey
from app.services.database import Database
from app.services.errors import NotFound
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder


@pytest.fixture
def creditor_id(db: Database) -> int:
    with UnitOfWork(db) as uow:
        b = Builder(uow.session)
        b.credit(b.subject('=HYPERLINK("http://x")'), "10.00", reference="=1+1")
        b.credit(b.subject("Rossi Mario"), "1234.56", outstanding="34.56", reference="B-2")
        uow.commit()
        return b.creditor.id


def test_export_writes_the_filtered_set_in_order_without_formulas(
    db: Database, creditor_id: int, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "crediti.xlsx"
    count = export_credits_xlsx(db, CreditFilter(creditor_id=creditor_id), target, sort=SortKey.AMOUNT, descending=True)
    assert count == 2
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=False))
    assert [c.value for c in rows[0]][:3] == ["Numero", "Tipo", "Intestatario"]
    assert rows[1][0].value == "B-2"
    assert rows[1][10].value == pytest.approx(1234.56) and rows[1][11].value == pytest.approx(34.56)
    assert rows[1][9].value.date() == date(2026, 6, 30)
    assert rows[2][0].value == "=1+1" and rows[2][2].value.startswith("=HYPERLINK")
    assert all(cell.data_type != "f" for row in rows for cell in row)


def test_export_of_a_filter_matching_nothing_has_only_the_header(
    db: Database, creditor_id: int, tmp_path: Path
) -> None:
    target = tmp_path / "vuoto.xlsx"
    assert export_credits_xlsx(db, CreditFilter(creditor_id=creditor_id, text="nessuno"), target) == 0
    assert load_workbook(target).active.max_row == 1


def test_a_cancelled_export_leaves_no_file(db: Database, creditor_id: int, tmp_path: Path) -> None:
    target = tmp_path / "export" / "crediti.xlsx"
    target.parent.mkdir()

    def cancel(_done: int, _total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_credits_xlsx(db, CreditFilter(creditor_id=creditor_id), target, progress=cancel)
    assert list(target.parent.iterdir()) == []


def test_detail_gathers_parties_notice_payments_messages_and_documents(db: Database) -> None:
    with UnitOfWork(db) as uow:
        b = Builder(uow.session)
        admin = b.subject("Studio Neri", SubjectKind.ADMINISTRATOR, pec="neri@pec.it")
        condo = b.subject(
            "Condominio Aurora",
            SubjectKind.CONDOMINIUM,
            city="Milano",
            postal_code="20100",
            street="Via Aurora 1",
            province="MI",
            tax_code_problem="carattere di controllo errato",
        )
        credit = b.credit(condo, "300.00", payer=admin, outstanding="100.00")
        notice = PaymentNotice(
            creditor_id=b.creditor.id,
            holder_id=condo.id,
            payer_id=admin.id,
            kind=NoticeKind.MAV,
            code="01234567890123456",
            amount=Decimal("300.00"),
            due_date=date(2026, 6, 30),
        )
        uow.session.add(notice)
        uow.session.flush()
        credit.notice_id = notice.id
        payment = Payment(
            creditor_id=b.creditor.id,
            source=PaymentSource.BANK,
            received_on=date(2026, 7, 2),
            amount=Decimal("250.00"),
        )
        payment.allocations.append(Allocation(credit_id=credit.id, amount=Decimal("200.00")))
        uow.session.add_all(
            [
                payment,
                Communication(
                    creditor_id=b.creditor.id,
                    subject_id=admin.id,
                    notice_id=notice.id,
                    channel=Channel.PEC,
                    status=CommunicationStatus.DELIVERED,
                    address="neri@pec.it",
                ),
                Document(
                    creditor_id=b.creditor.id,
                    kind=DocumentKind.NOTICE_PDF,
                    relative_path="2026/MAV/aurora.pdf",
                    sha256="0" * 64,
                    size=1234,
                    notice_id=notice.id,
                ),
            ]
        )
        unrelated = b.credit(b.subject("Altro"), "5.00")
        uow.session.add(
            Communication(
                creditor_id=b.creditor.id,
                subject_id=unrelated.holder_id,
                credit_id=unrelated.id,
                channel=Channel.WHATSAPP,
            )
        )
        uow.commit()
        credit_id, unrelated_id = credit.id, unrelated.id

    detail = credit_detail(db, credit_id)
    assert (detail.holder.name, detail.payer.name) == ("Condominio Aurora", "Studio Neri")
    assert detail.holder.address == "Via Aurora 1, 20100 Milano (MI)"
    assert detail.holder.identity_problem == "carattere di controllo errato"
    assert detail.notice is not None and detail.notice.code == "01234567890123456"
    assert [(p.payment_amount, p.allocated) for p in detail.payments] == [(Decimal("250.00"), Decimal("200.00"))]
    assert [c.channel for c in detail.communications] == [Channel.PEC]
    assert [d.relative_path for d in detail.documents] == ["2026/MAV/aurora.pdf"]
    lonely = credit_detail(db, unrelated_id)
    assert lonely.notice is None and [c.channel for c in lonely.communications] == [Channel.WHATSAPP]
    with pytest.raises(NotFound):
        credit_detail(db, 424242)
