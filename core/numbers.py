"""Parsing numbers as associations type them: Arabic-Indic (٠-٩), Extended Arabic-Indic
(۰-۹) or Latin digits, with Arabic (٬ ٫) or Latin (, .) separators.

Every place that accepts a number goes through this module.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹",
    "01234567890123456789",
)
_SEPARATORS = str.maketrans(
    {"٬": ",", "٫": ".", "،": ",", "\u066a": "%", "\u200f": "", "\u200e": "", "\u00a0": ""}
)
_NUMBER_RE = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")


class NumberFormatError(ValueError):
    """The text is not a number in any accepted script."""


def normalize_digits(text: str) -> str:
    """Latin digits and separators for any accepted script; other characters unchanged."""
    return str(text).translate(_DIGITS).translate(_SEPARATORS)


_DIGIT_STRING_NOISE = re.compile(r"[\s\-\u2010-\u2015\u2212_/.]")


def digit_string(text: str | int, length: int | None = None) -> str:
    """An identifier made of digits (ID numbers, phone numbers) in Latin digits.

    Spaces, dashes, dots, slashes and direction marks people type between groups are
    dropped: ``"١٠٢٣ ٤٥٦-٧٨٩٠"`` → ``"1023456789"``. Raises :class:`NumberFormatError`
    when anything else remains, or when ``length`` is given and does not match.
    """
    cleaned = _DIGIT_STRING_NOISE.sub("", normalize_digits(str(text)))
    if not cleaned.isascii() or not cleaned.isdigit() or (length is not None and len(cleaned) != length):
        raise NumberFormatError(text)
    return cleaned


# Larger numbers are never an amount, a count or a year here, and would overflow decimal's precision.
MAX_MAGNITUDE = Decimal(10) ** 15


def parse_decimal(text: str | int | float | Decimal) -> Decimal:
    if isinstance(text, bool):
        raise NumberFormatError(text)
    if isinstance(text, Decimal | int | float):
        value = Decimal(str(text)) if isinstance(text, float) else Decimal(text)
        if not value.is_finite() or abs(value) >= MAX_MAGNITUDE:
            raise NumberFormatError(text)
        return value
    if not isinstance(text, str):
        raise NumberFormatError(text)
    cleaned = normalize_digits(text).strip().replace(" ", "")
    if not _NUMBER_RE.match(cleaned):
        raise NumberFormatError(text)
    try:
        value = Decimal(cleaned.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regexp already refuses these
        raise NumberFormatError(text) from exc
    if abs(value) >= MAX_MAGNITUDE:
        raise NumberFormatError(text)
    return value


def parse_int(text: str | int) -> int:
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise NumberFormatError(text)
    return int(value)


def parse_halalas(text: str | int | float | Decimal) -> int:
    """Money in SAR → an integer number of halalas (1 SAR = 100 halalas); at most 2 decimals."""
    value = parse_decimal(text)
    if value.as_tuple().exponent < -2 and value != value.quantize(Decimal("0.01")):
        raise NumberFormatError(text)
    return int((value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def format_halalas(halalas: int) -> str:
    """``123456`` → ``"1,234.56"`` (Latin; templates localise digits where wanted)."""
    sign = "-" if halalas < 0 else ""
    riyals, rest = divmod(abs(halalas), 100)
    return f"{sign}{riyals:,}.{rest:02d}"
