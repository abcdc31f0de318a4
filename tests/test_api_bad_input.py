"""No bad input answers 500: every JSON endpoint in the OpenAPI document gets malformed bodies.

A generic sweep over the whole API (core and every installed plugin, all enabled), so a
new endpoint is covered the day it is added.
"""

from __future__ import annotations

import re

import pytest

from core.auth.models import TENANT_ROLES
from core.plugins import get_host

BAD_VALUES = [
    None,
    "",
    "x" * 5000,
    -1,
    10**30,
    3.5,
    True,
    [],
    {},
    ["a"],
    {"a": {"b": []}},
    "٫٫١",
    "2025-13-45",
]


@pytest.fixture
def everything_enabled(app, tenant, create_user_, token_for, enable_plugin):
    for plugin_id in get_host(app).plugins:
        if plugin_id != "external":
            enable_plugin(tenant, plugin_id)
    user = create_user_(roles={tenant: list(TENANT_ROLES)}, platform_admin=True)
    return token_for(user)


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("post", "put", "patch"):
                content = operation.get("requestBody", {}).get("content", {})
                if "application/json" in content:
                    yield path, method, content["application/json"].get("schema", {})


def _properties(document, schema) -> list[str]:
    ref = schema.get("$ref")
    if ref:
        schema = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return list(schema.get("properties", {}))


def _url(path: str) -> str:
    path = path.replace("{tenant}", "first")
    return re.sub(r"\{[^}]+\}", "1", path)


def test_malformed_bodies_never_answer_500(client, everything_enabled):
    document = client.get("/api/v1/openapi.json").json
    headers = {**everything_enabled, "Accept-Language": "ar"}
    checked = 0
    for path, method, schema in _operations(document):
        url = _url(path)
        call = getattr(client, method)
        bodies = [[], "x", {"no_such_field_anywhere": 1}]
        for name in _properties(document, schema):
            bodies.extend({name: value} for value in BAD_VALUES)
        for body in bodies:
            response = call(url, json=body, headers=headers)
            assert response.status_code < 500, (method, url, body, response.get_data(as_text=True)[:500])
            if response.status_code >= 400:
                assert response.is_json and "code" in response.json, (method, url, body)
            checked += 1
        response = call(url, data="{not json", headers={**headers, "Content-Type": "application/json"})
        assert response.status_code < 500, (method, url, "malformed JSON")
    assert checked > 100
