"""Users of a pool: AdminCreateUser, AdminSetUserPassword, AdminGetUser, AdminConfirmSignUp, SignUp.

A pool keeps a user's salt and verifier, never the password. Also what the
attribute updates share (``update_attributes``) and the UserType shape.
"""

from __future__ import annotations

import dataclasses
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from .._core.caps import MAX_PASSWORD, MAX_USERNAME
from ..server import make_verifier
from .context import Context, Pool, Request, Response
from .mfa import user_mfa_fields
from .refusals import check_secret_hash
from .state import PoolUser
from .wire import (
    ServiceError,
    check_password_policy,
    checked_username,
    read_attributes,
    read_bool,
    read_text,
    sign_in_names,
    signup_username,
)

__all__ = [
    "add_user",
    "admin_confirm_sign_up",
    "admin_create_user",
    "admin_get_user",
    "admin_set_user_password",
    "set_password",
    "sign_up",
    "update_attributes",
    "user_type",
]
# Changing one of these makes it unverified (its *_verified "false") unless the same
# request sets that too: the new address has not been proven the user's.
_VERIFIABLE = ("email", "phone_number")


def _add_new_user(ctx: Context, pool: Pool, user: PoolUser, given: str) -> None:
    """Index and store a new user, refusing a name or alias another user already has.

    Call with the lock held.
    """
    if pool.find(given) is not None or pool.find(user.username) is not None:
        raise ServiceError("UsernameExistsException", "User account already exists")
    if any(pool.find(name) for name in sign_in_names(pool.record, user)):
        code = (
            "UsernameExistsException" if pool.record.username_attributes else "AliasExistsException"
        )
        raise ServiceError(code, "An account with the given email or phone number already exists.")
    pool.index(user)
    ctx.put(user)


def add_user(
    ctx: Context,
    pool_id: str,
    username: str,
    password: str | None,
    *,
    attributes: Mapping[str, str] | None = None,
    status: str = "CONFIRMED",
) -> PoolUser:
    """Create a user from what AdminCreateUser / SignUp carry (a random password if None)."""
    attrs = dict(attributes or {})
    with ctx.lock:
        record = ctx.pool({"UserPoolId": pool_id}).record
    internal = signup_username(record, username, attrs) or str(uuid.uuid4())
    if password is None:
        password = secrets.token_urlsafe(24)  # never revealed: the user cannot sign in yet
    else:
        check_password_policy(record.password_policy, password)
    salt, verifier = make_verifier(pool_id, internal, password)
    now = ctx.clock()
    sub = internal if record.username_attributes else str(uuid.uuid4())
    user = PoolUser(pool_id, internal, sub, salt, verifier, attrs, status, True, now, now)
    with ctx.lock:
        _add_new_user(ctx, ctx.pool({"UserPoolId": pool_id}), user, username)
    return user


def set_password(ctx: Context, pool_id: str, username: str, password: str, status: str) -> PoolUser:
    """Give the user a new salt and verifier for ``password``, and ``status``."""
    with ctx.lock:
        pool = ctx.pool({"UserPoolId": pool_id})
        user = pool.user(username)
    check_password_policy(pool.record.password_policy, password)
    salt, verifier = make_verifier(pool_id, user.username, password)
    with ctx.lock:
        user = pool.user(user.username)
        user.salt, user.verifier, user.status = salt, verifier, status
        user.modified = ctx.clock()
        ctx.put(user)
    return user


def user_type(user: PoolUser, attributes_key: str) -> dict[str, Any]:
    attributes = [{"Name": "sub", "Value": user.sub}]
    attributes += [{"Name": k, "Value": v} for k, v in sorted(user.attributes.items())]
    return {
        "Username": user.username,
        attributes_key: attributes,
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status,
    }


