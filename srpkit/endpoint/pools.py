"""User pools and app clients: CreateUserPool, DescribeUserPool, CreateUserPoolClient, DescribeUserPoolClient."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from .._core.checks import check_client_id, pool_name
from .context import Context, Pool, Request, Response
from .state import AppClient, PoolRecord
from .tokens import SigningKey
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
    "create_client",
    "create_pool",
    "create_user_pool",
    "create_user_pool_client",
    "describe_user_pool",
    "describe_user_pool_client",
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
    key = SigningKey.generate()
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
) -> AppClient:
    """Create an app client of ``pool_id`` (a fresh id unless ``client_id`` is given)."""
    if client_id is not None:
        check_client_id(client_id)
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
    )
    with ctx.lock:
        pool = ctx.pool({"UserPoolId": pool_id})
        if client.id in ctx.clients:
            raise ServiceError("InvalidParameterException", "App client id exists.")
        pool.clients[client.id] = ctx.clients[client.id] = client
        ctx.put(client)
    return client


def _token_seconds(request: Request, name: str, unit_key: str) -> int:
    units = request.get("TokenValidityUnits") or {}
    unit = units.get(unit_key, "hours") if isinstance(units, dict) else "hours"
    if not isinstance(unit, str):
        raise ServiceError(
            "SerializationException", f"TokenValidityUnits.{unit_key}: expected a string"
        )
    if unit not in _UNIT_SECONDS:
        raise ServiceError(
            "InvalidParameterException", f"TokenValidityUnits.{unit_key}: unknown unit"
        )
    value = read_int(request, name, 1, 86400)
    if value is None:
        return 3600
    seconds = value * _UNIT_SECONDS[unit]
    if not 300 <= seconds <= 86400:
        raise ServiceError(
            "InvalidParameterException", f"{name}: must be between 5 minutes and 1 day"
        )
    return seconds


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
        "MfaConfiguration": "OFF",
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
        "AccessTokenValidity": client.access_token_seconds // 60,
        "IdTokenValidity": client.id_token_seconds // 60,
        "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes"},
        "AuthSessionValidity": client.auth_session_minutes,
        "PreventUserExistenceErrors": client.prevent_user_existence_errors,
    }
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
    client = create_client(
        ctx,
        pool_id,
        name,
        secret=new_client_secret() if read_bool(request, "GenerateSecret", False) else None,
        explicit_auth_flows=flows,
        access_token_seconds=_token_seconds(request, "AccessTokenValidity", "AccessToken"),
        id_token_seconds=_token_seconds(request, "IdTokenValidity", "IdToken"),
        auth_session_minutes=read_int(request, "AuthSessionValidity", 3, 15) or 3,
        prevent_user_existence_errors=prevent,
    )
    return {"UserPoolClient": _described_client(client)}


def describe_user_pool_client(ctx: Context, request: Request, region: str) -> Response:
    """DescribeUserPoolClient."""
    with ctx.lock:
        pool = ctx.pool(request)
        client = pool.clients.get(str(request.get("ClientId")))
        if client is None:
            raise ServiceError("ResourceNotFoundException", "User pool client does not exist.")
        return {"UserPoolClient": _described_client(client)}
