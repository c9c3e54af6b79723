"""The demo generator on real databases: valid identities, coherent money and states, determinism."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from stdnum import iban as stdnum_iban
from stdnum import iso11649
from stdnum.it import codicefiscale, iva

from app.bootstrap import AppContext
from app.models import (
    AdministratorAssignment,
    Allocation,
    Credit,
    Creditor,
    CreditStatus,
    NoticeKind,
    NoticeStatus,
    Payment,
    PaymentNotice,
    Roll,
    RollStatus,
    Subject,
    SubjectKind,
    User,
    UserRole,
)
from app.services.creditors import add_creditor
from app.services.demo import DemoReport, generate_demo
from app.services.demo.registry import portfolio_sizes
from app.services.errors import InvalidInput

TODAY = date(2026, 5, 15)
CREDITS = 2_000


@pytest.fixture
def demo(context: AppContext) -> DemoReport:
    """2,000 demo credits for the database's only creditor, as of ``TODAY``."""
    return generate_demo(context.db, credits=CREDITS, seed=11, today=TODAY, user_login=context.user_login)


def test_report_matches_what_was_written(context: AppContext, demo: DemoReport) -> None:
    with context.db.read_session() as session:
        assert session.scalar(select(func.count(Credit.id))) == CREDITS == demo.credits
        assert session.scalar(select(func.count(Subject.id))) == demo.subjects
        assert session.scalar(select(func.count(PaymentNotice.id))) == demo.notices
        assert session.scalar(select(func.count(Payment.id))) == demo.payments
        assert session.scalar(select(func.count(Allocation.id))) == demo.allocations
        collectors = session.scalar(select(func.count(User.id)).where(User.role == UserRole.COLLECTOR))
        assert collectors == demo.collectors > 0
        creditor = session.scalars(select(Creditor)).one()
    assert creditor.name == demo.creditor and creditor.name.startswith("Consorzio Demo")
    assert stdnum_iban.is_valid(creditor.iban or "") and creditor.abi == (creditor.iban or "")[5:10]
    assert iva.is_valid(creditor.vat_number or "")


def test_every_credit_status_and_roll_status_is_present(context: AppContext, demo: DemoReport) -> None:
    with context.db.read_session() as session:
        credit_statuses = set(session.scalars(select(Credit.status).distinct()))
        roll_statuses = set(session.scalars(select(Roll.status).distinct()))
        lonely = session.scalar(select(func.count(Credit.id)).where(Credit.roll_id.is_(None)))
    assert credit_statuses == set(CreditStatus)
    assert roll_statuses == set(RollStatus)
    assert lonely, "some credits (one-off invoices) belong to no roll"


def test_codici_fiscali_partite_iva_and_contacts_are_valid(context: AppContext, demo: DemoReport) -> None:
    with context.db.read_session() as session:
        subjects = session.execute(
            select(
                Subject.kind,
                Subject.tax_code,
                Subject.vat_number,
                Subject.mobile,
                Subject.whatsapp_consent,
                Subject.whatsapp_consent_date,
                Subject.postal_code,
                Subject.province,
            )
        ).all()
    assert {s.kind for s in subjects} == set(SubjectKind)
    for kind, tax_code, vat, mobile, consent, consent_date, postal_code, province in subjects:
        assert tax_code and codicefiscale.is_valid(tax_code), tax_code
        lengths = {SubjectKind.PERSON: {16}, SubjectKind.ADMINISTRATOR: {11, 16}}.get(kind, {11})
        assert len(tax_code) in lengths, (kind, tax_code)
        assert vat is None or iva.is_valid(vat), vat
        assert mobile is None or re.fullmatch(r"\+393\d{9}", mobile), mobile
        assert not consent or (consent_date is not None and mobile is not None and consent_date <= TODAY)
        assert re.fullmatch(r"\d{5}", postal_code or "") and re.fullmatch(r"[A-Z]{2}", province or "")
    persons = [s for s in subjects if s.kind is SubjectKind.PERSON]
    assert len({s.tax_code for s in persons}) == len(persons), "no two persons share a codice fiscale"
    assert any(s.whatsapp_consent for s in subjects)


def _current_portfolios(session: Session) -> Counter[int]:
    rows = session.execute(
        select(AdministratorAssignment.administrator_id).where(
            AdministratorAssignment.valid_from <= TODAY,
            (AdministratorAssignment.valid_to.is_(None)) | (AdministratorAssignment.valid_to >= TODAY),
        )
    )
    return Counter(row[0] for row in rows)


