"""User pools and app clients: Create, Describe, List and Delete, for both; UpdateUserPoolClient."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Mapping
from typing import Any

from .._core.checks import check_client_id, pool_name
from .context import Context, Pool, Request, Response
from .listing import page, read_limit
from .refresh import read_rotation
from .state import AppClient, PoolRecord
from .wire import (
    DEFAULT_PASSWORD_POLICY,
    ServiceError,
    new_client_id,
    new_client_secret,
    new_pool_id,
    read_bool,
    read_int,
    read_list,
    read_text,
)

__all__ = [
    "ALLOW_FLOWS",
    "DEFAULT_FLOWS",
    "NO_REQUIREMENTS",
    "TOKEN_MEMBERS",
    "TokenSettings",
    "create_client",
    "create_pool",
    "create_user_pool",
    "create_user_pool_client",
    "delete_user_pool",
    "delete_user_pool_client",
    "describe_user_pool",
    "describe_user_pool_client",
    "list_user_pool_clients",
    "list_user_pools",
    "read_token_settings",
    "update_user_pool_client",
]

ALLOW_FLOWS = frozenset(
    {
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_USER_AUTH",
        "ALLOW_CUSTOM_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    }
)
DEFAULT_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
NO_REQUIREMENTS = {k: False for k in DEFAULT_PASSWORD_POLICY if k.startswith("Require")}
_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
# UserPoolNameType and ClientNameType: lengths only this endpoint checks (no client sends them).
_MAX_NAME = 128


def create_pool(
    ctx: Context,
    name: str,
    *,
    region: str,
    pool_id: str | None = None,
    username_attributes: tuple[str, ...] = (),
    alias_attributes: tuple[str, ...] = (),
    case_sensitive: bool = True,
    password_policy: Mapping[str, Any] | None = None,
    device_configuration: Mapping[str, bool] | None = None,
) -> PoolRecord:
    """Create a pool (a fresh id in ``region`` unless ``pool_id`` is given)."""
    if username_attributes and alias_attributes:
        raise ServiceError(
            "InvalidParameterException",
            "UsernameAttributes and AliasAttributes cannot both be set.",
        )
    if pool_id is not None:
        pool_name(pool_id)
    now = ctx.clock()
    key = ctx.new_pool_key()  # shared: no RSA key generation on the request path (#18)
    record = PoolRecord(
        id=pool_id or new_pool_id(region),
        name=name,
        created=now,
        username_attributes=tuple(username_attributes),
        alias_attributes=tuple(alias_attributes),
        case_sensitive=case_sensitive,
        password_policy={**DEFAULT_PASSWORD_POLICY, **(password_policy or {})},
        device_configuration=None if device_configuration is None else dict(device_configuration),
        signing_key=key.to_pem(),
        decoy_key=secrets.token_hex(32),
    )
    pool = Pool(record, key)
    with ctx.lock:
        if record.id in ctx.pools:
            raise ServiceError("InvalidParameterException", f"User pool {record.id} exists.")
        ctx.pools[record.id] = pool
        ctx.put(record)
    return record


def create_client(
    ctx: Context,
    pool_id: str,
    name: str,
    *,
    client_id: str | None = None,
    secret: str | None = None,
    explicit_auth_flows: tuple[str, ...] = DEFAULT_FLOWS,
    access_token_seconds: int = 3600,
    id_token_seconds: int = 3600,
    auth_session_minutes: int = 3,
    prevent_user_existence_errors: str = "LEGACY",
    refresh_token_seconds: int = 30 * 86400,
    refresh_token_rotation: Mapping[str, Any] | None = None,
) -> AppClient:
    """Create an app client of ``pool_id`` (a fresh id unless ``client_id`` is given)."""
    if client_id is not None:
        check_client_id(client_id)
    rotation = None if refresh_token_rotation is None else dict(refresh_token_rotation)
    client = AppClient(
        id=client_id or new_client_id(),
        pool_id=pool_id,
        name=name,
        created=ctx.clock(),
        secret=secret,
        explicit_auth_flows=tuple(explicit_auth_flows),
        access_token_seconds=access_token_seconds,
        id_token_seconds=id_token_seconds,
        auth_session_minutes=auth_session_minutes,
        prevent_user_existence_errors=prevent_user_existence_errors,
        refresh_token_seconds=refresh_token_seconds,
        refresh_token_rotation=rotation,
    )
    with ctx.lock:
        pool = ctx.pool({"UserPoolId": pool_id})
        if client.id in ctx.clients:
            raise ServiceError("InvalidParameterException", "App client id exists.")
        pool.clients[client.id] = ctx.clients[client.id] = client
        ctx.put(client)
    return client


@dataclasses.dataclass(frozen=True)
class _Validity:
    """One token's lifetime member: its unit key, default unit, default and bounds (seconds)."""

    member: str
    unit_key: str
    default_unit: str
    default: int
    low: int
    high: int
    bounds: str  # low and high, in words
    model_min: int  # the member's bounds in botocore's model, in any unit
    model_max: int


