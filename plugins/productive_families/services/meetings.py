"""Meetings with active families (seed 001, goal 1: at least 3 a year) and the challenges survey
answered there, through core's survey engine (``core.toolkit``: ``create_survey`` …
``record_survey_response``).

Rules, stated:
- *Active producer*: a producer with at least one product marked available. A meeting invites the
  active producers unless staff name the invitees.
- *Attendance* is recorded once the meeting has started, for invitees only; it can be corrected.
- *Survey answers* are anonymous core survey responses linked to the meeting; a meeting takes at
  most one response per family present.
- *Theme summary*: every choice of the challenges survey carries a theme (``choices[i]["theme"]``);
  each answer choosing a themed choice counts once for that theme. Themes are ordered by count,
  most first; ties keep the order of ``CHALLENGE_THEMES``. Free text is not counted.
- *Meeting held* (KPI): its date (association's time) falls in the period and at least one family
  was recorded present. *Attendees* (KPI): distinct families present at the period's meetings.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import (
    Conflict,
    NotFound,
    Survey,
    SurveyQuestion,
    SurveyResponse,
    SurveyVersion,
    add_survey_question,
    create_survey,
    day_bounds,
    db,
    get_in_tenant,
    label,
    publish_survey,
    record_survey_response,
    survey_questions,
    utcnow,
)

from ..i18n import _l
from ..models import Producer, Product
from ..models_meetings import CHALLENGE_THEMES, Meeting, MeetingInvitee, MeetingResponse
from ..schemas_meetings import MeetingAttendanceSchema, MeetingSchema
from ._common import audit

SURVEY_CODE = "families-challenges"
# The survey belongs to the plugin: core's survey builder lists it read-only and refuses to edit,
# publish or send it; only calls naming this owner change it.
SURVEY_OWNER = "productive_families"
CHANNEL = "meeting"
_THEMED = {
    "marketing": ("تسويق المنتجات وإيجاد المشترين", "Selling the products and finding buyers"),
    "licensing": ("إجراءات الترخيص", "Licensing procedures"),
    "financing": ("التمويل وشراء المعدات", "Financing and buying equipment"),
    "raw_materials": ("توفر المواد الخام وأسعارها", "Raw materials: availability and prices"),
    "training": ("نقص التدريب والمهارات", "Lack of training and skills"),
    "family": ("ظروف الأسرة ورعاية الأبناء", "Family circumstances and childcare"),
}


def _choices(with_none: bool = False) -> list[dict]:
    out = [{"code": theme, "ar": ar, "en": en, "theme": theme} for theme, (ar, en) in _THEMED.items()]
    if with_none:
        out.append({"code": "none", "ar": "لا يوجد تحدٍّ آخر", "en": "No other challenge", "theme": None})
    return out


CHALLENGE_QUESTIONS = [
    {
        "kind": "choice",
        "text_ar": "ما أكبر تحدٍّ يواجه إنتاجك اليوم؟",
        "text_en": "What is the biggest challenge to your production today?",
        "choices": _choices(),
    },
    {
        "kind": "choice",
        "text_ar": "وما التحدي الثاني؟",
        "text_en": "And the second challenge?",
        "choices": _choices(with_none=True),
        "required": False,
    },
    {
        "kind": "choice",
        "text_ar": "هل تؤثر ظروف الأسرة الصحية أو الاجتماعية على الإنتاج؟",
        "text_en": "Do the family's health or social circumstances affect production?",
        "choices": [
            {"code": "health", "ar": "نعم، الظروف الصحية", "en": "Yes, health", "theme": "health"},
            {
                "code": "social",
                "ar": "نعم، الظروف الاجتماعية",
                "en": "Yes, social circumstances",
                "theme": "family",
            },
            {"code": "no", "ar": "لا", "en": "No", "theme": None},
        ],
    },
    {
        "kind": "text",
        "text_ar": "تحديات أخرى أو مقترحات",
        "text_en": "Other challenges or suggestions",
        "required": False,
    },
]


def challenges_version(actor: Any = None) -> SurveyVersion:
    """The published version of the tenant's challenges survey (created and published with the
    questions above on first use)."""
    survey = db.session.scalar(sa.select(Survey).where(Survey.code == SURVEY_CODE))
    if survey is None:
        survey = create_survey(
            {
                "code": SURVEY_CODE,
                "name_ar": "استبانة تحديات الأسر المنتجة",
                "name_en": "Productive families' challenges",
            },
            actor,
            satisfaction=False,
            owner=SURVEY_OWNER,
        )
        draft = db.session.scalar(sa.select(SurveyVersion).where(SurveyVersion.survey_id == survey.id))
        for spec in CHALLENGE_QUESTIONS:
            add_survey_question(
                draft,
                {"choices": [], "required": True, "feeds_kpi": False, **spec},
                actor,
                owner=SURVEY_OWNER,
            )
        return publish_survey(draft, actor, satisfaction=False, owner=SURVEY_OWNER)
    version = db.session.scalar(
        sa.select(SurveyVersion)
        .where(SurveyVersion.survey_id == survey.id, SurveyVersion.state == "published")
        .order_by(SurveyVersion.number.desc())
    )
    if version is None:
        raise Conflict(_l("The challenges survey has no published version."))
    return version


def active_producers() -> list[Producer]:
    """Producers with at least one available product, by trade name."""
    has_product = (
        sa.select(Product.id)
        .where(
            Product.producer_id == Producer.id,
            Product.tenant_id == Producer.tenant_id,
            Product.available.is_(True),
        )
        .exists()
    )
    return list(
        db.session.scalars(sa.select(Producer).where(has_product).order_by(Producer.trade_name)).unique()
    )


def create_meeting(data: dict, actor: Any = None) -> Meeting:
    values = MeetingSchema().load(data)
    ids = values.pop("producer_ids")
    if ids is None:
        producers = active_producers()
    else:
        producers = list(db.session.scalars(sa.select(Producer).where(Producer.id.in_(ids))).unique())
        if not ids or len(producers) != len(set(ids)):
            raise ValidationError({"producer_ids": [_l("Choose producers registered with the association.")]})
    version = challenges_version(actor)
    meeting = Meeting(**values, survey_version_id=version.id)
    db.session.add(meeting)
    db.session.flush()
    for producer in producers:
        db.session.add(MeetingInvitee(meeting_id=meeting.id, producer_id=producer.id))
    db.session.flush()
    audit("meeting.created", meeting, {"invited": len(producers)}, actor)
    return meeting


def get_meeting(meeting_id: int) -> Meeting:
    meeting = get_in_tenant(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(_l("No such meeting."))
    return meeting


def invitees_of(meeting: Meeting) -> list[MeetingInvitee]:
    query = (
        sa.select(MeetingInvitee)
        .join(
            Producer,
            sa.and_(
                Producer.id == MeetingInvitee.producer_id, Producer.tenant_id == MeetingInvitee.tenant_id
            ),
        )
        .where(MeetingInvitee.meeting_id == meeting.id)
        .order_by(Producer.trade_name)
    )
    return list(db.session.scalars(query).unique())


def _figures(meeting_ids: list[int]) -> dict[int, dict[str, int]]:
    """{meeting id: invited, attended, responses} in two grouped queries."""
    out = {mid: {"invited": 0, "attended": 0, "responses": 0} for mid in meeting_ids}
    if not meeting_ids:
        return out
    present = sa.func.sum(sa.case((MeetingInvitee.present.is_(True), 1), else_=0))
    for mid, invited, came in db.session.execute(
        sa.select(MeetingInvitee.meeting_id, sa.func.count(MeetingInvitee.id), present)
        .where(MeetingInvitee.meeting_id.in_(meeting_ids))
        .group_by(MeetingInvitee.meeting_id)
    ):
        out[mid].update(invited=int(invited), attended=int(came or 0))
    for mid, responses in db.session.execute(
        sa.select(MeetingResponse.meeting_id, sa.func.count(MeetingResponse.id))
        .where(MeetingResponse.meeting_id.in_(meeting_ids))
        .group_by(MeetingResponse.meeting_id)
    ):
        out[mid]["responses"] = int(responses)
    return out


def list_meetings(limit: int = 200) -> list[dict]:
    """Meetings, latest first, each with its figures (``{"meeting", "invited", "attended", "responses"}``)."""
    meetings = list(db.session.scalars(sa.select(Meeting).order_by(Meeting.starts_at.desc()).limit(limit)))
    figures = _figures([m.id for m in meetings])
    return [{"meeting": m, **figures[m.id]} for m in meetings]


def figures_of(meeting: Meeting) -> dict[str, int]:
    return _figures([meeting.id])[meeting.id]


def record_attendance(
    meeting: Meeting, data: dict, actor: Any = None, now: datetime | None = None
) -> Meeting:
    """Who came: the listed invitees are present, every other invitee absent."""
    present = set(MeetingAttendanceSchema().load(data)["present"])
    if meeting.starts_at > (now or utcnow()):
        raise Conflict(_l("Attendance is recorded once the meeting has started."))
    invitees = invitees_of(meeting)
    unknown = present - {i.producer_id for i in invitees}
    if unknown:
        raise ValidationError({"present": [_l("Only invited producers can be recorded present.")]})
    for invitee in invitees:
        invitee.present = invitee.producer_id in present
    meeting.attendance_recorded_at = now or utcnow()
    db.session.flush()
    audit(
        "meeting.attendance",
        meeting,
        {"present": len(present), "absent": len(invitees) - len(present)},
        actor,
    )
    return meeting


def add_response(meeting: Meeting, answers: dict, actor: Any = None) -> MeetingResponse:
    """A family's answers to the challenges survey at the meeting (anonymous)."""
    figures = figures_of(meeting)
    if meeting.attendance_recorded_at is None:
        raise Conflict(_l("Record the attendance before the survey answers."))
    if figures["responses"] >= figures["attended"]:
        raise Conflict(_l("Every family present has answered already."))
    version = get_in_tenant(SurveyVersion, meeting.survey_version_id)
    response = record_survey_response(version, answers, CHANNEL, actor)
    link = MeetingResponse(meeting_id=meeting.id, response_id=response.id)
    db.session.add(link)
    db.session.flush()
    audit("meeting.survey_answered", meeting, {"response": response.id}, actor)
    return link


