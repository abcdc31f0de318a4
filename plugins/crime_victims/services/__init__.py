"""The plugin's services: what the pages, the API, the hooks and the demo data do."""

from __future__ import annotations

from . import care, closing, contact, narrative, partner_access, partner_files, partner_mail, sessions
from .cases import (
    QueueRow,
    as_dict,
    case_from_request,
    case_of_request,
    get_case,
    open_case,
    person_of,
    queue,
    request_of,
    researchers,
    row_of,
    submission_problems,
    timeline,
)
from .categories import add_category, categories, category_choices, category_label, ensure_defaults
from .steps import ACTIONS, pending_referral, take, transition_problems

__all__ = [
    "ACTIONS",
    "care",
    "closing",
    "contact",
    "narrative",
    "partner_access",
    "partner_files",
    "partner_mail",
    "sessions",
    "QueueRow",
    "add_category",
    "as_dict",
    "case_from_request",
    "case_of_request",
    "categories",
    "category_choices",
    "category_label",
    "ensure_defaults",
    "get_case",
    "open_case",
    "pending_referral",
    "person_of",
    "queue",
    "request_of",
    "researchers",
    "row_of",
    "submission_problems",
    "take",
    "timeline",
    "transition_problems",
]
