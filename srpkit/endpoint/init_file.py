"""``srpkit serve --init FILE``: pools, app clients and users to create at start, from JSON (or YAML).

The file (JSON; YAML when its name ends in .yaml / .yml and PyYAML is
installed) is one object::

    {"pools": [{"name": "app", "id": "us-east-1_Example01",
                "username_attributes": ["email"], "alias_attributes": [],
                "case_sensitive": false,
                "password_policy": {"MinimumLength": 8, "RequireSymbols": false},
                "device_configuration": {"ChallengeRequiredOnNewDevice": true,
                                         "DeviceOnlyRememberedOnUserPrompt": false},
                "clients": [{"name": "web", "id": "...", "secret": true,
                             "explicit_auth_flows": ["ALLOW_USER_SRP_AUTH"],
                             "prevent_user_existence_errors": "ENABLED",
                             "access_token_minutes": 60, "id_token_minutes": 60,
                             "auth_session_minutes": 3,
                             "RefreshTokenValidity": 12,
                             "TokenValidityUnits": {"RefreshToken": "hours"},
                             "RefreshTokenRotation": {"Feature": "ENABLED",
                                                      "RetryGracePeriodSeconds": 10}}],
                "users": [{"username": "alice", "password": "...",
                           "attributes": {"email": "alice@example.com"}}]}]}

Only ``pools[].name``, ``clients[].name``, ``users[].username`` and
``users[].password`` are required; users are created CONFIRMED. A client's
``secret`` is true (generate one), false / absent (none) or the secret itself.
A client may also carry CreateUserPoolClient's own AccessTokenValidity,
IdTokenValidity, RefreshTokenValidity, TokenValidityUnits and
RefreshTokenRotation, checked by the code that checks that operation's
(``pools.read_token_settings``); ``access_token_minutes`` / ``id_token_minutes``
are the short forms of the first two, so a client gives one form or the other.
Every problem is an ``InitFileError`` naming the file and the field
(``pools[0].clients[1].secret``), never a value: the file may hold passwords.
A file holding a password or a client secret must be readable by its owner
only, and no file someone else owns or may write is used (it could plant a
user), as ``--state`` refuses its file. Pools, clients and users a ``--state``
file already holds (same pool id, client id or username) are left as they are.
"""

from __future__ import annotations

import importlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from .._core.errors import InvalidInputError, SRPKitError
from .._core.jsonio import JSONTextError, load_json
from .pools import ALLOW_FLOWS, DEFAULT_FLOWS, TOKEN_MEMBERS, TokenSettings, read_token_settings
from .service import CognitoService, ServiceError
from .wire import STANDARD_ATTRIBUTES, new_client_secret

__all__ = [
    "ClientSpec",
    "CreatedPool",
    "InitFileError",
    "InitSpec",
    "PoolSpec",
    "UserSpec",
    "apply_init",
    "read_init_file",
]

# An init file lists a handful of pools; the cap bounds what a wrong path can make us read.
MAX_INIT_BYTES = 1 << 20
_YAML_SUFFIXES = (".yaml", ".yml")
_POLICY_KEYS = {
    "MinimumLength": int,
    "RequireUppercase": bool,
    "RequireLowercase": bool,
    "RequireNumbers": bool,
    "RequireSymbols": bool,
    "TemporaryPasswordValidityDays": int,
}
_DEVICE_KEYS = ("ChallengeRequiredOnNewDevice", "DeviceOnlyRememberedOnUserPrompt")
# The members of TOKEN_MEMBERS' two maps (TokenValidityUnitsType, RefreshTokenRotationType).
_TOKEN_MAPS = {
    "TokenValidityUnits": ("AccessToken", "IdToken", "RefreshToken"),
    "RefreshTokenRotation": ("Feature", "RetryGracePeriodSeconds"),
}
_DEFAULT_TOKENS = TokenSettings()
_T = TypeVar("_T")


class InitFileError(InvalidInputError):
    """The --init file cannot be used: unreadable, unsafe, not JSON/YAML, or a field is wrong."""