# TokenValidityUnitsType (API reference): access and ID tokens default to hours and "can
# range from five minutes to one day"; refresh tokens default to days and "can range from
# 60 minutes to 10 years". Defaults: 1 hour, 1 hour, 30 days; a RefreshTokenValidity of 0
# Cognito "overrides ... with the default value of 30 days" (UserPoolClientType's reference).
_DAY_WORDS = "5 minutes and 1 day"
_ACCESS = _Validity(
    "AccessTokenValidity", "AccessToken", "hours", 3600, 300, 86400, _DAY_WORDS, 1, 86400
)
_ID = _Validity("IdTokenValidity", "IdToken", "hours", 3600, 300, 86400, _DAY_WORDS, 1, 86400)
_REFRESH = _Validity(
    "RefreshTokenValidity",
    "RefreshToken",
    "days",
    30 * 86400,
    3600,
    3650 * 86400,
    "60 minutes and 10 years",
    0,
    315360000,
)


def _token_seconds(request: Request, validity: _Validity) -> int:
    """A token lifetime in seconds from its member and TokenValidityUnits (absent: the default)."""
    units = request.get("TokenValidityUnits") or {}
    if not isinstance(units, Mapping):
        raise ServiceError("SerializationException", "TokenValidityUnits: expected a map")
    unit = units.get(validity.unit_key, validity.default_unit)
    where = f"TokenValidityUnits.{validity.unit_key}"
    if not isinstance(unit, str):
        raise ServiceError("SerializationException", f"{where}: expected a string")
    if unit not in _UNIT_SECONDS:
        raise ServiceError(
            "InvalidParameterException", f"{where}: one of {', '.join(_UNIT_SECONDS)}"
        )
    value = read_int(request, validity.member, validity.model_min, validity.model_max)
    if not value:  # absent, or a RefreshTokenValidity of 0
        return validity.default
    seconds = value * _UNIT_SECONDS[unit]
    if not validity.low <= seconds <= validity.high:
        raise ServiceError(
            "InvalidParameterException", f"{validity.member}: must be between {validity.bounds}"
        )
    return seconds


# The CreateUserPoolClient / UpdateUserPoolClient members read_token_settings reads.
TOKEN_MEMBERS = (
    "AccessTokenValidity",
    "IdTokenValidity",
    "RefreshTokenValidity",
    "TokenValidityUnits",
    "RefreshTokenRotation",
)


@dataclasses.dataclass(frozen=True)
class TokenSettings:
    """An app client's token lifetimes (seconds) and refresh token rotation (None: off)."""

    access_token_seconds: int = _ACCESS.default
    id_token_seconds: int = _ID.default
    refresh_token_seconds: int = _REFRESH.default
    refresh_token_rotation: dict[str, Any] | None = None


def read_token_settings(request: Request) -> TokenSettings:
    """The TOKEN_MEMBERS of a CreateUserPoolClient / UpdateUserPoolClient request, checked.

    The one home of these checks: the two operations and ``srpkit serve --init``
    all read them here. A refusal is a ServiceError whose message starts with the
    member it refuses.
    """
    return TokenSettings(
        access_token_seconds=_token_seconds(request, _ACCESS),
        id_token_seconds=_token_seconds(request, _ID),
        refresh_token_seconds=_token_seconds(request, _REFRESH),
        refresh_token_rotation=read_rotation(request),
    )


def _in_units(seconds: int, largest: str) -> tuple[int, str]:
    """``seconds`` in the largest unit up to ``largest`` that holds it exactly."""
    names = list(_UNIT_SECONDS)
    for unit in reversed(names[: names.index(largest) + 1]):
        if seconds % _UNIT_SECONDS[unit] == 0:
            return seconds // _UNIT_SECONDS[unit], unit
    return seconds, "seconds"


def _described_pool(pool: Pool) -> dict[str, Any]:
    record = pool.record
    out: dict[str, Any] = {
        "Id": record.id,
        "Name": record.name,
        "Arn": f"arn:aws:cognito-idp:{record.id.split('_')[0]}:000000000000:userpool/{record.id}",
        "CreationDate": record.created,
        "LastModifiedDate": record.created,
        "Policies": {"PasswordPolicy": dict(record.password_policy)},
        "UsernameConfiguration": {"CaseSensitive": record.case_sensitive},
        "MfaConfiguration": record.mfa_configuration,
        "EstimatedNumberOfUsers": len(pool.users),
    }
    if record.username_attributes:
        out["UsernameAttributes"] = list(record.username_attributes)
    if record.alias_attributes:
        out["AliasAttributes"] = list(record.alias_attributes)
    if record.device_configuration is not None:
        out["DeviceConfiguration"] = dict(record.device_configuration)
    return out


