"""Survey pages: the public answer page (signed link, no login), the staff paper entry, the
admin builder and the satisfaction dashboard. Thin: the rules are in ``services``."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from marshmallow import ValidationError

from ..audit.services import record
from ..auth.permissions import can, require
from ..calendar import today as tenant_today
from ..downloads import download_response
from ..errors import AppError
from ..extensions import db
from ..forms import FormOutcome, form_transaction
from ..i18n import current_language, text_direction
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..lookup import get_or_404
from ..requests.models import AidRequest
from . import services
from .chart import month_chart
from .links import complaint_url
from .models import QUESTION_KINDS, Survey, SurveyInvitation, SurveyQuestion, SurveyVersion
from .schemas import PeriodSchema, QuestionSchema, SettingsSchema, SurveySchema
from .services.export import results_xlsx

bp = Blueprint("surveys", __name__, template_folder="templates")


def _answers_from_form(questions) -> dict:
    return {str(q.id): request.form.get(f"q{q.id}", "") for q in questions}


# --------------------------------------------------------------------------- public answer page


@bp.route("/answer/<token>", methods=["GET", "POST"])
def answer(token):
    """The beneficiary's survey, opened from the SMS/e-mail/in-app link: no login."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        abort(404)
    return _answer_page(invitation)


@bp.route("/mine/<int:invitation_id>", methods=["GET", "POST"])
@require("portal.apply")
def mine(invitation_id):
    """The same survey for the signed-in beneficiary, from the portal's list (their own only)."""
    return _answer_page(get_or_404(SurveyInvitation, invitation_id, user_id=current_user.id))


def _answer_page(invitation: SurveyInvitation):
    try:
        services.check_open(invitation)
    except AppError as error:
        return render_template("surveys/closed.html", message=error.message), error.status
    version = db.session.get(SurveyVersion, invitation.version_id)
    questions = services.questions_of(version)
    settings = services.survey_settings()
    outcome = FormOutcome()
    if request.method == "POST":
        with form_transaction() as outcome:
            response = services.answer(invitation, _answers_from_form(questions))
        if outcome.ok:
            link = complaint_url(invitation.request_id, response.kpi_score, int(settings["complaint_below"]))
            return render_template("surveys/thanks.html", complaint_link=link)
    return (
        render_template(
            "surveys/answer.html",
            questions=questions,
            errors=outcome.errors,
            form=request.form,
            identified=settings["identified"],
        ),
        outcome.status,
    )


# --------------------------------------------------------------------------- staff: paper entry


@bp.route("/paper", methods=["GET", "POST"])
@require("surveys.enter_paper")
def paper():
    version = services.invitation_version()
    questions = services.questions_of(version) if version else []
    outcome = FormOutcome()
    if request.method == "POST":
        with form_transaction("surveys.enter_paper") as outcome:
            number = (request.form.get("request_number") or "").strip()
            item = db.session.scalars(db.select(AidRequest).where(AidRequest.number == number)).first()
            if item is None:
                raise ValidationError({"request_number": [_("No request with this number.")]})
            services.enter_paper(item.id, _answers_from_form(questions), current_user)
        if outcome.ok:
            flash(_("The paper survey was saved."), "success")
            return redirect(url_for(".paper"))
    form = request.form if request.method == "POST" else request.args
    return (
        render_template("surveys/paper.html", questions=questions, errors=outcome.errors, form=form),
        outcome.status,
    )


def request_panel(item: AidRequest) -> Markup:
    """The request page's survey section (registered with ``core.requests.views``): whether the
    beneficiary was invited and answered — never what they answered — and the paper entry."""
    invitation = db.session.scalars(
        db.select(SurveyInvitation).where(SurveyInvitation.request_id == item.id)
    ).first()
    html = render_template(
        "surveys/_request_panel.html",
        item=item,
        invitation=invitation,
        can_enter=can(current_user, "surveys.enter_paper"),
    )
    return Markup(html)


# --------------------------------------------------------------------------- admin builder


