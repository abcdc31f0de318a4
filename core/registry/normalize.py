"""Arabic name normalisation for search: one spelling for the many ways a name is typed.

Pure functions, no Flask. ``normalize_name("أحمَد  عبد الله")`` → ``"احمد عبدالله"``.
Rules: diacritics (tashkeel, superscript alef) and tatweel removed; أ إ آ ٱ → ا;
ة → ه; ى → ي; ؤ → و; ئ → ي; lone hamza ء removed; Persian/Urdu letter forms
(ی ک) folded to Arabic; Latin lowercased; "عبد X" joined to "عبدX" (names are written
both ways); punctuation dropped and whitespace collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        "ء": None,
        "ی": "ي",
        "ك": "ك",
        "ک": "ك",
        "ہ": "ه",
        _TATWEEL: None,
    }
)
_NOT_NAME = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")
_ABD = re.compile(r"(^| )عبد (?=\S)")


# Distinct spellings remembered by :func:`normalize_name` (names repeat massively in an import:
# a few thousand first and family names make up a whole registry). Bounded, so memory is too:
# ~5.5 MB full (1 << 16 was ~22 MB and took a 200k-row import over 300 MB, bench/README.md).
NORMALIZED_KEPT = 1 << 14
# Distinct name parts remembered by the search keys' build (:func:`name_forms`): single names,
# far fewer than whole names (~2 MB full).
PARTS_KEPT = 1 << 14


def normalize_name(text: str | None) -> str:
    if not text:
        return ""
    return _normalized(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=NORMALIZED_KEPT)
def _normalized(text: str) -> str:
    """:func:`normalize_name` of a non-empty string, remembered (a pure function of ``text``)."""
    return _joined_abd(_spelled(text))


def _spelled(text: str) -> str:
    """Every rule but the «عبد X» join: character by character, then spaces collapsed. Each
    step is local to a character (or, for a final sigma's case, to a word), so the spelling of
    parts joined by a space is the spellings of the parts joined by a space (empty ones left
    out): :func:`name_forms` relies on it, tests/registry/test_search_name_parts.py checks it."""
    text = unicodedata.normalize("NFKC", text)
    text = _DIACRITICS.sub("", text)
    text = text.translate(_FOLD).lower()
    text = _NOT_NAME.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()


def _joined_abd(spelled: str) -> str:
    """The «عبد X» join, on a whole name only: which «عبد» joins the word after it depends on
    the words before (``"عبد عبد الله"`` → ``"عبدعبد الله"``), so it is never applied to a part
    alone and then joined."""
    return _ABD.sub(r"\1عبد", spelled) if "عبد " in spelled else spelled


def spelled(text: str | None) -> str:
    """``text`` normalised but for the «عبد X» join (how many words were typed)."""
    return _spelled(text) if text else ""


@lru_cache(maxsize=PARTS_KEPT)
def _spelled_part(part: str) -> str:
    return _spelled(part)


def full_name(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def normalized_full_name(*parts: str | None) -> str:
    return normalize_name(full_name(*parts))


def name_keys(*parts: str | None) -> list[str]:
    """The search keys of a name given in its parts (first, father, grandfather, family):
    every ordered choice of the parts that ends with the last one present, normalised.

    Any ordered subset of the parts is a prefix of one of them (add the last part), so a
    prefix match on the keys finds "first + family", "first + father + family", "father +
    family", the family name alone, the full name, and any of these with the last word
    half typed. ``name_keys("أحمد", "محمد", "", "الزهراني")`` →
    ``["احمد الزهراني", "احمد محمد الزهراني", "الزهراني", "محمد الزهراني"]``.
    """
    return name_forms(*parts)[2]


def name_forms(*parts: str | None) -> tuple[str, str, list[str]]:
    """``(normalized full name, normalized family name — the last argument, search keys)`` of a
    name given in its parts, each as :func:`normalized_full_name`, :func:`normalize_name` and :func:`name_keys`
    define it, but each part spelled once (remembered per part: an import has a few thousand
    distinct parts) and every choice joined from the spellings, the «عبد X» join applied to
    each joined choice. Equal to normalising each joined choice afresh (a hypothesis test)."""
    present = [part.strip() for part in parts if part and part.strip()]
    if not present:
        return "", "", []
    spelled = [_spelled_part(part) for part in present]
    *rest, last = spelled
    keys = set()
    for mask in range(1 << len(rest)):
        chosen = [part for i, part in enumerate(rest) if mask >> i & 1 and part]
        if last:
            chosen.append(last)
        keys.add(_joined_abd(" ".join(chosen)))
    family = (parts[-1] or "").strip()
    full = _joined_abd(" ".join(part for part in spelled if part))
    return full, _joined_abd(_spelled_part(family)) if family else "", sorted(key for key in keys if key)
