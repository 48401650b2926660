"""Cognito SRP sign-in over boto3: ``authenticate`` and ``confirm_device``.

Pass a boto3 ``cognito-idp`` client (``boto3.client("cognito-idp")``, or one
with ``endpoint_url=`` pointing at ``srpkit serve``). srpkit only calls the
client's methods and never imports boto3, so ``pip install srpkit[aws]`` is
what brings it in. AWS errors (``client.exceptions.NotAuthorizedException``,
...) reach the caller unchanged.

Example::

    import boto3
    from srpkit import aws

    client = boto3.client("cognito-idp", region_name="eu-west-1")
    result = aws.authenticate(client, pool_id=POOL_ID, client_id=CLIENT_ID,
                              username="alice", password=password)
    if result.signed_in:
        tokens = result.authentication_result          # AccessToken, IdToken, ...
    else:
        result.challenge_name, result.session          # e.g. SOFTWARE_TOKEN_MFA: answer it

    meta = result.new_device_metadata                  # device tracking is on:
    if meta:                                           # remember this device
        device = aws.confirm_device(client, access_token=tokens["AccessToken"],
                                    device_key=meta["DeviceKey"],
                                    device_group_key=meta["DeviceGroupKey"])
        # keep device.device_key, .device_group_key, .password; next time:
        aws.authenticate(client, ..., device=device)   # DEVICE_SRP_AUTH, no MFA prompt
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ._client.device import new_device_secret
from ._client.model import CHALLENGE_NAMES
from ._client.requests import (
    custom_auth_srp_request,
    device_password_verifier_request,
    device_srp_auth_request,
    password_verifier_request,
    select_password_srp_request,
    user_auth_request,
    user_srp_auth_request,
)
from ._client.user import UserSRP
from ._core.caps import MAX_DEVICE_NAME, MAX_TOKEN
from ._core.checks import Problems, check_device_group_key, check_device_key
from ._core.encoding import require_str, utf8_field
from ._core.errors import InvalidChallengeError, InvalidInputError, ParameterTypeError

__all__ = [
    "FLOWS",
    "AuthResult",
    "ConfirmedDevice",
    "DeviceCredentials",
    "authenticate",
    "confirm_device",
]

FLOWS = ("USER_SRP_AUTH", "USER_AUTH", "CUSTOM_AUTH")


class DeviceCredentials(Protocol):
    """What signing in with a remembered device needs: a ConfirmedDevice (or a DeviceSecret)."""

    @property
    def device_key(self) -> str: ...  # pragma: no cover - a protocol

    @property
    def device_group_key(self) -> str: ...  # pragma: no cover - a protocol

    @property
    def password(self) -> str: ...  # pragma: no cover - a protocol


@dataclass(frozen=True)
class ConfirmedDevice:
    """A device registered with ConfirmDevice: keep all three strings to sign in with it later.

    ``password`` is the device's secret (store it like a refresh token). When
    ``user_confirmation_necessary`` is true (the pool remembers devices only on
    the user's say-so), call ``client.update_device_status(AccessToken=...,
    DeviceKey=..., DeviceRememberedStatus="remembered")`` if the user agrees;
    until then Cognito will not ask this device to prove itself.
    """

    device_key: str
    device_group_key: str
    password: str = field(repr=False)
    user_confirmation_necessary: bool = False

    def __repr__(self) -> str:
        return (
            f"ConfirmedDevice(device_key={self.device_key!r}, "
            f"device_group_key={self.device_group_key!r}, password=<redacted>, "
            f"user_confirmation_necessary={self.user_confirmation_necessary})"
        )


@dataclass(frozen=True)
class AuthResult:
    """How a sign-in ended: tokens (``authentication_result``), or a challenge for the caller.

    When ``signed_in``, ``authentication_result`` is Cognito's AuthenticationResult
    (AccessToken, IdToken, RefreshToken, ExpiresIn, TokenType, maybe
    NewDeviceMetadata). Otherwise ``challenge_name``, ``session`` and
    ``challenge_parameters`` are the pending challenge (SOFTWARE_TOKEN_MFA,
    NEW_PASSWORD_REQUIRED, CUSTOM_CHALLENGE, ...) to answer with
    ``respond_to_auth_challenge``; its USERNAME (and SECRET_HASH) must be ``username``.
    """

    authentication_result: dict[str, Any] | None = None
    challenge_name: str | None = None
    session: str | None = None
    challenge_parameters: dict[str, str] = field(default_factory=dict)
    available_challenges: tuple[str, ...] = ()
    username: str | None = None  # USER_ID_FOR_SRP: the user's Cognito username

    @property
    def signed_in(self) -> bool:
        """Whether the sign-in finished with tokens."""
        return self.authentication_result is not None

    @property
    def new_device_metadata(self) -> dict[str, str] | None:
        """NewDeviceMetadata (DeviceKey, DeviceGroupKey) when the pool tracks a new device."""
        if self.authentication_result is None:
            return None
        meta = self.authentication_result.get("NewDeviceMetadata")
        return dict(meta) if isinstance(meta, Mapping) else None

    def __repr__(self) -> str:
        # Tokens and the Session are credentials; challenge parameters may be personal data.
        if self.authentication_result is not None:
            return (
                f"AuthResult(signed_in=True, authentication_result=<redacted>, "
                f"new_device={self.new_device_metadata is not None}, username={self.username!r})"
            )
        return (
            f"AuthResult(signed_in=False, challenge_name={self.challenge_name!r}, "
            f"session=<redacted>, challenge_parameters=<{len(self.challenge_parameters)} keys>, "
            f"username={self.username!r})"
        )


def _check_flow(flow: object) -> None:
    if flow not in FLOWS:
        raise InvalidInputError(
            f"flow: must be one of {', '.join(FLOWS)} (the flows that sign in with SRP)",
            fields=("flow",),
        )


def _check_client(client: object, methods: tuple[str, ...]) -> None:
    missing = [m for m in methods if not callable(getattr(client, m, None))]
    if missing:
        raise ParameterTypeError(
            f"client: expected a boto3 cognito-idp client, got {type(client).__name__} "
            f"without {', '.join(missing)}",
            fields=("client",),
        )


def _check_device(device: object) -> None:
    if device is None:
        return
    values = {
        name: getattr(device, name, None) for name in ("device_key", "device_group_key", "password")
    }
    if not all(isinstance(v, str) for v in values.values()):
        raise ParameterTypeError(
            "device: expected what confirm_device returned (device_key, device_group_key, "
            f"password), got {type(device).__name__}",
            fields=("device",),
        )
    check_device_group_key(values["device_group_key"], "device.device_group_key")


def _wrong_type(field: str, expected: str, value: object) -> ParameterTypeError:
    return ParameterTypeError(
        f"{field}: expected {expected}, got {type(value).__name__}", fields=(field,)
    )


def _str_map(value: object, field: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise _wrong_type(field, "a mapping of str to str", value)
    return dict(value)


def _check_tokens(tokens: object) -> dict[str, Any]:
    """AuthenticationResult, each member of the API model's type when present."""
    field = "AuthenticationResult"
    if not isinstance(tokens, Mapping):
        raise _wrong_type(field, "a mapping", tokens)
    for name in ("AccessToken", "IdToken", "RefreshToken", "TokenType"):
        if tokens.get(name) is not None and not isinstance(tokens[name], str):
            raise _wrong_type(f"{field}.{name}", "str", tokens[name])
    expires = tokens.get("ExpiresIn")
    if expires is not None and (isinstance(expires, bool) or not isinstance(expires, int)):
        raise _wrong_type(f"{field}.ExpiresIn", "int", expires)
    if tokens.get("NewDeviceMetadata") is not None:
        _str_map(tokens["NewDeviceMetadata"], f"{field}.NewDeviceMetadata")
    return dict(tokens)


