"""Building a survey: versions of questions in Arabic and English; publishing freezes one.

A survey may be **owned** by a plugin or core module (``Survey.owner``, its id): a questionnaire
a feature creates for itself (e.g. the productive families' challenges survey). Only its owner
changes it — every call that edits, publishes (retiring the version before) or starts a version
of an owned survey names the owner (``owner=``), anything else (the builder's pages and API) is
refused with a translated 409; an owned survey is never the one sent with invitations."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from ...audit.services import record
from ...errors import Conflict
from ...extensions import db
from ...i18n import current_language
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...plugins import get_host
from ...tenancy import utcnow
from ..models import Survey, SurveyQuestion, SurveyVersion


def surveys() -> list[Survey]:
    return list(db.session.scalars(db.select(Survey).order_by(Survey.id)))


def versions_of(survey: Survey) -> list[SurveyVersion]:
    return list(
        db.session.scalars(
            db.select(SurveyVersion)
            .where(SurveyVersion.survey_id == survey.id)
            .order_by(SurveyVersion.number)
        )
    )


def questions_of(version: SurveyVersion) -> list[SurveyQuestion]:
    return list(
        db.session.scalars(
            db.select(SurveyQuestion)
            .where(SurveyQuestion.version_id == version.id)
            .order_by(SurveyQuestion.position, SurveyQuestion.id)
        )
    )


def versions_and_questions() -> tuple[dict[int, list[SurveyVersion]], dict[int, list[SurveyQuestion]]]:
    """Every version by survey id and every question by version id, in two queries (the builder)."""
    versions: dict[int, list[SurveyVersion]] = {}
    for version in db.session.scalars(db.select(SurveyVersion).order_by(SurveyVersion.number)):
        versions.setdefault(version.survey_id, []).append(version)
    questions: dict[int, list[SurveyQuestion]] = {v.id: [] for vs in versions.values() for v in vs}
    for question in db.session.scalars(
        db.select(SurveyQuestion).order_by(SurveyQuestion.position, SurveyQuestion.id)
    ):
        questions.setdefault(question.version_id, []).append(question)
    return versions, questions


def published_version(survey: Survey) -> SurveyVersion | None:
    return db.session.scalars(
        db.select(SurveyVersion).where(
            SurveyVersion.survey_id == survey.id, SurveyVersion.state == "published"
        )
    ).first()


def invitation_version() -> SurveyVersion | None:
    """The published version of the tenant's survey used for invitations (None: no survey yet)."""
    return db.session.scalars(
        db.select(SurveyVersion)
        .join(Survey, Survey.id == SurveyVersion.survey_id)
        .where(Survey.for_invitations.is_(True), SurveyVersion.state == "published")
    ).first()


def owner_name(owner: str) -> str:
    """The feature owning a survey, in words: the plugin's name in the current language."""
    plugin = get_host().plugins.get(owner)
    return plugin.meta.name(current_language()) if plugin else _("another feature of the platform")


def check_owner(survey: Survey, owner: str | None) -> None:
    """Refuse (409) a change to an owned survey by anyone but its owner."""
    if survey.owner is not None and survey.owner != owner:
        raise Conflict(
            _(
                "This survey belongs to “%(feature)s”, which uses it: it cannot be changed in the "
                "survey builder.",
                feature=owner_name(survey.owner),
            )
        )


def _survey_of(version: SurveyVersion) -> Survey:
    return db.session.get(Survey, version.survey_id)


def create_survey(data: dict, actor: Any, *, satisfaction: bool = True, owner: str | None = None) -> Survey:
    """A survey and its first draft; the tenant's first satisfaction survey is the one sent with
    invitations (``satisfaction=False``: a plugin's questionnaire, never sent). ``owner``: the
    plugin or module the survey belongs to (see the module's note); an owned survey is never sent."""
    if db.session.scalars(db.select(Survey).where(Survey.code == data["code"])).first():
        raise ValidationError({"code": [_l("A survey with this code already exists.")]})
    survey = Survey(**data, owner=owner)
    if (
        satisfaction
        and owner is None
        and not db.session.scalar(db.select(db.func.count(Survey.id)).where(Survey.for_invitations.is_(True)))
    ):
        survey.for_invitations = True  # the tenant's first survey is the one sent
    db.session.add(survey)
    db.session.flush()
    db.session.add(SurveyVersion(tenant_id=survey.tenant_id, survey_id=survey.id, number=1))
    db.session.flush()
    record("surveys.create", "Survey", survey.id, {"code": survey.code, "owner": owner}, user=actor)
    return survey


