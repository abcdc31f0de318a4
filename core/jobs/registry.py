"""The task registry: what a job of each kind runs, and the periodic work.

A task is a function ``f(job, **params)`` registered under its kind::

    @task("registry.import")
    def run_import(job, storage_key):
        ...

Periodic work (notification delivery, renewal ticks) is a :class:`Periodic`: a function run
once per tenant (in its context, only for tenants that enabled ``plugin``), on a Celery beat
schedule when ``REDIS_URL`` is set and by its CLI command (cron) in any case.
Plugins return their tasks and periodic jobs from the ``register_jobs`` hook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_TASKS: dict[str, Task] = {}
_PERIODIC: dict[str, Periodic] = {}


class UnknownTask(LookupError):
    """No task is registered under this kind."""


@dataclass(frozen=True)
class Task:
    kind: str
    func: Callable[..., Any]
    # Retries after an ordinary exception (never after the worker was lost mid-run).
    max_attempts: int = 1

    def __call__(self, *args, **kwargs):
        return self.func(*args, **kwargs)


@dataclass(frozen=True)
class Periodic:
    """``func(**options)`` run for each tenant every ``every`` seconds; returns a dict of counts."""

    name: str
    func: Callable[..., dict | None]
    every: float
    plugin: str | None = None  # run only for tenants that enabled this plugin
    per_tenant: bool = True


def task(kind: str, max_attempts: int = 1) -> Callable[[Callable[..., Any]], Task]:
    """Register ``func`` as the task that runs jobs of ``kind``."""

    def decorate(func: Callable[..., Any]) -> Task:
        registered = Task(kind, func, max_attempts)
        register(registered)
        return registered

    return decorate


def periodic(name: str, every: float, plugin: str | None = None) -> Callable[[Callable[..., Any]], Periodic]:
    def decorate(func: Callable[..., Any]) -> Periodic:
        registered = Periodic(name, func, every, plugin)
        register(registered)
        return registered

    return decorate


def register(item: Task | Periodic) -> None:
    """Add a task or periodic job (idempotent for the same object; a different one is refused)."""
    table: dict = _TASKS if isinstance(item, Task) else _PERIODIC
    key = item.kind if isinstance(item, Task) else item.name
    existing = table.get(key)
    if existing is not None and existing.func is not item.func:
        raise ValueError(f"{key!r} is already registered to {existing.func!r}")
    table[key] = item


def get_task(kind: str) -> Task:
    try:
        return _TASKS[kind]
    except KeyError:
        raise UnknownTask(kind) from None


def get_periodic(name: str) -> Periodic:
    try:
        return _PERIODIC[name]
    except KeyError:
        raise UnknownTask(name) from None


def tasks() -> dict[str, Task]:
    return dict(_TASKS)


def periodic_jobs() -> dict[str, Periodic]:
    return dict(_PERIODIC)