def update_attributes(ctx: Context, pool: Pool, user: PoolUser, changes: Mapping[str, str]) -> None:
    """Apply attribute ``changes`` to ``user`` and re-index its sign-in names (call with the lock held).

    A name another user already signs in with is AliasExistsException, as
    Cognito answers UpdateUserAttributes and AdminUpdateUserAttributes.
    """
    attributes = dict(user.attributes)
    for attr in _VERIFIABLE:
        flag = f"{attr}_verified"
        if attr in changes and changes[attr] != attributes.get(attr) and flag not in changes:
            attributes[flag] = "false"
    attributes.update(changes)
    candidate = dataclasses.replace(user, attributes=attributes)
    for name in sign_in_names(pool.record, candidate):
        other = pool.find(name)
        if other is not None and other.username != user.username:
            raise ServiceError(
                "AliasExistsException",
                "An account with the given email or phone number already exists.",
            )
    user.attributes = attributes
    user.modified = ctx.clock()
    pool.index(user)
    ctx.put(user)


def admin_create_user(ctx: Context, request: Request, region: str) -> Response:
    """AdminCreateUser: FORCE_CHANGE_PASSWORD, with the temporary password if one is given."""
    with ctx.lock:
        pool_id = ctx.pool(request).record.id
    username = read_text(request, "Username", max_len=MAX_USERNAME)
    assert username is not None
    temporary = read_text(request, "TemporaryPassword", required=False, max_len=MAX_PASSWORD)
    user = add_user(
        ctx,
        pool_id,
        username,
        temporary,
        attributes=read_attributes(request),
        status="FORCE_CHANGE_PASSWORD",
    )
    return {"User": user_type(user, "Attributes")}


def admin_set_user_password(ctx: Context, request: Request, region: str) -> Response:
    """AdminSetUserPassword."""
    with ctx.lock:
        pool_id = ctx.pool(request).record.id
    username = read_text(request, "Username", max_len=MAX_USERNAME)
    password = read_text(request, "Password", max_len=MAX_PASSWORD)
    assert username is not None and password is not None
    permanent = read_bool(request, "Permanent", False)
    set_password(
        ctx, pool_id, username, password, "CONFIRMED" if permanent else "FORCE_CHANGE_PASSWORD"
    )
    return {}


def admin_get_user(ctx: Context, request: Request, region: str) -> Response:
    """AdminGetUser: the user, and their MFA settings (PreferredMfaSetting, UserMFASettingList)."""
    username = read_text(request, "Username", max_len=MAX_USERNAME)
    assert username is not None
    with ctx.lock:
        user = ctx.pool(request).user(username)
        return {**user_type(user, "UserAttributes"), **user_mfa_fields(user)}


def admin_confirm_sign_up(ctx: Context, request: Request, region: str) -> Response:
    """AdminConfirmSignUp: an UNCONFIRMED user becomes CONFIRMED."""
    username = read_text(request, "Username", max_len=MAX_USERNAME)
    assert username is not None
    with ctx.lock:
        user = ctx.pool(request).user(username)
        if user.status != "UNCONFIRMED":
            raise ServiceError(
                "NotAuthorizedException",
                f"User cannot be confirmed. Current status is {user.status}",
            )
        user.status = "CONFIRMED"
        user.modified = ctx.clock()
        ctx.put(user)
    return {}


def sign_up(ctx: Context, request: Request, region: str) -> Response:
    """SignUp: an UNCONFIRMED user, after the client's SECRET_HASH."""
    with ctx.lock:
        pool, client = ctx.client(request)
    username = read_text(request, "Username", max_len=MAX_USERNAME)
    password = read_text(request, "Password", max_len=MAX_PASSWORD)
    assert username is not None and password is not None
    # The name first: Cognito validates its input before it checks the hash of it.
    checked_username(username, "Username")
    check_secret_hash(client, username, request.get("SecretHash"))
    user = add_user(
        ctx,
        pool.record.id,
        username,
        password,
        attributes=read_attributes(request),
        status="UNCONFIRMED",
    )
    return {"UserConfirmed": False, "UserSub": user.sub}
