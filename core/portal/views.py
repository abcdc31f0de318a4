"""Portal pages (see the package docstring)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from ..aid.services import catalog, disbursements_of
from ..auth.permissions import check, require
from ..documents.api import send_document
from ..documents.models import Document
from ..documents.services import document_types, documents_of_request, upload
from ..errors import Conflict
from ..extensions import db
from ..forms import FormOutcome, form_transaction
from ..i18n import current_language, translate_messages
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..lookup import get_or_404
from ..notifications import in_app_messages, local_link, message_text
from ..plugins import tenant_hooks
from ..registry.panels import merge_panels
from ..requests import forms, services
from ..requests.links import file_of
from ..requests.models import AidRequest
from ..requests.schemas import PortalApplySchema
from ..requests.services import DECLARATION_TEXT, request_field_sets
from ..requests.workflow import EDITABLE_STATES, state_label
from ..surveys.services import pending_invitations_of
from ..tenancy import require_tenant
from . import account, landing

bp = Blueprint("portal", __name__, template_folder="templates")


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create an applicant account. The answer does not say whether the e-mail had one already
    (its owner is told by e-mail instead): both go to the log-in page with the same message."""
    outcome = FormOutcome()
    form = request.form
    if request.method == "POST":
        with form_transaction() as outcome:
            email = account.register_applicant(form)
        if outcome.ok:
            flash(
                _(
                    "We sent a message to %(email)s. If the account is new, log in with this e-mail "
                    "and the password you chose; if it existed already, the message says what to do.",
                    email=email,
                ),
                "info",
            )
            return redirect(url_for("auth.login", email=email))
    return render_template("portal/register.html", errors=outcome.errors, form=form), outcome.status


@bp.route("/")
def index():
    """A visitor sees the association's landing page; an applicant their requests and messages."""
    if not current_user.is_authenticated:
        return landing_page()
    check("portal.apply")
    mine = db.session.scalars(
        db.select(AidRequest)
        .where(AidRequest.applicant_user_id == current_user.id)
        .order_by(AidRequest.id.desc())
    ).all()
    language = current_language()
    # each message as the reader's language has it, and the page it is about (a path of this site)
    messages = [(*message_text(m, language), local_link(m)) for m in in_app_messages(current_user)]
    return render_template(
        "portal/index.html",
        items=mine,
        messages=messages,
        surveys=pending_invitations_of(current_user),
        state_label=state_label,
    )


def landing_page():
    """The association's public page: who it is, what it offers, its policies, where complaints
    go, and the ways in (create an account, log in, forgotten password)."""
    tenant = require_tenant()
    return render_template(
        "portal/landing.html",
        tenant=tenant,
        offers=landing.offers(),
        policies=landing.policies(tenant),
        complaint_link=landing.complaint_link(),
    )


def _catalog_options() -> list[tuple[str, str]]:
    return [(str(i.id), i.name_ar if current_language() == "ar" else i.name_en) for i in catalog(True)]


APPLY_FIELDS = (
    "applicant_name",
    "applicant_phone",
    "applicant_city",
    "catalog_item_id",
    "summary",
    "requested_amount",
)


def _load_application(form) -> dict:
    """The applicant's fields and the plugins' request fields, validated (apply and edit alike)."""
    return PortalApplySchema().load(
        {
            **{k: form[k].strip() for k in APPLY_FIELDS if (form.get(k) or "").strip()},
            "extra": forms.extra_from_form(form),
        }
    )


# The labels of core's inputs on the apply and edit forms: the error summary links to each field
# with the same words as its label.
CORE_LABELS = {
    "applicant_name": _l("Full name (four parts)"),
    "applicant_phone": _l("Mobile (05XXXXXXXX)"),
    "applicant_city": _l("City"),
    "catalog_item_id": _l("Aid program"),
    "requested_amount": _l("Amount requested (SAR)"),
    "summary": _l("What do you need?"),
    "declaration": _l("Declaration"),
}
_REQUIRED_MESSAGE = "Missing data for required field."


def _mandatory_core_fields() -> set[str]:
    """Core inputs the apply form marks required: the schema's, the declaration, and those an
    enabled plugin needs to submit (``RequestFields.mandatory``)."""
    found = {"applicant_name", "declaration"}
    for field_set in request_field_sets():
        found.update(field_set.mandatory)
    return found


