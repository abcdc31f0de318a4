"""REST API plumbing: blueprints mounted per tenant, the OpenAPI document, API auth.

Platform endpoints live under ``/api/v1/…``; tenant endpoints under
``/t/<tenant>/api/v1/…``. Clients authenticate with ``Authorization: Bearer <token>``
(or a browser session plus the CSRF header for unsafe methods). ``requires`` and
``login_required`` only record what a view needs; ``core.auth.api_auth`` enforces it
before the view runs, so authentication (401), the tenant and plugin gates (404) and the
permission (403) always come before the body is parsed (422), whatever the order of the
decorators.
"""

from __future__ import annotations

from copy import copy
from functools import wraps

from apispec.ext.marshmallow import MarshmallowPlugin, resolver
from flask_smorest import Blueprint as _SmorestBlueprint
from marshmallow import Schema, fields
from werkzeug.routing import IntegerConverter

from .auth.api_auth import Requirement, enforce_again, mark
from .extensions import api
from .schema_fields import INTEGER_TEXT_PATTERN, accept_any_digits, refuse_fractional_integers
from .validation import make_argument_parser

MAX_ID = 2**31 - 1
TENANT_API_PREFIX = "/t/<tenant>/api/v1"
BEARER_SCHEME = {"type": "http", "scheme": "bearer", "description": "POST /api/v1/auth/token"}


class ApiBlueprint(_SmorestBlueprint):
    """A flask-smorest blueprint with the platform's authentication decorators."""

    # Refuses NUL and control characters in any parsed input, naming the field (core/validation.py).
    ARGUMENTS_PARSER = make_argument_parser()

    def arguments(self, schema, *, location="json", **kwargs):
        """A JSON body is documented as required only when the server needs one.

        A body whose fields are all optional (or a partial update) may be left out: webargs
        reads a missing body as ``{}``, so the document must not say ``required``.
        """
        if location == "json" and "required" not in kwargs:
            kwargs["required"] = _needs_body(schema)
        return super().arguments(schema, location=location, **kwargs)

    def _prepare_arguments_doc(self, doc, doc_info, **kwargs):
        """A form with files is one ``multipart/form-data`` body (flask-smorest documents only
        the first body location and leaves the other as an OpenAPI 2 ``formData`` parameter)."""
        operation = doc_info.get("arguments")
        if operation:
            parts = [p for p in operation["parameters"] if p.get("in") in ("form", "files")]
            if len(parts) > 1:
                merged = {}
                for part in list(parts):
                    schema = part["schema"]
                    schema = schema() if isinstance(schema, type) else schema
                    merged.update({name: copy(field) for name, field in schema.fields.items()})
                    operation["parameters"].remove(part)
                name = "".join(
                    (
                        p["schema"] if isinstance(p["schema"], type) else type(p["schema"])
                    ).__name__.removesuffix("Schema")
                    for p in parts
                )
                operation["parameters"].append(
                    {
                        "in": "files",
                        "required": any(p.get("required") for p in parts),
                        "schema": Schema.from_dict(merged, name=f"{name}Schema")(),
                        "content_type": "multipart/form-data",
                    }
                )
        return super()._prepare_arguments_doc(doc, doc_info, **kwargs)

    def requires(self, *actions: str):
        """The view needs a logged-in user (401) holding one of ``actions`` (403) — a workflow step
        any of several permissions may take names them all, the service checks which applies.
        Documents the bearer auth."""
        return self._needs(Requirement(actions))

    def login_required(self, view):
        """The view needs a logged-in user (401) — on an association's endpoint, one with a role in
        it (403); the service checks the step's own permission. Documents the bearer auth."""
        return self._needs(Requirement())(view)

    def _needs(self, requirement: Requirement):
        def decorator(view):
            @wraps(view)
            def wrapped(*args, **kwargs):
                enforce_again(requirement)  # enforced before the request; a backstop otherwise
                return view(*args, **kwargs)

            return self.doc(security=[{"bearerAuth": []}])(mark(wrapped, requirement))

        return decorator


