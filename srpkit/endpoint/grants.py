"""Refresh tokens as grants: issued, found, rotated and revoked; each kept only as a SHA-256 digest.

A refresh token is 64 random bytes (``secrets``), opaque to clients; the state
keeps ``sha256(token)`` and what it stands for (``state.RefreshGrant``), so a
stolen state file holds no token to replay. Every access and id token carries
its grant's ``origin_jti``: revoking the grant (RevokeToken, GlobalSignOut)
refuses them too, as Cognito's token revocation documents.

The table is the service's ``Context.grants`` (one per context, built from its
store when the context loads) and is guarded by the context's one lock: call
everything here with ``ctx.lock`` held.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
import weakref
from collections.abc import Callable
from typing import Protocol

from .state import AppClient, Record, RefreshGrant, Store

__all__ = ["Grants", "client_secret_matches"]

# A user's live grants (one per sign-in) are bounded: past this, their oldest is dropped
# (its tokens then refused), so repeated sign-ins cannot grow the state without bound.
_MAX_PER_USER = 64
_TOKEN_BYTES = 64


class _Owner(Protocol):
    """What the table needs of the ``Context`` that owns it (which imports this module)."""

    store: Store
    clock: Callable[[], float]

    def put(self, record: Record) -> None: ...


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def client_secret_matches(client: AppClient, given: object) -> bool:
    """Whether ``given`` is the app client's secret (compared in constant time).

    Bytes: compare_digest refuses non-ASCII str; surrogatepass keeps the encoding
    total and one-to-one, so only the secret itself matches.
    """
    if client.secret is None:
        return True
    return isinstance(given, str) and hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), client.secret.encode("utf-8", "surrogatepass")
    )


class Grants:
    """The refresh-token grants of one service, indexed by digest, origin_jti and user."""

    def __init__(self, ctx: _Owner) -> None:
        self._ctx = weakref.ref(ctx)
        self._by_digest: dict[str, RefreshGrant] = {}
        self._by_origin: dict[str, RefreshGrant] = {}
        self._of_user: dict[tuple[str, str], dict[str, RefreshGrant]] = {}
        for grant in ctx.store.load_grants():
            self._index(grant)

    def _context(self) -> _Owner:
        ctx = self._ctx()
        assert ctx is not None
        return ctx

    def _index(self, grant: RefreshGrant) -> None:
        self._by_digest[grant.digest] = grant
        self._by_origin[grant.origin_jti] = grant
        self._of_user.setdefault((grant.pool_id, grant.username), {})[grant.digest] = grant

    def _drop(self, grant: RefreshGrant) -> None:
        self._by_digest.pop(grant.digest, None)
        if self._by_origin.get(grant.origin_jti) is grant:
            del self._by_origin[grant.origin_jti]
        mine = self._of_user.get((grant.pool_id, grant.username), {})
        mine.pop(grant.digest, None)
        if not mine:
            self._of_user.pop((grant.pool_id, grant.username), None)
        self._context().store.delete(grant)

    def issue(
        self,
        client: AppClient,
        username: str,
        *,
        device_key: str | None,
        auth_time: float,
        origin_jti: str | None = None,
    ) -> tuple[str, RefreshGrant]:
        """A new refresh token for ``username`` at ``client`` (valid for the client's validity)."""
        ctx = self._context()
        now = ctx.clock()
        mine = self._of_user.get((client.pool_id, username), {})
        for old in [g for g in mine.values() if g.expires <= now]:
            self._drop(old)
        mine = self._of_user.get((client.pool_id, username), {})
        while len(mine) >= _MAX_PER_USER:
            self._drop(min(mine.values(), key=lambda g: g.created))
            mine = self._of_user.get((client.pool_id, username), {})
        token = secrets.token_urlsafe(_TOKEN_BYTES)
        grant = RefreshGrant(
            pool_id=client.pool_id,
            digest=_digest(token),
            client_id=client.id,
            username=username,
            origin_jti=origin_jti or str(uuid.uuid4()),
            created=auth_time,
            expires=now + client.refresh_token_seconds,
            device_key=device_key,
        )
        self._index(grant)
        ctx.put(grant)
        return token, grant

    def find(self, token: object) -> RefreshGrant | None:
        """The grant a refresh token stands for (revoked or not), or None."""
        if not isinstance(token, str):
            return None
        return self._by_digest.get(_digest(token))

    def by_origin(self, origin_jti: object) -> RefreshGrant | None:
        """The grant whose tokens carry ``origin_jti``, or None."""
        return self._by_origin.get(origin_jti) if isinstance(origin_jti, str) else None

    def revoke(self, grant: RefreshGrant) -> None:
        """Refuse the grant's refresh token and every token issued from it."""
        grant.revoked = True
        self._context().put(grant)

    def replace(self, grant: RefreshGrant, now: float) -> None:
        """Mark the grant rotated out at ``now`` (its grace period starts)."""
        if grant.replaced_at is None:
            grant.replaced_at = now
            self._context().put(grant)

    def revoke_user(self, pool_id: str, username: str) -> int:
        """Revoke every grant of the user; how many were live."""
        mine = list(self._of_user.get((pool_id, username), {}).values())
        live = [g for g in mine if not g.revoked]
        for grant in live:
            self.revoke(grant)
        return len(live)

    def forget_user(self, pool_id: str, username: str) -> None:
        """Drop every grant of a user who no longer exists (AdminDeleteUser)."""
        for grant in list(self._of_user.get((pool_id, username), {}).values()):
            self._drop(grant)

    def forget_pool(self, pool_id: str) -> None:
        """Drop every grant of a pool that no longer exists (DeleteUserPool)."""
        for grant in [g for g in self._by_digest.values() if g.pool_id == pool_id]:
            self._drop(grant)
