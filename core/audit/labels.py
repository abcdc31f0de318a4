"""Audit action codes and object types in words, for people (the audit page, the CSV export).

``action_label(code)`` and ``object_label(type_name)`` give the translated label of a code
core records; a code with no label yet is shown as recorded. Features and plugins add their
own with ``register_labels(actions=…, objects=…)`` (lazily translated strings).
"""

from __future__ import annotations

from typing import Any

from ..i18n import lazy_gettext as _l

ACTION_LABELS: dict[str, Any] = {
    "audit.exported": _l("Audit trail exported"),
    "aid.disbursement": _l("Aid disbursed"),
    "aid.disbursements_exported": _l("Disbursements exported"),
    "catalog.create": _l("Aid catalog item added"),
    "catalog.update": _l("Aid catalog item changed"),
    "documents.downloaded": _l("Document downloaded"),
    "documents.uploaded": _l("Document uploaded"),
    "documents.verified": _l("Document verified"),
    "jobs.lost": _l("Background job lost"),
    "jobs.restarted": _l("Background job restarted"),
    "members.invitation_revoked": _l("Invitation revoked"),
    "members.invited": _l("Member invited"),
    "members.joined": _l("Member joined"),
    "members.removed": _l("Member removed"),
    "members.roles_changed": _l("Member's roles changed"),
    "registry.exported": _l("Registry exported"),
    "registry.file.read": _l("Beneficiary file opened"),
    "registry.file.renewed": _l("Beneficiary file renewed"),
    "registry.file.status_changed": _l("Beneficiary file status changed"),
    "registry.household.created": _l("Household registered"),
    "registry.household.updated": _l("Household changed"),
    "registry.import.completed": _l("Import completed"),
    "registry.import.interrupted": _l("Import interrupted"),
    "registry.import.restarted": _l("Import restarted"),
    "registry.member.added": _l("Household member added"),
    "registry.member.removed": _l("Household member removed"),
    "registry.person.created": _l("Person registered"),
    "registry.person.read": _l("Person's record opened"),
    "registry.person.searched": _l("Beneficiaries searched"),
    "registry.person.updated": _l("Person's record changed"),
    "registry.sharing.accepted": _l("Data sharing accepted"),
    "registry.sharing.revoked": _l("Data sharing revoked"),
    "requests.exported": _l("Requests exported"),
    "request.create": _l("Request registered"),
    "request.submit": _l("Request submitted"),
    "request.start_research": _l("Research started"),
    "request.schedule_visit": _l("Field visit scheduled"),
    "request.record_visit": _l("Field visit recorded"),
    "request.verify": _l("Request verified"),
    "request.record_verification": _l("Official verification recorded"),
    "request.send_to_committee": _l("Sent to the committee"),
    "request.approve": _l("Request approved"),
    "request.reject": _l("Request rejected"),
    "request.escalate": _l("Escalated to the competent authority"),
    "request.permit_granted": _l("Permit granted"),
    "request.refuse_permit": _l("Permit refused"),
    "request.disburse": _l("Disbursement recorded"),
    "request.close": _l("Request closed"),
    "request.return": _l("Returned to the applicant"),
    "request.withdraw": _l("Request withdrawn"),
    "request.edit": _l("Request data corrected"),
    "request.link_file": _l("Request linked to a beneficiary file"),
    "request.relink_file": _l("Request linked to another beneficiary file"),
    "request.sign_declaration": _l("Declaration signed"),
}
OBJECT_LABELS: dict[str, Any] = {
    "AidRequest": _l("Aid request"),
    "Disbursement": _l("Disbursement"),
    "audit": _l("Audit trail"),
    "document": _l("Document"),
    "file": _l("Beneficiary file"),
    "household": _l("Household"),
    "invitation": _l("Invitation"),
    "job": _l("Background job"),
    "membership": _l("Membership"),
    "person": _l("Person"),
    "registry": _l("Registry"),
    "sharing_agreement": _l("Data sharing agreement"),
    "CatalogItem": _l("Aid catalog item"),
}


def register_labels(actions: dict[str, Any] | None = None, objects: dict[str, Any] | None = None) -> None:
    """Add labels for a feature's or plugin's codes (the first label of a code is kept)."""
    for code, label in (actions or {}).items():
        ACTION_LABELS.setdefault(code, label)
    for code, label in (objects or {}).items():
        OBJECT_LABELS.setdefault(code, label)


def action_label(code: str) -> str:
    """The action in words (translated), or the code as recorded when none is known."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def object_label(type_name: str) -> str:
    label = OBJECT_LABELS.get(type_name)
    return str(label) if label is not None else type_name
