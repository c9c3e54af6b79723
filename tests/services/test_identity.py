"""Codice fiscale, partita IVA, IBAN and mobile checks: normalized values and messages that name the fault."""

from __future__ import annotations

import pytest
from stdnum import iban as stdnum_iban

from app.services.errors import InvalidInput
from app.services.identity import (
    BankCoordinates,
    IdentityCheck,
    bank_coordinates,
    check_iban,
    check_tax_code,
    check_vat_number,
    normalize_mobile,
)

VALID_IBAN = "IT60X0542811101000000123456"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("RSSMRA80A01H501U", "RSSMRA80A01H501U"),
        (" rssmra 80a01 h501u ", "RSSMRA80A01H501U"),
        ("VRDLCU85T71F205I", "VRDLCU85T71F205I"),  # a woman born on 31 December: day + 40
        ("RSSMRA8LA01H501F", "RSSMRA8LA01H501F"),  # omocodia: a digit replaced by a letter
        ("00743110157", "00743110157"),  # a company's codice fiscale is its 11 digits
    ],
)
def test_valid_tax_codes_are_normalized(typed: str, stored: str) -> None:
    assert check_tax_code(typed) == IdentityCheck(stored, None)
    assert check_tax_code(typed).ok


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("RSSMRA80A01H501X", "codice fiscale RSSMRA80A01H501X: carattere di controllo errato (atteso U)"),
        (
            "RSSMRA8XA01H501U",
            "codice fiscale RSSMRA8XA01H501U: in posizione 8 c'è «X», dovrebbe esserci una cifra (anno di nascita)",
        ),
        (
            "RSSMRA80Z01H501U",
            "codice fiscale RSSMRA80Z01H501U: in posizione 9 c'è «Z», dovrebbe esserci la lettera del "
            "mese di nascita (A B C D E H L M P R S T)",
        ),
        (
            "RSSMR480A01H501U",
            "codice fiscale RSSMR480A01H501U: in posizione 6 c'è «4», dovrebbe esserci una lettera (cognome e nome)",
        ),
        (
            "RSSMRA80A32H501C",
            "codice fiscale RSSMRA80A32H501C: data di nascita impossibile (giorno 32 di gennaio)",
        ),
        (
            "RSSMRA80B30H501X",
            "codice fiscale RSSMRA80B30H501X: data di nascita impossibile (giorno 30 di febbraio)",
        ),
        (
            "RSSMRA80A01H50",
            "codice fiscale RSSMRA80A01H50: 14 caratteri; quello di una persona ne ha 16, quello di una "
            "società o di un ente 11 cifre",
        ),
        (
            "RSSMRA80A01",
            "codice fiscale RSSMRA80A01: 11 caratteri; quello di una persona ne ha 16, quello di una "
            "società o di un ente 11 cifre",
        ),
        ("00743110158", "codice fiscale 00743110158: cifra di controllo errata (attesa 7)"),
        ("0074311015A", "codice fiscale 0074311015A: in posizione 11 c'è «A», dovrebbe esserci una cifra"),
        ("", "codice fiscale mancante"),
    ],
)
def test_invalid_tax_codes_are_kept_and_explained(typed: str, problem: str) -> None:
    check = check_tax_code(typed)

    assert check.problem == problem
    assert check.value == typed.upper()  # kept as typed, never "corrected"
    assert not check.ok


@pytest.mark.parametrize("typed", ["00743110157", "IT00743110157", "IT 007 431 101 57", "00743-110157"])
def test_valid_vat_numbers_are_normalized_to_eleven_digits(typed: str) -> None:
    assert check_vat_number(typed) == IdentityCheck("00743110157", None)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("00743110158", "partita IVA 00743110158: cifra di controllo errata (attesa 7)"),
        ("IT00743110158", "partita IVA 00743110158: cifra di controllo errata (attesa 7)"),
        ("0074311015", "partita IVA 0074311015: 10 cifre, ne servono 11"),
        ("007431101570", "partita IVA 007431101570: 12 cifre, ne servono 11"),
        ("0074311O157", "partita IVA 0074311O157: in posizione 8 c'è «O», dovrebbe esserci una cifra"),
        (
            "00000000000",
            "partita IVA 00000000000: le prime 7 cifre (numero di matricola) non possono essere tutte zero",
        ),
        (
            "00743110006",
            "partita IVA 00743110006: il codice dell'ufficio provinciale 000 (cifre 8-10) non esiste",
        ),
        ("", "partita IVA mancante"),
    ],
)
def test_invalid_vat_numbers_are_explained(typed: str, problem: str) -> None:
    assert check_vat_number(typed).problem == problem


