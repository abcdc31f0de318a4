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
    {
        "register_blueprints",
        "register_api_blueprints",
        "register_commands",
        "register_jobs",
        "register_labels",
        "app_started",
    }
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


# --------------------------------------------------------------------------- registry


@hookspec
def register_household_categories():
    """Tenant-scoped. Called by ``core.registry.services.household_categories()`` whenever a
    household is validated or a form offers the category list.

    Return a list of ``core.registry.Choice(code, label)``: the household categories the
    plugin adds (e.g. ``Choice("prisoner_family", _l("Prisoner's family"))``). Results of
    all enabled plugins are merged with core's open list (family, individual adult, orphan,
    unmarried woman …); the first declaration of a code wins its label.
    """


@hookspec
def register_document_types():
    """Tenant-scoped. Called by ``core.documents.services.document_types()`` when a document
    is uploaded or the upload form renders.

    Return a list of ``core.registry.Choice(code, label)`` (e.g. ``Choice("court_letter",
    _l("Prison or court letter"))``). Core declares ``id_copy``, ``national_address``,
    ``lease``, ``medical_report``, ``pledge``, ``receipt`` and ``other``. Results merged; the
    first declaration of a code wins its label.
    """


@hookspec
def register_exclusion_reasons():
    """Tenant-scoped. Called when a beneficiary file is excluded (and by the status form).

    Return a list of ``core.registry.Choice(code, label)``: the reason codes a file may be
    excluded for. Core declares the reasons of seed 004 (improved living, owner's request,
    assets, late renewal, marriage, male over 18 not studying, refused job, death, fraud,
    assault, moved away, several workers). Results merged.
    """


@hookspec
def register_file_fields():
    """Tenant-scoped. Called whenever a household's beneficiary file is created or updated
    with ``extra`` data, and when a file is shown.

    Return a list of ``core.registry.FileFields(namespace, schema, label)`` where
    ``schema`` is the plugin's marshmallow ``Schema`` class. ``file.extra[namespace]`` is
    loaded (validated) by that schema; errors are reported under ``extra.<namespace>``
    with a 422 and nothing is written. Namespace = the plugin id. Results merged.

    Example::

        @hookimpl
        def register_file_fields():
            return [FileFields("prisoner_families", PrisonerSchema, _l("Prisoner"))]
    """


@hookspec
def validate_file_status_change(file, old, new, reason, user):
    """Tenant-scoped. Called by ``core.registry.services.change_status`` before a status
    change is written.

    ``file`` is the ``BeneficiaryFile``, ``old``/``new`` status codes, ``reason`` the dict
    of the change (``reason``, ``exclusion_reason``, ``suspended_until``,
    ``suspension_condition``), ``user`` the acting user (or None for the CLI). Return a list
    of translated messages refusing the change (empty or None to allow). Results merged;
    any message refuses the change with a 409 and nothing is written.
    """


@hookspec
def file_status_changed(file, old, new, reason, user):
    """Tenant-scoped. An event, called after a beneficiary file's status changed and its event
    was recorded (same transaction, before commit). Arguments as for
    :func:`validate_file_status_change`. Return value ignored; raising aborts the change.
    """


@hookspec
def person_aid_total(person):
    """Tenant-scoped. Called in the context of the tenant that holds ``person`` (a
    ``core.registry.Person``) — also for a partner tenant under a data-sharing agreement.

    Return the total aid, in halalas (int), the plugin or feature recorded for that
    person (head of household or member). Results of all implementations are summed;
    return ``None`` or ``0`` when there is nothing. Core's own implementation returns the
    disbursements recorded on the requests of the person's households in that tenant; a
    plugin returns only aid it keeps outside core's disbursements.
    """


@hookspec
def register_household_panels(household, file, user):
    """Tenant-scoped. Called by ``core.registry.panels.household_panels()`` when a household's
    page renders (``household`` a ``core.registry.Household``, ``file`` its beneficiary file,
    ``user`` the reader).

    Return a list of ``core.registry.panels.Panel(key, title, html, order)``: sections that
    features above the registry show on the household's page (core's ``aid`` answers with the
    household's aid requests and disbursements). ``html`` is rendered by the implementation
    (``render_template``); ``key`` is the section's HTML id. Results merged, sorted by
    ``order`` then plugin order; return ``[]`` to show nothing to this user.
    """


