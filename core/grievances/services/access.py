"""Confidentiality: who may read or act on a grievance, and the audit of every read.

A grievance is visible only to the executive director (``grievances.receive``), the people it
is assigned to (and the handler of its appeal), and the auditor (``grievances.audit``, read
only) — never to the staff member it is about, whatever roles they hold. The complainant sees
their own through the portal's narrower view (:func:`is_complainant`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ...audit.services import record
from ...auth.permissions import can
from ...errors import NotFound
from ...lookup import get_in_tenant
from ..models import Grievance, GrievanceAppeal, GrievanceAssignee


def _user_id(user: Any) -> int | None:
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None


def is_about(grievance: Grievance, user: Any) -> bool:
    return grievance.about_user_id is not None and grievance.about_user_id == _user_id(user)


def is_assignee(grievance: Grievance, user: Any) -> bool:
    uid = _user_id(user)
    return uid is not None and (
        uid in grievance.assignee_ids or any(a.handler_id == uid for a in grievance.appeals)
    )


def can_read(grievance: Grievance, user: Any) -> bool:
    if _user_id(user) is None or is_about(grievance, user):
        return False
    return can(user, "grievances.receive") or can(user, "grievances.audit") or is_assignee(grievance, user)


def can_act(grievance: Grievance, user: Any) -> bool:
    """Handle (review, ask the complainant, decide): the executive director or an assignee."""
    if _user_id(user) is None or is_about(grievance, user):
        return False
    return can(user, "grievances.receive") or (
        can(user, "grievances.handle") and is_assignee(grievance, user)
    )


def is_complainant(grievance: Grievance, user: Any) -> bool:
    uid = _user_id(user)
    return uid is not None and grievance.complainant_user_id == uid


def visible_filter(user: Any) -> sa.ColumnElement[bool]:
    """The SQL condition of the grievances ``user`` may read (lists, search, export)."""
    uid = _user_id(user)
    if uid is None:
        return sa.false()
    not_about = sa.or_(Grievance.about_user_id.is_(None), Grievance.about_user_id != uid)
    if can(user, "grievances.receive") or can(user, "grievances.audit"):
        return not_about
    assigned = sa.exists().where(
        GrievanceAssignee.grievance_id == Grievance.id, GrievanceAssignee.user_id == uid
    )
    handles_appeal = sa.exists().where(
        GrievanceAppeal.grievance_id == Grievance.id, GrievanceAppeal.handler_id == uid
    )
    return sa.and_(not_about, sa.or_(assigned, handles_appeal))


def read(grievance_id: Any, user: Any, via: str) -> Grievance:
    """The grievance for ``user`` (404 when it does not exist *or* they may not read it: its
    existence is not revealed), the read audited."""
    grievance = get_in_tenant(Grievance, grievance_id)
    if grievance is None or not can_read(grievance, user):
        raise NotFound()
    audit_read(grievance, user, via)
    return grievance


def audit_read(grievance: Grievance, user: Any, via: str) -> None:
    record("grievance.read", "grievance", grievance.id, {"via": via}, user=user)


def audit_list(user: Any, via: str, count: int) -> None:
    record("grievance.list", "grievance", None, {"via": via, "count": count}, user=user)
