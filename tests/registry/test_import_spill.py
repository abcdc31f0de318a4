"""The validation's spill: rows kept on disk a batch at a time, read back whole and in order."""

from __future__ import annotations

from core.registry.importer_validate import SPILL_BATCH, Spill


def test_a_spill_gives_back_every_row_in_order_across_batches_and_twice():
    spill = Spill()
    try:
        items = [("household", line, {"n": line}) for line in range(2 * SPILL_BATCH + 3)]
        for item in items:
            spill.add(item)
        assert spill.count == len(items)
        assert list(spill) == items
        assert list(spill) == items
    finally:
        spill.close()


def test_an_empty_spill_gives_back_nothing():
    spill = Spill()
    try:
        assert list(spill) == []
    finally:
        spill.close()
