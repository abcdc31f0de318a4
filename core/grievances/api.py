"""Tenant API of grievances: ``/t/<tenant>/api/v1/grievances/…``.

Staff endpoints answer 404 for a grievance the caller may not read (its existence is not
revealed); every read is audited. ``/mine`` is the complainant's own view (portal users).
"""

from __future__ import annotations

from flask_login import current_user

from ..api import ApiBlueprint
from ..downloads import download_response
from ..errors import NotFound
from ..extensions import db
from ..lookup import get_or_404
from . import services
from .models import Grievance, GrievanceAppeal
from .schemas import (
    GrievanceAboutSchema,
    GrievanceAppealOutSchema,
    GrievanceAppealSchema,
    GrievanceAssignAppealSchema,
    GrievanceAssignSchema,
    GrievanceCategorySchema,
    GrievanceDecideAppealSchema,
    GrievanceDecideSchema,
    GrievanceInadmissibleSchema,
    GrievanceMaliciousSchema,
    GrievanceNoteSchema,
    GrievancePortalFileSchema,
    GrievancePublicAppealSchema,
    GrievancePublicSchema,
    GrievanceQueueArgsSchema,
    GrievanceRecordSchema,
    GrievanceRuleVersionInSchema,
    GrievanceRuleVersionSchema,
    GrievanceSchema,
)

bp = ApiBlueprint("grievances_api", __name__, description="Grievances and complaints (confidential)")
READERS = ("grievances.receive", "grievances.audit", "grievances.handle")


def _read(grievance_id: int) -> Grievance:
    return services.read(grievance_id, current_user, "api")


def _done(grievance: Grievance) -> Grievance:
    db.session.commit()
    return grievance


@bp.route("/")
@bp.arguments(GrievanceQueueArgsSchema, location="query")
@bp.response(200, GrievanceSchema(many=True))
@bp.requires(*READERS)
def list_grievances(args):
    """The grievances the caller may read, of one queue (``all``, ``mine``, ``unassigned``,
    ``due_soon`` within 5 working days, ``overdue``); the listing is audited."""
    return services.read_queue(
        current_user, args["queue"], services.today(), "api", args.get("state"), args.get("q")
    )


@bp.route("/", methods=["POST"])
@bp.arguments(GrievanceRecordSchema)
@bp.response(201, GrievancePublicSchema)
@bp.requires("grievances.record")
def record_grievance(data):
    """Record a grievance handed in at the office (channel ``in_person``, ``phone``, ``letter``,
    ``email``). A late one needs ``late_excuse`` and a role that may accept it."""
    return _done(services.file_grievance(data, current_user))


@bp.route("/categories")
@bp.response(200, GrievanceCategorySchema(many=True))
@bp.login_required
def list_categories():
    return services.categories()


@bp.route("/rules")
@bp.response(200, GrievanceRuleVersionSchema(many=True))
@bp.requires("grievances.settings", "grievances.receive")
def list_rules():
    """The tenant's rule versions (filing window, deadline, appeal window) by effective date."""
    return services.rule_versions()


@bp.route("/rules", methods=["POST"])
@bp.arguments(GrievanceRuleVersionInSchema)
@bp.response(201, GrievanceRuleVersionSchema)
@bp.requires("grievances.settings")
def add_rules(data):
    """A new rule version, effective today or later (the past is never rewritten)."""
    version = services.add_rule_version(data, current_user, services.today())
    db.session.commit()
    return version


