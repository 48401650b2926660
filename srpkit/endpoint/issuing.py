"""The tokens a sign-in ends with, the access tokens device calls carry, and RevokeToken."""

from __future__ import annotations

import hmac
import secrets
import uuid
from typing import Any

from .._core.caps import MAX_TOKEN
from .context import Context, Pool, Request, Response
from .state import AppClient, PoolUser
from .tokens import unverified_claims
from .wire import ServiceError, read_text

__all__ = ["access_token_user", "revoke_token", "tokens_for"]

_INVALID_TOKEN = "Invalid Access Token"  # noqa: S105 - a message


def tokens_for(
    ctx: Context, pool: Pool, client: AppClient, user: PoolUser, device_key: str | None
) -> dict[str, Any]:
    """The AuthenticationResult of a sign-in: RS256 access and id tokens with Cognito's claims."""
    now = int(ctx.clock())
    common = {
        "sub": user.sub,
        "iss": ctx.issuer(pool.record.id),
        "event_id": str(uuid.uuid4()),
        "auth_time": now,
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
        "client_id": client.id,
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "exp": now + client.access_token_seconds,
        "jti": str(uuid.uuid4()),
        "username": user.username,
    }
    if ctx.revocable:
        claims_id["origin_jti"] = claims_access["origin_jti"] = str(uuid.uuid4())
    if device_key is not None:
        claims_access["device_key"] = device_key
    return {
        "AccessToken": pool.key.sign(claims_access),
        "ExpiresIn": client.access_token_seconds,
        "TokenType": "Bearer",
        # Opaque: srpkit serve has no REFRESH_TOKEN_AUTH.
        "RefreshToken": secrets.token_urlsafe(64),
        "IdToken": pool.key.sign(claims_id),
    }


def access_token_user(ctx: Context, request: Request) -> tuple[Pool, PoolUser]:
    """The pool and user of the request's AccessToken: signed by that pool, unexpired, theirs."""
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
    return pool, user


def revoke_token(ctx: Context, request: Request, region: str) -> Response:
    """RevokeToken."""
    # Refresh tokens are opaque and unused here: revoking one (as Amplify's signOut
    # does) only needs the client, and its secret when it has one.
    with ctx.lock:
        _, client = ctx.client(request)
    read_text(request, "Token", max_len=MAX_TOKEN)
    given = request.get("ClientSecret")
    # Bytes: compare_digest refuses non-ASCII str; surrogatepass keeps the encoding total
    # and one-to-one, so only the secret itself matches.
    if client.secret is not None and not (
        isinstance(given, str)
        and hmac.compare_digest(
            given.encode("utf-8", "surrogatepass"),
            client.secret.encode("utf-8", "surrogatepass"),
        )
    ):
        raise ServiceError("NotAuthorizedException", "Client secret is missing or wrong.")
    return {}
