"""File responses with an RFC 6266 / RFC 5987 ``Content-Disposition`` that any name survives.

HTTP headers are Latin-1 on the wire: an Arabic file name put there raw makes the server
fail (``InvalidResponseHeader``). Every download answers through :func:`download_response`,
which sends an ASCII fallback in ``filename=`` for old clients and the real name, UTF-8 and
percent-encoded, in ``filename*=`` (what browsers use).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

from flask import Response

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._\- ]+")


def ascii_fallback(filename: str, default: str = "download") -> str:
    """A plain-ASCII stand-in for ``filename``, keeping its extension (``تقرير.pdf`` → ``download.pdf``)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""

    def clean(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return re.sub(r"_+", "_", _UNSAFE_ASCII.sub("_", text)).strip(" ._")

    stem, ext = clean(stem), clean(ext)
    if not re.search(r"[A-Za-z0-9]", stem):
        stem = default
    return f"{stem}.{ext}" if ext else stem


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """``attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>`` (RFC 6266)."""
    # No control, format (RLO, zero-width) or lone surrogate characters in a header.
    name = "".join(ch for ch in (filename or "") if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    name = name or "download"
    fallback = ascii_fallback(name)
    value = f'{disposition}; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


def download_response(
    body: bytes | str | Iterable,
    filename: str,
    mimetype: str,
    *,
    disposition: str = "attachment",
    private: bool = True,
) -> Response:
    """The one way a file leaves the platform: right name on every client, never sniffed,
    never kept in a shared cache."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename, disposition)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(title: str, headers: Iterable[str], rows: Iterable[Iterable], *, rtl: bool = False) -> bytes:
    """One sheet: a bold header row then ``rows``; text is kept as text (never a formula),
    right-to-left when the sheet is Arabic, columns widened to their content."""
    from openpyxl import Workbook  # lazy: openpyxl is loaded only when an export is asked for
    from openpyxl.styles import Font  # lazy: as above

    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet"
    sheet.sheet_view.rightToLeft = rtl
    headers = [str(h) for h in headers]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in headers]
    for row in rows:
        values = list(row)
        sheet.append(values)
        for index, cell in enumerate(sheet[sheet.max_row]):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # "=1+2" typed by an applicant stays text
                if index < len(widths):
                    widths[index] = max(widths[index], min(len(cell.value), 60))
    for index, width in enumerate(widths):
        sheet.column_dimensions[_column_letter(index + 1)].width = width + 4
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xlsx_response(
    filename: str, title: str, headers: Iterable[str], rows: Iterable[Iterable], *, rtl: bool = False
) -> Response:
    """An XLSX download of one sheet (see :func:`xlsx_bytes`)."""
    return download_response(xlsx_bytes(title, headers, rows, rtl=rtl), filename, XLSX_MIMETYPE)
