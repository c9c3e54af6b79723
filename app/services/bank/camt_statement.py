"""A statement being read: its entries summed as they stream by, then its header, totals and balances checked.

The declared totals (``TxsSummry``) describe every entry of the body, pending ones included, as ISO 20022 defines
them; the balance check counts booked entries only, since only those move the booked balance.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from xml.etree.ElementTree import Element

from app.services.bank.camt_entries import (
    CamtProblem,
    EntryReading,
    Shared,
    Tags,
    amount_of,
    clean,
    money,
    namespace_of,
    read_direction,
    read_entry,
    tags_for,
)
from app.services.bank.camt_types import (
    Balance,
    BankTransaction,
    DeclaredTotals,
    Direction,
    Statement,
    StatementKind,
    euro,
    refusal,
)

_OPENING_CODES = ("OPBD", "PRCD")  # some banks give the previous closing (PRCD) in place of the opening
_CLOSING_CODE = "CLBD"
_RESEND = "il file potrebbe essere incompleto o alterato: chiedere alla banca di inviarlo di nuovo"
_INVALID = "il file non rispetta lo standard ISO 20022: chiedere alla banca di inviarne uno corretto"


class _Mismatch(CamtProblem):
    """The statement's own figures disagree; the message already says what to do."""


@dataclass(slots=True)
class _Sums:
    """Counts and sums of the body's entries, by sign, and of the booked ones."""

    entries: int = 0
    pending: int = 0
    credits: int = 0
    credit_sum: Decimal = Decimal(0)
    debits: int = 0
    debit_sum: Decimal = Decimal(0)
    booked_credit_sum: Decimal = Decimal(0)
    booked_debit_sum: Decimal = Decimal(0)

    def add(self, reading: EntryReading) -> None:
        if reading.direction is Direction.CREDIT:
            self.credits += 1
            self.credit_sum += reading.amount
            if reading.booked:
                self.booked_credit_sum += reading.amount
        else:
            self.debits += 1
            self.debit_sum += reading.amount
            if reading.booked:
                self.booked_debit_sum += reading.amount
        if not reading.booked:
            self.pending += 1


class StatementBuilder:
    """Collects the booked transactions of one ``Stmt``/``Ntfctn`` entry by entry, and checks it whole at its end."""

    def __init__(
        self, file_name: str, kind: StatementKind, number: int, message_id: str | None, shared: Shared
    ) -> None:
        self.file_name = file_name
        self.kind = kind
        self.number = number
        self.message_id = message_id
        self.shared = shared
        self.sums = _Sums()
        self.transactions: list[BankTransaction] = []
        self._claimed: set[str] = set()
        self._unreferenced: list[tuple[int, bool]] = []  # (index in transactions, entry has several details)

    @property
    def _noun(self) -> str:
        return "estratto" if self.kind is StatementKind.STATEMENT else "notifica"

    def add(self, entry: Element, t: Tags) -> None:
        """Read the next entry of the body; refuse the file, naming the entry, when it cannot be read."""
        self.sums.entries += 1
        try:
            reading = read_entry(entry, t, self.shared, self.sums.entries)
        except CamtProblem as problem:
            raise refusal(
                self.file_name,
                f"{problem}; {_INVALID}",
                statement=f"{self._noun} n. {self.number}",
                entry_number=self.sums.entries,
                entry_reference=clean(entry.findtext(t.AcctSvcrRef)),
            ) from None
        self.sums.add(reading)
        for item in reading.transactions:
            if item.bank_reference:
                item = self._claim(item, item.bank_reference)
            else:
                self._unreferenced.append((len(self.transactions), reading.several_details))
            self.transactions.append(item)

    def finish(self, container: Element) -> Statement:
        """The statement, once its header agrees with its body; otherwise the file is refused."""
        t = tags_for(namespace_of(container.tag))
        statement_id = clean(container.findtext(t.Id))
        label = f"{self._noun} «{statement_id}»" if statement_id else f"{self._noun} n. {self.number}"
        try:
            if statement_id is None:
                raise CamtProblem("manca l'identificativo (Id)")
            opening, closing = _balances(container, t, self.shared)
            totals = _declared_totals(container, t)
            _check_totals(totals, self.sums)
            balance_problem = _balance_problem(opening, closing, self.sums)
        except _Mismatch as problem:
            raise refusal(self.file_name, str(problem), statement=label) from None
        except CamtProblem as problem:
            raise refusal(self.file_name, f"{problem}; {_INVALID}", statement=label) from None
        self._complete_references(statement_id)
        return Statement(
            kind=self.kind,
            number=self.number,
            statement_id=statement_id,
            message_id=self.message_id,
            namespace=namespace_of(container.tag).strip("{}"),
            iban=_iban(container, t),
            opening_balance=opening,
            closing_balance=closing,
            declared_totals=totals,
            entry_count=self.sums.entries,
            skipped_pending=self.sums.pending,
            transactions=tuple(self.transactions),
            warnings=(f"{label}: {balance_problem}",) if balance_problem else (),
        )

    def _claim(self, item: BankTransaction, reference: str) -> BankTransaction:
        """``item`` with a reference no earlier item of the statement holds (see ``BankTransaction``)."""
        if reference in self._claimed:
            reference = f"{reference}@{item.entry_number}.{item.detail_number}"
        self._claimed.add(reference)
        return item if reference is item.bank_reference else replace(item, bank_reference=reference)

    def _complete_references(self, statement_id: str) -> None:
        # entries without any AcctSvcrRef: the statement id and the entry's position are what stays stable
        for index, several in self._unreferenced:
            item = self.transactions[index]
            base = f"{statement_id}/{item.entry_number}"
            self.transactions[index] = self._claim(item, f"{base}#{item.detail_number}" if several else base)


