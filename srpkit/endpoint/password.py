"""Sign-ins that send the password itself: USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH.

The pool keeps only the salt and the verifier v = g^x, never the password: the
password given is checked by recomputing x with the stored salt and comparing
the verifier it makes with the stored one in constant time. A user that does
not exist costs the same arithmetic (over the pool's decoy salt), so the
answer's timing does not tell which names exist.
"""

from __future__ import annotations

import contextlib
import hmac
from collections.abc import Mapping

from .._core.caps import MAX_PASSWORD
from .._core.errors import SRPKitError
from ..server import make_verifier
from .context import Context, Pool
from .refusals import NOT_AUTHORIZED, USER_DISABLED, check_secret_hash
from .state import AppClient, PoolUser
from .wire import ServiceError

__all__ = ["password_matches", "password_user"]

_DECOY_SALT = "5a17"  # any fixed salt: only the cost of the check matters for an unknown user


def password_matches(pool: Pool, user: PoolUser, password: str) -> bool:
    """Whether ``password`` is the user's: the verifier it makes equals the stored one."""
    try:
        _, verifier = make_verifier(pool.record.id, user.username, password, salt=user.salt)
    except SRPKitError:  # a password no policy admits (empty, too long): never theirs
        return False
    return hmac.compare_digest(verifier.lower().encode(), user.verifier.lower().encode())


def password_user(
    ctx: Context, pool: Pool, client: AppClient, params: Mapping[str, str]
) -> PoolUser:
    """The user USERNAME and PASSWORD sign in, or the refusal Cognito answers.

    SECRET_HASH is over the USERNAME sent, as for the other flows' first call.
    """
    name = params.get("USERNAME")
    if not name:
        raise ServiceError("InvalidParameterException", "Missing required parameter USERNAME")
    password = params.get("PASSWORD")
    if password is None:
        raise ServiceError("InvalidParameterException", "Missing required parameter PASSWORD")
    check_secret_hash(client, name, params.get("SECRET_HASH"))
    with ctx.lock:
        user = pool.find(name)
    if user is None:
        # The same work as for a real user, then the answer the client's setting asks for.
        if len(password) <= MAX_PASSWORD:
            with contextlib.suppress(SRPKitError):
                make_verifier(pool.record.id, "decoy", password or "x", salt=_DECOY_SALT)
        if client.prevent_user_existence_errors == "ENABLED":
            raise ServiceError("NotAuthorizedException", NOT_AUTHORIZED)
        raise ServiceError("UserNotFoundException", "User does not exist.")
    if not password_matches(pool, user, password):
        raise ServiceError("NotAuthorizedException", NOT_AUTHORIZED)
    if not user.enabled:
        raise ServiceError("NotAuthorizedException", USER_DISABLED)
    if user.status == "UNCONFIRMED":
        raise ServiceError("UserNotConfirmedException", "User is not confirmed.")
    return user
