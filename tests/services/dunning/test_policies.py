"""Editing dunning policies: validated whole, saved whole or not at all, previewed with a real credit, and what
the planner then plans."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.models import (
    AuditEvent,
    Channel,
    CreditKind,
    CreditStatus,
    DunningLevel,
    DunningPolicy,
    NoticeKind,
    NoticeStatus,
    PaymentNotice,
    SubjectKind,
)
from app.services.database import Database
from app.services.dunning.defaults import DEFAULT_POLICY_NAME
from app.services.dunning.planner import plan
from app.services.dunning.policies import (
    LevelDraft,
    PolicyDraft,
    PolicyInvalid,
    delete_policy,
    describe_offset,
    find_policy,
    first_line,
    list_policies,
    load_policy,
    save_policy,
    template_problems,
)
from app.services.dunning.policy_preview import preview_candidates, preview_level
from app.services.errors import InvalidInput, NotFound
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder

DUE = date(2027, 2, 26)  # a Friday
NEUTRAL = "Gentile {nome}, una comunicazione di {ente}.\nDa pagare {importo} entro il {scadenza} (codice {codice})."


def _creditor(db: Database, name: str = "Co.Sm.An") -> int:
    with UnitOfWork(db) as uow:
        creditor_id = Builder(uow.session, name).creditor.id
        uow.commit()
    return creditor_id


def _level(name: str = "Primo sollecito", offset: int = 20, **fields: object) -> LevelDraft:
    values: dict[str, object] = {"channels": (Channel.EMAIL.value,), "template": NEUTRAL, **fields}
    return LevelDraft(name=name, offset_days=offset, **values)  # type: ignore[arg-type]


def _draft(creditor_id: int, *levels: LevelDraft, **fields: object) -> PolicyDraft:
    values: dict[str, object] = {"name": "Fatture", "credit_kind": CreditKind.INVOICE, **fields}
    return PolicyDraft(creditor_id=creditor_id, levels=levels or (_level(),), **values)  # type: ignore[arg-type]


def _default(db: Database, creditor_id: int) -> PolicyDraft:
    (summary,) = [p for p in list_policies(db, creditor_id) if p.credit_kind is None]
    return load_policy(db, summary.id)


def _refusal(db: Database, draft: PolicyDraft) -> str:
    with pytest.raises(PolicyInvalid) as refused:
        save_policy(db, draft, user_login=None)
    return str(refused.value)


def test_the_default_policy_is_listed_first_and_loads_as_a_plain_draft(db: Database) -> None:
    creditor_id = _creditor(db)
    save_policy(db, _draft(creditor_id), user_login=None)
    listed = list_policies(db, creditor_id)
    assert [(p.name, p.credit_kind, p.levels) for p in listed] == [
        (DEFAULT_POLICY_NAME, None, 4), ("Fatture", CreditKind.INVOICE, 1)]  # fmt: skip
    default = load_policy(db, listed[0].id)
    assert [(level.name, level.offset_days) for level in default.levels] == [
        ("Promemoria scadenza", -10), ("Primo sollecito", 20), ("Secondo sollecito", 40), ("Sollecito PEC", 60),
    ]  # fmt: skip
    assert default.levels[0].channels == ("whatsapp", "email", "post")
    assert default.levels[0].provider_template == "promemoria_scadenza"
    assert all(not template_problems(level.template) for level in default.levels)  # the shipped texts pass
    assert find_policy(db, creditor_id, "procedura STANDARD") == default
    with pytest.raises(NotFound, match="Procedure dell'ente: «Procedura standard», «Fatture»"):
        find_policy(db, creditor_id, "Polizze")


def test_saving_sorts_levels_by_days_renumbers_them_keeps_their_ids_and_records_who(db: Database) -> None:
    creditor_id = _creditor(db)
    with UnitOfWork(db) as uow:
        Builder.for_creditor(uow.session, creditor_id).user("anna")
        uow.commit()
    default = _default(db, creditor_id)
    reminder, _first, second, pec = default.levels
    # GIVEN the second reminder moved after the PEC, a new level before the due date, the first one dropped
    levels = (replace(second, offset_days=75), pec, _level("Avviso", -3), reminder)
    save_policy(db, replace(default, levels=levels, automatic=True), user_login="anna")
    saved = load_policy(db, default.id or 0)
    assert [(level.name, level.offset_days) for level in saved.levels] == [
        ("Promemoria scadenza", -10), ("Avviso", -3), ("Sollecito PEC", 60), ("Secondo sollecito", 75)]  # fmt: skip
    assert [level.id for level in saved.levels][:1] + [level.id for level in saved.levels][2:] == [
        reminder.id, pec.id, second.id]  # fmt: skip
    assert saved.automatic
    with db.read_session() as session:
        positions = session.scalars(select(DunningLevel.position).where(DunningLevel.policy_id == default.id)
                                    .order_by(DunningLevel.position)).all()  # fmt: skip
        event = session.scalars(select(AuditEvent).where(AuditEvent.entity == "dunning_policy")).one()
    assert positions == [1, 2, 3, 4]
    assert (event.action, event.entity_id, event.user_id is not None) == ("dunning_policy.update", default.id, True)
    details = json.loads(event.details or "{}")
    assert details["automatic"] is True and [lv["name"] for lv in details["levels"]][1] == "Avviso"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "  "}, "Nome della procedura: indicarne uno."),
        ({"send_from": 19 * 60, "send_until": 9 * 60},
         "Orari di invio: l'inizio (19:00) deve venire prima della fine (09:00)"),
        ({"levels": ()}, "Livelli: la procedura non ne ha"),
        ({"levels": (_level("Primo", 20), _level("Bis", 20))},
         "Livello 1 «Primo» e Livello 2 «Bis», giorni dalla scadenza: entrambi 20 giorni dopo la scadenza"),
        ({"levels": (_level(""),)}, "Livello 1, nome: indicarne uno."),
        ({"levels": (_level(channels=("email", "fax")),)},
         "Livello 1 «Primo sollecito», canali: «fax» non è un canale; i canali sono whatsapp (WhatsApp), "
         "email (e-mail), pec (PEC), post (posta), registered_letter (raccomandata A/R)."),
        ({"levels": (_level(channels=()),)}, "Livello 1 «Primo sollecito», canali: indicarne almeno uno."),
        ({"levels": (_level(channels=("email", "email")),)}, "canali: «email» compare più di una volta."),
        ({"levels": (_level(channels=("pec", "whatsapp")),)},
         "Livello 1 «Primo sollecito», modello WhatsApp: WhatsApp invia solo i modelli approvati dal fornitore"),
        ({"levels": (_level(min_outstanding=Decimal("-1.00")),)},
         "Livello 1 «Primo sollecito», importo minimo: non può essere negativo."),
        ({"levels": (_level(template="Gentile {nome},\nda pagare {totale}."),)},
         "Livello 1 «Primo sollecito», testo: segnaposto sconosciuto {totale}; quelli disponibili sono {nome}, "
         "{ente}, {importo}, {scadenza}, {codice}, {condomini}."),
        ({"levels": (_level(template="Gentile {nome,\nda pagare."),)}, "testo: ha una parentesi graffa spaiata"),
        ({"levels": (_level(template="   "),)}, "Livello 1 «Primo sollecito», testo: è vuoto."),
    ],
)  # fmt: skip
def test_each_rule_refuses_with_a_message_naming_level_and_field(
    db: Database, change: dict[str, object], message: str
) -> None:
    creditor_id = _creditor(db)
    assert message in _refusal(db, replace(_draft(creditor_id), **change))  # type: ignore[arg-type]
    with db.read_session() as session:  # nothing written
        assert session.scalars(select(DunningPolicy.name)).all() == []


@pytest.mark.parametrize(
    ("line", "revealed"),
    [
        ("Gentile {nome}, devi {importo}", "{importo}"),
        ("{nome}: codice {codice}", "{codice}"),
        ("Scade il {scadenza}", "{scadenza}"),
        ("Gentile {nome}: {importo:>10}", "{importo}"),
        ("{condomini}", "{condomini}"),
        ("SOLLECITO per {nome}", "«sollecito»"),
        ("Gentile {nome}, un debito con {ente}", "«debito»"),
        ("Pagamento insoluto", "«pagamento», «insoluto»"),
        ("Il termine è scaduto", "«scaduto»"),
        ("L'importo da versare", "«importo»"),
        ("Devi 120 €", "«€»"),
    ],
)
def test_a_first_line_that_reveals_the_debt_is_refused(line: str, revealed: str) -> None:
    (problem,) = template_problems(f"\n{line}\nSeconda riga con {{importo}}.")
    assert problem.startswith(f"la prima riga «{line}» rivela il debito ({revealed})")
    assert "Gentile {nome}, una comunicazione di {ente}." in problem


def test_days_read_as_a_clerk_says_them() -> None:
    assert [describe_offset(days) for days in (-10, -1, 0, 1, 20)] == [
        "10 giorni prima della scadenza", "1 giorno prima della scadenza", "il giorno della scadenza",
        "1 giorno dopo la scadenza", "20 giorni dopo la scadenza"]  # fmt: skip


def test_what_may_follow_the_first_line_and_what_a_first_line_may_say() -> None:
    assert template_problems("Gentile {nome}, comunicazione importante di {ente}.\n{importo} scaduto, {codice}") == []
    assert first_line("\n  \n  Gentile {nome}\nIl resto") == "Gentile {nome}"


def test_a_first_line_that_reveals_the_debt_stops_the_save(db: Database) -> None:
    creditor_id = _creditor(db)
    draft = _draft(creditor_id, _level(template="Sollecito di pagamento: {importo}\nGrazie."))
    message = _refusal(db, draft)
    assert message.startswith("Livello 1 «Primo sollecito», testo: la prima riga «Sollecito di pagamento: {importo}» "
                              "rivela il debito ({importo}, «sollecito», «pagamento»)")  # fmt: skip


def test_one_default_policy_one_per_kind_and_unique_names(db: Database) -> None:
    creditor_id = _creditor(db)
    default = _default(db, creditor_id)
    save_policy(db, _draft(creditor_id), user_login=None)
    assert "l'ente ha già la procedura predefinita (tutti i tipi) «Procedura standard»" in _refusal(
        db, _draft(creditor_id, name="Altra", credit_kind=None))  # fmt: skip
    assert "l'ente ha già la procedura per le fatture «Fatture»" in _refusal(db, _draft(creditor_id, name="Bis"))
    assert "l'ente ha già una procedura «Fatture»" in _refusal(
        db, _draft(creditor_id, name="fatture", credit_kind=CreditKind.POLICY))  # fmt: skip
    # the only default cannot become a policy for one kind: credits of the other kinds would have none
    assert "è la procedura predefinita dell'ente" in _refusal(db, replace(default, credit_kind=CreditKind.POLICY))
    other_creditor = _creditor(db, "TREE")  # another creditor's names and kinds do not clash
    save_policy(db, _draft(other_creditor), user_login=None)


def test_a_kind_policy_saved_first_gives_the_creditor_its_default_too(db: Database) -> None:
    creditor_id = _creditor(db)
    save_policy(db, _draft(creditor_id), user_login=None)
    with db.read_session() as session:
        kinds = session.scalars(select(DunningPolicy.credit_kind).where(DunningPolicy.creditor_id == creditor_id))
        assert set(kinds) == {CreditKind.INVOICE, None}


def test_delete_refuses_the_only_default_and_a_used_policy(db: Database) -> None:
    creditor_id = _creditor(db)
    default = _default(db, creditor_id)
    with pytest.raises(InvalidInput, match="è la procedura predefinita dell'ente"):
        delete_policy(db, default.id or 0, user_login=None)
    spare = save_policy(db, _draft(creditor_id, name="Rate", credit_kind=CreditKind.INSTALMENT), user_login=None)
    delete_policy(db, spare, user_login=None)
    assert [p.name for p in list_policies(db, creditor_id)] == [DEFAULT_POLICY_NAME]
    with db.read_session() as session:
        assert session.scalars(select(AuditEvent.action)).all()[-1] == "dunning_policy.delete"
    # a policy whose levels were planned stays: it tells what was sent
    invoices = save_policy(db, _draft(creditor_id, _level("Avviso", -10)), user_login=None)
    with UnitOfWork(db) as uow:
        make = Builder.for_creditor(uow.session, creditor_id)
        make.credit(make.subject("Rossi Mario", email="m@example.it"), "50.00", due=DUE)
        uow.commit()
    assert len(plan(db, creditor_id, DUE - timedelta(days=10)).messages) == 1
    with pytest.raises(InvalidInput, match="ha già 1 sollecito pianificato o inviato: non si può eliminare"):
        delete_policy(db, invoices, user_login=None)
    used = load_policy(db, invoices)
    message = _refusal(db, replace(used, levels=(_level("Nuovo", 30),)))
    assert "Livello «Avviso»: ha già 1 sollecito pianificato o inviato e non si può togliere" in message


def test_a_level_already_planned_keeps_its_place_among_the_others(db: Database) -> None:
    creditor_id = _creditor(db)
    with UnitOfWork(db) as uow:
        make = Builder.for_creditor(uow.session, creditor_id)
        make.credit(make.subject("Rossi Mario", email="m@example.it"), "50.00", due=DUE)
        uow.commit()
    assert [m.level for m in plan(db, creditor_id, DUE + timedelta(days=20)).messages] == ["Primo sollecito"]
    default = _default(db, creditor_id)
    reminder, first, second, pec = default.levels
    # moving the planned level past the next one would make the planner think the credit got that far
    message = _refusal(db, replace(default, levels=(reminder, replace(first, offset_days=45), second, pec)))
    assert message == ("Livelli «Primo sollecito» e «Secondo sollecito», giorni dalla scadenza: non possono "
                       "scambiarsi di posto, perché ci sono già solleciti pianificati o inviati a questi livelli; "
                       "aggiungere piuttosto un livello nuovo.")  # fmt: skip
    # moving it within its place, or adding a level between, is fine; and the next run plans the new level
    extra = _level("Sollecito telefonico", 30)
    save_policy(db, replace(default, levels=(reminder, replace(first, offset_days=25), extra, second, pec)),
                user_login=None)  # fmt: skip
    assert [m.level for m in plan(db, creditor_id, DUE + timedelta(days=32)).messages] == ["Sollecito telefonico"]


def _administrator_world(db: Database) -> int:
    """An administrator paying for three condominiums (one on an issued MAV), and a private person."""
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Co.Sm.An")
        rossi = make.subject("Rossi Mario")
        make.credit(rossi, "40.00", reference="R-1", due=DUE)
        bianchi = make.subject("Studio Bianchi", SubjectKind.ADMINISTRATOR)
        for number, amount in enumerate(("10.00", "11.50", "1234.00"), 1):
            condo = make.subject(f"Condominio {number}", SubjectKind.CONDOMINIUM)
            make.assign(condo, bianchi, date(2020, 1, 1))
            credit = make.credit(condo, amount, payer=bianchi, reference=f"B-{number}", due=DUE)
        notice = PaymentNotice(creditor_id=make.creditor.id, holder_id=condo.id, payer_id=bianchi.id,
                               kind=NoticeKind.MAV, code="01234567890123456", amount=Decimal("1234.00"),
                               due_date=DUE, status=NoticeStatus.ISSUED)  # fmt: skip
        make.session.add(notice)
        make.session.flush()
        credit.notice_id = notice.id
        make.credit(rossi, "99.00", reference="R-PAID", outstanding="0.00", status=CreditStatus.PAID, due=DUE)
        creditor_id = make.creditor.id
        uow.commit()
    return creditor_id


def test_preview_fills_the_text_with_a_real_credit_and_an_administrators_condominiums(db: Database) -> None:
    creditor_id = _administrator_world(db)
    text = "Gentile {nome}, una comunicazione di {ente}.\nTotale {importo}, scadenza {scadenza}, codici {codice}.\n"
    # by default, the administrator whose message lists the most condominiums
    shown = preview_level(db, creditor_id, text + "{condomini}")
    assert shown == (
        "Gentile Studio Bianchi, una comunicazione di Co.Sm.An.\n"
        "Totale 1.255,50 €, scadenza 26/02/2027, codici B-1, B-2, 01234567890123456.\n"
        "- Condominio 1: 10,00 € (codice B-1)\n- Condominio 2: 11,50 € (codice B-2)\n"
        "- Condominio 3: 1.234,00 € (codice 01234567890123456)"
    )
    candidates = preview_candidates(db, creditor_id)
    assert [(c.payer_name, c.holders) for c in candidates] == [("Studio Bianchi", 3), ("Rossi Mario", 1)]
    (rossi,) = preview_candidates(db, creditor_id, "r-1")
    assert (rossi.reference, rossi.outstanding) == ("R-1", Decimal("40.00"))
    assert preview_level(db, creditor_id, text + "{condomini}", rossi.credit_id) == (
        "Gentile Rossi Mario, una comunicazione di Co.Sm.An.\nTotale 40,00 €, scadenza 26/02/2027, codici R-1.\n"
    )
    assert preview_candidates(db, creditor_id, "R-PAID") == []  # paid credits are no example of a reminder
    with pytest.raises(InvalidInput, match="parentesi graffa"):
        preview_level(db, creditor_id, "Gentile {nome")
    with pytest.raises(NotFound):
        preview_level(db, _creditor(db, "TREE"), text, rossi.credit_id)


def test_preview_without_any_unpaid_credit_uses_invented_data(db: Database) -> None:
    creditor_id = _creditor(db)
    assert preview_level(db, creditor_id, "{nome}: {condomini}").startswith(
        "Studio Rossi (esempio): - Condominio Via Roma 1 (esempio): 120,00 €")  # fmt: skip


def test_a_saved_policy_changes_what_the_planner_plans(db: Database) -> None:
    creditor_id = _creditor(db)
    with UnitOfWork(db) as uow:
        make = Builder.for_creditor(uow.session, creditor_id)
        rossi = make.subject("Rossi Mario", email="mario@example.it", pec="mario@pec.it")
        make.credit(rossi, "120.00", due=DUE)  # an invoice
        make.credit(rossi, "30.00", due=DUE).kind = CreditKind.POLICY
        uow.commit()
    # GIVEN invoices get their own policy: a PEC three days after the due date, only above 100 euro
    pec_level = _level("Diffida via PEC", 3, channels=("pec", "email"), min_outstanding=Decimal("100.00"))
    save_policy(db, _draft(creditor_id, pec_level, automatic=True), user_login=None)
    # ...and the default one reminds 4 days before instead of 10
    default = _default(db, creditor_id)
    first = replace(default.levels[0], name="Avviso", offset_days=-4, channels=("email",))
    save_policy(db, replace(default, levels=(first, *default.levels[1:])), user_login=None)
    # WHEN planning ten and four days before, and three days after the due date
    assert plan(db, creditor_id, DUE - timedelta(days=10)).messages == []
    before = plan(db, creditor_id, DUE - timedelta(days=4)).messages
    after = plan(db, creditor_id, DUE + timedelta(days=3)).messages
    # THEN the policy credit gets the default's new first level; the invoice, the PEC, queued without approval
    assert [(m.level, m.channel, m.amount, m.status.value) for m in before] == [
        ("Avviso", Channel.EMAIL, Decimal("30.00"), "draft")]  # fmt: skip
    assert [(m.level, m.channel, m.amount, m.status.value) for m in after] == [
        ("Diffida via PEC", Channel.PEC, Decimal("120.00"), "queued")]  # fmt: skip
