"""The default policy: Co.Sm.An's rule, which a creditor without a policy of its own gets."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Channel, DunningLevel, DunningPolicy

DEFAULT_POLICY_NAME = "Procedura standard"
_WHATSAPP_THEN_MAIL = f"{Channel.WHATSAPP},{Channel.EMAIL},{Channel.POST}"
# The first line says nothing of the debt: it is what a locked phone shows to whoever looks at it.
_LEVELS = (
    ("Promemoria scadenza", -10, _WHATSAPP_THEN_MAIL, "promemoria_scadenza",
     "Gentile {nome}, le ricordiamo una comunicazione di {ente}.\n"
     "Il {scadenza} scade il pagamento di {importo} (codice {codice})."),
    ("Primo sollecito", 20, _WHATSAPP_THEN_MAIL, "sollecito_pagamento",
     "Gentile {nome}, una comunicazione di {ente}.\n"
     "Non risulta ancora il pagamento di {importo} scaduto il {scadenza} (codice {codice})."),
    ("Secondo sollecito", 40, _WHATSAPP_THEN_MAIL, "sollecito_pagamento",
     "Gentile {nome}, una comunicazione di {ente}.\n"
     "Il pagamento di {importo} scaduto il {scadenza} (codice {codice}) risulta ancora aperto."),
    ("Sollecito PEC", 60, f"{Channel.PEC},{Channel.REGISTERED_LETTER}", None,
     "Gentile {nome},\nnonostante i precedenti solleciti non risulta il pagamento di {importo} scaduto il "
     "{scadenza} (codice {codice}). La invitiamo a provvedere entro 15 giorni."),
)  # fmt: skip


def ensure_default_policy(session: Session, creditor_id: int) -> DunningPolicy:
    """The creditor's default policy (for all kinds of credit), created with Co.Sm.An's levels if missing."""
    found = session.scalar(
        select(DunningPolicy).where(DunningPolicy.creditor_id == creditor_id, DunningPolicy.credit_kind.is_(None))
    )
    if found is not None:
        return found
    policy = DunningPolicy(creditor_id=creditor_id, name=DEFAULT_POLICY_NAME, credit_kind=None, automatic=False,
                           send_from=9 * 60, send_until=19 * 60)  # fmt: skip
    for position, (name, offset, channels, provider_template, text) in enumerate(_LEVELS, 1):
        policy.levels.append(DunningLevel(position=position, name=name, offset_days=offset, channels=channels,
                                          provider_template=provider_template, template=text))  # fmt: skip
    session.add(policy)
    session.flush()
    return policy
