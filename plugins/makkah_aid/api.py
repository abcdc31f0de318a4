"""The plugin's REST API (``/t/<tenant>/api/v1/makkah_aid/…``, in the OpenAPI document)."""

from __future__ import annotations

from flask_login import current_user

from core.toolkit import AidRequest, ApiBlueprint, BeneficiaryFile, Conflict, NotFound, db, get_or_404

from . import services
from .i18n import _
from .models import ExclusionProposal, RenewalRound, Violation
from .schemas import (
    AssessmentInSchema,
    AssessmentOutSchema,
    DecideInSchema,
    FileViolationsOutSchema,
    LiftInSchema,
    ProposalInSchema,
    ProposalListArgs,
    ProposalOutSchema,
    RenewalOutSchema,
    RenewInSchema,
    RoundInSchema,
    RoundOutSchema,
    RuleVersionOutSchema,
    ScanOutSchema,
    ViolationInSchema,
    ViolationOutSchema,
)

bp = ApiBlueprint(
    "makkah_aid_api",
    __name__,
    description="Makkah association: need-gap assessments, violations ladder, renewal rounds, exclusions.",
)


def assessment_out(assessment) -> dict:
    version = assessment.rule_version
    return {
        "id": assessment.id,
        "request_id": assessment.request_id,
        "file_id": assessment.file_id,
        "rule_version_id": assessment.rule_version_id,
        "needs_total": assessment.needs_total,
        "income_total": assessment.income_total,
        "gap": assessment.gap,
        "eligible": assessment.eligible,
        "band": assessment.band,
        "ceiling_halalas": assessment.ceiling_halalas,
        "figures": assessment.figures,
        "notes": assessment.notes,
        "created_at": assessment.created_at,
        "explanation": services.explain(assessment),
        "rule_version": {
            "id": version.id,
            "effective_from": version.effective_from,
            "settings": version.settings,
        },
    }


# --------------------------------------------------------------------------- rule versions


@bp.route("/rule-versions")
@bp.response(200, RuleVersionOutSchema(many=True))
@bp.requires("makkah_aid.view")
def list_rule_versions():
    """Every version of the tenant's rules, newest first (the current one is written if new)."""
    services.current_rule_version()
    db.session.commit()
    return services.rule_versions()


# --------------------------------------------------------------------------- applications and assessments


@bp.route("/requests/<int:request_id>/submission-check")
@bp.response(200, description="Missing mandatory items, one translated message per field")
@bp.requires("makkah_aid.view")
def submission_check(request_id):
    """What the application still lacks before it can be submitted (empty when complete)."""
    request = get_or_404(AidRequest, request_id)
    return {"errors": services.submission_errors(request)}


@bp.route("/requests/<int:request_id>/assessment")
@bp.response(200, AssessmentOutSchema)
@bp.requires("makkah_aid.view")
def get_assessment(request_id):
    """The latest need-gap assessment of a request, with every figure and the rule in force then."""
    request = get_or_404(AidRequest, request_id)
    assessment = services.latest_assessment(request)
    if assessment is None:
        raise NotFound()
    return assessment_out(assessment)


@bp.route("/requests/<int:request_id>/assessments")
@bp.response(200, AssessmentOutSchema(many=True))
@bp.requires("makkah_aid.view")
def list_assessments(request_id):
    request = get_or_404(AidRequest, request_id)
    return [assessment_out(a) for a in services.assessments_of(request)]


@bp.route("/requests/<int:request_id>/assessment", methods=["POST"])
@bp.arguments(AssessmentInSchema)
@bp.response(201, AssessmentOutSchema)
@bp.requires("makkah_aid.assess")
def post_assessment(data, request_id):
    """Record the household's annual basic needs (halalas): the gap, band and ceiling follow."""
    request = get_or_404(AidRequest, request_id)
    assessment = services.record_assessment(request, data, current_user)
    db.session.commit()
    return assessment_out(assessment)


# --------------------------------------------------------------------------- violations


def violation_out(violation, pledge: dict | None = None) -> dict:
    return {
        "id": violation.id,
        "file_id": violation.file_id,
        "code": violation.code,
        "occurrence": violation.occurrence,
        "occurred_on": violation.occurred_on,
        "sanction": violation.sanction,
        "sanction_kind": violation.sanction_kind,
        "ends_on": violation.ends_on,
        **(pledge if pledge is not None else services.pledge_status(violation)),
        "referral": violation.referral,
        "in_force": violation.in_force,
        "lifted_at": violation.lifted_at,
        "lift_note": violation.lift_note,
        "notes": violation.notes,
        "rule_version_id": violation.rule_version_id,
        "documenters": violation.documenters or [],
        "sanction_text": services.sanction_text(violation.sanction, violation.ends_on, violation.documenters),
    }


@bp.route("/files/<int:file_id>/violations")
@bp.response(200, FileViolationsOutSchema)
@bp.requires("makkah_aid.view")
def file_violations(file_id):
    """A file's violations (timed suspensions past their end are lifted on read) and the
    sanction the ladder would bring for the next occurrence of each violation."""
    file = get_or_404(BeneficiaryFile, file_id)
    services.lift_expired(file)
    violations = services.violations_of(file)
    pledges = services.pledge_statuses(violations, file)
    result = {
        "file_id": file.id,
        "status": file.status,
        "suspended_until": file.suspended_until,
        "suspension_condition": file.suspension_condition,
        "state": services.displayed_state(file, violations=violations),
        "violations": [violation_out(v, pledges[v.id]) for v in violations],
        "next_sanctions": services.next_sanctions(file),
    }
    db.session.commit()
    return result


