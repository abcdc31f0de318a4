"""Login protection shared by the login form and the API token endpoint.

Failed logins are counted per account (the normalised e-mail) and per client
address, in Redis when ``REDIS_URL`` is set (so every web process and worker sees
the same counts) or in this process's memory (the embedded default).

- After ``LOGIN_BACKOFF_AFTER`` failures in a row, each further attempt must wait
  1, 2, 4, 8… seconds after the last failure (at most ``LOGIN_MAX_BACKOFF_SECONDS``).
- After ``LOGIN_LOCKOUT_AFTER`` failures the account is locked for
  ``LOGIN_LOCKOUT_MINUTES``; a platform admin can lift it (``flask users unlock``,
  the platform admin page, ``POST /api/v1/auth/unlock``).
- A client address gets the same treatment with ``LOGIN_IP_BACKOFF_AFTER`` and
  ``LOGIN_IP_LOCKOUT_AFTER`` (higher: an office shares one address).
- Failures are forgotten ``LOGIN_FAILURE_WINDOW_MINUTES`` after the last one; a
  successful login forgets the account's failures.

While waiting or locked, even the right password is refused (without being checked).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis
from flask import current_app

KEY_PREFIX = "charity:login:"
LOCKED_INDEX = KEY_PREFIX + "locked"
_create_lock = threading.Lock()


@dataclass(frozen=True)
class Policy:
    backoff_after: int
    lockout_after: int
    lockout_seconds: int
    window_seconds: int
    max_backoff_seconds: int


@dataclass(frozen=True)
class Record:
    failures: int = 0
    last_failure: float = 0.0
    locked_until: float = 0.0


@dataclass(frozen=True)
class Verdict:
    """``wait`` seconds before the next attempt (0: go ahead); ``locked``: a lockout, not a back-off;
    ``scope``: ``"account"`` or ``"ip"``."""

    wait: int = 0
    locked: bool = False
    scope: str = "account"


def wait_seconds(record: Record, policy: Policy, now: float) -> tuple[int, bool]:
    """How long ``record`` must wait at ``now``, and whether that is a lockout."""
    if record.locked_until > now:
        return max(1, math.ceil(record.locked_until - now)), True
    if policy.backoff_after and record.failures >= policy.backoff_after:
        delay = min(2 ** (record.failures - policy.backoff_after), policy.max_backoff_seconds)
        remaining = record.last_failure + delay - now
        if remaining > 0:
            return max(1, math.ceil(remaining)), False
    return 0, False


# --------------------------------------------------------------------------- stores


class MemoryStore:
    """Counts in this process (the embedded default: one process serves everything)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: dict[str, tuple[Record, float]] = {}  # key -> (record, expires at)

    def get(self, key: str, now: float) -> Record:
        with self._lock:
            record, expires = self._records.get(key, (Record(), 0.0))
            return record if expires > now else Record()

    def add_failure(self, key: str, now: float, ttl: int) -> Record:
        with self._lock:
            self._prune(now)
            record, expires = self._records.get(key, (Record(), 0.0))
            if expires <= now:
                record = Record()
            record = Record(record.failures + 1, now, record.locked_until)
            self._records[key] = (record, max(expires, now + ttl))
            return record

    def lock(self, key: str, until: float) -> None:
        with self._lock:
            record, expires = self._records.get(key, (Record(), 0.0))
            self._records[key] = (
                Record(record.failures, record.last_failure, until),
                max(expires, until),
            )

    def clear(self, key: str) -> bool:
        with self._lock:
            return self._records.pop(key, None) is not None

    def locked(self, prefix: str, now: float) -> list[tuple[str, float]]:
        with self._lock:
            return [
                (key, record.locked_until)
                for key, (record, _expires) in self._records.items()
                if key.startswith(prefix) and record.locked_until > now
            ]

    def reset(self) -> None:
        with self._lock:
            self._records.clear()

    def _prune(self, now: float) -> None:
        if len(self._records) > 10_000:
            for key in [k for k, (_r, expires) in self._records.items() if expires <= now]:
                del self._records[key]


