"""What a Cognito-compatible user pool keeps, and where: records, in memory or in SQLite.

The service holds every record in memory and writes each change through to a
store. ``MemoryStore`` forgets everything at exit; ``SQLiteStore`` keeps pools,
app clients, users (salt and verifier, never a password), devices (their
verifier configs) and each pool's token signing key, so a restarted server
loses nothing. In-flight sign-ins (their ephemeral ``b``) are never stored.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

__all__ = [
    "AppClient",
    "Device",
    "MemoryStore",
    "PoolRecord",
    "PoolUser",
    "Record",
    "SQLiteStore",
    "StateFileError",
    "Store",
]


class StateFileError(Exception):
    """The --state file cannot be used (not srpkit's, a newer format, or in use)."""


@dataclass
class PoolRecord:
    """A user pool's settings and its token signing key (PEM; a secret)."""

    id: str
    name: str
    created: float
    username_attributes: tuple[str, ...] = ()
    alias_attributes: tuple[str, ...] = ()
    case_sensitive: bool = True
    password_policy: dict[str, Any] = field(default_factory=dict)
    # None: no device tracking (no NewDeviceMetadata is ever issued).
    device_configuration: dict[str, bool] | None = None
    signing_key: str = field(default="", repr=False)
    # Keys the decoy challenges for unknown users (PreventUserExistenceErrors).
    decoy_key: str = field(default="", repr=False)


@dataclass
class AppClient:
    """An app client: its secret (if any), enabled flows and token lifetimes."""

    id: str
    pool_id: str
    name: str
    created: float
    secret: str | None = field(default=None, repr=False)
    explicit_auth_flows: tuple[str, ...] = ()
    access_token_seconds: int = 3600
    id_token_seconds: int = 3600
    auth_session_minutes: int = 3
    prevent_user_existence_errors: str = "LEGACY"


@dataclass
class PoolUser:
    """A user: the salt and verifier of the password (never the password), attributes, status."""

    pool_id: str
    username: str
    sub: str
    salt: str
    verifier: str = field(repr=False)
    attributes: dict[str, str] = field(default_factory=dict)
    status: str = "CONFIRMED"
    enabled: bool = True
    created: float = 0.0
    modified: float = 0.0


@dataclass
class Device:
    """A device the pool handed out; its verifier config once ConfirmDevice registered it."""

    pool_id: str
    username: str
    key: str
    group_key: str
    created: float
    verifier_config: dict[str, str] | None = field(default=None, repr=False)
    name: str | None = None
    remembered: bool = False
    last_authenticated: float | None = None


Record = Union[PoolRecord, AppClient, PoolUser, Device]
# table, record type, key columns (from the record's fields)
_TABLES: tuple[tuple[str, type[Any], tuple[str, ...]], ...] = (
    ("pools", PoolRecord, ("id",)),
    ("clients", AppClient, ("id",)),
    ("users", PoolUser, ("pool_id", "username")),
    ("devices", Device, ("pool_id", "key")),
)
_TABLE_OF = {kind: (table, keys) for table, kind, keys in _TABLES}
_TUPLE_FIELDS = frozenset({"username_attributes", "alias_attributes", "explicit_auth_flows"})
_FORMAT = "srpkit-serve-state"
_VERSION = "1"


def _to_json(record: Record) -> str:
    return json.dumps(dataclasses.asdict(record), sort_keys=True, separators=(",", ":"))


def _from_json(kind: type[Any], text: str) -> Any:
    data = json.loads(text)
    names = {f.name for f in dataclasses.fields(kind)}
    values = {k: tuple(v) if k in _TUPLE_FIELDS else v for k, v in data.items() if k in names}
    return kind(**values)


class Store:
    """Where records live between runs; this base keeps nothing (the in-memory default)."""

    description = "in memory"

    def load(self) -> list[Record]:
        """Every stored record: pools first, then clients, users and devices."""
        return []

    def put(self, record: Record) -> None:
        """Insert or replace one record."""

    def delete(self, record: Record) -> None:
        """Remove one record (by its key)."""

    def close(self) -> None:
        """Release the store."""


class MemoryStore(Store):
    """State in memory only: gone when the process ends."""


class SQLiteStore(Store):
    """State in one SQLite file (stdlib sqlite3), one JSON row per record, written on every change.

    The file is created owner-only (it holds the signing keys and client
    secrets) and held with an exclusive lock, so two servers never share it.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._path = Path(path)
        self.description = f"state in {self._path}"
        try:
            if not self._path.exists():
                # Created 0600 before SQLite opens it: the keys inside must not be world-readable.
                os.close(os.open(self._path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
        except OSError as exc:
            raise StateFileError(f"{self._path}: cannot create ({exc.strerror})") from None
        except ValueError:  # os.open() refuses a NUL or a lone surrogate in the path
            raise StateFileError(f"{str(self._path)!r}: not a usable file name") from None
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise StateFileError(f"{self._path}: cannot open ({exc})") from None
        try:
            self._open()
        except sqlite3.Error as exc:
            self._db.close()
            message = str(exc)
            if "locked" in message:
                message = "in use by another srpkit serve"
            elif "not a database" in message:
                message = "not an srpkit state file"
            raise StateFileError(f"{self._path}: {message}") from None
        except StateFileError:
            self._db.close()
            raise

    def _open(self) -> None:
        db = self._db
        db.execute("PRAGMA busy_timeout = 0")
        db.execute("PRAGMA locking_mode = EXCLUSIVE")
        db.execute("PRAGMA journal_mode = WAL")
        # WAL with synchronous=NORMAL: a commit costs no fsync; a crash may lose the last
        # changes but never corrupts the file.
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("BEGIN EXCLUSIVE")  # takes the lock now, not at the first write
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if tables and "meta" not in tables:
                raise StateFileError(f"{self._path}: not an srpkit state file")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if meta and meta.get("format") != _FORMAT:
                raise StateFileError(f"{self._path}: not an srpkit state file")
            if meta and meta.get("version") != _VERSION:
                raise StateFileError(
                    f"{self._path}: format version {meta.get('version')!r}; this srpkit "
                    f"reads version {_VERSION}"
                )
            db.executemany(
                "INSERT OR IGNORE INTO meta VALUES (?, ?)",
                [("format", _FORMAT), ("version", _VERSION)],
            )
            for table, _, keys in _TABLES:
                columns = ", ".join(f"{k} TEXT NOT NULL" for k in keys)
                db.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} ({columns}, data TEXT NOT NULL, "
                    f"PRIMARY KEY ({', '.join(keys)}))"
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def load(self) -> list[Record]:
        records: list[Record] = []
        with self._lock:
            for table, kind, _ in _TABLES:
                rows = self._db.execute(f"SELECT data FROM {table}").fetchall()  # noqa: S608
                records.extend(_from_json(kind, row[0]) for row in rows)
        return records

    def put(self, record: Record) -> None:
        table, keys = _TABLE_OF[type(record)]
        values = [getattr(record, k) for k in keys]
        placeholders = ", ".join("?" for _ in range(len(keys) + 1))
        data = _to_json(record)
        with self._lock:
            self._db.execute(
                f"INSERT OR REPLACE INTO {table} ({', '.join(keys)}, data) "  # noqa: S608
                f"VALUES ({placeholders})",
                [*values, data],
            )

    def delete(self, record: Record) -> None:
        table, keys = _TABLE_OF[type(record)]
        where = " AND ".join(f"{k} = ?" for k in keys)
        with self._lock:
            self._db.execute(
                f"DELETE FROM {table} WHERE {where}",  # noqa: S608
                [getattr(record, k) for k in keys],
            )

    def close(self) -> None:
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._db.close()
