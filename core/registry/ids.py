"""Saudi national ID / iqama numbers: validation, encryption at rest and keyed lookup hash.

* A number is 10 digits; ``1…`` is a citizen's national ID, ``2…`` a resident's iqama.
  The last digit is the standard check digit (the Luhn scheme over the 10 digits).
* At rest a number is stored twice, neither readable without the keys: encrypted with
  Fernet (``ID_ENCRYPTION_KEYS``, the first key encrypts, every key decrypts — so keys
  rotate by prepending a new one and running ``flask registry rotate-keys``), and as an
  HMAC-SHA256 under ``ID_HMAC_KEY`` for exact lookup and the cross-tenant duplicate
  signal. The HMAC key is platform-wide on purpose: the same number must hash the same
  in every tenant. A database dump alone reveals no ID number.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

from flask import current_app

from ..at_rest import decrypt, derived_key, encrypt, encrypter, rotate  # noqa: F401 - this module's API (ID numbers at rest)
from ..numbers import NumberFormatError, digit_string

CITIZEN = "citizen"
RESIDENT = "resident"
ID_TYPES = {"1": CITIZEN, "2": RESIDENT}


class InvalidNationalId(ValueError):
    """Not a valid Saudi national ID / iqama number."""


def check_digit_ok(number: str) -> bool:
    """The standard Saudi check: Luhn over all 10 digits (odd positions doubled)."""
    if len(number) != 10 or not number.isascii() or not number.isdigit():
        return False
    total = 0
    for index, char in enumerate(number):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return total % 10 == 0


def check_digit_for(first_nine: str) -> str:
    """The digit that completes ``first_nine`` into a valid number (for tests and demo data)."""
    for candidate in "0123456789":
        if check_digit_ok(first_nine + candidate):
            return candidate
    raise AssertionError("unreachable: exactly one check digit always fits")  # pragma: no cover


def parse_national_id(text: str | int) -> str:
    """Latin-digit, validated number from any typed form (Arabic-Indic digits, spaces)."""
    try:
        number = digit_string(text, length=10)
    except NumberFormatError as exc:
        raise InvalidNationalId(text) from exc
    if number[0] not in ID_TYPES or not check_digit_ok(number):
        raise InvalidNationalId(text)
    return number


def id_type(number: str) -> str:
    return ID_TYPES[number[0]]


def mask(number: str | None) -> str:
    return f"{number[0]}•••••{number[-4:]}" if number else ""


# --------------------------------------------------------------------------- keys


def _hmac_key() -> bytes:
    key = current_app.config.get("ID_HMAC_KEY")
    if key:
        return key.encode() if isinstance(key, str) else key
    return derived_key("charity-id-hmac", current_app.config["SECRET_KEY"])


def lookup_hash(number: str) -> str:
    return hmac.digest(_hmac_key(), number.encode(), "sha256").hex()


def lookup_hasher() -> Callable[[str], str]:
    """:func:`lookup_hash` with this app's key looked up once (a bulk write: a call per row)."""
    key = _hmac_key()
    return lambda number: hmac.digest(key, number.encode(), "sha256").hex()
