"""An association's own grants and withdrawals of an action for a role, over the declared defaults.

Each permission (``register_permissions``) names the roles that hold it everywhere. A tenant
admin may give an action to another role of the association, or take it away from one; the
changes are kept on the tenant's row (``Tenant.role_permissions``, read with the tenant in the
one statement before each view, ``core.auth.request_facts``) as
``{action: {"grant": [role, …], "withdraw": [role, …]}}`` — the difference from the defaults,
so a plugin that adds a role to an action later still reaches every association.

What may never change (:func:`problems` refuses it, :func:`effective` ignores it when stored):

* an action nobody declared (default deny) — nor one of a plugin not enabled for the
  association: its overrides stay stored, inert, and count again once the plugin is re-enabled;
* a ``platform.…`` action: the platform's admins hold those, no association;
* a permission declared ``fixed`` (``Permission(..., fixed=True)``): actions whose holders the
  spec sets, such as the sealed narrative's readers, or the admin's own pages (so an admin
  cannot lock every admin out);
* the applicant's rights: an applicant sees their own file only (spec), so that role is
  neither given nor refused an action here.

And a change may not leave a declared action held by no role: nobody could do it any more.
Plain functions without the database: ``core.auth.permissions`` combines the tables per
request, ``core.admin.roles`` validates and stores a change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..i18n import lazy_gettext as _l
from .models import STAFF_ROLES, TENANT_ROLES

# The roles whose holding of an action an association may change (every role but the applicant).
DELEGABLE_ROLES = STAFF_ROLES
PLATFORM_PREFIX = "platform."

UNKNOWN_ACTION = _l("There is no such permission in this association (or its plugin is not enabled).")
PLATFORM_ACTION = _l(
    "Platform permissions belong to the platform's admins: an association cannot change them."
)
FIXED_ACTION = _l("The holders of this permission are fixed by the platform: they cannot be changed.")
APPLICANT_FIXED = _l(
    "An applicant sees only their own file: this role cannot be given or refused a permission here."
)
NOBODY_LEFT = _l(
    "At least one role must keep this permission, or nobody could do it: give it to another role first."
)


def effective(
    declared: Mapping[str, frozenset[str]],
    fixed: frozenset[str],
    overrides: Mapping[str, Mapping[str, Iterable[str]]] | None,
) -> dict[str, frozenset[str]]:
    """The action → roles table of one association: ``declared`` (its enabled plugins') with
    ``overrides`` applied, skipping whatever may not change (see the module's docstring)."""
    if not overrides:
        return dict(declared)
    table = dict(declared)
    for action, change in overrides.items():
        if action not in declared or action in fixed or action.startswith(PLATFORM_PREFIX):
            continue
        table[action] = holders(declared[action], change)
    return table


def holders(default: frozenset[str], change: Mapping[str, Iterable[str]] | None) -> frozenset[str]:
    """The roles holding an action of ``default`` holders after ``change`` (only the delegable
    roles' grants and withdrawals count)."""
    if not change:
        return default
    grant = {r for r in change.get("grant", ()) if r in DELEGABLE_ROLES}
    withdraw = {r for r in change.get("withdraw", ()) if r in DELEGABLE_ROLES}
    return frozenset((default | grant) - withdraw)


def change_to(default: frozenset[str], wanted: Iterable[str]) -> dict[str, list[str]] | None:
    """The stored form of "``wanted`` hold the action" (None: the defaults, nothing to store)."""
    wanted = frozenset(wanted)
    grant, withdraw = sorted(wanted - default), sorted(default - wanted)
    if not grant and not withdraw:
        return None
    return {"grant": grant, "withdraw": withdraw}


def problems(
    action: str,
    wanted: Iterable[str],
    declared: Mapping[str, frozenset[str]],
    fixed: frozenset[str],
    current: frozenset[str] | None = None,
) -> list[str]:
    """Why ``wanted`` cannot become the holders of ``action`` (empty: it can). ``current``: the
    holders now (asking for exactly those is never refused: nothing changes)."""
    if action.startswith(PLATFORM_PREFIX):
        return [PLATFORM_ACTION]
    if action not in declared:
        return [UNKNOWN_ACTION]
    wanted = list(wanted)
    unknown = [role for role in wanted if role not in TENANT_ROLES]
    if unknown:
        return [_l("Unknown role: %(role)s.", role=role) for role in dict.fromkeys(unknown)]
    wanted_set, default = frozenset(wanted), declared[action]
    if wanted_set == (default if current is None else current):
        return []
    if action in fixed:
        return [FIXED_ACTION]
    if ("applicant" in wanted_set) != ("applicant" in default):
        return [APPLICANT_FIXED]
    if not wanted_set and default:
        return [NOBODY_LEFT]
    return []
