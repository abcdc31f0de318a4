"""Hooks: tenant-scoped."""

from __future__ import annotations

from ._markers import hookspec


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
