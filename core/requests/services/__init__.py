"""Request services: creating, each workflow step, assessment and ceilings, work queues.

Plain functions that take the actor and validated data and return the changed objects;
the caller commits (pages and the API commit once, so a refusal writes nothing).

One module per part of a request's life, each importable on its own:

* :mod:`.fields` – plugin fields (``RequestFields``, ``load_extra``)
* :mod:`.intake` – the catalog, creating, the declaration, submitting
* :mod:`.corrections` – the applicant's corrections to a draft or returned request
* :mod:`.beneficiary_file` – linking the request to a beneficiary file
* :mod:`.research` – the field visit, verifications and the research steps
* :mod:`.assessment` – eligibility checks (``Check``) and the ceiling (``Ceiling``)
* :mod:`.committee` – the committee's decisions and the permit escalation
* :mod:`.queues` – lookup by number and the work queues

The public surface is re-exported here: ``from core.requests.services import submit``.
"""

from __future__ import annotations

from .assessment import CHECK_OUTCOMES, Ceiling, Check, assess, ceiling_for
from .beneficiary_file import file_candidates, link_file, may_link_file, registration_prefill
from .committee import (
    approve,
    committee_members,
    escalate,
    members_snapshot,
    record_permit_outcome,
    reject,
)
from .corrections import EDITABLE_FIELDS, may_edit, update_request
from .fields import RequestFields, load_extra, request_field_sets
from .intake import (
    DECLARATION_TEXT,
    catalog,
    create_request,
    missing_documents,
    sign_declaration,
    submission_problems,
    submit,
)
from .queues import (
    DEFAULT_STATE_LIMITS,
    QUEUES,
    SORTS,
    QueueFilters,
    QueuePage,
    QueueRow,
    deadline_of,
    get_by_number,
    is_overdue,
    last_overdue_submission_day,
    overdue_clause,
    queue,
    queue_page,
    queue_row,
    state_limits,
    state_since,
    waited_since,
)
from .research import (
    close,
    record_verification,
    record_visit,
    return_to_applicant,
    schedule_visit,
    send_to_committee,
    start_research,
    verify,
    withdraw,
)

__all__ = [
    "CHECK_OUTCOMES",
    "DEFAULT_STATE_LIMITS",
    "SORTS",
    "QueueFilters",
    "QueuePage",
    "QueueRow",
    "is_overdue",
    "overdue_clause",
    "queue_page",
    "queue_row",
    "state_limits",
    "state_since",
    "waited_since",
    "DECLARATION_TEXT",
    "EDITABLE_FIELDS",
    "QUEUES",
    "Ceiling",
    "Check",
    "RequestFields",
    "approve",
    "assess",
    "catalog",
    "ceiling_for",
    "close",
    "committee_members",
    "create_request",
    "deadline_of",
    "escalate",
    "file_candidates",
    "get_by_number",
    "last_overdue_submission_day",
    "link_file",
    "load_extra",
    "may_edit",
    "may_link_file",
    "members_snapshot",
    "missing_documents",
    "queue",
    "record_permit_outcome",
    "record_verification",
    "record_visit",
    "registration_prefill",
    "reject",
    "request_field_sets",
    "return_to_applicant",
    "schedule_visit",
    "send_to_committee",
    "sign_declaration",
    "start_research",
    "submission_problems",
    "submit",
    "update_request",
    "verify",
    "withdraw",
]
