"""Aid builds on requests, never the other way round; no package reaches into another's
private names (issue 11)."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"


def _imports(package: str):
    for path in sorted((CORE / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                yield path, node


def test_requests_never_imports_aid():
    offending = [
        f"{path.relative_to(CORE)}:{node.lineno}"
        for path, node in _imports("requests")
        if (node.level == 2 and (node.module or "").split(".")[0] == "aid")
        or (node.level == 0 and (node.module or "").startswith("core.aid"))
    ]
    assert not offending, offending


def test_requests_aid_and_notifications_import_no_private_names_of_other_packages():
    offending = [
        f"{path.relative_to(CORE)}:{node.lineno} {alias.name}"
        for package in ("requests", "aid", "notifications")
        for path, node in _imports(package)
        if node.level >= 2 or (node.level == 0 and (node.module or "").startswith("core."))
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert not offending, offending
