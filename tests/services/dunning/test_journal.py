"""The communications journal: every message filtered and paged in SQL, counted per status, with its items,
timeline and documents, and a payer's whole history; messages made by the real planner and dispatcher."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from app.models import (
    Channel,
    Communication,
    CommunicationStatus,
    CreditStatus,
    Document,
    DocumentKind,
    NoticeKind,
    NoticeStatus,
    PaymentNotice,
    Subject,
    SubjectKind,
    User,
)
from app.models.types import ROME
from app.services.database import Database
from app.services.dunning import outbox
from app.services.dunning.dispatch import dispatch
from app.services.dunning.journal import (
    CommunicationFilter,
    EventLine,
    communication_detail,
    count_by_status,
    debtor_timeline,
    fetch_communication_rows,
    find_communications,
    level_options,
    list_communications,
)
from app.services.dunning.planner import plan
from app.services.dunning.rendering import RenderedMessage
from app.services.errors import NotFound
from app.services.gateways.base import OutcomeUnknown, RefusalReason, Refused
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder

DUE = date(2027, 2, 26)  # a Friday
PLANNED_ON = DUE - timedelta(days=10)  # Tuesday 16 February 2027: the reminder ten days before
MORNING = datetime(2027, 2, 16, 10, 0, tzinfo=ROME)
CLERK = "impiegata"
VERDI_COPY = "Co/Comunicazioni/verdi.eml"  # a copy of the e-mail as sent, archived with the message


def _whatsapp(mobile: str) -> dict[str, Any]:
    return {"mobile": mobile, "whatsapp_consent": True, "whatsapp_consent_date": date(2026, 1, 1)}


class OutcomeSender:
    """A sender whose outcome depends on the payer: delivered, unless told to fail for that name."""

    provider = "fake"

    def __init__(self, outcomes: dict[str, Exception]) -> None:
        self.outcomes = outcomes
        self.delivered: list[RenderedMessage] = []

    def deliver(self, message: RenderedMessage) -> str:
        failure = self.outcomes.get(message.payer_name)
        if failure is not None:
            raise failure
        self.delivered.append(message)
        return f"id-{message.communication_id}"


@dataclass(frozen=True)
class Journal:
    """The world the tests read: the creditor, and each payer's first message and registry id."""

    creditor_id: int
    ids: dict[str, int]
    subjects: dict[str, int]


def _notice(make: Builder, holder: Subject, payer: Subject, amount: str, code: str) -> PaymentNotice:
    notice = PaymentNotice(creditor_id=make.creditor.id, holder_id=holder.id, payer_id=payer.id, kind=NoticeKind.MAV,
                           code=code, amount=Decimal(amount), due_date=DUE, status=NoticeStatus.ISSUED)  # fmt: skip
    make.session.add(notice)
    make.session.flush()
    credit = make.credit(holder, amount, payer=payer, due=DUE, status=CreditStatus.AWAITING_PAYMENT)
    credit.notice_id = notice.id
    return notice


def _payers(make: Builder) -> dict[str, Subject]:
    rossi = make.subject("Rossi Mario", **_whatsapp("+393330000001"))
    rossi_notice = _notice(make, rossi, rossi, "120.00", "01234567890123456")
    make.session.add(Document(creditor_id=make.creditor.id, kind=DocumentKind.NOTICE_PDF, sha256="0" * 64, size=10,
                              relative_path="Co/MAV/avviso-rossi.pdf", notice_id=rossi_notice.id))  # fmt: skip
    verdi = make.subject("Verdi Anna", email="anna.verdi@example.it")
    make.credit(verdi, "80.00", due=DUE, reference="F-2027-7")
    bianchi = make.subject("Bianchi Luca", **_whatsapp("+393330000002"))
    make.credit(bianchi, "50.00", due=DUE)
    neri = make.subject("Neri Sara", **_whatsapp("+393330000003"))
    make.credit(neri, "70.00", due=DUE)
    gialli = make.subject("Gialli Paolo", street="Via Po 3", postal_code="10121", city="Torino", province="TO")
    make.credit(gialli, "30.00", due=DUE)
    studio = make.subject("Studio Azzurri", SubjectKind.ADMINISTRATOR, **_whatsapp("+393330000004"))
    for number, amount in ((1, "10.00"), (2, "15.00")):
        condominium = make.subject(f"Condominio Via Roma {number}", SubjectKind.CONDOMINIUM)
        make.assign(condominium, studio, date(2020, 1, 1))
        _notice(make, condominium, studio, amount, f"9999000000000000{number}")
    return {s.name: s for s in (rossi, verdi, bianchi, neri, gialli, studio)}


