"""The columns of a household import and their words: the column codes, their titles in
Arabic and English (read back in either language), and the choice columns' values (a code or
its label in either language, Arabic spelling variants folded)."""

from __future__ import annotations

import re

from flask_babel import force_locale

from ..i18n import LANGUAGES, current_language
from ..i18n import lazy_gettext as _l
from .labels import LABELS
from .models import GENDERS, HOUSING_TENURES, MARITAL_STATUSES, RELATIONSHIPS
from .services import PERSON_FIELDS, household_categories

PERSON_COLUMNS = PERSON_FIELDS
MEMBER_COLUMNS = ("resides_with_head", "studying")
HOUSEHOLD_COLUMNS = ("housing_tenure", "annual_rent", "category")
COLUMNS = ("household", "relationship", *PERSON_COLUMNS, *MEMBER_COLUMNS, *HOUSEHOLD_COLUMNS)
HEAD = "head"
# Arabic column titles people use in their spreadsheets.
ARABIC_HEADERS = {
    "رقم الأسرة": "household",
    "الأسرة": "household",
    "صلة القرابة": "relationship",
    "الاسم الأول": "first_name",
    "اسم الأب": "father_name",
    "اسم الجد": "grandfather_name",
    "اسم العائلة": "family_name",
    "رقم الهوية": "national_id",
    "تاريخ انتهاء الهوية": "id_expiry",
    "الجنسية": "nationality",
    "تاريخ الميلاد": "birth_date",
    "الجنس": "gender",
    "الحالة الاجتماعية": "marital_status",
    "الجوال": "phone",
    "البريد الإلكتروني": "email",
    "العنوان الوطني": "national_address",
    "المدينة": "city",
    "العمل": "job",
    "الدخل الشهري": "monthly_income",
    "مقيم مع رب الأسرة": "resides_with_head",
    "يدرس": "studying",
    "السكن": "housing_tenure",
    "الإيجار السنوي": "annual_rent",
    "الفئة": "category",
}
# The columns as people name them: the template file's header and the report, in the user's
# language; a header in either language (or the code) is read.
COLUMN_LABELS = {
    "household": _l("Household reference"),
    "relationship": _l("Relationship"),
    "first_name": _l("First name"),
    "father_name": _l("Father's name"),
    "grandfather_name": _l("Grandfather's name"),
    "family_name": _l("Family name"),
    "national_id": _l("ID number"),
    "id_expiry": _l("ID expiry date"),
    "nationality": _l("Nationality"),
    "birth_date": _l("Birth date"),
    "gender": _l("Gender"),
    "marital_status": _l("Marital status"),
    "phone": _l("Mobile"),
    "email": _l("E-mail"),
    "national_address": _l("National address"),
    "city": _l("City"),
    "job": _l("Job"),
    "monthly_income": _l("Monthly income"),
    "resides_with_head": _l("Lives with the head of household"),
    "studying": _l("Studying"),
    "housing_tenure": _l("Housing"),
    "annual_rent": _l("Annual rent"),
    "category": _l("Category"),
}
# Columns whose values are codes: a cell may hold the code or its label in Arabic or English
# ("ذكر", "Married", "متزوجة").
CHOICE_COLUMNS = ("relationship", "gender", "marital_status", "housing_tenure", "category")
RELATIONSHIP_WORDS = {
    "رب الأسرة": HEAD,
    "زوج": "spouse",
    "زوجة": "spouse",
    "ابن": "son",
    "ابنة": "daughter",
    "بنت": "daughter",
    "أب": "father",
    "أم": "mother",
    "أخ": "brother",
    "أخت": "sister",
    "حفيد": "grandson",
    "حفيدة": "granddaughter",
    "أخرى": "other",
}


def column_label(code: str) -> str:
    """A column in the user's language (``"—"`` for a problem of the whole row or file)."""
    if code in ("_row", "_file", "_schema"):
        return "—"
    return str(COLUMN_LABELS.get(code, code))


_ARABIC_MARKS = re.compile("[\u0640\u064b-\u0652]")  # tatweel and harakat
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})


def fold(text: str) -> str:
    """A cell's text compared as people mean it: case, harakat and alef/ta marbuta forms aside."""
    return _ARABIC_MARKS.sub("", str(text)).translate(_ARABIC_LETTERS).casefold().strip()


def _choice_labels(column: str) -> list[tuple[str, object]]:
    """(code, lazy label) of a choice column."""
    if column == "category":
        return [(choice.code, choice.label) for choice in household_categories()]
    codes = {
        "relationship": (HEAD, *RELATIONSHIPS),
        "gender": GENDERS,
        "marital_status": MARITAL_STATUSES,
        "housing_tenure": HOUSING_TENURES,
    }[column]
    return [(code, LABELS.get(code, code)) for code in codes]


def choice_tables() -> dict[str, dict[str, str]]:
    """For each choice column: every accepted word (code, Arabic and English labels and each
    form of a "متزوج/متزوجة" label) → its code. Built once per import."""
    tables: dict[str, dict[str, str]] = {}
    for column in CHOICE_COLUMNS:
        table: dict[str, str] = {}
        for code, text in _choice_labels(column):
            table[fold(code)] = code
            for language in LANGUAGES:
                with force_locale(language):
                    for word in str(text).split("/"):
                        table.setdefault(fold(word), code)
        if column == "relationship":
            table.update({fold(word): code for word, code in RELATIONSHIP_WORDS.items()})
        tables[column] = table
    return tables


def allowed_values(column: str) -> str:
    """The values a choice column accepts, in the user's language."""
    separator = "، " if current_language() == "ar" else ", "
    return separator.join(str(text) for _code, text in _choice_labels(column))


def header_table() -> dict[str, str]:
    table = {fold(title): code for title, code in ARABIC_HEADERS.items()}
    for code, text in COLUMN_LABELS.items():
        table[fold(code)] = code
        for language in LANGUAGES:
            with force_locale(language):
                table.setdefault(fold(str(text)), code)
    return table