def _read_response(response: object) -> AuthResult:
    """An InitiateAuth / RespondToAuthChallenge response, every member type-checked.

    Every member is optional in the API model, and Cognito omits Session on
    PASSWORD_VERIFIER; what is present must have its model type, or a typed
    error names it (a hostile or broken endpoint must not cause a TypeError).
    """
    if not isinstance(response, Mapping):
        raise _wrong_type("response", "a mapping from the client", response)
    if response.get("AuthenticationResult") is not None:
        return AuthResult(authentication_result=_check_tokens(response["AuthenticationResult"]))
    name = response.get("ChallengeName")
    if name is None:
        raise InvalidChallengeError(
            "response: has neither AuthenticationResult nor ChallengeName",
            fields=("ChallengeName",),
        )
    if not isinstance(name, str):
        raise _wrong_type("ChallengeName", "str", name)
    session = response.get("Session")
    if session is not None and not isinstance(session, str):
        raise _wrong_type("Session", "str", session)
    params = response.get("ChallengeParameters")
    available = response.get("AvailableChallenges")
    if available is not None and not (
        isinstance(available, (list, tuple)) and all(isinstance(a, str) for a in available)
    ):
        raise _wrong_type("AvailableChallenges", "a list of str", available)
    return AuthResult(
        challenge_name=name,
        session=session,
        challenge_parameters={} if params is None else _str_map(params, "ChallengeParameters"),
        available_challenges=tuple(available or ()),
    )


