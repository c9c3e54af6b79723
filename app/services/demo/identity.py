"""Valid Italian identifiers for the demo: codici fiscali, partite IVA, IBAN, notice codes, phones."""

from __future__ import annotations

import functools
import random
import unicodedata
from datetime import date

from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.iso7064 import mod_97_10
from stdnum.it import codicefiscale

from app.models import NoticeKind

_VOWELS = frozenset("AEIOU")
_MONTH_LETTERS = "ABCDEHLMPRST"


@functools.lru_cache(maxsize=4096)  # names repeat: the same few hundred are folded again and again
def ascii_letters(text: str) -> str:
    """Upper-case A-Z only: accents folded, apostrophes and spaces dropped (as the codice fiscale wants)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded.upper() if "A" <= ch <= "Z")


def _surname_part(surname: str) -> str:
    letters = ascii_letters(surname)
    consonants = [ch for ch in letters if ch not in _VOWELS]
    vowels = [ch for ch in letters if ch in _VOWELS]
    return ("".join(consonants + vowels) + "XXX")[:3]


def _first_name_part(first_name: str) -> str:
    letters = ascii_letters(first_name)
    consonants = [ch for ch in letters if ch not in _VOWELS]
    if len(consonants) >= 4:
        # The rule for first names with four or more consonants: the first, third and fourth.
        return consonants[0] + consonants[2] + consonants[3]
    vowels = [ch for ch in letters if ch in _VOWELS]
    return ("".join(consonants + vowels) + "XXX")[:3]


def person_tax_code(surname: str, first_name: str, birth: date, female: bool, cadastral_code: str) -> str:
    """The 16-character codice fiscale of a person born in the comune with ``cadastral_code``."""
    day = birth.day + (40 if female else 0)
    body = (
        f"{_surname_part(surname)}{_first_name_part(first_name)}{birth.year % 100:02d}"
        f"{_MONTH_LETTERS[birth.month - 1]}{day:02d}{cadastral_code}"
    )
    return body + codicefiscale.calc_check_digit(body)


def entity_number(serial: int, tax_office: str) -> str:
    """An 11-digit partita IVA / entity codice fiscale: serial (7 digits), provincial office, Luhn check."""
    body = f"{serial:07d}{tax_office}"
    return body + luhn.calc_check_digit(body)


def italian_iban(abi: str, cab: str, account: str) -> str:
    """A valid Italian IBAN for the given ABI, CAB and 12-character account."""
    bban_tail = f"{abi}{cab}{account}"
    bban = codicefiscale.calc_check_digit(bban_tail) + bban_tail
    return f"IT{stdnum_iban.calc_check_digits('ITXX' + bban)}{bban}"


def notice_code(kind: NoticeKind, serial: int) -> str:
    """A unique payment-notice code of ``kind`` for a serial number (< 10**12)."""
    if kind is NoticeKind.MAV:
        return f"{serial:012d}"
    if kind is NoticeKind.PAGOPA:
        # Aux digit 3, segregation code 01, 13-digit base, then the mod-93 check of all of it.
        body = f"301{serial:013d}"
        return f"{body}{int(body) % 93:02d}"
    reference = f"{serial:012d}"
    return f"RF{mod_97_10.calc_check_digits(reference + 'RF')}{reference}"


class Serials:
    """Random serial numbers in a range, never the same twice."""

    def __init__(self, rng: random.Random, low: int, high: int) -> None:
        self._rng = rng
        self._low = low
        self._high = high
        self._seen: set[int] = set()

    def next(self) -> int:
        """A serial not returned before."""
        while True:
            value = self._rng.randrange(self._low, self._high)
            if value not in self._seen:
                self._seen.add(value)
                return value


def mobile_number(rng: random.Random, prefixes: tuple[str, ...]) -> str:
    """An Italian mobile number in E.164 form (+393…)."""
    return f"+39{rng.choice(prefixes)}{rng.randrange(10**7):07d}"


def mailbox(*parts: str) -> str:
    """The local part of an e-mail address made of name parts: lower-case ASCII joined by dots."""
    return ".".join(ascii_letters(part).lower() for part in parts if ascii_letters(part))