@dataclass(frozen=True)
class UserSpec:
    """A confirmed user to create (the password only reaches make_verifier)."""

    username: str
    password: str = field(repr=False)
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ClientSpec:
    """An app client to create; ``secret`` True: generate one."""

    name: str
    id: str | None = None
    secret: str | bool = field(default=False, repr=False)
    explicit_auth_flows: tuple[str, ...] = DEFAULT_FLOWS
    prevent_user_existence_errors: str = "LEGACY"
    auth_session_minutes: int = 3
    tokens: TokenSettings = _DEFAULT_TOKENS


@dataclass(frozen=True)
class PoolSpec:
    """A pool to create, with its clients and users."""

    name: str
    id: str | None = None
    username_attributes: tuple[str, ...] = ()
    alias_attributes: tuple[str, ...] = ()
    case_sensitive: bool = True
    password_policy: dict[str, Any] | None = None
    device_configuration: dict[str, bool] | None = None
    clients: tuple[ClientSpec, ...] = ()
    users: tuple[UserSpec, ...] = ()


@dataclass(frozen=True)
class InitSpec:
    """What an --init file asks for."""

    path: str
    pools: tuple[PoolSpec, ...]

    @property
    def holds_secrets(self) -> bool:
        """Whether the file holds a password or a client secret."""
        return any(p.users or any(isinstance(c.secret, str) for c in p.clients) for p in self.pools)


@dataclass
class CreatedPool:
    """What apply_init made (or found already there): ids to print, never a secret."""

    id: str
    name: str
    existed: bool = False
    clients: list[tuple[str, str, bool]] = field(default_factory=list)  # name, id, has a secret
    users: list[str] = field(default_factory=list)


class _Fields:
    """Typed reads of one object of the file, each error naming the file and the field."""

    def __init__(self, path: str, where: str, value: object, known: tuple[str, ...]) -> None:
        self.path, self.where = path, where
        if not isinstance(value, dict):
            raise self.error(where or "the file", "expected an object")
        unknown = sorted(str(k) for k in value if k not in known)
        if unknown:
            raise self.error(
                self._at(unknown[0][:64]), f"unknown field (known: {', '.join(known)})"
            )
        self.value: dict[str, Any] = value

    def _at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def error(self, where: str, message: str) -> InitFileError:
        return InitFileError(f"{self.path}: {where}: {message}", fields=(where,))

    def text(self, key: str, *, required: bool = False, max_len: int = 128) -> str | None:
        value = self.value.get(key)
        if value is None:
            if required:
                raise self.error(self._at(key), "required")
            return None
        if not isinstance(value, str) or not 1 <= len(value) <= max_len:
            raise self.error(self._at(key), f"expected a string of 1 to {max_len} characters")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.value.get(key, default)
        if not isinstance(value, bool):
            raise self.error(self._at(key), "expected true or false")
        return value

    def number(self, key: str, low: int, high: int, default: int) -> int:
        value = self.value.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.error(self._at(key), f"expected an integer from {low} to {high}")
        return value

    def names(self, key: str, allowed: frozenset[str]) -> tuple[str, ...] | None:
        value = self.value.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(self._at(key), "expected a list of strings")
        for i, item in enumerate(value):
            if item not in allowed:
                raise self.error(
                    f"{self._at(key)}[{i}]", f"not one of {', '.join(sorted(allowed))}"
                )
        return tuple(dict.fromkeys(value))

    def items(self, key: str) -> list[tuple[str, object]]:
        value = self.value.get(key, [])
        if not isinstance(value, list):
            raise self.error(self._at(key), "expected a list")
        return [(f"{self._at(key)}[{i}]", item) for i, item in enumerate(value)]


def _policy(f: _Fields) -> dict[str, Any] | None:
    if f.value.get("password_policy") is None:
        return None
    p = _Fields(
        f.path, f"{f.where}.password_policy", f.value["password_policy"], tuple(_POLICY_KEYS)
    )
    policy: dict[str, Any] = {}
    for key, kind in _POLICY_KEYS.items():
        if key in p.value:
            policy[key] = p.flag(key, False) if kind is bool else p.number(key, 1, 365, 8)
    if "MinimumLength" in policy and not 6 <= policy["MinimumLength"] <= 99:
        raise p.error(f"{p.where}.MinimumLength", "expected an integer from 6 to 99")
    # As CreateUserPool: a policy given names its requirements; those left out are off.
    return {**{k: False for k, kind in _POLICY_KEYS.items() if kind is bool}, **policy}