def authenticate(
    client: Any,
    *,
    pool_id: str,
    client_id: str,
    username: str,
    password: str,
    client_secret: str | None = None,
    device: DeviceCredentials | None = None,
    flow: str = "USER_SRP_AUTH",
    client_metadata: Mapping[str, str] | None = None,
) -> AuthResult:
    """Sign in with SRP through ``client`` (a boto3 cognito-idp client); the password never leaves.

    ``flow`` is USER_SRP_AUTH (default), USER_AUTH (choice-based sign-in, with
    PASSWORD_SRP) or CUSTOM_AUTH (starting with SRP_A). srpkit answers
    PASSWORD_VERIFIER and, with ``device`` (what ``confirm_device`` returned),
    DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER; any other challenge (MFA,
    NEW_PASSWORD_REQUIRED, CUSTOM_CHALLENGE) is returned for the caller to
    answer. ``client_metadata`` goes with every request. Bad arguments raise
    one srpkit error naming each; AWS errors propagate unchanged.
    """
    problems = Problems()
    problems.check(_check_client, client, ("initiate_auth", "respond_to_auth_challenge"))
    problems.check(_check_flow, flow)
    problems.check(_check_device, device)
    made: list[UserSRP] = []
    problems.check(
        lambda: made.append(
            UserSRP(
                pool_id,
                client_id,
                username,
                password,
                client_secret=client_secret,
                device_key=None if device is None else device.device_key,
            )
        )
    )
    problems.raise_any()
    user = made[0]
    if flow == "USER_AUTH":
        body = user_auth_request(
            user, preferred_challenge="PASSWORD_SRP", client_metadata=client_metadata
        )
    elif flow == "CUSTOM_AUTH":
        body = custom_auth_srp_request(user, client_metadata=client_metadata)
    else:
        body = user_srp_auth_request(user, client_metadata=client_metadata)
    response = client.initiate_auth(**body)
    user_id = username
    password_params: Mapping[str, str] | None = None
    device_srp = None
    answered: set[str] = set()
    while (step := _read_response(response)).challenge_name is not None:
        name = step.challenge_name
        if name in answered:
            shown = name if name in CHALLENGE_NAMES else "a challenge"
            raise InvalidChallengeError(
                f"ChallengeName: the server asked {shown} twice in one sign-in",
                fields=("ChallengeName",),
            )
        if name == "SELECT_CHALLENGE" and "PASSWORD_SRP" in step.available_challenges:
            body = select_password_srp_request(user, response, client_metadata=client_metadata)
        elif name == "PASSWORD_VERIFIER":
            body = password_verifier_request(user, response, client_metadata=client_metadata)
            password_params = step.challenge_parameters
            user_id = password_params["USER_ID_FOR_SRP"]  # checked by the builder
        elif name == "DEVICE_SRP_AUTH" and device is not None and password_params is not None:
            device_srp = user.device_srp(device.device_group_key, device.password, password_params)
            body = device_srp_auth_request(device_srp, response, client_metadata=client_metadata)
        elif name == "DEVICE_PASSWORD_VERIFIER" and device_srp is not None:
            body = device_password_verifier_request(
                device_srp, response, client_metadata=client_metadata
            )
        else:
            break
        answered.add(name)
        response = client.respond_to_auth_challenge(**body)
    return dataclasses.replace(step, username=user_id)


def confirm_device(
    client: Any,
    *,
    access_token: str,
    device_key: str,
    device_group_key: str,
    device_name: str | None = None,
) -> ConfirmedDevice:
    """Register the device a sign-in's NewDeviceMetadata named: make its secret, call ConfirmDevice.

    The device password and its verifier are drawn here (as the official
    clients do); only the verifier is sent. Returns what must be kept to sign
    in with the device later, and whether Cognito waits for the user to
    confirm remembering it. AWS errors propagate unchanged.
    """
    problems = Problems()
    problems.check(_check_client, client, ("confirm_device",))
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
    response = client.confirm_device(**body)
    necessary = isinstance(response, Mapping) and response.get("UserConfirmationNecessary") is True
    return ConfirmedDevice(device_key, device_group_key, secret.password, necessary)


def _check_device_name(name: object) -> None:
    utf8_field(require_str(name, "device_name", max_len=MAX_DEVICE_NAME), "device_name")
