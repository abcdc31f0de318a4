"""The tenant's settings of the plugin (validated when saved) and the seed's reference lists."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from core.toolkit import Name, current_language

from .i18n import _l

# Seed 001 / the spec: the activities of home-based producers. The tenant picks the ones it serves.
ACTIVITIES = {
    "food": ("أطعمة ومأكولات منزلية", "Home-cooked food"),
    "sweets": ("حلويات", "Sweets"),
    "sewing": ("خياطة وتطريز", "Sewing and embroidery"),
    "handicrafts": ("حرف يدوية", "Handicrafts"),
    "perfume_incense": ("عطور وبخور", "Perfume and incense"),
    "cosmetics": ("منتجات تجميل طبيعية", "Natural cosmetics"),
    "dates": ("منتجات التمور", "Date products"),
    "other": ("نشاط آخر", "Another activity"),
}
ACTIVITY_CODES = tuple(ACTIVITIES)
CHOOSE = _l("Choose one of the listed values.")

# Which activities need a licence, and the government body that issues it (seed 001, goal 1
# tasks 1 and 2). A tenant changes the list in its settings.
DEFAULT_LICENSED = {
    "food": {"issuing_body": "وزارة البلديات والإسكان — منصة بلدي"},
    "sweets": {"issuing_body": "وزارة البلديات والإسكان — منصة بلدي"},
    "perfume_incense": {"issuing_body": "وزارة البلديات والإسكان — منصة بلدي"},
    "cosmetics": {"issuing_body": "الهيئة العامة للغذاء والدواء"},
    "handicrafts": {"issuing_body": "هيئة التراث — رخصة الحرفي"},
}
DEFAULT_INCENTIVES = [
    "أولوية المشاركة في المعارض المتخصصة",
    "إعفاء من رسوم الجناح في المعرض السنوي",
    "أولوية الترشيح للتمويل والتدريب",
]


class _ActivityNames(dict):
    """Activity names by code, in the current language (the settings form's choices)."""

    def __getitem__(self, code):
        ar, en = ACTIVITIES[code]
        return en if current_language() == "en" else ar

    def __contains__(self, code):
        return code in ACTIVITIES

    def __iter__(self):
        return iter(ACTIVITIES)

    def items(self):
        return [(code, self[code]) for code in ACTIVITIES]


ACTIVITY_NAMES = _ActivityNames()

# The skill areas a family may need training in (seed 001, goal 6 task 1: the training needs
# study). The tenant picks the areas it offers; programs and trainers' specialities use the same list.
SKILL_AREAS = {
    "marketing": ("التسويق الإلكتروني", "Online marketing"),
    "packaging": ("التغليف والتعبئة", "Packaging"),
    "food_safety": ("سلامة الغذاء", "Food safety"),
    "pricing": ("التسعير والمحاسبة", "Pricing and bookkeeping"),
    "product_development": ("تطوير المنتج وجودته", "Product development and quality"),
    "photography": ("تصوير المنتجات", "Product photography"),
    "project_management": ("إدارة المشروع الصغير", "Running a small business"),
    "crafts": ("مهارات حرفية متقدمة", "Advanced craft skills"),
    "sewing_design": ("التصميم والخياطة", "Design and sewing"),
}
SKILL_CODES = tuple(SKILL_AREAS)


def skill_name(code: str) -> str:
    """A skill area in words, in the current language (the code itself when unknown)."""
    if code not in SKILL_AREAS:
        return code
    ar, en = SKILL_AREAS[code]
    return en if current_language() == "en" else ar


class _SkillNames(dict):
    def __getitem__(self, code):
        return skill_name(code)

    def __contains__(self, code):
        return code in SKILL_AREAS

    def __iter__(self):
        return iter(SKILL_AREAS)

    def items(self):
        return [(code, skill_name(code)) for code in SKILL_AREAS]


SKILL_NAMES = _SkillNames()


def activity_name(code: str) -> str:
    """An activity in words, in the current language (the code itself when unknown)."""
    return ACTIVITY_NAMES[code] if code in ACTIVITIES else code


class LicenceRuleSchema(Schema):
    class Meta:
        unknown = RAISE

    issuing_body = Name(
        required=True, validate=validate.Length(min=2, max=160), metadata={"label": _l("Issuing body")}
    )


class SettingsSchema(Schema):
    class Meta:
        unknown = RAISE

    activities = fields.List(
        fields.String(validate=validate.OneOf(ACTIVITY_CODES, error=CHOOSE)),
        load_default=lambda: list(ACTIVITY_CODES),
        metadata={"label": _l("Activities the association serves"), "choices": ACTIVITY_NAMES},
    )
    licensed_activities = fields.Dict(
        keys=fields.String(
            validate=validate.OneOf(ACTIVITY_CODES, error=CHOOSE), metadata={"choices": ACTIVITY_NAMES}
        ),
        values=fields.Nested(LicenceRuleSchema),
        load_default=lambda: {code: dict(rule) for code, rule in DEFAULT_LICENSED.items()},
        metadata={
            "label": _l("Activities that need a licence"),
            "description": _l("Tick an activity that needs a licence and name the body that issues it."),
        },
    )
    incentives = fields.List(
        Name(validate=validate.Length(min=2, max=255)),
        load_default=lambda: list(DEFAULT_INCENTIVES),
        metadata={
            "label": _l("Incentives for licensed families"),
            "description": _l("One incentive per box."),
        },
    )
    licence_warning_days = fields.Integer(
        load_default=30,
        validate=validate.Range(min=1, max=365),
        metadata={"label": _l("Warn this many days before a licence expires"), "unit": _l("days")},
    )
    partnership_quality_threshold = fields.Integer(
        load_default=80,
        validate=validate.Range(min=0, max=100),
        metadata={"label": _l("Quality a partnership must reach to count (seed 001: 80 %)"), "unit": "%"},
    )
    page_size = fields.Integer(
        load_default=50,
        validate=validate.Range(min=10, max=200),
        metadata={"label": _l("Rows per list page")},
    )
    training_skill_areas = fields.List(
        fields.String(validate=validate.OneOf(SKILL_CODES, error=CHOOSE)),
        load_default=lambda: list(SKILL_CODES),
        metadata={"label": _l("Skill areas the association trains in"), "choices": SKILL_NAMES},
    )
    training_completion_share = fields.Integer(
        load_default=75,
        validate=validate.Range(min=1, max=100),
        metadata={
            "label": _l("Share of a program's sessions a producer must attend to complete it"),
            "unit": "%",
        },
    )
    initiative_quality_target = fields.Integer(
        load_default=95,
        validate=validate.Range(min=1, max=100),
        metadata={"label": _l("Quality an initiative must reach (seed 001: 95 %)"), "unit": "%"},
    )
    # Graduation (services/graduation.py): income follow-ups this many months after each anchor.
    followup_months = fields.List(
        fields.Integer(strict=False, validate=validate.Range(min=1, max=60)),
        load_default=lambda: [3, 6, 12],
        validate=lambda months: _distinct_months(months),
        metadata={
            "label": _l("Income follow-ups, months after a licence, financing or training"),
            "description": _l("One number of months per box, e.g. 3, 6 and 12."),
        },
    )
    followup_window_days = fields.Integer(
        load_default=14,
        validate=validate.Range(min=1, max=90),
        metadata={
            "label": _l("A follow-up is due this many days either side of its date"),
            "unit": _l("days"),
        },
    )


def _distinct_months(months: list[int]) -> bool:
    if not months:
        raise ValidationError(_l("Give at least one number of months."))
    if len(set(months)) != len(months):
        raise ValidationError(_l("Each number of months once."))
    return True
