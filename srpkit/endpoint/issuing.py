"""The tokens a sign-in ends with, the one check of an access token, and RevokeToken.

Claims as Cognito documents them ("Understanding the access token" and "...the
identity (ID) token" in the Cognito developer guide, whose example payloads
these follow): the access token carries sub, iss, version, client_id,
origin_jti, event_id, token_use, scope, auth_time, exp, iat, jti, username and,
after a device sign-in, device_key; the id token sub, aud, iss,
cognito:username, origin_jti, event_id, token_use, auth_time, exp, iat, jti and
the user's attributes. Tokens refreshed from one refresh token keep its
origin_jti and auth_time (the knowledge-center article "How do I revoke refresh
tokens": "the new access and ID tokens have the same origin_jti claim. The jti
claims are different.").
"""

from __future__ import annotations

import uuid
from typing import Any

from .._core.caps import MAX_TOKEN
from .context import Context, Pool, Request, Response
from .grants import client_secret_matches
from .refusals import USER_DISABLED
from .state import AppClient, PoolUser, RefreshGrant
from .tokens import unverified_claims
from .wire import ServiceError, read_text

__all__ = [
    "REVOKED_ACCESS_TOKEN",
    "access_token_user",
    "access_token_valid",
    "revoke_token",
    "secret_refusal",
    "tokens_for",
]

_INVALID_TOKEN = "Invalid Access Token"  # noqa: S105 - a message
# The message Cognito answers a revoked access token with: AdminUserGlobalSignOut's API
# reference ("Amazon Cognito returns an Access Token has been revoked error"), as printed
# in aws-amplify/amplify-js#2205.
REVOKED_ACCESS_TOKEN = "Access Token has been revoked"  # noqa: S105 - a message


def tokens_for(
    ctx: Context,
    pool: Pool,
    client: AppClient,
    user: PoolUser,
    device_key: str | None,
    *,
    grant: RefreshGrant | None = None,
) -> dict[str, Any]:
    """The AuthenticationResult: RS256 access and id tokens, and a new refresh token unless refreshing.

    With ``grant`` (a refresh), the tokens keep its origin_jti, auth_time and
    device, and no RefreshToken is returned, as REFRESH_TOKEN_AUTH answers.
    """
    now = int(ctx.clock())
    refresh_token = None
    if grant is None:
        with ctx.lock:
            refresh_token, grant = ctx.grants.issue(
                client, user.username, device_key=device_key, auth_time=now
            )
    else:
        device_key = grant.device_key
    auth_time = int(grant.created)
    common = {
        "sub": user.sub,
        "iss": ctx.issuer(pool.record.id),
        "event_id": str(uuid.uuid4()),
        "auth_time": auth_time,
        "iat": now,
    }
    claims_id: dict[str, Any] = {
        **{k: v == "true" if k.endswith("_verified") else v for k, v in user.attributes.items()},
        **common,
        "cognito:username": user.username,
        "aud": client.id,
        "token_use": "id",
        "exp": now + client.id_token_seconds,
        "jti": str(uuid.uuid4()),
    }
    claims_access: dict[str, Any] = {
        **common,
        "version": 2,
        "client_id": client.id,
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "exp": now + client.access_token_seconds,
        "jti": str(uuid.uuid4()),
        "username": user.username,
    }
    if ctx.revocable:
        claims_id["origin_jti"] = claims_access["origin_jti"] = grant.origin_jti
    if device_key is not None:
        claims_access["device_key"] = device_key
    result: dict[str, Any] = {
        "AccessToken": pool.key.sign(claims_access),
        "ExpiresIn": client.access_token_seconds,
        "TokenType": "Bearer",
        "IdToken": pool.key.sign(claims_id),
    }
    if refresh_token is not None:
        result["RefreshToken"] = refresh_token
    return result


