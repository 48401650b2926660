"""Software-token (TOTP) MFA: the pool's setting, a user's token and preference, and the sign-in challenges.

SetUserPoolMfaConfig / GetUserPoolMfaConfig, AssociateSoftwareToken,
VerifySoftwareToken, SetUserMFAPreference, AdminSetUserMFAPreference, and the
answers to SOFTWARE_TOKEN_MFA and MFA_SETUP. Codes are real RFC 6238 TOTP
(``srpkit._core.totp``), one 30-second step either side of now, and a code is
good once: a step at or before the last one accepted is refused.

Refusals as Cognito prints them: a wrong code at sign-in is CodeMismatchException
"Invalid code or auth state for the user." (aws-amplify/amplify-js#11069); a wrong
code at VerifySoftwareToken is EnableSoftwareTokenMFAException "Code mismatch and
fail enable Software Token MFA" (aws-samples/aws-amplify-auth-starters#15);
turning on a factor the user cannot use is InvalidParameterException "User does
not have delivery config set to turn on SOFTWARE_TOKEN_MFA" (aws/aws-sdk-js-v3#4645).
A reused code gets the wrong code's answer, so that it does not tell an observer
the code was once right.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._core.caps import MAX_SESSION, MAX_TOKEN, MAX_USERNAME
from .._core.totp import matching_step, new_secret
from .challenges import after_second_factor, ask
from .context import Context, Pool, Request, Response
from .issuing import access_token_user
from .pending import Challenge, Pending
from .refusals import INVALID_SESSION, check_secret_hash
from .state import AppClient, PoolUser
from .wire import ServiceError, read_bool, read_text

__all__ = [
    "admin_set_user_mfa_preference",
    "answer_mfa",
    "associate_software_token",
    "get_user_pool_mfa_config",
    "set_user_mfa_preference",
    "set_user_pool_mfa_config",
    "user_mfa_fields",
    "verify_software_token",
]

_MODES = ("OFF", "ON", "OPTIONAL")
_WRONG_CODE = "Invalid code or auth state for the user."
_NO_TOKEN = "Software Token MFA does not exist for the user."  # noqa: S105 - a message


def _accept_code(ctx: Context, user: PoolUser, secret: str, code: object) -> bool:
    """Whether ``code`` is a fresh TOTP of ``secret`` for ``user``; records its step (lock held)."""
    step = matching_step(secret, code, ctx.clock())
    if step is None or step <= user.last_totp_step:
        return False
    user.last_totp_step = step
    ctx.put(user)
    return True


# -- the pool's setting -------------------------------------------------------------------
def _mfa_config(pool: Pool) -> Response:
    return {
        "SoftwareTokenMfaConfiguration": {"Enabled": pool.record.software_token_mfa},
        "MfaConfiguration": pool.record.mfa_configuration,
    }


def set_user_pool_mfa_config(ctx: Context, request: Request, region: str) -> Response:
    """SetUserPoolMfaConfig: MfaConfiguration OFF / ON / OPTIONAL and whether TOTP is a factor."""
    software = request.get("SoftwareTokenMfaConfiguration")
    if software is not None and not isinstance(software, Mapping):
        raise ServiceError(
            "SerializationException", "SoftwareTokenMfaConfiguration: expected a map"
        )
    mode = request.get("MfaConfiguration")
    if mode is not None and mode not in _MODES:
        raise ServiceError("InvalidParameterException", "MfaConfiguration: OFF, ON or OPTIONAL")
    with ctx.lock:
        pool = ctx.pool(request)
        enabled = (
            read_bool(software, "Enabled", False)
            if software is not None
            else pool.record.software_token_mfa
        )
        mode = mode or pool.record.mfa_configuration
        if mode != "OFF" and not enabled:
            # srpkit serve sends no SMS or email: TOTP is the only second factor it has.
            raise ServiceError(
                "InvalidParameterException",
                "MfaConfiguration ON or OPTIONAL needs SoftwareTokenMfaConfiguration Enabled "
                "(srpkit serve has no SMS or email MFA)",
            )
        pool.record.mfa_configuration, pool.record.software_token_mfa = mode, enabled
        ctx.put(pool.record)
        return _mfa_config(pool)


def get_user_pool_mfa_config(ctx: Context, request: Request, region: str) -> Response:
    """GetUserPoolMfaConfig."""
    with ctx.lock:
        return _mfa_config(ctx.pool(request))


# -- a user's token -----------------------------------------------------------------------
def _session_step(ctx: Context, session: str) -> Pending:
    """The MFA_SETUP sign-in a Session continues (taken: the answer files it again)."""
    pending = ctx.sign_ins.take(session, {})
    if pending is None or pending.challenge is not Challenge.MFA_SETUP:
        raise ServiceError("NotAuthorizedException", INVALID_SESSION)
    if pending.expires < ctx.clock():
        raise ServiceError(
            "NotAuthorizedException", "Invalid session for the user, session is expired."
        )
    return pending


def _token_or_session(ctx: Context, request: Request) -> tuple[Pool, PoolUser, Pending | None]:
    """The user an AccessToken or an MFA_SETUP Session names ("an access token or a session
    string, but not both", as the API reference says)."""
    has_token = request.get("AccessToken") is not None
    session = read_text(request, "Session", required=False, max_len=MAX_SESSION)
    if has_token == (session is not None):
        raise ServiceError(
            "InvalidParameterException", "Exactly one of AccessToken and Session is required"
        )
    if session is None:
        pool, user = access_token_user(ctx, request)
        return pool, user, None
    pending = _session_step(ctx, session)
    assert pending.username is not None
    with ctx.lock:
        client = ctx.clients.get(pending.client_id)
        found = ctx.pools.get(client.pool_id) if client is not None else None
        member = found.find(pending.username) if found is not None else None
    if found is None or member is None:
        raise ServiceError("NotAuthorizedException", INVALID_SESSION)
    return found, member, pending


def _refile(ctx: Context, pending: Pending) -> str:
    """File an MFA_SETUP step again under a fresh Session; that Session."""
    response = ask(ctx, Challenge.MFA_SETUP, {}, pending)
    return str(response["Session"])


def associate_software_token(ctx: Context, request: Request, region: str) -> Response:
    """AssociateSoftwareToken: a new TOTP secret, in use once VerifySoftwareToken confirms it."""
    pool, user, pending = _token_or_session(ctx, request)
    secret = new_secret()
    with ctx.lock:
        user = pool.user(user.username)
        user.totp_pending = secret
        ctx.put(user)
    out: dict[str, Any] = {"SecretCode": secret}
    if pending is not None:
        out["Session"] = _refile(ctx, pending)
    return out


def verify_software_token(ctx: Context, request: Request, region: str) -> Response:
    """VerifySoftwareToken: the user's first code proves the associated secret; it becomes theirs."""
    code = read_text(request, "UserCode", max_len=6)
    name = request.get(
        "FriendlyDeviceName"
    )  # may be empty ("Minimum length of 0"), as pycognito sends
    if name is not None and not isinstance(name, str):
        raise ServiceError("SerializationException", "FriendlyDeviceName: expected a string")
    pool, user, pending = _token_or_session(ctx, request)
    with ctx.lock:
        user = pool.user(user.username)
        secret = user.totp_pending
        if secret is None:
            raise ServiceError("SoftwareTokenMFANotFoundException", _NO_TOKEN)
        if not _accept_code(ctx, user, secret, code):
            raise ServiceError(
                "EnableSoftwareTokenMFAException",
                "Code mismatch and fail enable Software Token MFA",
            )
        user.totp_secret, user.totp_pending, user.totp_verified = secret, None, True
        if pending is not None:
            # Set up during sign-in (MFA_SETUP): the token is the user's factor from now on.
            user.software_token_mfa_enabled = True
            user.preferred_mfa = "SOFTWARE_TOKEN_MFA"
        ctx.put(user)
    out: dict[str, Any] = {"Status": "SUCCESS"}
    if pending is not None:
        pending.mfa_verified = True
        out["Session"] = _refile(ctx, pending)
    return out


# -- a user's preference ------------------------------------------------------------------
def user_mfa_fields(user: PoolUser) -> dict[str, Any]:
    """GetUser / AdminGetUser's PreferredMfaSetting and UserMFASettingList (absent when unset).

    Cognito leaves both members out for a user with no MFA enabled.
    """
    out: dict[str, Any] = {}
    if user.software_token_mfa_enabled:
        out["UserMFASettingList"] = ["SOFTWARE_TOKEN_MFA"]
        if user.preferred_mfa:
            out["PreferredMfaSetting"] = user.preferred_mfa
    return out


def _settings(request: Request, name: str) -> tuple[bool, bool] | None:
    value = request.get(name)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ServiceError("SerializationException", f"{name}: expected a map")
    return read_bool(value, "Enabled", False), read_bool(value, "PreferredMfa", False)


def _set_preference(ctx: Context, pool: Pool, user: PoolUser, request: Request) -> Response:
    software = _settings(request, "SoftwareTokenMfaSettings")
    sms = _settings(request, "SMSMfaSettings")
    _settings(request, "EmailMfaSettings")
    if sms is not None and sms[0]:
        # No SMS is ever sent here, so no user has an SMS delivery config.
        raise ServiceError(
            "InvalidParameterException", "User does not have delivery config set to turn on SMS_MFA"
        )
    with ctx.lock:
        user = pool.user(user.username)
        if software is not None:
            enabled, preferred = software
            if enabled and not (user.totp_secret is not None and user.totp_verified):
                raise ServiceError(
                    "InvalidParameterException",
                    "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA",
                )
            user.software_token_mfa_enabled = enabled
            if preferred and enabled:
                user.preferred_mfa = "SOFTWARE_TOKEN_MFA"
            elif not enabled and user.preferred_mfa == "SOFTWARE_TOKEN_MFA":
                user.preferred_mfa = None
        user.modified = ctx.clock()
        ctx.put(user)
    return {}


def set_user_mfa_preference(ctx: Context, request: Request, region: str) -> Response:
    """SetUserMFAPreference: the signed-in user's own MFA settings."""
    pool, user = access_token_user(ctx, request)
    return _set_preference(ctx, pool, user, request)


def admin_set_user_mfa_preference(ctx: Context, request: Request, region: str) -> Response:
    """AdminSetUserMFAPreference."""
    username = read_text(request, "Username", max_len=MAX_USERNAME)
    assert username is not None
    with ctx.lock:
        pool = ctx.pool(request)
        user = pool.user(username)
    return _set_preference(ctx, pool, user, request)


# -- the sign-in challenges ---------------------------------------------------------------
def answer_mfa(
    ctx: Context,
    pool: Pool,
    client: AppClient,
    pending: Pending,
    responses: Mapping[str, str],
) -> Response:
    """The answer to SOFTWARE_TOKEN_MFA (a fresh code) or MFA_SETUP (after VerifySoftwareToken)."""
    assert pending.username is not None
    name = responses.get("USERNAME", "")
    if len(name) > MAX_USERNAME:
        raise ServiceError("NotAuthorizedException", INVALID_SESSION)
    with ctx.lock:
        user = pool.find(name) if name else None
    if user is None or user.username != pending.username:
        raise ServiceError("NotAuthorizedException", INVALID_SESSION)
    check_secret_hash(client, name, responses.get("SECRET_HASH"))
    if pending.challenge is Challenge.MFA_SETUP:
        if not pending.mfa_verified:
            raise ServiceError("NotAuthorizedException", INVALID_SESSION)
    else:
        code = responses.get("SOFTWARE_TOKEN_MFA_CODE")
        if code is None:
            raise ServiceError(
                "InvalidParameterException", "Missing required parameter SOFTWARE_TOKEN_MFA_CODE"
            )
        with ctx.lock:
            user = pool.user(user.username)
            secret = user.totp_secret
            if secret is None or len(code) > MAX_TOKEN or not _accept_code(ctx, user, secret, code):
                raise ServiceError("CodeMismatchException", _WRONG_CODE)
    # pending.device_key is set only for a remembered device: its challenge comes next.
    return after_second_factor(ctx, pool, client, user, pending.device_key)