def _needs_body(schema) -> bool:
    instance = schema() if isinstance(schema, type) else schema
    if instance.partial is True:
        return False
    return any(field.required for field in instance.load_fields.values())


def register_tenant_api(blueprint: _SmorestBlueprint, prefix: str) -> None:
    """Mount a tenant API blueprint at ``/t/<tenant>/api/v1/<prefix>``."""
    api.register_blueprint(blueprint, url_prefix=f"{TENANT_API_PREFIX}/{prefix.strip('/')}")


def register_platform_api(blueprint: _SmorestBlueprint, prefix: str | None = None) -> None:
    api.register_blueprint(blueprint, **({"url_prefix": prefix} if prefix else {}))


def custom_field_properties(self, field, ret, **kwargs) -> dict:
    """apispec attribute function: a field class's ``openapi`` declaration (see core.schema_fields).

    The nearest class in the field's MRO that declares ``openapi`` wins; a key set to ``None``
    removes what apispec derived (e.g. ``format: date`` of a field that also reads Hijri dates).
    """
    if isinstance(field, fields.Boolean) and not field.dump_only:
        # marshmallow also reads "true"/"false", "1"/"0", 1/0, "yes"/"no"… (forms send them).
        words = sorted((*field.truthy, *field.falsy), key=lambda v: (type(v).__name__, str(v)))
        ret.pop("type", None)
        ret["anyOf"] = [{"type": "boolean"}, {"enum": words}]
    if isinstance(field, fields.Integer) and not field.strict and not field.dump_only:
        # Non-strict integers are also read from their digits as text (forms, any digit script).
        ret.pop("type", None)
        number = {"type": "integer", **{k: ret.pop(k) for k in ("minimum", "maximum") if k in ret}}
        text = INTEGER_TEXT_PATTERN
        if number.get("minimum", -1) >= 0:
            text = text.replace("[+-]?", r"\+?")
        ret["anyOf"] = [number, {"type": "string", "pattern": text}]
    for cls in type(field).__mro__:
        declared = cls.__dict__.get("openapi")
        if declared is None:
            continue
        declared = declared(field) if callable(declared) else declared
        if "anyOf" in declared:
            for key in ("type", "format"):
                ret.pop(key, None)
        for key, value in declared.items():
            if value is None:
                ret.pop(key, None)
            elif key not in ret or key in ("type", "format", "pattern", "anyOf"):
                ret[key] = value
        break
    return {}


def _document_pagination_header() -> None:
    """``X-Pagination`` carries JSON text: document it as content, not as an object-typed header."""
    api.spec.components.headers_lazy["PAGINATION"] = {
        "description": "Pagination metadata (JSON)",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PaginationMetadata"}}},
    }


def schema_name(schema) -> str:
    """A schema's name in the OpenAPI document: apispec's (the class name without ``Schema``),
    prefixed for a plugin's with the plugin's id in CamelCase (``CrimeVictimsCaseOut``), so two
    plugins may each have a ``CaseOutSchema`` without one hiding the other."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = resolver(cls)
    parts = cls.__module__.split(".")
    if parts[0] == "plugins" and len(parts) > 1:
        return "".join(word.capitalize() for word in parts[1].split("_")) + name
    return name


def configure(app) -> None:
    refuse_fractional_integers()
    accept_any_digits()
    api.init_app(app, spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)})
    api.spec.components.security_scheme("bearerAuth", BEARER_SCHEME)
    api.ma_plugin.converter.add_attribute_function(custom_field_properties)
    # Identifiers are database integers: larger values can name nothing (PostgreSQL ``integer``).
    api.register_converter(
        IntegerConverter, lambda converter: {"type": "integer", "minimum": 0, "maximum": MAX_ID}
    )
    _document_pagination_header()
