"""Hooks: registry."""

from __future__ import annotations

from ._markers import hookspec


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
