"""Tenant API of volunteers: ``/t/<tenant>/api/v1/volunteers/…``.

Coordinators (``volunteers.coordinate``) manage offers, opportunities, places and hours; a
portal user (``volunteers.offer``) offers, applies, checks in and out and reads their own
hours at ``/me``. A distribution day's list answers names only, to the day's volunteers.
"""

from __future__ import annotations

from flask_login import current_user

from ..api import ApiBlueprint
from ..downloads import download_response
from ..errors import NotFound
from ..extensions import db
from ..lookup import get_in_tenant, get_or_404
from ..requests.models import AidRequest, FieldVisit
from . import services
from .models import Assignment, Opportunity, Volunteer
from .schemas import (
    AssignmentSchema,
    AssignSchema,
    ClockSchema,
    CompanionInSchema,
    CompanionSchema,
    ConfirmSchema,
    DayListEntrySchema,
    DecisionSchema,
    KpiArgsSchema,
    MyHoursSchema,
    OpportunityInSchema,
    OpportunitySchema,
    OpportunityUpdateSchema,
    ReferralInSchema,
    ReferralSchema,
    SkillListSchema,
    SkillSchema,
    VolunteerListArgsSchema,
    VolunteerOfferSchema,
    VolunteerRegisterSchema,
    VolunteerSchema,
    VolunteerUpdateSchema,
)

bp = ApiBlueprint("volunteers_api", __name__, description="Volunteers: offers, opportunities and hours")
COORDINATE, OFFER = services.COORDINATE, services.OFFER
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _done(value):
    db.session.commit()
    return value


def _with_taken(opportunities: list[Opportunity]) -> list[dict]:
    """Each opportunity's fields with its places taken (one query for the list)."""
    taken = services.taken_by_opportunity([o.id for o in opportunities])
    names = OpportunitySchema().fields
    return [
        {**{n: getattr(o, n) for n in names if n != "taken"}, "taken": taken.get(o.id, 0)}
        for o in opportunities
    ]


@bp.route("/")
@bp.arguments(VolunteerListArgsSchema, location="query")
@bp.response(200, VolunteerSchema(many=True))
@bp.requires(COORDINATE)
def list_volunteers(args):
    """The tenant's volunteers, newest first, by state and skill."""
    query = db.select(Volunteer).order_by(Volunteer.id.desc())
    if args.get("state"):
        query = query.where(Volunteer.state == args["state"])
    found = db.session.scalars(query).all()
    return [v for v in found if not args.get("skill") or args["skill"] in (v.skills or [])]


@bp.route("/", methods=["POST"])
@bp.arguments(VolunteerRegisterSchema)
@bp.response(201, VolunteerSchema)
@bp.requires(COORDINATE)
def register_volunteer(data):
    """Staff register a volunteer (an individual or on behalf of an organisation)."""
    return _done(services.register(data, current_user))


@bp.route("/skills")
@bp.response(200, SkillSchema(many=True))
@bp.login_required
def list_skills():
    """The tenant's skill list (codes and words in both languages)."""
    return services.skills()


@bp.route("/skills", methods=["PUT"])
@bp.arguments(SkillListSchema)
@bp.response(200, SkillSchema(many=True))
@bp.requires(COORDINATE)
def set_skills(data):
    return _done(services.set_skills(data["skills"], current_user))


@bp.route("/me")
@bp.response(200, MyHoursSchema)
@bp.requires(OFFER)
def my_record():
    """The caller's own offer, places and confirmed minutes (404 before an offer)."""
    volunteer = services.own_volunteer(current_user)
    if volunteer is None:
        raise NotFound()
    return {
        "volunteer": volunteer,
        "confirmed_minutes": services.confirmed_minutes(volunteer),
        "assignments": [a for a, _ in services.history(volunteer)],
    }


@bp.route("/me", methods=["POST"])
@bp.arguments(VolunteerOfferSchema)
@bp.response(201, VolunteerSchema)
@bp.requires(OFFER)
def offer(data):
    """Offer to volunteer (or change the offer): skills, days and times, areas, field visits."""
    return _done(services.offer(data, current_user))


