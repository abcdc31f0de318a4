"""What features above the registry add to its pages, asked through hooks.

The registry is a lower layer than ``requests`` and ``aid``: it never imports them. A
household's page shows the sections those features answer to ``register_household_panels``
(core's ``aid`` answers with the aid history), and the "register a household" page starts
from another feature's record when one answers ``household_registration_source`` (core's
``requests``: ``?for_request=<id>``) — Datasette's built-in-plugins idea.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..plugins import tenant_hooks


@dataclass(frozen=True)
class Panel:
    """One section of a page a hook adds to (a household's, a request's): ``key`` is its HTML
    id, ``html`` its rendered body."""

    key: str
    title: str
    html: Markup
    order: int = 100


@dataclass(frozen=True)
class RegistrationSource:
    """A record a household registration starts from, and what happens once it is registered."""

    prefill: dict = field(default_factory=dict)
    notice: str = ""
    link: Callable[[Any, Any], Any] | None = None  # link(file, user), in the registration's transaction
    done_url: str | None = None
    done_message: str | None = None
    # What the record held that the form could not take (``registry.services.NotCarried``).
    not_carried: list = field(default_factory=list)


def merge_panels(found: list) -> list[Panel]:
    """One page's panels from a panels hook's answers (lists, in plugin order), by ``order``;
    the same for every page a hook adds sections to (a household's, a request's)."""
    panels = [panel for group in reversed(found) for panel in (group or [])]
    return sorted(panels, key=lambda panel: panel.order)


def household_panels(household: Any, file: Any, user: Any) -> list[Panel]:
    """The sections every enabled feature adds to ``household``'s page, by ``order``."""
    return merge_panels(tenant_hooks().register_household_panels(household=household, file=file, user=user))


def registration_source(args: Mapping[str, str], user: Any) -> RegistrationSource | None:
    """The record named by the registration page's query arguments, if a feature claims one
    (plugins are asked before core's built-in answers)."""
    for answer in tenant_hooks().household_registration_source(args=args, user=user):
        if answer is not None:
            return answer
    return None
