"""Registry factories live in core.testing (fixtures: create_person, create_household, officer,
api); the payload helpers are re-exported for the tests that import them from here."""

from core.testing import household_payload, person_payload, valid_id

__all__ = ["household_payload", "person_payload", "valid_id"]
