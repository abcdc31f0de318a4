"""Core's own hook implementations: one ``hooks.py`` per feature, each registered as a built-in."""

from __future__ import annotations

import ast
from pathlib import Path

import core

CORE_DIR = Path(core.__file__).resolve().parent
FEATURES_WITH_HOOKS = {
    "core.aid",
    "core.audit",
    "core.documents",
    "core.grievances",
    "core.notifications",
    "core.planning",
    "core.policies",
    "core.surveys",
    "core.supporters",
    "core.portal",
    "core.registry",
    "core.requests",
    "core.volunteers",
}


def _decorator_name(decorator: ast.expr) -> str | None:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return target.id if isinstance(target, ast.Name) else None


def _modules_with_hookimpls() -> set[str]:
    """Dotted names of the core modules that define a function decorated with ``@hookimpl``."""
    found = set()
    for path in CORE_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(
            isinstance(node, ast.FunctionDef) and "hookimpl" in map(_decorator_name, node.decorator_list)
            for node in ast.walk(tree)
        ):
            found.add(".".join(path.relative_to(CORE_DIR.parent).with_suffix("").parts))
    return found


def test_every_module_of_built_in_hook_implementations_is_named_hooks():
    modules = _modules_with_hookimpls()
    assert {f"{feature}.hooks" for feature in FEATURES_WITH_HOOKS} | {"core.hooks"} == modules


def test_every_features_hooks_module_is_registered_as_a_built_in(app):
    features = {name for name in core.CORE_FEATURES if (CORE_DIR / name.split(".")[1] / "hooks.py").exists()}
    assert features == FEATURES_WITH_HOOKS
    registered = [module.__name__ for module in app.extensions["charity_plugins"].builtins]
    assert sorted(registered) == sorted(_modules_with_hookimpls())  # each one, once