def build_journal(db: Database, creditor_id: int | None = None, clerk: str = CLERK) -> Journal:
    """Six payers planned ten days before the due date; four approved and sent: two delivered, one refused, one
    of unknown outcome; a letter and an administrator's message (two condominiums) still planned."""
    with UnitOfWork(db) as uow:
        session = uow.session
        make = Builder(session, "Co.Sm.An") if creditor_id is None else Builder.for_creditor(session, creditor_id)
        if session.scalar(select(User.id).where(User.login == clerk)) is None:
            make.user(clerk)
        subjects = {name: subject.id for name, subject in _payers(make).items()}
        creditor_id = make.creditor.id
        uow.commit()
    planned = plan(db, creditor_id, PLANNED_ON)
    ids = {message.payer_name: message.communication_id for message in planned.messages}
    sending = [ids[name] for name in ("Rossi Mario", "Verdi Anna", "Bianchi Luca", "Neri Sara")]
    outbox.approve(db, sending, user_login=clerk)
    sender = OutcomeSender({
        "Bianchi Luca": Refused("numero non raggiungibile su WhatsApp", reason=RefusalReason.NOT_ON_WHATSAPP),
        "Neri Sara": OutcomeUnknown("nessuna risposta dal gestore"),
    })  # fmt: skip
    dispatch(db, {Channel.WHATSAPP: sender, Channel.EMAIL: sender}, now=MORNING)
    with UnitOfWork(db) as uow:
        copy = Document(creditor_id=creditor_id, kind=DocumentKind.OTHER, sha256="1" * 64, size=20,
                        relative_path=VERDI_COPY, communication_id=ids["Verdi Anna"])  # fmt: skip
        uow.session.add(copy)
        uow.commit()
    return Journal(creditor_id, ids, subjects)


@pytest.fixture
def journal(db: Database) -> Journal:
    return build_journal(db)


def _in_time_order(events: tuple[EventLine, ...]) -> list[tuple[str, CommunicationStatus | None, str | None]]:
    """Kind, status and user of each event, after checking they come oldest first.

    The tests replay a day in 2027 for the dispatcher while the planner and the clerk's actions stamp their
    events with the real clock, so the order across the two says nothing; each one's own order is what counts.
    """
    assert [e.at for e in events] == sorted(e.at for e in events)
    dispatched = {"sent", "failed", "unknown", "retry"}
    ordered = [e for e in events if e.kind not in dispatched] + [e for e in events if e.kind in dispatched]
    return [(e.kind, e.status, e.user_name) for e in ordered]


def _names(rows: list[Any]) -> list[str]:
    return [row.payer_name for row in rows]


def test_the_journal_lists_every_message_newest_first_with_what_it_covers(db: Database, journal: Journal) -> None:
    rows = list_communications(db, journal.creditor_id, CommunicationFilter(), offset=0, limit=50)
    assert [row.id for row in rows] == sorted(journal.ids.values(), reverse=True)
    by_name = {row.payer_name: row for row in rows}
    studio = by_name["Studio Azzurri"]
    assert (studio.channel, studio.address, studio.status) == (
        Channel.WHATSAPP, "+393330000004", CommunicationStatus.DRAFT)  # fmt: skip
    assert (studio.items, studio.amount, studio.level_name, studio.planned_on) == (
        2, Decimal("25.00"), "Promemoria scadenza", PLANNED_ON)  # fmt: skip
    assert by_name["Gialli Paolo"].channel is Channel.POST
    assert by_name["Gialli Paolo"].address == "Via Po 3, 10121 Torino (TO)"
    assert by_name["Verdi Anna"].channel is Channel.EMAIL and by_name["Verdi Anna"].sent_at is not None
    assert by_name["Bianchi Luca"].status is CommunicationStatus.FAILED
    assert "non raggiungibile" in (by_name["Bianchi Luca"].error or "")
    assert by_name["Neri Sara"].status is CommunicationStatus.UNKNOWN
    # pages follow one another without gaps or repeats
    pages = [list_communications(db, journal.creditor_id, CommunicationFilter(), offset=o, limit=4) for o in (0, 4)]
    assert [row.id for page in pages for row in page] == [row.id for row in rows]
    # the ids with their statuses, and the rows fetched by id, say the same
    pairs = find_communications(db, journal.creditor_id, CommunicationFilter())
    assert pairs == [(row.id, row.status) for row in rows]
    assert fetch_communication_rows(db, [studio.id, 999999]) == {studio.id: studio}


