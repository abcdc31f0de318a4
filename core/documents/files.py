"""What an uploaded file really is: sniffed by its first bytes, then parsed.

A PDF must open with a PDF parser (and not be encrypted); an image is decoded and encoded
again with Pillow, in the same format, before it is stored. What is kept is only what the
decoder understood: metadata (EXIF with its GPS position, comments), trailing bytes and
anything smuggled beside the picture (an HTML or ZIP payload, a PDF header) are gone, so a
polyglot cannot reach a reader's browser or PDF viewer.
"""

from __future__ import annotations

import io
import logging
import warnings

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..i18n import lazy_gettext as _l

# (content type, test on the first bytes)
SIGNATURES: tuple[tuple[str, object], ...] = (
    ("application/pdf", lambda b: b.startswith(b"%PDF-")),
    ("image/jpeg", lambda b: b.startswith(b"\xff\xd8\xff")),
    ("image/png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/webp", lambda b: len(b) >= 12 and b[:4] == b"RIFF" and b[8:12] == b"WEBP"),
)
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}

NOT_ACCEPTED = _l("Only PDF, JPEG, PNG or WebP files are accepted (checked by their content).")


class FileRefused(Exception):
    """The upload is not a usable file of its declared kind; ``message`` is translated."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


def sniff_content_type(data: bytes) -> str | None:
    """PDF, JPEG, PNG or WebP by their magic bytes; None for anything else (names are ignored)."""
    head = data[:16]
    for content_type, test in SIGNATURES:
        if test(head):
            return content_type
    return None


def check_pdf(data: bytes) -> bytes:
    """The PDF unchanged when it parses, has pages and is not encrypted; else ``FileRefused``."""
    # pypdf logs (and warns about) every repair it makes; a refusal is our answer, not a log line.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)  # scanners write small defects
            if reader.is_encrypted:
                raise FileRefused(_l("The PDF is protected by a password. Upload it without protection."))
            if len(reader.pages) < 1:
                raise FileRefused(_l("The PDF has no pages."))
            for page in reader.pages:
                page.get("/MediaBox")
    except FileRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise FileRefused(_l("The PDF could not be read; it may be damaged or incomplete.")) from exc
    return data


def reencode_image(data: bytes, content_type: str) -> bytes:
    """Decode the picture and encode it again in its own format, without metadata."""
    limit = current_app.config.get("MAX_IMAGE_PIXELS", 40_000_000)
    fmt = PILLOW_FORMATS[content_type]
    too_large = FileRefused(
        _l("The image is too large (more than %(mp)s megapixels).", mp=round(limit / 1_000_000))
    )
    unreadable = FileRefused(_l("The image could not be read; it may be damaged or incomplete."))
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb guard only warns below twice its limit: make it refuse.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                if image.width * image.height > limit:
                    raise too_large  # refused from the header, before anything is decoded
                image.load()
                image = ImageOps.exif_transpose(image)  # keep the photo upright once EXIF is gone
                return _encode(image, fmt)
    except FileRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_large from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise unreadable from exc


def _encode(image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, optimize=True)
    elif fmt == "PNG":
        options = {}
        if image.mode == "P" and "transparency" in image.info:
            options["transparency"] = image.info["transparency"]
        image.save(out, "PNG", optimize=True, **options)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(out, "WEBP", quality=90)
    return out.getvalue()


def clean_file(data: bytes) -> tuple[str, bytes]:
    """(content type, bytes to store) of an accepted upload; ``FileRefused`` otherwise."""
    content_type = sniff_content_type(data)
    if content_type is None:
        raise FileRefused(NOT_ACCEPTED)
    if content_type == "application/pdf":
        return content_type, check_pdf(data)
    return content_type, reencode_image(data, content_type)
