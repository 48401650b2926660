"""What every sign-in shares between its steps: filing a challenge, and what follows the password.

After the password the user may still owe a second factor: SOFTWARE_TOKEN_MFA
when they have a verified TOTP and the pool's MfaConfiguration asks for it,
MFA_SETUP when the pool requires MFA (ON) and they have none yet. Then a
remembered device signs in (DEVICE_SRP_AUTH), or the tokens come with a new
device. A remembered device stands in for the second factor when the pool's
DeviceConfiguration has ChallengeRequiredOnNewDevice (the
DeviceConfigurationType reference: "When true, a remembered device can sign in
with device authentication instead of SMS and TOTP factors for multi-factor
authentication (MFA)").
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from .context import Context, Pool, Response
from .devices import new_device
from .issuing import tokens_for
from .pending import Challenge, Pending
from .refusals import USER_DISABLED
from .state import AppClient, PoolUser
from .wire import ServiceError

__all__ = [
    "after_second_factor",
    "ask",
    "finish",
    "pending_for",
    "second_factor",
    "tokens_and_device",
]

_SRP_SERVER = Any  # ServerSRP | DeviceServerSRP; kept loose so this module needs no server import


def pending_for(
    ctx: Context,
    client: AppClient,
    username: str | None,
    challenge: Challenge,
    *,
    server: _SRP_SERVER = None,
    names: tuple[str, ...] = (),
    device_key: str | None = None,
    session: str | None = None,
) -> Pending:
    """A pending sign-in step of ``client``, expiring after the client's AuthSessionValidity."""
    expires = ctx.clock() + 60 * client.auth_session_minutes
    return Pending(
        client.id,
        username,
        challenge,
        expires,
        server=server,
        names=names,
        device_key=device_key,
        session=session,
    )


def ask(
    ctx: Context,
    challenge: Challenge,
    params: dict[str, str],
    pending: Pending,
    *,
    send_session: bool = True,
) -> Response:
    """The response asking ``challenge``; PASSWORD_VERIFIER goes without a Session, as Cognito's.

    A PASSWORD_VERIFIER that follows a SELECT_CHALLENGE keeps that step's Session
    as ``pending.session``, so a client that sends it back again is still matched.
    """
    if send_session:
        pending.session = secrets.token_urlsafe(96)
    pending.block = params.get("SECRET_BLOCK")
    ctx.sign_ins.file(pending)
    response: dict[str, Any] = {"ChallengeName": challenge.value, "ChallengeParameters": params}
    if send_session:
        response["Session"] = pending.session
    return response


def second_factor(pool: Pool, user: PoolUser) -> Challenge | None:
    """The MFA challenge the user owes after the password (None: none)."""
    mode = pool.record.mfa_configuration
    if mode == "OFF" or not pool.record.software_token_mfa:
        return None
    has_totp = user.totp_secret is not None and user.totp_verified
    if mode == "ON":
        return Challenge.SOFTWARE_TOKEN_MFA if has_totp else Challenge.MFA_SETUP
    return Challenge.SOFTWARE_TOKEN_MFA if has_totp and user.software_token_mfa_enabled else None


def tokens_and_device(
    ctx: Context,
    pool: Pool,
    client: AppClient,
    user: PoolUser,
    device_key: str | None,
    *,
    device_verified: bool,
) -> Response:
    """The AuthenticationResult: after a device sign-in, tokens naming it; else a new device too."""
    if device_verified:
        return {"AuthenticationResult": tokens_for(ctx, pool, client, user, device_key)}
    device = new_device(ctx, pool, user) if pool.record.device_configuration else None
    result = tokens_for(ctx, pool, client, user, device.key if device else None)
    if device is not None:
        result["NewDeviceMetadata"] = {"DeviceKey": device.key, "DeviceGroupKey": device.group_key}
    return {"AuthenticationResult": result}


def _remembered(ctx: Context, pool: Pool, user: PoolUser, device_key: str | None) -> str | None:
    """``device_key`` if it names a confirmed, remembered device of the user, else None.

    A DEVICE_KEY naming no device of the user (forgotten, or never theirs) is
    ResourceNotFoundException "Device does not exist.", as Cognito answers the
    PASSWORD_VERIFIER of a forgotten device (amazon-archives/amazon-cognito-identity-js#200;
    the clients then retry without it: #206 there, aws-amplify/amplify-android#2605).
    """
    if not device_key:
        return None
    with ctx.lock:
        device = pool.devices.get(device_key)
    if device is None or device.username != user.username:
        raise ServiceError("ResourceNotFoundException", "Device does not exist.")
    return device_key if device.verifier_config is not None and device.remembered else None


def after_second_factor(
    ctx: Context, pool: Pool, client: AppClient, user: PoolUser, device_key: str | None
) -> Response:
    """Once any MFA is passed: the remembered device's DEVICE_SRP_AUTH, else tokens and a new device.

    ``device_key`` is a remembered device's key (None: none was used).
    """
    if device_key is None:
        return tokens_and_device(ctx, pool, client, user, None, device_verified=False)
    return ask(
        ctx,
        Challenge.DEVICE_SRP_AUTH,
        {},
        pending_for(ctx, client, user.username, Challenge.DEVICE_SRP_AUTH, device_key=device_key),
    )


def finish(
    ctx: Context, pool: Pool, client: AppClient, user: PoolUser, device_key: str | None
) -> Response:
    """Once the password is proven: MFA if owed, then the remembered device, then tokens.

    The order is the one amazon-cognito-identity-js follows: its answer to
    SOFTWARE_TOKEN_MFA goes on to DEVICE_SRP_AUTH, while its answer to
    DEVICE_PASSWORD_VERIFIER expects tokens. A remembered device replaces MFA only
    where the pool's ChallengeRequiredOnNewDevice says so.
    """
    if not user.enabled:
        raise ServiceError("NotAuthorizedException", USER_DISABLED)
    remembered = _remembered(ctx, pool, user, device_key)
    factor = second_factor(pool, user)
    replaces_mfa = remembered is not None and bool(
        (pool.record.device_configuration or {}).get("ChallengeRequiredOnNewDevice")
    )
    if factor is None or replaces_mfa:
        return after_second_factor(ctx, pool, client, user, remembered)
    params: dict[str, str] = {}
    if factor is Challenge.MFA_SETUP:
        params["MFAS_CAN_SETUP"] = json.dumps(["SOFTWARE_TOKEN_MFA"])
    pending = pending_for(ctx, client, user.username, factor, device_key=remembered)
    return ask(ctx, factor, params, pending)
