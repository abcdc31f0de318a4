"""The values people type into an operational plan, parsed (pure functions, no database).

Plans are kept in spreadsheets and typed in Arabic: Arabic-Indic (٠-٩), Extended Arabic-Indic
(۰-۹) or Latin digits; ``٬``/``,`` between thousands and ``٫``/``.`` before decimals; percents
written ``%٧٠``, ``٧٠٪`` or ``70%``; ranges ``من ٧٠٪ إلى ٨٥٪``; ``لا يقل عن ١٠``; ``مستمر`` for
continuous work; ``-``, ``----`` or nothing for "no cost"; durations ``٢٠ يوم``, ``١٠ أيام``,
``يومان``, ``شهر``, ``أسبوع``; ticks in quarter cells. The importer (``core.planning.importer``)
calls these functions per cell and turns a :class:`ValueProblem` into the row's field error.

Every function takes the cell's text (``None`` is read as blank) and either returns a value or
raises :class:`ValueProblem`, whose ``message`` is a lazily translated sentence (Arabic first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ..i18n import lazy_gettext as _l
from ..numbers import NumberFormatError, normalize_digits, parse_decimal

__all__ = [
    "Planned",
    "Target",
    "ValueProblem",
    "parse_cost",
    "parse_duration",
    "parse_goal_kind",
    "parse_month_cell",
    "parse_number",
    "parse_planned",
    "parse_target",
]

Comparison = Literal["at_least", "at_most", "between", "equals"]
TargetUnit = Literal["percent", "count", "sar"]


class ValueProblem(ValueError):
    """A cell the parser cannot read; ``message`` says why, in the reader's language."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class Planned:
    """An activity's planned quantity: a number, or continuous work (``مستمر``), or neither.

    ``unit`` is what was typed with the number, if anything (``"٪"`` for a percent, or a word such
    as ``"أسر"`` in ``"١٠ أسر"``); the plan file's own unit column says it otherwise.
    """

    quantity: Decimal | None
    continuous: bool
    unit: str | None = None


@dataclass(frozen=True)
class Target:
    """An indicator's target: a number (``kind="number"``) with its comparison, or free text.

    ``low``/``high``: the bound(s) — ``at_least`` sets ``low``, ``at_most`` sets ``high``,
    ``equals`` sets both to the same value, ``between`` sets both. ``text`` is always what was
    typed (stripped), so nothing the plan says is lost.
    """

    kind: Literal["number", "text"]
    comparison: Comparison | None
    low: Decimal | None
    high: Decimal | None
    unit: TargetUnit | None
    text: str


# ----------------------------------------------------------------------------- text helpers

# Direction marks, tatweel and no-break spaces that copy-paste from Word/PDF leaves in cells.
_INVISIBLE = str.maketrans(
    {"\u200e": "", "\u200f": "", "\u061c": "", "\u0640": "", "\u00a0": " ", "\u202f": " "}
)
_HAMZA = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})
_ARABIC_MARKS = re.compile("[\u064b-\u0652]")  # harakat: ً ٌ ٍ َ ُ ِ ّ ْ


def _clean(text: str | None) -> str:
    """The cell's text with invisible marks removed and spaces collapsed ("" for blank)."""
    if text is None:
        return ""
    return " ".join(str(text).translate(_INVISIBLE).split())


def _folded(text: str) -> str:
    """For matching words: no harakat, one alif, ``ة``→``ه``, ``ى``→``ي``, lower-case Latin."""
    return _ARABIC_MARKS.sub("", text).translate(_HAMZA).lower()


_NO_VALUE = re.compile(r"^[-\u2010-\u2015\u2212\u2026_.]+$")  # "-", "----", "—", "…" as typed for "none"


# ----------------------------------------------------------------------------- numbers

_NUMBER_TOKEN = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMBER_IN_TEXT = re.compile(r"(?<![\d,.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])")


def _latin(text: str) -> str:
    """Latin digits and separators (``٬``→``,``, ``٫``→``.``, ``٪``→``%``); words unchanged."""
    return normalize_digits(text)