def test_filters_narrow_the_journal(db: Database, journal: Journal) -> None:
    def names(**fields: Any) -> set[str]:
        flt = CommunicationFilter(**fields)
        return set(_names(list_communications(db, journal.creditor_id, flt, offset=0, limit=50)))

    assert names(statuses=frozenset({CommunicationStatus.DRAFT})) == {"Gialli Paolo", "Studio Azzurri"}
    assert names(statuses=frozenset({CommunicationStatus.FAILED, CommunicationStatus.UNKNOWN})) == {
        "Bianchi Luca", "Neri Sara"}  # fmt: skip
    assert names(channels=frozenset({Channel.EMAIL, Channel.POST})) == {"Verdi Anna", "Gialli Paolo"}
    first, second, *_ = level_options(db, journal.creditor_id)
    assert (first.name, second.name) == ("Promemoria scadenza", "Primo sollecito")
    assert len(names(level_ids=frozenset({first.id}))) == 6 and names(level_ids=frozenset({second.id})) == set()
    # the text is part of the payer's name (any case) or of the address
    assert names(text="rOSSI") == {"Rossi Mario"}
    assert names(text="example.it") == {"Verdi Anna"}
    assert names(text="Torino") == {"Gialli Paolo"}
    assert names(text="100%") == set()
    assert names(planned_from=PLANNED_ON, planned_to=PLANNED_ON) == set(journal.ids)
    assert names(planned_from=PLANNED_ON + timedelta(days=1)) == set()
    assert names(subject_id=journal.subjects["Neri Sara"]) == {"Neri Sara"}


def test_the_sending_date_is_a_day_in_rome(db: Database, journal: Journal) -> None:
    # GIVEN a message sent at 23:30 UTC on 1 March, which is 00:30 on 2 March in Rome
    with UnitOfWork(db) as uow:
        uow.session.execute(update(Communication).where(Communication.id == journal.ids["Rossi Mario"])
                            .values(sent_at=datetime(2027, 3, 1, 23, 30, tzinfo=UTC)))  # fmt: skip
        uow.commit()

    def names(day: date) -> set[str]:
        flt = CommunicationFilter(sent_from=day, sent_to=day)
        return set(_names(list_communications(db, journal.creditor_id, flt, offset=0, limit=50)))

    # THEN it counts on 2 March, not on 1 March; the unsent ones are on no day
    assert names(date(2027, 3, 2)) == {"Rossi Mario"}
    assert names(date(2027, 3, 1)) == set()
    (verdi,) = list_communications(db, journal.creditor_id, CommunicationFilter(text="Verdi"), offset=0, limit=5)
    assert verdi.sent_at is not None
    assert names(verdi.sent_at.astimezone(ROME).date()) == {"Verdi Anna"}


def test_counts_per_status_ignore_the_status_chosen(db: Database, journal: Journal) -> None:
    everything = count_by_status(db, journal.creditor_id, CommunicationFilter())
    assert set(everything) == set(CommunicationStatus)
    assert {status: n for status, n in everything.items() if n} == {
        CommunicationStatus.SENT: 2, CommunicationStatus.FAILED: 1, CommunicationStatus.UNKNOWN: 1,
        CommunicationStatus.DRAFT: 2}  # fmt: skip
    whatsapp = CommunicationFilter(channels=frozenset({Channel.WHATSAPP}),
                                   statuses=frozenset({CommunicationStatus.SENT}))  # fmt: skip
    assert {status: n for status, n in count_by_status(db, journal.creditor_id, whatsapp).items() if n} == {
        CommunicationStatus.SENT: 1, CommunicationStatus.FAILED: 1, CommunicationStatus.UNKNOWN: 1,
        CommunicationStatus.DRAFT: 1}  # fmt: skip


