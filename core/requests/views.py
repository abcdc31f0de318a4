"""Staff pages: work queues per role, the request view with its timeline, the committee page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from ..audit.services import record
from ..auth.permissions import require
from ..calendar import today
from ..documents.services import document_type_label, documents_of_request
from ..errors import NotFound
from ..extensions import db
from ..forms import FormOutcome, ask_confirmation, confirmed, form_transaction, refusal
from ..i18n import current_language, isolated_number, markup_gettext, translate_messages
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..lookup import get_or_404
from ..registry.services import status_label
from ..tenancy import require_tenant
from . import export as request_export
from . import forms, generic_steps, links, page, services
from .models import CHANNELS, VERIFICATION_BODIES, AidRequest, CatalogItem, Decision
from .schemas import QueueFormSchema, RequestCreateSchema
from .workflow import STATES, available_actions, state_label, transitions

bp = Blueprint("requests", __name__, template_folder="templates")

# Features built on requests (``core.aid``) add their step forms and their part of the request
# page here, from their ``init_app``: requests never imports them (the dependency is one way).
_PAGE_KEY = "request_page"


def _page_extensions() -> dict:
    return current_app.extensions.setdefault(_PAGE_KEY, {"steps": {}, "context": {}})


def register_step_form(app, action: str, handler: Callable[[Any, Any, Any], Any]) -> None:
    """``handler(item, form, files)`` takes step ``action`` posted from the request page; it
    raises ``ValidationError`` / ``AppError`` to refuse (shown on the page, nothing written)."""
    app.extensions.setdefault(_PAGE_KEY, {"steps": {}, "context": {}})["steps"][action] = handler


def register_view_context(app, name: str, provider: Callable[[Any], Any]) -> None:
    """``provider(item)`` gives the request page's template variable ``name``."""
    app.extensions.setdefault(_PAGE_KEY, {"steps": {}, "context": {}})["context"][name] = provider


@bp.route("/")
@require("requests.view")
def queues():
    """A work queue, searchable and filterable (number in any digits, name, program, state,
    days waiting, amount), sorted by days waiting, paginated; a bad filter is shown beside its
    box (400) and lists nothing."""
    args, errors = queue_args(request.args)
    found = None
    if not errors:
        found = services.queue_page(
            args["queue"],
            current_user,
            services.QueueFilters.of(args),
            page=args["page"],
            per_page=args["per_page"],
        )
    return render_template(
        "requests/queues.html",
        queues=services.QUEUES,
        current=args.get("queue", "all"),
        found=found,
        errors=errors,
        form=request.args,
        chosen_states=request.args.getlist("state"),
        chosen_state_labels=[state_label(s) for s in request.args.getlist("state")],
        sorts=services.SORTS,
        programs=[(i.id, i.name_ar if current_language() == "ar" else i.name_en) for i in services.catalog()],
        states=[(code, state_label(code)) for code in STATES],
        state_label=state_label,
        export_args={k: request.args.getlist(k) for k in request.args if k not in ("page", "per_page")},
    ), (400 if errors else 200)


@bp.route("/export.xlsx")
@require("requests.export")
def export():
    """The filtered queue as an XLSX sheet (the queue page's filters; bad ones: the page, 400)."""
    args, errors = queue_args(request.args)
    if errors:
        return queues()
    response = request_export.export_requests(args["queue"], current_user, services.QueueFilters.of(args))
    db.session.commit()  # the export's audit entry
    return response


def queue_args(args) -> tuple[dict, dict]:
    """The queue's validated arguments, or the translated errors per field."""
    data = args.to_dict()
    if "state" in args:
        data["state"] = args.getlist("state")
    try:
        return QueueFormSchema().load(data), {}
    except ValidationError as exc:
        queue = args.get("queue") if args.get("queue") in services.QUEUES else "all"
        return {"queue": queue}, translate_messages(exc.messages)


CHANNEL_LABELS = {
    "in_person": _l("In-person interview"),
    "phone": _l("Phone call"),
    "social_media": _l("Social media"),
    "official_letter": _l("Official letter"),
    "portal": _l("Website / portal"),
    "mobile_app": _l("Mobile app"),
    "help_request_service": _l("Help-request service"),
    "volunteer_service": _l("Volunteer service"),
    "branch_representative": _l("Branch-office representative"),
}
BODY_LABELS = {
    "health": _l("Health"),
    "education": _l("Education"),
    "housing": _l("Housing"),
    "social_security": _l("Social security"),
    "other": _l("Other"),
}


EVENT_LABELS = {
    "create": _l("Request registered"),
    "sign_declaration": _l("Declaration signed"),
    "record_visit": _l("Field visit recorded"),
    "record_verification": _l("Official verification recorded"),
    "escalate": _l("Escalated to the competent authority"),
    "permit_granted": _l("Permit granted"),
    "disburse_more": _l("Further disbursement recorded"),
    "link_file": _l("Linked to a beneficiary file"),
    "relink_file": _l("Linked to another beneficiary file"),
    "edit": _l("Data corrected"),
}
OUTCOME_LABELS = {"pass": _l("Passed"), "fail": _l("Failed"), "needs_review": _l("Needs review")}


