"""The audit trail in words: actions (``registry.person.searched`` → "Person search") and the
objects they touched (``AidRequest 21`` → "Request no. 21"), for the auditors' page and the CSV.

Core's actions and object names are declared here (``register_labels``, built-in); features and
plugins add theirs through the same hook under the kinds ``audit_action`` and ``audit_object``.
"""

from __future__ import annotations

from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..labels import label
from ..plugins import tenant_hooks

ACTION_LABELS = {
    "audit.exported": _l("Audit trail exported"),
    "aid.disbursement": _l("Disbursement recorded"),
    "aid.disbursements_exported": _l("Disbursements exported"),
    "requests.exported": _l("Requests exported"),
    "catalog.create": _l("Catalog item added"),
    "catalog.update": _l("Catalog item changed"),
    "documents.downloaded": _l("Document downloaded"),
    "documents.uploaded": _l("Document uploaded"),
    "documents.verified": _l("Document verified"),
    "jobs.lost": _l("Background job lost"),
    "jobs.restarted": _l("Background job restarted"),
    "members.invitation_revoked": _l("Invitation revoked"),
    "members.invited": _l("User invited"),
    "members.joined": _l("User joined"),
    "members.removed": _l("User removed"),
    "members.roles_changed": _l("Roles changed"),
    "tenant.role_permissions.changed": _l("Permissions of a role changed"),
    "tenant.holidays.added": _l("Holiday added"),
    "tenant.holidays.moved": _l("Holiday moved"),
    "tenant.holidays.removed": _l("Holiday removed"),
    "registry.exported": _l("Registry exported"),
    "registry.file.read": _l("Beneficiary file read"),
    "registry.file.renewed": _l("Beneficiary file renewed"),
    "registry.file.status_changed": _l("File status changed"),
    "registry.household.created": _l("Household registered"),
    "registry.household.updated": _l("Household changed"),
    "registry.member.added": _l("Household member added"),
    "registry.member.removed": _l("Household member removed"),
    "registry.member.updated": _l("Household member changed"),
    "registry.person.created": _l("Person registered"),
    "registry.person.updated": _l("Person changed"),
    "registry.person.read": _l("Person's data read"),
    "registry.person.searched": _l("Person search"),
    "registry.person.duplicates_checked": _l("Duplicates checked"),
    "registry.sharing.accepted": _l("Data sharing accepted"),
    "registry.sharing.revoked": _l("Data sharing revoked"),
    "registry.import.completed": _l("Import completed"),
    "registry.import.interrupted": _l("Import interrupted"),
    "registry.import.restarted": _l("Import restarted"),
}

OBJECT_LABELS = {
    "AidRequest": _l("Request"),
    "tenant": _l("Association"),
    "Tenant": _l("Association"),
    "request": _l("Request"),
    "audit": _l("Audit trail"),
    "disbursement": _l("Disbursement"),
    "Disbursement": _l("Disbursement"),
    "CatalogItem": _l("Catalog item"),
    "item": _l("Catalog item"),
    "document": _l("Document"),
    "job": _l("Background job"),
    "import_job": _l("Import"),
    "invitation": _l("Invitation"),
    "membership": _l("Membership"),
    "registry": _l("Registry"),
    "file": _l("Beneficiary file"),
    "household": _l("Household"),
    "person": _l("Person"),
    "sharing_agreement": _l("Data-sharing agreement"),
}


def action_label(code: str | None) -> str:
    """An audit action in words (the code itself when no feature or plugin labelled it)."""
    return label(code, "audit_action")


def object_label(object_type: str | None, object_id: object = None, names: dict | None = None) -> str:
    """The audited object in words: "Request 1448-000010" when its feature names it (``names``
    from :func:`object_names`), else "Household no. 3"; "Audit trail" for an object without id."""
    if not object_type:
        return ""
    noun = label(object_type, "audit_object")
    if object_id in (None, ""):
        return noun
    name = (names or {}).get((object_type, str(object_id)))
    if name:
        return _("%(object)s %(name)s", object=noun, name=name)
    return _("%(object)s no. %(id)s", object=noun, id=object_id)


def object_names(objects) -> dict[tuple[str, str], str]:
    """The names people know the audited ``objects`` by (audit entries, or ``(type, id)``
    pairs), keyed ``(type, id)``: one ``audit_object_names`` call per object type (each feature
    answers with one query). Needs the tenant in context."""
    wanted: dict[str, set[str]] = {}
    for item in objects:
        object_type, object_id = item if isinstance(item, tuple) else (item.object_type, item.object_id)
        if object_type and object_id:
            wanted.setdefault(object_type, set()).add(object_id)
    names: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        for answer in tenant_hooks().audit_object_names(object_type=object_type, ids=sorted(ids)):
            for object_id, name in (answer or {}).items():
                names[(object_type, str(object_id))] = str(name)
    return names