def questions_for(meeting: Meeting) -> list[SurveyQuestion]:
    version = get_in_tenant(SurveyVersion, meeting.survey_version_id)
    return survey_questions(version) if version is not None else []


def theme_summary(meeting_ids: list[int] | None = None) -> dict:
    """Answers per challenge theme over the responses given at ``meeting_ids`` (None: every
    meeting): ``{"responses", "themed_answers", "themes": [{"theme", "label", "answers", "share"}]}``
    ordered as the module's rule says."""
    query = sa.select(SurveyResponse).join(
        MeetingResponse,
        sa.and_(
            MeetingResponse.response_id == SurveyResponse.id,
            MeetingResponse.tenant_id == SurveyResponse.tenant_id,
        ),
    )
    if meeting_ids is not None:
        query = query.where(MeetingResponse.meeting_id.in_(meeting_ids or [-1]))
    responses = list(db.session.scalars(query))
    version_ids = {r.version_id for r in responses}
    themes_of: dict[str, dict[str, str]] = {}
    if version_ids:
        for q in db.session.scalars(
            sa.select(SurveyQuestion).where(SurveyQuestion.version_id.in_(version_ids))
        ):
            if q.kind == "choice":
                themes_of[str(q.id)] = {c["code"]: c.get("theme") for c in q.choices or [] if c.get("theme")}
    counts = dict.fromkeys(CHALLENGE_THEMES, 0)
    for response in responses:
        for qid, value in (response.answers or {}).items():
            theme = themes_of.get(qid, {}).get(value) if isinstance(value, str) else None
            if theme in counts:
                counts[theme] += 1
    total = sum(counts.values())
    order = {theme: index for index, theme in enumerate(CHALLENGE_THEMES)}
    ranked = sorted((t for t in CHALLENGE_THEMES if counts[t]), key=lambda t: (-counts[t], order[t]))
    return {
        "responses": len(responses),
        "themed_answers": total,
        "themes": [
            {
                "theme": theme,
                "label": str(label(theme, "productive_families_theme")),
                "answers": counts[theme],
                "share": round(100 * counts[theme] / total, 1),
            }
            for theme in ranked
        ],
    }


def _held_in(start: date, end: date):
    low, high = day_bounds(start, end)  # the association's days
    return sa.select(Meeting.id).where(
        Meeting.starts_at >= low, Meeting.starts_at < high, Meeting.attendance_recorded_at.is_not(None)
    )


def meetings_held(start: date, end: date) -> int:
    """Meetings of the period (association's days) with at least one family recorded present."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(MeetingInvitee.meeting_id))).where(
                MeetingInvitee.meeting_id.in_(_held_in(start, end)), MeetingInvitee.present.is_(True)
            )
        )
        or 0
    )


def meeting_attendees(start: date, end: date) -> int:
    """Distinct families present at the period's meetings."""
    return int(
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(MeetingInvitee.producer_id))).where(
                MeetingInvitee.meeting_id.in_(_held_in(start, end)), MeetingInvitee.present.is_(True)
            )
        )
        or 0
    )


def meetings_in(start: date, end: date) -> list[int]:
    """Ids of the meetings held in the period (for the period's theme summary)."""
    return list(db.session.scalars(_held_in(start, end)))