@pytest.mark.parametrize(
    "typed",
    [
        VALID_IBAN,
        "IT60 X054 2811 1010 0000 0123 456",
        "it60x0542811101000000123456",
        "DE89370400440532013000",
    ],
)
def test_valid_ibans_are_normalized(typed: str) -> None:
    check = check_iban(typed)

    assert check.ok, check.problem
    assert check.value == typed.replace(" ", "").upper()


def _with_check_digits(country_and_bban: str) -> str:
    """An IBAN whose mod-97 check digits are right for whatever BBAN it carries."""
    country, bban = country_and_bban[:2], country_and_bban[2:]
    return f"{country}{stdnum_iban.calc_check_digits(country + '00' + bban)}{bban}"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        (
            "IT61X0542811101000000123456",
            "IBAN IT61X0542811101000000123456: le cifre di controllo non corrispondono (un carattere è "
            "sbagliato, scambiato o mancante)",
        ),
        (
            "IT60X0542811101000000123465",
            "IBAN IT60X0542811101000000123465: le cifre di controllo non corrispondono (un carattere è "
            "sbagliato, scambiato o mancante)",
        ),
        (
            "IT60X054281110100000012345",
            "IBAN IT60X054281110100000012345: 26 caratteri, un IBAN italiano ne ha 27",
        ),
        ("DE8937040044053201300", "IBAN DE8937040044053201300: 21 caratteri, un IBAN del paese DE ne ha 22"),
        (
            "XX60X0542811101000000123456",
            "IBAN XX60X0542811101000000123456: «XX» non è il codice di un paese che usa l'IBAN",
        ),
        (
            "IT60X05428/1101000000123456",
            "IBAN IT60X05428/1101000000123456: carattere non valido «/» in posizione 11",
        ),
        (
            "IT6000542811101000000123456",
            "IBAN IT6000542811101000000123456: in posizione 5 c'è «0», dovrebbe esserci una lettera (CIN)",
        ),
        (
            "IT60X05A2811101000000123456",
            "IBAN IT60X05A2811101000000123456: in posizione 8 c'è «A», dovrebbe esserci una cifra (ABI)",
        ),
        ("", "IBAN mancante"),
    ],
)
def test_invalid_ibans_are_explained(typed: str, problem: str) -> None:
    assert check_iban(typed).problem == problem


def test_a_wrong_cin_is_caught_even_when_the_check_digits_agree() -> None:
    # GIVEN an IBAN built on a wrong CIN (Y instead of X) with check digits computed over it
    typed = _with_check_digits("ITY0542811101000000123456")
    assert stdnum_iban.is_valid(typed)  # the international check alone would accept it

    # THEN the Italian check names the CIN
    assert check_iban(typed).problem == f"IBAN {typed}: il CIN Y non corrisponde ad ABI, CAB e conto"


def test_bank_coordinates_of_an_italian_iban() -> None:
    coordinates = bank_coordinates("IT60 X054 2811 1010 0000 0123 456")

    assert coordinates == BankCoordinates(abi="05428", cab="11101", account="000000123456")
    abi, cab, account = coordinates
    assert (abi, cab, account) == ("05428", "11101", "000000123456")


def test_bank_coordinates_refuse_a_foreign_iban() -> None:
    with pytest.raises(InvalidInput, match="paese DE: ABI, CAB e conto esistono solo per gli IBAN italiani"):
        bank_coordinates("DE89370400440532013000")


def test_bank_coordinates_refuse_an_invalid_iban_saying_why() -> None:
    with pytest.raises(InvalidInput, match=r"^IBAN IT61X0542811101000000123456: le cifre di controllo"):
        bank_coordinates("IT61X0542811101000000123456")


@pytest.mark.parametrize(
    "typed",
    ["3331234567", "333 123 4567", "333-1234567", "333.123.4567", "+39 333 1234567", "+393331234567",
     "0039 333 1234567", "(+39) 333 123 4567", "393331234567"],
)  # fmt: skip
def test_italian_mobiles_become_e164(typed: str) -> None:
    assert normalize_mobile(typed) == "+393331234567"


def test_a_nine_digit_mobile_is_accepted() -> None:
    assert normalize_mobile("333 123456") == "+39333123456"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Numero di cellulare mancante."),
        (
            "06 1234567",
            "Il numero «06 1234567» è di rete fissa: serve un cellulare (in Italia inizia con 3).",
        ),
        ("+39 06 1234567", "Il numero «+39 06 1234567» è di rete fissa"),
        ("+44 7700 900123", "Il numero «+44 7700 900123» non è italiano"),
        ("2331234567", "non è un cellulare italiano: dopo +39 deve iniziare con 3"),
        ("33312345", "Il numero «33312345» ha 8 cifre: un cellulare italiano ne ha 10"),
        ("333123456789", "ha 12 cifre"),
        ("333 12345 x", "contiene caratteri non validi"),
    ],
)
def test_invalid_mobiles_are_refused_with_a_reason(typed: str, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        normalize_mobile(typed)

    assert message in str(raised.value)