def _iban(container: Element, t: Tags) -> str | None:
    account = container.find(t.Acct)
    identification = account.find(t.Id) if account is not None else None
    return clean(identification.findtext(t.IBAN)) if identification is not None else None


def _balances(container: Element, t: Tags, shared: Shared) -> tuple[Balance | None, Balance | None]:
    """The opening (OPBD, else PRCD) and closing (CLBD) booked balances, each the first of its kind."""
    found: dict[str, Balance] = {}
    for node in container.findall(t.Bal):
        kind = node.find(t.Tp)
        choice = kind.find(t.CdOrPrtry) if kind is not None else None
        code = clean(choice.findtext(t.Cd)) if choice is not None else None
        if code not in (*_OPENING_CODES, _CLOSING_CODE) or code in found:
            continue
        amount, currency = money(node.find(t.Amt), f"l'importo del saldo {code}", shared)
        direction = read_direction(node.findtext(t.CdtDbtInd), f"del saldo {code}")
        day = node.find(t.Dt)
        text = (day.findtext(t.Dt) or day.findtext(t.DtTm)) if day is not None else None
        found[code] = Balance(amount, currency, direction, shared.day(text) if text else None)
    opening = next((found[code] for code in _OPENING_CODES if code in found), None)
    return opening, found.get(_CLOSING_CODE)


def _declared_totals(container: Element, t: Tags) -> DeclaredTotals | None:
    summary = container.find(t.TxsSummry)
    if summary is None:
        return None
    total = summary.find(t.TtlNtries)
    credits = summary.find(t.TtlCdtNtries)
    debits = summary.find(t.TtlDbtNtries)
    return DeclaredTotals(
        entries=_number(total, t, "movimenti"),
        entries_sum=_sum(total, t, "dei movimenti"),
        net=_net(total, t),
        credits=_number(credits, t, "accrediti"),
        credits_sum=_sum(credits, t, "degli accrediti"),
        debits=_number(debits, t, "addebiti"),
        debits_sum=_sum(debits, t, "degli addebiti"),
    )


def _number(node: Element | None, t: Tags, what: str) -> int | None:
    text = clean(node.findtext(t.NbOfNtries)) if node is not None else None
    if text is None:
        return None
    if not text.isascii() or not text.isdigit():
        raise CamtProblem(f"il riepilogo (TxsSummry) indica un numero di {what} non valido: «{text}»")
    return int(text)


def _sum(node: Element | None, t: Tags, what: str) -> Decimal | None:
    text = node.findtext(t.Sum) if node is not None else None
    return amount_of(text, f"il totale {what} nel riepilogo (TxsSummry)") if text is not None else None


def _net(total: Element | None, t: Tags) -> Decimal | None:
    """``TtlNetNtry/Amt`` with its sign (v03 on), or ``TtlNetNtryAmt`` with the sign beside it (v02)."""
    if total is None:
        return None
    holder = total.find(t.TtlNetNtry)
    text = holder.findtext(t.Amt) if holder is not None else total.findtext(t.TtlNetNtryAmt)
    if text is None:
        return None
    net = amount_of(text, "il saldo netto nel riepilogo (TxsSummry)")
    sign = (holder if holder is not None else total).findtext(t.CdtDbtInd)
    return net if read_direction(sign, "del saldo netto nel riepilogo") is Direction.CREDIT else -net


def _check_totals(totals: DeclaredTotals | None, sums: _Sums) -> None:
    if totals is None:
        return
    checks: list[tuple[str, int | Decimal | None, int | Decimal]] = [
        ("{} movimenti, ma il file ne contiene {}", totals.entries, sums.entries),
        ("movimenti per {}, ma quelli del file sommano {}", totals.entries_sum, sums.credit_sum + sums.debit_sum),
        ("un saldo netto (accrediti meno addebiti) di {}, ma i movimenti del file danno {}", totals.net,
         sums.credit_sum - sums.debit_sum),
        ("{} accrediti, ma il file ne contiene {}", totals.credits, sums.credits),
        ("accrediti per {}, ma quelli del file sommano {}", totals.credits_sum, sums.credit_sum),
        ("{} addebiti, ma il file ne contiene {}", totals.debits, sums.debits),
        ("addebiti per {}, ma quelli del file sommano {}", totals.debits_sum, sums.debit_sum),
    ]  # fmt: skip
    for claim, declared, actual in checks:
        if declared is not None and declared != actual:
            found = claim.format(_shown(declared), _shown(actual))
            raise _Mismatch(f"il riepilogo (TxsSummry) dichiara {found}; {_RESEND}")


def _balance_problem(opening: Balance | None, closing: Balance | None, sums: _Sums) -> str | None:
    # A warning, not a refusal: the balances describe the account, not this file's body (the real sample a
    # bank test suite ships does not add up), while TxsSummry, the file's own trailer, is checked strictly.
    if opening is None or closing is None:
        return None
    expected = opening.signed + sums.booked_credit_sum - sums.booked_debit_sum
    if expected == closing.signed:
        return None
    return (
        f"il saldo iniziale {euro(opening.signed)} più gli accrediti contabilizzati "
        f"{euro(sums.booked_credit_sum)} meno gli addebiti contabilizzati {euro(sums.booked_debit_sum)} fa "
        f"{euro(expected)}, ma il saldo finale dichiarato è {euro(closing.signed)}: verificare con la banca che "
        "l'estratto sia completo"
    )


def _shown(value: int | Decimal) -> str:
    return euro(value) if isinstance(value, Decimal) else f"{value:,}".replace(",", ".")
