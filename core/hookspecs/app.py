"""Hooks: global."""

from __future__ import annotations

from ._markers import hookspec


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
    """Global. Called once at start-up by ``core.plugins.register_commands``.

    Return a list of ``click`` commands: a group named exactly the plugin id, and/or bare
    commands, which core puts in such a group — either way they run as
    ``flask --app wsgi <plugin_id> ...``. A group under another name is refused at start-up
    (``PluginError``). Every command needs help text (its docstring).
    """


@hookspec
def register_jobs():
    """Global. Called once at the end of ``create_app`` by ``core.jobs.init_app``.

    Return a list of ``core.jobs.Task`` (functions decorated with ``@core.jobs.task(kind)``,
    kinds starting with ``<plugin_id>.``) and ``core.jobs.Periodic(name, func, every)``
    objects. A task runs a background job queued with ``core.jobs.enqueue(kind, params)``;
    a periodic job's ``func(**options)`` runs once per tenant that enabled the plugin (in
    that tenant's context, committed per tenant), every ``every`` seconds on the Celery beat
    schedule when ``REDIS_URL`` is set, and once with ``flask jobs run <name>`` (cron).
    Results merged; a name registered twice to different functions is an error.

    Example::

        @hookimpl
        def register_jobs():
            return [Periodic("makkah_aid.tick", services.tick_job, every=3600)]
    """


@hookspec
def register_labels():
    """Global. Called once per app, the first time ``core.labels.label`` looks a code up (the
    ``|label(kind)`` filter of every template, and ``core.toolkit.label``).

    Return a mapping ``{kind: labels}`` where ``labels`` is ``{code: lazy label}`` or a function
    ``code -> label | None`` (for labels that depend on the tenant's settings). Kinds core uses:
    ``request_state``, ``file_status``, ``violation``, ``exclusion_reason``, ``evidence``,
    ``audit_action``, ``audit_object``, ``role``, ``band``, ``plugin``. Global (not
    tenant-scoped) so that a code a plugin wrote stays in words after the plugin is disabled
    (the audit trail). Results merged; for one code the first label found wins, and plugins'
    come before core's built-ins.

    Example::

        @hookimpl
        def register_labels():
            return {"audit_action": {"makkah_aid.violation.recorded": _l("Violation recorded")},
                    "violation": violation_label}
    """


@hookspec
def app_started(app):
    """Global. Called once at the end of ``create_app`` with the configured app.

    For plugins that need one-time set-up (never per-tenant state). Return value ignored.
    """
