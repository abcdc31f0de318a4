"""``flask plugins new <id>``: a new plugin's package, ready to run and to grow.

The files come from ``template/`` (this folder): paths and contents are ``string.Template``
texts (``$plugin_id``, ``${plugin_id}_…``; ``__id__`` in a path is the id), each written without
its ``.tmpl`` suffix. What comes out is a working plugin laid out like the shipped ones — a
per-tenant list of notes with its page, API, permissions, audited writes, table and Alembic
branch, settings, translations, demo data, a command and its own tests (docs/plugins.md).
"""

from __future__ import annotations

import importlib.util
import keyword
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from string import Template

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TEMPLATE_DIR = Path(__file__).resolve().parent / "template"
CORE_MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations" / "versions"
# Tables and constraint names start with the id; PostgreSQL cuts names at 63 characters.
MAX_ID_LENGTH = 30
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class ScaffoldError(ValueError):
    """The plugin cannot be generated (the message says why)."""


def check_id(plugin_id: str, target: Path, taken: set[str] = frozenset()) -> None:
    """Refuse an id that is not a lowercase Python identifier, is too long, names an installed
    plugin (or a command of ``flask``), would shadow a module that can be imported (the standard
    library, an installed package), or whose folder exists."""
    if not ID_RE.match(plugin_id) or not plugin_id.isidentifier() or keyword.iskeyword(plugin_id):
        raise ScaffoldError(
            f"{plugin_id!r} is not a valid plugin id: use a lowercase Python identifier "
            "(letters a-z, digits and underscores, starting with a letter), e.g. 'visit_reports'."
        )
    if len(plugin_id) < 2 or len(plugin_id) > MAX_ID_LENGTH:
        raise ScaffoldError(
            f"{plugin_id!r}: a plugin id has 2 to {MAX_ID_LENGTH} characters (its tables and "
            "constraints are named after it)."
        )
    if plugin_id in taken:
        raise ScaffoldError(f"{plugin_id!r} is already taken: an installed plugin or a `flask` command.")
    if plugin_id in sys.stdlib_module_names:
        raise ScaffoldError(f"{plugin_id!r} is a module of Python's standard library: choose another id.")
    if importlib.util.find_spec(plugin_id) is not None:
        raise ScaffoldError(f"{plugin_id!r} is already an importable module (a package or a library).")
    if (target / plugin_id).exists():
        raise ScaffoldError(f"{target / plugin_id} already exists: choose another id or folder.")


def plugins_folder() -> Path:
    """The folder of the ``plugins`` package, where core discovers built-in plugins."""
    spec = importlib.util.find_spec("plugins")
    return Path(next(iter(spec.submodule_search_locations)))


def core_head(versions: Path = CORE_MIGRATIONS) -> str:
    """Core's newest migration: the plugin's first migration depends on it."""
    revisions: dict[str, str | None] = {}
    for file in versions.glob("*.py"):
        text = file.read_text(encoding="utf-8")
        revision = re.search(r"^revision = ['\"]([^'\"]+)['\"]", text, flags=re.M)
        down = re.search(r"^down_revision = ['\"]([^'\"]+)['\"]", text, flags=re.M)
        if revision:
            revisions[revision.group(1)] = down.group(1) if down else None
    heads = set(revisions) - {down for down in revisions.values() if down}
    if len(heads) != 1:
        raise ScaffoldError(f"core's migrations have {len(heads)} heads ({sorted(heads)}); expected one")
    return heads.pop()


def scaffold(
    plugin_id: str,
    target: Path,
    *,
    name_ar: str | None = None,
    name_en: str | None = None,
    taken: set[str] = frozenset(),
) -> list[Path]:
    """Write the plugin ``target/<plugin_id>/``; the paths written. Nothing is written on error."""
    target = Path(target)
    check_id(plugin_id, target, taken)
    words = plugin_id.replace("_", " ").strip()
    values = {
        "plugin_id": plugin_id,
        "name_en": _quoted(name_en or words.capitalize()),
        "name_ar": _quoted(name_ar or f"إضافة {words}"),
        "core_head": core_head(),
        "created": datetime.now(UTC).strftime("%Y-%m-%d"),
    }
    rendered: list[tuple[Path, str]] = []
    for source in sorted(TEMPLATE_DIR.rglob("*.tmpl")):
        relative = source.relative_to(TEMPLATE_DIR).with_suffix("")
        path = target / plugin_id / str(relative).replace("__id__", plugin_id)
        rendered.append((path, Template(source.read_text(encoding="utf-8")).substitute(values)))
    written = []
    for path, text in rendered:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    compile_translations(target / plugin_id)
    return written


def compile_translations(plugin_dir: Path) -> None:
    """The ``.mo`` of each ``.po`` of the plugin (what ``make translations`` does), so the new
    plugin speaks Arabic at once."""
    for po in sorted((plugin_dir / "translations").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        with po.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog)


def _quoted(text: str) -> str:
    """A name as it may stand inside double quotes in Python and .po files."""
    if any(ch in text for ch in '"\\\n$'):
        raise ScaffoldError(f"{text!r}: a plugin name may not hold quotes, backslashes, '$' or line breaks")
    return text
