"""Words, not codes: every page of the demo data, as each role sees it, in Arabic and in English,
shows no snake_case code, dotted event code, Python repr or raw JSON in its visible text.

The demo data of two associations (makkah with the makkah_aid plugin, aoun-prisoners with
prisoner_families) is loaded as ``flask demo load`` does; each role of both and the platform admin
log in, and the pages reachable from the menu and from links on those pages are fetched (bounded:
a few URLs per URL shape, each URL once per user). Visible text is what a person reads: the text
of the page without scripts, styles and attribute values. E-mail addresses and web addresses are
data, not codes, and are taken out before the check.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from core.auth.models import TENANT_ROLES
from core.demo import DEMO_PASSWORD, PLATFORM_ADMIN_EMAIL, demo_email
from core.extensions import limiter

ROOT = Path(__file__).resolve().parent.parent
TENANTS = ("makkah", "aoun-prisoners")
# URLs fetched per URL shape (digits replaced) and user, and pages per user: bounded so the sweep
# runs in the normal suite; ``SWEEP_PER_SHAPE=10 SWEEP_MAX_PAGES=400`` for a deeper look.
PER_SHAPE = int(os.environ.get("SWEEP_PER_SHAPE", "3"))
MAX_PAGES_PER_USER = int(os.environ.get("SWEEP_MAX_PAGES", "60"))

# Links that are not pages to read: downloads, exports, the API, the language switch, static files.
SKIPPED = re.compile(r"/(api|static|lang|files|download|logout)(/|$)|\.(csv|xlsx|pdf|png|jpe?g)$|/export")

SNAKE_CASE = re.compile(r"(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])")
DOTTED_CODE = re.compile(r"(?<![\w.@/-])[a-z_]{2,}(?:\.[a-z_]{2,})+(?![\w@/-])")
PYTHON_REPR = re.compile(
    r"\[\s*'|'\s*\]|\{\s*'|\{\s*\"|\"\s*:\s*[\"\d\[{]|<[A-Z]\w+[ >]"
    r"|\b[A-Z][a-z]+[A-Z]\w*\s+#?\d+\b"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:org|com|sa|net)\b")
# Python's None/True/False: words of their own in English, never on an Arabic page.
PYTHON_CONSTANTS = re.compile(r"\b(?:None|True|False)\b")
FILE_NAME = re.compile(r"\b[\w-]+\.(?:pdf|png|jpe?g|csv|xlsx|txt)\b", re.IGNORECASE)


VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


class VisibleText(HTMLParser):
    """The visible text and the links of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden_tag: str | None = None  # the element whose content is hidden, while inside it
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        # Hidden: scripts and styles; and an identifier marked ``translate="no"`` (HTML's "do not
        # translate this"): a catalog code or plugin id an admin types and sees as such.
        if self._hidden_tag is not None:
            self._depth += tag == self._hidden_tag
        elif tag not in VOID and (
            tag in ("script", "style", "template") or dict(attrs).get("translate") == "no"
        ):
            self._hidden_tag, self._depth = tag, 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag == self._hidden_tag:
            self._depth -= 1
            if not self._depth:
                self._hidden_tag = None

    def handle_data(self, data):
        if self._hidden_tag is None and data.strip():
            self.text.append(data.strip())


def codes_in(text: str, lang: str = "ar") -> list[str]:
    """The codes, reprs and JSON fragments a person would see in ``text``."""
    text = FILE_NAME.sub(" ", WEB_ADDRESS.sub(" ", EMAIL.sub(" ", text)))
    found = SNAKE_CASE.findall(text) + DOTTED_CODE.findall(text)
    found += [match.group(0) for match in PYTHON_REPR.finditer(text)]
    if lang == "ar":
        found += PYTHON_CONSTANTS.findall(text)
    return found


def shape_of(url: str) -> str:
    parts = urlsplit(url)
    keys = ",".join(sorted(key for key, _ in parse_qsl(parts.query)))
    return re.sub(r"\d+", "#", parts.path) + ("?" + keys if keys else "")


def _with_language(url: str, lang: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return parts.path + "?" + urlencode([*query, ("lang", lang)])


def crawl(client, start: str, scope: str) -> tuple[dict[str, list[str]], int]:
    """Fetch the pages under ``scope`` reachable from ``start``: {url (lang): codes seen}, pages."""
    problems: dict[str, list[str]] = {}
    queue, seen = [start], {start}
    per_shape: dict[str, int] = defaultdict(int)
    fetched = 0
    while queue and fetched < MAX_PAGES_PER_USER:
        url = queue.pop(0)
        links: list[str] = []
        for lang in ("ar", "en"):
            response = client.get(_with_language(url, lang))
            assert response.status_code < 500, f"{url} ({lang}): {response.status_code}"
            if response.status_code != 200 or response.mimetype != "text/html":
                break
            page = VisibleText()
            page.feed(response.get_data(as_text=True))
            codes = codes_in("\n".join(page.text), lang)
            if codes:
                problems[f"{url} ({lang})"] = sorted(set(codes))
            links = links or page.links
        fetched += 1
        if os.environ.get("SWEEP_TRACE"):
            print("CRAWL", url)
        for href in links:
            target = urlsplit(href)
            if target.scheme or target.netloc or not target.path.startswith(scope):
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            link = _with_language(link, "x").removesuffix("lang=x").rstrip("?&")
            if link in seen or SKIPPED.search(target.path):
                continue
            seen.add(link)
            if per_shape[shape_of(link)] >= PER_SHAPE:
                continue
            per_shape[shape_of(link)] += 1
            queue.append(link)
    return problems, fetched


@pytest.fixture
def demo_data(demo_tenants):
    demo_tenants(*TENANTS)


def _users() -> list[tuple[str, str]]:
    users = [(PLATFORM_ADMIN_EMAIL, "/admin/")]
    users += [(demo_email(role, slug), f"/t/{slug}/") for slug in TENANTS for role in TENANT_ROLES]
    return users


@pytest.mark.usefixtures("demo_data")
def test_no_page_of_the_demo_data_shows_a_code_in_either_language(app):
    problems: dict[str, list[str]] = {}
    pages = 0
    for email, scope in _users():
        limiter.reset()  # seventeen logins from one address: the login rate limit is not under test
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        start = "/admin/" if scope == "/admin/" else scope
        found, fetched = crawl(client, start, scope)
        pages += fetched
        problems.update({f"{email}: {where}": codes for where, codes in found.items()})
    assert pages > 100
    assert not problems, "\n".join(f"{where}: {codes}" for where, codes in sorted(problems.items()))


@pytest.mark.parametrize(
    "text",
    [
        "false_information",
        "registry.person.searched",
        "committee_member (makkah)",
        "['a', 'b']",
        "{'key': 1}",
        '{"amount": 150000}',
        "None",
        "AidRequest 21",
        "<Household 3>",
    ],
)
def test_the_sweep_recognises_codes_and_reprs(text):
    assert codes_in(f"نص {text} نص")


@pytest.mark.parametrize(
    "text",
    [
        "relations-officer@makkah.example.org",
        "makkah.example.org",
        "lease.pdf",
        "الطلب 000001-1448",
        "Makkah Charitable Association",
        "1,500.50 SAR",
    ],
)
def test_the_sweep_lets_addresses_numbers_and_words_through(text):
    assert not codes_in(f"نص {text} نص")
