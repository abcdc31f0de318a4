"""Which roles of the association hold which action: the tenant admin's matrix and its changes
(plain functions; callers commit).

The rows are the actions of the association's enabled set — core's and its enabled plugins' —
grouped by the feature or plugin that names them, each with its declared holders, its holders
here and whether the platform fixed them. A change sets the holders of some actions at once: all
are checked first (``core.auth.grants.problems``) and nothing is written when one is refused;
each action whose holders change is audited with the old and the new holders. Overrides of a
disabled plugin's actions are neither shown nor touched: they stay stored, and count again when
the plugin is enabled again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from marshmallow import ValidationError

from ..audit.services import record
from ..auth import grants
from ..auth.models import TENANT_ROLES
from ..auth.permissions import declared_permissions, fixed_actions, forget_roles_cache
from ..extensions import db
from ..i18n import current_language
from ..i18n import lazy_gettext as _l
from ..plugins import get_host
from ..tenancy import require_tenant

CHANGED = "tenant.role_permissions.changed"
NOTHING_TO_CHANGE = _l("Choose the permissions to change.")
NOT_A_LIST = _l("Give the roles as a list.")

# Core's features by the first part of their actions' names, in the order the page shows them.
# A plugin's actions are named after the plugin (``<plugin id>.…``) and grouped under its name.
CORE_GROUPS = {
    "tenant": _l("The association"),
    "registry": _l("Beneficiary files"),
    "requests": _l("Aid requests"),
    "catalog": _l("Aid catalog"),
    "portal": _l("Applicants' portal"),
    "grievances": _l("Grievances"),
    "surveys": _l("Surveys"),
    "planning": _l("Operational plan"),
    "policies": _l("Policies"),
    "supporters": _l("Supporters"),
    "volunteers": _l("Volunteers"),
    "audit": _l("Audit trail"),
}
OTHER_GROUP = _l("Other permissions")


@dataclass(frozen=True)
class ActionRow:
    action: str
    label: str
    group: str  # the feature or plugin naming the action (see :data:`CORE_GROUPS`)
    default: frozenset[str]  # the declared holders
    holders: frozenset[str]  # the holders in this association
    fixed: bool

    @property
    def held_by(self) -> list[str]:
        return [role for role in TENANT_ROLES if role in self.holders]

    @property
    def held_by_default(self) -> list[str]:
        return [role for role in TENANT_ROLES if role in self.default]

    @property
    def granted(self) -> list[str]:
        return [role for role in TENANT_ROLES if role in self.holders and role not in self.default]

    @property
    def withdrawn(self) -> list[str]:
        return [role for role in TENANT_ROLES if role in self.default and role not in self.holders]

    @property
    def changed(self) -> bool:
        return self.holders != self.default


def group_of(action: str) -> str:
    return action.split(".", 1)[0]


def group_label(group: str) -> str:
    plugin = get_host().plugins.get(group)
    if plugin is not None:
        return plugin.meta.name(current_language())
    return str(CORE_GROUPS.get(group, OTHER_GROUP))


def _group_order(group: str) -> tuple:
    core = list(CORE_GROUPS)
    if group in CORE_GROUPS:
        return (0, core.index(group), "")
    return (1 if group in get_host().plugins else 2, 0, group_label(group))


def rows() -> list[ActionRow]:
    """Every action of the association's enabled set, grouped (core's features first, then the
    plugins by name), in the order each group declares them."""
    tenant = require_tenant()
    permissions = declared_permissions()
    declared = {p.action: frozenset(p.roles) for p in permissions}
    table = grants.effective(declared, fixed_actions(), tenant.role_permissions)
    found = [
        ActionRow(p.action, str(p.label), group_of(p.action), declared[p.action], table[p.action], p.fixed)
        for p in permissions
    ]
    order = {group: _group_order(group) for group in {row.group for row in found}}
    return sorted(found, key=lambda row: order[row.group])


def groups() -> list[tuple[str, str, list[ActionRow]]]:
    """``(group, its label, its rows)`` in the page's order."""
    found: dict[str, list[ActionRow]] = {}
    for row in rows():
        found.setdefault(row.group, []).append(row)
    return [(group, group_label(group), listed) for group, listed in found.items()]


def row_of(action: str) -> ActionRow | None:
    return next((row for row in rows() if row.action == action), None)


def check(wanted: Mapping[str, Iterable[str]]) -> dict[str, ActionRow]:
    """Refuse (422, by action under ``holders``) whatever in ``wanted`` — ``{action: the roles
    that are to hold it}`` — may not be; answers the rows concerned as they are now."""
    if not isinstance(wanted, Mapping) or not wanted:
        raise ValidationError({"holders": [NOTHING_TO_CHANGE]})
    current = {row.action: row for row in rows()}
    declared = {action: row.default for action, row in current.items()}
    fixed = frozenset(action for action, row in current.items() if row.fixed)
    errors: dict[str, list] = {}
    for action, roles in wanted.items():
        if isinstance(roles, str) or not isinstance(roles, Iterable):
            errors[str(action)] = [NOT_A_LIST]
            continue
        row = current.get(action)
        found = grants.problems(action, roles, declared, fixed, row.holders if row else None)
        if found:
            errors[str(action)] = found
    if errors:
        raise ValidationError({"holders": errors})
    return {action: current[action] for action in wanted}


def set_holders(wanted: Mapping[str, Iterable[str]], actor=None) -> list[ActionRow]:
    """Let exactly the roles of ``wanted[action]`` hold each action (see :func:`check`; nothing
    is written when one is refused). Stored as the difference from the declared holders;
    audited per action whose holders change. Answers the changed rows as they are now."""
    tenant = require_tenant()
    db.session.refresh(tenant, ["role_permissions"], with_for_update=True)  # two admins at once
    before = check(wanted)
    stored = {action: dict(change) for action, change in (tenant.role_permissions or {}).items()}
    changed = []
    for action, row in before.items():
        holders = frozenset(wanted[action])
        if holders == row.holders:
            continue
        change = grants.change_to(row.default, holders)
        if change is None:
            stored.pop(action, None)
        else:
            stored[action] = change
        old, new = _ordered(row.holders), _ordered(holders)
        record(CHANGED, "tenant", tenant.id, {"permission": action, "old": old, "new": new}, user=actor)
        changed.append(action)
    if changed:
        tenant.role_permissions = stored  # a new value: this request's checks combine it again
        db.session.flush()
        forget_roles_cache()
    now = {row.action: row for row in rows()}
    return [now[action] for action in changed]


def _ordered(roles: Iterable[str]) -> list[str]:
    held = set(roles)
    return [role for role in TENANT_ROLES if role in held]
