"""Open lists that plugins extend through hooks: categories, document types, exclusion reasons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import Schema


@dataclass(frozen=True)
class Choice:
    code: str
    label: Any


@dataclass(frozen=True)
class FileFields:
    """Extra fields a plugin keeps on a beneficiary file under ``file.extra[namespace]``."""

    namespace: str
    schema: type[Schema]
    label: Any = ""


def merge_choices(groups) -> list[Choice]:
    """Merge hook results in call order (plugins first, core's ``trylast`` defaults last);
    the first declaration of a code wins, but core's order is kept for core's codes."""
    seen: dict[str, Choice] = {}
    for group in groups:
        for choice in group or []:
            seen.setdefault(choice.code, choice)
    return list(seen.values())
