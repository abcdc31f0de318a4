"""Exclusion proposals: the automatic rules propose with their evidence, a human with the
reason's role confirms or dismisses, the beneficiary is told why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from marshmallow import ValidationError
from sqlalchemy.orm import selectinload

from core.toolkit import (
    BeneficiaryFile,
    Conflict,
    Forbidden,
    Household,
    Member,
    audit_record,
    change_file_status,
    db,
    get_in_tenant,
    get_or_404,
    lazy_text,
    require_tenant,
    roles_in,
    today,
    utcnow,
)

from .. import rules
from ..i18n import _
from ..models import ExclusionProposal, RuleVersion
from .assessment import excluded_members
from .notifications import notify_file
from .renewals import renewal_facts, renewal_facts_of
from .rule_versions import PLUGIN_ID, current_rule_version, label, reason_entry, service_area, settings


def household_facts(file: BeneficiaryFile, *, prefetched: _Prefetched | None = None) -> rules.HouseholdFacts:
    household = get_in_tenant(Household, file.household_id)
    head = household.head
    extra = (file.extra or {}).get(PLUGIN_ID) or {}
    excluded = prefetched.excluded_members() if prefetched else excluded_members(file)
    members = tuple(
        rules.MemberFacts(
            member_id=m.id,
            name=m.person.full_name,
            relationship=m.relationship_,
            gender=m.person.gender,
            birth_date=m.person.birth_date,
            marital_status=m.person.marital_status,
            studying=bool(m.studying),
            resides_permanently=bool(m.resides_with_head) and m.id not in excluded,
        )
        for m in household.members
    )
    due_on, renewed_on = prefetched.renewal if prefetched else renewal_facts(file)
    return rules.HouseholdFacts(
        file_id=file.id,
        category=household.category,
        head_name=head.full_name,
        head_gender=head.gender,
        head_birth_date=head.birth_date,
        head_marital_status=head.marital_status,
        head_studying=bool(extra.get("head_studying")),
        head_city=head.city,
        sponsored_workers=int(extra.get("sponsored_workers") or 0),
        members=members,
        renewal_due_on=due_on,
        renewed_on=renewed_on,
    )


def _open_proposal(file_id: int, reason: str, member_id: int | None) -> ExclusionProposal | None:
    query = db.select(ExclusionProposal).where(
        ExclusionProposal.file_id == file_id,
        ExclusionProposal.reason == reason,
        ExclusionProposal.status == "proposed",
    )
    query = query.where(
        ExclusionProposal.member_id.is_(None)
        if member_id is None
        else ExclusionProposal.member_id == member_id
    )
    return db.session.scalars(query).first()


def propose(
    file: BeneficiaryFile,
    reason: str,
    *,
    evidence: dict,
    scope: str = "file",
    member_id: int | None = None,
    source: str = "automatic",
    note: str = "",
    actor: Any = None,
    prefetched: _Prefetched | None = None,
) -> ExclusionProposal | None:
    """Propose an exclusion (no duplicate while one is pending). Returns None when one is pending."""
    version = prefetched.version if prefetched else current_rule_version()
    entry = reason_entry(reason, version.settings)
    if entry is None:
        raise ValidationError({"reason": [_("Choose one of the listed values.")]})
    if member_id is not None:
        member = get_in_tenant(Member, member_id)
        if member is None or member.household_id != file.household_id:
            raise ValidationError({"member_id": [_("No such member in this household.")]})
    pending = (
        prefetched.open_proposal(reason, member_id)
        if prefetched
        else _open_proposal(file.id, reason, member_id)
    )
    if pending is not None:
        return None
    proposal = ExclusionProposal(
        file_id=file.id,
        member_id=member_id,
        reason=reason,
        scope="member" if member_id is not None else scope,
        evidence=evidence,
        source=source,
        note=note,
        rule_version_id=version.id,
        proposed_by_id=getattr(actor, "id", None),
    )
    db.session.add(proposal)
    db.session.flush()
    if prefetched is not None:
        prefetched.proposals.append(proposal)
    audit_record(
        "makkah_aid.exclusion.proposed",
        "file",
        file.id,
        {"proposal": proposal.id, "reason": reason, "scope": proposal.scope, "source": source},
        user=actor,
    )
    return proposal


def scan_file(
    file: BeneficiaryFile, on: date | None = None, *, prefetched: _Prefetched | None = None
) -> list[ExclusionProposal]:
    """Run the automatic rules over one file; new proposals are returned."""
    if file.status in ("excluded", "closed"):
        return []
    on = on or today()
    rule_settings = settings()
    made = []
    for found in rules.propose_exclusions(
        household_facts(file, prefetched=prefetched), rule_settings, on, service_area(rule_settings)
    ):
        if found.member_id is None and (
            prefetched.was_dismissed(found.reason) if prefetched else _was_dismissed(file.id, found.reason)
        ):
            continue
        proposal = propose(
            file,
            found.reason,
            evidence=found.evidence,
            scope=found.scope,
            member_id=found.member_id,
            prefetched=prefetched,
        )
        if proposal is not None:
            made.append(proposal)
    return made


def _was_dismissed(file_id: int, reason: str) -> bool:
    """A human dismissed this file-level proposal already: do not propose it again on every scan
    (late renewal is re-proposed per round, as its evidence then differs)."""
    if reason == "late_renewal":
        return False
    return (
        db.session.scalars(
            db.select(ExclusionProposal.id).where(
                ExclusionProposal.file_id == file_id,
                ExclusionProposal.reason == reason,
                ExclusionProposal.status == "dismissed",
                ExclusionProposal.member_id.is_(None),
            )
        ).first()
        is not None
    )


def scan_all(on: date | None = None) -> int:
    """``scan_file`` over every file still in play. What the rules read of each file (its
    household, head and members, member exclusions, latest round, dismissed proposals) is loaded
    for all of them in a few queries, not five to seven per file."""
    files = db.session.scalars(
        db.select(BeneficiaryFile).where(BeneficiaryFile.status.in_(("applicant", "active", "suspended")))
    ).all()
    if not files:
        return 0
    file_ids = [f.id for f in files]
    # Households with their heads and members (kept in the session's identity map).
    db.session.scalars(
        db.select(Household)
        .where(Household.id.in_([f.household_id for f in files]))
        .options(selectinload(Household.members))
    ).all()
    proposals_by_file: dict[int, list[ExclusionProposal]] = {file_id: [] for file_id in file_ids}
    for proposal in db.session.scalars(
        db.select(ExclusionProposal)
        .where(ExclusionProposal.file_id.in_(file_ids))
        .order_by(ExclusionProposal.id)
    ):
        proposals_by_file[proposal.file_id].append(proposal)
    rounds_by_file = renewal_facts_of(file_ids)
    version = current_rule_version()
    made = 0
    for file in files:
        prefetched = _Prefetched(
            proposals_by_file[file.id], rounds_by_file.get(file.id, (None, None)), version
        )
        made += len(scan_file(file, on, prefetched=prefetched))
    return made


@dataclass
class _Prefetched:
    """What ``scan_all`` loaded of one file beforehand (proposals kept up to date as made)."""

    proposals: list[ExclusionProposal]
    renewal: tuple[date | None, date | None]
    version: RuleVersion

    def excluded_members(self) -> dict[int, str]:
        return {
            p.member_id: p.reason
            for p in self.proposals
            if p.scope == "member" and p.status == "confirmed" and p.member_id is not None
        }

    def was_dismissed(self, reason: str) -> bool:
        return reason != "late_renewal" and any(
            p.reason == reason and p.status == "dismissed" and p.member_id is None for p in self.proposals
        )

    def open_proposal(self, reason: str, member_id: int | None) -> ExclusionProposal | None:
        return next(
            (
                p
                for p in self.proposals
                if p.reason == reason and p.status == "proposed" and p.member_id == member_id
            ),
            None,
        )


def proposals(status: str = "proposed") -> list[ExclusionProposal]:
    query = db.select(ExclusionProposal).order_by(ExclusionProposal.id.desc())
    if status != "all":
        query = query.where(ExclusionProposal.status == status)
    return list(db.session.scalars(query))


def may_decide(actor: Any, reason: str) -> bool:
    entry = reason_entry(reason)
    allowed = set(entry["confirm_roles"]) if entry else {"committee_member", "executive_director"}
    return bool(roles_in(actor, require_tenant()) & allowed)


def _check_decider(proposal: ExclusionProposal, actor: Any) -> None:
    if proposal.status != "proposed":
        raise Conflict(_("This proposal is already decided."))
    if not may_decide(actor, proposal.reason):
        raise Forbidden(_("Your role cannot decide this exclusion."))


def confirm(proposal: ExclusionProposal, actor: Any, note: str = "") -> ExclusionProposal:
    """Confirm: a file-level exclusion changes the file's status through core (death closes
    it); a member-level one makes the member stop counting. The beneficiary is told why."""
    _check_decider(proposal, actor)
    file = get_or_404(BeneficiaryFile, proposal.file_id)
    entry = reason_entry(proposal.reason) or {
        "label_ar": proposal.reason,
        "outcome": "excluded",
        "code": proposal.reason,
    }
    reason_text = label(entry)
    if proposal.scope == "file":
        outcome = entry.get("outcome", "excluded")
        if file.status in ("excluded", "closed") and outcome == "excluded":
            raise Conflict(_("This file is already excluded or closed."))
        data = {"status": outcome, "reason": note or reason_text}
        if outcome == "excluded":
            data["exclusion_reason"] = proposal.reason
        change_file_status(file, data, actor)
    proposal.status = "confirmed"
    proposal.decided_at = utcnow()
    proposal.decided_by_id = getattr(actor, "id", None)
    proposal.decision_note = note
    db.session.flush()
    audit_record(
        "makkah_aid.exclusion.confirmed",
        "file",
        file.id,
        {"proposal": proposal.id, "reason": proposal.reason, "scope": proposal.scope},
        user=actor,
    )
    template = "makkah_aid_exclusion" if proposal.scope == "file" else "makkah_aid_member_exclusion"
    notify_file(file, template, reason=lazy_text(label, entry))  # in the beneficiary's language
    return proposal


def dismiss(proposal: ExclusionProposal, actor: Any, note: str = "") -> ExclusionProposal:
    _check_decider(proposal, actor)
    proposal.status = "dismissed"
    proposal.decided_at = utcnow()
    proposal.decided_by_id = getattr(actor, "id", None)
    proposal.decision_note = note
    db.session.flush()
    audit_record(
        "makkah_aid.exclusion.dismissed",
        "file",
        proposal.file_id,
        {"proposal": proposal.id, "reason": proposal.reason},
        user=actor,
    )
    return proposal
