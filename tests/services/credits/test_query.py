"""Search, filters, sorting and totals of the Credits page's query, on a real database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.models import CreditStatus, SubjectKind
from app.services.credits.query import (
    CreditFilter,
    SortKey,
    credit_totals,
    fetch_credit_rows,
    find_credit_ids,
)
from app.services.database import Database
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder


@pytest.fixture
def book(db: Database) -> dict[str, int]:
    """Two condominiums of one administrator, a person, a company; credits in several states."""
    with UnitOfWork(db) as uow:
        b = Builder(uow.session)
        admin = b.subject("Studio Bianchi Amministrazioni", SubjectKind.ADMINISTRATOR, vat_number="01234567897")
        other_admin = b.subject("Verdi Gestioni", SubjectKind.ADMINISTRATOR)
        via_roma = b.subject("Condominio Via Roma 12", SubjectKind.CONDOMINIUM, tax_code="97123450150")
        via_po = b.subject("Condominio Via Po 3", SubjectKind.CONDOMINIUM)
        rossi = b.subject("Rossi Mario", tax_code="RSSMRA80A01H501U")
        ditta = b.subject("Ditta 100% Zanetti_srl")
        b.assign(via_roma, admin, date(2020, 1, 1))
        b.assign(via_po, other_admin, date(2020, 1, 1), date(2026, 3, 31))
        b.assign(via_po, admin, date(2026, 4, 1))
        roll = b.roll("Ruolo premi 2026")
        anna = b.user("anna")
        ids = {
            "roma": b.credit(via_roma, "180.00", payer=admin, due=date(2026, 3, 31), reference="TREE-001").id,
            "po_old": b.credit(
                via_po,
                "245.50",
                payer=other_admin,
                outstanding="0.00",
                status=CreditStatus.PAID,
                due=date(2026, 1, 31),
                reference="TREE-002",
            ).id,
            "rossi": b.credit(
                rossi,
                "1234.56",
                outstanding="234.56",
                status=CreditStatus.PARTIALLY_PAID,
                roll=roll,
                collector=anna,
                due=date(2026, 5, 10),
                reference="POL-7",
            ).id,
            "ditta": b.credit(
                ditta, "99.99", status=CreditStatus.OVERDUE, due=date(2025, 12, 31), reference="FT-2025-9"
            ).id,
        }
        ids.update(creditor=b.creditor.id, admin=admin.id, roll=roll.id, anna=anna.id)
        other = Builder(uow.session, "Altro consorzio")
        other.credit(other.subject("Rossi Mario"), "50.00", reference="TREE-001")
        uow.commit()
    return ids


def _ids(db: Database, book: dict[str, int], **fields: object) -> set[int]:
    return set(find_credit_ids(db, CreditFilter(creditor_id=book["creditor"], **fields)))  # type: ignore[arg-type]


def _name(book: dict[str, int], ids: set[int]) -> set[str]:
    names = {v: k for k, v in book.items() if k not in ("creditor", "admin", "roll", "anna")}
    return {names[i] for i in ids}


def test_everything_of_the_creditor_and_nothing_of_another(db: Database, book: dict[str, int]) -> None:
    assert _name(book, _ids(db, book)) == {"roma", "po_old", "rossi", "ditta"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rossi", {"rossi"}),
        ("ROSSI", {"rossi"}),
        ("rssmra80", {"rossi"}),
        ("tree-00", {"roma", "po_old"}),
        ("Studio bianchi", {"roma"}),  # found through the payer
        ("97123450150", {"roma"}),
        ("100%", {"ditta"}),  # LIKE wildcards are taken literally
        ("_srl", {"ditta"}),
        ("nessuno", set()),
    ],
)
def test_search_by_name_tax_code_and_reference(
    db: Database, book: dict[str, int], text: str, expected: set[str]
) -> None:
    assert _name(book, _ids(db, book, text=text)) == expected


def test_filters_combine(db: Database, book: dict[str, int]) -> None:
    assert _name(book, _ids(db, book, statuses=frozenset({CreditStatus.OVERDUE}))) == {"ditta"}
    assert _name(book, _ids(db, book, due_from=date(2026, 1, 31), due_to=date(2026, 3, 31))) == {
        "roma",
        "po_old",
    }
    assert _name(book, _ids(db, book, roll_id=book["roll"])) == {"rossi"}
    assert _name(book, _ids(db, book, collector_id=book["anna"])) == {"rossi"}
    # Via Po's old credit was paid by the previous administrator but its condominium is now Bianchi's.
    assert _name(book, _ids(db, book, administrator_id=book["admin"])) == {"roma", "po_old"}
    assert _ids(db, book, administrator_id=book["admin"], statuses=frozenset({CreditStatus.PAID})) == {book["po_old"]}


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (SortKey.AMOUNT, ["ditta", "roma", "po_old", "rossi"]),
        (SortKey.STATUS, ["roma", "rossi", "ditta", "po_old"]),  # awaiting, partly paid, overdue, paid
        (SortKey.OUTSTANDING, ["po_old", "ditta", "roma", "rossi"]),
        (SortKey.DUE_DATE, ["ditta", "po_old", "roma", "rossi"]),
        (SortKey.HOLDER, ["po_old", "roma", "ditta", "rossi"]),
        (SortKey.PAYER, ["ditta", "rossi", "roma", "po_old"]),
        (SortKey.REFERENCE, ["ditta", "rossi", "roma", "po_old"]),
    ],
)
def test_sort_in_both_directions(db: Database, book: dict[str, int], key: SortKey, expected: list[str]) -> None:
    names = {v: k for k, v in book.items() if k in ("roma", "po_old", "rossi", "ditta")}
    flt = CreditFilter(creditor_id=book["creditor"])
    assert [names[i] for i in find_credit_ids(db, flt, key)] == expected
    assert [names[i] for i in find_credit_ids(db, flt, key, descending=True)] == expected[::-1]


def test_every_sort_key_runs(db: Database, book: dict[str, int]) -> None:
    flt = CreditFilter(creditor_id=book["creditor"])
    for key in SortKey:
        assert sorted(find_credit_ids(db, flt, key)) == sorted(_ids(db, book))


def test_totals_are_exact_decimals(db: Database, book: dict[str, int]) -> None:
    totals = credit_totals(db, CreditFilter(creditor_id=book["creditor"]))
    assert totals.count == 4
    assert totals.amount == Decimal("1760.05")
    assert totals.outstanding == Decimal("514.55")
    empty = credit_totals(db, CreditFilter(creditor_id=book["creditor"], text="nessuno"))
    assert (empty.count, empty.amount, empty.outstanding) == (0, Decimal("0.00"), Decimal("0.00"))


def test_rows_carry_what_the_table_shows(db: Database, book: dict[str, int]) -> None:
    rows = fetch_credit_rows(db, [book["roma"], book["rossi"], 999999])
    assert set(rows) == {book["roma"], book["rossi"]}
    roma = rows[book["roma"]]
    assert (roma.holder_name, roma.payer_name, roma.holder_tax_code) == (
        "Condominio Via Roma 12",
        "Studio Bianchi Amministrazioni",
        "97123450150",
    )
    rossi = rows[book["rossi"]]
    assert (rossi.roll_name, rossi.collector_name, rossi.outstanding) == (
        "Ruolo premi 2026",
        "Anna",
        Decimal("234.56"),
    )


@pytest.mark.parametrize("key", [SortKey.ROLL, SortKey.COLLECTOR])
def test_credits_without_roll_or_collector_come_last_both_ways(db: Database, key: SortKey) -> None:
    with UnitOfWork(db) as uow:
        b = Builder(uow.session)
        holder = b.subject("Rossi Mario")
        groups = {
            "a": (b.roll("A - Ruolo acqua"), b.user("anna")),
            "z": (b.roll("Z - Ruolo zootecnia"), b.user("zeno")),
        }
        made = {}
        for name, (roll, user) in groups.items():
            for n in range(2):
                made[f"{name}{n}"] = b.credit(holder, "1.00", roll=roll, collector=user).id
        made["none0"] = b.credit(holder, "1.00").id
        made["none1"] = b.credit(holder, "1.00").id
        uow.commit()
        creditor_id = b.creditor.id
    names = {v: k for k, v in made.items()}
    flt = CreditFilter(creditor_id=creditor_id)
    assert [names[i] for i in find_credit_ids(db, flt, key)] == ["a0", "a1", "z0", "z1", "none0", "none1"]
    assert [names[i] for i in find_credit_ids(db, flt, key, descending=True)] == [
        "z1",
        "z0",
        "a1",
        "a0",
        "none1",
        "none0",
    ]
