"""Grievance pages: the staff queues and a grievance's page (confidential: 404 to anyone who
may not read it, every read audited), and the portal's file / my grievances pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from ..aid.models import Disbursement
from ..auth.models import Membership, User
from ..auth.permissions import can, require
from ..calendar import format_date
from ..downloads import download_response
from ..errors import NotFound
from ..extensions import db
from ..forms import FormOutcome, form_transaction
from ..i18n import current_language
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..lookup import get_in_tenant, get_or_404
from ..requests.models import AidRequest
from . import services
from .models import CHANNELS, INADMISSIBLE_RULES, KINDS, OUTCOMES, Grievance, GrievanceAppeal
from .schemas import (
    GrievanceAssignSchema,
    GrievanceDecideSchema,
    GrievanceInadmissibleSchema,
    GrievanceMaliciousSchema,
    GrievancePortalFileSchema,
    GrievanceRecordSchema,
    GrievanceRuleVersionInSchema,
)

bp = Blueprint("grievances", __name__, template_folder="templates")
portal_bp = Blueprint("grievances_portal", __name__, template_folder="templates")

STATE_LABELS = {
    "received": _l("Received"),
    "under_review": _l("Under review"),
    "awaiting_complainant": _l("Awaiting the complainant"),
    "decided": _l("Decided"),
    "appealed": _l("Appealed"),
    "closed": _l("Closed"),
    "rejected_inadmissible": _l("Not admissible"),
    "withdrawn": _l("Withdrawn"),
}
KIND_LABELS = {"grievance": _l("Grievance (against a decision)"), "complaint": _l("Complaint")}
CHANNEL_LABELS = {
    "portal": _l("Portal"),
    "in_person": _l("In person"),
    "phone": _l("Phone"),
    "letter": _l("Letter"),
    "email": _l("E-mail"),
}
QUEUE_LABELS = {
    "all": _l("All"),
    "mine": _l("Assigned to me"),
    "unassigned": _l("Unassigned"),
    "due_soon": _l("Due within 5 working days"),
    "overdue": _l("Overdue"),
}
LIGHT_LABELS = {
    "green": _l("On time"),
    "amber": _l("Less than a quarter of the time left"),
    "red": _l("Overdue"),
}


def _labels() -> dict[str, Any]:
    return {
        "state_labels": STATE_LABELS,
        "kind_labels": KIND_LABELS,
        "channel_labels": CHANNEL_LABELS,
        "outcome_labels": services.OUTCOME_LABELS,
        "rule_labels": services.RULE_LABELS,
        "light_labels": LIGHT_LABELS,
        "category_label": services.category_label,
    }


def _form_data(form, fields: tuple[str, ...]) -> dict:
    """The submitted fields that are not blank (a blank field is a missing one)."""
    return {k: form[k].strip() for k in fields if (form.get(k) or "").strip()}


PORTAL_FIELDS = (
    "kind", "category", "complainant_name", "complainant_phone", "complainant_email", "request_id",
    "disbursement_id", "provider_name", "description", "event_date",
)  # fmt: skip
RECORD_FIELDS = (*PORTAL_FIELDS, "channel", "late_excuse")


def _category_options() -> list[tuple[str, str]]:
    lang = current_language()
    return [(c["code"], c.get(f"label_{lang}") or c["label_ar"]) for c in services.categories()]


# --------------------------------------------------------------------------- staff


@bp.route("/")
@require("grievances.handle")
def queue():
    name = request.args.get("queue", "all")
    if name not in QUEUE_LABELS:
        name = "all"
    today = services.today()
    search = request.args.get("q", "").strip()[:100] or None
    items = services.read_queue(current_user, name, today, "page", search=search)
    return render_template(
        "grievances/queue.html",
        items=items,
        search=search or "",
        current=name,
        queues=QUEUE_LABELS,
        today=today,
        light=services.light,
        counts=services.counts(current_user, today),
        **_labels(),
    )


@bp.route("/record", methods=["GET", "POST"])
@require("grievances.record")
def record():
    outcome = FormOutcome()
    form = request.form
    if request.method == "POST":
        with form_transaction() as outcome:
            data = GrievanceRecordSchema().load(_form_data(form, (*RECORD_FIELDS, "about_user_id")))
            number = (form.get("request_number") or "").strip()
            if number:
                found = db.session.scalars(db.select(AidRequest).where(AidRequest.number == number)).first()
                if found is None:
                    raise ValidationError({"request_number": [_("No request has this number.")]})
                data["request_id"] = found.id
            grievance = services.file_grievance(data, current_user)
        if outcome.ok:
            flash(_("Grievance %(number)s recorded on %(date)s.", number=grievance.number,
                    date=format_date(grievance.filed_on)), "success")  # fmt: skip
            if services.can_read(grievance, current_user):
                return redirect(url_for(".detail", grievance_id=grievance.id))
            return redirect(url_for(".record"))
    return render_template(
        "grievances/record.html",
        form=form,
        errors=outcome.errors,
        kinds=KINDS,
        channels=[c for c in CHANNELS if c != "portal"],
        category_options=_category_options(),
        request_options=[],
        disbursement_options=[],
        staff_members=_staff_members(),
        window=services.rules_on(services.today())["filing_window_days"],
        **_labels(),
    ), outcome.status


def _staff_members() -> list[User]:
    ids = [m.user_id for m in db.session.scalars(db.select(Membership)) if set(m.roles or []) - {"applicant"}]
    return (
        list(db.session.scalars(db.select(User).where(User.id.in_(ids)).order_by(User.name))) if ids else []
    )


def _detail_page(grievance: Grievance, errors: dict | None = None, status: int = 200):
    today = services.today()
    users = {u.id: u for u in _staff_members()}
    return render_template(
        "grievances/detail.html",
        item=grievance,
        today=today,
        light=services.light(grievance, today),
        left=services.working_days_left(grievance, today),
        due=services.effective_due_date(grievance, today),
        paused=services.paused_so_far(grievance, today),
        staff_members=[u for u in users.values() if u.id != grievance.about_user_id],
        all_staff=list(users.values()),
        users=users,
        can_act=services.can_act(grievance, current_user),
        is_director=can(current_user, "grievances.receive"),
        can_record=can(current_user, "grievances.record"),
        outcomes=OUTCOMES,
        rules=INADMISSIBLE_RULES,
        request_link=url_for("requests.view", request_id=grievance.request_id)
        if grievance.request_id
        else None,
        request_state=db.session.scalar(
            db.select(AidRequest.state).where(AidRequest.id == grievance.request_id)
        )
        if grievance.request_id
        else None,
        errors=errors or {},
        **_labels(),
    ), status


@bp.route("/<int:grievance_id>")
@require("grievances.handle")
def detail(grievance_id):
    grievance = services.read(grievance_id, current_user, "page")
    services.refresh_due_date(grievance, services.today())  # lazily: holidays may have moved
    db.session.commit()
    return _detail_page(grievance)


# What each step's success message says (the grievance's number follows).
STEP_DONE = {
    "assign": _l("The grievance was assigned."),
    "about": _l("The staff member the grievance is about was recorded."),
    "review": _l("The review started."),
    "ask": _l("The question was sent to the complainant; the clock is paused."),
    "answer": _l("The complainant's answer was recorded; the clock runs again."),
    "decide": _l("The decision was recorded and the complainant told."),
    "inadmissible": _l("The grievance was refused as not admissible and the complainant told."),
    "withdraw": _l("The withdrawal was recorded."),
    "reopen": _l("The grievance was reopened."),
    "close": _l("The grievance was closed."),
    "redecide": _l("The request was sent back to the committee to be decided again."),
    "malicious": _l("The grievance was marked as malicious."),
    "appeal": _l("The appeal was recorded."),
    "assign_appeal": _l("The appeal was assigned."),
    "decide_appeal": _l("The appeal was decided."),
}


def _step(grievance: Grievance, action: str, form) -> None:
    today = services.today()
    if action == "assign":
        data = GrievanceAssignSchema().load(
            {"user_ids": [int(v) for v in form.getlist("user_ids") if v.isdigit()],
             **_form_data(form, ("body",))}
        )  # fmt: skip
        services.assign(grievance, current_user, data["user_ids"], data.get("body"))
    elif action == "about":
        services.set_about(grievance, current_user, _int(form.get("about_user_id")))
    elif action == "review":
        services.review(grievance, current_user)
    elif action == "ask":
        services.ask_complainant(grievance, current_user, form.get("note", ""), today)
    elif action == "answer":
        services.answer(grievance, current_user, form.get("note", ""), today)
    elif action == "decide":
        data = GrievanceDecideSchema().load(_form_data(form, ("outcome", "decision_text", "action_taken")))
        services.decide(
            grievance, current_user, data["outcome"], data["decision_text"], data.get("action_taken"), today
        )
    elif action == "inadmissible":
        data = GrievanceInadmissibleSchema().load(_form_data(form, ("rule", "note")))
        services.reject_inadmissible(grievance, current_user, data["rule"], data.get("note"))
    elif action == "withdraw":
        services.withdraw(grievance, current_user)
    elif action == "reopen":
        services.reopen(grievance, current_user, form.get("note", ""), today)
    elif action == "close":
        services.close(grievance, current_user)
    elif action == "redecide":
        services.redecide_request(grievance, current_user)
    elif action == "malicious":
        data = GrievanceMaliciousSchema().load(
            {**_form_data(form, ("note",)), "refer": form.get("refer") == "on"}
        )
        services.mark_malicious(grievance, current_user, data["note"], data["refer"])
    elif action == "appeal":
        services.open_appeal(grievance, current_user, form.get("reason", ""), today)
    elif action == "assign_appeal":
        appeal = get_or_404(GrievanceAppeal, _int(form.get("appeal_id")), grievance_id=grievance.id)
        services.assign_appeal(appeal, current_user, _int(form.get("handler_id")))
    elif action == "decide_appeal":
        appeal = get_or_404(GrievanceAppeal, _int(form.get("appeal_id")), grievance_id=grievance.id)
        data = GrievanceDecideSchema().load(_form_data(form, ("outcome", "decision_text")))
        services.decide_appeal(appeal, current_user, data["outcome"], data["decision_text"], today)
    else:
        abort(404)


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


@bp.route("/<int:grievance_id>/<action>", methods=["POST"])
@require("grievances.handle")
def step(grievance_id, action):
    grievance = services.read(grievance_id, current_user, "page")
    with form_transaction() as outcome:
        _step(grievance, action, request.form)
    if outcome.ok:
        flash(
            str(STEP_DONE.get(action, _l("The grievance was updated.")))
            + " "
            + _("Grievance %(number)s.", number=grievance.number),
            "success",
        )
        return redirect(url_for(".detail", grievance_id=grievance_id))
    db.session.rollback()
    grievance = services.read(grievance_id, current_user, "page")
    return _detail_page(grievance, outcome.errors, outcome.status)


@bp.route("/export.xlsx")
@require("grievances.handle")
def export():
    if not (can(current_user, "grievances.receive") or can(current_user, "grievances.audit")):
        abort(403)
    body = services.export_xlsx(current_user)
    db.session.commit()
    return download_response(
        body, "grievances.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@bp.route("/rules", methods=["GET", "POST"])
@require("grievances.settings")
def rules():
    """The tenant's rule versions (filing window, deadline, appeal window) and a new one."""
    outcome = FormOutcome()
    form = request.form
    if request.method == "POST":
        with form_transaction() as outcome:
            data = GrievanceRuleVersionInSchema().load(
                _form_data(form, ("effective_from", "filing_window_days", "deadline_working_days",
                                  "appeal_window_working_days"))
            )  # fmt: skip
            version = services.add_rule_version(data, current_user, services.today())
        if outcome.ok:
            flash(
                _(
                    "The grievance rules taking effect on %(date)s were saved.",
                    date=format_date(version["effective_from"]),
                ),
                "success",
            )
            return redirect(url_for(".rules"))
    return render_template(
        "grievances/rules.html",
        versions=services.rule_versions(),
        in_force=services.rules_on(services.today()),
        defaults=services.DEFAULT_RULES,
        form=form,
        errors=outcome.errors,
    ), outcome.status


