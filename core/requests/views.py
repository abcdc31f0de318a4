"""Staff pages: work queues per role, the request view with its timeline, the committee page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from ..auth.permissions import require
from ..documents.services import document_types, documents_of_request
from ..errors import AppError
from ..extensions import db
from ..forms import form_transaction
from ..i18n import current_language, translate_messages
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..lookup import get_or_404
from ..numbers import NumberFormatError, parse_int
from ..registry.services import status_label
from . import forms, links, services
from .models import CHANNELS, VERIFICATION_BODIES, AidRequest, Decision, FieldVisit, Verification
from .schemas import (
    ApproveSchema,
    RecordVisitSchema,
    RejectSchema,
    RequestCreateSchema,
    ScheduleVisitSchema,
    SubmitSchema,
)
from .workflow import available_actions, state_label, transitions

bp = Blueprint("requests", __name__, template_folder="templates")

SIMPLE_STEPS = {
    "start_research": services.start_research,
    "verify": services.verify,
    "send_to_committee": services.send_to_committee,
    "close": services.close,
    "withdraw": services.withdraw,
}

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
    name = request.args.get("queue", "all")
    if name not in services.QUEUES:
        name = "all"
    return render_template(
        "requests/queues.html",
        queues=services.QUEUES,
        current=name,
        items=services.queue(name, current_user),
        state_label=state_label,
    )


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


def document_type_label(code: str) -> str:
    return next((str(c.label) for c in document_types() if c.code == code), code)


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
    """Register a request received on any channel (with the enabled plugins' fields)."""
    errors: dict = {}
    form = request.form
    if request.method == "POST" and not forms.adding_row(form):
        data = {k: form[k].strip() for k in CREATE_FIELDS if (form.get(k) or "").strip()}
        data["needs_permit"] = bool(form.get("needs_permit"))
        data["extra"] = forms.extra_from_form(form)
        with form_transaction() as outcome:
            item = services.create_request(RequestCreateSchema().load(data), current_user)
        if outcome.ok:
            flash(_("Saved."), "success")
            return redirect(url_for(".view", request_id=item.id))
        errors = forms.flatten_errors(translate_messages(outcome.errors), form)
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
    ), (422 if errors else 200)


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
            from ..audit.services import record

            record("registry.person.searched", "person", None, {"results": candidates_total})
            db.session.commit()
    return render_template(
        "requests/view.html",
        step_error=step_error,
        linked_file=links.file_of(item),
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
        actions=[t.action for t in available_actions(item, current_user)],
        visits=_children(FieldVisit, item.id),
        verifications=_children(Verification, item.id),
        decisions=_children(Decision, item.id),
        checks=services.assess(item),
        ceiling=services.ceiling_for(item),
        deadline=services.deadline_of(item),
        **{name: provider(item) for name, provider in _page_extensions()["context"].items()},
    ), status


def _children(model, request_id):
    return list(db.session.scalars(db.select(model).where(model.request_id == request_id).order_by(model.id)))


@bp.route("/<int:request_id>/step/<action>", methods=["POST"])
@require("requests.view")
def step(request_id, action):
    """Every form of the request view posts here; refusals are shown, nothing is written."""
    item = get_or_404(AidRequest, request_id)
    form = request.form
    try:
        if action in SIMPLE_STEPS:
            SIMPLE_STEPS[action](item, current_user)
        elif action == "submit":
            data = SubmitSchema().load(
                {"declaration": form.get("declaration") == "on", "signed_by": form.get("signed_by", "")}
            )
            services.submit(item, current_user, declaration_signed_by=data["signed_by"])
        elif action == "link_file":
            try:
                file_id = parse_int(form.get("file_id", ""))
            except NumberFormatError:
                file_id = None
            services.link_file(item, current_user, file_id)
        elif action == "return":
            services.return_to_applicant(item, current_user, form.get("reason", "").strip() or "-")
        elif action == "schedule_visit":
            data = ScheduleVisitSchema().load({"scheduled_for": form.get("scheduled_for", "")})
            services.schedule_visit(item, current_user, data["scheduled_for"])
        elif action == "record_visit":
            names = form.getlist("field")
            checked = [
                {"field": f, "entered": e, "status": s, "found": v}
                for f, e, s, v in zip(
                    names,
                    form.getlist("entered"),
                    form.getlist("status"),
                    form.getlist("found"),
                    strict=False,
                )
                if f.strip()
            ]
            data = RecordVisitSchema().load(
                {
                    "visited_on": form.get("visited_on", ""),
                    "findings": form.get("findings", ""),
                    "checked_fields": checked,
                }
            )
            services.record_visit(item, current_user, **data)
        elif action == "approve":
            data = ApproveSchema().load(
                {
                    "amount": form.get("amount", ""),
                    "members_present": form.getlist("members_present"),
                    "override_reason": form.get("override_reason") or None,
                }
            )
            services.approve(
                item,
                current_user,
                amount_halalas=data["amount"],
                members_present=data["members_present"],
                decided_on=data["decided_on"],
                override_reason=data["override_reason"],
            )
        elif action == "reject":
            data = RejectSchema().load(
                {
                    "reason": form.get("reason", ""),
                    "members_present": form.getlist("members_present"),
                }
            )
            services.reject(item, current_user, **data)
        elif action in _page_extensions()["steps"]:
            _page_extensions()["steps"][action](item, form, request.files)
        else:
            raise AppError(_("This step does not exist."), status=404)
        db.session.commit()
    except ValidationError as exc:
        db.session.rollback()
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        error = {
            "action": action,
            "message": _("Some fields are not valid."),
            "errors": translate_messages(messages),
        }
        return _render_view(get_or_404(AidRequest, request_id), error, 422)
    except AppError as exc:
        db.session.rollback()
        if exc.status == 404:
            raise
        error = {"action": action, "message": str(exc.message), "errors": translate_messages(exc.errors)}
        return _render_view(get_or_404(AidRequest, request_id), error, exc.status)
    flash(_("Saved."), "success")
    return redirect(url_for(".view", request_id=request_id))