def _decimal(token: str, cleaned: str) -> Decimal:
    """``token`` (Latin, already matched as a number) as a Decimal; too large → ValueProblem."""
    try:
        return parse_decimal(token.replace("%", "").replace(" ", ""))
    except NumberFormatError:
        raise ValueProblem(_l("“%(text)s” is not a number.", text=cleaned)) from None


_SPLIT_DIGITS = re.compile(r"\d\s+\d")


def parse_number(text: str | None) -> Decimal | None:
    """``"١٠٬٠٠٠"``, ``"۱۲٫۵"``, ``"10,000.50"`` → a Decimal; blank → ``None``.

    Thousands separators must group by three (``1,000``, not ``1,00``), so a mistyped decimal
    comma is refused rather than read as a different number.
    """
    cleaned = _clean(text)
    if not cleaned:
        return None
    try:
        if _SPLIT_DIGITS.search(_latin(cleaned)):  # "١٠ ١٠" is two numbers, not 1010
            raise NumberFormatError(cleaned)
        return parse_decimal(_latin(cleaned))
    except NumberFormatError:
        raise ValueProblem(_l("“%(text)s” is not a number.", text=cleaned)) from None


_CURRENCY = re.compile(r"(?<!\w)(ريال(?:\s*سعودي)?|ر\.?\s*س\.?|sar|sr|﷼)(?!\w)", re.IGNORECASE)


def parse_cost(text: str | None) -> Decimal | None:
    """A cost in SAR: ``"٥٠٠٠"``, ``"١٠٬٠٠٠"``, ``"10,000 ريال"`` → Decimal; ``-``/``----``/blank → ``None``."""
    cleaned = _clean(text)
    if not cleaned or _NO_VALUE.match(cleaned):
        return None
    amount = _CURRENCY.sub("", _latin(cleaned)).strip()
    try:
        if _SPLIT_DIGITS.search(amount):
            raise NumberFormatError(cleaned)
        value = parse_decimal(amount)
    except NumberFormatError:
        raise ValueProblem(_l("“%(text)s” is not an amount in riyals.", text=cleaned)) from None
    if value < 0:
        raise ValueProblem(_l("A cost cannot be negative (“%(text)s”).", text=cleaned))
    return value


# ----------------------------------------------------------------------------- planned quantity

_CONTINUOUS = frozenset({"مستمر", "مستمره", "مستمرا", "بشكل مستمر", "دائم", "continuous", "ongoing"})
_QUANTITY = re.compile(rf"^(%)?\s*({_NUMBER_TOKEN})\s*(%)?\s*(.*)$")


def parse_planned(text: str | None) -> Planned:
    """``"١٠"`` → 10; ``"مستمر"`` → continuous; ``"١٠ أسر"`` → 10 with unit ``"أسر"``; blank → neither."""
    cleaned = _clean(text)
    if not cleaned:
        return Planned(quantity=None, continuous=False)
    if _folded(cleaned) in _CONTINUOUS:
        return Planned(quantity=None, continuous=True)
    match = _QUANTITY.match(_latin(cleaned))
    if not match:
        raise ValueProblem(
            _l(
                "“%(text)s” is not a planned quantity: write a number, or “مستمر” for continuous work.",
                text=cleaned,
            )
        )
    before, number, after, word = match.groups()
    quantity = _decimal(number, cleaned)
    if quantity < 0:
        raise ValueProblem(_l("A planned quantity cannot be negative (“%(text)s”).", text=cleaned))
    unit = "٪" if (before or after) else (word or None)
    if (before or after) and word:
        raise ValueProblem(
            _l(
                "“%(text)s” is not a planned quantity: write a number, or “مستمر” for continuous work.",
                text=cleaned,
            )
        )
    return Planned(quantity=quantity, continuous=False, unit=unit)


# ----------------------------------------------------------------------------- targets