@hookspec
def register_request_panels(request, user):
    """Tenant-scoped. Called by ``core.requests.page.request_panels()`` when a request's staff
    page renders (``request`` the ``AidRequest``, ``user`` the reader).

    Return a list of ``core.registry.panels.Panel(key, title, html, order)`` (the toolkit's
    ``Panel``): a plugin's own record of the request shown inline on its page — an assessment
    with its result in words and the link to (re)do it. ``html`` is rendered by the
    implementation; ``key`` is the section's HTML id. Merged, sorted by ``order``; return
    ``[]`` to show nothing to this user.
    """


@hookspec
def request_household_data(request):
    """Tenant-scoped. Called by ``core.requests.services.registration_prefill`` when a household
    is registered from a request ("register a new household from the applicant's data").

    Return a dict of what the plugin's request fields hold for the household's file, as text the
    registration form takes: head fields named as the registry's (``national_id``, ``id_expiry``,
    ``nationality``, ``birth_date``, ``job``, ``monthly_income`` in riyals, ``national_address`` …),
    ``housing_tenure``, ``annual_rent`` (riyals), ``category``, and ``members``: a list of rows
    (``name`` or the four name parts, ``relationship`` in the registry's codes, ``job``,
    ``income`` in riyals, ``resides_with_head``, optional ``national_id``). Merged over core's
    applicant data (members concatenated); the registry checks every value and tells the user
    which it could not carry and why. Return ``{}`` or ``None`` when the request has none.
    """


@hookspec
def household_registration_source(args, user):
    """Tenant-scoped. Called by the registry's "register a household" page with its query
    arguments (``args``, a mapping) and the user, on every GET and POST of the page.

    A feature that starts a registration from one of its own records (core's ``requests``:
    ``?for_request=<id>``) returns a ``core.registry.panels.RegistrationSource(prefill, notice,
    link, done_url, done_message)`` when ``args`` names such a record: ``prefill`` (dict)
    starts the form, ``notice`` is shown above it, ``link(file, user)`` runs in the same
    transaction once the household is registered, then the page redirects to ``done_url``.
    Return ``None`` otherwise; raise ``NotFound``/``Forbidden``/``Conflict`` (``core.errors``)
    to refuse the record. The first non-``None`` answer wins.
    """


# --------------------------------------------------------------------------- requests and aid


@hookspec
def register_request_fields():
    """Tenant-scoped. Called by ``core.requests.services`` whenever a request is created or
    updated with ``extra`` data, and when the request form or view renders.

    Return a list of ``core.requests.RequestFields(namespace, schema, label)`` where
    ``schema`` is the plugin's marshmallow ``Schema`` class. ``request.extra[namespace]``
    is loaded (validated) by it; errors answer 422 under ``extra.<namespace>`` and nothing
    is written. Namespace = the plugin id. Results merged.
    """


@hookspec
def request_submitted(request):
    """Tenant-scoped. Event: called by ``core.requests.workflow.submit`` after a request got
    its number (the transaction is not yet committed; raising aborts the submission).
    ``request`` is the ``AidRequest``. Return value ignored.
    """


@hookspec
def request_transitioned(request, action, from_state, to_state, actor):
    """Tenant-scoped. Event: called by ``core.requests.workflow`` after every step of a
    request (core's and plugins' steps), once the step and its audit entry are recorded.
    ``action`` is the step name (``approve``, ``reject`` …), ``actor`` the ``User``.
    Return value ignored; a plugin cannot undo or hide the audit of a step.
    """


@hookspec
def validate_request_transition(request, action, actor, data):
    """Tenant-scoped. Rule hook: called by ``core.requests.workflow`` before every step,
    after core checked the role and the state, with the step's input ``data`` (a dict).

    Return a list of translated refusal messages (empty or None when the plugin has no
    objection). Results merged; any message refuses the step with 409 and nothing changes.
    """


