"""Translated pages: the text a reader sees, raw codes in it, and the English messages of the
catalogues left on an Arabic page."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po
from flask import Flask

from core.plugins import get_host


class _VisibleText(HTMLParser):
    """The text a reader sees: element text outside script/style/template, plus the attributes
    that are read out or shown (title, placeholder, alt, aria-label, value of buttons)."""

    HIDDEN = {"script", "style", "template", "noscript"}
    SHOWN_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        attributes = dict(attrs)
        for name in self.SHOWN_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


_ADDRESS_RE = re.compile(r"\S+@\S+|\w+://\S+|/\S*")
SNAKE_CASE_RE = re.compile(r"(?<![\w.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])")


def raw_codes(text: str) -> list[str]:
    """snake_case words in visible text — a choice code or a key shown instead of its label
    (e-mail addresses, URLs and paths set aside)."""
    return sorted(set(SNAKE_CASE_RE.findall(_ADDRESS_RE.sub(" ", text))))


def catalogue_messages(paths: Iterable[Path]) -> set[str]:
    """The English messages of ``.po`` catalogues that have an Arabic translation and are long
    enough (two words or more) not to be mistaken for a name or a code."""
    messages: set[str] = set()
    for path in paths:
        with path.open("rb") as handle:
            for message in read_po(handle):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                if not message.id or not message.string or "%(" in "".join(ids):
                    continue
                messages.update(text for text in ids if " " in text.strip() and len(text) >= 8)
    return messages


def arabic_catalogues(app: Flask, plugin_id: str) -> list[Path]:
    """The Arabic ``.po`` files of the plugin and of core (the layout around its pages)."""
    plugin = get_host(app).plugins[plugin_id]
    roots = [Path(app.root_path)]
    if plugin.path:
        roots.append(plugin.path)
    return sorted(p for root in roots for p in root.glob("**/translations/ar/LC_MESSAGES/*.po"))


def untranslated(text: str, messages: set[str]) -> list[str]:
    """English messages of the catalogues that appear, whole, in an Arabic page's visible text."""
    lines = set(text.splitlines())
    return sorted(m for m in messages if m in lines)


def page_problems(html: str, language: str, messages: set[str] = frozenset()) -> list[str]:
    """What is wrong with a page served in ``language`` (``ar`` or ``en``)."""
    direction = "rtl" if language == "ar" else "ltr"
    found = []
    head = html[: html.find(">", html.find("<html")) + 1] if "<html" in html else ""
    if f'lang="{language}"' not in head or f'dir="{direction}"' not in head:
        found.append(f'<html> is {head!r}, expected lang="{language}" dir="{direction}"')
    text = visible_text(html)
    found += [f"raw code {code!r} in the visible text" for code in raw_codes(text)]
    if language == "ar":
        found += [f"English message {m!r} on the Arabic page" for m in untranslated(text, messages)]
    return found