def _described_client(client: AppClient) -> dict[str, Any]:
    out: dict[str, Any] = {
        "UserPoolId": client.pool_id,
        "ClientName": client.name,
        "ClientId": client.id,
        "CreationDate": client.created,
        "LastModifiedDate": client.created,
        "ExplicitAuthFlows": list(client.explicit_auth_flows),
    }
    units: dict[str, str] = {}
    for member, key, seconds, largest in (
        ("AccessTokenValidity", "AccessToken", client.access_token_seconds, "minutes"),
        ("IdTokenValidity", "IdToken", client.id_token_seconds, "minutes"),
        ("RefreshTokenValidity", "RefreshToken", client.refresh_token_seconds, "days"),
    ):
        out[member], units[key] = _in_units(seconds, largest)
    out["TokenValidityUnits"] = units
    out["AuthSessionValidity"] = client.auth_session_minutes
    out["PreventUserExistenceErrors"] = client.prevent_user_existence_errors
    if client.refresh_token_rotation is not None:
        out["RefreshTokenRotation"] = dict(client.refresh_token_rotation)
    if client.secret is not None:
        out["ClientSecret"] = client.secret
    return out


def create_user_pool(ctx: Context, request: Request, region: str) -> Response:
    """CreateUserPool."""
    name = read_text(request, "PoolName", max_len=_MAX_NAME)
    assert name is not None
    policies = request.get("Policies") or {}
    policy = policies.get("PasswordPolicy") if isinstance(policies, dict) else None
    if policy is not None and not isinstance(policy, dict):
        raise ServiceError("SerializationException", "Policies.PasswordPolicy: expected a map")
    if policy is not None:
        read_int(policy, "MinimumLength", 6, 99)
        for key in ("RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols"):
            read_bool(policy, key, False)
        policy = {**NO_REQUIREMENTS, **policy}
    config = request.get("UsernameConfiguration") or {}
    case_sensitive = read_bool(config, "CaseSensitive", True) if isinstance(config, dict) else True
    devices = request.get("DeviceConfiguration")
    device_configuration = None
    if devices is not None:
        if not isinstance(devices, dict):
            raise ServiceError("SerializationException", "DeviceConfiguration: expected a map")
        device_configuration = {
            "ChallengeRequiredOnNewDevice": read_bool(
                devices, "ChallengeRequiredOnNewDevice", False
            ),
            "DeviceOnlyRememberedOnUserPrompt": read_bool(
                devices, "DeviceOnlyRememberedOnUserPrompt", False
            ),
        }
    record = create_pool(
        ctx,
        name,
        region=region,
        username_attributes=read_list(
            request, "UsernameAttributes", frozenset({"email", "phone_number"})
        ),
        alias_attributes=read_list(
            request,
            "AliasAttributes",
            frozenset({"email", "phone_number", "preferred_username"}),
        ),
        case_sensitive=case_sensitive,
        password_policy=policy,
        device_configuration=device_configuration,
    )
    with ctx.lock:
        return {"UserPool": _described_pool(ctx.pools[record.id])}


def describe_user_pool(ctx: Context, request: Request, region: str) -> Response:
    """DescribeUserPool."""
    with ctx.lock:
        return {"UserPool": _described_pool(ctx.pool(request))}


def create_user_pool_client(ctx: Context, request: Request, region: str) -> Response:
    """CreateUserPoolClient."""
    with ctx.lock:
        pool_id = ctx.pool(request).record.id
    name = read_text(request, "ClientName", max_len=_MAX_NAME)
    assert name is not None
    flows = read_list(request, "ExplicitAuthFlows", ALLOW_FLOWS) or DEFAULT_FLOWS
    prevent = request.get("PreventUserExistenceErrors", "LEGACY")
    if prevent not in ("LEGACY", "ENABLED"):
        raise ServiceError(
            "InvalidParameterException", "PreventUserExistenceErrors: LEGACY or ENABLED"
        )
    tokens = read_token_settings(request)
    client = create_client(
        ctx,
        pool_id,
        name,
        secret=new_client_secret() if read_bool(request, "GenerateSecret", False) else None,
        explicit_auth_flows=flows,
        access_token_seconds=tokens.access_token_seconds,
        id_token_seconds=tokens.id_token_seconds,
        auth_session_minutes=read_int(request, "AuthSessionValidity", 3, 15) or 3,
        prevent_user_existence_errors=prevent,
        refresh_token_seconds=tokens.refresh_token_seconds,
        refresh_token_rotation=tokens.refresh_token_rotation,
    )
    return {"UserPoolClient": _described_client(client)}


