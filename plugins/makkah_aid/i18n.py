"""The plugin's translation domain (falls back to core's catalogue)."""

from __future__ import annotations

from pathlib import Path

from core.toolkit import plugin_domain

_domain = plugin_domain("makkah_aid", str(Path(__file__).parent / "translations"))
_ = _domain.gettext
_l = _domain.lazy_gettext
ngettext = _domain.ngettext