@bp.route("/export.xlsx")
@bp.response(200, description="XLSX workbook")
@bp.requires("grievances.receive", "grievances.audit")
def export():
    """The grievances the caller may read, as XLSX for the auditors (audited)."""
    body = services.export_xlsx(current_user)
    db.session.commit()
    return download_response(
        body, "grievances.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@bp.route("/<int:grievance_id>")
@bp.response(200, GrievanceSchema)
@bp.requires(*READERS)
def get_grievance(grievance_id):
    return _done(_read(grievance_id))


@bp.route("/<int:grievance_id>/assign", methods=["POST"])
@bp.arguments(GrievanceAssignSchema)
@bp.response(200, GrievanceSchema)
@bp.requires("grievances.receive")
def assign(data, grievance_id):
    """Assign the competent committee (``body``) or person(s) (``user_ids``); starts the review."""
    return _done(services.assign(_read(grievance_id), current_user, data["user_ids"], data.get("body")))


@bp.route("/<int:grievance_id>/about", methods=["POST"])
@bp.arguments(GrievanceAboutSchema)
@bp.response(200, GrievanceSchema)
@bp.requires("grievances.receive")
def set_about(data, grievance_id):
    """Name the staff member the grievance is about (they can then never read it)."""
    return _done(services.set_about(_read(grievance_id), current_user, data["about_user_id"]))


@bp.route("/<int:grievance_id>/review", methods=["POST"])
@bp.response(200, GrievanceSchema)
@bp.requires(*READERS)
def review(grievance_id):
    return _done(services.review(_read(grievance_id), current_user))


@bp.route("/<int:grievance_id>/ask", methods=["POST"])
@bp.arguments(GrievanceNoteSchema)
@bp.response(200, GrievanceSchema)
@bp.requires(*READERS)
def ask(data, grievance_id):
    """Ask the complainant for information: the clock pauses until they answer."""
    return _done(services.ask_complainant(_read(grievance_id), current_user, data["note"], services.today()))


@bp.route("/<int:grievance_id>/answer", methods=["POST"])
@bp.arguments(GrievanceNoteSchema)
@bp.response(200, GrievanceSchema)
@bp.requires(*READERS)
def answer(data, grievance_id):
    """Record the complainant's answer (given by phone or at the office): the clock resumes."""
    return _done(services.answer(_read(grievance_id), current_user, data["note"], services.today()))


@bp.route("/<int:grievance_id>/decide", methods=["POST"])
@bp.arguments(GrievanceDecideSchema)
@bp.response(200, GrievanceSchema)
@bp.requires(*READERS)
def decide(data, grievance_id):
    return _done(
        services.decide(
            _read(grievance_id), current_user, data["outcome"], data["decision_text"], data.get("action_taken"),
            services.today(),
        )
    )  # fmt: skip


@bp.route("/<int:grievance_id>/inadmissible", methods=["POST"])
@bp.arguments(GrievanceInadmissibleSchema)
@bp.response(200, GrievanceSchema)
@bp.requires("grievances.receive")
def inadmissible(data, grievance_id):
    return _done(
        services.reject_inadmissible(_read(grievance_id), current_user, data["rule"], data.get("note"))
    )


@bp.route("/<int:grievance_id>/withdraw", methods=["POST"])
@bp.response(200, GrievanceSchema)
@bp.requires(*READERS)
def withdraw(grievance_id):
    return _done(services.withdraw(_read(grievance_id), current_user))


@bp.route("/<int:grievance_id>/reopen", methods=["POST"])
@bp.arguments(GrievanceNoteSchema)
@bp.response(200, GrievanceSchema)
@bp.requires("grievances.receive")
def reopen(data, grievance_id):
    return _done(services.reopen(_read(grievance_id), current_user, data["note"], services.today()))


@bp.route("/<int:grievance_id>/close", methods=["POST"])
@bp.response(200, GrievanceSchema)
@bp.requires(*READERS)
def close(grievance_id):
    return _done(services.close(_read(grievance_id), current_user))


@bp.route("/<int:grievance_id>/redecide", methods=["POST"])
@bp.response(200, GrievanceSchema)
@bp.requires("grievances.receive")
def redecide(grievance_id):
    """Upheld against a rejected request: send that request back to the committee (the
    request's step ``redecide``, through its workflow). 409 unless upheld and rejected."""
    grievance = _read(grievance_id)
    services.redecide_request(grievance, current_user)
    return _done(grievance)


@bp.route("/<int:grievance_id>/malicious", methods=["POST"])
@bp.arguments(GrievanceMaliciousSchema)
@bp.response(200, GrievanceSchema)
@bp.requires("grievances.receive")
def malicious(data, grievance_id):
    """Mark malicious (كيدية), optionally referring the complainant for disciplinary action."""
    return _done(services.mark_malicious(_read(grievance_id), current_user, data["note"], data["refer"]))


@bp.route("/<int:grievance_id>/appeals", methods=["POST"])
@bp.arguments(GrievanceAppealSchema)
@bp.response(201, GrievanceAppealOutSchema)
@bp.requires("grievances.record")
def record_appeal(data, grievance_id):
    """Record an appeal the complainant handed in (within the appeal window)."""
    appeal = services.open_appeal(_read(grievance_id), current_user, data["reason"], services.today())
    db.session.commit()
    return appeal


def _appeal(grievance_id: int, appeal_id: int) -> GrievanceAppeal:
    _read(grievance_id)
    return get_or_404(GrievanceAppeal, appeal_id, grievance_id=grievance_id)


@bp.route("/<int:grievance_id>/appeals/<int:appeal_id>/assign", methods=["POST"])
@bp.arguments(GrievanceAssignAppealSchema)
@bp.response(200, GrievanceAppealOutSchema)
@bp.requires("grievances.receive")
def assign_appeal(data, grievance_id, appeal_id):
    """Give the appeal to someone who did not handle the original (422 otherwise)."""
    appeal = services.assign_appeal(_appeal(grievance_id, appeal_id), current_user, data["handler_id"])
    db.session.commit()
    return appeal


@bp.route("/<int:grievance_id>/appeals/<int:appeal_id>/decide", methods=["POST"])
@bp.arguments(GrievanceDecideAppealSchema)
@bp.response(200, GrievanceAppealOutSchema)
@bp.requires(*READERS)
def decide_appeal(data, grievance_id, appeal_id):
    """Decide the appeal (403 for anyone who handled the original)."""
    appeal = services.decide_appeal(
        _appeal(grievance_id, appeal_id),
        current_user,
        data["outcome"],
        data["decision_text"],
        services.today(),
    )
    db.session.commit()
    return appeal


# --------------------------------------------------------------------------- the complainant's own


def _own(grievance_id: int) -> Grievance:
    grievance = get_or_404(Grievance, grievance_id)
    if not services.is_complainant(grievance, current_user):
        raise NotFound()
    return grievance


@bp.route("/mine")
@bp.response(200, GrievancePublicSchema(many=True))
@bp.requires("grievances.file")
def my_grievances():
    """The caller's own grievances (as the complainant sees them)."""
    return list(
        db.session.scalars(
            db.select(Grievance)
            .where(Grievance.complainant_user_id == current_user.id)
            .order_by(Grievance.id.desc())
        )
    )


@bp.route("/mine", methods=["POST"])
@bp.arguments(GrievancePortalFileSchema)
@bp.response(201, GrievancePublicSchema)
@bp.requires("grievances.file")
def file_mine(data):
    """File a grievance or complaint as the complainant: a number and date at once."""
    return _done(services.file_grievance(data, current_user, own=True))


@bp.route("/mine/<int:grievance_id>")
@bp.response(200, GrievancePublicSchema)
@bp.requires("grievances.file")
def get_mine(grievance_id):
    return _own(grievance_id)


@bp.route("/mine/<int:grievance_id>/answer", methods=["POST"])
@bp.arguments(GrievanceNoteSchema)
@bp.response(200, GrievancePublicSchema)
@bp.requires("grievances.file")
def answer_mine(data, grievance_id):
    return _done(services.answer(_own(grievance_id), current_user, data["note"], services.today()))


@bp.route("/mine/<int:grievance_id>/appeal", methods=["POST"])
@bp.arguments(GrievanceAppealSchema)
@bp.response(201, GrievancePublicAppealSchema)
@bp.requires("grievances.file")
def appeal_mine(data, grievance_id):
    appeal = services.open_appeal(_own(grievance_id), current_user, data["reason"], services.today())
    db.session.commit()
    return appeal


@bp.route("/mine/<int:grievance_id>/withdraw", methods=["POST"])
@bp.response(200, GrievancePublicSchema)
@bp.requires("grievances.file")
def withdraw_mine(grievance_id):
    return _done(services.withdraw(_own(grievance_id), current_user))
