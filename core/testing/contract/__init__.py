"""The plugin contract: what every installed plugin must hold to, checked the same way for each.

``tests/test_plugin_contract.py`` runs these checks for every installed plugin (ids as test ids), so
a new plugin gets its contract tests with no extra code. The contract:

* **gated** — every route of the plugin (HTML and API, read from the app's URL map for the
  plugin's blueprints) answers 404 in a tenant that has not enabled it;
* **tenant-safe ids** — an id-bearing route that finds an object of tenant A (tenant A's
  member gets 200) answers 404 to tenant B's member asking for the same id;
* **audited** — every row the plugin writes into its tables (loading its demo data, serving its
  pages) is followed, before its transaction commits, by an audit entry of the plugin's own
  (``<plugin_id>.…``) — see :class:`WriteLog`;
* **translated** — its pages answer 200 in Arabic (``lang="ar" dir="rtl"``) and English with no
  raw code in the visible text (no snake_case choice code, on the Arabic page no English
  message of the catalogues);
* **guarded** — its permissions are declared (``register_permissions``, named ``<plugin_id>.…``
  — or an action of core it grants more roles —, labels in Arabic, roles that exist) and enforced: with its permissions granted to no role, a member holding
  every role gets 403 on each of its routes; a role that holds none of them gets 403 everywhere;
* **distributable** — its tables carry ``tenant_id`` in primary and foreign keys
  (:mod:`core.tenancy.distribution`'s rules);
* **namespaced CLI** — its commands live under ``flask <plugin_id> …``.

A plugin gives the contract hints through ``PluginMeta.contract`` (:class:`core.plugins.ContractHints`):
routes the contract cannot drive, each with its reason. There is no other way to bend it.

One module per part: :mod:`.routes` (which plugins, their routes, request bodies, ids),
:mod:`.audit` (audited writes), :mod:`.pages` (visible text, raw codes, catalogues),
:mod:`.permissions`, :mod:`.tables_and_cli`, and :mod:`.world` (the tenants the checks run in and
the checks end to end); every name is re-exported here (``from core.testing import contract``).
"""

from __future__ import annotations

from .audit import WriteLog, recording_writes
from .pages import (
    SNAKE_CASE_RE,
    arabic_catalogues,
    catalogue_messages,
    page_problems,
    raw_codes,
    untranslated,
    visible_text,
)
from .permissions import (
    ARABIC_LETTER,
    core_actions,
    declared_permissions,
    permission_problems,
    permissions_granted_to_nobody,
    roles_without_permissions,
)
from .routes import (
    PARAM_RE,
    TENANT_PARAM,
    Route,
    body_schema,
    find_ids,
    hints,
    id_table,
    ids_in_tenant,
    installed_plugin_ids,
    plugin_routes,
    sample_body,
    send,
    unsafe_ids,
)
from .tables_and_cli import cli_problems, plugin_tables, table_problems
from .world import (
    CANDIDATE_IDS,
    World,
    build_world,
    foreign_id_problems,
    hint_problems,
    page_problems_in_both_languages,
    unaudited_writes,
    ungated_routes,
    unguarded_routes,
)

__all__ = [
    # routes: which plugins, their routes, request bodies, ids
    "PARAM_RE",
    "TENANT_PARAM",
    "Route",
    "body_schema",
    "find_ids",
    "hints",
    "id_table",
    "ids_in_tenant",
    "installed_plugin_ids",
    "plugin_routes",
    "sample_body",
    "send",
    "unsafe_ids",
    # audit: audited writes
    "WriteLog",
    "recording_writes",
    # pages: visible text, raw codes, catalogues
    "SNAKE_CASE_RE",
    "arabic_catalogues",
    "catalogue_messages",
    "page_problems",
    "raw_codes",
    "untranslated",
    "visible_text",
    # permissions: declared and enforced
    "ARABIC_LETTER",
    "core_actions",
    "declared_permissions",
    "permission_problems",
    "permissions_granted_to_nobody",
    "roles_without_permissions",
    # tables_and_cli: distributable tables, namespaced CLI
    "cli_problems",
    "plugin_tables",
    "table_problems",
    # world: the tenants the checks run in, the checks end to end
    "CANDIDATE_IDS",
    "World",
    "build_world",
    "foreign_id_problems",
    "hint_problems",
    "page_problems_in_both_languages",
    "unaudited_writes",
    "ungated_routes",
    "unguarded_routes",
]
