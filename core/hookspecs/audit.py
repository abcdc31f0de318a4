"""Hooks: audit trail."""

from __future__ import annotations

from ._markers import hookspec


@hookspec
def audit_object_names(object_type, ids):
    """Tenant-scoped. Called by the audit trail (``core.audit``: the auditors' page and the CSV
    for people) once per object type on the page, with the stored ``ids`` (strings) of the
    entries of that type.

    Return ``{id: name}`` for the objects of ``object_type`` your feature owns — the name a
    person knows them by, e.g. the request number ``1448-000010`` instead of its database row 23
    — or ``None`` for a type that is not yours. One query for all ``ids``; objects you cannot
    find are left out (the page then shows the stored id). Core's ``requests`` names aid
    requests and ``grievances`` its cases. Results merged.
    """