def _devices(f: _Fields) -> dict[str, bool] | None:
    if f.value.get("device_configuration") is None:
        return None
    where = f"{f.where}.device_configuration"
    d = _Fields(f.path, where, f.value["device_configuration"], _DEVICE_KEYS)
    return {key: d.flag(key, False) for key in _DEVICE_KEYS}


def _short_form(f: _Fields, key: str, member: str) -> int | None:
    """Seconds from ``key``, the short form (minutes) of ``member``; None when absent."""
    minutes = f.number(key, 5, 1440, 60)
    if key not in f.value:
        return None
    if member in f.value:
        raise f.error(f"{f.where}.{member}", f"give {member} or {key}, not both")
    return 60 * minutes


def _tokens(f: _Fields) -> TokenSettings:
    """The client's token lifetimes and rotation, checked as CreateUserPoolClient checks them."""
    for key, members in _TOKEN_MAPS.items():
        if f.value.get(key) is not None:
            _Fields(f.path, f"{f.where}.{key}", f.value[key], members)  # a typo is no default
    try:
        tokens = read_token_settings({k: f.value[k] for k in TOKEN_MEMBERS if k in f.value})
    except ServiceError as exc:
        message = exc.message
    else:
        access = _short_form(f, "access_token_minutes", "AccessTokenValidity")
        id_token = _short_form(f, "id_token_minutes", "IdTokenValidity")
        return replace(
            tokens,
            access_token_seconds=access or tokens.access_token_seconds,
            id_token_seconds=id_token or tokens.id_token_seconds,
        )
    # The refusal starts with the member's whole path ("TokenValidityUnits.IdToken: ..."):
    # that member's path in the file is the field named.
    member, _, reason = message.partition(": ")
    if reason and member.split(".")[0] in TOKEN_MEMBERS:
        raise f.error(f"{f.where}.{member}", reason)
    raise f.error(f.where, message)


def _client(path: str, where: str, value: object) -> ClientSpec:
    known = (
        "name",
        "id",
        "secret",
        "explicit_auth_flows",
        "prevent_user_existence_errors",
        "access_token_minutes",
        "id_token_minutes",
        "auth_session_minutes",
        *TOKEN_MEMBERS,
    )
    f = _Fields(path, where, value, known)
    secret = f.value.get("secret", False)
    if not isinstance(secret, (bool, str)) or secret == "":
        raise f.error(f"{where}.secret", "expected true, false or the secret (a string)")
    prevent = f.text("prevent_user_existence_errors") or "LEGACY"
    if prevent not in ("LEGACY", "ENABLED"):
        raise f.error(f"{where}.prevent_user_existence_errors", "expected LEGACY or ENABLED")
    name = f.text("name", required=True)
    assert name is not None
    return ClientSpec(
        name=name,
        id=f.text("id"),
        secret=secret,
        explicit_auth_flows=f.names("explicit_auth_flows", ALLOW_FLOWS) or DEFAULT_FLOWS,
        prevent_user_existence_errors=prevent,
        auth_session_minutes=f.number("auth_session_minutes", 3, 15, 3),
        tokens=_tokens(f),
    )


def _user(path: str, where: str, value: object) -> UserSpec:
    f = _Fields(path, where, value, ("username", "password", "attributes"))
    username = f.text("username", required=True)
    password = f.text("password", required=True, max_len=256)
    assert username is not None and password is not None
    attributes = f.value.get("attributes", {})
    if not isinstance(attributes, dict):
        raise f.error(f"{where}.attributes", "expected an object of attribute names to strings")
    for name, text in attributes.items():
        at = f"{where}.attributes.{str(name)[:64]}"
        if not isinstance(text, str):
            raise f.error(at, "expected a string")
        if name not in STANDARD_ATTRIBUTES and not str(name).startswith("custom:"):
            raise f.error(at, "not a standard attribute (nor custom:...)")
    return UserSpec(username, password, dict(attributes))


