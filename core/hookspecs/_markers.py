"""The pluggy markers of the platform; one place so every hook module shares them."""

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
