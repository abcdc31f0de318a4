"""Hooks: grievances."""

from __future__ import annotations

from ._markers import hookspec


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
