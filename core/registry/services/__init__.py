"""Business rules of the registry, as plain functions (no request needed).

Callers validate input with ``core.registry.schemas`` first; these functions check what
needs the database (uniqueness, references, transitions, plugin fields), write through
the session (flush, never commit) and record audit entries in the same transaction.

One module per subject, each importable on its own:

* :mod:`.lists` – open lists (household categories, exclusion reasons) and plugin file fields
* :mod:`.dates` – renewal dates
* :mod:`.persons` – persons, the search, the households of a person
* :mod:`.sharing` – the duplicate signal and data-sharing agreements
* :mod:`.households` – households and their members
* :mod:`.files` – beneficiary files: status, renewal, timeline

The public surface is re-exported here: ``from core.registry.services import create_household``.
"""

from __future__ import annotations

from .carry import NotCarried, carry, split_name
from .dates import DEFAULT_RENEWAL_MONTHS, add_months, is_overdue, renewal_interval_months
from .files import (
    STATUS_LABELS,
    TRANSITIONS,
    change_status,
    file_events,
    renew_file,
    resumed_status,
    status_label,
)
from .households import (
    add_member,
    create_household,
    household_file,
    household_income,
    remove_member,
    update_household,
    update_member,
)
from .lists import exclusion_reasons, file_fields, household_categories, validate_extra
from .persons import (
    MIN_NAME_QUERY,
    PERSON_FIELDS,
    create_person,
    find_by_national_id,
    households_of,
    households_of_many,
    id_query,
    search_persons,
    update_person,
)
from .sharing import (
    accept_agreement,
    agreement_with,
    agreements_view,
    aid_total,
    duplicate_signal,
    partners_in_force,
    revoke_agreement,
)

__all__ = [
    "NotCarried",
    "resumed_status",
    "carry",
    "split_name",
    "DEFAULT_RENEWAL_MONTHS",
    "MIN_NAME_QUERY",
    "PERSON_FIELDS",
    "STATUS_LABELS",
    "TRANSITIONS",
    "accept_agreement",
    "add_member",
    "add_months",
    "agreement_with",
    "agreements_view",
    "aid_total",
    "change_status",
    "create_household",
    "create_person",
    "duplicate_signal",
    "exclusion_reasons",
    "file_events",
    "file_fields",
    "find_by_national_id",
    "household_categories",
    "household_file",
    "household_income",
    "households_of",
    "households_of_many",
    "id_query",
    "is_overdue",
    "partners_in_force",
    "remove_member",
    "renew_file",
    "renewal_interval_months",
    "revoke_agreement",
    "search_persons",
    "status_label",
    "update_household",
    "update_member",
    "update_person",
    "validate_extra",
]