def _pool(path: str, where: str, value: object) -> PoolSpec:
    known = (
        "name",
        "id",
        "username_attributes",
        "alias_attributes",
        "case_sensitive",
        "password_policy",
        "device_configuration",
        "clients",
        "users",
    )
    f = _Fields(path, where, value, known)
    name = f.text("name", required=True)
    assert name is not None
    return PoolSpec(
        name=name,
        id=f.text("id", max_len=55),
        username_attributes=f.names("username_attributes", frozenset({"email", "phone_number"}))
        or (),
        alias_attributes=f.names(
            "alias_attributes", frozenset({"email", "phone_number", "preferred_username"})
        )
        or (),
        case_sensitive=f.flag("case_sensitive", True),
        password_policy=_policy(f),
        device_configuration=_devices(f),
        clients=tuple(_client(path, w, v) for w, v in f.items("clients")),
        users=tuple(_user(path, w, v) for w, v in f.items("users")),
    )


def _read_bytes(path: str) -> tuple[bytes, os.stat_result]:
    """The file's bytes and its stat, opened without blocking (a FIFO must not hang start-up)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InitFileError(f"{path}: cannot read ({exc.strerror})") from None
    except ValueError:  # a NUL or a lone surrogate in the name
        raise InitFileError(f"{path!r}: not a usable file name") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InitFileError(f"{path}: not a regular file")
        data = handle.read(MAX_INIT_BYTES + 1)
    if len(data) > MAX_INIT_BYTES:
        raise InitFileError(f"{path}: larger than {MAX_INIT_BYTES} bytes")
    return data, info


def _parse(path: str, data: bytes) -> object:
    if Path(path).suffix.lower() in _YAML_SUFFIXES:
        try:
            # Optional (not a dependency of srpkit): only .yaml / .yml files need it.
            yaml = importlib.import_module("yaml")
        except ImportError:
            raise InitFileError(
                f"{path}: YAML needs PyYAML (pip install pyyaml); or write the file as JSON"
            ) from None
        try:
            return yaml.safe_load(data)
        except yaml.YAMLError as exc:
            # Only where: a YAML message may quote the line (a password, say).
            mark = getattr(exc, "problem_mark", None)
            problem = "not valid YAML" + (f" at line {mark.line + 1}" if mark is not None else "")
    else:
        try:
            return load_json(data)
        except JSONTextError as exc:
            problem = f"not valid JSON ({exc})"
    # Raised outside the handler: json's JSONDecodeError keeps the whole text (.doc)
    # and YAML's errors quote lines; neither may ride along as __context__.
    raise InitFileError(f"{path}: {problem}")


def _check_private(path: str, info: os.stat_result, holds_secrets: bool) -> None:
    getuid = getattr(os, "getuid", None)
    if getuid is not None and info.st_uid != getuid():
        raise InitFileError(
            f"{path}: owned by another user (uid {info.st_uid}); use an init file you created"
        )
    if os.name != "posix":
        return
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o022:
        raise InitFileError(
            f"{path}: writable by others (mode {mode:o}); anyone could add users to it: "
            f"run 'chmod go-w {path}'"
        )
    if holds_secrets and mode & 0o044:
        raise InitFileError(
            f"{path}: readable by others (mode {mode:o}) and it holds passwords or client "
            f"secrets: run 'chmod 600 {path}'"
        )


def read_init_file(path: str | os.PathLike[str]) -> InitSpec:
    """The checked contents of an --init file, or InitFileError naming the file and the field."""
    # A name that is not UTF-8 reaches argv as lone surrogates: shown escaped.
    shown = os.fsdecode(path).encode("utf-8", "backslashreplace").decode("utf-8")
    data, info = _read_bytes(os.fsdecode(path))
    top = _Fields(shown, "", _parse(shown, data), ("pools",))
    spec = InitSpec(shown, tuple(_pool(shown, w, v) for w, v in top.items("pools")))
    _check_private(shown, info, spec.holds_secrets)
    return spec


def _step(spec: InitSpec, where: str, step: Callable[[], _T]) -> _T:
    """``step()``, a refusal of the service's becoming an InitFileError that names ``where``."""
    try:
        return step()
    except (ServiceError, SRPKitError) as exc:
        # ServiceError and srpkit's checks word their refusal without the value refused.
        message = exc.message if isinstance(exc, ServiceError) else str(exc)
    # Raised outside the handler, so that no __context__ leads back to the request values.
    raise InitFileError(f"{spec.path}: {where}: {message}", fields=(where,))


