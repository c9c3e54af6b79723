"""The Debtors page's reads on a real database: search, detail, administrator history, condominiums."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from sqlalchemy.orm import Session

from app.models import (
    AdministratorAssignment,
    Channel,
    Credit,
    CreditKind,
    Creditor,
    CreditStatus,
    Subject,
    SubjectKind,
)
from app.services.database import Database
from app.services.debtors import (
    CondominiumRow,
    DebtRole,
    SubjectRow,
    administrator_history,
    condominium_totals,
    condominiums_of,
    format_address,
    search_subjects,
    subject_detail,
)
from app.services.errors import NotFound
from app.services.unit_of_work import UnitOfWork

TODAY = date(2026, 9, 15)
CHANGE_DAY = date(2026, 7, 1)


@dataclass(frozen=True)
class Registry:
    """The ids of the small registry every test here reads."""

    creditor_id: int
    other_creditor_id: int
    bianchi: int  # administrator of Aurora, Belvedere, Cedri, and of Delfino until 30 June
    verdi: int  # administrator of Delfino from 1 July
    aurora: int
    belvedere: int
    cedri: int
    delfino: int
    rossi: int  # a person with a valid codice fiscale
    lift_company: int  # a company with a valid partita IVA
    flagged: int  # a person whose codice fiscale failed validation


def build_registry(db: Database) -> Registry:
    """A creditor with two administrators, four condominiums (one changed administrator mid-year), credits."""
    with UnitOfWork(db) as uow:
        creditor, other = Creditor(name="Consorzio TREE"), Creditor(name="Co.Sm.An")
        uow.session.add_all([creditor, other])
        uow.session.flush()
        subjects = _add_subjects(uow.session, creditor.id, other.id)
        _add_assignments(uow.session, subjects)
        _add_credits(uow.session, creditor.id, subjects)
        uow.commit()
        ids = {name: item.id for name, item in subjects.items()}
        return Registry(creditor_id=creditor.id, other_creditor_id=other.id, **ids)


def _add_subjects(session: Session, creditor_id: int, other_creditor_id: int) -> dict[str, Subject]:
    def subject(kind: SubjectKind, name: str, **fields: object) -> Subject:
        item = Subject(creditor_id=fields.pop("creditor_id", creditor_id), kind=kind, name=name, **fields)
        session.add(item)
        return item

    made = {
        "bianchi": subject(
            SubjectKind.ADMINISTRATOR, "Studio Bianchi Amministrazioni", vat_number="01234560157",
            city="Milano", province="MI", pec="studio.bianchi@pec.it", mobile="+393331234567",
        ),
        "verdi": subject(SubjectKind.ADMINISTRATOR, "Verdi Gestioni Immobiliari", city="Monza"),
        "aurora": subject(
            SubjectKind.CONDOMINIUM, "Condominio Aurora", tax_code="95012870155", street="Via Roma 1",
            postal_code="20121", city="Milano", province="MI",
        ),
        "belvedere": subject(SubjectKind.CONDOMINIUM, "Condominio Belvedere", city="Milano"),
        "cedri": subject(SubjectKind.CONDOMINIUM, "Condominio Cedri", city="Sesto San Giovanni"),
        "delfino": subject(SubjectKind.CONDOMINIUM, "Condominio Delfino", city="Monza"),
        "rossi": subject(
            SubjectKind.PERSON, "Mario Rossi", tax_code="RSSMRA80A01H501U", city="Roma", province="RM",
            email="mario.rossi@example.it", whatsapp_consent=True, whatsapp_consent_date=date(2026, 3, 2),
            preferred_channel=Channel.WHATSAPP,
        ),
        "lift_company": subject(SubjectKind.COMPANY, "Ascensori Lombardi S.r.l.", vat_number="02839430150"),
        "flagged": subject(
            SubjectKind.PERSON, "Luigi Rossini", tax_code="RSSLGU70A01H501X",
            tax_code_problem="Il carattere di controllo non è corretto",
        ),
    }  # fmt: skip
    # The same person, known to another creditor: never shown to this one.
    subject(SubjectKind.PERSON, "Mario Rossi", creditor_id=other_creditor_id, tax_code="RSSMRA80A01H501U")
    session.flush()
    return made


def _add_assignments(session: Session, s: dict[str, Subject]) -> None:
    def assign(condominium: str, administrator: str, start: date, end: date | None = None) -> None:
        session.add(
            AdministratorAssignment(
                condominium_id=s[condominium].id, administrator_id=s[administrator].id,
                valid_from=start, valid_to=end,
            )
        )  # fmt: skip

    for condominium in ("aurora", "belvedere", "cedri"):
        assign(condominium, "bianchi", date(2020, 1, 1))
    assign("delfino", "bianchi", date(2023, 1, 1), date(2026, 6, 30))
    assign("delfino", "verdi", CHANGE_DAY)


def _add_credits(session: Session, creditor_id: int, s: dict[str, Subject]) -> None:
    references = count(1)

    def credit(holder: str, payer: str, amount: str, outstanding: str, status: CreditStatus) -> None:
        session.add(
            Credit(
                creditor_id=creditor_id, holder_id=s[holder].id, payer_id=s[payer].id,
                reference=f"F{next(references)}", kind=CreditKind.INVOICE, issue_date=date(2026, 1, 10),
                due_date=date(2026, 2, 28), amount=Decimal(amount), outstanding=Decimal(outstanding),
                status=status,
            )
        )  # fmt: skip

    credit("aurora", "bianchi", "120.10", "100.10", CreditStatus.OVERDUE)
    credit("aurora", "bianchi", "50.00", "50.00", CreditStatus.ISSUED)
    credit("aurora", "bianchi", "80.00", "0.00", CreditStatus.PAID)
    credit("aurora", "bianchi", "30.00", "30.00", CreditStatus.WRITTEN_OFF)
    # Amounts whose float sum is not exact: 0.1 + 0.2 != 0.3.
    credit("belvedere", "bianchi", "0.10", "0.10", CreditStatus.ISSUED)
    credit("belvedere", "bianchi", "0.20", "0.20", CreditStatus.IN_LEGAL)
    credit("delfino", "bianchi", "200.00", "200.00", CreditStatus.OVERDUE)
    credit("delfino", "verdi", "300.00", "300.00", CreditStatus.AWAITING_PAYMENT)
    credit("rossi", "rossi", "75.50", "75.50", CreditStatus.PARTIALLY_PAID)
    credit("lift_company", "lift_company", "1234.56", "1234.56", CreditStatus.OVERDUE)
    credit("lift_company", "bianchi", "10.00", "10.00", CreditStatus.ISSUED)


@pytest.fixture
def registry(db: Database) -> Registry:
    return build_registry(db)


def names(rows: Sequence[SubjectRow] | Sequence[CondominiumRow]) -> list[str]:
    return [row.name for row in rows]


def test_search_by_name_is_case_insensitive_and_ordered(db: Database, registry: Registry) -> None:
    rows = search_subjects(db, registry.creditor_id, "condominio")
    assert names(rows) == [
        "Condominio Aurora",
        "Condominio Belvedere",
        "Condominio Cedri",
        "Condominio Delfino",
    ]
    assert names(search_subjects(db, registry.creditor_id, "  ROSS ")) == ["Luigi Rossini", "Mario Rossi"]


def test_search_stays_within_the_creditor(db: Database, registry: Registry) -> None:
    mine = search_subjects(db, registry.creditor_id, "Mario Rossi")
    assert [row.id for row in mine] == [registry.rossi]
    theirs = search_subjects(db, registry.other_creditor_id, "rossi")
    assert len(theirs) == 1 and theirs[0].id != registry.rossi


def test_search_by_tax_code_whole_or_partial_any_case(db: Database, registry: Registry) -> None:
    assert [r.id for r in search_subjects(db, registry.creditor_id, "rssmra80a01h501u")] == [registry.rossi]
    assert [r.id for r in search_subjects(db, registry.creditor_id, "RSSMRA80")] == [registry.rossi]
    # A partial code matches the flagged code too; the stored invalid code is still found whole.
    assert [r.id for r in search_subjects(db, registry.creditor_id, "rsslgu70a01h501x")] == [registry.flagged]


def test_search_by_vat_number_with_prefix_and_spaces(db: Database, registry: Registry) -> None:
    assert [r.id for r in search_subjects(db, registry.creditor_id, "IT 02839430150")] == [registry.lift_company]
    assert [r.id for r in search_subjects(db, registry.creditor_id, "0123456")] == [registry.bianchi]


def test_search_treats_like_wildcards_literally(db: Database, registry: Registry) -> None:
    assert search_subjects(db, registry.creditor_id, "%") == []
    assert search_subjects(db, registry.creditor_id, "Condominio_Aurora") == []


def test_kind_filter_and_empty_text_lists_all_of_that_kind(db: Database, registry: Registry) -> None:
    administrators = search_subjects(db, registry.creditor_id, "", SubjectKind.ADMINISTRATOR)
    assert names(administrators) == ["Studio Bianchi Amministrazioni", "Verdi Gestioni Immobiliari"]
    assert search_subjects(db, registry.creditor_id, "condominio", SubjectKind.PERSON) == []
    people = search_subjects(db, registry.creditor_id, "rossi", SubjectKind.PERSON)
    assert {row.kind for row in people} == {SubjectKind.PERSON}
    assert len(search_subjects(db, registry.creditor_id, "")) == 9


def test_search_limit(db: Database, registry: Registry) -> None:
    assert names(search_subjects(db, registry.creditor_id, "condominio", limit=2)) == [
        "Condominio Aurora",
        "Condominio Belvedere",
    ]


def test_search_rows_say_what_is_owed_as_holder_and_as_payer(db: Database, registry: Registry) -> None:
    rows = {row.id: row for row in search_subjects(db, registry.creditor_id, "")}
    aurora = rows[registry.aurora]
    # Paid and written-off credits are not open.
    assert (aurora.as_holder.count, aurora.as_holder.outstanding) == (2, Decimal("150.10"))
    assert aurora.role is DebtRole.HOLDER and aurora.as_payer.count == 0
    bianchi = rows[registry.bianchi]
    assert (bianchi.as_payer.count, bianchi.as_payer.outstanding) == (6, Decimal("360.40"))
    assert bianchi.role is DebtRole.PAYER and bianchi.outstanding == Decimal("360.40")
    # A subject paying its own credits is a holder, not counted twice.
    rossi = rows[registry.rossi]
    assert (rossi.open_credits, rossi.outstanding, rossi.role) == (1, Decimal("75.50"), DebtRole.HOLDER)
    assert rows[registry.cedri].role is DebtRole.NONE and rows[registry.cedri].outstanding == Decimal("0.00")
    assert isinstance(rows[registry.belvedere].outstanding, Decimal)
    assert rows[registry.belvedere].outstanding == Decimal("0.30")


def test_search_rows_carry_identity_problems(db: Database, registry: Registry) -> None:
    rows = {row.id: row for row in search_subjects(db, registry.creditor_id, "ross")}
    assert rows[registry.flagged].has_identity_problem
    assert rows[registry.flagged].tax_code_problem == "Il carattere di controllo non è corretto"
    assert not rows[registry.rossi].has_identity_problem


def test_subject_detail(db: Database, registry: Registry) -> None:
    detail = subject_detail(db, registry.rossi)
    assert (detail.name, detail.kind, detail.tax_code) == (
        "Mario Rossi",
        SubjectKind.PERSON,
        "RSSMRA80A01H501U",
    )
    assert detail.whatsapp_consent and detail.whatsapp_consent_date == date(2026, 3, 2)
    assert detail.preferred_channel is Channel.WHATSAPP and detail.email == "mario.rossi@example.it"
    assert subject_detail(db, registry.aurora).address == "Via Roma 1, 20121 Milano (MI)"
    assert subject_detail(db, registry.flagged).tax_code_problem == "Il carattere di controllo non è corretto"


def test_subject_detail_of_a_missing_subject(db: Database, registry: Registry) -> None:
    with pytest.raises(NotFound):
        subject_detail(db, 999_999)


def test_administrator_history_in_order_with_current_flag(db: Database, registry: Registry) -> None:
    history = administrator_history(db, registry.delfino, today=TODAY)
    assert [(row.administrator_name, row.valid_from, row.valid_to, row.current) for row in history] == [
        ("Studio Bianchi Amministrazioni", date(2023, 1, 1), date(2026, 6, 30), False),
        ("Verdi Gestioni Immobiliari", CHANGE_DAY, None, True),
    ]
    # Both ends are included: on 30 June the old administrator is still the current one.
    on_last_day = administrator_history(db, registry.delfino, today=date(2026, 6, 30))
    assert [row.current for row in on_last_day] == [True, False]
    assert administrator_history(db, registry.rossi, today=TODAY) == []


def test_condominiums_of_current_only(db: Database, registry: Registry) -> None:
    rows = condominiums_of(db, registry.bianchi, today=TODAY)
    assert [(row.name, row.open_credits, row.outstanding, row.current) for row in rows] == [
        ("Condominio Aurora", 2, Decimal("150.10"), True),
        ("Condominio Belvedere", 2, Decimal("0.30"), True),
        ("Condominio Cedri", 0, Decimal("0.00"), True),
    ]
    assert all(isinstance(row.outstanding, Decimal) for row in rows)
    assert rows[0].address == "Via Roma 1, 20121 Milano (MI)"
    assert rows[0].valid_from == date(2020, 1, 1) and rows[0].valid_to is None
    totals = condominium_totals(rows)
    assert (totals.condominiums, totals.current, totals.open_credits, totals.outstanding) == (
        3,
        3,
        4,
        Decimal("150.40"),
    )


def test_condominiums_of_with_past(db: Database, registry: Registry) -> None:
    rows = condominiums_of(db, registry.bianchi, today=TODAY, include_past=True)
    delfino = rows[-1]
    # The condominium's outstanding counts every open credit it holds, also those the new administrator pays.
    assert (delfino.name, delfino.current, delfino.open_credits, delfino.outstanding) == (
        "Condominio Delfino",
        False,
        2,
        Decimal("500.00"),
    )
    assert (delfino.valid_from, delfino.valid_to) == (date(2023, 1, 1), date(2026, 6, 30))
    totals = condominium_totals(rows)
    assert (totals.condominiums, totals.current, totals.outstanding) == (4, 3, Decimal("650.40"))


def test_condominiums_before_the_change(db: Database, registry: Registry) -> None:
    before = condominiums_of(db, registry.bianchi, today=date(2026, 6, 30))
    assert names(before)[-1] == "Condominio Delfino"
    assert names(condominiums_of(db, registry.verdi, today=date(2026, 6, 30))) == []
    assert names(condominiums_of(db, registry.verdi, today=TODAY)) == ["Condominio Delfino"]


def test_condominiums_of_someone_without_any(db: Database, registry: Registry) -> None:
    assert condominiums_of(db, registry.rossi, include_past=True) == []
    assert condominium_totals([]).outstanding == Decimal("0.00")


def test_format_address() -> None:
    assert format_address("Via Po 3", "10100", "Torino", "TO") == "Via Po 3, 10100 Torino (TO)"
    assert format_address(None, None, "Torino", None) == "Torino"
    assert format_address(None, None, None, None) == ""
