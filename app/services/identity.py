"""Codice fiscale, partita IVA, IBAN and mobile numbers: normalized, checked, and explained when wrong.

Nothing here corrects a value: a check returns the value in its standard spelling (upper case, no spaces) and,
when it is wrong, a message that says which part is wrong, so the clerk can fix it at the source.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from stdnum import iban as stdnum_iban
from stdnum import luhn, numdb
from stdnum.exceptions import ValidationError
from stdnum.it import codicefiscale

from app.services.errors import InvalidInput

_SEPARATORS = re.compile(r"[\s\-.]+")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")
# In a person's code a digit may be replaced by one of these letters when two people would share a code.
_CF_DIGITS = _DIGITS | frozenset("LMNPQRSTUV")
_CF_MONTHS = "ABCDEHLMPRST"
_MONTH_NAMES = (
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
)  # fmt: skip
_CF_LAYOUT: tuple[tuple[frozenset[str], str], ...] = (
    *[(_LETTERS, "una lettera (cognome e nome)")] * 6,
    *[(_CF_DIGITS, "una cifra (anno di nascita)")] * 2,
    (frozenset(_CF_MONTHS), f"la lettera del mese di nascita ({' '.join(_CF_MONTHS)})"),
    *[(_CF_DIGITS, "una cifra (giorno di nascita)")] * 2,
    (_LETTERS, "una lettera (comune o stato di nascita)"),
    *[(_CF_DIGITS, "una cifra (comune o stato di nascita)")] * 3,
    (_LETTERS, "la lettera di controllo"),
)
_IT_BBAN_PARTS = ((5, "CIN"), (6, "ABI"), (11, "CAB"), (16, "numero di conto"))
_BBAN_KIND = {
    "n": (_DIGITS, "una cifra"),
    "a": (_LETTERS, "una lettera"),
    "c": (_LETTERS | _DIGITS, "una lettera o una cifra"),
}


@dataclass(frozen=True)
class IdentityCheck:
    """A value in its standard spelling, and what is wrong with it (None when it is valid)."""

    value: str
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


class BankCoordinates(NamedTuple):
    """The Italian bank coordinates inside an IBAN."""

    abi: str
    cab: str
    account: str


def compact(value: str) -> str:
    """``value`` without spaces and separators, in upper case: the spelling codes are stored in."""
    return _SEPARATORS.sub("", value or "").upper()


# Pure and asked again for the same codes (a schedule checked, then imported): remembered per process.
@functools.lru_cache(maxsize=100_000)
def check_tax_code(value: str) -> IdentityCheck:
    """Check a codice fiscale: 16 characters for a person, 11 digits for a company or other entity.

    Returns the compact upper-case code and, if it is not valid, an Italian message naming the wrong part
    (length, a character and its position, the check character and the expected one, the birth date).
    """
    code = compact(value)
    if not code:
        return IdentityCheck(code, "codice fiscale mancante")
    if len(code) == 16:
        return IdentityCheck(code, _person_code_problem(code))
    if len(code) == 11 and not code[0].isalpha():
        return IdentityCheck(code, _eleven_digits_problem(code, f"codice fiscale {code}"))
    shape = f"{len(code)} cifre" if code.isdigit() else f"{len(code)} caratteri"
    return IdentityCheck(
        code,
        f"codice fiscale {code}: {shape}; quello di una persona ne ha 16, quello di una società o di un ente 11 cifre",
    )


@functools.lru_cache(maxsize=100_000)
def check_vat_number(value: str) -> IdentityCheck:
    """Check a partita IVA (11 digits; an ``IT`` prefix is accepted and dropped).

    Returns the 11-digit number and, if it is not valid, an Italian message naming the wrong part (length,
    a character and its position, the office code, the check digit and the expected one).
    """
    number = compact(value)
    if number.startswith("IT") and number[2:3].isdigit():
        number = number[2:]
    if not number:
        return IdentityCheck(number, "partita IVA mancante")
    return IdentityCheck(number, _eleven_digits_problem(number, f"partita IVA {number}"))


def check_iban(value: str) -> IdentityCheck:
    """Check an IBAN of any country, with the Italian CIN as well for Italy and San Marino.

    Returns the compact upper-case IBAN and, if it is not valid, an Italian message naming the wrong part
    (country, length, a character and its position, the check digits, the CIN).
    """
    code = compact(value)
    if not code:
        return IdentityCheck(code, "IBAN mancante")
    return IdentityCheck(code, _iban_problem(code))


def bank_coordinates(iban: str) -> BankCoordinates:
    """ABI, CAB and account number of a valid Italian IBAN; raises InvalidInput saying why otherwise."""
    check = check_iban(iban)
    if check.problem:
        raise InvalidInput(f"{check.problem[0].upper()}{check.problem[1:]}.")
    code = check.value
    if not code.startswith("IT"):
        raise InvalidInput(
            f"L'IBAN {code} è di un conto del paese {code[:2]}: ABI, CAB e conto esistono solo per gli IBAN "
            "italiani (che iniziano con IT)."
        )
    return BankCoordinates(abi=code[5:10], cab=code[10:15], account=code[15:27])


def normalize_mobile(value: str) -> str:
    """An Italian mobile number in E.164 (``+393331234567``); raises InvalidInput saying what is wrong.

    Accepts spaces, dots, dashes, brackets and the prefixes +39, 0039 or none; refuses landlines, foreign
    numbers and wrong lengths rather than guess.
    """
    typed = (value or "").strip()
    if not typed:
        raise InvalidInput("Numero di cellulare mancante.")
    cleaned = re.sub(r"[\s.\-/()]", "", typed)
    international = cleaned.startswith(("+", "00"))
    digits = cleaned[1:] if cleaned.startswith("+") else cleaned[2:] if cleaned.startswith("00") else cleaned
    if not digits.isdigit():
        raise InvalidInput(
            f"Il numero di cellulare «{typed}» contiene caratteri non validi: sono ammessi cifre, spazi, "
            "trattini e il prefisso +39."
        )
    if international:
        if not digits.startswith("39"):
            raise InvalidInput(
                f"Il numero «{typed}» non è italiano: sono accettati solo cellulari italiani (prefisso +39)."
            )
        national = digits[2:]
    elif len(digits) in (11, 12) and digits.startswith("393"):
        # 39 typed without the "+": no Italian mobile has 11 or 12 digits, so the prefix is certain.
        national = digits[2:]
    else:
        national = digits
    if national.startswith("0"):
        raise InvalidInput(f"Il numero «{typed}» è di rete fissa: serve un cellulare (in Italia inizia con 3).")
    if not national.startswith("3"):
        raise InvalidInput(f"Il numero «{typed}» non è un cellulare italiano: dopo +39 deve iniziare con 3.")
    if len(national) not in (9, 10):
        raise InvalidInput(
            f"Il numero «{typed}» ha {len(national)} cifre: un cellulare italiano ne ha 10 (alcuni "
            "numeri più vecchi 9), senza contare il prefisso +39."
        )
    return f"+39{national}"


def _person_code_problem(code: str) -> str | None:
    label = f"codice fiscale {code}"
    for position, (character, (allowed, expected)) in enumerate(zip(code, _CF_LAYOUT, strict=True), start=1):
        if character not in allowed:
            return f"{label}: in posizione {position} c'è «{character}», dovrebbe esserci {expected}"
    check = codicefiscale.calc_check_digit(code[:15])
    if code[15] != check:
        return f"{label}: carattere di controllo errato (atteso {check})"
    try:
        codicefiscale.get_birth_date(code)
    except ValidationError:
        return f"{label}: data di nascita impossibile ({_birth_date_text(code)})"
    return None


def _birth_date_text(code: str) -> str:
    digit = {c: i for i, c in enumerate("0123456789")} | {c: i for i, c in enumerate("LMNPQRSTUV")}
    raw_day = digit[code[9]] * 10 + digit[code[10]]
    day = raw_day - 40 if raw_day > 40 else raw_day
    month = _MONTH_NAMES[_CF_MONTHS.index(code[8])]
    return f"giorno {day} di {month}" + (" (donna, giorno + 40)" if raw_day > 40 else "")


def _eleven_digits_problem(number: str, label: str) -> str | None:
    for position, character in enumerate(number, start=1):
        if character not in _DIGITS:
            return f"{label}: in posizione {position} c'è «{character}», dovrebbe esserci una cifra"
    if len(number) != 11:
        return f"{label}: {len(number)} cifre, ne servono 11"
    if int(number[:7]) == 0:
        return f"{label}: le prime 7 cifre (numero di matricola) non possono essere tutte zero"
    office = number[7:10]
    if not ("001" <= office <= "100" or office in ("120", "121", "888", "999")):
        return f"{label}: il codice dell'ufficio provinciale {office} (cifre 8-10) non esiste"
    check = luhn.calc_check_digit(number[:10])
    if number[10] != check:
        return f"{label}: cifra di controllo errata (attesa {check})"
    return None


def _iban_problem(code: str) -> str | None:
    label = f"IBAN {code}"
    for position, character in enumerate(code, start=1):
        if not ("A" <= character <= "Z" or "0" <= character <= "9"):
            return f"{label}: carattere non valido «{character}» in posizione {position}"
    country = code[:2]
    structure = _bban_structure(country) if len(code) >= 2 and country.isalpha() else None
    if structure is None:
        return f"{label}: «{country}» non è il codice di un paese che usa l'IBAN"
    expected_length = 4 + sum(count for count, _ in structure)
    if len(code) != expected_length:
        where = "italiano" if country == "IT" else f"del paese {country}"
        return f"{label}: {len(code)} caratteri, un IBAN {where} ne ha {expected_length}"
    if not code[2:4].isdigit():
        return f"{label}: le posizioni 3 e 4 devono essere le cifre di controllo"
    problem = _bban_layout_problem(code, structure)
    if problem:
        return f"{label}: {problem}"
    # The expected check digits are not shown: they would be computed from a possibly mistyped account and
    # invite "fixing" the IBAN instead of copying it again from the source.
    if int("".join(str(int(c, 36)) for c in code[4:] + code[:4])) % 97 != 1:
        return f"{label}: le cifre di controllo non corrispondono (un carattere è sbagliato, scambiato o mancante)"
    if country in ("IT", "SM") and codicefiscale.calc_check_digit(code[5:]) != code[4]:
        return f"{label}: il CIN {code[4]} non corrisponde ad ABI, CAB e conto"
    try:
        stdnum_iban.validate(code)
    except ValidationError:
        return f"{label}: non è un IBAN valido per il paese {country}"
    return None


def _bban_structure(country: str) -> list[tuple[int, str]] | None:
    info = numdb.get("iban").info(country)
    structure = info[0][1].get("bban") if info and info[0][1] else None
    if not structure:
        return None
    return [(int(count), kind) for count, kind in re.findall(r"(\d+)!([nac])", structure)]


def _bban_layout_problem(code: str, structure: list[tuple[int, str]]) -> str | None:
    position = 5
    for count, kind in structure:
        allowed, expected = _BBAN_KIND[kind]
        for offset in range(count):
            character = code[position - 1 + offset]
            if character not in allowed:
                where = position + offset
                part = _italian_part(where) if code[:2] in ("IT", "SM") else ""
                return f"in posizione {where} c'è «{character}», dovrebbe esserci {expected}{part}"
        position += count
    return None


def _italian_part(position: int) -> str:
    name = next(name for start, name in reversed(_IT_BBAN_PARTS) if position >= start)
    return f" ({name})"