def _still_valid(ctx: Context, user: PoolUser, claims: dict[str, Any]) -> bool:
    """Whether no revocation (RevokeToken, GlobalSignOut) reached the token (lock held)."""
    origin = claims.get("origin_jti")
    if origin is not None:
        grant = ctx.grants.by_origin(origin)
        return grant is not None and not grant.revoked
    # Tokens without origin_jti (revocable=False) are refused by sign-out time alone.
    iat = claims.get("iat")
    return isinstance(iat, (int, float)) and iat >= user.signed_out_at


def access_token_user(ctx: Context, request: Request) -> tuple[Pool, PoolUser]:
    """The pool and user of the request's AccessToken: signed by that pool, unexpired, unrevoked, theirs.

    Every operation authorized by an access token (GetUser, the device calls,
    GlobalSignOut, the MFA calls) goes through here, so a revoked token is
    refused by all of them alike.
    """
    token = read_text(request, "AccessToken", max_len=MAX_TOKEN)
    claims = unverified_claims(token)
    issuer = claims.get("iss") if claims else None
    pool_id = issuer.rsplit("/", 1)[-1] if isinstance(issuer, str) else ""
    with ctx.lock:
        pool = ctx.pools.get(pool_id)
    verified = pool.key.verify(token) if pool is not None else None
    if pool is None or verified is None or verified.get("token_use") != "access":
        raise ServiceError("NotAuthorizedException", _INVALID_TOKEN)
    exp = verified.get("exp")
    if not isinstance(exp, (int, float)) or exp <= ctx.clock():
        raise ServiceError("NotAuthorizedException", "Access Token has expired")
    with ctx.lock:
        user = pool.find(str(verified.get("username")))
        if user is None or user.sub != verified.get("sub"):
            raise ServiceError("NotAuthorizedException", _INVALID_TOKEN)
        if not _still_valid(ctx, user, verified):
            raise ServiceError("NotAuthorizedException", REVOKED_ACCESS_TOKEN)
        # AdminDisableUser revokes the user's tokens (above: its API reference, "revokes all
        # access tokens for the user"); this refuses any the revocation missed, in the words
        # of Cognito's sign-in refusal (no printed answer to such a token was found).
        if not user.enabled:
            raise ServiceError("NotAuthorizedException", USER_DISABLED)
    return pool, user


def access_token_valid(ctx: Context, token: object) -> bool:
    """Whether ``token`` is an access token an operation would accept now (for callers outside)."""
    try:
        access_token_user(ctx, {"AccessToken": token})
    except ServiceError:
        return False
    return True


def secret_refusal(client: AppClient, given: object) -> ServiceError | None:
    """The refusal of a ClientSecret member (GetTokensFromRefreshToken, RevokeToken), or None.

    The wording of a missing one is Cognito's, as printed in
    furaiev/amazon-cognito-identity-dart-2#164 ("Client ... is configured for
    secret but secret was not received."); a wrong one is refused as a wrong
    SECRET_HASH is.
    """
    if client.secret is None:
        return None
    if given is None:
        return ServiceError(
            "NotAuthorizedException",
            f"Client {client.id} is configured for secret but secret was not received.",
        )
    if not client_secret_matches(client, given):
        return ServiceError(
            "NotAuthorizedException", f"Unable to verify secret hash for client {client.id}"
        )
    return None


def revoke_token(ctx: Context, request: Request, region: str) -> Response:
    """RevokeToken: the refresh token stops working, and so does every token issued from it.

    The API reference: "Revokes all of the access tokens generated by, and at the
    same time as, the specified refresh token." A token this endpoint never issued
    (or another client's) revokes nothing and is answered 200, as RFC 7009 section
    2.2 answers an invalid token, so sign-out never fails on it.
    """
    with ctx.lock:
        _, client = ctx.client(request)
    token = read_text(request, "Token", max_len=MAX_TOKEN)
    refusal = secret_refusal(client, request.get("ClientSecret"))
    if refusal is not None:
        raise refusal
    with ctx.lock:
        grant = ctx.grants.find(token)
        if grant is not None and grant.client_id == client.id and not grant.revoked:
            ctx.grants.revoke(grant)
    return {}
