from __future__ import annotations

import pytest

from core.aid.services import catalog, install_default_catalog
from core.extensions import db
from core.planning import importer
from tests.planning.helpers import GOOD


@pytest.fixture
def rent(in_first):
    install_default_catalog(in_first)
    db.session.flush()
    return next(item for item in catalog() if item.code == "rent_support")


@pytest.fixture
def plan(in_first, rent, staff):
    """The small plan of ``helpers.GOOD`` for 2025, as a draft of tenant ``first``."""
    made = importer.create_plan(GOOD.encode(), "plan.csv", fiscal_year=2025, calendar="gregorian",
                                title="خطة ٢٠٢٥", actor=staff["executive_director"])  # fmt: skip
    db.session.commit()
    return made
