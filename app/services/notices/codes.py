"""The codes a payment notice carries: pagoPA notice numbers and QR, Poste DataMatrix, RF references, EPC QR.

Pure functions: each either returns the code in its standard spelling or raises InvalidInput with a message a
clerk can act on; the ``check_*`` functions return that message instead of raising. Amounts are Decimal and
are never rounded here: an amount with fractions of a cent is refused, since the rounding belongs upstream.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import segno
from stdnum import bic as stdnum_bic
from stdnum import iso11649

from app.services import identity
from app.services.errors import InvalidInput

NOTICE_LENGTH = 18
RF_BODY_MAX = 21
# Letters then digits: a body splits back into (prefix, id) one way only, so no two notices share an RF.
RF_PREFIX_MAX = 6
RF_ID_WIDTH = 10

_DIGITS = frozenset("0123456789")
_ALPHANUMERIC = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_CENTRAL_SEGREGATION_CODES = range(96, 100)  # SACI table 1: Interior Ministry, Unioncamere, ACI
_PAGOPA_CENTS_DIGITS = 10  # io-ts-commons, which the IO app reads QR codes with, accepts 1-10 digits
_EPC_MIN = Decimal("0.01")
_EPC_MAX = Decimal("999999999.99")
_EPC_MAX_BYTES = 331
_POSTE_FILLER = " " * 12

_RF_BODY = re.compile(r"[A-Za-z0-9]{1,21}")
_RF_PREFIX = re.compile(r"[A-Z]{1,6}")
_RF_FOR_NOTICE = re.compile(r"RF[0-9]{2}([A-Z]{1,6})([0-9]{10,})")
# In remittance text a reference may be spaced in groups of four ("RF18 5390 0754 7034") or wrapped.
_RF_START = re.compile(r"(?<![A-Z0-9])RF\s?([0-9])\s?([0-9])")
_RF_CHUNK = re.compile(r"\s*([A-Z0-9]+)")
_DIGIT_GROUPS = re.compile(r"[0-9]+(?:\s+[0-9]+)*")
_DARK_RUN = re.compile("1+")
_BIT_TEXT = bytes.maketrans(b"\x00\x01", b"01")
_ERROR_LEVELS = frozenset("lmqh")
_ASCII_FALLBACK = str.maketrans(
    {"ß": "ss", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d",
     "Ł": "L", "ł": "l", "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "€": "EUR"}
)  # fmt: skip


# pagoPA notice numbers


def make_notice_number(aux_digit: int, prefix_code: str, sequence: int) -> str:
    """An 18-digit pagoPA notice number: aux digit (0 or 3), application or segregation code, IUV base, check.

    The IUV base is ``sequence`` zero-padded to 13 digits; the check digits are the 16 digits before them
    (aux digit included) mod 93, as SACI §2.2.2 prescribes for aux 0, 2 and 3. Raises InvalidInput otherwise.
    """
    if aux_digit not in (0, 3):
        raise InvalidInput(
            f"Codici avviso con prima cifra {aux_digit} non gestiti: CreditDesk crea codici avviso con prima cifra "
            "0 (con codice applicazione) o 3 (con codice di segregazione)."
        )
    label = "codice applicazione" if aux_digit == 0 else "codice di segregazione"
    if len(prefix_code) != 2 or not set(prefix_code) <= _DIGITS:
        raise InvalidInput(f"Il {label} «{prefix_code}» deve essere di 2 cifre (ad esempio 01).")
    if aux_digit == 3 and int(prefix_code) in _CENTRAL_SEGREGATION_CODES:
        raise InvalidInput(
            f"Il codice di segregazione {prefix_code} è riservato ai servizi centralizzati (96-99): "
            "usare quello assegnato all'ente o al suo intermediario (00-49)."
        )
    if isinstance(sequence, bool) or not 0 <= sequence < 10**13:
        raise InvalidInput(
            f"Il progressivo {sequence} non sta nelle 13 cifre della base IUV: deve andare da 0 a 9999999999999."
        )
    head = f"{aux_digit}{prefix_code}{sequence:013d}"
    return head + _mod93(head)


def check_notice_number(number: str) -> str | None:
    """None when ``number`` (spaces allowed) is a well-formed notice number, else an Italian reason.

    Aux 0, 2 and 3 numbers must carry the right check digits; aux 1 numbers have none, so any 18 digits do.
    """
    code = _compact(number)
    if not code:
        return "codice avviso mancante"
    label = f"codice avviso {code}"
    for position, character in enumerate(code, start=1):
        if character not in _DIGITS:
            return f"{label}: in posizione {position} c'è «{character}», dovrebbe esserci una cifra"
    if len(code) != NOTICE_LENGTH:
        return f"{label}: {len(code)} cifre, ne servono {NOTICE_LENGTH}"
    if code[0] not in "0123":
        return f"{label}: la prima cifra è {code[0]}, può essere solo 0, 1, 2 o 3"
    # The expected digits are not shown: they would invite "fixing" a mistyped number instead of copying it again.
    if code[0] != "1" and code[16:] != _mod93(code[:16]):
        return f"{label}: le cifre di controllo non corrispondono (una cifra è sbagliata, scambiata o mancante)"
    return None


def iuv_of(number: str) -> str:
    """The IUV inside a valid notice number: 15 digits for aux 0 (after the application code), else 17."""
    code = _require_notice(number)
    return code[3:] if code[0] == "0" else code[1:]


def group_notice_number(number: str) -> str:
    """A valid notice number in groups of four digits for print: ``0013 4000 0013 9008 08``."""
    return _groups_of_four(_require_notice(number))


def pagopa_qr_payload(notice_number: str, creditor_tax_code: str, amount: Decimal) -> str:
    """The pagoPA QR text ``PAGOPA|002|<notice>|<creditor CF>|<cents>``; cents unpadded, at least 2 digits.

    Unpadded as in AgID's own example (``…|9999``) and our sample (``…|5000``): AgID allows 2 to 11
    characters; at most 10 digits (99,999,999.99 €) because the IO app's reader accepts no more.
    """
    cents = _cents(amount, _PAGOPA_CENTS_DIGITS, "codice QR pagoPA")
    return f"PAGOPA|002|{_require_notice(notice_number)}|{_creditor_tax_code(creditor_tax_code)}|{cents:02d}"


def poste_datamatrix_payload(
    notice_number: str,
    creditor_tax_code: str,
    amount: Decimal,
    debtor_tax_code: str,
    debtor_name: str,
    reason: str,
    postal_account: str | None = None,
) -> str:
    """The 256-character Poste DataMatrix text of a pagoPA notice, fields in fixed widths.

    Debtor name (40) and reason (110) are transliterated to printable ASCII, then cut or space-padded. Without
    a postal account the account field is twelve zeros: print the Poste slip only for creditors that have one.
    """
    cents = _cents(amount, 10, "codice DataMatrix di Poste")
    # Each tag gives the next field's width: 18 notice, 12 postal account, 10 cents, 3 document type 896.
    codes = f"18{_require_notice(notice_number)}12{_postal_account(postal_account)}10{cents:010d}3896"
    parties = f"1P1{_creditor_tax_code(creditor_tax_code)}{_debtor_tax_code(debtor_tax_code)}"
    texts = _fixed_ascii(debtor_name, 40) + _fixed_ascii(reason, 110)
    return f"codfase=NBPA;{codes}{parties}{texts}{_POSTE_FILLER}A"


# ISO 11649 RF creditor references


def make_rf_reference(body: str) -> str:
    """``RF`` + two check digits + ``body`` upper-cased (1-21 letters or digits), per ISO 11649."""
    if not _RF_BODY.fullmatch(body):
        raise InvalidInput(
            f"Il riferimento «{body}» non può diventare un riferimento RF: servono da 1 a {RF_BODY_MAX} lettere "
            "o cifre, senza spazi né segni."
        )
    code = body.upper()
    return f"RF{98 - _mod97(code + 'RF00'):02d}{code}"


def check_rf_reference(reference: str) -> str | None:
    """None when ``reference`` (any case, spaces allowed) is a valid ISO 11649 RF reference, else a reason."""
    code = _compact(reference).upper()
    if not code:
        return "riferimento RF mancante"
    label = f"riferimento {code}"
    for position, character in enumerate(code, start=1):
        if character not in _ALPHANUMERIC:
            return f"{label}: carattere non valido «{character}» in posizione {position}"
    if not code.startswith("RF"):
        return f"{label}: un riferimento ISO 11649 inizia con RF"
    if len(code) < 4 or not set(code[2:4]) <= _DIGITS:
        return f"{label}: dopo RF servono le due cifre di controllo"
    if not 1 <= len(code) - 4 <= RF_BODY_MAX:
        return f"{label}: dopo le cifre di controllo servono da 1 a {RF_BODY_MAX} caratteri, ce ne sono {len(code) - 4}"
    if not iso11649.is_valid(code):
        return f"{label}: le cifre di controllo non corrispondono (un carattere è sbagliato, scambiato o mancante)"
    return None


def format_rf_reference(reference: str) -> str:
    """A valid RF reference in upper case and groups of four for print: ``RF18 5390 0754 7034``."""
    return _groups_of_four(_require_rf(reference))


def rf_for_notice(creditor_prefix: str, notice_id: int) -> str:
    """The RF reference of a notice: the creditor's prefix (1-6 letters) + the notice id padded to 10 digits.

    ``rf_for_notice("TREE", 42)`` is ``RF…TREE0000000042``. The same inputs always give the same reference;
    distinct notice ids give distinct references, and so do distinct prefixes (letters never run into digits).
    """
    prefix = creditor_prefix.upper()
    if not _RF_PREFIX.fullmatch(prefix):
        raise InvalidInput(
            f"Il prefisso «{creditor_prefix}» dei riferimenti RF dell'ente deve essere di 1-{RF_PREFIX_MAX} lettere."
        )
    digits = RF_BODY_MAX - len(prefix)
    if isinstance(notice_id, bool) or not 0 <= notice_id < 10**digits:
        raise InvalidInput(f"L'avviso numero {notice_id} non entra in un riferimento RF con prefisso {prefix}.")
    return make_rf_reference(f"{prefix}{notice_id:0{RF_ID_WIDTH}d}")


def split_rf_for_notice(reference: str) -> tuple[str, int] | None:
    """The (creditor prefix, notice id) a reference made by ``rf_for_notice`` encodes; None for any other."""
    code = _compact(reference).upper()
    found = _RF_FOR_NOTICE.fullmatch(code)
    if found is None or check_rf_reference(code) is not None:
        return None
    return found.group(1), int(found.group(2))


def find_rf_references(text: str) -> list[str]:
    """Valid RF references in free remittance text, compact and upper-case, in order and without repeats.

    Spaces or line breaks may split a reference; it starts and ends at a word boundary. When the groups after
    it read as a longer valid reference too (1 chance in 97 per group), both are returned, shorter first:
    the caller keeps the one that names a notice.
    """
    upper = text.upper()
    found: list[str] = []
    for start in _RF_START.finditer(upper):
        found.extend(reference for reference in _rf_readings(upper, start) if reference not in found)
    return found


def find_notice_numbers(text: str) -> list[str]:
    """18-digit notice numbers with valid check digits in free text (groups may be spaced), without repeats.

    Aux-1 numbers are not looked for: with no check digits, any 18 digits starting with 1 would match.
    """
    found: list[str] = []
    for run in _DIGIT_GROUPS.finditer(text):
        for candidate in _eighteen_digit_spans(run.group().split()):
            if candidate[0] != "1" and check_notice_number(candidate) is None and candidate not in found:
                found.append(candidate)
    return found


# EPC QR (SEPA credit transfer)


def epc_qr_payload(
    name: str,
    iban: str,
    amount: Decimal,
    reference: str | None = None,
    text: str | None = None,
    bic: str | None = None,
) -> str:
    """The EPC069-12 text (version 002, UTF-8, SCT) for a transfer of ``amount`` euro to ``iban``.

    Exactly one of ``reference`` (a valid RF, stored compact) and ``text`` (at most 140 characters) is
    required. The amount is written without trailing zeros (``EUR12.5``), as in the EPC's own example and
    segno; trailing empty lines are dropped. Raises InvalidInput when a field or the whole (331 bytes) is too long.
    """
    # Version 002 (the BIC may be empty), character set 1 (UTF-8, as qr_matrix writes it), SEPA credit transfer.
    header = ["BCD", "002", "1", "SCT", _epc_bic(bic), _one_line(name, 70, "nome del beneficiario")]
    transfer = [_require_iban(iban), f"EUR{_epc_amount(amount)}", ""]  # the purpose code stays empty
    payload = "\n".join([*header, *transfer, *_epc_remittance(reference, text)]).rstrip("\n")
    size = len(payload.encode("utf-8"))
    if size > _EPC_MAX_BYTES:
        raise InvalidInput(
            f"I dati del bonifico occupano {size} byte, il codice QR EPC ne ammette {_EPC_MAX_BYTES}: "
            "accorciare il nome o la causale."
        )
    return payload


# QR matrices for drawing


@dataclass(frozen=True)
class QrMatrix:
    """A QR code's modules, quiet zone excluded: one string per row, top first, ``"1"`` dark and ``"0"`` light."""

    rows: tuple[str, ...]
    version: int
    error: str

    @property
    def size(self) -> int:
        """Modules per side (17 + 4 × version); the drawer adds a quiet zone of 4 modules on each side."""
        return len(self.rows)


