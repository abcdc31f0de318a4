"""The plugin's API (``/t/<tenant>/api/v1/crime_victims/…``, in the OpenAPI document)."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields

from core.toolkit import ApiBlueprint, Timestamp, db

from . import services
from .schemas import (
    CaseDetailOutSchema,
    CaseOpenSchema,
    CaseOutSchema,
    CategoryOutSchema,
    CategorySchema,
    NeedOutSchema,
    PartnerOutSchema,
    ReferralOutSchema,
)

bp = ApiBlueprint(
    "crime_victims_api",
    __name__,
    description="Crime victims care: victim cases, their seven intake steps and the crime categories.",
)


class QueueArgs(Schema):
    overdue = fields.Boolean(load_default=False)


class StepArgs(Schema):
    """A step's input: ``check`` {national_id | person_id}, ``clarify`` {outcome, officer_id},
    ``answer`` {note}, ``declare`` {signed_by}, ``notice`` {}, ``register``/``serve`` {note}."""

    class Meta:
        unknown = "include"


def _detail(case) -> dict:
    out = services.as_dict(case)
    out["timeline"] = services.timeline(case)
    return out


@bp.route("/cases")
@bp.arguments(QueueArgs, location="query")
@bp.response(200, CaseOutSchema(many=True))
@bp.requires("crime_victims.view")
def list_cases(args):
    """The staff queue, newest first, with the expected answer date and the overdue flag."""
    return [services.as_dict(row.case) for row in services.queue(overdue_only=args["overdue"])]


@bp.route("/cases", methods=["POST"])
@bp.arguments(CaseOpenSchema)
@bp.response(201, CaseDetailOutSchema)
@bp.requires("crime_victims.intake")
def open_case(data):
    """Open a case registered by staff (intake step 1, channel recorded)."""
    case = services.open_case(request.get_json(), current_user)
    db.session.commit()
    return _detail(case)


@bp.route("/cases/<int:case_id>")
@bp.response(200, CaseDetailOutSchema)
@bp.requires("crime_victims.view")
def get_case(case_id):
    """A case with the timeline of its intake steps."""
    return _detail(services.get_case(case_id))


class NarrativeArgs(Schema):
    reason = fields.String(load_default=None)


class NarrativeOutSchema(Schema):
    narrative = fields.String()
    incident_details = fields.String()
    basis = fields.String()


class NarrativeInSchema(Schema):
    narrative = fields.String(required=True)
    incident_details = fields.String(load_default="")


class AssignInSchema(Schema):
    researcher_id = fields.Integer(required=True)


@bp.route("/cases/<int:case_id>/narrative")
@bp.arguments(NarrativeArgs, location="query")
@bp.response(200, NarrativeOutSchema)
@bp.requires("crime_victims.view")
def read_narrative(args, case_id):
    """The sealed narrative: the assigned researcher, the research committee, or the executive
    director with a ``reason`` (break-glass: the auditors are told). Every read is audited; any
    other role: 403."""
    case = services.get_case(case_id)
    opened = services.narrative.read(case, current_user, via="api", reason=args["reason"])
    db.session.commit()
    return opened


@bp.route("/cases/<int:case_id>/narrative", methods=["PUT"])
@bp.arguments(NarrativeInSchema)
@bp.response(204)
@bp.requires("crime_victims.view")
def write_narrative(data, case_id):
    """The assigned researcher records the narrative (encrypted at rest; audited without its text)."""
    services.narrative.write(services.get_case(case_id), data, current_user)
    db.session.commit()


@bp.route("/cases/<int:case_id>/researcher", methods=["POST"])
@bp.arguments(AssignInSchema)
@bp.response(200, CaseOutSchema)
@bp.requires("crime_victims.intake")
def assign_researcher(data, case_id):
    """Assign the case's researcher (a member holding the researcher role)."""
    case = services.get_case(case_id)
    services.narrative.assign(case, data, current_user)
    db.session.commit()
    return services.as_dict(case)


STEP_DOCS = {
    "check": "Step 2: the person matched in the registry (``national_id`` or ``person_id``), the ID valid on the submission day.",
    "clarify": "Step 3: ``outcome`` ``clear``, or ``refer`` to the social-research officer ``officer_id``.",
    "answer": "Step 3: the social-research officer's ``note`` answering a referral.",
    "declare": "Step 4: core's signed declaration (``signed_by`` for a paper form; submits a staff draft).",
    "notice": "Step 5: the applicant told the case goes to the research committee (expected answer date).",
    "register": "Step 6: registration completed once the committee accepted the case (``note``).",
    "serve": "Step 7: the service delivered (``note``).",
}


def _step_view(action: str):
    def view(data, case_id):
        case = services.get_case(case_id)
        services.take(case, action, data, current_user)
        db.session.commit()
        return _detail(case)

    view.__name__ = f"step_{action}"
    view.__doc__ = STEP_DOCS[action] + " Out of order: 409; each step checks its own permission."
    return view


