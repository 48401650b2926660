"""The one-request journeys after a sign-in: refreshing tokens and confirming a device, sans I/O.

Each is a function that checks its inputs and returns the ``Call`` to send,
and a function that reads the answer; ``srpkit.aws`` and ``srpkit.aio`` only
send.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._core.caps import MAX_DEVICE_NAME, MAX_TOKEN
from .._core.checks import Problems, check_device_group_key, check_device_key
from .._core.encoding import require_str, utf8_field
from .._core.errors import InvalidInputError
from .device import DeviceSecret, new_device_secret
from .journey import Call, Operation
from .refresh import get_tokens_from_refresh_token_request, refresh_request
from .responses import read_confirm_device_response, read_tokens_response
from .results import AuthResult, ConfirmedDevice

__all__ = [
    "confirm_device_call",
    "read_confirm_device",
    "read_refresh",
    "refresh_call",
    "refresh_pool",
]


def refresh_call(
    *,
    client_id: str,
    refresh_token: str,
    username: str | None = None,
    client_secret: str | None = None,
    device_key: str | None = None,
    rotate: bool = False,
    client_metadata: Mapping[str, str] | None = None,
) -> Call:
    """InitiateAuth REFRESH_TOKEN_AUTH, or with ``rotate`` GetTokensFromRefreshToken.

    Without rotation, SECRET_HASH is over ``username``, which must be
    USER_ID_FOR_SRP (the internal name, ``AuthResult.username``), not an alias;
    GetTokensFromRefreshToken sends the client secret itself. ``device_key`` is
    required by Cognito when the tokens came from a sign-in with a device.
    """
    if rotate:
        body = get_tokens_from_refresh_token_request(
            client_id,
            refresh_token,
            client_secret=client_secret,
            device_key=device_key,
            client_metadata=client_metadata,
        )
        return Call(Operation.GET_TOKENS_FROM_REFRESH_TOKEN, body)
    body = refresh_request(
        client_id,
        refresh_token,
        username=username,
        client_secret=client_secret,
        device_key=device_key,
        client_metadata=client_metadata,
    )
    return Call(Operation.INITIATE_AUTH, body)


def refresh_pool(pool_id: str | None) -> str:
    """The pool id (or region) a refresh without a client is sent to: required then, as its region."""
    if pool_id is None:
        raise InvalidInputError(
            "pool_id: needed (for its region) when no client is passed", fields=("pool_id",)
        )
    return pool_id


def read_refresh(call: Call, response: object, *, username: str | None) -> AuthResult:
    """The tokens a refresh returned (RefreshToken only when rotated)."""
    result = read_tokens_response(response, call.operation.value)
    if username is None:
        return result
    return AuthResult(authentication_result=result.authentication_result, username=username)


def _check_device_name(name: object) -> None:
    utf8_field(require_str(name, "device_name", max_len=MAX_DEVICE_NAME), "device_name")


def confirm_device_call(
    *,
    access_token: str,
    device_key: str,
    device_group_key: str,
    device_name: str | None = None,
) -> tuple[Call, DeviceSecret]:
    """ConfirmDevice for the device a sign-in's NewDeviceMetadata named, and the secret made for it.

    The device password and its verifier are drawn here (as the official
    clients do); only the verifier is sent.
    """
    problems = Problems()
    problems.check(require_str, access_token, "access_token", max_len=MAX_TOKEN)
    problems.check(check_device_key, device_key)
    problems.check(check_device_group_key, device_group_key)
    if device_name is not None:
        problems.check(_check_device_name, device_name)
    problems.raise_any()
    secret = new_device_secret(device_group_key, device_key)
    body: dict[str, Any] = {
        "AccessToken": access_token,
        "DeviceKey": device_key,
        "DeviceSecretVerifierConfig": secret.verifier_config,
    }
    if device_name is not None:
        body["DeviceName"] = device_name
    return Call(Operation.CONFIRM_DEVICE, body), secret


def read_confirm_device(response: object, secret: DeviceSecret) -> ConfirmedDevice:
    """What must be kept to sign in with the device later, and whether the user must confirm it."""
    necessary = read_confirm_device_response(response)
    return ConfirmedDevice(secret.device_key, secret.device_group_key, secret.password, necessary)
