"""The Makkah association's rules (seed 004) as plain functions: data in, data out.

No request, no database: every function takes the tenant's settings (a dict validated by
``settings.SettingsSchema``) and the facts, and returns the result with the figures it used.
Money is in halalas (integers) throughout; dates are ``datetime.date``.
"""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

NEED_ITEMS = ("food_drink", "medical", "housing", "education")
SANCTION_KINDS = ("timed", "condition", "stop", "permanent", "dismissal")
# Member relationships the seed's member-level exclusions apply to.
MALE_CHILD_RELATIONSHIPS = frozenset({"son", "brother", "grandson"})
FEMALE_CHILD_RELATIONSHIPS = frozenset({"daughter", "sister", "granddaughter"})
# Categories where the beneficiary is the child/woman herself (file-level exclusion).
SELF_BENEFICIARY_CATEGORIES = frozenset({"orphan", "unmarried_woman"})


# --------------------------------------------------------------------------- dates


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def as_date(value: date | str | None) -> date | None:
    """A date from a ``date`` or an ISO string (JSON-stored data)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def anniversary(birth: date, years: int) -> date:
    """The day ``birth`` turns ``years`` (29 February → 28 February in common years)."""
    return add_months(birth, 12 * years)


def older_than(birth: date | None, years: int, today: date) -> bool:
    """Strictly past the ``years``-th birthday ("تجاوز ١٨ سنة": from the day after it)."""
    return birth is not None and today > anniversary(birth, years)


# --------------------------------------------------------------------------- the gap and the band


@dataclass(frozen=True)
class PersonLine:
    """One person of the household as the assessment sees them (head or member)."""

    key: str  # "head" or "member:<id>"
    name: str
    relationship: str  # "head", "son", …
    annual_income: int = 0
    resides_permanently: bool = True
    excluded_reason: str | None = None  # a confirmed member-level exclusion
    needs: dict = field(default_factory=dict)  # member's own needs by item, if recorded apart

    @property
    def is_head(self) -> bool:
        return self.relationship == "head"

    @property
    def counted(self) -> bool:
        """The head always counts; a member only while living permanently with the head."""
        return self.is_head or (self.resides_permanently and not self.excluded_reason)


@dataclass(frozen=True)
class BandResult:
    eligible: bool
    band: str | None
    ceiling: int | None
    label_ar: str = ""
    label_en: str = ""


def band_for(gap: int, settings: dict) -> BandResult:
    """The band of a gap: not eligible under the minimum; else the first band whose upper
    bound (inclusive) holds it, the open-ended last band above them all."""
    if gap < settings["min_gap_halalas"]:
        return BandResult(False, None, None)
    for band in settings["bands"]:
        if band["up_to_halalas"] is None or gap <= band["up_to_halalas"]:
            return BandResult(True, band["code"], band["ceiling_halalas"], band["label_ar"], band["label_en"])
    # Validated settings always end with an open band; be explicit anyway.
    last = settings["bands"][-1]
    return BandResult(True, last["code"], last["ceiling_halalas"], last["label_ar"], last["label_en"])


@dataclass(frozen=True)
class GapAssessment:
    needs_by_item: dict
    needs_total: int
    income_by_person: list
    income_total: int
    gap: int
    eligible: bool
    band: str | None
    ceiling: int | None
    min_gap: int
    band_label_ar: str = ""
    band_label_en: str = ""

    def figures(self) -> dict:
        return asdict(self)


def assess_gap(needs: dict, people: list[PersonLine], settings: dict) -> GapAssessment:
    """needs = household needs by item + the own needs of counted members;
    income = head + members living permanently with the head; gap = needs − income."""
    by_item = {item: int(needs.get(item) or 0) for item in NEED_ITEMS}
    lines = []
    for person in people:
        counted = person.counted
        if counted:
            for item in NEED_ITEMS:
                by_item[item] += int(person.needs.get(item) or 0)
        lines.append(
            {
                "key": person.key,
                "name": person.name,
                "relationship": person.relationship,
                "annual_income": int(person.annual_income),
                "resides_permanently": person.resides_permanently,
                "excluded_reason": person.excluded_reason,
                "own_needs": {k: int(v) for k, v in person.needs.items() if v},
                "counted": counted,
            }
        )
    needs_total = sum(by_item.values())
    income_total = sum(line["annual_income"] for line in lines if line["counted"])
    gap = needs_total - income_total
    band = band_for(gap, settings)
    return GapAssessment(
        needs_by_item=by_item,
        needs_total=needs_total,
        income_by_person=lines,
        income_total=income_total,
        gap=gap,
        eligible=band.eligible,
        band=band.band,
        ceiling=band.ceiling,
        min_gap=settings["min_gap_halalas"],
        band_label_ar=band.label_ar,
        band_label_en=band.label_en,
    )


# --------------------------------------------------------------------------- violations ladder


def ladder_item(settings: dict, code: str) -> dict | None:
    return next((item for item in settings["ladder"] if item["code"] == code), None)


def sanction_for(settings: dict, code: str, occurrence: int) -> dict:
    """The sanction of the ``occurrence``-th violation of ``code`` in one file (1-based).

    Past the last column ("—": the previous sanction already ends the file) the last
    sanction applies again.
    """
    item = ladder_item(settings, code)
    if item is None:
        raise KeyError(code)
    sanctions = item["sanctions"]
    return dict(sanctions[min(max(occurrence, 1), len(sanctions)) - 1])


def sanction_end(sanction: dict, start: date) -> date | None:
    """The end date of a timed suspension (start + months); None for the other kinds."""
    if sanction["kind"] != "timed":
        return None
    return add_months(start, int(sanction["months"]))


def suspension_over(ends_on: date | None, today: date) -> bool:
    """A timed suspension ends by itself on its end date."""
    return ends_on is not None and today >= ends_on


# The file's suspension condition while a timed suspension is over but its pledge is missing.
PLEDGE_CONDITION_AR = "حتى إرفاق الإقرار الخطي"
SUSPENDING_KINDS = ("timed", "condition", "stop", "permanent")
# core's ``suspension_condition`` of a file under an indefinite stop (no end date, no condition).
INDEFINITE = "indefinite"
# Sanctions with no end: recording a violation that brings one asks for confirmation first.
SEVERE_KINDS = ("permanent", "dismissal")


def pledge_required(sanction: dict) -> bool:
    """A suspension "+ written pledge" (or "until … a pledge is signed") needs the document."""
    return bool(sanction.get("pledge")) and sanction.get("kind") in ("timed", "condition")


def pledge_counts(uploaded_on: date, occurred_on: date) -> bool:
    """A pledge counts for a violation when it was attached on or after the violation date."""
    return uploaded_on >= occurred_on


def pledge_status(sanction: dict, pledge_attached: bool) -> str:
    """``not_required``, ``attached`` or ``missing``."""
    if not pledge_required(sanction):
        return "not_required"
    return "attached" if pledge_attached else "missing"


def awaiting_pledge(sanction: dict, ends_on: date | None, today: date, pledge_attached: bool) -> bool:
    """A timed suspension whose period is over but whose pledge is still missing: it stays
    in force "until the pledge is attached"."""
    return (
        sanction.get("kind") == "timed"
        and suspension_over(ends_on, today)
        and pledge_required(sanction)
        and not pledge_attached
    )


def timed_may_end(sanction: dict, ends_on: date | None, today: date, pledge_attached: bool) -> bool:
    """A timed suspension ends by itself at its date, once its pledge (if any) is attached."""
    return (
        sanction.get("kind") == "timed"
        and suspension_over(ends_on, today)
        and not awaiting_pledge(sanction, ends_on, today, pledge_attached)
    )


@dataclass(frozen=True)
class InForce:
    """A sanction in force on a file, as the file's status sees it."""

    id: int
    kind: str  # timed / condition / stop / permanent
    ends_on: date | None = None
    condition: str = ""
    awaiting_pledge: bool = False