def outcome_label(code: str) -> str:
    return str(OUTCOME_LABELS.get(code, code))


def action_label(code: str) -> str:
    """A timeline step in words: the transition's own label, else the event code."""
    step = transitions().get(code)
    if step is not None and step.label:
        return str(step.label)
    return str(EVENT_LABELS.get(code, code))


def channel_label(code: str) -> str:
    return str(CHANNEL_LABELS.get(code, code))


def body_label(code: str) -> str:
    return str(BODY_LABELS.get(code, code))


CREATE_FIELDS = (
    "channel",
    "applicant_name",
    "applicant_phone",
    "applicant_email",
    "applicant_city",
    "file_id",
    "catalog_item_id",
    "summary",
    "requested_amount",
    "needs_verification_with",
)


@bp.route("/new", methods=["GET", "POST"])
@require("requests.create")
def new():
    """Register a request received on any channel, with the enabled plugins' request fields and
    document slots: saved as a draft, or (``submit_now``) submitted at once and refused per
    missing field — the applicant signed the declaration in front of the officer."""
    outcome = FormOutcome()
    form = request.form
    submit_now = bool(form.get("submit_now"))
    if request.method == "POST" and not forms.adding_row(form):
        data = {k: form[k].strip() for k in CREATE_FIELDS if (form.get(k) or "").strip()}
        data["needs_permit"] = bool(form.get("needs_permit"))
        data["extra"] = forms.extra_from_form(form)
        with form_transaction() as outcome:
            item = services.create_request(RequestCreateSchema().load(data), current_user)
            forms.attach_uploads(request.files, item, current_user)
            if submit_now:
                services.submit(item, current_user, declaration_signed_by=item.applicant_name)
        if outcome.ok:
            if submit_now:
                number = isolated_number(item.number)
                flash(
                    markup_gettext("The request was submitted with number %(number)s.", number=number),
                    "success",
                )
            else:
                flash(_("The request of %(name)s was saved as a draft.", name=item.applicant_name), "success")
            return redirect(url_for(".view", request_id=item.id))
    errors = outcome.errors
    if outcome.message is None and errors:  # field errors, placed by the form's inputs
        errors = forms.place_errors(forms.flatten_errors(translate_messages(errors), form))
    return render_template(
        "requests/new.html",
        form=form,
        errors=errors,
        channel_options=[(c, channel_label(c)) for c in CHANNELS],
        body_options=[(b, body_label(b)) for b in VERIFICATION_BODIES],
        item_options=[
            (str(i.id), i.name_ar if current_language() == "ar" else i.name_en)
            for i in services.catalog(True)
        ],
        extra_groups=forms.extra_inputs(),
        document_slots=forms.document_slots(),
    ), outcome.status


@bp.route("/<int:request_id>")
@require("requests.view")
def view(request_id):
    return _render_view(get_or_404(AidRequest, request_id))


def _render_view(item, step_error: dict | None = None, status: int = 200):
    """The request view; after a refused step it shows that step's errors (and the status says so)."""
    may_link = services.may_link_file(item, current_user)
    file_q = (request.args.get("file_q") or "").strip() if may_link else ""
    candidates, candidates_total, search_errors = [], 0, {}
    if file_q:
        try:
            candidates, candidates_total = services.file_candidates(file_q)
        except ValidationError as exc:
            search_errors = translate_messages(exc.messages)
        else:
            record("registry.person.searched", "person", None, {"results": candidates_total})
            db.session.commit()
    linked_file = links.file_of(item)
    record_of = page.steps_record(item)
    decisions = page.children(Decision, item.id)
    ceiling = services.ceiling_for(item)
    available = available_actions(item, current_user)
    return render_template(
        "requests/view.html",
        step_error=step_error,
        linked_file=linked_file,
        household=page.household_of(linked_file),
        program=page.program_name(item),
        relationship_label=page.relationship_label,
        field_check_label=page.field_check_label,
        verification_outcome_label=page.verification_outcome_label,
        escalation_outcome_label=page.escalation_outcome_label,
        body_label=body_label,
        people=page.people_by_id(item, *record_of.values(), decisions),
        panels=page.request_panels(item, current_user),
        amount_hint=page.amount_hint(item, ceiling),
        override_reasons=page.override_reasons(item) if item.state == "in_committee" else [],
        registry_status_label=status_label,
        may_link=may_link,
        file_q=file_q,
        candidates=candidates,
        candidates_total=candidates_total,
        search_errors=search_errors,
        documents=documents_of_request(item.id),
        committee=services.committee_members(),
        extra_rows=forms.extra_display(item),
        item=item,
        state_label=state_label,
        action_label=action_label,
        outcome_label=outcome_label,
        channel_label=channel_label,
        document_type_label=document_type_label,
        actions=[t.action for t in available],
        table_steps=generic_steps.page_steps(available),
        **record_of,
        decisions=decisions,
        checks=services.assess(item),
        ceiling=ceiling,
        deadline=services.deadline_of(item),
        **{name: provider(item) for name, provider in _page_extensions()["context"].items()},
    ), status


