"""Tenant API of policy documents: ``/t/<tenant>/api/v1/policies/…``."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from ..api import ApiBlueprint
from ..extensions import db
from ..lookup import get_or_404
from . import services
from .models import PolicyDocument
from .schemas import (
    PolicyFileSchema,
    PolicyFormSchema,
    PolicyListArgs,
    PolicyOutSchema,
    PolicyRevisionFileSchema,
    PolicyRevisionSchema,
)

bp = ApiBlueprint("policies_api", __name__, description="Policy documents and their versions")


def policy_out(policy: PolicyDocument) -> dict:
    stored = policy.file or {}
    return {
        "id": policy.id,
        "title": policy.title,
        "kind": policy.kind,
        "kind_label": services.kind_label(policy.kind),
        "version": policy.version,
        "board_meeting_number": policy.board_meeting_number,
        "board_approved_on": policy.board_approved_on,
        "approval": services.approval_text(policy),
        "in_force_from": policy.in_force_from,
        "in_force_until": policy.in_force_until,
        "in_force": policy.in_force_on(services.today()),
        "previous_id": policy.previous_id,
        "filename": stored.get("filename"),
        "content_type": stored.get("content_type"),
        "size": stored.get("size"),
        "sha256": stored.get("sha256"),
        "notes": policy.notes,
        "created_at": policy.created_at,
    }


@bp.route("")
@bp.arguments(PolicyListArgs, location="query")
@bp.response(200, PolicyOutSchema(many=True))
@bp.requires("policies.view")
def list_policies(args):
    """Every version (newest first), or only those in force today (``in_force=true``)."""
    rows = (
        services.in_force(args.get("kind")) if args.get("in_force") else services.policies(args.get("kind"))
    )
    return [policy_out(p) for p in rows]


@bp.route("", methods=["POST"])
@bp.arguments(PolicyFormSchema, location="form")
@bp.arguments(PolicyFileSchema, location="files")
@bp.response(201, PolicyOutSchema)
@bp.requires("policies.manage")
def post_policy(data, files):
    """Add a policy document (multipart: its fields and ``file``)."""
    upload = request.files.get("file")
    policy = services.add_policy(
        data, current_user, upload.read() if upload else None, upload.filename if upload else None
    )
    db.session.commit()
    return policy_out(policy)


@bp.route("/<int:policy_id>")
@bp.response(200, PolicyOutSchema)
@bp.requires("policies.view")
def get_policy(policy_id):
    return policy_out(get_or_404(PolicyDocument, policy_id))


@bp.route("/<int:policy_id>/revisions", methods=["POST"])
@bp.arguments(PolicyRevisionSchema, location="form")
@bp.arguments(PolicyRevisionFileSchema, location="files")
@bp.response(201, PolicyOutSchema)
@bp.requires("policies.manage")
def post_revision(data, files, policy_id):
    """A new version of a policy: the previous version stops the day before it comes into force."""
    previous = get_or_404(PolicyDocument, policy_id)
    upload = request.files.get("file")
    policy = services.revise_policy(
        previous, data, current_user, upload.read() if upload else None, upload.filename if upload else None
    )
    db.session.commit()
    return policy_out(policy)


@bp.route("/<int:policy_id>/file")
@bp.response(200, description="The policy document's file")
@bp.requires("policies.view")
def get_file(policy_id):
    return services.download(get_or_404(PolicyDocument, policy_id), current_user)
