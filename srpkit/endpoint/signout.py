"""Signing a user out everywhere: GlobalSignOut (their access token) and AdminUserGlobalSignOut.

The developer guide ("Ending user sessions with token revocation"): both revoke
"all of the ... user's refresh, ID, and access tokens". Every refresh grant of
the user is revoked, which refuses the tokens issued from them (their
origin_jti); tokens without origin_jti are refused by the sign-out time.
"""

from __future__ import annotations

from .._core.caps import MAX_USERNAME
from .context import Context, Pool, Request, Response
from .issuing import access_token_user
from .state import PoolUser
from .wire import read_text

__all__ = ["admin_user_global_sign_out", "global_sign_out", "sign_out_everywhere"]


def sign_out_everywhere(ctx: Context, pool: Pool, user: PoolUser) -> None:
    """Revoke every token the user holds (call without the lock)."""
    with ctx.lock:
        ctx.grants.revoke_user(pool.record.id, user.username)
        user = pool.user(user.username)
        user.signed_out_at = ctx.clock()
        ctx.put(user)


def global_sign_out(ctx: Context, request: Request, region: str) -> Response:
    """GlobalSignOut: the access token's user is signed out of every session."""
    pool, user = access_token_user(ctx, request)
    sign_out_everywhere(ctx, pool, user)
    return {}


def admin_user_global_sign_out(ctx: Context, request: Request, region: str) -> Response:
    """AdminUserGlobalSignOut: the same, for the user the pool and Username name."""
    username = read_text(request, "Username", max_len=MAX_USERNAME)
    assert username is not None
    with ctx.lock:
        pool = ctx.pool(request)
        user = pool.user(username)
    sign_out_everywhere(ctx, pool, user)
    return {}