def qr_matrix(payload: str, error: str = "m") -> QrMatrix:
    """The smallest QR code holding ``payload`` as UTF-8 bytes at error level ``error`` (never boosted).

    Level M is what both pagoPA (version 4, 33×33 for its payload) and EPC069-12 (version ≤ 13) prescribe.
    """
    level = error.lower()
    if level not in _ERROR_LEVELS:
        raise ValueError(f"error level must be one of l, m, q, h, not {error!r}")
    # Bytes, not str: segno would write a str as ISO 8859-1 where it can, while both payloads declare UTF-8.
    data = payload.encode("utf-8")
    try:
        code = segno.make_qr(data, error=level, boost_error=False)
    except segno.DataOverflowError as exc:
        raise InvalidInput(f"Troppi dati per un codice QR: {len(data)} byte.") from exc
    rows = tuple(bytes(row).translate(_BIT_TEXT).decode("ascii") for row in code.matrix)
    return QrMatrix(rows=rows, version=int(code.version), error=level)


def qr_runs(matrix: QrMatrix) -> list[tuple[int, int, int]]:
    """Horizontal runs of dark modules as (row, start column, length): draw each run as one rectangle."""
    return [
        (row_index, run.start(), run.end() - run.start())
        for row_index, row in enumerate(matrix.rows)
        for run in _DARK_RUN.finditer(row)
    ]


