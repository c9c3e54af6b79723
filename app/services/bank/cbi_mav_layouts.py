"""The records of CBI MAV flows (and of Ri.Ba. flows, which share their skeleton), field by field.

Positions are those of the format specification (formats.md, section 1), 1-based and inclusive. Where a
record means something else in the bank's return flow, a `_RETURN` layout names the other fields.
"""

from __future__ import annotations

from app.services.bank.cbi_records import Field, FieldKind, RecordLayout


def _f(name: str, label: str, start: int, end: int, kind: FieldKind = FieldKind.TEXT) -> Field:
    return Field(name, label, start, end, kind)


_CODE, _NUMBER = FieldKind.CODE, FieldKind.NUMBER
_PROGRESSIVE = _f("progressive", "numero progressivo", 4, 10, _NUMBER)
_HEAD = (
    _f("sender", "mittente", 4, 8, _CODE),
    _f("receiver", "ricevente", 9, 13, _CODE),
    _f("created_on", "data di creazione", 14, 19, _CODE),
    _f("support_name", "nome supporto", 20, 39, _CODE),
)
_HEADER_TAIL = (
    _f("flow_type", "tipo flusso", 105, 105, _CODE),
    _f("flow_qualifier", "qualificatore flusso", 106, 106, _CODE),
    _f("vehicle", "soggetto veicolatore", 107, 111, _CODE),
    _f("currency", "codice divisa", 114, 114, _CODE),
)
IM = RecordLayout("IM", [*_HEAD, *_HEADER_TAIL])
IB = RecordLayout("IB", [*_HEAD, *_HEADER_TAIL])
EF = RecordLayout(
    "EF",
    [
        *_HEAD,
        _f("disposition_count", "numero disposizioni", 46, 52, _NUMBER),
        _f("negative_total", "totale importi negativi", 53, 67, _NUMBER),
        _f("positive_total", "totale importi positivi", 68, 82, _NUMBER),
        _f("record_count", "numero record", 83, 89, _NUMBER),
        _f("currency", "codice divisa", 114, 114, _CODE),
    ],
)
_R14_HEAD = (
    _PROGRESSIVE,
    _f("due_date", "data di scadenza", 23, 28, _CODE),
    _f("causale", "causale", 29, 33, _CODE),
    _f("amount", "importo", 34, 46, _NUMBER),
    _f("sign", "segno", 47, 47, _CODE),
)
_R14_TAIL = (
    _f("creditor_sia", "codice SIA del creditore", 92, 96, _CODE),
    _f("debtor_code_type", "tipo codice del debitore", 97, 97, _CODE),
    _f("debtor_code", "codice del debitore", 98, 113, _CODE),
    _f("currency", "codice divisa", 120, 120, _CODE),
)
R14 = RecordLayout(
    "14",
    [
        *_R14_HEAD,
        _f("bank_abi", "ABI della banca assuntrice", 48, 52, _CODE),
        _f("bank_cab", "CAB della banca assuntrice", 53, 57, _CODE),
        _f("account", "conto del creditore", 58, 69, _CODE),
        *_R14_TAIL,
    ],
)
R14_RETURN = RecordLayout(
    "14",
    [
        *_R14_HEAD,
        _f("bank_abi", "ABI della banca esattrice", 48, 52, _CODE),
        _f("bank_cab", "CAB della banca esattrice", 53, 57, _CODE),
        _f("assuntrice_abi", "ABI della banca assuntrice", 70, 74, _CODE),
        _f("assuntrice_cab", "CAB della banca assuntrice", 75, 79, _CODE),
        _f("assuntrice_account", "conto del creditore", 80, 91, _CODE),
        *_R14_TAIL,
    ],
)
R16 = RecordLayout(
    "16",
    [
        _PROGRESSIVE,
        _f("country", "paese dell'IBAN", 11, 12, _CODE),
        _f("check_digits", "cifre di controllo dell'IBAN", 13, 14, _CODE),
        _f("cin", "CIN", 15, 15, _CODE),
        _f("abi", "ABI dell'IBAN", 16, 20, _CODE),
        _f("cab", "CAB dell'IBAN", 21, 25, _CODE),
        _f("account", "conto dell'IBAN", 26, 37, _CODE),
    ],
)
R20 = RecordLayout(
    "20",
    [
        _PROGRESSIVE,
        *(_f(f"creditor_{n}", f"descrizione del creditore, riga {n}", 24 * n - 13, 24 * n + 10) for n in range(1, 5)),
    ],
)
R30 = RecordLayout(
    "30",
    [
        _PROGRESSIVE,
        _f("debtor_name", "nome del debitore", 11, 70),
        _f("tax_code", "codice fiscale del debitore", 71, 86, _CODE),
    ],
)
R40 = RecordLayout(
    "40",
    [
        _PROGRESSIVE,
        _f("address", "indirizzo del debitore", 11, 40),
        _f("postcode", "CAP del debitore", 41, 45, _CODE),
        _f("town", "comune e provincia del debitore", 46, 70),
        _f("address_extra", "completamento dell'indirizzo", 71, 98),
        _f("country", "paese del debitore", 99, 100, _CODE),
    ],
)
R50 = RecordLayout(
    "50",
    [
        _PROGRESSIVE,
        _f("reason_1", "causale del debito, riga 1", 11, 50),
        _f("reason_2", "causale del debito, riga 2", 51, 90),
    ],
)
_R51_HEAD = (
    _PROGRESSIVE,
    _f("reference", "numero disposizione", 11, 20, _NUMBER),
    _f("mav_code", "codice MAV", 75, 86, _CODE),
)
R51 = RecordLayout("51", _R51_HEAD)
R51_RETURN = RecordLayout(
    "51",
    [
        *_R51_HEAD,
        _f("fees", "commissioni", 87, 91, _NUMBER),
        _f("value_date", "data valuta di addebito", 92, 97, _CODE),
        _f("bank_reference", "riferimento della banca", 98, 109, _CODE),
        _f("payment_date", "data effettiva di pagamento", 110, 115, _CODE),
    ],
)
R59 = RecordLayout(
    "59",
    [
        _PROGRESSIVE,
        _f("slip_text_1", "testo del bollettino, riga 1", 11, 65),
        _f("slip_text_2", "testo del bollettino, riga 2", 66, 120),
    ],
)
R70 = RecordLayout(
    "70",
    [
        _PROGRESSIVE,
        _f("slip_type", "tipo bollettino", 94, 94, _CODE),
        _f("control_keys", "chiavi di controllo", 101, 120, _CODE),
    ],
)