@hookspec
def validate_request_submission(request):
    """Tenant-scoped. Rule hook: called by ``core.requests.services.submit`` (pages, API, portal)
    once the role, state and ``validate_request_transition`` checks passed, just before the
    request is submitted (gets its number or is resubmitted after a return). ``request`` is
    the ``AidRequest`` with its ``extra`` data.

    Return a dict ``{field: [translated messages]}`` — one entry per missing or invalid
    field of the plugin's mandatory data — or None/{} when the plugin has no objection.
    Results merged (messages of the same field concatenated); any error refuses the
    submission with 422 and those field errors, and nothing is written.

    Example::

        @hookimpl
        def validate_request_submission(request):
            data = request.extra.get("makkah_aid") or {}
            return {} if data.get("nationality") else {"nationality": [_("Enter the nationality.")]}
    """


@hookspec
def file_status_checked(file):
    """Tenant-scoped. Event: called by ``core.requests.links.file_status`` each time the
    workflow is about to rely on a linked beneficiary file's status (approval,
    disbursement, assessment), just before it reads ``file.status``.

    Lets a plugin bring the status up to date first through ``toolkit.change_file_status``
    (e.g. lift a timed suspension whose end date has passed), so the check sees the
    current status. Return value ignored; same transaction as the caller.
    """


@hookspec
def register_request_transitions():
    """Tenant-scoped. Called by ``core.requests.workflow.transitions()`` to build the
    transition table of the current tenant.

    Return a list of ``core.requests.Transition(action, sources, target, permission, label)``:
    extra steps the plugin adds (a target may be a new state of the plugin). Plugin steps go
    through the same checks, events and audit as core's; a plugin cannot replace a core step
    (an action declared by core keeps core's definition). Results merged.
    """


@hookspec
def assess_eligibility(request, file):
    """Tenant-scoped. Rule hook: called by ``core.requests.services.assess(request)`` for the
    committee page, the API and when a decision is recorded (the result is stored with it).
    ``file`` is the beneficiary file (or None when not linked yet).

    Return a list of ``core.requests.Check(code, label, outcome, reason, figures)`` with
    ``outcome`` one of ``pass``, ``fail``, ``needs_review`` and ``figures`` the numbers used
    (halalas for money). Results of all enabled plugins and core are merged into one list.
    """


@hookspec
def propose_aid_ceiling(request, file, catalog_item):
    """Tenant-scoped. Rule hook: called by ``core.requests.services.ceiling_for(request)``
    when the committee approves an amount.

    Return ``core.requests.Ceiling(amount_halalas, reason)`` or None. When any enabled
    plugin proposes a ceiling, the lowest plugin proposal applies; core's own proposal
    (the catalog item's default value, else the tenant's ``aid.default_ceiling_halalas``)
    applies only when no plugin proposes one. An approval above the ceiling needs the
    ``requests.override`` permission and a recorded reason.
    """


@hookspec
def disbursement_recorded(disbursement, request):
    """Tenant-scoped. Event: called by ``core.aid.services.record_disbursement`` after a
    disbursement and its audit entry are recorded (not yet committed). Return value ignored.
    """


@hookspec
def register_aid_catalog(tenant):
    """Tenant-scoped. Called by ``core.aid.services.install_default_catalog(tenant)`` (demo
    data, ``flask aid install-catalog``) to seed a tenant's catalog.

    Return a list of dicts with the fields of ``core.aid.CatalogItem`` (``code``, ``name_ar``,
    ``name_en``, ``kind``, ``unit``, ``default_value_halalas``, ``seasonal``, ``season``).
    Results merged; the first declaration of a code wins (plugins before core); existing
    items are never overwritten.
    """


@hookspec
def register_kpi_sources(tenant):
    """Tenant-scoped. Called by ``core.kpi.kpi_sources(tenant)`` (planning, KPI pages and the
    API) in the tenant's context.

    Return a list of ``core.toolkit.KpiSource(key, label, unit, compute)``: ``key`` is
    namespaced (``<plugin_id>.<name>``), ``label`` a lazy translated string, ``unit`` one of
    ``count``, ``halalas``, ``percent``, and ``compute(tenant, start_date, end_date)`` returns
    the figure for that period (inclusive) or None when there is nothing to measure.
    Results merged; the first declaration of a key wins.

    Example::

        @hookimpl
        def register_kpi_sources(tenant):
            return [KpiSource("prisoner_families.amount_forgiven", _l("Total amount forgiven"),
                              "halalas", rules.amount_forgiven)]
    """


