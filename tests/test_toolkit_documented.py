"""``core.toolkit`` and ``docs/toolkit.md`` describe the same names in the same groups.

The toolkit's ``__all__`` is written in groups (``# --- <Group>: what it is for``); the document
has one ``## <Group>`` section per group with a bullet per name (`` - `name` — what it is``).
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from core import toolkit

DOC = Path(__file__).resolve().parents[1] / "docs" / "toolkit.md"
# The request forms' plumbing (issue 11): gone from the kit; plugins extend the one request-intake
# form through ``register_request_fields`` (document slots included).
REQUEST_FORM_PLUMBING = {
    "request_form_adding_row",
    "request_extra_from_form",
    "request_extra_inputs",
    "flatten_request_errors",
    "place_request_errors",
}


def toolkit_groups() -> dict[str, list[str]]:
    """Group → names, read from the comments in ``__all__`` of core/toolkit.py."""
    source = inspect.getsource(toolkit)
    block = source[source.index("__all__ = [") :]
    block = block[: block.index("\n]\n")]
    groups: dict[str, list[str]] = {}
    current = None
    for line in block.splitlines()[1:]:
        line = line.strip()
        if heading := re.match(r"# --- ([^:]+):\s*\S", line):
            current = heading.group(1).strip()
            groups[current] = []
        elif name := re.match(r'"([^"]+)",', line):
            assert current is not None, f"{name.group(1)} comes before the first group"
            groups[current].append(name.group(1))
    return groups


def documented_groups() -> dict[str, list[tuple[str, str]]]:
    """Section → (name, description), read from docs/toolkit.md."""
    groups: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            groups[current] = []
        elif current and (item := re.match(r"- `([^`]+)` — (.*)", line)):
            groups[current].append((item.group(1), item.group(2).strip()))
    return groups


def test_all_is_written_in_groups_that_cover_every_name_once():
    groups = toolkit_groups()
    names = [name for group in groups.values() for name in group]
    assert names == list(toolkit.__all__)
    assert len(names) == len(set(names))
    assert all(hasattr(toolkit, name) for name in names)


def test_every_toolkit_name_is_documented_in_its_group_in_order():
    documented = {title: [name for name, _ in items] for title, items in documented_groups().items()}
    assert documented == toolkit_groups()
    assert list(documented) == list(toolkit_groups())


def test_every_documented_name_says_what_it_is_for():
    assert [name for items in documented_groups().values() for name, text in items if len(text) < 10] == []


def test_the_module_docstring_names_every_group():
    assert [title for title in toolkit_groups() if f"**{title}**" not in toolkit.__doc__] == []


def test_the_kit_carries_no_request_form_plumbing():
    assert REQUEST_FORM_PLUMBING.isdisjoint(toolkit.__all__)
    assert not any(hasattr(toolkit, name) for name in REQUEST_FORM_PLUMBING)