def strength(sanction: InForce) -> tuple:
    """Permanent > an indefinite stop (no end, lifted only by staff) > a timed suspension (the
    later end date the stronger) > a condition (a timed one over but awaiting its pledge counts
    as a condition); ties: the latest recorded."""
    if sanction.kind == "permanent":
        return (4, date.max, sanction.id)
    if sanction.kind == "stop":
        return (3, date.max, sanction.id)
    if sanction.kind == "timed" and not sanction.awaiting_pledge and sanction.ends_on is not None:
        return (2, sanction.ends_on, sanction.id)
    return (1, date.min, sanction.id)


def effective_sanction(sanctions: list[InForce]) -> InForce | None:
    """The strongest sanction in force, the one the file's status reflects (None: none)."""
    candidates = [s for s in sanctions if s.kind in SUSPENDING_KINDS]
    return max(candidates, key=strength) if candidates else None


def file_suspension(sanction: InForce) -> dict:
    """Core's ``suspended_until`` / ``suspension_condition`` for the effective sanction."""
    if sanction.kind == "permanent":
        return {"suspended_until": None, "suspension_condition": "permanent"}
    if sanction.kind == "stop":
        return {"suspended_until": None, "suspension_condition": INDEFINITE}
    if sanction.kind == "timed" and not sanction.awaiting_pledge:
        return {"suspended_until": sanction.ends_on, "suspension_condition": None}
    if sanction.kind == "timed":
        return {"suspended_until": None, "suspension_condition": PLEDGE_CONDITION_AR}
    return {"suspended_until": None, "suspension_condition": (sanction.condition or "")[:255] or None}


