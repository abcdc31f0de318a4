"""What every service module of the plugin shares: its id, the tenant's settings, the audit."""

from __future__ import annotations

from typing import Any

from core.toolkit import audit_record, plugin_settings

PLUGIN_ID = "productive_families"


def settings() -> dict:
    """The tenant's settings of the plugin (``settings.SettingsSchema``, seed values as defaults)."""
    return plugin_settings(PLUGIN_ID)


def audit(action: str, obj: Any, details: dict | None = None, actor: Any = None) -> None:
    """Audit ``productive_families.<action>`` on ``obj`` (codes and field names only, never text)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    audit_record(f"{PLUGIN_ID}.{action}", type(obj).__name__, obj.id, details or {}, user=user)