def test_a_few_administrators_manage_many_condominiums(context: AppContext, demo: DemoReport) -> None:
    with context.db.read_session() as session:
        portfolios = _current_portfolios(session)
        condominiums = session.scalar(select(func.count(Subject.id)).where(Subject.kind == SubjectKind.CONDOMINIUM))
    sizes = sorted(portfolios.values(), reverse=True)
    assert sum(sizes) == condominiums == demo.condominiums, "every condominium has one current administrator"
    median = sizes[len(sizes) // 2]
    assert sizes[0] >= 15 and sizes[0] >= 2 * median, sizes[:10]


def test_at_full_size_a_few_studios_have_hundreds_and_most_a_handful() -> None:
    # The condominiums 100,000 demo credits bring: the portfolio rule alone, without a database.
    sizes = sorted(portfolio_sizes(5_700, random.Random(1)), reverse=True)
    assert sum(sizes) == 5_700
    assert sizes[1] >= 200, sizes[:5]
    assert sum(1 for size in sizes if size <= 10) >= 0.9 * len(sizes)


def test_payer_is_the_administrator_on_the_issue_date(context: AppContext, demo: DemoReport) -> None:
    with context.db.read_session() as session:
        terms: dict[int, list[Any]] = defaultdict(list)
        for term in session.scalars(select(AdministratorAssignment)):
            terms[term.condominium_id].append(term)
        credits = session.execute(select(Credit.holder_id, Credit.payer_id, Credit.issue_date)).all()
        notices = session.execute(select(PaymentNotice.holder_id, PaymentNotice.payer_id)).all()
    changed = {c for c, spans in terms.items() if len(spans) == 2}
    assert len(changed) == demo.administrator_changes > 0
    before = after = 0
    for holder, payer, issued in credits:
        spans = terms.get(holder)
        if spans is None:
            assert payer == holder
            continue
        (expected,) = [s.administrator_id for s in spans if s.covers(issued)]
        assert payer == expected
        if holder in changed:
            old = min(spans, key=lambda s: s.valid_from)
            before += issued <= old.valid_to
            after += issued > old.valid_to
    assert before > 0 and after > 0, "credits on both sides of an administrator change"
    assert all(payer in {s.administrator_id for s in terms[h]} for h, payer in notices if h in terms)


def test_old_administrator_term_ends_the_day_before_the_new_one(context: AppContext, demo: DemoReport) -> None:
    with context.db.read_session() as session:
        closed = session.scalars(select(AdministratorAssignment).where(AdministratorAssignment.valid_to.is_not(None)))
        for old in closed:
            new = session.scalars(
                select(AdministratorAssignment).where(
                    AdministratorAssignment.condominium_id == old.condominium_id,
                    AdministratorAssignment.valid_from > old.valid_from,
                )
            ).one()
            assert old.valid_to is not None and new.valid_from == old.valid_to + timedelta(days=1)
            assert new.administrator_id != old.administrator_id and new.valid_to is None
            assert new.valid_from < TODAY


def test_money_adds_up(context: AppContext, demo: DemoReport) -> None:
    with context.db.read_session() as session:
        credits = {c.id: c for c in session.scalars(select(Credit))}
        payments = {p.id: p.amount for p in session.scalars(select(Payment))}
        allocations = session.execute(select(Allocation.payment_id, Allocation.credit_id, Allocation.amount)).all()
    per_credit: dict[int, Decimal] = defaultdict(Decimal)
    per_payment: dict[int, Decimal] = defaultdict(Decimal)
    for payment_id, credit_id, amount in allocations:
        assert isinstance(amount, Decimal) and amount > 0
        assert amount <= credits[credit_id].amount
        per_credit[credit_id] += amount
        per_payment[payment_id] += amount
    assert all(per_payment[p] <= amount for p, amount in payments.items())
    unmatched = sum(1 for p, amount in payments.items() if per_payment[p] < amount)
    assert unmatched == demo.unmatched_payments >= 3
    for credit in credits.values():
        assert isinstance(credit.amount, Decimal) and credit.amount == credit.amount.quantize(Decimal("0.01"))
        assert credit.outstanding == credit.amount - per_credit[credit.id]
    common = Counter(c.amount for c in credits.values()).most_common(1)[0][1]
    assert common >= CREDITS // 20, "many credits share the same small amount (the quarterly lift fee)"


def test_statuses_follow_amounts_and_dates(context: AppContext, demo: DemoReport) -> None:
    with context.db.read_session() as session:
        credits = list(session.scalars(select(Credit)))
    for credit in credits:
        assert credit.status_on(TODAY) is credit.status, credit.reference
        if credit.status in (CreditStatus.WRITTEN_OFF, CreditStatus.IN_LEGAL):
            assert credit.outstanding > 0 and credit.due_date < TODAY
        if credit.status is CreditStatus.ISSUED:
            assert credit.notice_id is None
        assert credit.issue_date <= TODAY and credit.issue_date <= credit.due_date
        assert (credit.collector_id is not None) == (credit.due_date <= TODAY)


def test_one_notice_per_holder_per_roll_covering_its_credits(context: AppContext, demo: DemoReport) -> None:
    with context.db.read_session() as session:
        notices = {n.id: n for n in session.scalars(select(PaymentNotice))}
        credits = session.execute(
            select(Credit.notice_id, Credit.roll_id, Credit.holder_id, Credit.amount, Credit.due_date)
        ).all()
        payments = session.execute(select(Payment.notice_id, Payment.received_on)).all()
    covered: dict[int, Decimal] = defaultdict(Decimal)
    for notice_id, roll_id, holder_id, amount, due in credits:
        if notice_id is None:
            continue
        notice = notices[notice_id]
        assert (notice.roll_id, notice.holder_id) == (roll_id, holder_id)
        assert notice.due_date <= due
        covered[notice_id] += amount
    assert all(covered[n.id] == n.amount for n in notices.values())
    for notice in notices.values():
        if notice.status is NoticeStatus.REQUESTED:
            assert notice.code is None
        else:
            assert notice.kind is NoticeKind.MAV and re.fullmatch(r"\d{12}", notice.code or "")
    assert all(received <= TODAY for _, received in payments)


def test_same_seed_same_data_other_seed_other_data(context: AppContext) -> None:
    for name in ("Consorzio Gemello", "Consorzio Diverso"):
        add_creditor(context.db, name)
    generate_demo(context.db, credits=300, seed=5, today=TODAY, creditor_name="Nuovo ente creditore")
    generate_demo(context.db, credits=300, seed=5, today=TODAY, creditor_name="Consorzio Gemello")
    generate_demo(context.db, credits=300, seed=6, today=TODAY, creditor_name="Consorzio Diverso")
    first, twin, other = (
        _fingerprint(context, name) for name in ("Consorzio Demo", "Consorzio Gemello", "Consorzio Diverso")
    )
    assert first == twin
    assert first != other


def _fingerprint(context: AppContext, name_prefix: str) -> list[tuple[Any, ...]]:
    """The demo data of one creditor without ids, which depend on what else is in the database."""
    holder, payer = Subject.__table__.alias("holder"), Subject.__table__.alias("payer")
    with context.db.read_session() as session:
        creditor_id = session.scalar(select(Creditor.id).where(Creditor.name.startswith(name_prefix)))
        rows = session.execute(
            select(Credit.reference, Credit.amount, Credit.outstanding, Credit.status, Credit.due_date,
                   holder.c.name, holder.c.tax_code, payer.c.tax_code, PaymentNotice.code)
            .join(holder, holder.c.id == Credit.holder_id)
            .join(payer, payer.c.id == Credit.payer_id)
            .outerjoin(PaymentNotice, PaymentNotice.id == Credit.notice_id)
            .where(Credit.creditor_id == creditor_id)
            .order_by(Credit.reference)
        ).all()  # fmt: skip
    return [tuple(row) for row in rows]


def test_refuses_a_creditor_that_already_has_credits(context: AppContext, demo: DemoReport) -> None:
    with pytest.raises(InvalidInput, match="ha già crediti"):
        generate_demo(context.db, credits=10, today=TODAY)
    with context.db.read_session() as session:
        assert session.scalar(select(func.count(Credit.id))) == CREDITS


def test_several_creditors_need_a_name_and_bad_counts_are_refused(context: AppContext) -> None:
    add_creditor(context.db, "Secondo consorzio")
    with pytest.raises(InvalidInput, match="più enti creditori"):
        generate_demo(context.db, credits=10, today=TODAY)
    with pytest.raises(InvalidInput, match="Numero di crediti non valido"):
        generate_demo(context.db, credits=0, creditor_name="Secondo consorzio")


@pytest.mark.parametrize("credits", [1, 7, 60])
def test_tiny_databases_work(context: AppContext, credits: int) -> None:
    report = generate_demo(context.db, credits=credits, today=TODAY)
    assert report.credits == credits


def test_progress_goes_up_to_the_total(context: AppContext) -> None:
    calls: list[tuple[int, int]] = []
    report = generate_demo(context.db, credits=500, today=TODAY, progress=lambda d, t: calls.append((d, t)))
    done = [d for d, _ in calls]
    assert calls[0][0] == 0 and done == sorted(done) and all(d <= t for d, t in calls)
    rows = report.subjects + report.notices + report.credits + report.payments + report.allocations
    assert calls[-1][0] == calls[-1][1] > 500 + rows  # every credit generated, then every row written


def test_cancelling_from_the_progress_callback_writes_nothing(context: AppContext) -> None:
    def cancel_halfway(done: int, total: int) -> None:
        if done > total // 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        generate_demo(context.db, credits=500, today=TODAY, progress=cancel_halfway)
    with context.db.read_session() as session:
        assert session.scalar(select(func.count(Subject.id))) == 0
        assert session.scalar(select(Creditor.name)) == "Nuovo ente creditore"


@pytest.mark.parametrize(("kind", "shape"), [("pagopa", r"301\d{15}"), ("transfer", r"RF\d{14}")])
def test_notice_codes_follow_the_creditor_notice_kind(context: AppContext, kind: str, shape: str) -> None:
    add_creditor(context.db, "Consorzio pagoPA", notice_kind=kind)
    generate_demo(context.db, credits=200, today=TODAY, creditor_name="Consorzio pagoPA")
    with context.db.read_session() as session:
        codes = [c for c in session.scalars(select(PaymentNotice.code)) if c is not None]
    assert codes and len(set(codes)) == len(codes)
    for code in codes:
        assert re.fullmatch(shape, code)
        if kind == "pagopa":
            assert int(code[:16]) % 93 == int(code[16:])
        else:
            assert iso11649.is_valid(code)
