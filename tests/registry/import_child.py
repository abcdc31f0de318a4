"""A worker process for tests/registry/test_import_setwise.py: starts a big import through the
in-process runner (a thread of this process, as a web process runs it) on the test database,
prints ``WRITING`` once two chunks of households are written inside the import's
one transaction, then waits to be killed (``kill -9``)."""

from __future__ import annotations

import sys
import time

from core import create_app
from core.extensions import db
from core.registry import importer_write
from core.registry.importer import start_import
from core.tenancy import Tenant, tenant_context
from tests.registry.factories import valid_id
from tests.registry.test_import import csv_bytes, row

HOUSEHOLDS = 60


def main(tenant_id: int) -> None:
    app = create_app()
    original, chunks = importer_write._write_heads, []

    def write_then_wait(tenant_id, chunk, user):
        written = original(tenant_id, chunk, user)
        chunks.append(len(chunk))
        if len(chunks) == 2:
            db.session.flush()
            print("WRITING", flush=True)
            time.sleep(120)  # killed here, the transaction open
        return written

    importer_write.HEADS_PER_CHUNK = 10
    importer_write._write_heads = write_then_wait
    data = csv_bytes(
        *[
            line
            for i in range(HOUSEHOLDS)
            for line in (
                row(f"H{i}", "head", "سعد", valid_id("1", 70_000 + i)),
                row(f"H{i}", "son", "علي", studying="yes"),
            )
        ]
    )
    with app.test_request_context("/"), tenant_context(db.session.get(Tenant, tenant_id)):
        record = start_import("big.csv", data, only_good_rows=False, background=True)
        job_id = record.job_id
        db.session.remove()
        app.extensions["charity_jobs"].futures[job_id].result(timeout=120)
    print("FINISHED", flush=True)  # never reached when the test kills this process in time


if __name__ == "__main__":
    main(int(sys.argv[1]))