# Helpers


def _compact(value: str) -> str:
    return "".join(value.split())


def _groups_of_four(code: str) -> str:
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def _sentence(problem: str) -> str:
    return f"{problem[0].upper()}{problem[1:]}."


def _mod93(head: str) -> str:
    return f"{int(head) % 93:02d}"


def _mod97(code: str) -> int:
    return int("".join(str(int(character, 36)) for character in code)) % 97


def _valid(value: str, problem: str | None) -> str:
    if problem is not None:
        raise InvalidInput(_sentence(problem))
    return value


def _require_notice(number: str) -> str:
    return _valid(_compact(number), check_notice_number(number))


def _require_rf(reference: str) -> str:
    return _valid(_compact(reference).upper(), check_rf_reference(reference))


def _require_iban(iban: str) -> str:
    check = identity.check_iban(iban)
    return _valid(check.value, check.problem)


def _creditor_tax_code(value: str) -> str:
    # Only the shape: the creditor's code was checked when the creditor was saved (creditors.validate_tax_code).
    code = _compact(value)
    if len(code) != 11 or not set(code) <= _DIGITS:
        raise InvalidInput(f"Il codice fiscale dell'ente creditore «{value}» deve essere di 11 cifre.")
    return code


def _debtor_tax_code(value: str) -> str:
    code = _compact(value).upper()
    if len(code) > 16 or not set(code) <= _ALPHANUMERIC:
        raise InvalidInput(f"Il codice fiscale del debitore «{value}» deve avere al massimo 16 lettere o cifre.")
    return code.ljust(16)