def _make_pool(service: CognitoService, pool: PoolSpec) -> tuple[str, bool]:
    """The pool's id, and whether it already existed (from a --state file)."""
    if pool.id is not None and service.jwks(pool.id) is not None:
        return pool.id, True
    record = service.create_pool(
        pool.name,
        pool_id=pool.id,
        username_attributes=pool.username_attributes,
        alias_attributes=pool.alias_attributes,
        case_sensitive=pool.case_sensitive,
        password_policy=pool.password_policy,
        device_configuration=pool.device_configuration,
    )
    return record.id, False


def _client_settings(client: ClientSpec) -> dict[str, Any]:
    """The client's settings as UpdateUserPoolClient members (every one: it resets those not sent)."""
    tokens = client.tokens
    body: dict[str, Any] = {
        "ClientName": client.name,
        "ExplicitAuthFlows": list(client.explicit_auth_flows),
        "PreventUserExistenceErrors": client.prevent_user_existence_errors,
        "AuthSessionValidity": client.auth_session_minutes,
        "AccessTokenValidity": tokens.access_token_seconds,
        "IdTokenValidity": tokens.id_token_seconds,
        "RefreshTokenValidity": tokens.refresh_token_seconds,
        "TokenValidityUnits": dict.fromkeys(("AccessToken", "IdToken", "RefreshToken"), "seconds"),
    }
    if tokens.refresh_token_rotation is not None:
        body["RefreshTokenRotation"] = dict(tokens.refresh_token_rotation)
    return body


def _make_client(
    service: CognitoService, pool_id: str, client: ClientSpec
) -> tuple[str, str, bool]:
    """(name, id, has a secret) of the client made, or found already there."""
    if client.id is not None:
        try:
            described = service.handle(
                "DescribeUserPoolClient", {"UserPoolId": pool_id, "ClientId": client.id}
            )["UserPoolClient"]
        except ServiceError as exc:
            if exc.code != "ResourceNotFoundException":
                raise
        else:
            return client.name, client.id, "ClientSecret" in described
    secret = new_client_secret() if client.secret is True else client.secret or None
    made = service.create_client(
        pool_id,
        client.name,
        client_id=client.id,
        secret=secret,
        explicit_auth_flows=client.explicit_auth_flows,
        access_token_seconds=client.tokens.access_token_seconds,
        id_token_seconds=client.tokens.id_token_seconds,
        auth_session_minutes=client.auth_session_minutes,
        prevent_user_existence_errors=client.prevent_user_existence_errors,
    )
    refresh = (client.tokens.refresh_token_seconds, client.tokens.refresh_token_rotation)
    if refresh != (_DEFAULT_TOKENS.refresh_token_seconds, None):
        # CognitoService.create_client takes no refresh token lifetime or rotation: they are
        # set as UpdateUserPoolClient sets them (checked already, by the same code, at read).
        service.handle(
            "UpdateUserPoolClient",
            {"UserPoolId": pool_id, "ClientId": made.id, **_client_settings(client)},
        )
    return client.name, made.id, made.secret is not None


def _make_user(service: CognitoService, pool_id: str, user: UserSpec) -> None:
    try:
        service.handle("AdminGetUser", {"UserPoolId": pool_id, "Username": user.username})
    except ServiceError as exc:
        if exc.code != "UserNotFoundException":
            raise
    else:
        return
    service.add_user(pool_id, user.username, user.password, attributes=user.attributes)


def apply_init(service: CognitoService, spec: InitSpec) -> list[CreatedPool]:
    """Create what ``spec`` asks for (skipping what the state already holds); what was made."""
    made: list[CreatedPool] = []
    for i, pool in enumerate(spec.pools):
        where = f"pools[{i}]"
        pool_id, existed = _step(spec, where, partial(_make_pool, service, pool))
        created = CreatedPool(pool_id, pool.name, existed)
        for j, client in enumerate(pool.clients):
            created.clients.append(
                _step(
                    spec, f"{where}.clients[{j}]", partial(_make_client, service, pool_id, client)
                )
            )
        for j, user in enumerate(pool.users):
            _step(spec, f"{where}.users[{j}]", partial(_make_user, service, pool_id, user))
            created.users.append(user.username)
        made.append(created)
    return made
