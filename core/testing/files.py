"""Real, tiny files for upload tests: uploads are parsed (a PDF must open, an image is
decoded and re-encoded), so fake magic bytes are not enough."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter


def make_pdf(pages: int = 1, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=72, height=72)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_image(fmt: str = "PNG", size: tuple[int, int] = (8, 8), color=(200, 30, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt, **save)
    return out.getvalue()


PDF = make_pdf()
# Written the way the platform re-encodes PNGs, so what is downloaded equals what was sent.
PNG = make_image("PNG", optimize=True)
JPEG = make_image("JPEG")
WEBP = make_image("WEBP")