def _postal_account(value: str | None) -> str:
    account = _compact(value or "")
    if len(account) > 12 or not set(account) <= _DIGITS:
        raise InvalidInput(f"Il conto corrente postale «{value}» deve essere di 12 cifre al massimo.")
    return account.zfill(12)


def _cents(amount: Decimal, digits: int, where: str) -> int:
    if not isinstance(amount, Decimal):
        raise TypeError(f"amount must be a Decimal, not {type(amount).__name__}")
    shown = f"{amount} €".replace(".", ",")
    if not amount.is_finite() or amount <= 0:
        raise InvalidInput(f"L'importo {shown} non è valido: deve essere maggiore di zero.")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(f"L'importo {shown} ha frazioni di centesimo: va arrotondato al centesimo.")
    cents = int(amount * 100)
    if cents >= 10**digits:
        raise InvalidInput(f"L'importo {shown} è troppo alto per il {where}.")
    return cents


def _epc_amount(amount: Decimal) -> str:
    cents = _cents(amount, 12, "codice QR EPC")
    if not _EPC_MIN <= amount <= _EPC_MAX:
        raise InvalidInput(f"L'importo di un bonifico va da 0,01 a 999.999.999,99 €: è {amount} €.")
    return f"{cents // 100}.{cents % 100:02d}".rstrip("0").rstrip(".")


