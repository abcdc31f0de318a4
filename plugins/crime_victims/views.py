"""The plugin's pages (``/t/<tenant>/crime_victims/``): the staff queue of victim cases with the
overdue flag, opening a case, a case's seven-step timeline with the next step's form, and the
tenant's crime categories. Thin: parse, call a service, render."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from core.toolkit import Panel, can, db, form_transaction, label, require, today

from . import rules, services
from .i18n import _, _l, domain
from .schemas import (
    AREA_LABELS,
    AUTHORITY_LABELS,
    CHANNEL_LABELS,
    NEED_STATUS_LABELS,
    REFERRAL_STATUS_LABELS,
    REFERRER_LABELS,
    RELATION_LABELS,
    SESSION_MODE_LABELS,
    SEVERITY_LABELS,
)

bp = Blueprint("crime_victims", __name__, template_folder="templates")

VIEW = "crime_victims.view"
STEP_TITLES = {
    rules.RECEIVED: _l("Received"),
    rules.CHECKED: _l("Items checked, ID valid"),
    rules.CLARIFIED: _l("Procedure explained"),
    rules.DECLARED: _l("Declaration signed"),
    rules.COMMITTEE_NOTICE: _l("Sent to the research committee"),
    rules.REGISTERED: _l("Registration completed"),
    rules.SERVED: _l("Service delivered"),
}
# The form of each step, by the step it records.
STEP_ACTIONS = {
    rules.CHECKED: "check",
    rules.CLARIFIED: "clarify",
    rules.DECLARED: "declare",
    rules.COMMITTEE_NOTICE: "notice",
    rules.REGISTERED: "register",
    rules.SERVED: "serve",
}


@bp.context_processor
def _i18n():
    return {
        "_": domain.template_gettext,
        "step_titles": STEP_TITLES,
        "channel_labels": CHANNEL_LABELS,
        "relation_labels": RELATION_LABELS,
        "authority_labels": AUTHORITY_LABELS,
        "area_labels": AREA_LABELS,
        "severity_labels": SEVERITY_LABELS,
        "need_status_labels": NEED_STATUS_LABELS,
        "referral_status_labels": REFERRAL_STATUS_LABELS,
        "step_kind": lambda code: label(code, "crime_victims_step"),
    }


@bp.route("/")
@require(VIEW)
def index():
    overdue_only = request.args.get("overdue") == "1"
    rows = services.queue(overdue_only=overdue_only)
    return render_template(
        "crime_victims/index.html",
        rows=rows,
        overdue_only=overdue_only,
        category_label=services.category_label,
        may_open=can(current_user, "crime_victims.intake"),
    )


def _form_data(names) -> dict:
    """The posted fields, empty ones as None (optional fields)."""
    return {name: (request.form.get(name) or "").strip() or None for name in names}


OPEN_FIELDS = (
    "applicant_name",
    "applicant_phone",
    "channel",
    "branch_office",
    "representative_id",
    "referrer_kind",
    "referrer_name",
    "category_code",
    "incident_date",
    "city",
    "relation",
    "report_authority",
    "report_reference",
    "no_report_reason",
)


@bp.route("/new", methods=["GET", "POST"])
@require("crime_victims.intake")
def new():
    errors: dict = {}
    status = 200
    if request.method == "POST":
        with form_transaction("crime_victims.intake") as outcome:
            data = _form_data(OPEN_FIELDS)
            data["city"] = data["city"] or ""
            case = services.open_case(data, current_user)
        if outcome.ok:
            flash(_("The case was opened: record its next intake step."), "success")
            return redirect(url_for(".case", case_id=case.id))
        errors, status = outcome.errors, outcome.status
    return render_template(
        "crime_victims/new.html",
        form=request.form,
        errors=errors,
        categories=services.category_choices(),
        channels=[(k, v) for k, v in CHANNEL_LABELS.items() if k != "portal"],
        referrers=list(REFERRER_LABELS.items()),
    ), status


def _render_case(case, errors=None, status=200, opened=None):
    """The case page. The sealed narrative is read (logged, audited) only for those who may read
    it without a reason; the executive director opens it with a reason (``opened``)."""
    sealed = services.narrative
    narrative = opened
    if (
        narrative is None
        and sealed.may_read(case, current_user)
        and not sealed.needs_reason(case, current_user)
    ):
        narrative = sealed.read(case, current_user, via="page") if sealed.has_narrative(case) else None
        db.session.commit()
    row = services.row_of(case)
    researchers = services.researchers() if can(current_user, "crime_victims.intake") else []
    events = services.timeline(case)
    next_step = rules.next_step(case.step)
    referrals = services.care.referrals_of(case)
    needs = services.care.needs_of(case)
    partner_links = services.partner_access.summaries([row[0] for row in referrals])
    return render_template(
        "crime_victims/case.html",
        case=case,
        row=row,
        person=services.person_of(case),
        events=events,
        by_step={step: [e for e in events if e.step == step] for step in rules.STEPS},
        next_step=next_step,
        next_action=STEP_ACTIONS.get(next_step),
        referral=services.pending_referral(case),
        category_label=services.category_label,
        errors=errors or {},
        form=request.form,
        may_intake=can(current_user, "crime_victims.intake"),
        may_answer=can(current_user, "crime_victims.research_officer"),
        may_register=can(current_user, "crime_victims.register"),
        today=today(),
        narrative=narrative,
        may_read=sealed.may_read(case, current_user),
        needs_reason=sealed.needs_reason(case, current_user) and opened is None,
        has_narrative=sealed.has_narrative(case),
        may_write_narrative=case.researcher_id is not None and case.researcher_id == current_user.id,
        researchers=researchers,
        needs=needs,
        needs_met=rules.case_needs_met([need.status for need in needs]),
        safe_contact=services.contact.safe_contact_of(case),
        sessions=services.sessions.sessions_of(case),
        session_modes=SESSION_MODE_LABELS,
        referrer_labels=REFERRER_LABELS,
        referrals=referrals,
        partner_links=partner_links,
        partners=services.care.partners(),
        may_care=can(current_user, "crime_victims.care"),
        next_statuses=rules.REFERRAL_NEXT,
        researcher_options=[(str(u.id), u.name or u.email) for u in researchers],
    ), (status if errors else 200)


@bp.route("/cases/<int:case_id>")
@require(VIEW)
def case(case_id):
    return _render_case(services.get_case(case_id))


def _step_view(action: str):
    def view(case_id):
        case = services.get_case(case_id)
        with form_transaction() as outcome:
            # A field left empty is not given (the clear procedure names no officer).
            data = {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
            services.take(case, action, data, current_user)
        if outcome.ok:
            flash(_("The step was recorded."), "success")
            return redirect(url_for(".case", case_id=case.id))
        return _render_case(services.get_case(case_id), outcome.errors, outcome.status)

    view.__name__ = f"step_{action}"
    return view


# One route per step (``/cases/<id>/steps/check`` …): each service checks its own permission.
for _action in services.ACTIONS:
    bp.add_url_rule(
        f"/cases/<int:case_id>/steps/{_action}",
        f"step_{_action}",
        require(VIEW)(_step_view(_action)),
        methods=["POST"],
    )


@bp.route("/cases/<int:case_id>/narrative/open", methods=["POST"])
@require(VIEW)
def open_narrative(case_id):
    """The executive director's break-glass read: with a reason, the auditors told."""
    case = services.get_case(case_id)
    with form_transaction() as outcome:
        opened = services.narrative.read(case, current_user, via="page", reason=request.form.get("reason"))
    if outcome.ok:
        return _render_case(case, opened=opened)
    return _render_case(services.get_case(case_id), outcome.errors, outcome.status)


