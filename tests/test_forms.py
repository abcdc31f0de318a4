"""The one HTML form path (``core.forms.form_transaction``): one commit, or nothing written and
the refusal kept for the page (422 field errors, 403/409 with the message); 404 is the error page."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import Unauthorized

from core.aid.models import CatalogItem
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.extensions import db
from core.forms import form_transaction
from core.tenancy import tenant_context


def _add_item(code: str) -> None:
    db.session.add(CatalogItem(code=code, name_ar="سلة", name_en="Basket", kind="in_kind"))
    db.session.flush()


def _codes(tenant) -> list[str]:
    db.session.rollback()
    with tenant_context(tenant):
        return list(db.session.scalars(db.select(CatalogItem.code)))


def test_a_block_without_refusal_is_committed_once(app_ctx, tenant):
    with tenant_context(tenant), form_transaction() as outcome:
        _add_item("basket")
    assert outcome.ok and outcome.status == 200 and outcome.errors == {}
    assert _codes(tenant) == ["basket"]


def test_field_errors_answer_422_and_write_nothing(app_ctx, tenant):
    with tenant_context(tenant), form_transaction() as outcome:
        _add_item("basket")
        raise Invalid({"code": ["taken"]})
    assert not outcome.ok and outcome.status == 422
    assert outcome.errors == {"code": ["taken"]} and outcome.message is None
    assert _codes(tenant) == []


@pytest.mark.parametrize(("error", "status"), [(Conflict("not now"), 409), (Forbidden("not you"), 403)])
def test_a_refusal_keeps_its_status_and_message_and_writes_nothing(app_ctx, tenant, error, status):
    with tenant_context(tenant), form_transaction() as outcome:
        _add_item("basket")
        raise error
    assert outcome.status == status and outcome.message == error.message
    assert outcome.errors == {"_schema": [error.message]}
    assert _codes(tenant) == []


def test_not_found_is_the_error_page_and_writes_nothing(app_ctx, tenant):
    with pytest.raises(NotFound), tenant_context(tenant), form_transaction():
        _add_item("basket")
        raise NotFound()
    assert _codes(tenant) == []


def test_the_permission_is_checked_before_the_block_runs(app):
    ran = []
    with app.test_request_context("/"), pytest.raises(Unauthorized), form_transaction("catalog.manage"):
        ran.append(True)
    assert ran == []
