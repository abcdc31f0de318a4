"""Text encrypted at rest with the platform's keys (Fernet, ``ID_ENCRYPTION_KEYS``: the first
key encrypts, every key decrypts — keys rotate by prepending a new one; in development a key
derived from ``SECRET_KEY``, refused in production by ``core.config``).

The registry's ID numbers (``core.registry.ids``) and the notification outbox's sealed texts
(``core.notifications``) are kept this way; a lower layer than both, so either may use it.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


@lru_cache(maxsize=16)
def derived_key(purpose: str, secret: str) -> bytes:
    """A key derived from a secret (pure, so remembered: an import asks for it per person)."""
    return hashlib.sha256(f"{purpose}:{secret}".encode()).digest()


def dev_encryption_key(secret_key: str) -> str:
    """The development default, derived from SECRET_KEY; refused in production (core.config)."""
    return base64.urlsafe_b64encode(derived_key("charity-id-encryption", secret_key)).decode()


def _fernet() -> MultiFernet:
    keys = current_app.config.get("ID_ENCRYPTION_KEYS") or [
        dev_encryption_key(current_app.config["SECRET_KEY"])
    ]
    return _multi_fernet(tuple(keys))


@lru_cache(maxsize=8)
def _multi_fernet(keys: tuple) -> MultiFernet:
    """The cipher of a set of keys, built once per set. It holds only the keys: every
    ``encrypt`` still draws its own random IV, so no two ciphertexts share one."""
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def encrypter() -> Callable[[str], str]:
    """:func:`encrypt` with this app's keys looked up once (a bulk write: a call per row)."""
    fernet = _fernet()
    return lambda text: fernet.encrypt(text.encode()).decode()


def decrypt(token: str | None) -> str | None:
    """The text of ``token``; None for none, or for one no key of the platform opens."""
    if not token:
        return None
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def rotate(token: str) -> str:
    """Re-encrypt with the current (first) key."""
    return _fernet().rotate(token.encode()).decode()
