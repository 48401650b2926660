"""SRP sign-ins: InitiateAuth and RespondToAuthChallenge, from USERNAME and SRP_A to tokens.

InitiateAuth USER_SRP_AUTH, USER_AUTH with PASSWORD_SRP and CUSTOM_AUTH with
SRP_A; RespondToAuthChallenge PASSWORD_VERIFIER, DEVICE_SRP_AUTH,
DEVICE_PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED and SELECT_CHALLENGE. There
are no Lambda triggers: CUSTOM_AUTH with SRP_A issues tokens once the password
is verified, as a DefineAuthChallenge that asks nothing more would.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Mapping
from typing import Any

from .._core.caps import MAX_SESSION
from .._core.encoding import java_hex
from .._core.srp import verifier as verifier_of
from ..server import DeviceServerSRP, ServerSRP
from .context import Context, Pool, Request, Response
from .devices import new_device
from .issuing import tokens_for
from .pending import Challenge, Pending
from .refusals import INVALID_SESSION, NOT_AUTHORIZED, check_secret_hash, verified
from .state import AppClient, PoolUser
from .users import set_password
from .wire import ServiceError, read_string_map, read_text

__all__ = ["initiate_auth", "respond_to_auth_challenge"]

# AuthFlowType and ChallengeNameType are enums; this only bounds what an error message echoes.
_MAX_NAME = 64


def _require_flow(client: AppClient, allow: str, flow: str) -> None:
    if allow not in client.explicit_auth_flows:
        raise ServiceError("InvalidParameterException", f"{flow} flow not enabled for this client")


def _secret_args(client: AppClient) -> dict[str, Any]:
    return {} if client.secret is None else {"client_id": client.id, "client_secret": client.secret}


def _pending(
    ctx: Context,
    client: AppClient,
    username: str | None,
    challenge: Challenge,
    *,
    server: ServerSRP | DeviceServerSRP | None = None,
    names: tuple[str, ...] = (),
    device_key: str | None = None,
    session: str | None = None,
) -> Pending:
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


def _challenge(
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


def _decoy(pool: Pool, name: str) -> tuple[str, str]:
    """A salt and verifier for a user that does not exist, the same at every attempt."""
    digest = hmac.new(
        bytes.fromhex(pool.record.decoy_key), pool.norm(name).encode("utf-8"), "sha256"
    ).digest()
    salt = int.from_bytes(digest[:16], "big")
    return java_hex(salt), java_hex(verifier_of(int.from_bytes(digest, "big")))


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
        username, (salt, verifier) = name, _decoy(pool, name)
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
    pending = _pending(
        ctx,
        client,
        None if found is None else username,
        Challenge.PASSWORD_VERIFIER,
        server=server,
        names=aliases,
        device_key=params.get("DEVICE_KEY"),
        session=session,
    )
    return _challenge(ctx, Challenge.PASSWORD_VERIFIER, challenge, pending, send_session=False)


def initiate_auth(ctx: Context, request: Request, region: str) -> Response:
    """InitiateAuth: the first challenge of an SRP sign-in."""
    with ctx.lock:
        pool, client = ctx.client(request)
    flow = read_text(request, "AuthFlow", max_len=_MAX_NAME)
    params = read_string_map(request, "AuthParameters")
    read_string_map(request, "ClientMetadata")
    if flow == "USER_SRP_AUTH":
        _require_flow(client, "ALLOW_USER_SRP_AUTH", flow)
        return _start_srp(ctx, pool, client, params)
    if flow == "CUSTOM_AUTH":
        _require_flow(client, "ALLOW_CUSTOM_AUTH", flow)
        if params.get("CHALLENGE_NAME") != "SRP_A":
            raise ServiceError(
                "InvalidParameterException",
                "srpkit serve runs no Lambda triggers: CUSTOM_AUTH is supported only with "
                "CHALLENGE_NAME=SRP_A",
            )
        return _start_srp(ctx, pool, client, params)
    if flow == "USER_AUTH":
        _require_flow(client, "ALLOW_USER_AUTH", flow)
        if params.get("PREFERRED_CHALLENGE") == "PASSWORD_SRP":
            return _start_srp(ctx, pool, client, params)
        name = params.get("USERNAME", "")
        with ctx.lock:
            user = pool.find(name)
        if user is None:
            raise ServiceError("UserNotFoundException", "User does not exist.")
        check_secret_hash(client, name, params.get("SECRET_HASH"))
        response = _challenge(
            ctx,
            Challenge.SELECT_CHALLENGE,
            {},
            _pending(ctx, client, user.username, Challenge.SELECT_CHALLENGE),
        )
        response["AvailableChallenges"] = ["PASSWORD_SRP"]
        return response
    raise ServiceError(
        "InvalidParameterException",
        f"AuthFlow {str(flow)[:64]!r} is not supported by srpkit serve "
        "(USER_SRP_AUTH, USER_AUTH with PASSWORD_SRP, CUSTOM_AUTH with SRP_A)",
    )


def respond_to_auth_challenge(ctx: Context, request: Request, region: str) -> Response:
    """RespondToAuthChallenge: the answer to the challenge a pending sign-in issued."""
    with ctx.lock:
        pool, client = ctx.client(request)
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
        if responses.get("ANSWER") != "PASSWORD_SRP":
            raise ServiceError("InvalidParameterException", "ANSWER: only PASSWORD_SRP is offered")
        return _start_srp(
            ctx, pool, client, responses, selected_by=pending.username, session=session
        )
    if challenge is Challenge.DEVICE_SRP_AUTH:
        return _device_srp_auth(ctx, pool, client, pending, responses)
    if challenge is Challenge.NEW_PASSWORD_REQUIRED:
        return _new_password(ctx, pool, client, pending, responses)
    server = pending.server
    assert server is not None
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
        return {"AuthenticationResult": tokens_for(ctx, pool, client, user, pending.device_key)}
    if user.status == "UNCONFIRMED":
        raise ServiceError("UserNotConfirmedException", "User is not confirmed.")
    device_key = responses.get("DEVICE_KEY") or pending.device_key
    if user.status == "FORCE_CHANGE_PASSWORD":
        attributes = dict(user.attributes)
        return _challenge(
            ctx,
            Challenge.NEW_PASSWORD_REQUIRED,
            {
                "USER_ID_FOR_SRP": user.username,
                "requiredAttributes": "[]",
                "userAttributes": json.dumps(attributes),
            },
            _pending(
                ctx, client, user.username, Challenge.NEW_PASSWORD_REQUIRED, device_key=device_key
            ),
        )
    return _signed_in(ctx, pool, client, user, device_key)


def _signed_in(
    ctx: Context, pool: Pool, client: AppClient, user: PoolUser, device_key: str | None
) -> Response:
    """After the password: the device's challenge if it is remembered, else tokens."""
    with ctx.lock:
        device = pool.devices.get(device_key) if device_key else None
        remembered = (
            device is not None
            and device.username == user.username
            and device.verifier_config is not None
            and device.remembered
        )
    if remembered:
        return _challenge(
            ctx,
            Challenge.DEVICE_SRP_AUTH,
            {},
            _pending(ctx, client, user.username, Challenge.DEVICE_SRP_AUTH, device_key=device_key),
        )
    device = new_device(ctx, pool, user) if pool.record.device_configuration else None
    result = tokens_for(ctx, pool, client, user, device.key if device else None)
    if device is not None:
        result["NewDeviceMetadata"] = {
            "DeviceKey": device.key,
            "DeviceGroupKey": device.group_key,
        }
    return {"AuthenticationResult": result}


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
    return _challenge(
        ctx,
        Challenge.DEVICE_PASSWORD_VERIFIER,
        challenge,
        _pending(
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
    return _signed_in(ctx, pool, client, user, pending.device_key)