@hookspec
def register_portal_policies(tenant):
    """Tenant-scoped. Called by ``core.portal.landing.policies(tenant)`` for the association's
    portal landing page, seen by visitors who are not logged in.

    Return a list of ``(title, text)`` pairs (lazily translated strings, plain words a visitor
    understands: who is served, what an application needs, how often aid can be renewed).
    Results merged, plugins' first; core's own (service area, documents, declaration) last.

    Example::

        @hookimpl
        def register_portal_policies(tenant):
            return [(_l("Renewal"), _l("Aid is renewed every six months on request."))]
    """


@hookspec
def register_notification_templates():
    """Tenant-scoped. Called by ``core.notifications.services.render`` for a template name
    core does not define.

    Return a dict ``{name: (subject, body)}`` of lazily translated strings with
    ``%(name)s`` placeholders (``%(tenant)s`` is always available). Names start with
    ``<plugin_id>_``. Results merged; core's templates and then the first declaration win.
    """


@hookspec
def notification_channels():
    """Tenant-scoped. Called by ``core.notifications.services`` when a message is queued
    and when the outbox is sent.

    Return a list of ``core.notifications.Channel(name, label, sender)`` where ``sender`` has
    ``send(message, tenant)`` raising on failure. Results merged; the first declaration of a
    name wins, so a plugin's ``sms`` sender replaces core's log-only one.
    """


# --------------------------------------------------------------------------- grievances


@hookspec
def register_grievance_categories():
    """Tenant-scoped. Called by ``core.grievances.services.categories()`` whenever the
    grievance form is shown or a grievance is filed.

    Return a list of dicts ``{"code", "label_ar", "label_en", "kind"}`` (``kind`` is
    ``grievance``, ``complaint`` or None for both). Core gives the seed's categories
    (a decision, a right diminished, service, staff conduct, a provider). Results merged;
    the first declaration of a code wins.
    """


@hookspec
def grievance_filed(grievance):
    """Tenant-scoped. Event: called by ``core.grievances.services.file_grievance`` after the
    grievance got its number and due date (the transaction is not yet committed; raising
    aborts the filing). ``grievance`` is the ``Grievance``. Return value ignored.
    Grievances are confidential: do not copy their content to places other roles can read.
    """


@hookspec
def grievance_decided(grievance):
    """Tenant-scoped. Event: called by ``core.grievances.services.decide`` after the decision
    (outcome, reason, action taken) is recorded and the complainant's message queued.
    Return value ignored.
    """


@hookspec
def validate_grievance(grievance):
    """Tenant-scoped. Rule hook: called by ``core.grievances.services.file_grievance`` after
    core's own refusals (name, contact number, filing window) passed, with the unsaved
    ``Grievance`` (no number yet).

    Return a dict ``{field: [translated messages]}`` of the plugin's admissibility refusals,
    or None/{} when it has no objection. Results merged; any error refuses the filing with
    422 and those field errors, and nothing is written.
    """


# --------------------------------------------------------------------------- calendar


@hookspec
def holidays_changed(tenant, added, removed):
    """Tenant-scoped. Event: called by ``core.admin.calendar`` when a tenant admin adds, moves
    or removes a holiday (the Eids move with the moon sighting), inside the transaction of the
    change. ``added`` and ``removed`` are the sorted ``date`` lists of days that became or
    stopped being holidays. Recompute what was counted in working days and stored (core's
    grievances recompute every open due date, each change audited). Return value ignored.
    """


# --------------------------------------------------------------------------- dashboard


@hookspec
def dashboard_cards(user, tenant):
    """Tenant-scoped. Called by the staff home page (``core.home``) for the logged-in member
    of staff ``user`` of ``tenant``.

    Return a list of ``core.toolkit.DashboardCard(key, title, count, items, url, order, tone)``
    — what waits for this user in the plugin's part of the work, e.g. "grievances assigned to
    you" — each with up to five ``DashboardItem(label, url, detail, days_waiting, overdue,
    number)``, its oldest. Check the user's permission yourself (``can``) and return ``[]``
    when nothing applies; answer with a fixed number of queries. Core's ``requests`` answers
    with the request cards (to research, to visit, to decide, to disburse, overdue …) and
    ``notifications`` with the unread messages. Results merged, sorted by ``order``.
    """
