"""Where uploaded files live: a small storage interface, local folder by default.

Keys are tenant-separated (``t<tenant_id>/<area>/<random>``) and never come from user
input, so a key cannot climb out of its folder. The folder (``STORAGE_DIR``) is outside
the web root; files are served only through authorised routes.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Protocol

from flask import current_app


class Storage(Protocol):
    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...


class LocalStorage:
    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise ValueError(f"storage key escapes the storage folder: {key!r}")
        return path

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


def tenant_key(tenant_id: int, area: str) -> str:
    return f"t{int(tenant_id)}/{area}/{secrets.token_hex(16)}"


def get_storage() -> Storage:
    app = current_app
    storage = app.extensions.get("charity_storage")
    if storage is None:
        storage = LocalStorage(app.config["STORAGE_DIR"])
        app.extensions["charity_storage"] = storage
    return storage
