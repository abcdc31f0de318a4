"""The definitions of seed 004's categories (الحالات المستحقة) as plain rules: does a household's
category fit its facts? Data in, data out, no database.

- ``family``: father, mother and children / a widow or a divorcee and her children / sisters
  in one home — the head with at least one spouse, child or sister living with them;
- ``prisoner_family``: the people a prisoner supported before imprisonment — the household's
  breadwinner is recorded as imprisoned;
- ``adult_unable``: a man or woman (18 or older) unable to work for health or other reasons —
  recorded with the reason;
- ``orphan``: a child from birth to 18 who lost both parents and has no relative supporting
  them — age from the birth date, both parents recorded as deceased and none living in the
  household, nobody supporting (no relative recorded, no member with an income);
- ``unmarried_woman``: an unmarried woman with no one supporting her — a woman, single, nobody
  supporting.

Each problem is a code (the pages put it in words); ``fits`` is None when a fact the rule
needs is missing (the birth date, the marital status), so the researcher checks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .rules import anniversary, older_than

FAMILY_RELATIONSHIPS = frozenset({"spouse", "son", "daughter", "sister"})
PARENT_RELATIONSHIPS = frozenset({"father", "mother"})
# Problems that only say a fact is missing: the result is "cannot tell", not "does not fit".
MISSING = frozenset({"birth_date_missing", "marital_status_missing"})


@dataclass(frozen=True)
class MemberLine:
    relationship: str
    monthly_income: int = 0
    resides: bool = True


@dataclass(frozen=True)
class CategoryFacts:
    category: str
    head_gender: str | None = None
    head_birth_date: date | None = None
    head_marital_status: str | None = None
    head_monthly_income: int = 0
    members: tuple[MemberLine, ...] = ()
    father_deceased: bool = False
    mother_deceased: bool = False
    supported_by_relative: bool = False
    unable_to_work: bool = False
    unable_to_work_reason: str = ""
    breadwinner_imprisoned: bool = False


@dataclass(frozen=True)
class CategoryResult:
    category: str
    fits: bool | None
    problems: tuple[str, ...] = ()
    facts: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "category": self.category,
            "fits": self.fits,
            "problems": list(self.problems),
            "facts": self.facts,
        }


def age_on(birth: date, today: date) -> int:
    """Full years on ``today`` (29 February birthdays counted on 28 February)."""
    years = today.year - birth.year
    return years - 1 if today < anniversary(birth, years) else years


def _supporters(facts: CategoryFacts) -> int:
    """Members living with the head who earn an income (they support the household)."""
    return sum(1 for m in facts.members if m.resides and m.monthly_income > 0)


def _facts_used(facts: CategoryFacts, today: date) -> dict:
    used = {
        "head_gender": facts.head_gender,
        "head_birth_date": facts.head_birth_date.isoformat() if facts.head_birth_date else None,
        "head_age": age_on(facts.head_birth_date, today) if facts.head_birth_date else None,
        "head_marital_status": facts.head_marital_status,
        "head_monthly_income": facts.head_monthly_income,
        "members": [m.relationship for m in facts.members if m.resides],
        "earning_members": _supporters(facts),
    }
    if facts.category == "orphan":
        used.update(father_deceased=facts.father_deceased, mother_deceased=facts.mother_deceased)
    if facts.category in ("orphan", "unmarried_woman"):
        used["supported_by_relative"] = facts.supported_by_relative
    if facts.category == "adult_unable":
        used.update(unable_to_work=facts.unable_to_work, unable_to_work_reason=facts.unable_to_work_reason)
    if facts.category == "prisoner_family":
        used["breadwinner_imprisoned"] = facts.breadwinner_imprisoned
    return used


def _orphan(facts: CategoryFacts, today: date, settings: dict) -> list[str]:
    problems = []
    limit = int(settings.get("orphan_age_limit_years", 18))
    if facts.head_birth_date is None:
        problems.append("birth_date_missing")
    elif older_than(facts.head_birth_date, limit, today):
        problems.append("too_old")
    if any(m.relationship in PARENT_RELATIONSHIPS and m.resides for m in facts.members):
        problems.append("parent_in_household")
    if not (facts.father_deceased and facts.mother_deceased):
        problems.append("parents_not_lost")
    if facts.supported_by_relative or _supporters(facts):
        problems.append("supported")
    return problems


def _unmarried_woman(facts: CategoryFacts, today: date, settings: dict) -> list[str]:
    problems = []
    if facts.head_gender != "female":
        problems.append("not_a_woman")
    if facts.head_marital_status is None:
        problems.append("marital_status_missing")
    elif facts.head_marital_status != "single":
        problems.append("not_unmarried")
    if facts.supported_by_relative or _supporters(facts):
        problems.append("supported")
    return problems


def _adult_unable(facts: CategoryFacts, today: date, settings: dict) -> list[str]:
    problems = []
    if facts.head_birth_date is None:
        problems.append("birth_date_missing")
    elif today < anniversary(facts.head_birth_date, 18):
        problems.append("not_adult")
    if not (facts.unable_to_work and facts.unable_to_work_reason.strip()):
        problems.append("able_to_work")
    return problems


def _prisoner_family(facts: CategoryFacts, today: date, settings: dict) -> list[str]:
    return [] if facts.breadwinner_imprisoned else ["no_prisoner"]


def _family(facts: CategoryFacts, today: date, settings: dict) -> list[str]:
    if not any(m.relationship in FAMILY_RELATIONSHIPS and m.resides for m in facts.members):
        return ["no_family_members"]
    return []


RULES = {
    "family": _family,
    "prisoner_family": _prisoner_family,
    "adult_unable": _adult_unable,
    "orphan": _orphan,
    "unmarried_woman": _unmarried_woman,
}


def check_category(facts: CategoryFacts, today: date, settings: dict) -> CategoryResult:
    """Whether the household's category fits its facts; a category without a rule (another
    plugin's, a tenant's own) is not judged (``fits`` None, no problems)."""
    rule = RULES.get(facts.category)
    used = _facts_used(facts, today)
    if rule is None:
        return CategoryResult(facts.category, None, (), used)
    problems = tuple(rule(facts, today, settings))
    if not problems:
        return CategoryResult(facts.category, True, (), used)
    fits = None if set(problems) <= MISSING else False
    return CategoryResult(facts.category, fits, problems, used)
