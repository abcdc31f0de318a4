"""Request factories live in core.testing (fixtures: staff, make_member, new_request, advance …);
the plain helpers are re-exported for the tests that import them from here."""

from core.testing import ROLES, link_new_file, new_file, new_file_id

__all__ = ["ROLES", "link_new_file", "new_file", "new_file_id"]
