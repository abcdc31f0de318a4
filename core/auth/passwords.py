"""The password policy, applied wherever a password is set (one function).

A password is refused when it is shorter than ``MIN_PASSWORD_LENGTH``, made only of
digits, contains the user's e-mail or name, or is easy to guess: zxcvbn (Dropbox's
estimator, shipping frequency lists of common passwords, words and names, and
recognising repeats, sequences, keyboard patterns and dates) rates it below
``MIN_PASSWORD_SCORE`` (0–4; 2 means more than a million guesses are needed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from zxcvbn import zxcvbn

from ..i18n import lazy_gettext as _l

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
MIN_PASSWORD_SCORE = 2
# zxcvbn's cost grows with the length; what follows the first characters only makes it stronger.
_ESTIMATE_CHARS = 100
# Parts of a name or e-mail shorter than this are too common to forbid ("al", "ali", "ms"…).
_MIN_PART = 4


def user_parts(values: Iterable[str | None]) -> list[str]:
    """The words of the user's e-mail (its local part: the domain is shared by many) and
    name that a password must not contain, longest first."""
    parts: set[str] = set()
    for value in values:
        text = (value or "").strip().lower()
        if "@" in text:
            text = text.split("@", 1)[0]
        for chunk in (text, *re.split(r"[\W_]+", text)):
            if len(chunk) >= _MIN_PART:
                parts.add(chunk)
    return sorted(parts, key=len, reverse=True)


def password_problems(password: str, user_inputs: Iterable[str | None] = ()) -> list:
    """What is wrong with ``password`` (translated messages; empty when it is acceptable).

    ``user_inputs``: the user's e-mail, name… (the password must not contain them).
    """
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return [_l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [_l("Use at most %(n)s characters.", n=MAX_PASSWORD_LENGTH)]
    compact = "".join(ch for ch in password if not ch.isspace())
    if compact.isdigit():
        return [_l("A password made only of digits is too easy to guess. Add letters or words.")]
    parts = user_parts(user_inputs)
    lowered = password.lower()
    if any(part in lowered for part in parts):
        return [_l("The password must not contain your e-mail or your name.")]
    estimate = zxcvbn(password[:_ESTIMATE_CHARS], user_inputs=parts)
    if estimate["score"] < MIN_PASSWORD_SCORE:
        return [_l("This password is too common or too easy to guess. Add a few uncommon words.")]
    return []