def _pool_client(ctx: Context, request: Request) -> tuple[Pool, AppClient]:
    """The request's pool and its app client ClientId names (call with the lock held)."""
    pool = ctx.pool(request)
    client = pool.clients.get(str(request.get("ClientId")))
    if client is None:
        raise ServiceError("ResourceNotFoundException", "User pool client does not exist.")
    return pool, client


def describe_user_pool_client(ctx: Context, request: Request, region: str) -> Response:
    """DescribeUserPoolClient."""
    with ctx.lock:
        _, client = _pool_client(ctx, request)
        return {"UserPoolClient": _described_client(client)}


def list_user_pools(ctx: Context, request: Request, region: str) -> Response:
    """ListUserPools: MaxResults (1 to 60) is required, NextToken pages on."""
    limit = read_limit(request, "MaxResults", low=1, default=60, required=True)
    with ctx.lock:
        pools, token = page(
            list(ctx.pools.values()), lambda p: p.record.id, request, "NextToken", limit
        )
        described = [
            {
                "Id": p.record.id,
                "Name": p.record.name,
                "LambdaConfig": {},
                "LastModifiedDate": p.record.created,
                "CreationDate": p.record.created,
            }
            for p in pools
        ]
    out: dict[str, Any] = {"UserPools": described}
    if token is not None:
        out["NextToken"] = token
    return out


def list_user_pool_clients(ctx: Context, request: Request, region: str) -> Response:
    """ListUserPoolClients: MaxResults 1 to 60 (default 60), NextToken pages on."""
    limit = read_limit(request, "MaxResults", low=1, default=60)
    with ctx.lock:
        pool = ctx.pool(request)
        clients, token = page(
            list(pool.clients.values()), lambda c: c.id, request, "NextToken", limit
        )
    out: dict[str, Any] = {
        "UserPoolClients": [
            {"ClientId": c.id, "UserPoolId": c.pool_id, "ClientName": c.name} for c in clients
        ]
    }
    if token is not None:
        out["NextToken"] = token
    return out


def delete_user_pool(ctx: Context, request: Request, region: str) -> Response:
    """DeleteUserPool: the pool, its app clients, users, devices and refresh grants; their tokens stop working."""
    with ctx.lock:
        pool = ctx.pool(request)
        for record in ctx.remove_pool(pool):
            ctx.store.delete(record)
        ctx.grants.forget_pool(pool.record.id)
    return {}


def update_user_pool_client(ctx: Context, request: Request, region: str) -> Response:
    """UpdateUserPoolClient: what the request leaves out returns to its default, as AWS documents.

    The API reference: "If you don't provide a value for an attribute, Amazon
    Cognito sets it to its default value." ClientName and the secret stay.
    """
    with ctx.lock:
        _, client = _pool_client(ctx, request)
    name = read_text(request, "ClientName", required=False, max_len=_MAX_NAME) or client.name
    flows = read_list(request, "ExplicitAuthFlows", ALLOW_FLOWS) or DEFAULT_FLOWS
    prevent = request.get("PreventUserExistenceErrors", "LEGACY")
    if prevent not in ("LEGACY", "ENABLED"):
        raise ServiceError(
            "InvalidParameterException", "PreventUserExistenceErrors: LEGACY or ENABLED"
        )
    tokens = read_token_settings(request)
    updated = dataclasses.replace(
        client,
        name=name,
        explicit_auth_flows=flows,
        access_token_seconds=tokens.access_token_seconds,
        id_token_seconds=tokens.id_token_seconds,
        auth_session_minutes=read_int(request, "AuthSessionValidity", 3, 15) or 3,
        prevent_user_existence_errors=prevent,
        refresh_token_seconds=tokens.refresh_token_seconds,
        refresh_token_rotation=tokens.refresh_token_rotation,
    )
    with ctx.lock:
        pool, _ = _pool_client(ctx, request)  # again: a DeleteUserPoolClient meanwhile wins
        pool.clients[updated.id] = ctx.clients[updated.id] = updated
        ctx.put(updated)
    return {"UserPoolClient": _described_client(updated)}


def delete_user_pool_client(ctx: Context, request: Request, region: str) -> Response:
    """DeleteUserPoolClient: sign-ins through it stop (its pending ones find no client)."""
    with ctx.lock:
        pool, client = _pool_client(ctx, request)
        del pool.clients[client.id]
        ctx.clients.pop(client.id, None)
        ctx.store.delete(client)
    return {}