@bp.route("/opportunities")
@bp.response(200, OpportunitySchema(many=True))
@bp.requires(COORDINATE, OFFER)
def list_opportunities():
    """Coordinators: every opportunity; volunteers: the open ones from today on."""
    query = db.select(Opportunity).order_by(Opportunity.on_date.desc(), Opportunity.id.desc())
    if not services.can_coordinate(current_user):
        query = query.where(Opportunity.state == "open", Opportunity.on_date >= services.today())
    return _with_taken(db.session.scalars(query).all())


@bp.route("/opportunities", methods=["POST"])
@bp.arguments(OpportunityInSchema)
@bp.response(201, OpportunitySchema)
@bp.requires(COORDINATE)
def create_opportunity(data):
    """An event, a program session, a distribution day or a field campaign, with places."""
    return _with_taken([_done(services.create_opportunity(data, current_user))])[0]


@bp.route("/opportunities/<int:opportunity_id>", methods=["PATCH"])
@bp.arguments(OpportunityUpdateSchema)
@bp.response(200, OpportunitySchema)
@bp.requires(COORDINATE)
def update_opportunity(data, opportunity_id):
    opportunity = get_or_404(Opportunity, opportunity_id)
    return _with_taken([_done(services.update_opportunity(opportunity, data, current_user))])[0]


@bp.route("/opportunities/<int:opportunity_id>/assignments")
@bp.response(200, AssignmentSchema(many=True))
@bp.requires(COORDINATE)
def list_assignments(opportunity_id):
    opportunity = get_or_404(Opportunity, opportunity_id)
    return db.session.scalars(
        db.select(Assignment).where(Assignment.opportunity_id == opportunity.id).order_by(Assignment.id)
    ).all()


@bp.route("/opportunities/<int:opportunity_id>/assign", methods=["POST"])
@bp.arguments(AssignSchema)
@bp.response(201, AssignmentSchema)
@bp.requires(COORDINATE)
def assign(data, opportunity_id):
    """Give an accepted volunteer a place (or accept their application); 409 when full."""
    opportunity = get_or_404(Opportunity, opportunity_id)
    volunteer = get_or_404(Volunteer, data["volunteer_id"])
    return _done(services.assign(opportunity, volunteer, current_user))


@bp.route("/opportunities/<int:opportunity_id>/apply", methods=["POST"])
@bp.response(201, AssignmentSchema)
@bp.requires(OFFER)
def apply(opportunity_id):
    """The accepted volunteer asks for a place; a coordinator gives it."""
    return _done(services.apply(get_or_404(Opportunity, opportunity_id), current_user))


@bp.route("/opportunities/<int:opportunity_id>/day-list")
@bp.response(200, DayListEntrySchema(many=True))
@bp.requires(COORDINATE, OFFER)
def day_list(opportunity_id):
    """A distribution day's list: names and whether the aid was handed over, nothing else; to
    the day's assigned volunteers on the day (403 otherwise) and to coordinators."""
    return services.day_list(get_or_404(Opportunity, opportunity_id), current_user)


def _assignment(assignment_id: int) -> Assignment:
    return get_or_404(Assignment, assignment_id)


@bp.route("/assignments/<int:assignment_id>/check-in", methods=["POST"])
@bp.arguments(ClockSchema)
@bp.response(200, AssignmentSchema)
@bp.login_required
def check_in(data, assignment_id):
    """The volunteer on the day, or staff at the door (who may give the time)."""
    at = data.get("at") if services.can_coordinate(current_user) else None
    return _done(services.check_in(_assignment(assignment_id), current_user, at=at))


@bp.route("/assignments/<int:assignment_id>/check-out", methods=["POST"])
@bp.arguments(ClockSchema)
@bp.response(200, AssignmentSchema)
@bp.login_required
def check_out(data, assignment_id):
    at = data.get("at") if services.can_coordinate(current_user) else None
    return _done(services.check_out(_assignment(assignment_id), current_user, at=at))