# --------------------------------------------------------------------------- portal


def _own(grievance_id: int) -> Grievance:
    grievance = get_or_404(Grievance, grievance_id)
    if not services.is_complainant(grievance, current_user):
        raise NotFound()
    return grievance


@portal_bp.route("/")
@require("grievances.file")
def mine():
    items = db.session.scalars(
        db.select(Grievance)
        .where(Grievance.complainant_user_id == current_user.id)
        .order_by(Grievance.id.desc())
    ).all()
    return render_template("grievances/portal_mine.html", items=items, **_labels())


def _prefill() -> dict:
    """``?request_id=`` / ``?disbursement_id=`` (the complainant's own) and ``?note=``."""
    req = get_in_tenant(AidRequest, _int(request.args.get("request_id")))
    disb = get_in_tenant(Disbursement, _int(request.args.get("disbursement_id")))
    if req is not None and req.applicant_user_id != current_user.id:
        req = None
    if disb is not None:
        owner = get_in_tenant(AidRequest, disb.request_id)
        if owner is None or owner.applicant_user_id != current_user.id:
            disb = None
    data = services.grievance_form_prefill(
        current_user, request=req, disbursement=disb, note=request.args.get("note")
    )
    return {k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in data.items()}


@portal_bp.route("/new", methods=["GET", "POST"])
@require("grievances.file")
def new():
    outcome = FormOutcome()
    form = request.form if request.method == "POST" else _prefill()
    if request.method == "POST":
        with form_transaction() as outcome:
            data = GrievancePortalFileSchema().load(_form_data(form, PORTAL_FIELDS))
            grievance = services.file_grievance(data, current_user, own=True)
        if outcome.ok:
            flash(
                _("Your grievance was received: number %(number)s, on %(date)s.", number=grievance.number,
                  date=grievance.filed_on.isoformat()),
                "success",
            )  # fmt: skip
            return redirect(url_for(".detail", grievance_id=grievance.id))
    requests_ = db.session.scalars(
        db.select(AidRequest).where(
            AidRequest.applicant_user_id == current_user.id, AidRequest.number.is_not(None)
        )
    ).all()
    numbers = {r.id: r.number for r in requests_}
    disbursements = (
        db.session.scalars(
            db.select(Disbursement)
            .where(Disbursement.request_id.in_(list(numbers)))
            .order_by(Disbursement.id)
        ).all()
        if numbers
        else []
    )
    return render_template(
        "grievances/portal_new.html",
        form=form,
        errors=outcome.errors,
        kinds=KINDS,
        category_options=_category_options(),
        request_options=[(str(r.id), r.number) for r in requests_],
        disbursement_options=[
            (str(d.id), f"{numbers[d.request_id]} · {format_date(d.disbursed_on)}") for d in disbursements
        ],
        window=services.rules_on(services.today())["filing_window_days"],
        **_labels(),
    ), outcome.status


