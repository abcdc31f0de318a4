"""Staff pages of volunteer coordination: the volunteers (offers to decide), registering one,
a volunteer's page, the opportunities with their places, check-in / check-out at the door, the
hours waiting for confirmation, the export. Thin: the rules are the services'."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.permissions import require
from ..downloads import download_response
from ..errors import Invalid
from ..extensions import db
from ..forms import FormOutcome, form_transaction
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..lookup import get_in_tenant, get_or_404
from ..requests.models import AidRequest, FieldVisit
from . import forms, services
from .models import STATES, Assignment, Opportunity, Volunteer
from .schemas import (
    ConfirmSchema,
    DecisionSchema,
    OpportunityInSchema,
    SkillListSchema,
    VolunteerRegisterSchema,
)

bp = Blueprint("volunteers", __name__, template_folder="templates")
COORDINATE = services.COORDINATE


def _staff_options() -> list[tuple[str, str]]:
    return [(str(user.id), user.name or user.email) for user in services.supervisors()]


@bp.route("/")
@require(COORDINATE)
def index():
    state = request.args.get("state") if request.args.get("state") in STATES else None
    query = db.select(Volunteer).order_by(Volunteer.id.desc())
    if state:
        query = query.where(Volunteer.state == state)
    rows = db.session.execute(db.select(Volunteer.state, db.func.count()).group_by(Volunteer.state))
    counts = {state: count for state, count in rows}  # noqa: C416 - rows, not pairs
    return render_template(
        "volunteers/index.html",
        items=db.session.scalars(query).all(),
        state=state,
        counts=counts,
        pending=len(services.pending_hours()),
        **forms.context(),
    )


@bp.route("/new", methods=["GET", "POST"])
@require(COORDINATE)
def new():
    outcome, form = FormOutcome(), request.form
    if request.method == "POST":
        with form_transaction() as outcome:
            volunteer = services.register(
                VolunteerRegisterSchema().load(forms.volunteer_form(form)), current_user
            )
        if outcome.ok:
            flash(_("The volunteer was registered."), "success")
            return redirect(url_for(".detail", volunteer_id=volunteer.id))
    return render_template(
        "volunteers/new.html", form=form, errors=outcome.errors, **forms.context()
    ), outcome.status


@bp.route("/<int:volunteer_id>")
@require(COORDINATE)
def detail(volunteer_id):
    volunteer = get_or_404(Volunteer, volunteer_id)
    return render_template(
        "volunteers/detail.html",
        volunteer=volunteer,
        history=services.history(volunteer),
        total=services.confirmed_minutes(volunteer),
        errors={},
        **forms.context(),
    )


@bp.route("/<int:volunteer_id>/decision", methods=["POST"])
@require(COORDINATE)
def decide(volunteer_id):
    volunteer = get_or_404(Volunteer, volunteer_id)
    with form_transaction() as outcome:
        data = DecisionSchema().load(forms.blank_free(request.form, ("outcome", "reason")))
        services.decide(volunteer, data["outcome"], current_user, data.get("reason"))
    if outcome.ok:
        flash(_("The decision was recorded."), "success")
        return redirect(url_for(".detail", volunteer_id=volunteer.id))
    volunteer = get_or_404(Volunteer, volunteer_id)
    return render_template(
        "volunteers/detail.html",
        volunteer=volunteer,
        history=services.history(volunteer),
        total=services.confirmed_minutes(volunteer),
        errors=outcome.errors,
        **forms.context(),
    ), outcome.status


@bp.route("/opportunities")
@require(COORDINATE)
def opportunities():
    items = db.session.scalars(
        db.select(Opportunity).order_by(Opportunity.on_date.desc(), Opportunity.id.desc())
    ).all()
    return render_template(
        "volunteers/opportunities.html",
        items=items,
        taken=services.taken_by_opportunity([o.id for o in items]),
        **forms.context(),
    )


@bp.route("/opportunities/new", methods=["GET", "POST"])
@require(COORDINATE)
def new_opportunity():
    outcome, form = FormOutcome(), request.form
    if request.method == "POST":
        with form_transaction() as outcome:
            data = OpportunityInSchema().load(forms.opportunity_form(form))
            opportunity = services.create_opportunity(data, current_user)
        if outcome.ok:
            flash(_("The opportunity was published."), "success")
            return redirect(url_for(".opportunity", opportunity_id=opportunity.id))
    return render_template(
        "volunteers/opportunity_new.html",
        form=form,
        errors=outcome.errors,
        catalog_options=forms.catalog_options(),
        staff_options=_staff_options(),
        **forms.context(),
    ), outcome.status


def _render_opportunity(opportunity: Opportunity, errors: dict | None = None, status: int = 200):
    rows = db.session.execute(
        db.select(Assignment, Volunteer)
        .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
        .where(Assignment.opportunity_id == opportunity.id)
        .order_by(Assignment.id)
    ).all()
    placed = {volunteer.id for assignment, volunteer in rows if assignment.state == "assigned"}
    candidates = db.session.scalars(
        db.select(Volunteer).where(Volunteer.state == "accepted").order_by(Volunteer.name)
    ).all()
    wanted = set(opportunity.skills or [])
    # Matching skills first, then by name.
    candidates = sorted(
        (v for v in candidates if v.id not in placed),
        key=lambda v: (not (wanted & set(v.skills or [])), v.name),
    )
    return render_template(
        "volunteers/opportunity.html",
        opportunity=opportunity,
        rows=rows,
        taken=len(placed),
        candidates=candidates,
        errors=errors or {},
        **forms.context(),
    ), status


@bp.route("/opportunities/<int:opportunity_id>")
@require(COORDINATE)
def opportunity(opportunity_id):
    return _render_opportunity(get_or_404(Opportunity, opportunity_id))


@bp.route("/opportunities/<int:opportunity_id>/assign", methods=["POST"])
@require(COORDINATE)
def assign(opportunity_id):
    opportunity = get_or_404(Opportunity, opportunity_id)
    with form_transaction() as outcome:
        volunteer = get_in_tenant(Volunteer, request.form.get("volunteer_id", type=int))
        if volunteer is None:
            raise Invalid({"volunteer_id": [_l("Choose one of the listed values.")]})
        services.assign(opportunity, volunteer, current_user)
    if outcome.ok:
        flash(_("The volunteer has a place."), "success")
        return redirect(url_for(".opportunity", opportunity_id=opportunity.id))
    return _render_opportunity(get_or_404(Opportunity, opportunity_id), outcome.errors, outcome.status)


STEPS = ("check_in", "check_out", "withdraw", "confirm")
HOURS_DONE = {
    "check_in": _l("Checked in."),
    "check_out": _l("Checked out: the hours wait for the supervisor's confirmation."),
    "withdraw": _l("The place was given up."),
    "confirm": _l("The hours were reviewed."),
}


@bp.route("/assignments/<int:assignment_id>/<step>", methods=["POST"])
@require("tenant.staff")
def assignment_step(assignment_id, step):
    """Check in / out at the door, free a place, confirm or reject the hours (the service checks
    who may: a coordinator, or the opportunity's supervisor for the hours)."""
    if step not in STEPS:
        return render_template("error.html", code=404), 404
    assignment = get_or_404(Assignment, assignment_id)
    back = request.form.get("back") == "hours"
    with form_transaction() as outcome:
        if step == "confirm":
            data = ConfirmSchema().load(
                {
                    **forms.blank_free(request.form, ("minutes", "note")),
                    "reject": request.form.get("reject") == "yes",
                }
            )
            services.confirm_hours(assignment, current_user, **data)
        else:
            getattr(services, step)(assignment, current_user)
    _flash(outcome, HOURS_DONE.get(step, HOURS_DONE["confirm"]))
    if back:
        return redirect(url_for(".hours"))
    return redirect(url_for(".opportunity", opportunity_id=assignment.opportunity_id))


def _flat(messages) -> list:
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flat(value)]
    return list(messages) if isinstance(messages, list | tuple) else [messages]