def test_the_detail_has_the_items_the_timeline_and_the_documents(db: Database, journal: Journal) -> None:
    studio = communication_detail(db, journal.ids["Studio Azzurri"])
    assert [(i.holder_name, i.code, i.due_date, i.amount, i.is_notice) for i in studio.items] == [
        ("Condominio Via Roma 1", "99990000000000001", DUE, Decimal("10.00"), True),
        ("Condominio Via Roma 2", "99990000000000002", DUE, Decimal("15.00"), True),
    ]
    assert [(e.kind, e.status) for e in studio.events] == [("planned", CommunicationStatus.DRAFT)]

    rossi = communication_detail(db, journal.ids["Rossi Mario"])
    assert _in_time_order(rossi.events) == [
        ("planned", CommunicationStatus.DRAFT, None),
        ("approve", CommunicationStatus.QUEUED, "Impiegata"),
        ("sent", CommunicationStatus.SENT, None),
    ]
    assert (rossi.provider, rossi.provider_id) == ("fake", f"id-{rossi.row.id}")
    assert [(d.kind, d.relative_path) for d in rossi.documents] == [(DocumentKind.NOTICE_PDF,
                                                                     "Co/MAV/avviso-rossi.pdf")]  # fmt: skip

    verdi = communication_detail(db, journal.ids["Verdi Anna"])
    assert [(i.code, i.is_notice) for i in verdi.items] == [("F-2027-7", False)]
    assert [d.relative_path for d in verdi.documents] == [VERDI_COPY]
    with pytest.raises(NotFound):
        communication_detail(db, 999999)


def test_a_clerks_actions_show_in_the_journal(db: Database, journal: Journal) -> None:
    neri, gialli, bianchi = (journal.ids[name] for name in ("Neri Sara", "Gialli Paolo", "Bianchi Luca"))
    assert outbox.resolve_unknown(db, [neri], resend=False, user_login=CLERK) == 1
    assert outbox.cancel(db, [gialli], user_login=CLERK) == 1
    assert outbox.retry(db, [bianchi], user_login=CLERK) == 1
    rows = fetch_communication_rows(db, [neri, gialli, bianchi])
    assert (rows[neri].status, rows[gialli].status, rows[bianchi].status) == (
        CommunicationStatus.SENT, CommunicationStatus.CANCELLED, CommunicationStatus.QUEUED)  # fmt: skip
    (settled,) = [e for e in communication_detail(db, neri).events if e.kind == "mark_sent"]
    assert (settled.status, settled.user_name) == (CommunicationStatus.SENT, "Impiegata")


def test_a_payers_timeline_holds_all_their_messages_in_time_order(db: Database, journal: Journal) -> None:
    # GIVEN Neri's first reminder settled by hand, and a second level planned after the due date
    first = journal.ids["Neri Sara"]
    outbox.resolve_unknown(db, [first], resend=False, user_login=CLERK)
    later = plan(db, journal.creditor_id, DUE + timedelta(days=20))
    (second,) = [m.communication_id for m in later.messages if m.payer_name == "Neri Sara"]
    # WHEN her timeline is read
    timeline = debtor_timeline(db, journal.subjects["Neri Sara"])
    # THEN both messages are there, and every event of both, oldest first
    assert timeline.payer_name == "Neri Sara"
    assert [(c.id, c.level_name) for c in timeline.communications] == [(first, "Promemoria scadenza"),
                                                                       (second, "Primo sollecito")]  # fmt: skip
    assert [e.at for e in timeline.events] == sorted(e.at for e in timeline.events)
    # the dispatcher's event is on the day it was replayed; the others are on the clock of this run
    assert [(e.communication_id, e.kind) for e in timeline.events if e.kind != "unknown"] == [
        (first, "planned"), (first, "approve"), (first, "mark_sent"), (second, "planned")]  # fmt: skip
    assert [(e.communication_id, e.kind) for e in timeline.events if e.kind == "unknown"] == [(first, "unknown")]
    with pytest.raises(NotFound):
        debtor_timeline(db, 999999)