def _render_portal_detail(grievance: Grievance, errors: dict | None = None, status: int = 200):
    today = services.today()
    return render_template(
        "grievances/portal_detail.html",
        item=grievance,
        events=[e for e in grievance.events if e.public],
        paused=services.paused_so_far(grievance, today),
        due=services.effective_due_date(grievance, today),
        can_appeal=grievance.state == "decided" and not services.appeal_deadline_passed(grievance, today),
        errors=errors or {},
        **_labels(),
    ), status


@portal_bp.route("/<int:grievance_id>", endpoint="detail")
@require("grievances.file")
def portal_detail(grievance_id):
    return _render_portal_detail(_own(grievance_id))


@portal_bp.route("/<int:grievance_id>/<action>", methods=["POST"])
@require("grievances.file")
def act(grievance_id, action):
    grievance = _own(grievance_id)
    today = services.today()
    with form_transaction() as outcome:
        if action == "answer":
            services.answer(grievance, current_user, request.form.get("note", ""), today)
        elif action == "appeal":
            services.open_appeal(grievance, current_user, request.form.get("reason", ""), today)
        elif action == "withdraw":
            services.withdraw(grievance, current_user)
        else:
            abort(404)
    if outcome.ok:
        flash(
            str(STEP_DONE.get(action, _l("The grievance was updated.")))
            + " "
            + _("Grievance %(number)s.", number=grievance.number),
            "success",
        )
        return redirect(url_for(".detail", grievance_id=grievance_id))
    db.session.rollback()
    return _render_portal_detail(_own(grievance_id), outcome.errors, outcome.status)
