"""Which process runs a job, and whether that process is still alive.

A job that starts running records its owner: ``host:pid:start`` (the process's start time
from ``/proc``, so a pid reused by another process is not taken for the owner). A process of
the same host can then tell at once that the owner died (``kill -9``, a crash, a restart) —
without waiting for the heartbeat to go stale. Owners on other hosts are unknown here: their
jobs are still found by the heartbeat (:func:`core.jobs.service.reap`).
"""

from __future__ import annotations

import os
import socket
from functools import cache

OWNER_LENGTH = 128


def _start_time(pid: int) -> str | None:
    """The process's start time (clock ticks since boot), None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            # The command name (field 2) may hold spaces: the fields after it follow the last ")".
            return stat.read().rsplit(")", 1)[1].split()[19]
    except FileNotFoundError:
        return None
    except OSError:  # no /proc: whether the pid exists is all that can be told
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return ""
        return ""


@cache
def _host() -> str:
    return socket.gethostname()[:64]


def current_owner() -> str:
    """This process, as written in ``Job.owner``."""
    pid = os.getpid()
    return f"{_host()}:{pid}:{_start_time(pid) or ''}"[:OWNER_LENGTH]


def owner_is_dead(owner: str | None) -> bool:
    """True when ``owner`` was a process of this host that no longer runs (False if unknown)."""
    if not owner:
        return False
    try:
        host, pid, started = owner.rsplit(":", 2)
        pid_number = int(pid)
    except ValueError:
        return False
    if host != _host():
        return False
    now = _start_time(pid_number)
    return now is None or (bool(started) and bool(now) and now != started)
