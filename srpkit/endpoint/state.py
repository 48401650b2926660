"""What a Cognito-compatible user pool keeps, and where: records, in memory or in SQLite.

The service holds every record in memory and writes each change through to a
store. ``MemoryStore`` forgets everything at exit; ``SQLiteStore`` keeps pools,
app clients, users (salt and verifier, never a password), devices (their
verifier configs) and each pool's token signing key, so a restarted server
loses nothing. In-flight sign-ins (their ephemeral ``b``) are never stored.
Refresh tokens are kept as grants: only a SHA-256 digest of each token, never
the token itself, so a state file does not hold a token anyone could replay.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
import stat
import threading
import types
import typing
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
    "RefreshGrant",
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
    # SetUserPoolMfaConfig: OFF, ON or OPTIONAL, and whether TOTP is an enabled factor.
    mfa_configuration: str = "OFF"
    software_token_mfa: bool = False


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
    # RefreshTokenRotationType as CreateUserPoolClient / UpdateUserPoolClient carry it
    # (Feature ENABLED or DISABLED, RetryGracePeriodSeconds 0-60); None: never set.
    refresh_token_rotation: dict[str, Any] | None = None
    refresh_token_seconds: int = 30 * 86400  # RefreshTokenValidity's default, 30 days


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
    # Software-token MFA: the TOTP secret AssociateSoftwareToken issued (base32; a
    # secret), whether VerifySoftwareToken confirmed it, the user's MFA preference,
    # and the last time step whose code was accepted (a code is good once).
    totp_secret: str | None = field(default=None, repr=False)
    totp_pending: str | None = field(default=None, repr=False)  # associated, not yet verified
    totp_verified: bool = False
    software_token_mfa_enabled: bool = False
    preferred_mfa: str | None = None
    last_totp_step: int = -1
    # GlobalSignOut: access tokens issued before this time (without origin_jti) are refused.
    signed_out_at: float = 0.0


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


@dataclass
class RefreshGrant:
    """One refresh token, as its SHA-256 digest: who it signs in, and whether it still may.

    ``origin_jti`` is the claim of every access and id token issued from it, so
    revoking the grant refuses those too. ``replaced_at``: rotation handed out a
    successor then; the token stays good for the client's grace period after.
    """

    pool_id: str
    digest: str
    client_id: str
    username: str
    origin_jti: str
    created: float
    expires: float
    device_key: str | None = None
    revoked: bool = False
    replaced_at: float | None = None


Record = PoolRecord | AppClient | PoolUser | Device | RefreshGrant
# table, record type, key columns (from the record's fields)
_TABLES: tuple[tuple[str, type[Any], tuple[str, ...]], ...] = (
    ("pools", PoolRecord, ("id",)),
    ("clients", AppClient, ("id",)),
    ("users", PoolUser, ("pool_id", "username")),
    ("devices", Device, ("pool_id", "key")),
    ("grants", RefreshGrant, ("pool_id", "digest")),
)
# What ``load`` returns; grants come from ``load_grants`` (the context indexes them apart).
_LOADED = frozenset({"pools", "clients", "users", "devices"})
_TABLE_OF = {kind: (table, keys) for table, kind, keys in _TABLES}
_TUPLE_FIELDS = frozenset({"username_attributes", "alias_attributes", "explicit_auth_flows"})
_FORMAT = "srpkit-serve-state"
_VERSION = "1"


def _to_json(record: Record) -> str:
    return json.dumps(dataclasses.asdict(record), sort_keys=True, separators=(",", ":"))


_UNIONS = (Union, types.UnionType)


def _conforms(value: object, hint: Any) -> bool:
    """Whether a decoded JSON value has the type a record field declares."""
    origin = typing.get_origin(hint)
    if origin in _UNIONS:
        return any(_conforms(value, arm) for arm in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is tuple:  # stored as a JSON list
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if origin is dict:
        return isinstance(value, dict)
    if hint in (int, float):  # a JSON number; never a bool, which json gives for true
        allowed = (int, float) if hint is float else (int,)
        return isinstance(value, allowed) and not isinstance(value, bool)
    return isinstance(value, hint)


def _from_json(kind: type[Any], text: str, table: str, path: Path) -> Any:
    # A row edited or damaged by hand must stop start-up with the table named,
    # not a traceback nor a half-built record that fails later; the row itself
    # is never echoed (it may hold keys and secrets).
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise StateFileError(f"{path}: a corrupt row in table {table!r} (not a JSON object)")
    hints = typing.get_type_hints(kind)
    values: dict[str, Any] = {}
    for spec in dataclasses.fields(kind):
        if spec.name not in data:
            if spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
                raise StateFileError(f"{path}: a corrupt row in table {table!r} (no {spec.name!r})")
            continue
        value = data[spec.name]
        if not _conforms(value, hints[spec.name]):
            raise StateFileError(
                f"{path}: a corrupt row in table {table!r} ({spec.name!r} has the wrong type)"
            )
        values[spec.name] = tuple(value) if spec.name in _TUPLE_FIELDS else value
    return kind(**values)


def _check_private(path: Path) -> None:
    """Refuse a state file someone else could have planted, read or changed.

    It will hold signing keys and client secrets: a file another user owns, or
    one others may read or write, is not used as found (issue #18).
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise StateFileError(f"{path}: cannot use ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise StateFileError(f"{path}: not a regular file")
    getuid = getattr(os, "getuid", None)
    if getuid is not None and info.st_uid != getuid():
        raise StateFileError(
            f"{path}: owned by another user (uid {info.st_uid}); use a state file you "
            "created yourself, or remove this one"
        )
    if os.name == "posix" and info.st_mode & 0o077:
        raise StateFileError(
            f"{path}: readable or writable by others (mode {stat.S_IMODE(info.st_mode):o}); "
            f"it holds signing keys and client secrets: run 'chmod 600 {path}'"
        )


class Store:
    """Where records live between runs; this base keeps nothing (the in-memory default)."""

    description = "in memory"

    def load(self) -> list[Record]:
        """Every stored record: pools first, then clients, users and devices."""
        return []

    def load_grants(self) -> list[RefreshGrant]:
        """Every stored refresh-token grant."""
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
        _check_private(self._path)
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
        # Identify the file before changing anything in it: a database that is not
        # ours must be refused as it was found, its journal mode untouched.
        db.execute("BEGIN EXCLUSIVE")  # takes the lock now, not at the first write
        try:
            self._check_format(db)
        finally:
            db.execute("ROLLBACK")
        db.execute("PRAGMA journal_mode = WAL")
        # WAL with synchronous=NORMAL: a commit costs no fsync; a crash may lose the last
        # changes but never corrupts the file.
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("BEGIN EXCLUSIVE")
        try:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
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

    def _check_format(self, db: sqlite3.Connection) -> None:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if tables and "meta" not in tables:
            raise StateFileError(f"{self._path}: not an srpkit state file")
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall()) if tables else {}
        if meta and meta.get("format") != _FORMAT:
            raise StateFileError(f"{self._path}: not an srpkit state file")
        if meta and meta.get("version") != _VERSION:
            raise StateFileError(
                f"{self._path}: format version {meta.get('version')!r}; this srpkit "
                f"reads version {_VERSION}"
            )

    def _rows(self, table: str, kind: type[Any]) -> list[Any]:
        with self._lock:
            rows = self._db.execute(f"SELECT data FROM {table}").fetchall()  # noqa: S608
        return [_from_json(kind, row[0], table, self._path) for row in rows]

    def load(self) -> list[Record]:
        records: list[Record] = []
        for table, kind, _ in _TABLES:
            if table in _LOADED:
                records.extend(self._rows(table, kind))
        return records

    def load_grants(self) -> list[RefreshGrant]:
        return self._rows("grants", RefreshGrant)

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