for _action in services.ACTIONS:
    bp.route(f"/cases/<int:case_id>/steps/{_action}", methods=["POST"], endpoint=f"step_{_action}")(
        bp.arguments(StepArgs)(
            bp.response(201, CaseDetailOutSchema)(bp.requires("crime_victims.view")(_step_view(_action)))
        )
    )


@bp.route("/categories")
@bp.response(200, CategoryOutSchema(many=True))
@bp.requires("crime_victims.view")
def list_categories():
    """The tenant's crime categories."""
    return services.categories()


@bp.route("/categories", methods=["POST"])
@bp.arguments(CategorySchema)
@bp.response(201, CategoryOutSchema)
@bp.requires("crime_victims.categories")
def add_category(data):
    """Add a category to the tenant's list."""
    category = services.add_category(data, current_user)
    db.session.commit()
    return category


class OpenBody(Schema):
    """The body is validated by the service (field errors 422, nothing written)."""

    class Meta:
        unknown = "include"


@bp.route("/cases/<int:case_id>/needs")
@bp.response(200, NeedOutSchema(many=True))
@bp.requires("crime_victims.view")
def list_needs(case_id):
    """The case plan: the case's needs in six areas, with severity, who acts, by when, status."""
    return services.care.needs_of(services.get_case(case_id))


@bp.route("/cases/<int:case_id>/needs", methods=["POST"])
@bp.arguments(OpenBody)
@bp.response(201, NeedOutSchema)
@bp.requires("crime_victims.care")
def add_need(data, case_id):
    """Assess a need: ``area`` (psychological, legal, financial, health, housing, education),
    ``severity`` (low … critical), ``note``, ``owner_id``, ``due_on``."""
    need = services.care.add_need(services.get_case(case_id), data, current_user)
    db.session.commit()
    return need


def _need_action(action, doc):
    def view(data, need_id):
        need = services.care.get_need(need_id)
        action(need, data, current_user)
        db.session.commit()
        return need

    view.__doc__ = doc
    view.__name__ = f"need_{action.__name__}"
    return view


for _path, (_action, _doc) in {
    "meet": (
        services.care.meet_in_house,
        "Met in-house through core's aid request (``aid_request_id``, the case's by default).",
    ),
    "close": (services.care.close_need, "Close a need with a ``reason``."),
}.items():
    bp.route(f"/needs/<int:need_id>/{_path}", methods=["POST"], endpoint=f"need_{_path}")(
        bp.arguments(OpenBody)(
            bp.response(200, NeedOutSchema)(bp.requires("crime_victims.care")(_need_action(_action, _doc)))
        )
    )


@bp.route("/needs/<int:need_id>/referrals", methods=["POST"])
@bp.arguments(OpenBody)
@bp.response(201, ReferralOutSchema)
@bp.requires("crime_victims.care")
def refer_need(data, need_id):
    """Refer an open need to a partner offering its area (``partner_id``, ``sent_on``, ``follow_up_on``)."""
    referral = services.care.refer(services.care.get_need(need_id), data, current_user)
    db.session.commit()
    return referral


@bp.route("/referrals/<int:referral_id>/status", methods=["POST"])
@bp.arguments(OpenBody)
@bp.response(200, ReferralOutSchema)
@bp.requires("crime_victims.care")
def move_referral(data, referral_id):
    """``sent → accepted | declined → in_service → completed`` (``outcome`` required to complete;
    ``follow_up_on``); anything else 409."""
    referral = services.care.move(services.care.get_referral(referral_id), data, current_user)
    db.session.commit()
    return referral


@bp.route("/partners")
@bp.response(200, PartnerOutSchema(many=True))
@bp.requires("crime_victims.view")
def list_partners():
    """The tenant's partner organisations."""
    return services.care.partners()


@bp.route("/partners", methods=["POST"])
@bp.arguments(OpenBody)
@bp.response(201, PartnerOutSchema)
@bp.requires("crime_victims.partners")
def add_partner(data):
    """Add a partner: ``name``, ``services`` (areas), contact, agreement reference and date."""
    partner = services.care.add_partner(data, current_user)
    db.session.commit()
    return partner


class VictimSessionOutSchema(Schema):
    id = fields.Integer()
    mode = fields.String()
    scheduled_at = Timestamp()
    place = fields.String()


@bp.route("/cases/<int:case_id>/sessions")
@bp.response(200, VictimSessionOutSchema(many=True))
@bp.requires("crime_victims.view")
def list_sessions(case_id):
    """The case's sessions (office, home, remote)."""
    return services.sessions.sessions_of(services.get_case(case_id))


@bp.route("/cases/<int:case_id>/sessions", methods=["POST"])
@bp.arguments(OpenBody)
@bp.response(201, VictimSessionOutSchema)
@bp.requires("crime_victims.care")
def schedule_session(data, case_id):
    """Schedule a session: ``mode`` (office, home, remote), ``scheduled_at`` (YYYY-MM-DDTHH:MM), ``place``."""
    session = services.sessions.schedule(services.get_case(case_id), data, current_user)
    db.session.commit()
    return session
