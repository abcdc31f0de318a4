"""The plugin's translation domain (``translations/<lang>/LC_MESSAGES/crime_victims.po``, compiled
by ``make translations``); strings it does not hold fall back to core's catalogue."""

from __future__ import annotations

from pathlib import Path

from core.toolkit import plugin_domain

domain = plugin_domain("crime_victims", str(Path(__file__).parent / "translations"))
_ = domain.gettext
_l = domain.lazy_gettext