@bp.route("/assignments/<int:assignment_id>/withdraw", methods=["POST"])
@bp.response(200, AssignmentSchema)
@bp.login_required
def withdraw(assignment_id):
    return _done(services.withdraw(_assignment(assignment_id), current_user))


@bp.route("/assignments/<int:assignment_id>/confirm", methods=["POST"])
@bp.arguments(ConfirmSchema)
@bp.response(200, AssignmentSchema)
@bp.login_required
def confirm(data, assignment_id):
    """The supervisor (a coordinator or the opportunity's supervisor) confirms the recorded
    minutes, confirms another figure with a note, or rejects them with a note."""
    return _done(services.confirm_hours(_assignment(assignment_id), current_user, **data))


@bp.route("/referrals", methods=["POST"])
@bp.arguments(ReferralInSchema)
@bp.response(201, ReferralSchema)
@bp.requires("requests.create", COORDINATE)
def refer(data):
    """Record the volunteer a ``volunteer_service`` request came through (needed to submit it)."""
    item = get_or_404(AidRequest, data["request_id"])
    return _done(services.record_referral(item, get_in_tenant(Volunteer, data["volunteer_id"]), current_user))


@bp.route("/companions", methods=["POST"])
@bp.arguments(CompanionInSchema)
@bp.response(201, CompanionSchema)
@bp.requires("requests.research", COORDINATE)
def accompany(data):
    """A volunteer who does field visits accompanies one (the researcher stays of record)."""
    visit = get_or_404(FieldVisit, data["visit_id"])
    return _done(services.add_companion(visit, get_in_tenant(Volunteer, data["volunteer_id"]), current_user))


@bp.route("/hours/pending")
@bp.response(200, AssignmentSchema(many=True))
@bp.requires(COORDINATE)
def pending():
    return [a for a, _, _ in services.pending_hours()]


@bp.route("/kpis")
@bp.arguments(KpiArgsSchema, location="query")
@bp.response(200, description="The volunteer KPIs of the period")
@bp.requires(COORDINATE)
def kpis(args):
    """Active volunteers, confirmed hours, volunteers' share of the workforce, filled opportunities."""
    tenant, start, end = services.current_tenant(), args["start"], args["end"]
    return {
        "active": services.kpi_active(tenant, start, end),
        "hours": services.kpi_hours(tenant, start, end),
        "workforce_share": services.kpi_share(tenant, start, end),
        "opportunities_filled": services.kpi_filled(tenant, start, end),
    }


@bp.route("/export.xlsx")
@bp.response(200, description="XLSX workbook")
@bp.requires(COORDINATE)
def export():
    """The volunteers with their confirmed hours, as XLSX (audited)."""
    return download_response(_done(services.export_xlsx(current_user)), "volunteers.xlsx", XLSX)


@bp.route("/<int:volunteer_id>")
@bp.response(200, VolunteerSchema)
@bp.requires(COORDINATE)
def get_volunteer(volunteer_id):
    return get_or_404(Volunteer, volunteer_id)


@bp.route("/<int:volunteer_id>", methods=["PATCH"])
@bp.arguments(VolunteerUpdateSchema)
@bp.response(200, VolunteerSchema)
@bp.requires(COORDINATE)
def update_volunteer(data, volunteer_id):
    return _done(services.update(get_or_404(Volunteer, volunteer_id), data, current_user))


@bp.route("/<int:volunteer_id>/decision", methods=["POST"])
@bp.arguments(DecisionSchema)
@bp.response(200, VolunteerSchema)
@bp.requires(COORDINATE)
def decide(data, volunteer_id):
    """Accept, decline (with a reason the volunteer reads) or make inactive (with a reason)."""
    volunteer = get_or_404(Volunteer, volunteer_id)
    return _done(services.decide(volunteer, data["outcome"], current_user, data.get("reason")))
