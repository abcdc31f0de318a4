"""Policy pages: the staff list with add and revise forms (tenant admin), and the portal's
public page of the policies in force (phone-first, no login)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.permissions import can, require
from ..forms import FormOutcome, form_transaction
from ..i18n import gettext as _
from ..lookup import get_or_404
from . import services
from .models import KINDS, PolicyDocument
from .schemas import PolicyFormSchema

bp = Blueprint("policies", __name__, template_folder="templates")
portal_bp = Blueprint("policies_portal", __name__, template_folder="templates")


def _form_data(form) -> dict:
    """The form through the API's schema: dates in any calendar and digits, field errors."""
    return PolicyFormSchema().load({k: v for k, v in form.items() if k != "csrf_token" and v != ""})


def _context() -> dict:
    return {"kinds": KINDS, "kind_label": services.kind_label, "approval_text": services.approval_text}


@bp.route("/", methods=["GET", "POST"])
@require("policies.view")
def index():
    outcome = FormOutcome()
    if request.method == "POST":
        if not can(current_user, "policies.manage"):
            abort(403)
        with form_transaction() as outcome:
            upload = request.files.get("file")
            policy = services.add_policy(
                _form_data(request.form),
                current_user,
                upload.read() if upload else None,
                upload.filename if upload else None,
            )
        if outcome.ok:
            flash(_("Policy added: %(title)s.", title=policy.title), "success")
            return redirect(url_for(".index"))
    return render_template(
        "policies/index.html",
        rows=services.policies(),
        today=services.today(),
        errors=outcome.errors,
        form=request.form,
        **_context(),
    ), outcome.status


@bp.route("/<int:policy_id>", methods=["GET", "POST"])
@require("policies.view")
def view(policy_id):
    policy = get_or_404(PolicyDocument, policy_id)
    outcome = FormOutcome()
    if request.method == "POST":
        if not can(current_user, "policies.manage"):
            abort(403)
        with form_transaction() as outcome:
            upload = request.files.get("file")
            data = _form_data(request.form)
            revised = services.revise_policy(
                policy,
                data,
                current_user,
                upload.read() if upload else None,
                upload.filename if upload else None,
            )
        if outcome.ok:
            flash(_("New version %(version)s recorded.", version=revised.version), "success")
            return redirect(url_for(".view", policy_id=revised.id))
    versions = [
        p for p in services.policies(policy.kind) if p.title == policy.title or p.id == policy.previous_id
    ]
    return render_template(
        "policies/policy.html",
        policy=policy,
        versions=versions,
        today=services.today(),
        errors=outcome.errors,
        form=request.form,
        **_context(),
    ), outcome.status


@bp.route("/<int:policy_id>/file")
@require("policies.view")
def download(policy_id):
    return services.download(get_or_404(PolicyDocument, policy_id), current_user)


@portal_bp.route("/")
def public():
    """The policies in force, for anyone (phone-first)."""
    return render_template("policies/portal.html", rows=services.in_force(), **_context())


@portal_bp.route("/<int:policy_id>/file", endpoint="download")
def public_download(policy_id):
    """A policy in force, for anyone; a version no longer (or not yet) in force is not public."""
    policy = get_or_404(PolicyDocument, policy_id)
    if not policy.in_force_on(services.today()):
        abort(404)
    return services.download(policy, current_user, disposition="inline", private=False)
