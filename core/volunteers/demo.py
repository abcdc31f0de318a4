"""Demo volunteers for one tenant (idempotent): filled in with the rest of the module."""

from __future__ import annotations


def load(tenant) -> None:
    return None
