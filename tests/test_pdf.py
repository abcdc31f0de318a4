"""PDF machinery (core/pdf.py): Arabic shaped, RTL tables, the Arabic font embedded, nothing fetched
from outside, and a translated 503 when the server cannot make PDFs.

The PDFs are read back with poppler-utils (``pdftotext``, ``pdffonts``), installed by ``make install``.
"""

from __future__ import annotations

import builtins
import csv
import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask import render_template_string
from markupsafe import escape

from core.pdf import PdfUnavailable, pdf_available, render_pdf

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is installed by `make install`"
)

# pdftotext wraps right-to-left runs in directional embedding marks; the text between them is
# in logical (reading) order. Dropped before comparing.
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Arabic presentation forms: what a renderer that does not shape would write instead of letters.
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
# Harakat (tanween, fatha …) are glyphs of their own stacked on a letter. pdftotext (poppler 22)
# writes them apart and then misplaces the words that carry them ("مساندة السجناء واسرهم مادياً
# ومعنوياً." reads back "ً ً ومعنويا. ماديا مساندة السجناء واسرهم" though the page shows it right):
# such titles are checked word by word, the others whole.
HARAKAT = re.compile("[\u064b-\u0652]")
SEEDS = Path(__file__).resolve().parent.parent / "core" / "planning" / "seeds"

PLAN_TABLE = """<!doctype html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>الخطة التشغيلية لعام ٢٠٢٤م</title></head>
<body>
<h1>الهدف الاستراتيجي الأول: غرس العقيدة والمبادئ الإسلامية في نفوس السجناء</h1>
<table>
  <thead><tr><th>المؤشر</th><th>النشاط</th><th>جهة التنفيذ</th><th>التكلفة</th></tr></thead>
  <tbody>
    <tr><td>زيادة معرفة السجناء بالعقيدة والأخلاق الإسلامية</td>
        <td>تنظيم دورات تعليمية دورية</td><td>التدريب</td><td class="num">5,000</td></tr>
    <tr><td>نسبة رضا المستفيدين</td><td>إعداد أدوات لقياس الرضا</td><td>التخطيط</td><td class="num">-</td></tr>
  </tbody>
</table>
</body>
</html>"""


def _text(data: bytes, tmp_path, *args: str) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", *args, str(path), "-"], check=True, capture_output=True, text=True)
    return BIDI_MARKS.sub("", out.stdout)


def _words_x(data: bytes, tmp_path) -> dict[str, float]:
    """Each word of the PDF and the x of its left edge (pdftotext -bbox, which writes an Arabic
    word's letters in visual order, i.e. reversed: turned back here)."""
    html = _text(data, tmp_path, "-bbox")
    return {
        m.group(2)[::-1]: float(m.group(1))
        for m in re.finditer(r'<word xMin="([\d.]+)"[^>]*>([^<]+)</word>', html)
    }


@pytest.fixture(scope="module")
def plan_pdf() -> bytes:
    return render_pdf(PLAN_TABLE)


def test_a_pdf_is_made_on_this_machine(plan_pdf):
    assert pdf_available()
    assert plan_pdf.startswith(b"%PDF-")


def test_arabic_text_reads_back_in_logical_order(plan_pdf, tmp_path):
    text = " ".join(_text(plan_pdf, tmp_path).split())
    for phrase in (
        "الهدف الاستراتيجي الأول",  # pdftotext moves the neutral colon after it; the words keep their order
        "غرس العقيدة والمبادئ الإسلامية في نفوس السجناء",
        "زيادة معرفة السجناء بالعقيدة والأخلاق الإسلامية",
        "تنظيم دورات تعليمية دورية",
        "نسبة رضا المستفيدين",
        "إعداد أدوات لقياس الرضا",
    ):
        assert phrase in text
    assert not PRESENTATION_FORMS.search(text), (
        "letters are shaped by HarfBuzz, not replaced by presentation forms"
    )