@bp.route("/hours")
@require("tenant.staff")
def hours():
    """Hours waiting for confirmation: every one for a coordinator, a supervisor's own otherwise."""
    rows = [row for row in services.pending_hours() if services.may_confirm(row[0], current_user)]
    return render_template("volunteers/hours.html", rows=rows, **forms.context())


@bp.route("/opportunities/<int:opportunity_id>/day-list")
@require(COORDINATE)
def day_list(opportunity_id):
    opportunity = get_or_404(Opportunity, opportunity_id)
    return render_template(
        "volunteers/day_list.html",
        opportunity=opportunity,
        entries=services.day_list(opportunity, current_user),
        back_url=url_for(".opportunity", opportunity_id=opportunity.id),
        **forms.context(),
    )


@bp.route("/export.xlsx")
@require(COORDINATE)
def export():
    body = services.export_xlsx(current_user)
    db.session.commit()
    return download_response(
        body, "volunteers.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@bp.route("/requests/<int:request_id>/referral", methods=["POST"])
@require("tenant.staff")
def refer(request_id):
    """Record the volunteer a volunteer-service request came through (from the request's page)."""
    item = get_or_404(AidRequest, request_id)
    with form_transaction() as outcome:
        volunteer = get_in_tenant(Volunteer, request.form.get("volunteer_id", type=int))
        services.record_referral(item, volunteer, current_user)
    _flash(outcome, _("The volunteer the request came through was recorded."))
    return redirect(url_for("requests.view", request_id=item.id) + "#volunteers")


@bp.route("/visits/<int:visit_id>/companions", methods=["POST"])
@require("tenant.staff")
def accompany(visit_id):
    """A volunteer accompanies a field visit (from the request's page)."""
    visit = get_or_404(FieldVisit, visit_id)
    with form_transaction() as outcome:
        volunteer = get_in_tenant(Volunteer, request.form.get("volunteer_id", type=int))
        services.add_companion(visit, volunteer, current_user)
    _flash(outcome, _("The volunteer was added to the field visit as a companion."))
    return redirect(url_for("requests.view", request_id=visit.request_id) + "#volunteers")


def _flash(outcome, done: str) -> None:
    if outcome.ok:
        flash(done, "success")
    else:
        flash(" ".join(str(m) for messages in outcome.errors.values() for m in _flat(messages)), "danger")


@bp.route("/skills", methods=["GET", "POST"])
@require(COORDINATE)
def skills():
    """The tenant's skill list: one row per skill (a code, its words in Arabic and English);
    blank rows are left out, three empty rows add new ones."""
    outcome = FormOutcome()
    rows = services.skills()
    if request.method == "POST":
        rows = forms.skill_rows(request.form)
        with form_transaction() as outcome:
            services.set_skills(SkillListSchema().load({"skills": rows})["skills"], current_user)
        if outcome.ok:
            flash(_("The skill list was saved."), "success")
            return redirect(url_for(".skills"))
    return render_template(
        "volunteers/skills.html", rows=[*rows, *({} for _ in range(3))], errors=outcome.errors
    ), outcome.status