# Phrases (matched on folded text, see _folded) that set the comparison.
_AT_LEAST = re.compile(
    r"(لا\s*[يت]قل\s*(عن|من|على)|علي\s*الاقل|كحد\s*ادني|حد\s*ادني|at\s+least|no\s+less\s+than|minimum|>=|≥)"
)
_AT_MOST = re.compile(
    r"(لا\s*[يت](زيد|تجاوز|تعدي)\s*(عن|علي)?|علي\s*الاكثر|كحد\s*اقصي|حد\s*اقصي|at\s+most|no\s+more\s+than|maximum|<=|≤)"
)
_EQUALS = re.compile(r"(يساوي|تساوي|بالضبط|exactly|equals?|^=)")
_BETWEEN = re.compile(
    rf"(?:من|بين|from|between)?\s*(%?\s*{_NUMBER_TOKEN}\s*%?)\s*(?:الي|و|to|and|-|–|—)\s*(%?\s*{_NUMBER_TOKEN}\s*%?)"
)
_SAR_WORDS = re.compile(r"(?<!\w)(ريال|ر\.?\s*س\.?|sar|﷼)(?!\w)")
# A count written as a word ("معرض سنوي واحد على الأقل"); larger numbers are written in digits.
_NUMBER_WORDS = {"واحد": 1, "واحده": 1, "one": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "two": 2}


def _unit_of(folded: str) -> TargetUnit:
    if "%" in folded:
        return "percent"
    if _SAR_WORDS.search(folded):
        return "sar"
    return "count"


def parse_target(text: str | None) -> Target:
    """An indicator's target as associations write it.

    - ``%٧٠``, ``٧٠٪``, ``70%``, ``١٠ أسر``, ``٥`` → a number; a bare number is a floor to reach
      (``at_least``), which is what a plan means by "٧٠٪ satisfaction" or "١٠ families";
    - ``لا يقل عن ١٠٪``, ``٩٥٪ على الأقل`` → ``at_least``; ``لا يزيد عن ٥`` → ``at_most``;
      ``يساوي ١٢`` → ``equals``; ``من ٧٠٪ إلى ٨٥٪`` / ``بين ٧٠ و٨٥`` / ``70-85%`` → ``between``;
    - ``معرض سنوي واحد على الأقل`` → at least 1 (one/two may be written as words);
    - anything else, and a text holding two numbers that are not a range (``لا تقل عن ٢ شراكات
      بجودة لا تقل عن ٨٠٪``: two targets in one cell), → ``kind="text"``: kept as written and
      measured by hand, rather than guessing which number counts;
    - blank → ``kind="text"`` with ``text=""``.
    """
    cleaned = _clean(text)
    if not cleaned:
        return Target("text", None, None, None, None, "")
    folded = _folded(_latin(cleaned))
    unit = _unit_of(folded)

    between = _BETWEEN.search(folded)
    if between and len(_NUMBER_IN_TEXT.findall(folded)) == 2:
        low, high = _decimal(between.group(1), cleaned), _decimal(between.group(2), cleaned)
        if low > high:
            raise ValueProblem(
                _l("In “%(text)s” the lower bound is greater than the upper bound.", text=cleaned)
            )
        return Target("number", "between", low, high, unit, cleaned)

    numbers = _NUMBER_IN_TEXT.findall(folded)
    if len(numbers) > 1:
        return Target("text", None, None, None, None, cleaned)
    if numbers:
        value = _decimal(numbers[0], cleaned)
    else:
        words = [_NUMBER_WORDS[w] for w in re.findall(r"\w+", folded) if w in _NUMBER_WORDS]
        if len(words) != 1:
            return Target("text", None, None, None, None, cleaned)
        value = Decimal(words[0])

    if _AT_MOST.search(folded):
        return Target("number", "at_most", None, value, unit, cleaned)
    if _EQUALS.search(folded):
        return Target("number", "equals", value, value, unit, cleaned)
    return Target("number", "at_least", value, None, unit, cleaned)


# ----------------------------------------------------------------------------- durations

