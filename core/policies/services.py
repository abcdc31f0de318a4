"""Policy documents: add one, revise it (a new version; the previous one stops the day before),
the ones in force, and links for other features (``in_force_links``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import url_for
from marshmallow import ValidationError

from ..audit.services import record
from ..auth.permissions import can
from ..calendar import format_date, today
from ..documents.kept import FileSlot
from ..documents.services import store_file
from ..errors import Conflict, Forbidden
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from .models import KINDS, PolicyDocument

KIND_LABELS = {
    "basic_regulation": _l("Basic regulation of the association"),
    "research_services_guide": _l("Social-research services guide"),
    "support_policy_guide": _l("Support policy guide for beneficiaries"),
    "support_request_form": _l("Support request form"),
    "other": _l("Other policy"),
}
FIELDS = (
    "title",
    "kind",
    "version",
    "board_meeting_number",
    "board_approved_on",
    "in_force_from",
    "in_force_until",
    "notes",
)


def kind_label(code: str) -> str:
    return str(KIND_LABELS.get(code, code))


def policies(kind: str | None = None) -> list[PolicyDocument]:
    """Every version, newest first."""
    query = db.select(PolicyDocument).order_by(PolicyDocument.in_force_from.desc(), PolicyDocument.id.desc())
    if kind:
        query = query.where(PolicyDocument.kind == kind)
    return list(db.session.scalars(query))


def in_force(
    kind: str | None = None, on: date | None = None, *, kinds: tuple[str, ...] | None = None
) -> list[PolicyDocument]:
    """The versions in force on ``on`` (today), of ``kind`` (or of any of ``kinds``), by kind
    then title."""
    on = on or today()
    query = db.select(PolicyDocument).where(
        PolicyDocument.in_force_from <= on,
        db.or_(PolicyDocument.in_force_until.is_(None), PolicyDocument.in_force_until >= on),
    )
    if kind:
        query = query.where(PolicyDocument.kind == kind)
    if kinds is not None:
        query = query.where(PolicyDocument.kind.in_(kinds))
    rows = db.session.scalars(query.order_by(PolicyDocument.kind, PolicyDocument.title, PolicyDocument.id))
    return list(rows)


def _check_manage(actor: Any) -> None:
    if not can(actor, "policies.manage"):
        raise Forbidden(_("Your role cannot take this step."))


def _errors(data: dict) -> dict:
    errors: dict = {}
    if data.get("kind") not in KINDS:
        errors["kind"] = [_l("Choose one of the listed values.")]
    if not (data.get("title") or "").strip():
        errors["title"] = [_l("Enter the title of the policy.")]
    if not (data.get("version") or "").strip():
        errors["version"] = [_l("Enter the version (e.g. 1 or 2.1).")]
    if data.get("in_force_from") is None:
        errors["in_force_from"] = [_l("Enter the date the policy comes into force.")]
    until, start = data.get("in_force_until"), data.get("in_force_from")
    if until is not None and start is not None and until < start:
        errors["in_force_until"] = [_l("The end of force cannot be before its start.")]
    if bool(data.get("board_meeting_number")) != bool(data.get("board_approved_on")):
        field = "board_approved_on" if data.get("board_meeting_number") else "board_meeting_number"
        errors[field] = [_l("Give both the board meeting number and the date of its approval.")]
    approved = data.get("board_approved_on")
    if approved is not None and approved > today():
        errors["board_approved_on"] = [_l("The approval date cannot be in the future.")]
    return errors


def _store(data: bytes | None, filename: str | None, errors: dict) -> dict | None:
    if not data:
        errors.setdefault("file", [_l("Attach the policy document (PDF or image).")])
        return None
    if errors:
        return None
    return store_file(data, filename, "policies").as_dict()


def add_policy(data: dict, actor: Any, content: bytes | None, filename: str | None) -> PolicyDocument:
    """A new policy document (tenant admin) with its file; nothing written on a refusal."""
    _check_manage(actor)
    errors = _errors(data)
    stored = _store(content, filename, errors)
    if errors:
        raise ValidationError(errors)
    policy = PolicyDocument(created_by_id=getattr(actor, "id", None), file=stored)
    for key in FIELDS:
        value = data.get(key)
        setattr(policy, key, value.strip() if isinstance(value, str) else value)
    policy.notes = policy.notes or ""
    db.session.add(policy)
    db.session.flush()
    record("policy.created", "policy", policy.id, _summary(policy))
    return policy


def revise_policy(
    previous: PolicyDocument, data: dict, actor: Any, content: bytes | None, filename: str | None
) -> PolicyDocument:
    """A new version of ``previous`` (same kind); the previous version stops the day before the
    new one comes into force (when it had no end, or a later one)."""
    _check_manage(actor)
    if db.session.scalar(db.select(PolicyDocument.id).where(PolicyDocument.previous_id == previous.id)):
        raise Conflict(_("This version was already revised: revise the latest version."))
    data = {"title": previous.title, **{k: v for k, v in data.items() if v not in (None, "")}}
    data["kind"] = previous.kind
    errors = _errors(data)
    if data.get("in_force_from") and data["in_force_from"] <= previous.in_force_from:
        errors["in_force_from"] = [_l("The new version must come into force after the previous one.")]
    stored = _store(content, filename, errors)
    if errors:
        raise ValidationError(errors)
    policy = PolicyDocument(created_by_id=getattr(actor, "id", None), file=stored, previous_id=previous.id)
    for key in FIELDS:
        value = data.get(key)
        setattr(policy, key, value.strip() if isinstance(value, str) else value)
    policy.notes = policy.notes or ""
    day_before = policy.in_force_from - timedelta(days=1)
    if previous.in_force_until is None or previous.in_force_until > day_before:
        previous.in_force_until = day_before
    db.session.add(policy)
    db.session.flush()
    record("policy.revised", "policy", policy.id, {**_summary(policy), "previous": previous.id})
    return policy


def _summary(policy: PolicyDocument) -> dict:
    return {
        "kind": policy.kind,
        "version": policy.version,
        "board_meeting": policy.board_meeting_number,
        "approved_on": policy.board_approved_on.isoformat() if policy.board_approved_on else None,
        "in_force_from": policy.in_force_from.isoformat(),
        "sha256": (policy.file or {}).get("sha256"),
    }


# The policy's file: its download (staff, portal) audited as ``policy.downloaded``.
POLICY_FILE = FileSlot(
    area="policies", stored_action="policy.created", read_action="policy.downloaded", entity="policy"
)


def download(policy: PolicyDocument, actor: Any = None, **options: Any):
    """The policy's file (audited, committed) through ``download_response`` (``options``: its
    ``disposition``/``private``)."""
    return POLICY_FILE.download(policy, actor, **options)


def approval_text(policy: PolicyDocument) -> str:
    """ "Approved by the board in meeting no. 2 on 29 September 2020" (or nothing)."""
    if not policy.board_meeting_number:
        return ""
    return _(
        "Approved by the board of directors in meeting no. %(number)s on %(date)s",
        number=policy.board_meeting_number,
        date=format_date(policy.board_approved_on),
    )


@dataclass(frozen=True)
class PolicyLink:
    """A policy in force as another feature links it: title, kind, version, approval, public URL."""

    id: int
    title: str
    kind: str
    kind_label: str
    version: str
    approval: str
    url: str


def in_force_links(
    kind: str | None = None, on: date | None = None, *, kinds: tuple[str, ...] | None = None
) -> list[PolicyLink]:
    """The policies in force (of ``kind``), with their public download link — what a plugin's
    page shows where a policy applies (toolkit: ``policies_in_force``)."""
    return [
        PolicyLink(
            id=p.id,
            title=p.title,
            kind=p.kind,
            kind_label=kind_label(p.kind),
            version=p.version,
            approval=approval_text(p),
            url=url_for("policies_portal.download", policy_id=p.id),
        )
        for p in in_force(kind, on, kinds=kinds)
    ]
