"""Tenant API of the plugin: ``/t/<tenant>/api/v1/prisoner_families/…`` (in the OpenAPI document)."""

from __future__ import annotations

from flask_login import current_user

from core.toolkit import ApiBlueprint, Household, Person, db, get_or_404, kpi_values, page_of, require_tenant

from . import services
from .models import DebtCase, Enrolment, FollowUp, Prisoner, Program, ProgramSession
from .schemas import (
    AttendanceInSchema,
    AttendanceOutSchema,
    CheckSchema,
    DebtCaseDetailSchema,
    DebtCaseInSchema,
    DebtCaseOutSchema,
    DebtEntryOutSchema,
    EmploymentInSchema,
    EmploymentOutSchema,
    EnrolmentInSchema,
    EnrolmentOutSchema,
    FamilyLinkInSchema,
    FamilyLinkOutSchema,
    FollowUpInSchema,
    FollowUpOutSchema,
    FollowUpQuerySchema,
    InterviewInSchema,
    KpiSchema,
    NegotiationInSchema,
    NegotiationOutSchema,
    PaymentInSchema,
    PeriodSchema,
    PlacementInSchema,
    PlacementOutSchema,
    PrisonerInSchema,
    PrisonerOutSchema,
    PrisonerUpdateSchema,
    ProgramInSchema,
    ProgramOutSchema,
    ReleaseSchema,
    SessionInSchema,
    SessionOutSchema,
    StatusQuerySchema,
)

api = ApiBlueprint(
    "prisoner_families_api",
    __name__,
    description="Prisoners and their families: debt cases, rehabilitation, KPIs",
)
P = "prisoner_families."


def _case_detail(case: DebtCase) -> DebtCase:
    case.entries = services.case_entries(case)
    case.negotiations = services.case_negotiations(case)
    return case


def _enrolment_out(enrolment: Enrolment) -> Enrolment:
    enrolment.progress = services.enrolment_progress(enrolment)
    return enrolment


# --------------------------------------------------------------------------- prisoners


def _page(query, pagination_parameters) -> list:
    """One page of a list (core's ``page_of``; ``X-Pagination`` says where it stands)."""
    found = page_of(query, pagination_parameters.page, pagination_parameters.page_size)
    pagination_parameters.item_count = found.total
    return found.rows


@api.route("/prisoners")
@api.arguments(StatusQuerySchema, location="query")
@api.response(200, PrisonerOutSchema(many=True))
@api.paginate()
@api.requires(P + "view")
def list_prisoners(args, pagination_parameters):
    return _page(services.prisoners_query(args.get("status")), pagination_parameters)


@api.route("/prisoners", methods=["POST"])
@api.arguments(PrisonerInSchema)
@api.response(201, PrisonerOutSchema)
@api.requires(P + "manage")
def create_prisoner(data):
    """Register a prisoner (a person of the registry) with his case."""
    prisoner = services.create_prisoner(data, current_user)
    db.session.commit()
    return prisoner


@api.route("/prisoners/<int:prisoner_id>")
@api.response(200, PrisonerOutSchema)
@api.requires(P + "view")
def get_prisoner(prisoner_id):
    return get_or_404(Prisoner, prisoner_id)


@api.route("/prisoners/<int:prisoner_id>", methods=["PATCH"])
@api.arguments(PrisonerUpdateSchema(partial=True))
@api.response(200, PrisonerOutSchema)
@api.requires(P + "manage")
def update_prisoner(data, prisoner_id):
    prisoner = services.update_prisoner(get_or_404(Prisoner, prisoner_id), data, current_user)
    db.session.commit()
    return prisoner


@api.route("/prisoners/<int:prisoner_id>/release", methods=["POST"])
@api.arguments(ReleaseSchema)
@api.response(200, PrisonerOutSchema)
@api.requires(P + "manage")
def release_prisoner(data, prisoner_id):
    """Record the release: schedules follow-ups and closes settled debt cases."""
    prisoner = services.record_release(get_or_404(Prisoner, prisoner_id), data["released_on"], current_user)
    db.session.commit()
    return prisoner


@api.route("/prisoners/<int:prisoner_id>/families")
@api.response(200, FamilyLinkOutSchema(many=True))
@api.requires(P + "view")
def list_families(prisoner_id):
    return services.family_links(get_or_404(Prisoner, prisoner_id))


