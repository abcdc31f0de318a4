"""Moving the clock "today" reads (:func:`core.calendar.today`), without a new dependency."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from core.calendar import dates


@pytest.fixture
def set_clock(monkeypatch) -> Callable[[datetime], None]:
    """``set_clock(datetime(2026, 3, 1, 22, 30))``: from then until the test ends, ``today()``
    reads that moment (naive = UTC, as stored) instead of the real clock."""

    def move(moment: datetime) -> None:
        aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        monkeypatch.setattr(dates, "_now", lambda: aware)

    return move
