"""The columns of a plan file (notes/plan_format.md): each recognised by its Arabic header or
its English key, with its words for error messages in the reader's language."""

from __future__ import annotations

from ..i18n import lazy_gettext as _l
from ..numbers import normalize_digits

AR_DIGITS = "٠١٢٣٤٥٦٧٨٩"


def _ar(number: int) -> str:
    return "".join(AR_DIGITS[int(d)] for d in str(number))


# key → (Arabic header, other accepted headers, label)
COLUMNS: dict[str, tuple[str, tuple[str, ...], object]] = {
    "goal_number": ("رقم الهدف", (), _l("Goal number")),
    "goal_kind": ("نوع الهدف", (), _l("Goal kind")),
    "goal": ("الهدف", (), _l("Goal")),
    "indicator": ("المؤشر", (), _l("Indicator")),
    "target": ("المستهدف", (), _l("Target")),
    "baseline": ("خط الأساس", (), _l("Baseline")),
    "kpi_source": ("مصدر القياس", (), _l("Measure")),
    "program_group": ("البرنامج", (), _l("Program group")),
    "activity": ("النشاط", (), _l("Activity")),
    "catalog_program": ("برنامج المساعدات", (), _l("Aid program")),
    "planned": ("المخطط", (), _l("Planned")),
    "unit": ("الوحدة", (), _l("Unit")),
    **{f"m{m}": (_ar(m), (), _l("Month %(month)s", month=m)) for m in range(1, 13)},
    **{f"q{q}": ("ر" + _ar(q), (), _l("Quarter %(quarter)s", quarter=q)) for q in range(1, 5)},
    "duration": ("المدة", (), _l("Duration")),
    "deliverable": ("مؤشر الإنجاز", (), _l("Deliverable")),
    "department": ("جهة التنفيذ", ("مسؤولية التنفيذ",), _l("Executing department")),
    "cost": ("التكلفة", (), _l("Cost")),
}
MONTH_KEYS = tuple(f"m{m}" for m in range(1, 13))
QUARTER_KEYS = tuple(f"q{q}" for q in range(1, 5))


def _norm(header: str) -> str:
    return " ".join(normalize_digits(str(header or "")).replace("\ufeff", "").split()).lower()


HEADER_KEYS: dict[str, str] = {}
for _key, (_arabic, _others, _label) in COLUMNS.items():
    for _name in (_key, _arabic, *_others):
        HEADER_KEYS[_norm(_name)] = _key


def key_of(header: str) -> str | None:
    return HEADER_KEYS.get(_norm(header))


def label_of(key: str) -> str:
    return str(COLUMNS[key][2]) if key in COLUMNS else key


def template_headers() -> list[str]:
    """The downloadable template's header row: the Arabic headers, in the seed's order."""
    return [arabic for arabic, _others, _label in COLUMNS.values()]
