"""Renewing a session: REFRESH_TOKEN_AUTH (InitiateAuth, AdminInitiateAuth) and GetTokensFromRefreshToken.

Refusals as Cognito prints them: an unknown refresh token, another client's, or
one from a device sign-in refreshed without its DEVICE_KEY is "Invalid Refresh
Token." (botocore's log of Cognito's answer in aws/aws-sdk-cpp#1789; the
device case is aws/aws-sdk-cpp#851 and aws/aws-sdk-java-v2#3418); a revoked one
"Refresh Token has been revoked" (the x-amzn-ErrorMessage header printed in
aws-amplify/amplify-swift#3344). With RefreshTokenRotation ENABLED the client
must use GetTokensFromRefreshToken (the RefreshTokenRotationType reference:
"Refresh token rotation must be completed with GetTokensFromRefreshToken"),
which hands out a new refresh token and keeps the old one for
RetryGracePeriodSeconds.

Unmeasured, so worded by srpkit (no printed Cognito answer was found): an
expired refresh token ("Refresh Token has expired"), a rotated-out one past its
grace period (answered as an unknown one), and REFRESH_TOKEN_AUTH on a
rotating client.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._core.caps import MAX_CLIENT_SECRET, MAX_DEVICE_KEY, MAX_TOKEN
from .context import Context, Pool, Request, Response
from .issuing import secret_refusal, tokens_for
from .refusals import USER_DISABLED, check_secret_hash
from .state import AppClient, PoolUser, RefreshGrant
from .wire import ServiceError, read_int, read_string_map, read_text

__all__ = [
    "INVALID_REFRESH_TOKEN",
    "get_tokens_from_refresh_token",
    "read_rotation",
    "refresh_token_auth",
    "rotates",
]

INVALID_REFRESH_TOKEN = "Invalid Refresh Token."  # noqa: S105 - a message
_REVOKED = "Refresh Token has been revoked"
_EXPIRED = "Refresh Token has expired"
_MAX_GRACE_SECONDS = 60  # RetryGracePeriodSeconds: "Minimum value of 0. Maximum value of 60."


def read_rotation(request: Request) -> dict[str, Any] | None:
    """RefreshTokenRotation of CreateUserPoolClient / UpdateUserPoolClient, checked; None if absent."""
    rotation = request.get("RefreshTokenRotation")
    if rotation is None:
        return None
    if not isinstance(rotation, Mapping):
        raise ServiceError("SerializationException", "RefreshTokenRotation: expected a map")
    feature = rotation.get("Feature")
    if feature not in ("ENABLED", "DISABLED"):
        raise ServiceError(
            "InvalidParameterException", "RefreshTokenRotation.Feature: ENABLED or DISABLED"
        )
    grace = read_int(
        rotation, "RetryGracePeriodSeconds", 0, _MAX_GRACE_SECONDS, within="RefreshTokenRotation."
    )
    return {"Feature": feature, "RetryGracePeriodSeconds": 0 if grace is None else grace}


def rotates(client: AppClient) -> bool:
    """Whether the client has refresh token rotation enabled."""
    return (client.refresh_token_rotation or {}).get("Feature") == "ENABLED"


def _grace(client: AppClient) -> float:
    return float((client.refresh_token_rotation or {}).get("RetryGracePeriodSeconds", 0))


def _live_grant(
    ctx: Context, pool: Pool, client: AppClient, token: str, device_key: str | None
) -> tuple[RefreshGrant, PoolUser]:
    """The grant behind a refresh token if it may still renew a session, and its user."""
    now = ctx.clock()
    with ctx.lock:
        grant = ctx.grants.find(token)
        if grant is None or grant.client_id != client.id:
            raise ServiceError("NotAuthorizedException", INVALID_REFRESH_TOKEN)
        if grant.revoked:
            raise ServiceError("NotAuthorizedException", _REVOKED)
        if grant.replaced_at is not None and now > grant.replaced_at + _grace(client):
            raise ServiceError("NotAuthorizedException", INVALID_REFRESH_TOKEN)
        if grant.expires <= now:
            raise ServiceError("NotAuthorizedException", _EXPIRED)
        if grant.device_key is not None and device_key != grant.device_key:
            raise ServiceError("NotAuthorizedException", INVALID_REFRESH_TOKEN)
        user = pool.find(grant.username)
        if user is None:
            raise ServiceError("NotAuthorizedException", INVALID_REFRESH_TOKEN)
        if not user.enabled:
            raise ServiceError("NotAuthorizedException", USER_DISABLED)
    return grant, user


def refresh_token_auth(
    ctx: Context, pool: Pool, client: AppClient, flow: str, params: Mapping[str, str]
) -> Response:
    """REFRESH_TOKEN_AUTH / REFRESH_TOKEN: new access and id tokens, no new refresh token.

    SECRET_HASH is over the user's internal username (the grant's), not what a
    client typed: an alias pool's user signs it with their sub-like username.
    """
    if "ALLOW_REFRESH_TOKEN_AUTH" not in client.explicit_auth_flows:
        raise ServiceError("InvalidParameterException", f"{flow} flow not enabled for this client")
    if rotates(client):
        raise ServiceError(
            "InvalidParameterException",
            "Refresh token rotation is enabled for this client: use GetTokensFromRefreshToken",
        )
    token = params.get("REFRESH_TOKEN")
    if not token:
        raise ServiceError("InvalidParameterException", "Missing required parameter REFRESH_TOKEN")
    if len(token) > MAX_TOKEN:
        raise ServiceError("NotAuthorizedException", INVALID_REFRESH_TOKEN)
    grant, user = _live_grant(ctx, pool, client, token, params.get("DEVICE_KEY"))
    check_secret_hash(client, grant.username, params.get("SECRET_HASH"))
    result = tokens_for(ctx, pool, client, user, None, grant=grant)
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


def get_tokens_from_refresh_token(ctx: Context, request: Request, region: str) -> Response:
    """GetTokensFromRefreshToken: renew the session; with rotation, a new refresh token too."""
    with ctx.lock:
        pool, client = ctx.client(request)
    token = read_text(request, "RefreshToken", max_len=MAX_TOKEN)
    secret = read_text(request, "ClientSecret", required=False, max_len=MAX_CLIENT_SECRET)
    device_key = read_text(request, "DeviceKey", required=False, max_len=MAX_DEVICE_KEY)
    read_string_map(request, "ClientMetadata")
    assert token is not None
    refusal = secret_refusal(client, secret)
    if refusal is not None:
        raise refusal
    grant, user = _live_grant(ctx, pool, client, token, device_key)
    if not rotates(client):
        return {"AuthenticationResult": tokens_for(ctx, pool, client, user, None, grant=grant)}
    # The successor gets its own origin_jti, and the tokens of this answer carry it: revoking
    # the new refresh token then refuses them too. The old one stays good for the grace period.
    with ctx.lock:
        new_token, successor = ctx.grants.issue(
            client, grant.username, device_key=grant.device_key, auth_time=grant.created
        )
        ctx.grants.replace(grant, ctx.clock())
    result = tokens_for(ctx, pool, client, user, None, grant=successor)
    result["RefreshToken"] = new_token
    return {"AuthenticationResult": result}
