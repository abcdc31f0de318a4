"""Translation catalogues: one per core feature folder and one per plugin (its own domain).

    python scripts/i18n.py update core/registry      # extract + merge into core/registry/translations
    python scripts/i18n.py update plugins/makkah_aid  # domain = makkah_aid
    python scripts/i18n.py missing                   # list msgids without an Arabic translation
    python scripts/i18n.py conflicts                 # msgids one domain translates two ways

A folder's catalogue covers the strings of the files in that folder; ``core/`` itself
covers the files not inside a feature folder that has its own ``translations/``. Each such
folder is a domain of its own at run time (core.i18n: a string is looked up in the catalogue of
the file it is written in), falling back to ``core/``'s catalogue. The same English may mean two
things: ``pgettext("context", "…")`` (``npgettext``, ``lazy_pgettext``) keeps them apart.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
    "markup_gettext": None,
    "_l": None,
    "lazy_gettext": None,
    "N_": None,
    "pgettext": ((1, "c"), 2),
    "lazy_pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}

METHOD_MAP = [("**/static/**", "ignore"), ("**.py", "python"), ("**/templates/**.html", "jinja2")]


def catalogue_folders() -> list[Path]:
    folders = [ROOT / "core"]
    folders += sorted(p.parent for p in (ROOT / "core").glob("*/translations"))
    folders += sorted(p.parent for p in (ROOT / "plugins").glob("*/translations"))
    return folders


def domain_of(folder: Path) -> str:
    return folder.name if folder.parent.name == "plugins" else "messages"


def owned_files(folder: Path) -> callable:
    """Files of ``folder`` minus sub-folders that keep their own catalogue."""
    others = [f for f in catalogue_folders() if f != folder and folder in f.parents]

    def keep(path: str) -> bool:
        full = (folder / path).resolve()
        return not any(other in full.parents for other in others)

    return keep


def extract(folder: Path) -> dict[tuple[str | None, str | tuple[str, str]], list[str]]:
    """``{(context, msgid): [places]}``; an ``ngettext`` message's msgid is ``(singular, plural)``,
    the context None but for ``pgettext``/``npgettext``."""
    keep = owned_files(folder)
    found: dict[tuple[str | None, str | tuple[str, str]], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        folder,
        METHOD_MAP,
        keywords=KEYWORDS,
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        if not keep(filename):
            continue
        msgid = tuple(message[:2]) if isinstance(message, tuple) and message[1] else message
        msgid = msgid[0] if isinstance(msgid, tuple) and len(msgid) == 1 else msgid
        if isinstance(msgid, tuple) and not msgid[1]:
            msgid = msgid[0]
        if msgid:
            found.setdefault((context, msgid), []).append(f"{filename}:{lineno}")
    return found


def catalogue(folder: Path, lang: str = "ar"):
    po = folder / "translations" / lang / "LC_MESSAGES" / f"{domain_of(folder)}.po"
    if not po.exists():
        return None
    with po.open("rb") as handle:
        return read_po(handle, locale=lang)


def missing() -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for folder in catalogue_folders():
        cat = catalogue(folder)
        for (context, msgid), places in extract(folder).items():
            entry = cat.get(msgid[0] if isinstance(msgid, tuple) else msgid, context=context) if cat else None
            translated = entry is not None and (
                all(entry.string) if isinstance(entry.string, tuple | list) else bool(entry.string)
            )
            if not translated or entry.fuzzy:
                shown = f"{msgid!r} [{context}]" if context else repr(msgid)
                problems.setdefault(str(folder.relative_to(ROOT)), []).append(f"{shown} ({places[0]})")
    return problems


def domains() -> dict[str, list[Path]]:
    """Each domain and the catalogues a lookup in it may reach, in order: a core feature's or a
    plugin's own, then core's (its fallback, which also translates the layout, forms and errors
    of its pages); core's alone."""
    core = ROOT / "core"
    return {str(f.relative_to(ROOT)): [f] if f == core else [f, core] for f in catalogue_folders()}


def conflicts(chains: dict[str, list[Path]] | None = None, lang: str = "ar") -> dict[str, list[str]]:
    """Msgids (with their context) that the catalogues of one domain translate in two ways: the
    same English would show two words on one screen. Different meanings take a context."""
    found: dict[str, list[str]] = {}
    for name, folders in (chains or domains()).items():
        seen: dict[tuple, dict[str, Any]] = {}
        for folder in folders:
            for message in catalogue(folder, lang) or ():
                strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
                if message.id and not message.fuzzy and all(strings):
                    key = (message.context, message.id if isinstance(message.id, str) else tuple(message.id))
                    seen.setdefault(key, {})[str(folder.relative_to(ROOT))] = tuple(strings)
        for (context, msgid), where in sorted(seen.items(), key=lambda item: str(item[0])):
            if len(set(where.values())) > 1:
                words = "; ".join(f"{folder}: {' / '.join(strings)}" for folder, strings in where.items())
                found.setdefault(name, []).append(
                    f"{msgid!r}" + (f" [{context}]" if context else "") + f": {words}"
                )
    return found


def update(folder: Path) -> None:
    folder = folder.resolve()
    domain = domain_of(folder)
    tdir = folder / "translations"
    tdir.mkdir(exist_ok=True)
    pot = tdir / f"{domain}.pot"
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    template = Catalog(project="charity-platform", domain=domain)
    for (context, msgid), places in extract(folder).items():
        locations = [(p.rsplit(":", 1)[0], int(p.rsplit(":", 1)[1])) for p in places]
        template.add(msgid, locations=locations, context=context)
    with pot.open("wb") as handle:
        write_po(handle, template, omit_header=False, sort_output=True)
    for lang in ("ar", "en"):
        po = tdir / lang / "LC_MESSAGES" / f"{domain}.po"
        command = "update" if po.exists() else "init"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "babel.messages.frontend",
                command,
                "-i",
                str(pot),
                "-d",
                str(tdir),
                "-D",
                domain,
                "-l",
                lang,
                *(["--no-fuzzy-matching"] if command == "update" else []),
            ],
            check=True,
            capture_output=True,
        )
    pot.unlink()


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "update":
        update(ROOT / sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "missing":
        result = missing()
        for folder, items in result.items():
            print(f"{folder}: {len(items)} untranslated")
            for item in items:
                print("   ", item)
        sys.exit(1 if result else 0)
    elif len(sys.argv) == 2 and sys.argv[1] == "conflicts":
        result = conflicts()
        for domain, items in result.items():
            print(f"{domain}: {len(items)} msgids translated two ways")
            for item in items:
                print("   ", item)
        sys.exit(1 if result else 0)
    else:
        print(__doc__)
        sys.exit(2)
