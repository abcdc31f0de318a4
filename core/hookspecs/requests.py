"""Hooks: requests and aid."""

from __future__ import annotations

from ._markers import hookspec


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
    An item may be a mapping ``{field: [messages]}`` (or the answer one mapping) when the
    step's input is wrong: the step is refused with 422 and those field errors, after any 409.
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
    (an action declared by core keeps core's definition). Results merged. Each step gets a
    button on the staff request page (a note box with ``note_label``, a confirmation page
    with ``confirm``) and is taken through ``POST …/requests/<id>/steps/<action>``. A
    declaration: called once per set of enabled plugins and kept for the life of the app, so
    return the same steps every time.
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
def approval_override_reasons(request):
    """Tenant-scoped. Called by ``core.requests.page.override_reasons`` when the committee's
    approval form is shown for ``request`` (an ``AidRequest`` in committee).

    Return a list of translated stated reasons the committee may cite to approve above the
    ceiling (e.g. a documented circumstance of the household); they are offered beside the
    free-text reason, and whichever is given is recorded and audited as the override reason.
    Results merged (duplicates dropped).
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
