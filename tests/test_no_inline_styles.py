"""The Content-Security-Policy allows no inline style (``style-src 'self'``): a ``style="…"``
attribute in a served page is silently dropped by the browser — a sealed narrative loses its
line breaks, a product photo its size. Every template a browser is served uses classes from
``core/static/app.css`` instead. Templates WeasyPrint renders into a PDF (``*_pdf.html``) are
never served under the policy and may keep theirs."""

from __future__ import annotations

import re
from pathlib import Path

from core.security import CONTENT_SECURITY_POLICY

ROOT = Path(__file__).resolve().parent.parent
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^<>]*\sstyle\s*=", re.S)


def served_templates() -> list[Path]:
    return sorted(
        path
        for folder in ("core", "plugins")
        for path in (ROOT / folder).rglob("*.html")
        if "/templates/" in path.as_posix() and not path.name.endswith("_pdf.html")
    )


def test_the_policy_forbids_inline_styles():
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["style-src"] == "'self'"


def test_no_served_template_has_a_style_attribute():
    offenders = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in served_templates()
        for text in [path.read_text(encoding="utf-8")]
        for match in STYLE_ATTRIBUTE.finditer(text)
    ]
    assert served_templates()
    assert offenders == [], "use a class of core/static/app.css: " + ", ".join(offenders)