class RedisStore:
    """Counts in Redis: one hash per key (failures, last failure, locked until) that expires
    by itself, and a sorted set of the locked keys (for the admin page)."""

    def __init__(self, client) -> None:
        self.client = client

    def _name(self, key: str) -> str:
        return KEY_PREFIX + key

    def get(self, key: str, now: float) -> Record:
        values = self.client.hgetall(self._name(key))
        return _record(values)

    def add_failure(self, key: str, now: float, ttl: int) -> Record:
        name = self._name(key)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hincrby(name, "failures", 1)
            pipe.hset(name, "last_failure", repr(now))
            pipe.ttl(name)
            pipe.hgetall(name)
            _count, _set, remaining, values = pipe.execute()
        if remaining is None or remaining < ttl:
            self.client.expire(name, ttl)
        return _record(values)

    def lock(self, key: str, until: float) -> None:
        name = self._name(key)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(name, "locked_until", repr(until))
            pipe.expireat(name, math.ceil(until))
            pipe.zadd(LOCKED_INDEX, {key: until})
            pipe.execute()

    def clear(self, key: str) -> bool:
        with self.client.pipeline(transaction=True) as pipe:
            pipe.delete(self._name(key))
            pipe.zrem(LOCKED_INDEX, key)
            deleted, _removed = pipe.execute()
        return bool(deleted)

    def locked(self, prefix: str, now: float) -> list[tuple[str, float]]:
        self.client.zremrangebyscore(LOCKED_INDEX, "-inf", now)
        return [
            (key.decode() if isinstance(key, bytes) else key, float(score))
            for key, score in self.client.zrangebyscore(LOCKED_INDEX, now, "+inf", withscores=True)
            if (key.decode() if isinstance(key, bytes) else key).startswith(prefix)
        ]

    def reset(self) -> None:
        names = list(self.client.scan_iter(match=KEY_PREFIX + "*"))
        if names:
            self.client.delete(*names)


def _record(values: dict) -> Record:
    if not values:
        return Record()
    decoded = {(k.decode() if isinstance(k, bytes) else k): v for k, v in values.items()}
    return Record(
        failures=int(decoded.get("failures", 0)),
        last_failure=float(decoded.get("last_failure", 0.0)),
        locked_until=float(decoded.get("locked_until", 0.0)),
    )


# --------------------------------------------------------------------------- the guard


class LoginGuard:
    def __init__(self, store, account: Policy, ip: Policy, clock: Callable[[], float] = time.time):
        self.store = store
        self.policies = {"account": account, "ip": ip}
        self.clock = clock

    @staticmethod
    def _keys(email: str, ip: str | None) -> dict[str, str]:
        keys = {"account": "account:" + email}
        if ip:
            keys["ip"] = "ip:" + ip
        return keys

    def check(self, email: str, ip: str | None) -> Verdict:
        """May ``email`` try to log in from ``ip`` now? The longest wait wins."""
        now = self.clock()
        verdict = Verdict()
        for scope, key in self._keys(email, ip).items():
            wait, locked = wait_seconds(self.store.get(key, now), self.policies[scope], now)
            if wait > verdict.wait:
                verdict = Verdict(wait, locked, scope)
        return verdict

    def failed(self, email: str, ip: str | None) -> None:
        now = self.clock()
        for scope, key in self._keys(email, ip).items():
            policy = self.policies[scope]
            record = self.store.add_failure(key, now, policy.window_seconds)
            if policy.lockout_after and record.failures >= policy.lockout_after:
                self.store.lock(key, now + policy.lockout_seconds)

    def succeeded(self, email: str) -> None:
        # The address keeps its count: one good account must not reset guesses at others.
        self.store.clear("account:" + email)

    def unlock(self, email: str) -> bool:
        """Forget the failures and lockout of ``email``; True when there was something to lift."""
        return self.store.clear("account:" + email)

    def locked_accounts(self) -> list[tuple[str, float]]:
        """(e-mail, locked until as a UNIX time), soonest first."""
        now = self.clock()
        prefix = "account:"
        return sorted(
            ((key[len(prefix) :], until) for key, until in self.store.locked(prefix, now)),
            key=lambda item: item[1],
        )

    def reset(self) -> None:
        self.store.reset()


def _policies(config) -> tuple[Policy, Policy]:
    lockout = int(config["LOGIN_LOCKOUT_MINUTES"]) * 60
    window = int(config["LOGIN_FAILURE_WINDOW_MINUTES"]) * 60
    max_backoff = int(config["LOGIN_MAX_BACKOFF_SECONDS"])
    account = Policy(
        int(config["LOGIN_BACKOFF_AFTER"]), int(config["LOGIN_LOCKOUT_AFTER"]), lockout, window, max_backoff
    )
    ip = Policy(
        int(config["LOGIN_IP_BACKOFF_AFTER"]),
        int(config["LOGIN_IP_LOCKOUT_AFTER"]),
        lockout,
        window,
        max_backoff,
    )
    return account, ip


def login_guard() -> LoginGuard:
    """The app's guard (created on first use from its settings)."""
    app = current_app._get_current_object()
    guard = app.extensions.get("charity_login_guard")
    if guard is not None:
        return guard
    with _create_lock:
        guard = app.extensions.get("charity_login_guard")
        if guard is not None:
            return guard
        url = app.config.get("REDIS_URL")
        if url:
            store = RedisStore(redis.Redis.from_url(url))
        else:
            store = MemoryStore()
        guard = LoginGuard(store, *_policies(app.config))
        app.extensions["charity_login_guard"] = guard
        return guard
