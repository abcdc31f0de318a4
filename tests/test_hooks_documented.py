"""Every hook in core/hookspecs.py is documented in docs/plugin_hooks.md (Datasette's idea)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from core import hookspecs

DOC = Path(__file__).resolve().parent.parent / "docs" / "plugin_hooks.md"


def declared_hooks() -> set[str]:
    return {
        name
        for name, obj in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(obj, "charity_platform_spec")
    }


def test_every_hook_is_documented():
    documented = set(re.findall(r"^## (\w+)", DOC.read_text(encoding="utf-8"), flags=re.M))
    missing = declared_hooks() - documented
    assert not missing, f"hooks missing from docs/plugin_hooks.md: {sorted(missing)}"


def test_every_hook_has_a_contract_docstring():
    for name in declared_hooks():
        doc = inspect.getdoc(getattr(hookspecs, name)) or ""
        assert ("Global." in doc) or ("Tenant-scoped." in doc), (
            f"{name}: say whether it is global or tenant-scoped"
        )


def test_there_are_hooks():
    assert {"register_permissions", "register_blueprints"} <= declared_hooks()
