"""The plugin author's documentation holds: every hook in core/hookspecs/ is documented in
docs/plugin_hooks.md with its exact signature (Datasette's idea), every command of ``flask`` —
core's groups and every plugin's — has help, and the commands docs/plugins.md names exist."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import click

from core import hookspecs

DOCS = Path(__file__).resolve().parent.parent / "docs"
DOC = DOCS / "plugin_hooks.md"
GUIDE = DOCS / "plugins.md"


def declared_hooks() -> set[str]:
    return {
        name
        for name, obj in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(obj, "charity_platform_spec")
    }


def documented_signatures() -> dict[str, list[str] | None]:
    """``## <hook>`` → the parameters of the first ``<hook>(…)`` written in its section."""
    found: dict[str, list[str] | None] = {}
    for section in re.split(r"^## ", DOC.read_text(encoding="utf-8"), flags=re.M)[1:]:
        name = section.split(None, 1)[0]
        call = re.search(rf"`{re.escape(name)}\(([^)]*)\)", section)
        found[name] = [p.strip() for p in call.group(1).split(",") if p.strip()] if call else None
    return found


def commands(group: click.Group, path: tuple[str, ...] = ()):
    """Every command under ``group``, recursively, with its path."""
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


def test_every_hook_is_documented():
    documented = set(documented_signatures())
    missing = declared_hooks() - documented
    assert not missing, f"hooks missing from docs/plugin_hooks.md: {sorted(missing)}"
    stale = documented - declared_hooks()
    assert not stale, (
        f"docs/plugin_hooks.md documents hooks core/hookspecs/ does not declare: {sorted(stale)}"
    )


def test_every_documented_signature_matches_the_hookspec():
    documented = documented_signatures()
    wrong = {}
    for name in sorted(declared_hooks()):
        expected = list(inspect.signature(getattr(hookspecs, name)).parameters)
        if documented.get(name) != expected:
            wrong[name] = f"write `{name}({', '.join(expected)})`, found {documented.get(name)}"
    assert not wrong, f"docs/plugin_hooks.md: {wrong}"


def test_every_hook_has_a_contract_docstring():
    for name in declared_hooks():
        doc = inspect.getdoc(getattr(hookspecs, name)) or ""
        assert ("Global." in doc) or ("Tenant-scoped." in doc), (
            f"{name}: say whether it is global or tenant-scoped"
        )


def test_there_are_hooks():
    assert {"register_permissions", "register_blueprints"} <= declared_hooks()


def test_every_command_of_core_and_of_the_plugins_has_help(app):
    found = dict(commands(app.cli))
    assert {("plugins", "new"), ("makkah_aid", "tick"), ("dummy", "greet")} <= set(found)
    missing = [" ".join(path) for path, command in found.items() if not (command.help or command.short_help)]
    assert missing == [], f"commands without help (give each a docstring): {missing}"


def test_the_commands_the_plugin_guide_names_exist(app):
    found = {" ".join(path): command for path, command in commands(app.cli)}
    named = set()
    for line in re.findall(r"flask (?:--app wsgi )?([a-z_][a-z_ -]*)", GUIDE.read_text(encoding="utf-8")):
        words = [w for w in line.split() if not w.startswith("-")]
        # The longest prefix that is a command; what follows are its arguments (a group takes none).
        sizes = [n for n in range(len(words), 0, -1) if " ".join(words[:n]) in found]
        command = found[" ".join(words[: sizes[0]])] if sizes else None
        if command is None or (isinstance(command, click.Group) and sizes[0] < len(words)):
            raise AssertionError(f"docs/plugins.md names `flask {line.strip()}`, which is no command")
        named.add(" ".join(words[: sizes[0]]))
    assert {"plugins new", "plugins enable", "db upgrade", "tenants apply", "demo load"} <= named
