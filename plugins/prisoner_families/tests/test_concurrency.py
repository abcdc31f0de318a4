"""Concurrent payments on one debt case: the row lock (PostgreSQL ``FOR UPDATE``; SQLite's write
lock) lets exactly one of two payments that together exceed the claim through."""

from __future__ import annotations

import threading
import time

from core.toolkit import Conflict, Tenant, db, tenant_context
from plugins.prisoner_families import services
from plugins.prisoner_families.models import DebtCase, DebtEntry


def _pay_concurrently(app, tenant_id: int, case_id: int, amounts: list[int]) -> list:
    barrier = threading.Barrier(len(amounts))
    results: list = []

    def worker(amount: int) -> None:
        with app.app_context():
            try:
                tenant = db.session.get(Tenant, tenant_id)
                with tenant_context(tenant):
                    barrier.wait(timeout=10)
                    try:
                        services.add_entry(case_id, "other_payment", amount, payer="فاعل خير")
                        time.sleep(0.3)  # hold the lock: the other writer must wait, then see this payment
                        db.session.commit()
                        results.append(("ok", amount))
                    except Conflict as refused:
                        db.session.rollback()
                        results.append(("refused", str(refused.message)))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(a,)) for a in amounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_payments_exceeding_the_claim_together_only_one_succeeds(app, enabled, case_factory):
    case_id, _ = case_factory(claimed=100_000)
    tenant_id = enabled.id
    db.session.remove()
    results = _pay_concurrently(app, tenant_id, case_id, [60_000, 70_000])
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["ok", "refused"], results
    with app.app_context(), tenant_context(db.session.get(Tenant, tenant_id)):
        case = db.session.get(DebtCase, case_id)
        ok_amount = next(r[1] for r in results if r[0] == "ok")
        assert case.paid_by_others_halalas == ok_amount
        assert case.remaining_halalas == 100_000 - ok_amount >= 0
        assert db.session.scalar(db.select(db.func.count(DebtEntry.id))) == 1
        db.session.remove()


def test_payments_within_the_claim_all_succeed_concurrently(app, enabled, case_factory):
    case_id, _ = case_factory(claimed=100_000)
    tenant_id = enabled.id
    db.session.remove()
    results = _pay_concurrently(app, tenant_id, case_id, [30_000, 30_000, 40_000])
    assert [r[0] for r in results] == ["ok"] * 3, results
    with app.app_context(), tenant_context(db.session.get(Tenant, tenant_id)):
        case = db.session.get(DebtCase, case_id)
        assert case.paid_by_others_halalas == 100_000 and case.remaining_halalas == 0
        db.session.remove()