def _placed(outcome: FormOutcome, form) -> dict:
    """The refusal's errors, field errors placed by the request form's inputs; core's generic
    "required" message names the field by its label."""
    if outcome.message is None and outcome.errors:
        placed = forms.place_errors(forms.flatten_errors(translate_messages(outcome.errors), form))
        generic = _(_REQUIRED_MESSAGE)
        for name, label in CORE_LABELS.items():
            if name in placed:
                placed[name] = [
                    _("%(field)s is required.", field=label) if str(m) == generic else m for m in placed[name]
                ]
        return placed
    return outcome.errors


def error_summary(errors: dict, groups, slots) -> list[tuple[str, str | None, str, list]]:
    """``[(key, anchor, label, messages)]`` for the short list above the form: a link to each
    field in error by its label (its message is shown beside it, once); an error that belongs
    to no field (``anchor`` None) keeps its message here."""
    where: dict[str, tuple[str, str]] = {name: (name, str(label)) for name, label in CORE_LABELS.items()}
    cells: dict[tuple[str, str], str] = {}
    for _field_set, inputs in groups:
        for item in inputs:
            where[item.key] = (item.html_id, item.label)
            for column in item.columns:
                cells[(item.key, column.name)] = f"{item.label}: {column.label}"
    for slot in slots:
        where[slot.key] = (slot.html_id, str(slot.label))
        for doc_type in slot.doc_types:
            where.setdefault(f"documents.{doc_type}", (slot.html_id, str(slot.label)))
    summary = []
    for key, messages in errors.items():
        found = where.get(key)
        if found is None and key.count(".") >= 4:  # a cell of a repeating row: extra.ns.group.<i>.cell
            group, row, cell = key.rsplit(".", 2)
            if (group, cell) in cells and row.isdigit():
                found = (forms.html_id(key), f"{cells[(group, cell)]} ({int(row) + 1})")
        if found is None:
            summary.append((key, None, "", messages))
        else:
            summary.append((key, found[0], found[1], []))
    return summary


def _render_form(template: str, outcome: FormOutcome, form, **context):
    errors = _placed(outcome, form)
    groups = forms.extra_inputs()
    slots = forms.document_slots()
    return render_template(
        template,
        errors=errors,
        summary=error_summary(errors, groups, slots),
        form=form,
        extra_groups=groups,
        document_slots=slots,
        labels=CORE_LABELS,
        mandatory=_mandatory_core_fields(),
        item_options=_catalog_options(),
        **context,
    ), outcome.status


@bp.route("/apply", methods=["GET", "POST"])
@require("portal.apply")
def apply():
    """Apply: the request is created with the documents posted on the form, and submitted at
    once. When only documents are still missing (``documents.<type>`` problems of
    ``validate_request_submission``), it is kept as a draft and the applicant attaches them on
    the request's page, then submits there. Every field's error at once, nothing written."""
    outcome = FormOutcome()
    form = request.form
    if request.method == "POST" and not forms.adding_row(form):
        with form_transaction() as outcome:
            data = _load_signed_application(form)
            item = services.create_request(data, current_user, own=True)
            forms.attach_uploads(request.files, item, current_user)
            problems = services.submission_problems(item)
            draft = bool(problems) and len(services.missing_documents(problems)) == len(problems)
            if not draft:
                services.submit(item, current_user, declaration_signed_by=data["applicant_name"])
        if outcome.ok and draft:
            flash(
                _("Your request was saved as a draft: attach the documents listed, then submit it."), "info"
            )
            return redirect(url_for(".detail", request_id=item.id) + "#documents")
        if outcome.ok:
            flash(_("Your request number is %(number)s.", number=f"\u2066{item.number}\u2069"), "success")
            return redirect(url_for(".detail", request_id=item.id))
    return _render_form("portal/apply.html", outcome, form, declaration=DECLARATION_TEXT)


def _load_signed_application(form) -> dict:
    """``_load_application`` and the signed declaration, their errors together."""
    errors: dict = {}
    if form.get("declaration") != "on":
        errors["declaration"] = [_("Sign the declaration to submit.")]
    try:
        data = _load_application(form)
    except ValidationError as refused:
        errors.update(
            refused.messages if isinstance(refused.messages, dict) else {"_schema": refused.messages}
        )
    if errors:
        raise ValidationError(errors)
    return data


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
@require("portal.apply")
def edit(request_id):
    """Correct a draft, or a request returned for missing data, then submit it from its page.

    Another applicant's request answers 404; a request that is neither a draft nor returned 409.
    """
    item = get_or_404(AidRequest, request_id, applicant_user_id=current_user.id)
    if item.state not in EDITABLE_STATES:
        raise Conflict(_("Only a draft or a request returned for missing data can be edited."))
    outcome = FormOutcome()
    form = request.form if request.method == "POST" else forms.request_form_values(item)
    if request.method == "POST" and not forms.adding_row(form):
        with form_transaction() as outcome:
            services.update_request(item, current_user, _load_application(form))
        if outcome.ok:
            flash(_("Your corrections were saved: submit the request again when it is complete."), "success")
            return redirect(url_for(".detail", request_id=item.id))
    return _render_form("portal/edit.html", outcome, form, item=item)


