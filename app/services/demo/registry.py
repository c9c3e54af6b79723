"""The demo registry (anagrafica): persons, companies, condominiums and the administrators who manage them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from app.models import Channel, SubjectKind
from app.services.bulk import IdAllocator
from app.services.demo import catalog
from app.services.demo.catalog import Town
from app.services.demo.identity import Serials, entity_number, mailbox, mobile_number, person_tax_code

# Shares of the condominiums held by the few large studios; every other administrator has a handful.
LARGE_STUDIO_SHARES = (0.05, 0.035, 0.025, 0.015, 0.01)
LARGE_STUDIO_MINIMUM = (20, 15, 12, 10, 8)
SMALL_PORTFOLIOS = (1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 8, 10, 12)


@dataclass(frozen=True)
class Change:
    """A condominium that changed administrator on ``day``: ``old`` until the day before, ``new`` from it."""

    condominium_id: int
    day: date
    old: int
    new: int


@dataclass
class Registry:
    """The subjects generated so far, as rows ready to insert, with what the credits need to know of them."""

    creditor_id: int
    now: datetime
    subject_rows: list[dict[str, Any]] = field(default_factory=list)
    assignment_rows: list[dict[str, Any]] = field(default_factory=list)
    town_of: dict[int, int] = field(default_factory=dict)  # subject id → index in catalog.TOWNS
    names: dict[int, str] = field(default_factory=dict)
    administrator_of: dict[int, int] = field(default_factory=dict)  # condominium → current administrator
    changes: dict[int, Change] = field(default_factory=dict)
    open_assignment: dict[int, dict[str, Any]] = field(default_factory=dict)
    kinds: dict[SubjectKind, int] = field(default_factory=dict)

    def payer_on(self, holder_id: int, day: date) -> int:
        """Who pays a credit of ``holder_id`` issued on ``day``: its administrator then, else the holder."""
        change = self.changes.get(holder_id)
        if change is not None and day < change.day:
            return change.old
        return self.administrator_of.get(holder_id, holder_id)


class RegistryBuilder:
    """Makes subjects with valid codici fiscali and partite IVA, realistic names, addresses and contacts."""

    def __init__(self, rng: random.Random, ids: IdAllocator, registry: Registry, today: date) -> None:
        self._rng = rng
        self._ids = ids
        self.registry = registry
        self._today = today
        self._vat_serials = Serials(rng, 1_000_000, 8_999_999)
        self._entity_serials = Serials(rng, 9_000_000, 9_999_999)  # codici fiscali of bodies without VAT
        self._tax_codes: set[str] = set()
        self._addresses: set[tuple[str, int, int]] = set()

    def _town(self) -> tuple[int, Town]:
        index = self._rng.randrange(len(catalog.TOWNS))
        return index, catalog.TOWNS[index]

    def _street(self, town_index: int, *, unique: bool = False) -> tuple[str, int]:
        """A street and house number; ``unique`` for buildings, which are named after their address."""
        while True:
            street, number = self._rng.choice(catalog.STREETS), self._rng.randint(1, 180)
            if not unique:
                return street, number
            if (street, number, town_index) not in self._addresses:
                self._addresses.add((street, number, town_index))
                return street, number

    def _add(self, kind: SubjectKind, name: str, town_index: int, **fields: Any) -> int:
        subject_id = self._ids.next()
        town = catalog.TOWNS[town_index]
        street = fields.pop("street", None)
        if street is None:
            street = "{} {}".format(*self._street(town_index))
        row = {
            "id": subject_id, "creditor_id": self.registry.creditor_id, "kind": kind, "name": name,
            "tax_code": None, "vat_number": None, "tax_code_problem": None, "vat_number_problem": None,
            "street": street, "postal_code": town.postal_code, "city": town.name, "province": town.province,
            "country": "IT", "mobile": None, "email": None, "pec": None, "whatsapp_consent": False,
            "whatsapp_consent_date": None, "preferred_channel": Channel.POST, "notes": None,
            "created_at": self.registry.now, "updated_at": self.registry.now,
        }  # fmt: skip
        row.update(fields)
        self.registry.subject_rows.append(row)
        self.registry.town_of[subject_id] = town_index
        self.registry.names[subject_id] = name
        self.registry.kinds[kind] = self.registry.kinds.get(kind, 0) + 1
        return subject_id

    def _contacts(self, local: str, *, mobile: float, email: float, pec: float, whatsapp: float) -> dict[str, Any]:
        """Mobile, e-mail, PEC and WhatsApp consent, each present with the given probability."""
        rng = self._rng
        if rng.random() < 0.6:
            local += str(rng.randint(1, 99))  # mario.rossi72@…: the plain name is usually taken
        fields: dict[str, Any] = {
            "mobile": mobile_number(rng, catalog.MOBILE_PREFIXES) if rng.random() < mobile else None,
            "email": f"{local}@{rng.choice(catalog.EMAIL_DOMAINS)}" if rng.random() < email else None,
            "pec": f"{local}@{rng.choice(catalog.PEC_DOMAINS)}" if rng.random() < pec else None,
        }
        if fields["mobile"] and rng.random() < whatsapp:
            fields["whatsapp_consent"] = True
            fields["whatsapp_consent_date"] = self._today - timedelta(days=rng.randint(10, 1200))
        fields["preferred_channel"] = (
            Channel.WHATSAPP
            if fields.get("whatsapp_consent")
            else Channel.PEC
            if fields["pec"]
            else Channel.EMAIL
            if fields["email"]
            else Channel.POST
        )
        return fields

    def _unique_person_code(self, surname: str, first: str, female: bool, birthplace: Town) -> str:
        rng = self._rng
        while True:
            birth = date(rng.randint(1938, 2002), rng.randint(1, 12), rng.randint(1, 28))
            code = person_tax_code(surname, first, birth, female, birthplace.cadastral_code)
            if code not in self._tax_codes:
                self._tax_codes.add(code)
                return code

    def person(self, *, vat_share: float = 0.0) -> int:
        """A private person (a farmer holding policies, say); some have a partita IVA."""
        rng = self._rng
        female = rng.random() < 0.45
        first = rng.choice(catalog.FEMALE_NAMES if female else catalog.MALE_NAMES)
        surname = rng.choice(catalog.SURNAMES)
        town_index, town = self._town()
        birthplace = town if rng.random() < 0.7 else rng.choice(catalog.TOWNS)
        vat = entity_number(self._vat_serials.next(), town.tax_office) if rng.random() < vat_share else None
        return self._add(
            SubjectKind.PERSON,
            f"{surname} {first}",
            town_index,
            tax_code=self._unique_person_code(surname, first, female, birthplace),
            vat_number=vat,
            **self._contacts(mailbox(first, surname), mobile=0.7, email=0.55, pec=0.05, whatsapp=0.45),
        )

    def company(self, *, farm: bool) -> int:
        """A company: a farm (policies) or a business owning a building with a lift; CF = partita IVA."""
        rng = self._rng
        town_index, town = self._town()
        surname = rng.choice(catalog.SURNAMES)
        if farm:
            name = f"Azienda Agricola {rng.choice(catalog.FARM_WORDS)} {rng.choice(catalog.FARM_FORMS)}"
        else:
            name = f"{rng.choice(catalog.COMPANY_WORDS)} {surname} {rng.choice(catalog.COMPANY_FORMS)}"
        number = entity_number(self._vat_serials.next(), town.tax_office)
        local = mailbox("amministrazione", surname) if not farm else mailbox("info", surname, "agricola")
        return self._add(
            SubjectKind.COMPANY,
            name,
            town_index,
            tax_code=number,
            vat_number=number,
            **self._contacts(local, mobile=0.4, email=0.8, pec=0.9, whatsapp=0.2),
        )

    def condominium(self) -> int:
        """A condominium named after its address, with the 11-digit codice fiscale of a body without VAT."""
        town_index, town = self._town()
        street, number = self._street(town_index, unique=True)
        code = entity_number(self._entity_serials.next(), town.tax_office)
        return self._add(
            SubjectKind.CONDOMINIUM,
            f"Condominio {street} {number}",
            town_index,
            street=f"{street} {number}",
            tax_code=code,
        )

    def administrator(self, town_index: int, *, studio: bool) -> int:
        """An administrator: a studio (a company) or a professional with codice fiscale and partita IVA."""
        rng = self._rng
        town = catalog.TOWNS[town_index]
        surname = rng.choice(catalog.SURNAMES)
        vat = entity_number(self._vat_serials.next(), town.tax_office)
        contacts = self._contacts(mailbox("studio", surname), mobile=0.95, email=1.0, pec=0.85, whatsapp=0.5)
        if studio:
            name = f"Studio {surname} Amministrazioni Condominiali {rng.choice(('s.r.l.', 's.a.s.', 's.n.c.'))}"
            return self._add(SubjectKind.ADMINISTRATOR, name, town_index, tax_code=vat, vat_number=vat, **contacts)
        female = rng.random() < 0.4
        first = rng.choice(catalog.FEMALE_NAMES if female else catalog.MALE_NAMES)
        code = self._unique_person_code(surname, first, female, town)
        return self._add(
            SubjectKind.ADMINISTRATOR,
            f"{surname} {first}",
            town_index,
            tax_code=code,
            vat_number=vat,
            **contacts,
        )


def portfolio_sizes(condominiums: int, rng: random.Random) -> list[int]:
    """How many condominiums each administrator manages: a few large studios, then many small portfolios."""
    sizes: list[int] = []
    left = condominiums
    for share, minimum in zip(LARGE_STUDIO_SHARES, LARGE_STUDIO_MINIMUM, strict=True):
        size = min(left, max(round(condominiums * share), minimum))
        if size <= 0 or condominiums < 100:
            break
        sizes.append(size)
        left -= size
    while left > 0:
        size = min(left, rng.choice(SMALL_PORTFOLIOS))
        sizes.append(size)
        left -= size
    return sizes


def assign_administrators(
    builder: RegistryBuilder, condominiums: list[int], rng: random.Random, today: date, change_day: date
) -> None:
    """Give every condominium an administrator; one in twelve changes administrator around ``change_day``."""
    registry = builder.registry
    # Neighbouring condominiums (same town) go to the same administrator, as in real portfolios.
    ordered = sorted(condominiums, key=lambda c: registry.town_of[c])
    administrators = _portfolios(builder, ordered, rng)
    since_latest = today - timedelta(days=800)
    for condominium in ordered:
        since = since_latest - timedelta(days=rng.randint(0, 5000))
        _assignment(registry, condominium, registry.administrator_of[condominium], since, None)
    if len(administrators) < 2:
        return
    for condominium in rng.sample(ordered, max(1, len(ordered) // 12)):
        old = registry.administrator_of[condominium]
        new = next(a for a in rng.sample(administrators, min(3, len(administrators))) if a != old)
        day = change_day + timedelta(days=rng.randint(-30, 30))
        _change_administrator(registry, condominium, old, new, day)


def _portfolios(builder: RegistryBuilder, ordered: list[int], rng: random.Random) -> list[int]:
    registry = builder.registry
    administrators: list[int] = []
    start = 0
    for index, size in enumerate(portfolio_sizes(len(ordered), rng)):
        portfolio = ordered[start : start + size]
        start += size
        studio = index < len(LARGE_STUDIO_SHARES) or rng.random() < 0.4
        administrator = builder.administrator(registry.town_of[portfolio[0]], studio=studio)
        administrators.append(administrator)
        for condominium in portfolio:
            registry.administrator_of[condominium] = administrator
    return administrators


def _change_administrator(registry: Registry, condominium: int, old: int, new: int, day: date) -> None:
    # The assemblea elects a new administrator: the old mandate ends the day before the new one starts.
    registry.open_assignment[condominium]["valid_to"] = day - timedelta(days=1)
    _assignment(registry, condominium, new, day, None)
    registry.administrator_of[condominium] = new
    registry.changes[condominium] = Change(condominium, day, old, new)


def _assignment(registry: Registry, condominium: int, administrator: int, since: date, until: date | None) -> None:
    row = {
        "condominium_id": condominium,
        "administrator_id": administrator,
        "valid_from": since,
        "valid_to": until,
    }
    registry.assignment_rows.append(row)
    registry.open_assignment[condominium] = row