def use_for_invitations(survey: Survey, actor: Any) -> None:
    if survey.owner is not None:
        raise Conflict(
            _(
                "This survey belongs to “%(feature)s”, which uses it: it cannot be sent to beneficiaries.",
                feature=owner_name(survey.owner),
            )
        )
    for other in surveys():
        other.for_invitations = other.id == survey.id
    db.session.flush()
    record("surveys.for_invitations", "Survey", survey.id, {"code": survey.code}, user=actor)


def _check_draft(version: SurveyVersion) -> None:
    if version.state != "draft":
        raise Conflict(_("A published version cannot change: start a new version."))


def add_question(
    version: SurveyVersion, data: dict, actor: Any, *, owner: str | None = None
) -> SurveyQuestion:
    """``data`` from ``QuestionSchema`` (kind, texts, choices checked there)."""
    check_owner(_survey_of(version), owner)
    _check_draft(version)
    existing = questions_of(version)
    if data.get("feeds_kpi") and any(q.feeds_kpi for q in existing):
        raise ValidationError({"feeds_kpi": [_l("Another question of this version already feeds the KPI.")]})
    position = max((q.position for q in existing), default=0) + 1
    question = SurveyQuestion(tenant_id=version.tenant_id, version_id=version.id, position=position, **data)
    db.session.add(question)
    db.session.flush()
    record("surveys.question.add", "SurveyVersion", version.id, {"kind": question.kind}, user=actor)
    return question


def remove_question(question: SurveyQuestion, actor: Any, *, owner: str | None = None) -> None:
    version = db.session.get(SurveyVersion, question.version_id)
    check_owner(_survey_of(version), owner)
    _check_draft(version)
    db.session.delete(question)
    db.session.flush()
    record("surveys.question.remove", "SurveyVersion", version.id, {"question": question.id}, user=actor)


def publish(
    version: SurveyVersion, actor: Any, *, satisfaction: bool = True, owner: str | None = None
) -> SurveyVersion:
    """Freeze a draft: at least one question and exactly one 1–5 rating feeding the KPI. The
    version published before it is retired (its invitations and responses keep pointing at it).

    ``satisfaction=False`` publishes a survey that is not about satisfaction (a plugin's
    questionnaire answered through :func:`record_response`): no question may feed the KPI."""
    survey = _survey_of(version)
    check_owner(survey, owner)
    _check_draft(version)
    questions = questions_of(version)
    if not questions:
        raise ValidationError({"questions": [_l("Add at least one question before publishing.")]})
    if not satisfaction:
        if any(q.feeds_kpi for q in questions):
            raise ValidationError({"feeds_kpi": [_l("Only a satisfaction survey feeds the KPI.")]})
    elif sum(1 for q in questions if q.feeds_kpi) != 1:
        raise ValidationError({"feeds_kpi": [_l("Choose the one rating question that feeds the KPI.")]})
    current = published_version(survey)
    if current is not None:
        current.state = "retired"
    version.state = "published"
    version.published_at = utcnow()
    db.session.flush()
    record("surveys.publish", "SurveyVersion", version.id, {"number": version.number}, user=actor)
    return version


def new_version(survey: Survey, actor: Any, *, owner: str | None = None) -> SurveyVersion:
    """A new draft copying the latest version's questions (one draft at a time)."""
    check_owner(survey, owner)
    versions = versions_of(survey)
    if any(v.state == "draft" for v in versions):
        raise Conflict(_("This survey already has a draft version."))
    latest = versions[-1]
    version = SurveyVersion(tenant_id=survey.tenant_id, survey_id=survey.id, number=latest.number + 1)
    db.session.add(version)
    db.session.flush()
    for q in questions_of(latest):
        db.session.add(
            SurveyQuestion(
                tenant_id=survey.tenant_id,
                version_id=version.id,
                position=q.position,
                kind=q.kind,
                text_ar=q.text_ar,
                text_en=q.text_en,
                choices=list(q.choices or []),
                required=q.required,
                feeds_kpi=q.feeds_kpi,
            )
        )
    db.session.flush()
    record("surveys.version", "SurveyVersion", version.id, {"number": version.number}, user=actor)
    return version
