"""Translation catalogues: one per core feature folder and one per plugin (its own domain).

    python scripts/i18n.py update core/registry      # extract + merge into core/registry/translations
    python scripts/i18n.py update plugins/makkah_aid  # domain = makkah_aid
    python scripts/i18n.py missing                   # list msgids without an Arabic translation

A folder's catalogue covers the strings of the files in that folder; ``core/`` itself
covers the files not inside a feature folder that has its own ``translations/``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def extract(folder: Path) -> dict[str | tuple[str, str], list[str]]:
    """``{msgid: [places]}``; an ``ngettext`` message's key is ``(singular, plural)``."""
    keep = owned_files(folder)
    found: dict[str | tuple[str, str], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
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
            found.setdefault(msgid, []).append(f"{filename}:{lineno}")
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
        for msgid, places in extract(folder).items():
            entry = cat.get(msgid[0] if isinstance(msgid, tuple) else msgid) if cat else None
            translated = entry is not None and (
                all(entry.string) if isinstance(entry.string, tuple | list) else bool(entry.string)
            )
            if not translated or entry.fuzzy:
                problems.setdefault(str(folder.relative_to(ROOT)), []).append(f"{msgid!r} ({places[0]})")
    return problems


def update(folder: Path) -> None:
    folder = folder.resolve()
    domain = domain_of(folder)
    tdir = folder / "translations"
    tdir.mkdir(exist_ok=True)
    pot = tdir / f"{domain}.pot"
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    template = Catalog(project="charity-platform", domain=domain)
    for msgid, places in extract(folder).items():
        template.add(msgid, locations=[(p.rsplit(":", 1)[0], int(p.rsplit(":", 1)[1])) for p in places])
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
    else:
        print(__doc__)
        sys.exit(2)
