"""Administration of a pool's users: ListUsers, AdminDeleteUser, AdminDisableUser / AdminEnableUser,
AdminUpdateUserAttributes, AdminListGroupsForUser.

Like every administrative call of ``srpkit serve`` these are unauthenticated
(keep the endpoint on loopback). A disabled user keeps its record and still
appears in ListUsers, as the API reference says of AdminDisableUser; the
sign-in and token checks read ``PoolUser.enabled``. AdminDisableUser also
"revokes all access tokens for the user" (its API reference), as a global
sign-out does; AdminDeleteUser drops the user's refresh grants with it.
"""

from __future__ import annotations

from typing import Any

from .._core.caps import MAX_USERNAME
from .context import Context, Pool, Request, Response
from .filters import parse_filter
from .listing import page, read_limit
from .signout import sign_out_everywhere
from .state import PoolUser
from .users import update_attributes, user_type
from .wire import ServiceError, read_attributes, read_string_map, read_text

__all__ = [
    "admin_delete_user",
    "admin_disable_user",
    "admin_enable_user",
    "admin_list_groups_for_user",
    "admin_update_user_attributes",
    "list_users",
]

# UserFilterType's maximum length in botocore's model.
_MAX_FILTER = 256


def _named_user(ctx: Context, request: Request) -> tuple[Pool, PoolUser]:
    """The request's pool and the user its Username names (call with the lock held)."""
    pool = ctx.pool(request)
    username = read_text(request, "Username", max_len=MAX_USERNAME)
    assert username is not None
    return pool, pool.user(username)


def _attributes_to_get(request: Request) -> frozenset[str] | None:
    value = request.get("AttributesToGet")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ServiceError("SerializationException", "AttributesToGet: expected a list of strings")
    return frozenset(value)


def list_users(ctx: Context, request: Request, region: str) -> Response:
    """ListUsers: Filter, Limit (0 to 60; 0 or absent: 60), PaginationToken, AttributesToGet."""
    text = request.get("Filter")
    if text is not None and not isinstance(text, str):
        raise ServiceError("SerializationException", "Filter: expected a string")
    if text is not None and len(text) > _MAX_FILTER:
        raise ServiceError(
            "InvalidParameterException",
            f"1 validation error detected: Value at 'filter' failed to satisfy constraint: "
            f"Member must have length less than or equal to {_MAX_FILTER}",
        )
    wanted = parse_filter(text)
    limit = read_limit(request, "Limit", low=0, default=60)
    names = _attributes_to_get(request)
    with ctx.lock:
        pool = ctx.pool(request)
        users = [u for u in pool.users.values() if wanted is None or wanted.matches(u)]
        chunk, token = page(users, lambda u: u.username, request, "PaginationToken", limit)
        listed = [user_type(u, "Attributes") for u in chunk]
    if names is not None:
        for item in listed:
            item["Attributes"] = [a for a in item["Attributes"] if a["Name"] in names]
    out: dict[str, Any] = {"Users": listed}
    if token is not None:
        out["PaginationToken"] = token
    return out


def admin_delete_user(ctx: Context, request: Request, region: str) -> Response:
    """AdminDeleteUser: the user, its sign-in names, devices and refresh grants; its tokens stop working."""
    with ctx.lock:
        pool, user = _named_user(ctx, request)
        for device in pool.remove_user(user):
            ctx.store.delete(device)
        ctx.store.delete(user)
        ctx.grants.forget_user(pool.record.id, user.username)
    return {}


def _set_enabled(ctx: Context, request: Request, enabled: bool) -> tuple[Pool, PoolUser]:
    with ctx.lock:
        pool, user = _named_user(ctx, request)
        if user.enabled != enabled:
            user.enabled = enabled
            user.modified = ctx.clock()
            ctx.put(user)
    return pool, user


def admin_disable_user(ctx: Context, request: Request, region: str) -> Response:
    """AdminDisableUser: no more sign-ins ("User is disabled.") and every token of the user revoked."""
    pool, user = _set_enabled(ctx, request, False)
    sign_out_everywhere(ctx, pool, user)
    return {}


def admin_enable_user(ctx: Context, request: Request, region: str) -> Response:
    """AdminEnableUser (tokens revoked while disabled stay revoked)."""
    _set_enabled(ctx, request, True)
    return {}


def admin_update_user_attributes(ctx: Context, request: Request, region: str) -> Response:
    """AdminUpdateUserAttributes (a changed email or phone number is unverified unless set too)."""
    if request.get("UserAttributes") is None:
        raise ServiceError(
            "InvalidParameterException", "UserAttributes: required (Member must not be null)"
        )
    changes = read_attributes(request)
    read_string_map(request, "ClientMetadata")
    with ctx.lock:
        pool, user = _named_user(ctx, request)
        update_attributes(ctx, pool, user, changes)
    return {}


def admin_list_groups_for_user(ctx: Context, request: Request, region: str) -> Response:
    """AdminListGroupsForUser: srpkit serve has no groups, so an existing user's list is empty."""
    read_limit(request, "Limit", low=0, default=60)
    with ctx.lock:
        _named_user(ctx, request)
    return {"Groups": []}