def blocks_new_aid(sanction_kind: str) -> bool:
    """Every sanction in force stops new approvals and disbursements."""
    return sanction_kind in SANCTION_KINDS


# --------------------------------------------------------------------------- renewal


def renewal_due(announced_on: date, settings: dict) -> date:
    """Due date = announcement date + the tenant's window."""
    return announced_on + timedelta(days=int(settings["renewal_window_days"]))


def days_late(due_on: date, today: date) -> int:
    return max(0, (today - due_on).days)


def renewal_is_late(due_on: date, today: date, settings: dict, renewed_on: date | None = None) -> bool:
    """Late by ``late_renewal_days`` (30) days or more after the due date and still not renewed.

    Seed 004 reads "تأخر ... عن التحديث النصف السنوي لمدة ٣٠ يوماً": late *for a period of*
    30 days. On day 30 after the due date the household has been late for 30 days, so the
    condition holds on that day itself (not from day 31)."""
    return renewed_on is None and days_late(due_on, today) >= int(settings["late_renewal_days"])


def next_round_date(last_announced: date | None, settings: dict) -> date | None:
    return add_months(last_announced, int(settings["renewal_interval_months"])) if last_announced else None


# --------------------------------------------------------------------------- automatic exclusion rules


@dataclass(frozen=True)
class MemberFacts:
    member_id: int
    name: str
    relationship: str
    gender: str | None = None
    birth_date: date | None = None
    marital_status: str | None = None
    studying: bool = False
    resides_permanently: bool = True


@dataclass(frozen=True)
class HouseholdFacts:
    file_id: int
    category: str
    head_name: str
    head_gender: str | None = None
    head_birth_date: date | None = None
    head_marital_status: str | None = None
    head_studying: bool = False
    head_city: str | None = None
    sponsored_workers: int = 0
    members: tuple[MemberFacts, ...] = ()
    renewal_due_on: date | None = None
    renewed_on: date | None = None


@dataclass(frozen=True)
class Proposal:
    reason: str
    scope: str  # "file" or "member"
    evidence: dict
    member_id: int | None = None


def rule_late_renewal(facts: HouseholdFacts, settings: dict, today: date, area: list[str]) -> list[Proposal]:
    due = facts.renewal_due_on
    if due is None or not renewal_is_late(due, today, settings, facts.renewed_on):
        return []
    evidence = {
        "due_on": due.isoformat(),
        "days_late": days_late(due, today),
        "allowed_days": int(settings["late_renewal_days"]),
    }
    return [Proposal("late_renewal", "file", evidence)]


def rule_workers(facts: HouseholdFacts, settings: dict, today: date, area: list[str]) -> list[Proposal]:
    allowed = int(settings["max_sponsored_workers"])
    if facts.sponsored_workers > allowed:
        return [
            Proposal("workers", "file", {"sponsored_workers": facts.sponsored_workers, "allowed": allowed})
        ]
    return []


def rule_moved_away(facts: HouseholdFacts, settings: dict, today: date, area: list[str]) -> list[Proposal]:
    city = (facts.head_city or "").strip()
    area = [a.strip() for a in area if a and a.strip()]
    if area and city and city not in area:
        return [Proposal("moved_away", "file", {"city": city, "service_area": area})]
    return []


def rule_male_over_18(facts: HouseholdFacts, settings: dict, today: date, area: list[str]) -> list[Proposal]:
    years = int(settings["male_age_limit_years"])
    found = []
    for m in facts.members:
        if (
            m.gender == "male"
            and m.relationship in MALE_CHILD_RELATIONSHIPS
            and m.resides_permanently
            and not m.studying
            and older_than(m.birth_date, years, today)
        ):
            evidence = {
                "name": m.name,
                "birth_date": m.birth_date.isoformat(),
                "studying": False,
                "age_limit": years,
            }
            found.append(Proposal("male_over_18", "member", evidence, m.member_id))
    if (
        facts.category in SELF_BENEFICIARY_CATEGORIES
        and facts.head_gender == "male"
        and not facts.head_studying
        and older_than(facts.head_birth_date, years, today)
    ):
        evidence = {
            "name": facts.head_name,
            "birth_date": facts.head_birth_date.isoformat(),
            "studying": False,
            "age_limit": years,
        }
        found.append(Proposal("male_over_18", "file", evidence))
    return found


