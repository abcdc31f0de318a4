"""Plain rules of a victim case (seed 003), no database: tested on their own."""

from __future__ import annotations

from datetime import date, datetime, timedelta

# Section 6 of seed 003: the intake steps, in order (a step cannot be skipped).
RECEIVED, CHECKED, CLARIFIED, DECLARED, COMMITTEE_NOTICE, REGISTERED, SERVED = range(1, 8)
STEPS = (RECEIVED, CHECKED, CLARIFIED, DECLARED, COMMITTEE_NOTICE, REGISTERED, SERVED)
STEP_CODES = {
    RECEIVED: "received",
    CHECKED: "checked",
    CLARIFIED: "clarified",
    DECLARED: "declared",
    COMMITTEE_NOTICE: "committee_notice",
    REGISTERED: "registered",
    SERVED: "served",
}
# What a recorded event of a step is (``CaseStep.kind``).
KINDS = (
    "received",
    "checked",
    "procedure_clear",
    "referred_to_research",
    "research_answered",
    "declared",
    "committee_notice",
    "registered",
    "served",
)

# The research committee answers "in no less than two weeks": the expected answer date.
ANSWER_DAYS = 14

# Section 4 of seed 003 (core's request channels, plus a referral from an outside body).
CHANNELS = (
    "in_person",
    "phone",
    "social_media",
    "official_letter",
    "help_request_service",
    "volunteer_service",
    "portal",
    "branch_representative",
    "outside_referral",
)
REPORT_AUTHORITIES = ("police", "public_prosecution")
RELATIONS = ("spouse", "son", "daughter", "father", "mother", "brother", "sister", "other")

# The spec's default crime categories (an open list: the tenant admin adds more).
DEFAULT_CATEGORIES = (
    ("assault", "اعتداء", "Assault"),
    ("theft", "سرقة", "Theft"),
    ("fraud", "احتيال", "Fraud"),
    ("domestic_violence", "عنف أسري", "Domestic violence"),
    ("homicide", "قتل (لأسرة الضحية)", "Homicide (for the family)"),
    ("traffic", "جريمة مرورية", "Traffic crime"),
    ("cybercrime", "جريمة معلوماتية", "Cybercrime"),
)


def expected_answer_date(submitted_on: date | datetime) -> date:
    """The date the research committee is expected to answer: 14 calendar days after the
    submission day (weekends and holidays count)."""
    day = submitted_on.date() if isinstance(submitted_on, datetime) else submitted_on
    return day + timedelta(days=ANSWER_DAYS)


def is_overdue(submitted_on: date | datetime | None, decided: bool, today: date) -> bool:
    """A submitted case the committee has not answered by its expected date (the day itself is
    not late)."""
    if submitted_on is None or decided:
        return False
    return today > expected_answer_date(submitted_on)


def id_valid_at(expiry: date | None, day: date) -> bool:
    """An ID is valid on ``day`` when it expires that day or later (an unknown expiry is not valid)."""
    return expiry is not None and expiry >= day


def next_step(done: int) -> int | None:
    """The step that may be recorded after ``done`` (0 = none yet), None when all seven are done."""
    return done + 1 if done < SERVED else None


def may_record(done: int, step: int) -> bool:
    """Only the next step may be recorded: none is skipped, none is recorded twice."""
    return next_step(done) == step


def report_problem(reference: str | None, reason: str | None) -> str | None:
    """An official report reference, or the recorded reason for its absence — one of the two."""
    if (reference or "").strip() or (reason or "").strip():
        return None
    return "report_reference"


# Who may read a case's sealed narrative, and on what basis (``NarrativeRead.basis``).
ASSIGNED, COMMITTEE, BREAK_GLASS = "assigned", "committee", "break_glass"


def narrative_basis(
    may_as_committee: bool, may_break_glass: bool, user_id: int, researcher_id: int | None
) -> str | None:
    """The basis on which a user may read the narrative, None when they may not: the assigned
    researcher, a member of the research committee, or the executive director (break-glass:
    a reason is required and the auditor told). No other role reads it, not even the admin.
    ``may_as_committee``/``may_break_glass``: whether the user holds the committee's and the
    break-glass read (permissions declared fixed: the research committee and the executive
    director, in every association)."""
    if researcher_id is not None and user_id == researcher_id:
        return ASSIGNED
    if may_as_committee:
        return COMMITTEE
    if may_break_glass:
        return BREAK_GLASS
    return None


# The six areas of need, the severities, and the referral's path.
AREAS = ("psychological", "legal", "financial", "health", "housing", "education")
SEVERITIES = ("low", "medium", "high", "critical")
REFERRAL_NEXT = {
    "sent": ("accepted", "declined"),
    "accepted": ("in_service",),
    "in_service": ("completed",),
    "declined": (),
    "completed": (),
}
RESOLVED_NEEDS = ("met", "closed")


def may_move_referral(current: str, target: str) -> bool:
    """``sent → accepted | declined → in_service → completed``; nothing else, nothing back."""
    return target in REFERRAL_NEXT.get(current, ())


def need_resolved(status: str) -> bool:
    return status in RESOLVED_NEEDS


def case_may_close(need_statuses: list[str]) -> bool:
    """A case closes only when every need is met, referred to completion, or closed with a reason."""
    return all(need_resolved(status) for status in need_statuses)


def case_needs_met(need_statuses: list[str]) -> bool:
    """A case closes without a disbursement ("needs met") only when its plan has needs and every
    one is met, referred to completion, or closed with a reason: no plan is no proof of care."""
    return bool(need_statuses) and case_may_close(need_statuses)


def follow_up_due(status: str, follow_up_on: date | None, reminded_on: date | None, today: date) -> bool:
    """A reminder is due once per follow-up date, for a referral still in progress."""
    if status in ("declined", "completed") or follow_up_on is None or follow_up_on > today:
        return False
    return reminded_on is None or reminded_on < follow_up_on


# --------------------------------------------------------------------------- partner access links

# A partner link ends with its referral: once completed or declined, nothing is left to do.
LINK_ENDING_STATUSES = frozenset({"completed", "declined"})


def partner_link_expiry(issued_on: date, days: int) -> date:
    """The last day a partner link works: ``days`` calendar days after the day it was issued
    (issued on the 1st with 14 days: usable through the 15th, refused from the 16th)."""
    return issued_on + timedelta(days=int(days))


def partner_link_usable(expires_on: date, revoked: bool, referral_status: str, today: date) -> bool:
    """Usable on its last day, not after; never once revoked or its referral ended."""
    return not revoked and referral_status not in LINK_ENDING_STATUSES and today <= expires_on
