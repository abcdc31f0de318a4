from tests.registry.factories import api, create_household, create_person, officer  # noqa: F401