def _builder_action(action: str) -> None:
    form = request.form
    if action == "create_survey":
        services.create_survey(
            SurveySchema().load({k: form.get(k, "") for k in ("code", "name_ar", "name_en")}), current_user
        )
    elif action == "add_question":
        version = get_or_404(SurveyVersion, form.get("version_id", type=int))
        choices = []
        for line in (form.get("choices") or "").splitlines():
            if line.strip():
                code, _sep, rest = line.partition("|")
                ar, _sep, en = rest.partition("|")
                choices.append({"code": code.strip(), "ar": ar.strip(), "en": en.strip()})
        data = QuestionSchema().load(
            {
                "kind": form.get("kind", ""),
                "text_ar": form.get("text_ar", ""),
                "text_en": form.get("text_en", ""),
                "choices": choices,
                "required": "required" in form,
                "feeds_kpi": "feeds_kpi" in form,
            }
        )
        services.add_question(version, data, current_user)
    elif action == "remove_question":
        services.remove_question(get_or_404(SurveyQuestion, form.get("question_id", type=int)), current_user)
    elif action == "publish":
        services.publish(get_or_404(SurveyVersion, form.get("version_id", type=int)), current_user)
    elif action == "new_version":
        services.new_version(get_or_404(Survey, form.get("survey_id", type=int)), current_user)
    elif action == "use_for_invitations":
        services.use_for_invitations(get_or_404(Survey, form.get("survey_id", type=int)), current_user)
    elif action == "settings":
        raw = {
            "sampling": form.get("sampling", "all"),
            "target_margin": form.get("target_margin", ""),
            "threshold": form.get("threshold", ""),
            "complaint_below": form.get("complaint_below", ""),
            "link_days": form.get("link_days", ""),
            "identified": "identified" in form,
            "free_text_roles": form.getlist("free_text_roles"),
            "target_share": form.get("target_share", ""),
        }
        services.update_settings(SettingsSchema().load(raw), current_user)
    else:
        abort(400)


# What each builder action's success message says.
BUILDER_DONE = {
    "create_survey": _l("The survey was created."),
    "add_question": _l("The question was added to the draft."),
    "remove_question": _l("The question was removed from the draft."),
    "publish": _l("The version was published: new invitations use it."),
    "new_version": _l("A new draft version was made from the published one."),
    "use_for_invitations": _l("This survey is now the one sent to beneficiaries."),
    "settings": _l("The survey rules were saved."),
}


@bp.route("/admin", methods=["GET", "POST"])
@require("surveys.manage")
def builder():
    outcome = FormOutcome()
    if request.method == "POST":
        with form_transaction("surveys.manage") as outcome:
            _builder_action(request.form.get("action", ""))
        if outcome.ok:
            flash(
                str(BUILDER_DONE.get(request.form.get("action", ""), _l("The survey was saved."))), "success"
            )
            return redirect(url_for(".builder"))
    surveys = services.surveys()
    versions, questions = services.versions_and_questions()
    return (
        render_template(
            "surveys/builder.html",
            surveys=[s for s in surveys if s.owner is None],
            # Surveys a feature owns (a plugin's questionnaire): listed apart, read-only.
            owned=[(s, services.owner_name(s.owner)) for s in surveys if s.owner is not None],
            versions=versions,
            questions=questions,
            kinds=QUESTION_KINDS,
            settings=services.survey_settings(),
            errors=outcome.errors,
            form=request.form,
        ),
        outcome.status,
    )


# --------------------------------------------------------------------------- dashboard


def _months_ago(day: date, count: int) -> date:
    year, month = day.year, day.month - count
    while month <= 0:
        year, month = year - 1, month + 12
    return date(year, month, 1)


@bp.route("/")
@require("surveys.view_results")
def dashboard():
    today = tenant_today()
    start, end = _months_ago(today, 11), today
    result = services.satisfaction(start, end)
    chart = month_chart(
        result["months"],
        title=_("Satisfaction share per month"),
        description=_(
            "Share of responses rated %(threshold)s or more, per month; months with fewer than 5 "
            "responses are not shown.",
            threshold=result["threshold"],
        ),
        rtl=text_direction() == "rtl",
        target=result["target_share"],
    )
    return render_template(
        "surveys/dashboard.html", result=result, chart=chart, start=start, end=end, lang=current_language()
    )


@bp.route("/export.xlsx")
@require("surveys.view_results")
def export():
    """The dashboard's figures and the responses (as this reader may see them) for the months of
    ``start``..``end`` (default: the last 12 months)."""
    today = tenant_today()
    raw = {"start": request.args.get("start") or _months_ago(today, 11).isoformat(),
           "end": request.args.get("end") or today.isoformat()}  # fmt: skip
    period = PeriodSchema().load(raw)  # a bad date: 422 error page naming the field
    data = results_xlsx(current_user, period["start"], period["end"])
    record("surveys.exported", "surveys", None, {"format": "xlsx"})
    db.session.commit()
    return download_response(
        data, "survey-results.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