@bp.route("/cases/<int:case_id>/narrative", methods=["POST"])
@require(VIEW)
def write_narrative(case_id):
    case = services.get_case(case_id)
    with form_transaction() as outcome:
        services.narrative.write(
            case,
            {
                "narrative": request.form.get("narrative", ""),
                "incident_details": request.form.get("incident_details", ""),
            },
            current_user,
        )
    if outcome.ok:
        flash(_("The narrative was saved, sealed."), "success")
        return redirect(url_for(".case", case_id=case.id))
    return _render_case(services.get_case(case_id), outcome.errors, outcome.status)


@bp.route("/cases/<int:case_id>/researcher", methods=["POST"])
@require(VIEW)
def assign_researcher(case_id):
    case = services.get_case(case_id)
    with form_transaction() as outcome:
        services.narrative.assign(
            case, {"researcher_id": request.form.get("researcher_id") or None}, current_user
        )
    if outcome.ok:
        flash(_("The researcher was assigned."), "success")
        return redirect(url_for(".case", case_id=case.id))
    return _render_case(services.get_case(case_id), outcome.errors, outcome.status)


def _care_view(action, loader, done):
    def view(**ids):
        target = loader(next(iter(ids.values())))
        if hasattr(target, "need_id"):  # a referral
            case_id = services.care.get_need(target.need_id).case_id
        else:  # a need, or the case itself
            case_id = getattr(target, "case_id", None) or target.id
        with form_transaction() as outcome:
            data = {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
            action(target, data, current_user)
        if outcome.ok:
            flash(done, "success")
            return redirect(url_for(".case", case_id=case_id) + "#care")
        return _render_case(services.get_case(case_id), outcome.errors, outcome.status)

    return view


# path: (endpoint, action, loader, the message naming what was done)
CARE_ROUTES = {
    "/cases/<int:case_id>/needs": (
        "add_need",
        services.care.add_need,
        services.get_case,
        _l("The need was added to the case plan."),
    ),
    "/needs/<int:need_id>/meet": (
        "meet_need",
        services.care.meet_in_house,
        services.care.get_need,
        _l("The need is met in-house."),
    ),
    "/needs/<int:need_id>/close": (
        "close_need",
        services.care.close_need,
        services.care.get_need,
        _l("The need was closed."),
    ),
    "/needs/<int:need_id>/refer": (
        "refer_need",
        services.care.refer,
        services.care.get_need,
        _l("The need was referred to the partner."),
    ),
    "/referrals/<int:referral_id>/status": (
        "move_referral",
        services.care.move,
        services.care.get_referral,
        _l("The referral's status was recorded."),
    ),
    "/cases/<int:case_id>/sessions": (
        "schedule_session",
        services.sessions.schedule,
        services.get_case,
        _l("The session was scheduled."),
    ),
}
for _path, (_endpoint, _action, _loader, _done) in CARE_ROUTES.items():
    bp.add_url_rule(_path, _endpoint, require(VIEW)(_care_view(_action, _loader, _done)), methods=["POST"])


@bp.route("/cases/<int:case_id>/safe-contact", methods=["POST"])
@require(VIEW)
def safe_contact(case_id):
    """Mark numbers, addresses or channels unsafe and set the safe window (core's outbox rule)."""
    case = services.get_case(case_id)
    with form_transaction() as outcome:
        data = {
            "unsafe_addresses": request.form.getlist("unsafe_addresses"),
            "unsafe_channels": request.form.getlist("unsafe_channels"),
            "window_start": request.form.get("window_start"),
            "window_end": request.form.get("window_end"),
        }
        services.contact.set_safe_contact(case, data, current_user)
    if outcome.ok:
        flash(_("Safe contact was saved: every message to this person now follows it."), "success")
        return redirect(url_for(".case", case_id=case.id) + "#safe-contact")
    return _render_case(services.get_case(case_id), outcome.errors, outcome.status)


@bp.route("/partners", methods=["GET", "POST"])
@require(VIEW)
def partners():
    errors: dict = {}
    status = 200
    if request.method == "POST":
        with form_transaction("crime_victims.partners") as outcome:
            data = {k: (request.form.get(k) or "").strip() or None for k in PARTNER_FIELDS}
            data["services"] = request.form.getlist("services")
            data["contact_name"] = data["contact_name"] or ""
            services.care.add_partner(data, current_user)
        if outcome.ok:
            flash(_("The partner was added."), "success")
            return redirect(url_for(".partners"))
        errors, status = outcome.errors, outcome.status
    return render_template(
        "crime_victims/partners.html",
        partners=services.care.partners(),
        form=request.form,
        errors=errors,
        may_add=can(current_user, "crime_victims.partners"),
    ), status


PARTNER_FIELDS = ("name", "contact_name", "phone", "email", "agreement_reference", "agreement_until")


@bp.route("/categories", methods=["GET", "POST"])
@require(VIEW)
def categories():
    errors: dict = {}
    status = 200
    if request.method == "POST":
        with form_transaction("crime_victims.categories") as outcome:
            services.add_category(
                {k: (request.form.get(k) or "").strip() for k in ("code", "name_ar", "name_en")}, current_user
            )
        if outcome.ok:
            flash(_("The category was added."), "success")
            return redirect(url_for(".categories"))
        errors, status = outcome.errors, outcome.status
    return render_template(
        "crime_victims/categories.html",
        categories=services.categories(active_only=True),
        form=request.form,
        errors=errors,
        may_add=can(current_user, "crime_victims.categories"),
    ), status


def request_panels(item, user) -> list:
    """On core's request page: the victim case of the request and its intake step."""
    if not can(user, VIEW):
        return []
    case = services.case_of_request(item.id)
    if case is None:
        return []
    html = render_template(
        "crime_victims/request_panel.html", _=domain.template_gettext, case=case, step_titles=STEP_TITLES
    )
    return [Panel("crime-victims-case", _l("Victim case"), Markup(html), order=40)]


def portal_panels(item, user) -> list:
    """On the applicant's own request page (portal): when the research committee is expected to
    answer (submission + 14 days) — no step details, no staff names."""
    case = services.case_of_request(item.id)
    if case is None or item.submitted_at is None:
        return []
    row = services.row_of(case)
    html = render_template("crime_victims/portal_panel.html", _=domain.template_gettext, row=row)
    return [Panel("crime-victims-answer", _l("Your case at the research committee"), Markup(html), order=20)]