def _epc_bic(bic: str | None) -> str:
    if not bic:
        return ""
    code = _compact(bic).upper()
    if not stdnum_bic.is_valid(code):
        raise InvalidInput(f"Il BIC «{bic}» non è valido: sono 8 o 11 caratteri (banca, paese, località, filiale).")
    return code


def _epc_remittance(reference: str | None, text: str | None) -> list[str]:
    if bool(reference) == bool(text):
        raise InvalidInput("Il bonifico richiede il riferimento RF oppure la causale, uno dei due e non entrambi.")
    if reference:
        return [_require_rf(reference)]
    return ["", _one_line(text or "", 140, "causale")]


def _one_line(value: str, limit: int, label: str) -> str:
    # A line break would shift every following field of the EPC payload.
    line = " ".join(value.split())
    if not line:
        raise InvalidInput(f"Manca il campo «{label}» del bonifico.")
    if len(line) > limit:
        raise InvalidInput(f"Il campo «{label}» ha {len(line)} caratteri, il codice QR EPC ne ammette {limit}.")
    return line


def _ascii(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.translate(_ASCII_FALLBACK))
    plain = " ".join(decomposed.encode("ascii", "ignore").decode("ascii").split())
    return "".join(character for character in plain if " " <= character <= "~")


def _fixed_ascii(value: str, width: int) -> str:
    return _ascii(value)[:width].ljust(width)


def _rf_readings(text: str, start: re.Match[str]) -> list[str]:
    head = f"RF{start.group(1)}{start.group(2)}"
    body, readings, position = "", [], start.end()
    while (chunk := _RF_CHUNK.match(text, position)) and len(body) + len(chunk.group(1)) <= RF_BODY_MAX:
        body += chunk.group(1)
        if iso11649.is_valid(head + body):
            readings.append(head + body)
        position = chunk.end()
    return readings


def _eighteen_digit_spans(groups: list[str]) -> list[str]:
    # Whole groups only: a number glued to other digits is some other code, not a notice number.
    spans = []
    for first in range(len(groups)):
        length = 0
        for last in range(first, len(groups)):
            length += len(groups[last])
            if length >= NOTICE_LENGTH:
                if length == NOTICE_LENGTH:
                    spans.append("".join(groups[first : last + 1]))
                break
    return spans
