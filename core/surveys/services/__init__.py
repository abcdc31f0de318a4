"""Survey services (plain functions): building, invitations, answering, results."""

from __future__ import annotations

from .answering import answer, check_open, claim, clean_answers, enter_paper, record_response
from .building import (
    add_question,
    check_owner,
    create_survey,
    invitation_version,
    new_version,
    owner_name,
    publish,
    published_version,
    questions_of,
    remove_question,
    surveys,
    use_for_invitations,
    versions_and_questions,
    versions_of,
)
from .invitations import (
    answer_link,
    invitation_for_token,
    invite,
    issue_token,
    pending_invitations_of,
    portal_link,
)
from .results import responses_for, satisfaction, satisfaction_share
from .settings import DEFAULTS, can_read_free_text, survey_settings, update_settings

__all__ = [
    "DEFAULTS",
    "add_question",
    "answer",
    "answer_link",
    "can_read_free_text",
    "check_open",
    "check_owner",
    "claim",
    "clean_answers",
    "create_survey",
    "enter_paper",
    "invitation_for_token",
    "invitation_version",
    "invite",
    "issue_token",
    "new_version",
    "owner_name",
    "pending_invitations_of",
    "portal_link",
    "publish",
    "published_version",
    "questions_of",
    "record_response",
    "remove_question",
    "responses_for",
    "satisfaction",
    "satisfaction_share",
    "survey_settings",
    "surveys",
    "update_settings",
    "use_for_invitations",
    "versions_and_questions",
    "versions_of",
]
