"""Every hook of the platform, each with its contract.

Two kinds of hooks, visibly separate:

* **global** hooks are called once, for every installed plugin, whatever the tenant
  (start-up, blueprint and command registration). They are called on
  ``plugin_host.pm.hook``.
* **tenant-scoped** hooks are called through ``core.toolkit.hooks()``, which skips
  the plugins the current tenant has not enabled. Core's own implementations
  (built-in plugins registered ``trylast``) always run.

Naming families: ``register_*`` return lists that are merged; ``<noun>_<past
participle>`` are events whose return values are ignored; ``assess_*`` and
``validate_*`` are rule hooks. Implementations may accept any subset of the
arguments, so arguments can be added without breaking plugins.

``docs/plugin_hooks.md`` documents every hook below; a test fails when one is missing.
"""

from __future__ import annotations

import pluggy

PROJECT = "charity_platform"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

GLOBAL_HOOKS = frozenset(
    {"register_blueprints", "register_api_blueprints", "register_commands", "app_started"}
)


# --------------------------------------------------------------------------- global


@hookspec
def register_blueprints():
    """Global. Called once at start-up by ``core.plugins``.

    Return a list of ``flask.Blueprint`` objects serving the plugin's pages. Core
    mounts each under ``/t/<tenant>/<plugin_id>/`` and answers 404 for tenants that
    have not enabled the plugin. A blueprint's name must be the plugin id or start
    with ``<plugin_id>_``; its templates live under ``templates/<plugin_id>/``.
    Results of all plugins are merged.

    Example::

        @hookimpl
        def register_blueprints():
            return [views.bp]   # Blueprint("makkah_aid", __name__, template_folder="templates")
    """


@hookspec
def register_api_blueprints():
    """Global. Called once at start-up by ``core.plugins``.

    Return a list of ``flask_smorest.Blueprint`` objects (see ``core.toolkit.ApiBlueprint``).
    Core mounts each under ``/t/<tenant>/api/v1/<plugin_id>/`` in the OpenAPI document,
    gated like pages. Naming rules as for :func:`register_blueprints`. Results merged.
    """


@hookspec
def register_commands():
    """Global. Called once at start-up.

    Return a list of ``click`` commands or groups; each is added under
    ``flask --app wsgi <plugin_id> ...``. Results merged.
    """


@hookspec
def app_started(app):
    """Global. Called once at the end of ``create_app`` with the configured app.

    For plugins that need one-time set-up (never per-tenant state). Return value ignored.
    """


# --------------------------------------------------------------------------- tenant-scoped


@hookspec
def register_permissions():
    """Tenant-scoped. Called by ``core.auth.permissions`` when it builds the action table
    for the current tenant's enabled plugins (cached per enabled-set).

    Return a list of ``core.toolkit.Permission(action, label, roles)``: the actions the
    plugin checks with ``toolkit.can``/``toolkit.require`` and the roles that hold them
    by default. Actions must start with ``<plugin_id>.``. Results merged; an action
    declared twice takes the union of its roles.

    Example::

        @hookimpl
        def register_permissions():
            return [Permission("makkah_aid.assess", _l("Assess need gap"), ("researcher",))]
    """


@hookspec
def register_nav_items(tenant, user):
    """Tenant-scoped. Called when a tenant page renders its navigation.

    Return a list of ``core.toolkit.NavItem(label, endpoint, permission)``; core shows
    those the user may use. Results merged in plugin order, core's items first.
    """


@hookspec
def load_demo_data(tenant):
    """Tenant-scoped. Called by ``flask demo load`` for each tenant, in its context,
    after core's own demo data. Must be idempotent (running twice adds nothing).
    Return value ignored.
    """
