"""PDF documents from HTML, with Arabic shaped and tables laid out right to left.

WeasyPrint renders the HTML; it lays text out through Pango and HarfBuzz, so Arabic letters
join and a ``dir="rtl"`` table reads from the right, exactly as on the page. Every PDF of the
platform goes through :func:`render_pdf`, which adds the base print stylesheet
(:data:`PRINT_CSS`: A4, an Arabic font, page numbers, tables that repeat their header row).
The document's own styles come after it and win.

Machine requirements (``make install`` installs them, see the Makefile's ``pdf-deps``):
Pango and HarfBuzz (Debian ``libpango-1.0-0``, ``libpangoft2-1.0-0``), and an Arabic font
(``fonts-noto-core``: Noto Naskh Arabic). Without Pango, WeasyPrint cannot be imported;
:func:`render_pdf` then raises :class:`PdfUnavailable`, which the error handlers answer
with a translated 503, never a 500 with a traceback.

Resources: a document may use ``data:`` URLs and the platform's own static files
(``/static/...`` or ``file://`` paths inside ``core/static`` or inside ``base_url``'s folder).
Nothing is fetched over the network: a PDF built from a tenant's data cannot be made to reach
another host or read another file.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from .i18n import lazy_gettext as _l

__all__ = ["PDF_MIMETYPE", "PRINT_CSS", "PdfUnavailable", "pdf_available", "render_pdf"]

PDF_MIMETYPE = "application/pdf"
STATIC_DIR = Path(__file__).resolve().parent / "static"
LOG = logging.getLogger("charity_platform.pdf")

# Naskh for body text (the face of printed Arabic documents); Sans/Kufi and KACST as fallbacks,
# then Latin faces for the English pages.
FONT_STACK = (
    '"Noto Naskh Arabic", "Noto Sans Arabic", "KacstOne", "KacstBook", "Noto Sans", "DejaVu Sans", sans-serif'
)

PRINT_CSS = f"""
@page {{
  size: A4;
  margin: 18mm 14mm 20mm 14mm;
  @bottom-center {{
    content: counter(page) " / " counter(pages);
    font-family: {FONT_STACK};
    font-size: 9pt;
    color: #555;
  }}
}}
@page landscape {{ size: A4 landscape; }}
.landscape {{ page: landscape; }}
html {{ font-family: {FONT_STACK}; font-size: 10.5pt; line-height: 1.5; color: #111; }}
html[dir="rtl"] {{ direction: rtl; }}
body {{ margin: 0; }}
h1 {{ font-size: 16pt; margin: 0 0 6pt; }}
h2 {{ font-size: 13pt; margin: 12pt 0 4pt; break-after: avoid; }}
h3 {{ font-size: 11.5pt; margin: 10pt 0 4pt; break-after: avoid; }}
table {{ width: 100%; border-collapse: collapse; margin: 4pt 0 8pt; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
th, td {{ border: 0.5pt solid #888; padding: 2.5pt 4pt; text-align: start; vertical-align: top; }}
th {{ background: #eef3ee; font-weight: bold; }}
td.num, th.num {{ text-align: center; white-space: nowrap; }}
bdi.number {{ white-space: nowrap; }}
.muted {{ color: #666; }}
.no-print {{ display: none; }}
"""


class PdfUnavailable(RuntimeError):
    """This server cannot make PDFs (WeasyPrint or its system libraries are missing).

    ``message`` is a translated sentence; ``status`` is 503. The app's error handlers answer
    it like any refusal (the JSON error or the error page) — see ``core.errors``.
    """

    status = 503

    def __init__(self, detail: str = "") -> None:
        self.message = _l(
            "PDF export is not available on this server: the PDF libraries (WeasyPrint, Pango) "
            "are not installed. Ask the platform administrator to run “make install”."
        )
        self.detail = detail  # the import error, for the log only
        super().__init__(detail or "WeasyPrint is not available")


def _weasyprint() -> Any:
    """The ``weasyprint`` module, or :class:`PdfUnavailable` when it or Pango cannot load."""
    try:
        import weasyprint  # lazy: loads Pango through cffi; a server without it must still start
    except (ImportError, OSError) as exc:
        LOG.error("PDF rendering unavailable: %s", exc)
        raise PdfUnavailable(str(exc)) from exc
    return weasyprint


def pdf_available() -> bool:
    """Whether :func:`render_pdf` can work on this machine (pages may hide their PDF button)."""
    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


def _allowed_roots(base_url: str | None) -> list[Path]:
    roots = [STATIC_DIR]
    if base_url:
        parts = urlsplit(base_url)
        if parts.scheme in ("", "file"):
            base = Path(url2pathname(unquote(parts.path))).resolve()
            roots.append(base if base.is_dir() else base.parent)
    return roots


def _local_file(url: str, roots: list[Path]) -> Path | None:
    """The file ``url`` names when it is one of the allowed local files, else ``None``."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = Path(url2pathname(unquote(parts.path)))
    elif parts.scheme in ("http", "https") and parts.path.startswith("/static/"):
        path = STATIC_DIR / unquote(parts.path.removeprefix("/static/"))
    else:
        return None
    path = path.resolve()
    if path.is_file() and any(path.is_relative_to(root) for root in roots):
        return path
    return None


def _fetcher(weasyprint: Any, base_url: str | None) -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and allowed local files only."""
    roots = _allowed_roots(base_url)

    class LocalOnlyFetcher(weasyprint.urls.URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _local_file(url, roots)
            if path is None:
                raise ValueError(f"not fetched (outside the platform's static files): {url}")
            return super().fetch(path.as_uri(), headers)

    return LocalOnlyFetcher(allowed_protocols=("data", "file", "http", "https"))


def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """The PDF of ``html`` (a whole document: ``<html lang="ar" dir="rtl">`` for Arabic).

    ``base_url`` resolves the document's relative links (a folder or file path, or the page's
    URL so that ``/static/...`` links work). Raises :class:`PdfUnavailable` when this server
    cannot make PDFs.
    """
    weasyprint = _weasyprint()
    fetcher = _fetcher(weasyprint, base_url)
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(string=PRINT_CSS, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])
