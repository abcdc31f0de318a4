"""Hooks: policy documents (core.policies)."""

from __future__ import annotations

from ._markers import hookspec


@hookspec
def register_policy_areas(tenant):
    """Tenant-scoped. Called by ``core.policies.areas`` when a staff page asks which policy
    documents apply where it stands (the ``policy_links(area)`` macro of
    ``policies/_links.html``).

    Return a dict ``{area: (kind, ...)}``: a page area (a dotted name of your own, e.g.
    ``"crime_victims.case"``) and the policy kinds (``core.policies.KINDS``) that apply there.
    Core answers its own areas: ``requests.intake`` (the staff new-request page),
    ``requests.research`` (the research steps of a request) and ``requests.decision`` (the
    committee's decision). Merged: the kinds of one area from several plugins add up. The page
    links the versions in force today of those kinds; nothing when none is in force.
    """
