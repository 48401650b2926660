"""GetUser and UpdateUserAttributes: the signed-in user's own view of themselves, named by their access token.

Every call here (and in ``devices``) finds its user through
``issuing.access_token_user``, the one check of an AccessToken: signature,
expiry, token_use and that the user still exists (and whatever revocation that
function checks), so no operation can accept a token another refuses.
"""

from __future__ import annotations

from .context import Context, Request, Response
from .issuing import access_token_user
from .mfa import user_mfa_fields
from .users import update_attributes
from .wire import ServiceError, read_attributes, read_string_map

__all__ = ["get_user", "update_user_attributes"]


def get_user(ctx: Context, request: Request, region: str) -> Response:
    """GetUser: Username, UserAttributes (``sub`` first, as Cognito lists it) and the MFA settings.

    PreferredMfaSetting and UserMFASettingList as the API reference documents
    them, left out for a user with no MFA enabled (``mfa.user_mfa_fields``).
    """
    _, user = access_token_user(ctx, request)
    with ctx.lock:
        attributes = [{"Name": "sub", "Value": user.sub}]
        attributes += [{"Name": k, "Value": v} for k, v in sorted(user.attributes.items())]
        return {"Username": user.username, "UserAttributes": attributes, **user_mfa_fields(user)}


def update_user_attributes(ctx: Context, request: Request, region: str) -> Response:
    """UpdateUserAttributes: the user changes their own attributes (no code is ever delivered).

    A changed email or phone number becomes unverified, as Cognito marks it
    until the user confirms a code; srpkit serve sends no codes, so
    CodeDeliveryDetailsList is left out (Amplify then reports each attribute updated).
    """
    pool, user = access_token_user(ctx, request)
    if request.get("UserAttributes") is None:
        raise ServiceError(
            "InvalidParameterException", "UserAttributes: required (Member must not be null)"
        )
    changes = read_attributes(request)
    read_string_map(request, "ClientMetadata")
    with ctx.lock:
        # Again under the lock: the user may have been deleted since the token was checked.
        current = pool.find(user.username)
        if current is None or current.sub != user.sub:
            raise ServiceError("NotAuthorizedException", "Invalid Access Token")
        update_attributes(ctx, pool, current, changes)
    return {}