@pytest.mark.parametrize("seed", ["aoun_2024.csv", "esrar_draft.csv"])
def test_the_seed_plans_goal_titles_read_back_whole_and_in_order(seed, tmp_path):
    with (SEEDS / seed).open(encoding="utf-8") as handle:
        rows = [row for row in csv.reader(handle) if row and not row[0].startswith("#")]
    column = rows[0].index("الهدف")
    titles = [row[column] for row in rows[1:] if row[column]]
    body = "".join(f"<tr><td>{n}</td><td>{escape(title)}</td></tr>" for n, title in enumerate(titles, 1))
    html = PLAN_TABLE.split("<body>")[0] + f"<body><table><tbody>{body}</tbody></table></body></html>"
    text = " ".join(_text(render_pdf(html), tmp_path).split())
    plain = [title for title in titles if not HARAKAT.search(title)]
    positions = [text.find(title) for title in plain]
    assert -1 not in positions, [t for t, p in zip(plain, positions, strict=True) if p == -1]
    assert positions == sorted(positions), "the goals in their order"
    words = set(HARAKAT.sub("", text).split())
    for title in set(titles) - set(plain):
        assert set(HARAKAT.sub("", title).split()) <= words
    assert len(plain) >= len(titles) - 1


def test_the_document_title_is_the_pdf_title(plan_pdf, tmp_path):
    path = tmp_path / "t.pdf"
    path.write_bytes(plan_pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert "الخطة التشغيلية لعام ٢٠٢٤م" in info


def test_an_rtl_table_starts_at_the_right(plan_pdf, tmp_path):
    x = _words_x(plan_pdf, tmp_path)
    # First column (المؤشر) on the right, last (التكلفة) on the left.
    assert x["المؤشر"] > x["النشاط"] > x["التكلفة"]


def test_the_arabic_font_is_embedded_and_pages_are_a4_and_numbered(plan_pdf, tmp_path):
    path = tmp_path / "f.pdf"
    path.write_bytes(plan_pdf)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert "Noto-Naskh-Arabic" in fonts
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    assert re.search(r"\b1\s*/\s*1\b", _text(plan_pdf, tmp_path)), "page 1 of 1 at the foot"


def test_the_documents_own_styles_win_over_the_base_stylesheet(tmp_path):
    html = PLAN_TABLE.replace("</head>", "<style>@page { size: A5; }</style></head>")
    path = tmp_path / "a5.pdf"
    path.write_bytes(render_pdf(html))
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+419\.\d+ x 595\.\d+ pts", info)  # A5


def test_nothing_outside_the_static_files_is_fetched(tmp_path, caplog):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for a pdf")
    html = PLAN_TABLE.replace(
        "</body>",
        f'<img src="file://{secret}"><img src="http://127.0.0.1:9/x.png">'
        '<img src="/static/vendor/bootstrap/LICENSE"></body>',
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_pdf(html, base_url="http://127.0.0.1:5102/t/aoun-prisoners/planning/")
    refused = [
        r.getMessage() for r in caplog.records if "outside the platform's static files" in r.getMessage()
    ]
    assert any(str(secret) in m for m in refused)
    assert any("127.0.0.1:9" in m for m in refused)
    assert not any("LICENSE" in m for m in refused), "the platform's own static files are served locally"


def test_the_pdf_base_template_is_arabic_and_rtl(app, tmp_path):
    with app.test_request_context("/?lang=ar"):
        html = render_template_string(
            '{% extends "pdf/base.html" %}{% block title %}الخطة التشغيلية{% endblock %}'
            "{% block content %}<p>نسبة رضا المستفيدين</p>{% endblock %}"
        )
    assert '<html lang="ar" dir="rtl">' in html
    text = " ".join(_text(render_pdf(html), tmp_path).split())
    assert "الخطة التشغيلية" in text
    assert "نسبة رضا المستفيدين" in text


@pytest.fixture
def without_weasyprint(monkeypatch):
    """As on a server without Pango: importing weasyprint fails with cffi's OSError."""
    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': No such file")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", failing_import)


def test_without_weasyprints_libraries_rendering_raises_a_translated_refusal(app, without_weasyprint):
    assert not pdf_available()
    with pytest.raises(PdfUnavailable) as caught:
        render_pdf(PLAN_TABLE)
    assert "libpango" in caught.value.detail
    with app.test_request_context("/?lang=ar"):
        assert "ملفات PDF" in str(caught.value.message)
    with app.test_request_context("/?lang=en"):
        assert "make install" in str(caught.value.message)


@pytest.mark.parametrize(("path", "json"), [("/api/v1/anything", True), ("/anything", False)])
def test_a_refused_pdf_is_a_503_with_the_reason_not_a_500(app, path, json):
    with app.test_request_context(path + "?lang=ar", headers={"Accept": "application/json"} if json else {}):
        response = app.make_response(app.handle_user_exception(PdfUnavailable("no pango")))
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "no pango" not in body
    if json:
        assert response.get_json()["code"] == 503
        assert "ملفات PDF" in response.get_json()["message"]
    else:
        assert "ملفات PDF" in body
