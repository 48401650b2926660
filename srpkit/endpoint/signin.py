"""Sign-ins: InitiateAuth and RespondToAuthChallenge (and their Admin forms), from USERNAME to tokens.

InitiateAuth USER_SRP_AUTH, USER_AUTH with PASSWORD_SRP, CUSTOM_AUTH with SRP_A,
USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH; AdminInitiateAuth adds
ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH. RespondToAuthChallenge (and
AdminRespondToAuthChallenge) PASSWORD_VERIFIER, DEVICE_SRP_AUTH,
DEVICE_PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED, SELECT_CHALLENGE,
SOFTWARE_TOKEN_MFA and MFA_SETUP. There are no Lambda triggers: CUSTOM_AUTH with
SRP_A issues tokens once the password is verified, as a DefineAuthChallenge that
asks nothing more would.

A flow the app client's ExplicitAuthFlows does not allow is refused as Cognito
words it: "USER_PASSWORD_AUTH flow not enabled for this client" at InitiateAuth,
"Auth flow not enabled for this client" at AdminInitiateAuth (both as public
sign-in logs quote Cognito's InvalidParameterException), and an admin flow
sent to InitiateAuth (or the reverse) is "Initiate Auth method not supported."
(aws/aws-doc-sdk-examples#5289, getmoto/moto#4836 after AWS confirmed it).
"""

from __future__ import annotations

import hmac
import json
import uuid
from collections.abc import Mapping
from typing import Any

from .._core.caps import MAX_SESSION
from .._core.encoding import java_hex
from .._core.group import N_BYTES, N
from ..server import DeviceServerSRP, ServerSRP
from .challenges import ask, finish, pending_for, tokens_and_device
from .context import Context, Pool, Request, Response
from .mfa import answer_mfa
from .password import password_user
from .pending import Challenge, Pending
from .refresh import refresh_token_auth
from .refusals import INVALID_SESSION, NOT_AUTHORIZED, check_secret_hash, verified
from .state import AppClient, PoolUser
from .users import set_password
from .wire import ServiceError, read_string_map, read_text

__all__ = [
    "admin_initiate_auth",
    "admin_respond_to_auth_challenge",
    "initiate_auth",
    "respond_to_auth_challenge",
]

# AuthFlowType and ChallengeNameType are enums; this only bounds what an error message echoes.
_MAX_NAME = 64


def _secret_args(client: AppClient) -> dict[str, Any]:
    return {} if client.secret is None else {"client_id": client.id, "client_secret": client.secret}


