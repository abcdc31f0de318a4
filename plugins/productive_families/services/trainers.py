"""Training (seed 001, goal 6), the people side: families' needed skill areas, the registry of
trainers and training centres (local and international) and the partnership contracts with them
(the signed document kept by ``store_file``, read back audited, and a quality score 0–100)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import FileSlot, NotFound, db, get_in_tenant

from ..i18n import _l
from ..models_training import Trainer, TrainingContract, TrainingNeed
from ..schemas_training import ContractFormSchema, NeedsSchema, TrainerSchema
from ._common import PLUGIN_ID, audit, settings

CONTRACT_AREA = "productive_families_training_contracts"

CONTRACT = FileSlot(
    area=CONTRACT_AREA,
    stored_action=f"{PLUGIN_ID}.training.contract_added",
    read_action=f"{PLUGIN_ID}.training.contract_downloaded",
    stored_details=("sha256",),
)


def _offered(areas: list[str], field: str) -> None:
    """Only the skill areas the tenant offers (its settings) may be chosen."""
    offered = set(settings()["training_skill_areas"])
    if any(area not in offered for area in areas):
        raise ValidationError({field: [_l("Choose one of the association's skill areas.")]})


# --------------------------------------------------------------------------- needs


def needs_of(producer_ids: list[int]) -> dict[int, list[str]]:
    """Each producer's needed skill areas (in the tenant list's order)."""
    found: dict[int, list[str]] = {pid: [] for pid in producer_ids}
    if not producer_ids:
        return found
    rows = db.session.execute(
        sa.select(TrainingNeed.producer_id, TrainingNeed.area).where(
            TrainingNeed.producer_id.in_(producer_ids)
        )
    )
    order = {code: i for i, code in enumerate(settings()["training_skill_areas"])}
    for producer_id, area in rows:
        found[producer_id].append(area)
    for areas in found.values():
        areas.sort(key=lambda a: order.get(a, len(order)))
    return found


def set_needs(producer, data: dict, actor: Any = None) -> list[str]:
    """Replace the producer's needed skill areas by those chosen."""
    areas = list(dict.fromkeys(NeedsSchema().load(data)["areas"]))
    _offered(areas, "areas")
    current = set(needs_of([producer.id])[producer.id])
    wanted = set(areas)
    if current - wanted:
        db.session.execute(
            sa.delete(TrainingNeed).where(
                TrainingNeed.producer_id == producer.id, TrainingNeed.area.in_(current - wanted)
            )
        )
    for area in areas:
        if area not in current:
            db.session.add(TrainingNeed(producer_id=producer.id, area=area))
    db.session.flush()
    if current != wanted:
        audit(
            "training.needs_changed",
            producer,
            {"added": sorted(wanted - current), "removed": sorted(current - wanted)},
            actor,
        )
    return needs_of([producer.id])[producer.id]


def producers_needing(area: str) -> list[int]:
    """Producers whose family needs training in ``area``."""
    return list(db.session.scalars(sa.select(TrainingNeed.producer_id).where(TrainingNeed.area == area)))


# --------------------------------------------------------------------------- trainers


def add_trainer(data: dict, actor: Any = None) -> Trainer:
    values = TrainerSchema().load(data)
    values["specialities"] = list(dict.fromkeys(values["specialities"]))
    _offered(values["specialities"], "specialities")
    if db.session.scalar(sa.select(Trainer.id).where(Trainer.name == values["name"])):
        raise ValidationError({"name": [_l("A trainer or centre with this name is already registered.")]})
    trainer = Trainer(**values)
    db.session.add(trainer)
    db.session.flush()
    audit("training.trainer_added", trainer, {"kind": trainer.kind, "scope": trainer.scope}, actor)
    return trainer


def get_trainer(trainer_id: int) -> Trainer:
    trainer = get_in_tenant(Trainer, trainer_id)
    if trainer is None:
        raise NotFound(_l("No such trainer or training centre."))
    return trainer


def list_trainers(scope: str | None = None) -> list[Trainer]:
    query = sa.select(Trainer).order_by(Trainer.scope, Trainer.name)
    if scope:
        query = query.where(Trainer.scope == scope)
    return list(db.session.scalars(query))


# --------------------------------------------------------------------------- contracts


def add_contract(
    trainer: Trainer, data: dict, content: bytes | None, filename: str | None, actor: Any = None
) -> TrainingContract:
    """A signed partnership contract with a trainer or centre: its fields, quality score and file.
    Every refusal (fields and file) is reported at once and nothing is stored."""
    errors: dict = {}
    values: dict = {}
    try:
        values = ContractFormSchema().load(data)
    except ValidationError as exc:
        errors.update(exc.messages)
    if not content:
        errors["file"] = [_l("Attach the signed contract.")]
    if errors:
        raise ValidationError(errors)
    contract = TrainingContract(trainer_id=trainer.id, **values)
    return CONTRACT.store(
        contract,
        content,
        filename,
        actor,
        {"trainer_id": trainer.id, "quality_score": contract.quality_score},
    )


def get_contract(contract_id: int) -> TrainingContract:
    contract = get_in_tenant(TrainingContract, contract_id)
    if contract is None:
        raise NotFound(_l("No such partnership contract."))
    return contract


def contracts_of(trainer_id: int | None = None) -> list[TrainingContract]:
    query = sa.select(TrainingContract).order_by(
        TrainingContract.signed_on.desc(), TrainingContract.id.desc()
    )
    if trainer_id is not None:
        query = query.where(TrainingContract.trainer_id == trainer_id)
    return list(db.session.scalars(query).unique())


def download_contract(contract: TrainingContract, actor: Any = None):
    """The contract's file, read for someone (audited: who read which contract; committed;
    core's ``download_response``)."""
    return CONTRACT.download(contract, actor, {"trainer_id": contract.trainer_id})


def quality_training_partnerships() -> int:
    """Trainers and centres with a partnership contract whose quality reaches the tenant's
    threshold (the financing partnerships' setting, seed 001: 80 %)."""
    threshold = settings()["partnership_quality_threshold"]
    return int(
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(TrainingContract.trainer_id))).where(
                TrainingContract.quality_score >= threshold
            )
        )
        or 0
    )
