"""The violations ladder, read side: a file's violations, what the next occurrence of each
would bring, and a sanction in words."""

from __future__ import annotations

from datetime import date

from core.toolkit import (
    BeneficiaryFile,
    current_language,
    db,
    format_date,
)
from core.toolkit import label as code_label

from .. import rules
from ..i18n import _, ngettext
from ..models import Violation
from .rule_versions import label, settings


def violations_of(file: BeneficiaryFile) -> list[Violation]:
    return list(
        db.session.scalars(
            db.select(Violation).where(Violation.file_id == file.id).order_by(Violation.id.desc())
        )
    )


def next_sanctions(file: BeneficiaryFile) -> list[dict]:
    """For each violation of the ladder, the sanction its next occurrence would bring."""
    rule_settings = settings()
    counts: dict[str, int] = {}
    for violation in violations_of(file):
        counts[violation.code] = counts.get(violation.code, 0) + 1
    result = []
    for item in rule_settings["ladder"]:
        occurrence = counts.get(item["code"], 0) + 1
        result.append(
            {
                "code": item["code"],
                "label": label(item),
                "occurrence": occurrence,
                "sanction": rules.sanction_for(rule_settings, item["code"], occurrence),
            }
        )
    return result


def severe_next_sanction(file: BeneficiaryFile, code: str) -> dict | None:
    """The next sanction of violation ``code`` on this file when it has no end (permanent
    suspension, dismissal), else None: what the page asks confirmation for."""
    upcoming = next((item for item in next_sanctions(file) if item["code"] == code), None)
    if upcoming is None or upcoming["sanction"]["kind"] not in rules.SEVERE_KINDS:
        return None
    return upcoming


def role_label(role: str) -> str:
    return code_label(role, "role")


def documenters_text(documenters: list[dict] | None) -> str:
    """ "Ali (social researcher) and Huda (executive director)"."""
    parts = [
        _("%(name)s (%(role)s)", name=d.get("name") or "", role=role_label(d.get("role") or ""))
        for d in documenters or []
    ]
    return _(" and ").join(parts)


def sanction_text(sanction: dict, ends_on: date | None = None, documenters: list[dict] | None = None) -> str:
    kind = sanction["kind"]
    if kind == "timed":
        text = ngettext("Suspension for %(num)s month", "Suspension for %(num)s months", sanction["months"])
        if ends_on:
            text += " " + _("(until %(date)s)", date=format_date(ends_on))
    elif kind == "condition":
        condition = sanction.get(f"condition_{current_language()}") or sanction.get("condition_ar") or ""
        text = _("Suspension until: %(condition)s", condition=condition)
    elif kind == "stop":
        text = _("Services stopped with no end date")
        if documenters:
            text += " — " + _("documented by %(who)s", who=documenters_text(documenters))
        elif sanction.get("documented_by"):
            text += " — " + _(
                "once documented by %(roles)s",
                roles=_(" and ").join(role_label(r) for r in sanction["documented_by"]),
            )
    elif kind == "permanent":
        text = _("Permanent suspension of the family's services")
    else:
        text = _("Dismissal and permanent deprivation of services")
    if sanction.get("referral"):
        text += " — " + _("file referred to the security authorities")
    if sanction.get("pledge"):
        text += " — " + _("with a written pledge")
    return text
