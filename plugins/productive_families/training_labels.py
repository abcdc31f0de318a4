"""Words for the training part's codes (audit actions and objects, kinds, scopes, outcomes),
merged into the plugin's ``register_labels``."""

from __future__ import annotations

from .i18n import _l

P = "productive_families."

AUDIT_ACTIONS = {
    P + "training.needs_changed": _l("Training needs changed"),
    P + "training.trainer_added": _l("Trainer or training centre added"),
    P + "training.contract_added": _l("Training partnership contract added"),
    P + "training.contract_downloaded": _l("Training partnership contract read"),
    P + "training.program_created": _l("Training program added"),
    P + "training.session_added": _l("Training session added"),
    P + "training.enrolled": _l("Producer enrolled in a training program"),
    P + "training.asked_to_join": _l("Producer asked to join a training program"),
    P + "training.attendance": _l("Training attendance recorded"),
    P + "training.closed": _l("Training program closed and completions recorded"),
}
AUDIT_OBJECTS = {
    "Trainer": _l("Trainer or training centre"),
    "TrainingContract": _l("Training partnership contract"),
    "TrainingProgram": _l("Training program"),
    "TrainingEnrolment": _l("Enrolment in a training program"),
}
LABELS = {
    "productive_families_trainer_kind": {"trainer": _l("Trainer"), "centre": _l("Training centre")},
    "productive_families_trainer_scope": {"local": _l("Local"), "international": _l("International")},
    "productive_families_program_status": {"open": _l("Open"), "closed": _l("Closed")},
    "productive_families_enrolment": {
        "enrolled": _l("Enrolled"),
        "completed": _l("Completed"),
        "not_completed": _l("Did not complete"),
    },
}
