"""The payer of a condominium's credit is its administrator on the day; history of administrators is kept."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app.models import AdministratorAssignment, Creditor, Subject, SubjectKind
from app.services.database import Database
from app.services.errors import InvalidInput
from app.services.registry import (
    AdministratorTerm,
    administrator_history,
    administrator_ids_on,
    administrator_on,
    assign_administrator,
    payer_for,
    plan_new_term,
    term_on,
)
from app.services.unit_of_work import UnitOfWork


def _term(administrator_id: int, valid_from: date, valid_to: date | None, assignment_id: int = 0) -> AdministratorTerm:
    return AdministratorTerm(assignment_id, 1, administrator_id, f"Studio {administrator_id}", valid_from, valid_to)


# The pure rule, no database.


def test_term_on_picks_the_term_in_force_both_ends_included() -> None:
    first = _term(10, date(2025, 1, 1), date(2026, 6, 30))
    second = _term(20, date(2026, 7, 1), None)
    terms = [first, second]

    assert term_on(terms, date(2024, 12, 31)) is None
    assert term_on(terms, date(2025, 1, 1)) is first
    assert term_on(terms, date(2026, 6, 30)) is first
    assert term_on(terms, date(2026, 7, 1)) is second
    assert term_on(terms, date(2099, 1, 1)) is second
    assert term_on([], date(2026, 1, 1)) is None


def test_a_gap_between_terms_has_no_administrator() -> None:
    terms = [_term(10, date(2025, 1, 1), date(2025, 3, 31)), _term(20, date(2025, 5, 1), None)]

    assert term_on(terms, date(2025, 4, 15)) is None


def test_plan_closes_the_open_term_the_day_before() -> None:
    assert plan_new_term([], 10, date(2026, 1, 1)) is None
    assert plan_new_term([_term(10, date(2025, 1, 1), None)], 20, date(2026, 7, 1)) == date(2026, 6, 30)
    assert plan_new_term([_term(10, date(2025, 1, 1), date(2025, 12, 31))], 20, date(2026, 1, 1)) is None


@pytest.mark.parametrize(
    ("terms", "administrator_id", "valid_from", "message"),
    [
        ([_term(10, date(2026, 7, 1), None)], 20, date(2026, 7, 1), "deve subentrare dopo il 01/07/2026"),
        ([_term(10, date(2026, 7, 1), None)], 20, date(2026, 3, 1), "non si riscrive all'indietro"),
        (
            [_term(10, date(2026, 1, 1), None)],
            10,
            date(2026, 7, 1),
            "Studio 10 amministra già questo condominio",
        ),
        (
            [_term(10, date(2025, 1, 1), date(2025, 12, 31))],
            20,
            date(2025, 6, 1),
            "fino al 31/12/2025: il nuovo incarico può iniziare al più presto il 01/01/2026",
        ),
    ],
)
def test_plan_refuses_overlaps_and_backdating(
    terms: list[AdministratorTerm], administrator_id: int, valid_from: date, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        plan_new_term(terms, administrator_id, valid_from)


@given(st.lists(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)), min_size=1, max_size=8, unique=True))
def test_planned_terms_never_overlap_and_leave_no_gap(starts: list[date]) -> None:
    # GIVEN administrators appointed in date order, each replacing the previous one
    terms: list[AdministratorTerm] = []
    for number, valid_from in enumerate(sorted(starts)):
        ends_on = plan_new_term(terms, number, valid_from)
        if ends_on is not None:
            terms[-1] = _term(terms[-1].administrator_id, terms[-1].valid_from, ends_on)
        terms.append(_term(number, valid_from, None))

    # THEN every day from the first appointment on has exactly one administrator, the last one appointed then
    for day in [*sorted(starts), date(2040, 6, 1)]:
        assert sum(term.covers(day) for term in terms) == 1
        in_force = term_on(terms, day)
        assert in_force is not None
        assert in_force.valid_from == max(start for start in starts if start <= day)


def test_terms_are_frozen() -> None:
    term = _term(10, date(2026, 1, 1), None)
    with pytest.raises(FrozenInstanceError):
        term.valid_to = date(2026, 2, 1)  # type: ignore[misc]


# On the database, SQLite and PostgreSQL.


def _registry(db: Database) -> dict[str, int]:
    with UnitOfWork(db) as uow:
        creditor = Creditor(name="Tree Ascensori")
        other_creditor = Creditor(name="Co.Sm.An")
        subjects = {
            "condominium": Subject(creditor=creditor, kind=SubjectKind.CONDOMINIUM, name="Condominio Via Roma 1"),
            "bare_condominium": Subject(creditor=creditor, kind=SubjectKind.CONDOMINIUM, name="Condominio Corso Po 7"),
            "studio_bianchi": Subject(creditor=creditor, kind=SubjectKind.ADMINISTRATOR, name="Studio Bianchi"),
            "studio_verdi": Subject(creditor=creditor, kind=SubjectKind.ADMINISTRATOR, name="Studio Verdi"),
            "person": Subject(creditor=creditor, kind=SubjectKind.PERSON, name="Mario Rossi"),
            "foreign_administrator": Subject(
                creditor=other_creditor, kind=SubjectKind.ADMINISTRATOR, name="Studio Neri"
            ),
        }
        uow.session.add_all(subjects.values())
        uow.session.flush()
        ids = {key: subject.id for key, subject in subjects.items()}
        uow.commit()
    return ids


def _change_mid_year(db: Database, ids: dict[str, int]) -> None:
    """Studio Bianchi manages the condominium from 2025; Studio Verdi takes over on 1 July 2026."""
    with UnitOfWork(db) as uow:
        session = uow.session
        condominium = session.get_one(Subject, ids["condominium"])
        assign_administrator(session, condominium, session.get_one(Subject, ids["studio_bianchi"]), date(2025, 1, 1))
        assign_administrator(session, condominium, session.get_one(Subject, ids["studio_verdi"]), date(2026, 7, 1))
        uow.commit()


def test_administrator_change_mid_year_changes_the_payer(db: Database) -> None:
    # GIVEN a condominium whose administrator changes on 1 July 2026
    ids = _registry(db)
    _change_mid_year(db, ids)

    with db.read_session() as session:
        condominium = session.get_one(Subject, ids["condominium"])
        # THEN credits due before the change are paid by the old administrator, later ones by the new
        assert payer_for(session, condominium, date(2026, 3, 31)).id == ids["studio_bianchi"]
        assert payer_for(session, condominium, date(2026, 6, 30)).id == ids["studio_bianchi"]
        assert payer_for(session, condominium, date(2026, 7, 1)).id == ids["studio_verdi"]
        assert payer_for(session, condominium, date(2026, 12, 31)).id == ids["studio_verdi"]
        # AND before any administrator the condominium pays for itself
        assert payer_for(session, condominium, date(2024, 12, 31)).id == ids["condominium"]

        old = administrator_on(session, ids["condominium"], date(2026, 6, 30))
        assert old is not None and old.name == "Studio Bianchi"
        assert administrator_on(session, ids["condominium"], date(2024, 6, 1)) is None


def test_the_payer_of_anyone_else_is_the_holder(db: Database) -> None:
    ids = _registry(db)
    _change_mid_year(db, ids)

    with db.read_session() as session:
        person = session.get_one(Subject, ids["person"])
        bare = session.get_one(Subject, ids["bare_condominium"])
        administrator = session.get_one(Subject, ids["studio_verdi"])

        assert payer_for(session, person, date(2026, 7, 1)) is person
        assert payer_for(session, bare, date(2026, 7, 1)) is bare  # a condominium with no administrator
        assert payer_for(session, administrator, date(2026, 7, 1)) is administrator


def test_history_keeps_every_administrator_oldest_first(db: Database) -> None:
    ids = _registry(db)
    _change_mid_year(db, ids)

    with db.read_session() as session:
        history = administrator_history(session, ids["condominium"])
        assert administrator_history(session, ids["bare_condominium"]) == []

    assert [(t.administrator_name, t.valid_from, t.valid_to) for t in history] == [
        ("Studio Bianchi", date(2025, 1, 1), date(2026, 6, 30)),
        ("Studio Verdi", date(2026, 7, 1), None),
    ]
    assert {t.condominium_id for t in history} == {ids["condominium"]}
    assert [t.administrator_id for t in history] == [ids["studio_bianchi"], ids["studio_verdi"]]


def test_administrator_ids_on_many_condominiums_at_once(db: Database) -> None:
    ids = _registry(db)
    _change_mid_year(db, ids)

    with db.read_session() as session:
        wanted = [ids["condominium"], ids["bare_condominium"]]
        assert administrator_ids_on(session, wanted, date(2026, 1, 1)) == {ids["condominium"]: ids["studio_bianchi"]}
        assert administrator_ids_on(session, wanted, date(2026, 7, 1)) == {ids["condominium"]: ids["studio_verdi"]}
        assert administrator_ids_on(session, [], date(2026, 7, 1)) == {}


def test_assigning_works_on_subjects_not_yet_saved(db: Database) -> None:
    with UnitOfWork(db) as uow:
        creditor = Creditor(name="Tree Ascensori")
        condominium = Subject(creditor=creditor, kind=SubjectKind.CONDOMINIUM, name="Condominio Nuovo")
        administrator = Subject(creditor=creditor, kind=SubjectKind.ADMINISTRATOR, name="Studio Gialli")

        term = assign_administrator(uow.session, condominium, administrator, date(2026, 2, 1))
        uow.commit()

    assert term.condominium_id == condominium.id
    assert (term.administrator_name, term.valid_from, term.valid_to) == (
        "Studio Gialli",
        date(2026, 2, 1),
        None,
    )


@pytest.mark.parametrize(
    ("condominium_key", "administrator_key", "valid_from", "message"),
    [
        ("condominium", "studio_bianchi", date(2026, 3, 1), "non si riscrive all'indietro"),
        ("condominium", "studio_bianchi", date(2026, 7, 1), "deve subentrare dopo il 01/07/2026"),
        (
            "condominium",
            "studio_verdi",
            date(2027, 1, 1),
            "Studio Verdi amministra già questo condominio dal 01/07/2026",
        ),
        ("person", "studio_bianchi", date(2027, 1, 1), "«Mario Rossi» non è registrato come condominio"),
        (
            "bare_condominium",
            "person",
            date(2027, 1, 1),
            "«Mario Rossi» non è registrato come amministratore",
        ),
        ("bare_condominium", "foreign_administrator", date(2027, 1, 1), "due enti creditori diversi"),
    ],
)
def test_nonsense_assignments_are_refused_and_change_nothing(
    db: Database, condominium_key: str, administrator_key: str, valid_from: date, message: str
) -> None:
    ids = _registry(db)
    _change_mid_year(db, ids)

    with UnitOfWork(db) as uow:
        session = uow.session
        condominium = session.get_one(Subject, ids[condominium_key])
        administrator = session.get_one(Subject, ids[administrator_key])
        with pytest.raises(InvalidInput, match=message):
            assign_administrator(session, condominium, administrator, valid_from)
        uow.commit()

    with db.read_session() as session:
        rows = session.execute(
            select(
                AdministratorAssignment.administrator_id,
                AdministratorAssignment.valid_from,
                AdministratorAssignment.valid_to,
            ).order_by(AdministratorAssignment.valid_from)
        ).all()
    assert [tuple(row) for row in rows] == [
        (ids["studio_bianchi"], date(2025, 1, 1), date(2026, 6, 30)),
        (ids["studio_verdi"], date(2026, 7, 1), None),
    ]


def test_a_new_term_may_follow_a_gap(db: Database) -> None:
    ids = _registry(db)
    with UnitOfWork(db) as uow:
        session = uow.session
        condominium = session.get_one(Subject, ids["condominium"])
        bianchi = session.get_one(Subject, ids["studio_bianchi"])
        first = assign_administrator(session, condominium, bianchi, date(2025, 1, 1))
        # the term ended without a successor (a resignation): the condominium pays for itself for a while
        session.get_one(AdministratorAssignment, first.assignment_id).valid_to = date(2025, 3, 31)
        assign_administrator(session, condominium, bianchi, date(2025, 5, 1))
        uow.commit()

    with db.read_session() as session:
        assert administrator_on(session, ids["condominium"], date(2025, 4, 15)) is None
        administrator = administrator_on(session, ids["condominium"], date(2025, 5, 1))
        assert administrator is not None and administrator.id == ids["studio_bianchi"]
