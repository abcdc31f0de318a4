"""Hooks: self-reliance placements shared between plugins (families placed in school canteens and
exhibitions), so a figure built from several plugins counts each family once."""

from __future__ import annotations

from ._markers import hookspec


@hookspec
def collect_self_reliance_placements(start, end):
    """Tenant-scoped. Called by a KPI that counts families placed for self-reliance (e.g.
    ``prisoner_families.self_reliant_families``) for the days ``start``..``end`` (inclusive).

    Return a list of ``(household_id, kind)`` pairs, one per placement the plugin recorded in the
    period, ``kind`` being ``"school_canteen"`` or ``"exhibition"`` (a booth at an exhibition held
    in the period). Results merged; the caller counts distinct households, so a family placed by
    two plugins counts once.
    """