def _decoy_bytes(pool: Pool, name: str, label: bytes, size: int) -> bytes:
    """``size`` bytes keyed by the pool's decoy key, the same for ``name`` at every attempt."""
    key, message = bytes.fromhex(pool.record.decoy_key), pool.norm(name).encode("utf-8")
    out = b""
    for counter in range(-(-size // 32)):
        out += hmac.new(key, label + counter.to_bytes(4, "big") + message, "sha256").digest()
    return out[:size]


def _decoy(pool: Pool, name: str) -> tuple[str, str, str]:
    """The user id, salt and verifier shown for a user that does not exist, stable per name.

    The work must equal a real user's (#18: a median of 50 requests told a decoy from a
    real user when the decoy computed g^x and the real user read a stored verifier), so
    the verifier is a keyed pseudo-random number below N, not an exponentiation: no
    client can tell it from g^x. Where user names are UUIDs (UsernameAttributes), the
    decoy's USER_ID_FOR_SRP is one too, never the name typed.
    """
    salt = int.from_bytes(_decoy_bytes(pool, name, b"salt", 16), "big")
    verifier = int.from_bytes(_decoy_bytes(pool, name, b"verifier", N_BYTES + 16), "big") % N
    user_id = name
    if pool.record.username_attributes:
        user_id = str(uuid.UUID(bytes=_decoy_bytes(pool, name, b"user id", 16), version=4))
    return user_id, java_hex(salt), java_hex(verifier or 1)


def _start_srp(
    ctx: Context,
    pool: Pool,
    client: AppClient,
    params: Mapping[str, str],
    *,
    selected_by: str | None = None,
    session: str | None = None,
) -> Response:
    """PASSWORD_VERIFIER for USERNAME and SRP_A (a decoy for unknown users if the client hides them).

    ``selected_by``: the user whose SELECT_CHALLENGE this answers (USERNAME must be
    theirs); ``session``: that step's Session, which the answer may carry again.
    """
    name = params.get("USERNAME")
    if not name:
        raise ServiceError("InvalidParameterException", "Missing required parameter USERNAME")
    if "SRP_A" not in params:
        raise ServiceError("InvalidParameterException", "Missing required parameter SRP_A")
    with ctx.lock:
        user = pool.find(name)
        # A snapshot: AdminSetUserPassword may replace salt and verifier meanwhile.
        found = None if user is None else (user.username, user.salt, user.verifier)
    if selected_by is not None and (found is None or found[0] != selected_by):
        raise ServiceError("NotAuthorizedException", INVALID_SESSION)
    if found is not None:
        username, salt, verifier = found
    elif client.prevent_user_existence_errors == "ENABLED":
        username, salt, verifier = _decoy(pool, name)
    else:
        raise ServiceError("UserNotFoundException", "User does not exist.")
    aliases = () if name == username else (name,)
    server = verified(
        client,
        lambda: ServerSRP(
            pool.record.id, username, salt, verifier, aliases=aliases, **_secret_args(client)
        ),
    )
    challenge = verified(client, lambda: server.start(params))
    pending = pending_for(
        ctx,
        client,
        None if found is None else username,
        Challenge.PASSWORD_VERIFIER,
        server=server,
        names=aliases,
        device_key=params.get("DEVICE_KEY"),
        session=session,
    )
    return ask(ctx, Challenge.PASSWORD_VERIFIER, challenge, pending, send_session=False)


# Each flow, and the ExplicitAuthFlows value that must allow it.
_USER_FLOWS = {
    "USER_SRP_AUTH": "ALLOW_USER_SRP_AUTH",
    "CUSTOM_AUTH": "ALLOW_CUSTOM_AUTH",
    "USER_AUTH": "ALLOW_USER_AUTH",
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
}
_ADMIN_FLOWS = {
    "USER_SRP_AUTH": "ALLOW_USER_SRP_AUTH",
    "CUSTOM_AUTH": "ALLOW_CUSTOM_AUTH",
    "ADMIN_USER_PASSWORD_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
}
_REFRESH_FLOWS = frozenset({"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"})
_KNOWN_FLOWS = frozenset({*_USER_FLOWS, *_ADMIN_FLOWS, *_REFRESH_FLOWS})


def _initiate(
    ctx: Context, pool: Pool, client: AppClient, request: Request, *, admin: bool
) -> Response:
    """The first step of any flow, for InitiateAuth (``admin`` False) or AdminInitiateAuth."""
    flow = read_text(request, "AuthFlow", max_len=_MAX_NAME)
    assert flow is not None
    params = read_string_map(request, "AuthParameters")
    read_string_map(request, "ClientMetadata")
    if flow in _REFRESH_FLOWS:
        return refresh_token_auth(ctx, pool, client, flow, params)
    flows = _ADMIN_FLOWS if admin else _USER_FLOWS
    if flow not in flows:
        if flow in _KNOWN_FLOWS:
            raise ServiceError("InvalidParameterException", "Initiate Auth method not supported.")
        raise ServiceError(
            "InvalidParameterException",
            f"AuthFlow {flow[:_MAX_NAME]!r} is not supported by srpkit serve",
        )
    if flows[flow] not in client.explicit_auth_flows:
        message = "Auth flow not enabled for this client" if admin else None
        raise ServiceError(
            "InvalidParameterException", message or f"{flow} flow not enabled for this client"
        )
    if flow in ("USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"):
        user = password_user(ctx, pool, client, params)
        return _after_password(ctx, pool, client, user, params.get("DEVICE_KEY"))
    if flow == "USER_SRP_AUTH":
        return _start_srp(ctx, pool, client, params)
    if flow == "CUSTOM_AUTH":
        if params.get("CHALLENGE_NAME") != "SRP_A":
            raise ServiceError(
                "InvalidParameterException",
                "srpkit serve runs no Lambda triggers: CUSTOM_AUTH is supported only with "
                "CHALLENGE_NAME=SRP_A",
            )
        return _start_srp(ctx, pool, client, params)
    if params.get("PREFERRED_CHALLENGE") == "PASSWORD_SRP":  # USER_AUTH
        return _start_srp(ctx, pool, client, params)
    name = params.get("USERNAME", "")
    with ctx.lock:
        chooser = pool.find(name)
    if chooser is None and client.prevent_user_existence_errors != "ENABLED":
        raise ServiceError("UserNotFoundException", "User does not exist.")
    check_secret_hash(client, name, params.get("SECRET_HASH"))
    # An unknown user gets the same SELECT_CHALLENGE a real one does (#18); the decoy
    # remembers the name typed, so its PASSWORD_SRP answer goes on as a decoy for it.
    response = ask(
        ctx,
        Challenge.SELECT_CHALLENGE,
        {},
        pending_for(
            ctx,
            client,
            None if chooser is None else chooser.username,
            Challenge.SELECT_CHALLENGE,
            names=(name,) if chooser is None else (),
        ),
    )
    response["AvailableChallenges"] = ["PASSWORD_SRP"]
    return response


def _select_challenge(  # noqa: PLR0917 - the respond step's own six
    ctx: Context,
    pool: Pool,
    client: AppClient,
    pending: Pending,
    responses: Mapping[str, str],
    session: str | None,
) -> Response:
    """SELECT_CHALLENGE answered with PASSWORD_SRP: PASSWORD_VERIFIER for the user who chose."""
    if responses.get("ANSWER") != "PASSWORD_SRP":
        raise ServiceError("InvalidParameterException", "ANSWER: only PASSWORD_SRP is offered")
    if pending.username is None and responses.get("USERNAME") not in pending.names:
        raise ServiceError("NotAuthorizedException", INVALID_SESSION)
    return _start_srp(ctx, pool, client, responses, selected_by=pending.username, session=session)


def initiate_auth(ctx: Context, request: Request, region: str) -> Response:
    """InitiateAuth: the first challenge of a sign-in, or tokens (USER_PASSWORD_AUTH, a refresh)."""
    with ctx.lock:
        pool, client = ctx.client(request)
    return _initiate(ctx, pool, client, request, admin=False)


def _admin_client(ctx: Context, request: Request) -> tuple[Pool, AppClient]:
    """The app client ClientId names, which must belong to the pool UserPoolId names."""
    with ctx.lock:
        pool = ctx.pool(request)
        found, client = ctx.client(request)
    if found is not pool:
        raise ServiceError("ResourceNotFoundException", "User pool client does not exist.")
    return pool, client


def admin_initiate_auth(ctx: Context, request: Request, region: str) -> Response:
    """AdminInitiateAuth: InitiateAuth with the pool named, and the admin password flows."""
    pool, client = _admin_client(ctx, request)
    return _initiate(ctx, pool, client, request, admin=True)


def admin_respond_to_auth_challenge(ctx: Context, request: Request, region: str) -> Response:
    """AdminRespondToAuthChallenge: RespondToAuthChallenge with the pool named."""
    pool, client = _admin_client(ctx, request)
    return _respond(ctx, pool, client, request)


def respond_to_auth_challenge(ctx: Context, request: Request, region: str) -> Response:
    """RespondToAuthChallenge: the answer to the challenge a pending sign-in issued."""
    with ctx.lock:
        pool, client = ctx.client(request)
    return _respond(ctx, pool, client, request)


def _respond(ctx: Context, pool: Pool, client: AppClient, request: Request) -> Response:
    name = read_text(request, "ChallengeName", max_len=_MAX_NAME)
    session = read_text(request, "Session", required=False, max_len=MAX_SESSION)
    responses = read_string_map(request, "ChallengeResponses")
    read_string_map(request, "ClientMetadata")
    pending = ctx.sign_ins.take(session, responses)
    challenge = Challenge.named(name)
    if pending is None or pending.client_id != client.id or pending.challenge is not challenge:
        raise ServiceError("NotAuthorizedException", INVALID_SESSION)
    if pending.expires < ctx.clock():
        raise ServiceError(
            "NotAuthorizedException", "Invalid session for the user, session is expired."
        )
    if challenge is Challenge.SELECT_CHALLENGE:
        return _select_challenge(ctx, pool, client, pending, responses, session)
    if challenge is Challenge.DEVICE_SRP_AUTH:
        return _device_srp_auth(ctx, pool, client, pending, responses)
    if challenge is Challenge.NEW_PASSWORD_REQUIRED:
        return _new_password(ctx, pool, client, pending, responses)
    if challenge in (Challenge.SOFTWARE_TOKEN_MFA, Challenge.MFA_SETUP):
        return answer_mfa(ctx, pool, client, pending, responses)
    server = pending.server
    assert server is not None
    if challenge is Challenge.PASSWORD_VERIFIER:
        _check_device_first(ctx, pool, pending, responses)
    verified(client, lambda: server.verify(responses))
    if pending.username is None:  # a decoy: no password can be right  # pragma: no cover
        raise ServiceError("NotAuthorizedException", NOT_AUTHORIZED)
    with ctx.lock:
        user = pool.user(pending.username)
    if challenge is Challenge.DEVICE_PASSWORD_VERIFIER:
        assert pending.device_key is not None
        with ctx.lock:
            device = pool.devices.get(pending.device_key)
            if device is not None:
                device.last_authenticated = ctx.clock()
                ctx.put(device)
        return tokens_and_device(ctx, pool, client, user, pending.device_key, device_verified=True)
    if user.status == "UNCONFIRMED":
        raise ServiceError("UserNotConfirmedException", "User is not confirmed.")
    return _after_password(
        ctx, pool, client, user, responses.get("DEVICE_KEY") or pending.device_key
    )


def _check_device_first(
    ctx: Context, pool: Pool, pending: Pending, responses: Mapping[str, str]
) -> None:
    """Refuse a PASSWORD_VERIFIER whose DEVICE_KEY names no device of the user, keeping it answerable.

    Cognito answers such an answer ResourceNotFoundException "Device does not
    exist.", and the clients then send the same answer again without DEVICE_KEY
    (amazon-archives/amazon-cognito-identity-js#200 and #206,
    aws-amplify/amplify-android#2605), so the sign-in is filed again, unverified,
    without the device, until it expires as before.
    """
    device_key = responses.get("DEVICE_KEY") or pending.device_key
    if not device_key or pending.username is None:
        return
    with ctx.lock:
        device = pool.devices.get(device_key)
        known = device is not None and device.username == pending.username
    if not known:
        pending.device_key = None
        ctx.sign_ins.file(pending)
        raise ServiceError("ResourceNotFoundException", "Device does not exist.")


def _after_password(
    ctx: Context, pool: Pool, client: AppClient, user: PoolUser, device_key: str | None
) -> Response:
    """Once the password is proven: a new one if required, else on to the device or tokens."""
    if user.status != "FORCE_CHANGE_PASSWORD":
        return finish(ctx, pool, client, user, device_key)
    return ask(
        ctx,
        Challenge.NEW_PASSWORD_REQUIRED,
        {
            "USER_ID_FOR_SRP": user.username,
            "requiredAttributes": "[]",
            "userAttributes": json.dumps(dict(user.attributes)),
        },
        pending_for(
            ctx, client, user.username, Challenge.NEW_PASSWORD_REQUIRED, device_key=device_key
        ),
    )


def _device_srp_auth(
    ctx: Context, pool: Pool, client: AppClient, pending: Pending, responses: Mapping[str, str]
) -> Response:
    """DEVICE_SRP_AUTH: the remembered device's SRP, answered by DEVICE_PASSWORD_VERIFIER."""
    assert pending.username is not None and pending.device_key is not None
    if responses.get("DEVICE_KEY") != pending.device_key:
        raise ServiceError("ResourceNotFoundException", "Device does not exist.")
    with ctx.lock:
        device = pool.devices.get(pending.device_key)
    if device is None or device.verifier_config is None:
        raise ServiceError("ResourceNotFoundException", "Device does not exist.")
    names = {pending.username, *pending.names} - {device.username}
    config = device.verifier_config
    server = verified(
        client,
        lambda: DeviceServerSRP(
            device.username,
            device.group_key,
            device.key,
            config,
            aliases=names,
            **_secret_args(client),
        ),
    )
    challenge = verified(client, lambda: server.start(responses))
    return ask(
        ctx,
        Challenge.DEVICE_PASSWORD_VERIFIER,
        challenge,
        pending_for(
            ctx,
            client,
            pending.username,
            Challenge.DEVICE_PASSWORD_VERIFIER,
            server=server,
            device_key=device.key,
        ),
    )


def _new_password(
    ctx: Context, pool: Pool, client: AppClient, pending: Pending, responses: Mapping[str, str]
) -> Response:
    """NEW_PASSWORD_REQUIRED: the user's own password replaces the temporary one."""
    assert pending.username is not None
    password = responses.get("NEW_PASSWORD")
    if password is None:
        raise ServiceError("InvalidParameterException", "Missing required parameter NEW_PASSWORD")
    name = responses.get("USERNAME", "")
    with ctx.lock:
        user = pool.find(name)
    if user is None or user.username != pending.username:
        raise ServiceError("NotAuthorizedException", INVALID_SESSION)
    check_secret_hash(client, name, responses.get("SECRET_HASH"))
    user = set_password(ctx, pool.record.id, user.username, password, "CONFIRMED")
    return finish(ctx, pool, client, user, pending.device_key)
