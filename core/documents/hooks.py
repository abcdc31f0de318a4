"""Core's document types (built-in, ``trylast``)."""

from __future__ import annotations

from ..hookspecs import hookimpl
from ..i18n import lazy_gettext as _l
from ..registry.choices import Choice


@hookimpl(trylast=True)
def register_document_types():
    return [
        Choice("id_copy", _l("ID copy")),
        Choice("national_address", _l("National address proof")),
        Choice("lease", _l("Lease contract")),
        Choice("medical_report", _l("Medical report")),
        Choice("receipt", _l("Proof of receipt")),
        Choice("other", _l("Other")),
    ]