@bp.route("/violations", methods=["POST"])
@bp.arguments(ViolationInSchema)
@bp.response(201, ViolationOutSchema)
@bp.requires("makkah_aid.violations")
def post_violation(data):
    """Record a violation: the ladder's sanction for its occurrence applies to the file."""
    file = get_or_404(BeneficiaryFile, data["file_id"])
    violation = services.record_violation(file, data, current_user)
    result = violation_out(violation)
    db.session.commit()
    return result


@bp.route("/violations/<int:violation_id>/lift", methods=["POST"])
@bp.arguments(LiftInSchema)
@bp.response(200, ViolationOutSchema)
@bp.requires("makkah_aid.lift")
def lift_violation(data, violation_id):
    """Lift a suspension until a condition, once the condition is met — and, when the ladder asks
    for a written pledge, once a pledge document is attached to the household (409 otherwise)."""
    violation = get_or_404(Violation, violation_id)
    services.lift(violation, current_user, data["note"])
    result = violation_out(violation)
    db.session.commit()
    return result


# --------------------------------------------------------------------------- renewal rounds


@bp.route("/rounds")
@bp.response(200, RoundOutSchema(many=True))
@bp.requires("makkah_aid.view")
def list_rounds():
    return [services.round_view(r) for r in services.rounds()]


@bp.route("/rounds", methods=["POST"])
@bp.arguments(RoundInSchema)
@bp.response(201, RoundOutSchema)
@bp.requires("makkah_aid.rounds")
def post_round(data):
    """Announce a renewal round: due date = announcement + the tenant's window."""
    renewal_round = services.announce_round(data, current_user)
    db.session.commit()
    return services.round_view(renewal_round)


@bp.route("/rounds/<int:round_id>")
@bp.response(200, RoundOutSchema)
@bp.requires("makkah_aid.view")
def get_round(round_id):
    """A round with its due, late and renewed files."""
    return services.round_view(get_or_404(RenewalRound, round_id))


@bp.route("/rounds/<int:round_id>/renewals", methods=["POST"])
@bp.arguments(RenewInSchema)
@bp.response(200, RenewalOutSchema)
@bp.requires("makkah_aid.renew")
def post_renewal(data, round_id):
    """Record that a file renewed its data in this round."""
    renewal_round = get_or_404(RenewalRound, round_id)
    file = get_or_404(BeneficiaryFile, data["file_id"])
    renewal = services.record_renewal(renewal_round, file, data.get("renewed_on"), current_user)
    db.session.commit()
    return services.renewal_view(renewal_round, renewal, services.today())


# --------------------------------------------------------------------------- exclusion proposals


def proposal_out(proposal) -> dict:
    return {c: getattr(proposal, c) for c in ProposalOutSchema().fields}


@bp.route("/proposals")
@bp.arguments(ProposalListArgs, location="query")
@bp.response(200, ProposalOutSchema(many=True))
@bp.requires("makkah_aid.view")
def list_proposals(args):
    """The exclusion proposals queue (pending by default)."""
    return [proposal_out(p) for p in services.proposals(args["status"])]


@bp.route("/proposals", methods=["POST"])
@bp.arguments(ProposalInSchema)
@bp.response(201, ProposalOutSchema)
@bp.requires("makkah_aid.propose")
def post_proposal(data):
    """Staff propose an exclusion with its evidence (a human with the right role confirms)."""
    file = get_or_404(BeneficiaryFile, data["file_id"])
    proposal = services.propose(
        file,
        data["reason"],
        evidence=data.get("evidence") or {},
        member_id=data.get("member_id"),
        source="staff",
        note=data.get("note") or "",
        actor=current_user,
    )
    if proposal is None:
        raise Conflict(_("The same exclusion is already proposed for this file."))
    db.session.commit()
    return proposal_out(proposal)


@bp.route("/proposals/<int:proposal_id>/confirm", methods=["POST"])
@bp.arguments(DecideInSchema)
@bp.response(200, ProposalOutSchema)
@bp.requires("makkah_aid.decide")
def confirm_proposal(data, proposal_id):
    """Confirm: the file is excluded (or closed) through core; the beneficiary is told why."""
    proposal = services.confirm(
        get_or_404(ExclusionProposal, proposal_id), current_user, data.get("note") or ""
    )
    db.session.commit()
    return proposal_out(proposal)


@bp.route("/proposals/<int:proposal_id>/dismiss", methods=["POST"])
@bp.arguments(DecideInSchema)
@bp.response(200, ProposalOutSchema)
@bp.requires("makkah_aid.decide")
def dismiss_proposal(data, proposal_id):
    proposal = services.dismiss(
        get_or_404(ExclusionProposal, proposal_id), current_user, data.get("note") or ""
    )
    db.session.commit()
    return proposal_out(proposal)


@bp.route("/scan", methods=["POST"])
@bp.response(200, ScanOutSchema)
@bp.requires("makkah_aid.propose")
def scan():
    """Run the daily rules now: end timed suspensions, propose due exclusions with evidence."""
    counts = services.tick()
    db.session.commit()
    return counts