@bp.route("/<int:request_id>/print")
@require("requests.view")
def print_summary(request_id):
    """The request on one printable page (the association's letterhead, the tenant's calendar)."""
    item = get_or_404(AidRequest, request_id)
    return render_template(
        "requests/print_summary.html",
        **_print_context(item),
        linked_file=links.file_of(item),
        extra_rows=forms.extra_display(item),
        decisions=page.children(Decision, item.id),
        channel_label=channel_label,
        action_label=action_label,
        **{name: provider(item) for name, provider in _page_extensions()["context"].items()},
    )


@bp.route("/<int:request_id>/print/decision")
@require("requests.view")
def print_decision(request_id):
    """The committee's decision as a letter to the applicant (404 before any decision)."""
    item = get_or_404(AidRequest, request_id)
    decision = db.session.scalars(
        db.select(Decision).where(Decision.request_id == item.id).order_by(Decision.id.desc())
    ).first()
    if decision is None:
        raise NotFound(_("The committee has not decided this request yet."))
    return render_template("requests/print_decision.html", **_print_context(item), decision=decision)


def _print_context(item) -> dict:
    program = db.session.get(CatalogItem, item.catalog_item_id) if item.catalog_item_id else None
    return {
        "item": item,
        "tenant": require_tenant(),
        "today": today(),
        "program": (program.name_ar if current_language() == "ar" else program.name_en) if program else None,
        "state_label": state_label,
        "back_url": url_for(".view", request_id=item.id),
    }


@bp.route("/<int:request_id>/step/<action>", methods=["POST"])
@require("requests.view")
def step(request_id, action):
    """Every form of the request view posts here (the handlers: ``requests.steps``); refusals
    are shown on the page with the step's errors, nothing is written."""
    item = get_or_404(AidRequest, request_id)
    handler = generic_steps.handler_for(action, _page_extensions()["steps"])
    if generic_steps.needs_confirmation(action) and not confirmed(request.form):
        asked = _confirm_step(item, action)
        if asked is not None:
            return asked
    if action in CONFIRMED_STEPS and not confirmed(request.form):
        number = item.number or item.id
        return ask_confirmation(
            title=_("Close request %(number)s?", number=number),
            affects=[
                _("Applicant: %(name)s.", name=item.applicant_name),
                _("A closed request takes no further step: no disbursement, no correction."),
            ],
            action_url=url_for(".step", request_id=item.id, action=action),
            fields=request.form,
            button=_("Yes, close request %(number)s", number=number),
            cancel_url=url_for(".view", request_id=item.id),
        )
    with form_transaction() as outcome:
        handler(item, request.form, request.files, current_user)
    if outcome.ok:
        flash(step_done_message(action, item), "success")
        return redirect(url_for(".view", request_id=request_id))
    return _render_view(get_or_404(AidRequest, request_id), _step_error(action, outcome), outcome.status)


# Steps that cannot be undone ask first, naming the request (core.forms.ask_confirmation);
# a plugin's step asks when its ``Transition`` says ``confirm``.
CONFIRMED_STEPS = frozenset({"close"})


def _confirm_step(item: AidRequest, action: str):
    """Ask before a table step marked ``confirm`` — once its note is valid (else the page with
    the note's error, 422, nothing written). None when the user may not take it now: the step
    then runs and is refused with its reason (403/409)."""
    step = generic_steps.step_of(action)
    if step not in available_actions(item, current_user):
        return None
    try:
        generic_steps.load_note(step, request.form)
    except ValidationError as exc:
        outcome = refusal(exc)
        return _render_view(item, _step_error(action, outcome), outcome.status)
    number = item.number or item.id
    label = action_label(action)
    return ask_confirmation(
        title=_("%(step)s: request %(number)s?", step=label, number=number),
        affects=[
            _("Applicant: %(name)s.", name=item.applicant_name),
            _("The request moves to the state “%(state)s”.", state=state_label(step.target)),
        ],
        action_url=url_for(".step", request_id=item.id, action=action),
        fields=request.form,
        button=_("Yes: %(step)s", step=label),
        cancel_url=url_for(".view", request_id=item.id),
    )


def step_done_message(action: str, item: AidRequest) -> str:
    """What a step did, named: "Start the research — done for request 000012-1448."."""
    return _(
        "%(step)s — done for request %(number)s.", step=action_label(action), number=item.number or item.id
    )


def _step_error(action: str, outcome: FormOutcome) -> dict:
    """The refused step's box on the page: the refusal's message (or "some fields are not
    valid") and the field errors."""
    if outcome.message is None:
        return {
            "action": action,
            "message": _("Some fields are not valid."),
            "errors": translate_messages(outcome.errors),
        }
    errors = {k: v for k, v in outcome.errors.items() if not (k == "_schema" and v == [outcome.message])}
    return {"action": action, "message": str(outcome.message), "errors": translate_messages(errors)}