def rule_girl_married(facts: HouseholdFacts, settings: dict, today: date, area: list[str]) -> list[Proposal]:
    found = []
    for m in facts.members:
        if (
            m.relationship in FEMALE_CHILD_RELATIONSHIPS
            and m.marital_status == "married"
            and m.resides_permanently
        ):
            found.append(
                Proposal("girl_married", "member", {"name": m.name, "marital_status": "married"}, m.member_id)
            )
    if (
        facts.category in SELF_BENEFICIARY_CATEGORIES
        and facts.head_gender == "female"
        and facts.head_marital_status == "married"
    ):
        found.append(Proposal("girl_married", "file", {"name": facts.head_name, "marital_status": "married"}))
    return found


AUTOMATIC_RULES = (rule_late_renewal, rule_workers, rule_moved_away, rule_male_over_18, rule_girl_married)


def propose_exclusions(facts: HouseholdFacts, settings: dict, today: date, area: list[str]) -> list[Proposal]:
    """Every automatic rule over one household; each proposal carries its evidence."""
    return [p for rule in AUTOMATIC_RULES for p in rule(facts, settings, today, area)]


# --------------------------------------------------------------------------- mandatory data at submission

HOUSING_DOCUMENTS = {"rented": "lease", "owned": "ownership_deed"}


def missing_fields(
    data: dict,
    *,
    catalog_item_id: int | None,
    documents: set[str],
    today: date,
    applicant_name: str | None = None,
) -> dict:
    """The mandatory items (✱) an application lacks, as ``{field: problem}`` — one per item.

    ``data`` is ``request.extra["makkah_aid"]``, ``applicant_name`` the request's (four-part)
    name, ``documents`` the document types attached to the request (or its household).
    Problems: ``missing``, ``four_parts`` (key ``applicant_name``), ``expired``, ``count``
    (dependents listed ≠ declared), ``dependent``, ``previous_aid``; a document still to
    attach is ``documents.<doc_type>: "file"`` (ID copy, national-address proof when the
    code is given, the lease or ownership deed).
    """
    problems: dict = {}

    def blank(key: str) -> bool:
        value = data.get(key)
        return value is None or (isinstance(value, str) and not value.strip())

    name = (data.get("four_part_name") or applicant_name or "").split()
    if not name:
        problems["applicant_name"] = "missing"
    elif len(name) < 4:
        problems["applicant_name"] = "four_parts"
    for key in (
        "nationality",
        "id_number",
        "current_job",
        "monthly_income_halalas",
        "dependents_count",
        "housing",
    ):
        if blank(key):
            problems[key] = "missing"
    if data.get("id_expiry") is None:
        problems["id_expiry"] = "missing"
    elif as_date(data["id_expiry"]) < today:
        problems["id_expiry"] = "expired"
    if catalog_item_id is None:
        problems["catalog_item_id"] = "missing"
    housing = data.get("housing")
    if housing == "rented" and data.get("annual_rent_halalas") is None:
        problems["annual_rent_halalas"] = "missing"
    dependents = data.get("dependents") or []
    if data.get("dependents_count") is not None and "dependents_count" not in problems:
        if len(dependents) != data["dependents_count"]:
            problems["dependents"] = "count"
        elif any(
            not (d.get("name") or "").strip() or not (d.get("relationship") or "").strip() for d in dependents
        ):
            problems["dependents"] = "dependent"
    if data.get("received_aid_before"):
        previous = data.get("previous_aid") or []
        if not previous or any(
            not (p.get("aid_type") or "").strip()
            or p.get("amount_halalas") is None
            or p.get("received_on") is None
            for p in previous
        ):
            problems["previous_aid"] = "previous_aid"
    for doc_type in required_documents(data):
        if doc_type not in documents:
            problems[f"documents.{doc_type}"] = "file"
    return problems


def required_documents(data: dict) -> list[str]:
    """The documents an application needs: the ID copy, the national-address proof when the
    code is given, the lease or the ownership deed once the housing is known."""
    needed = ["id_copy"]
    if (data.get("national_address_code") or "").strip():
        needed.append("national_address")
    if data.get("housing") in HOUSING_DOCUMENTS:
        needed.append(HOUSING_DOCUMENTS[data["housing"]])
    return needed
