"""Real, tiny files for upload tests (they live in core.testing.files)."""

from core.testing.files import JPEG, PDF, PNG, WEBP, make_image, make_pdf

__all__ = ["JPEG", "PDF", "PNG", "WEBP", "make_image", "make_pdf"]
