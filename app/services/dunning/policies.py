"""Dunning policies as a clerk edits them: read as plain drafts, validated whole, saved whole or not at all
(their texts are previewed by policy_preview)."""

from __future__ import annotations

import json
import re
import string
from dataclasses import asdict, dataclass
from decimal import Decimal
from itertools import combinations
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from app.models import (
    AuditEvent,
    Channel,
    CommunicationItem,
    CreditKind,
    Creditor,
    DunningLevel,
    DunningPolicy,
)
from app.services.database import Database, read_session
from app.services.dunning.defaults import ensure_default_policy
from app.services.dunning.rendering import PLACEHOLDERS
from app.services.errors import InvalidInput, NotFound
from app.services.rolls.states import user_id_of
from app.services.unit_of_work import UnitOfWork

ZERO = Decimal("0.00")
DAY_MINUTES = 24 * 60
NAME_LENGTH = 100
CHANNEL_NAMES = {Channel.WHATSAPP: "WhatsApp", Channel.EMAIL: "e-mail", Channel.PEC: "PEC", Channel.POST: "posta",
                 Channel.REGISTERED_LETTER: "raccomandata A/R"}  # fmt: skip
KIND_NAMES = {CreditKind.INVOICE: "fatture", CreditKind.POLICY: "polizze", CreditKind.INSTALMENT: "rate",
              CreditKind.OTHER: "altri crediti"}  # fmt: skip
# What a locked phone shows of a message is its first line, to whoever picks the phone up: it must not say that
# the recipient owes anything. These placeholders and words would.
REVEALING_PLACEHOLDERS = ("importo", "codice", "scadenza", "condomini")
_REVEALING_WORDS = re.compile(
    r"€|\b(debit[oi]|insolut[oiae]|sollecit\w*|pagament[oi]|pagare|scadut[oiae]|import[oi]|mora|moros\w*|"
    r"arretrat[oiae]|euro)\b",
    re.IGNORECASE,
)
NEUTRAL_EXAMPLE = "Gentile {nome}, una comunicazione di {ente}."


@dataclass(frozen=True)
class LevelDraft:
    """One level as edited; ``id`` is the stored level it changes (None, or another policy's: a new level)."""

    name: str
    offset_days: int
    channels: tuple[str, ...]
    template: str
    provider_template: str | None = None
    min_outstanding: Decimal = ZERO
    id: int | None = None


@dataclass(frozen=True)
class PolicyDraft:
    """A policy as edited: ``credit_kind`` None is the creditor's default; hours are minutes after midnight."""

    creditor_id: int
    name: str
    credit_kind: CreditKind | None = None
    automatic: bool = False
    send_from: int = 9 * 60
    send_until: int = 19 * 60
    levels: tuple[LevelDraft, ...] = ()
    id: int | None = None


@dataclass(frozen=True)
class PolicySummary:
    """One line of the creditor's policies."""

    id: int
    name: str
    credit_kind: CreditKind | None
    automatic: bool
    send_from: int
    send_until: int
    levels: int


