"""The shared beneficiary registry: persons, households, members, beneficiary files.

Public surface: the models, ``Choice``/``FileFields`` (what hooks return), and the
service functions in ``core.registry.services``.
"""

from __future__ import annotations

from ..api import register_tenant_api
from . import hooks
from .api import files_api, households_api, imports_api, persons_api, sharing_api
from .choices import Choice, FileFields
from .cli import registry_cli
from .models import BeneficiaryFile, FileEvent, Household, ImportJob, Member, Person, SharingAgreement
from .views import bp, services_label

__all__ = [
    "BeneficiaryFile",
    "Choice",
    "FileEvent",
    "FileFields",
    "Household",
    "ImportJob",
    "Member",
    "Person",
    "SharingAgreement",
    "init_app",
]


def init_app(app) -> None:
    app.register_blueprint(bp)
    # Templates (core's and plugins') show registry codes in words: {{ registry_label("daughter") }}
    app.jinja_env.globals["registry_label"] = services_label
    register_tenant_api(persons_api, "persons")
    register_tenant_api(households_api, "households")
    register_tenant_api(files_api, "files")
    register_tenant_api(sharing_api, "sharing-agreements")
    register_tenant_api(imports_api, "imports")
    app.cli.add_command(registry_cli)
    app.extensions["charity_plugins"].register_builtin(hooks)
