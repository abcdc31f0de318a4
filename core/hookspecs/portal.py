"""Hooks: the applicant's portal."""

from __future__ import annotations

from ._markers import hookspec


@hookspec
def register_portal_request_panels(request, user):
    """Tenant-scoped. Called by ``core.portal.views`` when an applicant's own request page renders
    on the portal (``request`` the ``AidRequest``, ``user`` the applicant).

    Return a list of ``core.registry.panels.Panel(key, title, html, order)`` (the toolkit's
    ``Panel``): what a plugin tells the applicant about their request (e.g. crime_victims: the
    date the research committee is expected to answer). Only what the applicant may read: the
    page is theirs. Merged, sorted by ``order``; ``[]`` shows nothing.
    """
