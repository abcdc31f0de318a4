from tests.requests.fixtures import *  # noqa: F403
