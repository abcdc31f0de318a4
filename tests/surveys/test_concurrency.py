"""Two answers sent at the same moment through one link, to the real server: one is stored,
the other gets 409 (the invitation is claimed by one conditional UPDATE)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

from core.extensions import db
from core.surveys.models import SurveyResponse
from core.tenancy import tenant_context

from .conftest import full_answers
from .test_invitations import _questions


def _post(url: str, body: dict, results: list, barrier: threading.Barrier) -> None:
    data = json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
    barrier.wait()
    try:
        with urllib.request.urlopen(req, timeout=60) as response:  # noqa: S310 - the test's own server
            results.append(response.status)
    except urllib.error.HTTPError as error:
        results.append(error.code)


def test_two_simultaneous_answers_through_one_link_store_one(disbursed, live_server, tenant):
    _request, invitation, token = disbursed()
    body = {"answers": full_answers(_questions(invitation))}
    url = f"{live_server}/t/{tenant.slug}/api/v1/surveys/answer/{token}"
    results: list[int] = []
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=_post, args=(url, body, results, barrier)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert sorted(results) == [201, 409]
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 1