# Folded unit words → days. Dual forms ("يومان") carry their own count.
_DAY_WORDS = {"يوم": 1, "ايام": 1, "يوما": 1, "day": 1, "days": 1, "d": 1}
_UNIT_DAYS = {
    **_DAY_WORDS,
    "اسبوع": 7,
    "اسابيع": 7,
    "week": 7,
    "weeks": 7,
    "شهر": 30,
    "اشهر": 30,
    "شهور": 30,
    "month": 30,
    "months": 30,
    "سنه": 365,
    "year": 365,
}
_DUALS = {"يومان": 2, "يومين": 2, "اسبوعان": 14, "اسبوعين": 14, "شهران": 60, "شهرين": 60}
_DURATION = re.compile(rf"^({_NUMBER_TOKEN})?\s*([^\d\s]+(?:\s+عمل)?)?$")


def parse_duration(text: str | None) -> int | None:
    """``"٢٠ يوم"`` → 20, ``"١٠ أيام"`` → 10, ``"يومان"`` → 2, ``"أسبوع"`` → 7, ``"شهر"`` → 30,
    ``"3 days"`` → 3, ``"٢٠"`` (days implied) → 20; blank → ``None``. A month counts 30 days."""
    cleaned = _clean(text)
    if not cleaned:
        return None
    folded = _folded(_latin(cleaned))
    if folded in _DUALS:
        return _DUALS[folded]
    match = _DURATION.match(folded)
    word = (match.group(2) or "").removesuffix(" عمل") if match else ""
    if not match or (word and word not in _UNIT_DAYS) or not (match.group(1) or word):
        raise ValueProblem(
            _l("“%(text)s” is not a duration: write a number of days, e.g. “٢٠ يوم”.", text=cleaned)
        )
    count = _decimal(match.group(1), cleaned) if match.group(1) else Decimal(1)
    days = count * _UNIT_DAYS.get(word, 1)
    if days <= 0 or days != days.to_integral_value():
        raise ValueProblem(
            _l("A duration must be a whole number of days above zero (“%(text)s”).", text=cleaned)
        )
    return int(days)


# ----------------------------------------------------------------------------- month / quarter cells

_TICKS = frozenset("✓✔√☑✅*xX×")


def parse_month_cell(text: str | None) -> Decimal:
    """The planned count in one month or quarter: blank → 0, a tick (``✓ * x``) → 1, else the number
    (``٢٥`` trainees a month is 25)."""
    cleaned = _clean(text)
    if not cleaned:
        return Decimal(0)
    if cleaned in _TICKS:
        return Decimal(1)
    try:
        if _SPLIT_DIGITS.search(_latin(cleaned)):
            raise NumberFormatError(cleaned)
        value = parse_decimal(_latin(cleaned))
    except NumberFormatError:
        raise ValueProblem(
            _l("“%(text)s” is not a planned count: write a number, a tick (✓) or nothing.", text=cleaned)
        ) from None
    if value < 0:
        raise ValueProblem(_l("A planned count cannot be negative (“%(text)s”).", text=cleaned))
    return value


# ----------------------------------------------------------------------------- goal kind

_STRATEGIC = re.compile(r"^(الهدف\s+)?(ال)?استراتيجي(ه)?$|^strategic$")
_DEVELOPMENTAL = re.compile(r"^(الهدف\s+)?(ال)?(تطويري|تشغيلي)(ه)?$|^(developmental|operational)$")


def parse_goal_kind(text: str | None) -> Literal["strategic", "developmental"]:
    """``استراتيجي``/``strategic`` → ``"strategic"``; ``تطويري``/``تشغيلي``/``developmental`` →
    ``"developmental"`` (the seeds' "أهداف تشغيلية لتطوير ورفع أداء الجمعية")."""
    folded = _folded(_clean(text))
    if _STRATEGIC.match(folded):
        return "strategic"
    if _DEVELOPMENTAL.match(folded):
        return "developmental"
    raise ValueProblem(
        _l("“%(text)s” is not a kind of goal: write “استراتيجي” or “تطويري”.", text=_clean(text))
    )