@api.route("/prisoners/<int:prisoner_id>/families", methods=["POST"])
@api.arguments(FamilyLinkInSchema)
@api.response(201, FamilyLinkOutSchema)
@api.requires(P + "manage")
def link_family(data, prisoner_id):
    """Link a household the prisoner supported, with the prison/court letter (a document) as evidence."""
    link = services.link_family(get_or_404(Prisoner, prisoner_id), data, current_user)
    db.session.commit()
    return link


@api.route("/households/<int:household_id>/eligibility")
@api.response(200, CheckSchema(many=True))
@api.requires(P + "view")
def household_eligibility(household_id):
    """Seed 002's three conditions for a household, each pass/fail with the reason."""
    return services.assess(get_or_404(Household, household_id))


@api.route("/persons/<int:person_id>/eligibility")
@api.response(200, CheckSchema(many=True))
@api.requires(P + "view")
def person_eligibility(person_id):
    """The three conditions for a person (a prisoner or released prisoner)."""
    person = get_or_404(Person, person_id)
    household = db.session.scalars(db.select(Household).where(Household.head_person_id == person.id)).first()
    return services.assess(household, person)


# --------------------------------------------------------------------------- debt cases


@api.route("/debt-cases")
@api.arguments(StatusQuerySchema, location="query")
@api.response(200, DebtCaseOutSchema(many=True))
@api.paginate()
@api.requires(P + "view")
def list_cases(args, pagination_parameters):
    return _page(services.cases_query(args.get("status")), pagination_parameters)


@api.route("/debt-cases", methods=["POST"])
@api.arguments(DebtCaseInSchema)
@api.response(201, DebtCaseDetailSchema)
@api.requires(P + "debts")
def create_case(data):
    """Open a debt case for an insolvent private-right prisoner."""
    case = services.create_case(data, current_user)
    db.session.commit()
    return _case_detail(case)


@api.route("/debt-cases/<int:case_id>")
@api.response(200, DebtCaseDetailSchema)
@api.requires(P + "view")
def get_case(case_id):
    return _case_detail(get_or_404(DebtCase, case_id))


@api.route("/debt-cases/<int:case_id>/negotiations", methods=["POST"])
@api.arguments(NegotiationInSchema)
@api.response(201, NegotiationOutSchema)
@api.requires(P + "debts")
def add_negotiation(data, case_id):
    """Log an attempt with the creditor; a forgiving outcome records the amount forgiven."""
    get_or_404(DebtCase, case_id)
    negotiation = services.add_negotiation(case_id, data, current_user)
    db.session.commit()
    return negotiation


@api.route("/debt-cases/<int:case_id>/payments", methods=["POST"])
@api.arguments(PaymentInSchema)
@api.response(201, DebtEntryOutSchema)
@api.requires(P + "debts")
def add_payment(data, case_id):
    """Record an amount paid by others. (Association payments come from core disbursements of
    the insolvency programs, linked to the case through the request's ``extra.prisoner_families.debt_case_id``.)"""
    get_or_404(DebtCase, case_id)
    entry = services.add_entry(
        case_id,
        "other_payment",
        data["amount_halalas"],
        entry_date=data["paid_on"],
        payer=data["payer"],
        note=data.get("note") or "",
        actor=current_user,
    )
    db.session.commit()
    return entry


# --------------------------------------------------------------------------- rehabilitation


@api.route("/programs")
@api.response(200, ProgramOutSchema(many=True))
@api.paginate()
@api.requires(P + "view")
def list_programs(pagination_parameters):
    return _page(services.programs_query(), pagination_parameters)


@api.route("/programs", methods=["POST"])
@api.arguments(ProgramInSchema)
@api.response(201, ProgramOutSchema)
@api.requires(P + "programs")
def create_program(data):
    """A program with its interview requirement, fee (announced before registration) and minimum attendance."""
    program = services.create_program(data, current_user)
    db.session.commit()
    return program


@api.route("/programs/defaults", methods=["POST"])
@api.response(200, ProgramOutSchema(many=True))
@api.requires(P + "programs")
def install_programs():
    """Add seed 000's rehabilitation programs the tenant does not have yet."""
    services.install_default_programs(current_user)
    db.session.commit()
    return services.list_programs()


@api.route("/programs/<int:program_id>")
@api.response(200, ProgramOutSchema)
@api.requires(P + "view")
def get_program(program_id):
    return get_or_404(Program, program_id)


@api.route("/programs/<int:program_id>/enrolments")
@api.response(200, EnrolmentOutSchema(many=True))
@api.requires(P + "view")
def list_enrolments(program_id):
    program = get_or_404(Program, program_id)
    enrolments = services.program_enrolments(program)
    progress = services.enrolments_progress(program, enrolments)
    for enrolment in enrolments:
        enrolment.progress = progress[enrolment.id]
    return enrolments