class PolicyInvalid(InvalidInput):
    """A policy that cannot be saved; ``problems`` lists every reason, each naming its level and field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


def describe_offset(days: int) -> str:
    """``-10`` → "10 giorni prima della scadenza", ``1`` → "1 giorno dopo la scadenza", ``0`` → the due date."""
    if days == 0:
        return "il giorno della scadenza"
    unit = "giorno" if abs(days) == 1 else "giorni"
    return f"{abs(days)} {unit} {'prima della' if days < 0 else 'dopo la'} scadenza"


def hours_text(minutes: int) -> str:
    """Minutes after midnight as "09:30"."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def first_line(text: str) -> str:
    """The line a locked phone shows of ``text``: its first one that is not blank."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def revealing_terms(line: str) -> list[str]:
    """What in ``line`` tells that someone owes money: "{importo}", "«sollecito»", "«€»" (none: it is neutral)."""
    fields = set(re.findall(r"\{([^{}!:]*)[^{}]*\}", line))  # {importo}, also as {importo:>10} or {importo!s}
    terms = [f"{{{name}}}" for name in REVEALING_PLACEHOLDERS if name in fields]
    words = re.sub(r"\{[^{}]*\}", " ", line)
    return terms + [f"«{word}»" for word in dict.fromkeys(m.group(0).lower() for m in _REVEALING_WORDS.finditer(words))]


def template_problems(template: str) -> list[str]:
    """What is wrong with a level's text: empty, unbalanced braces, unknown placeholders, a first line that
    reveals the debt. Needs no database, so an editor can check as the clerk types."""
    if not template.strip():
        return ["è vuoto"]
    if not braces_pair(template):
        return ["ha una parentesi graffa spaiata: i segnaposto si scrivono fra graffe, come {nome}"]
    fields = [field for _literal, field, _spec, _conv in string.Formatter().parse(template) if field is not None]
    known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    problems = [f"segnaposto sconosciuto {{{field}}}; quelli disponibili sono {known}"
                for field in dict.fromkeys(fields) if field not in PLACEHOLDERS]  # fmt: skip
    line = first_line(template)
    revealing = revealing_terms(line)
    if revealing:
        problems.append(
            f"la prima riga «{line}» rivela il debito ({', '.join(revealing)}): è ciò che un telefono bloccato mostra "
            f"a chiunque lo guardi. Lasciarla neutra (per esempio «{NEUTRAL_EXAMPLE}») e scrivere importo, codice e "
            "scadenza dalla seconda riga in poi"
        )
    return problems


def braces_pair(template: str) -> bool:
    try:
        list(string.Formatter().parse(template))
    except ValueError:
        return False
    return True


def policy_problems(draft: PolicyDraft) -> list[str]:
    """Every reason ``draft`` cannot be saved that the draft alone shows (the database's are checked on save)."""
    problems = []
    if not draft.name.strip():
        problems.append("Nome della procedura: indicarne uno.")
    elif len(draft.name.strip()) > NAME_LENGTH:
        problems.append(f"Nome della procedura: al massimo {NAME_LENGTH} caratteri.")
    if not 0 <= draft.send_from < draft.send_until <= DAY_MINUTES:
        problems.append(f"Orari di invio: l'inizio ({hours_text(draft.send_from)}) deve venire prima della fine "
                        f"({hours_text(draft.send_until)}), entro la giornata.")  # fmt: skip
    if not draft.levels:
        problems.append("Livelli: la procedura non ne ha; aggiungerne almeno uno.")
    for number, level in enumerate(draft.levels, 1):
        problems += _level_problems(_label(number, level), level)
    seen: dict[int, tuple[int, LevelDraft]] = {}
    for number, level in enumerate(draft.levels, 1):
        if level.offset_days in seen:
            other_number, other = seen[level.offset_days]
            problems.append(f"{_label(other_number, other)} e {_label(number, level)}, giorni dalla scadenza: "
                            f"entrambi {describe_offset(level.offset_days)}; ogni livello deve cadere in un giorno "
                            "diverso.")  # fmt: skip
        else:
            seen[level.offset_days] = (number, level)
    return problems


def _label(number: int, level: LevelDraft) -> str:
    return f"Livello {number} «{level.name.strip()}»" if level.name.strip() else f"Livello {number}"


def _level_problems(label: str, level: LevelDraft) -> list[str]:
    problems = []
    if not level.name.strip():
        problems.append(f"{label}, nome: indicarne uno.")
    elif len(level.name.strip()) > NAME_LENGTH:
        problems.append(f"{label}, nome: al massimo {NAME_LENGTH} caratteri.")
    problems += [f"{label}, canali: {problem}." for problem in _channel_problems(level.channels)]
    if Channel.WHATSAPP.value in level.channels and not (level.provider_template or "").strip():
        problems.append(f"{label}, modello WhatsApp: WhatsApp invia solo i modelli approvati dal fornitore; indicare "
                        "il nome del modello approvato.")  # fmt: skip
    elif len((level.provider_template or "").strip()) > NAME_LENGTH:
        problems.append(f"{label}, modello WhatsApp: al massimo {NAME_LENGTH} caratteri.")
    if level.min_outstanding < 0:
        problems.append(f"{label}, importo minimo: non può essere negativo.")
    elif level.min_outstanding != level.min_outstanding.quantize(Decimal("0.01")):
        problems.append(f"{label}, importo minimo: al centesimo, non oltre.")
    problems += [f"{label}, testo: {problem}." for problem in template_problems(level.template)]
    return problems


def _channel_problems(channels: tuple[str, ...]) -> list[str]:
    if not channels:
        return ["indicarne almeno uno"]
    known = {channel.value for channel in Channel}
    listing = ", ".join(f"{channel.value} ({CHANNEL_NAMES[channel]})" for channel in Channel)
    problems = [f"«{name}» non è un canale; i canali sono {listing}" for name in channels if name not in known]
    repeated = [name for name in dict.fromkeys(channels) if channels.count(name) > 1]
    problems += [f"«{name}» compare più di una volta" for name in repeated]
    return problems


def list_policies(db: Database, creditor_id: int) -> list[PolicySummary]:
    """The creditor's policies, the default (for every kind of credit) first; the default is created with
    Co.Sm.An's levels if the creditor has none yet, since it is the one the planner would use."""
    _ensure_default(db, creditor_id)
    with read_session(db) as session:
        policies = session.scalars(select(DunningPolicy).where(DunningPolicy.creditor_id == creditor_id)
                                   .options(selectinload(DunningPolicy.levels)))  # fmt: skip
        found = [PolicySummary(p.id, p.name, p.credit_kind, p.automatic, p.send_from, p.send_until, len(p.levels))
                 for p in policies]  # fmt: skip
    kinds = list(CreditKind)
    return sorted(found, key=lambda p: (p.credit_kind is not None, kinds.index(p.credit_kind) if p.credit_kind else 0,
                                        p.name.lower()))  # fmt: skip


def _ensure_default(db: Database, creditor_id: int) -> None:
    with read_session(db) as session:
        has_default = session.scalar(_defaults(creditor_id).limit(1))
    if has_default is None:  # a write only the first time: listing must not queue behind other writers
        with UnitOfWork(db) as uow:
            creditor_of(uow.session, creditor_id)
            ensure_default_policy(uow.session, creditor_id)
            uow.commit()


def load_policy(db: Database, policy_id: int) -> PolicyDraft:
    """The stored policy as a draft, its levels in order; NotFound if it no longer exists."""
    with read_session(db) as session:
        return _draft(_policy(session, policy_id))


def find_policy(db: Database, creditor_id: int, name: str) -> PolicyDraft:
    """The creditor's policy called ``name`` (case aside; the default one exists, as for :func:`list_policies`);
    NotFound, listing the names there are, otherwise."""
    _ensure_default(db, creditor_id)
    with read_session(db) as session:
        policies = list(session.scalars(select(DunningPolicy).where(DunningPolicy.creditor_id == creditor_id)
                                        .order_by(DunningPolicy.id)))  # fmt: skip
        match = [p for p in policies if p.name.lower() == name.strip().lower()]
        if not match:
            names = ", ".join(f"«{p.name}»" for p in policies) or "nessuna"
            raise NotFound(f"Procedura di sollecito «{name}» non trovata. Procedure dell'ente: {names}.")
        return _draft(match[0])


def _defaults(creditor_id: int) -> Select[Any]:
    return select(DunningPolicy.id).where(DunningPolicy.creditor_id == creditor_id, DunningPolicy.credit_kind.is_(None))


def creditor_of(session: Session, creditor_id: int, lock: bool = False) -> Creditor:
    creditor = session.get(Creditor, creditor_id, with_for_update=lock)
    if creditor is None:
        raise NotFound(f"L'ente creditore n. {creditor_id} non esiste più.")
    return creditor


def _policy(session: Session, policy_id: int) -> DunningPolicy:
    policy = session.get(DunningPolicy, policy_id, options=[selectinload(DunningPolicy.levels)])
    if policy is None:
        raise NotFound(f"La procedura di sollecito n. {policy_id} non esiste più.")
    return policy


def _draft(policy: DunningPolicy) -> PolicyDraft:
    levels = tuple(
        LevelDraft(level.name, level.offset_days, tuple(p.strip() for p in level.channels.split(",") if p.strip()),
                   level.template, level.provider_template, level.min_outstanding, level.id)
        for level in sorted(policy.levels, key=lambda level: level.position)
    )  # fmt: skip
    return PolicyDraft(policy.creditor_id, policy.name, policy.credit_kind, policy.automatic, policy.send_from,
                       policy.send_until, levels, policy.id)  # fmt: skip


def save_policy(db: Database, draft: PolicyDraft, *, user_login: str | None) -> int:
    """Validate the whole draft and store it (a new policy when ``draft.id`` is None); returns the policy's id.

    Levels are stored in order of their days from the due date and numbered again; a level left out is deleted.
    Raises PolicyInvalid listing every problem, and then nothing is written.
    """
    problems = policy_problems(draft)
    if problems:
        raise PolicyInvalid(problems)
    with UnitOfWork(db) as uow:
        session = uow.session
        # Serializes two clerks saving the same creditor's policies, so the one-default rule holds.
        creditor_of(session, draft.creditor_id, lock=True)
        if draft.credit_kind is not None:
            ensure_default_policy(session, draft.creditor_id)
        policy = _policy(session, draft.id) if draft.id is not None else None
        if policy is not None and policy.creditor_id != draft.creditor_id:
            raise NotFound(f"La procedura di sollecito n. {draft.id} non è di questo ente.")
        problems = _stored_problems(session, draft, policy)
        if problems:
            raise PolicyInvalid(problems)
        created = policy is None
        policy = policy or DunningPolicy(creditor_id=draft.creditor_id)
        _write(session, policy, draft)
        _audit(session, user_login, "dunning_policy.create" if created else "dunning_policy.update", policy.id,
               _details(_draft(policy)))  # fmt: skip
        uow.commit()
        return policy.id


def _stored_problems(session: Session, draft: PolicyDraft, policy: DunningPolicy | None) -> list[str]:
    others = [p for p in session.scalars(select(DunningPolicy).where(DunningPolicy.creditor_id == draft.creditor_id))
              if policy is None or p.id != policy.id]  # fmt: skip
    problems = [f"Nome della procedura: l'ente ha già una procedura «{p.name}»; sceglierne un altro."
                for p in others if p.name.lower() == draft.name.strip().lower()]  # fmt: skip
    for other in others:
        if other.credit_kind == draft.credit_kind:
            served = f"per le {KIND_NAMES[other.credit_kind]}" if other.credit_kind else "predefinita (tutti i tipi)"
            problems.append(f"Tipo di credito: l'ente ha già la procedura {served} «{other.name}»; modificare quella "
                            "o scegliere un altro tipo.")  # fmt: skip
    demoted = policy is not None and policy.credit_kind is None and draft.credit_kind is not None
    if policy is not None and demoted and not any(other.credit_kind is None for other in others):
        problems.append(f"Tipo di credito: «{policy.name}» è la procedura predefinita dell'ente, che vale per i "
                        "crediti senza una procedura del loro tipo, e deve restare per tutti i tipi; per un solo "
                        "tipo di credito crearne una nuova.")  # fmt: skip
    return problems + (_used_level_problems(session, draft, policy) if policy is not None else [])


def _used_level_problems(session: Session, draft: PolicyDraft, policy: DunningPolicy) -> list[str]:
    """A level reminders were planned at stays, and keeps its place among the others: the planner tells how far a
    credit got by the position of the last level planned for it."""
    uses: dict[int, int] = dict(session.execute(
        select(CommunicationItem.level_id, func.count())
        .where(CommunicationItem.level_id.in_([level.id for level in policy.levels]))
        .group_by(CommunicationItem.level_id)
    ).all())  # fmt: skip
    wanted = {level.id: level for level in draft.levels if level.id is not None}
    problems = [f"Livello «{level.name}»: ha già {_reminders(uses[level.id])} e non si può "
                "togliere; modificarlo invece."
                for level in policy.levels if level.id in uses and level.id not in wanted]  # fmt: skip
    kept = sorted((level for level in policy.levels if level.id in wanted), key=lambda level: level.position)
    for first, second in combinations(kept, 2):
        if wanted[first.id].offset_days > wanted[second.id].offset_days and {first.id, second.id} & uses.keys():
            problems.append(f"Livelli «{wanted[first.id].name}» e «{wanted[second.id].name}», giorni dalla scadenza: "
                            "non possono scambiarsi di posto, perché ci sono già solleciti pianificati o inviati a "
                            "questi livelli; aggiungere piuttosto un livello nuovo.")  # fmt: skip
    return problems


def _reminders(count: int) -> str:
    return "1 sollecito pianificato o inviato" if count == 1 else f"{count} solleciti pianificati o inviati"


def _write(session: Session, policy: DunningPolicy, draft: PolicyDraft) -> None:
    policy.name, policy.credit_kind, policy.automatic = draft.name.strip(), draft.credit_kind, draft.automatic
    policy.send_from, policy.send_until = draft.send_from, draft.send_until
    session.add(policy)
    existing = {level.id: level for level in policy.levels}
    kept = {wanted.id for wanted in draft.levels}
    for level in [level for level in policy.levels if level.id not in kept]:
        policy.levels.remove(level)
    session.flush()
    # Positions are unique per policy and checked row by row: park the kept levels out of the way first.
    for level in policy.levels:
        level.position = -level.id
    session.flush()
    for position, wanted in enumerate(sorted(draft.levels, key=lambda level: level.offset_days), 1):
        # pop: a draft naming one stored level twice gets it once, and a new level for the other
        stored = existing.pop(wanted.id) if wanted.id in existing else None
        level = stored or DunningLevel()
        if stored is None:
            policy.levels.append(level)
        level.position, level.name, level.offset_days = position, wanted.name.strip(), wanted.offset_days
        level.channels, level.template = ",".join(wanted.channels), wanted.template
        level.provider_template = (wanted.provider_template or "").strip() or None
        level.min_outstanding = wanted.min_outstanding
    session.flush()


def _details(draft: PolicyDraft) -> dict[str, Any]:
    details = asdict(draft)
    details["credit_kind"] = draft.credit_kind.value if draft.credit_kind else None
    for level in details["levels"]:
        level["min_outstanding"] = str(level["min_outstanding"])
        level["channels"] = list(level["channels"])
    return details


def _audit(session: Session, login: str | None, action: str, policy_id: int, details: dict[str, Any]) -> None:
    text = json.dumps(details, ensure_ascii=False, sort_keys=True)
    session.add(AuditEvent(user_id=user_id_of(session, login), action=action, entity="dunning_policy",
                           entity_id=policy_id, details=text))  # fmt: skip


def delete_policy(db: Database, policy_id: int, *, user_login: str | None) -> None:
    """Delete a policy; refused for the creditor's only default policy and for one whose levels were used."""
    with UnitOfWork(db) as uow:
        session = uow.session
        policy = _policy(session, policy_id)
        creditor_of(session, policy.creditor_id, lock=True)
        defaults = len(session.scalars(_defaults(policy.creditor_id)).all())
        if policy.credit_kind is None and defaults <= 1:
            raise InvalidInput(f"«{policy.name}» è la procedura predefinita dell'ente, che vale per ogni credito "
                               "senza una procedura del suo tipo: non si può eliminare, solo modificare.")  # fmt: skip
        level_ids = [level.id for level in policy.levels]
        used = session.scalar(select(func.count()).where(CommunicationItem.level_id.in_(level_ids))) or 0
        if used:
            raise InvalidInput(f"«{policy.name}» ha già {_reminders(used)}: non si può eliminare, "
                               "serve a ricostruire che cosa è stato mandato.")  # fmt: skip
        _audit(session, user_login, "dunning_policy.delete", policy.id, _details(_draft(policy)))
        session.delete(policy)
        uow.commit()