@bp.route("/requests/<int:request_id>")
@require("portal.apply")
def detail(request_id):
    item = get_or_404(AidRequest, request_id, applicant_user_id=current_user.id)
    return _render_detail(item)


def _render_detail(item: AidRequest, errors: dict | None = None, status: int = 422):
    types = [c for c in document_types() if c.code != "receipt"]
    problems: dict = {}
    if item.state in SUBMIT_STATES:
        problems = translate_messages(services.submission_problems(item))
    labels = {c.code: c.label for c in types}
    missing = [(code, labels.get(code, code)) for code in services.missing_documents(problems)]
    return render_template(
        "portal/detail.html",
        item=item,
        disbursements=disbursements_of(item),
        documents=documents_of_request(item.id),
        document_types=types,
        document_labels={c.code: c.label for c in document_types()},
        missing_documents=missing,
        problems=problems,
        can_submit=item.state in SUBMIT_STATES,
        can_edit=item.state in SUBMIT_STATES,
        declaration=DECLARATION_TEXT,
        state_label=state_label,
        panels=merge_panels(tenant_hooks().register_portal_request_panels(request=item, user=current_user)),
        errors=errors or {},
    ), (status if errors else 200)


# The applicant submits (or resubmits after a return) from the request's page.
SUBMIT_STATES = ("draft", "returned")


@bp.route("/requests/<int:request_id>/submit", methods=["POST"])
@require("portal.apply")
def submit(request_id):
    """Submit a draft once its documents are attached: one error per missing item (422), nothing written."""
    item = get_or_404(AidRequest, request_id, applicant_user_id=current_user.id)
    if request.form.get("declaration") != "on":
        return _render_detail(item, {"declaration": [_("Sign the declaration to submit.")]})
    with form_transaction() as outcome:
        services.submit(item, current_user, declaration_signed_by=item.applicant_name)
    if not outcome.ok:
        return _render_detail(item, translate_messages(outcome.errors), outcome.status)
    flash(_("Your request number is %(number)s.", number=f"\u2066{item.number}\u2069"), "success")
    return redirect(url_for(".detail", request_id=item.id))


# Documents an applicant may still add: until the committee decided.
UPLOAD_STATES = (
    "draft",
    "submitted",
    "returned",
    "in_research",
    "field_visit_scheduled",
    "visited",
    "verified",
)


@bp.route("/requests/<int:request_id>/documents", methods=["POST"])
@require("portal.apply")
def upload_document(request_id):
    """The applicant attaches a document (ID copy, lease …) to their own request (and its household)."""
    item = get_or_404(AidRequest, request_id, applicant_user_id=current_user.id)
    if request.form.get("doc_type") == "receipt":
        return _render_detail(item, {"doc_type": [_("Choose one of the listed values.")]})
    if item.state not in UPLOAD_STATES:
        return _render_detail(item, {"file": [_("Documents can no longer be added to this request.")]})
    file = request.files.get("file")
    linked = file_of(item)
    with form_transaction() as outcome:
        upload(
            file.read() if file else b"",
            file.filename if file else None,
            {
                "doc_type": request.form.get("doc_type"),
                "request_id": item.id,
                "household_id": linked.household_id if linked is not None else None,
            },
            user=current_user,
        )
    if not outcome.ok:
        return _render_detail(item, translate_messages(outcome.errors), outcome.status)
    flash(_("The document was attached."), "success")
    return redirect(url_for(".detail", request_id=item.id) + "#documents")


@bp.route("/requests/<int:request_id>/documents/<int:document_id>")
@require("portal.apply")
def download_document(request_id, document_id):
    """A document of the applicant's own request (another's answers 404)."""
    item = get_or_404(AidRequest, request_id, applicant_user_id=current_user.id)
    return send_document(get_or_404(Document, document_id, request_id=item.id))


@bp.route("/track")
@require("portal.apply")
def track():
    number = (request.args.get("number") or "").strip()
    item = services.get_by_number(number) if number else None
    if item is None or item.applicant_user_id != current_user.id:
        flash(_("No request of yours has this number."), "warning")
        return redirect(url_for(".index"))
    return redirect(url_for(".detail", request_id=item.id))