@api.route("/programs/<int:program_id>/enrolments", methods=["POST"])
@api.arguments(EnrolmentInSchema)
@api.response(201, EnrolmentOutSchema)
@api.requires(P + "programs")
def enrol(data, program_id):
    enrolment = services.enrol(get_or_404(Program, program_id), data, current_user)
    db.session.commit()
    return _enrolment_out(enrolment)


@api.route("/enrolments/<int:enrolment_id>")
@api.response(200, EnrolmentOutSchema)
@api.requires(P + "view")
def get_enrolment(enrolment_id):
    return _enrolment_out(get_or_404(Enrolment, enrolment_id))


@api.route("/enrolments/<int:enrolment_id>/interview", methods=["POST"])
@api.arguments(InterviewInSchema)
@api.response(200, EnrolmentOutSchema)
@api.requires(P + "programs")
def record_interview(data, enrolment_id):
    enrolment = services.record_interview(get_or_404(Enrolment, enrolment_id), data, current_user)
    db.session.commit()
    return _enrolment_out(enrolment)


@api.route("/programs/<int:program_id>/sessions")
@api.response(200, SessionOutSchema(many=True))
@api.requires(P + "view")
def list_sessions(program_id):
    return services.program_sessions(get_or_404(Program, program_id))


@api.route("/programs/<int:program_id>/sessions", methods=["POST"])
@api.arguments(SessionInSchema)
@api.response(201, SessionOutSchema)
@api.requires(P + "programs")
def add_session(data, program_id):
    session = services.add_session(get_or_404(Program, program_id), data, current_user)
    db.session.commit()
    return session


@api.route("/sessions/<int:session_id>/attendance", methods=["PUT"])
@api.arguments(AttendanceInSchema)
@api.response(200, AttendanceOutSchema(many=True))
@api.requires(P + "programs")
def record_attendance(data, session_id):
    rows = services.record_attendance(get_or_404(ProgramSession, session_id), data["marks"], current_user)
    db.session.commit()
    return rows


@api.route("/follow-ups")
@api.arguments(FollowUpQuerySchema, location="query")
@api.response(200, FollowUpOutSchema(many=True))
@api.paginate()
@api.requires(P + "view")
def list_follow_ups(args, pagination_parameters):
    return _page(services.follow_ups_query(args["pending"]), pagination_parameters)


@api.route("/follow-ups/<int:follow_up_id>", methods=["POST"])
@api.arguments(FollowUpInSchema)
@api.response(200, FollowUpOutSchema)
@api.requires(P + "programs")
def record_follow_up(data, follow_up_id):
    """Record a follow-up of a released participant: did he return to crime?"""
    follow_up = services.record_follow_up(get_or_404(FollowUp, follow_up_id), data, current_user)
    db.session.commit()
    return follow_up


# --------------------------------------------------------------------------- self-reliance, KPIs


@api.route("/placements")
@api.response(200, PlacementOutSchema(many=True))
@api.paginate()
@api.requires(P + "view")
def list_placements(pagination_parameters):
    return _page(services.placements_query(), pagination_parameters)


@api.route("/placements", methods=["POST"])
@api.arguments(PlacementInSchema)
@api.response(201, PlacementOutSchema)
@api.requires(P + "manage")
def add_placement(data):
    """A prisoner's family placed in a school canteen or an exhibition."""
    placement = services.add_placement(data, current_user)
    db.session.commit()
    return placement


@api.route("/employments")
@api.response(200, EmploymentOutSchema(many=True))
@api.paginate()
@api.requires(P + "view")
def list_employments(pagination_parameters):
    return _page(services.employments_query(), pagination_parameters)


@api.route("/employments", methods=["POST"])
@api.arguments(EmploymentInSchema)
@api.response(201, EmploymentOutSchema)
@api.requires(P + "manage")
def add_employment(data):
    employment = services.add_employment(data, current_user)
    db.session.commit()
    return employment


@api.route("/kpis")
@api.arguments(PeriodSchema, location="query")
@api.response(200, KpiSchema(many=True))
@api.requires(P + "kpis")
def kpis(args):
    """The plugin's KPI figures for a period (the same sources planning reads)."""
    return [v for v in kpi_values(require_tenant(), args["start"], args["end"]) if v["key"].startswith(P)]
