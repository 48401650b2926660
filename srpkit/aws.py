"""Whole Cognito sign-in journeys over boto3: authenticate, answer challenges, refresh, devices, admin SRP.

Pass a boto3 ``cognito-idp`` client, or none: srpkit then builds one in the
region the pool id names (``eu-west-1_AbC``), sending **unsigned** requests,
since InitiateAuth, RespondToAuthChallenge, ConfirmDevice and the refresh
operations need no AWS credentials (``endpoint_url=`` points it at ``srpkit
serve``). ``admin_authenticate`` calls the Admin operations, which do need
credentials: without a client it builds a signed one from boto3's usual chain.
boto3 is imported only then (``pip install 'srpkit[aws]'``). AWS errors
(``client.exceptions.NotAuthorizedException``, ...) reach the caller unchanged.

Example::

    from srpkit import aws

    def answer(challenge):                       # each challenge srpkit cannot answer itself
        if challenge.challenge_name == "SOFTWARE_TOKEN_MFA":
            return {"SOFTWARE_TOKEN_MFA_CODE": input("code: ")}
        return None                              # stop: the challenge is returned pending

    result = aws.authenticate(pool_id=POOL_ID, client_id=CLIENT_ID, username="alice",
                              password=password, answer=answer)
    tokens = result.authentication_result        # AccessToken, IdToken, RefreshToken, ...
    meta = result.new_device_metadata            # device tracking is on: remember this device
    if meta:
        device = aws.confirm_device(client, access_token=tokens["AccessToken"],
                                    device_key=meta["DeviceKey"],
                                    device_group_key=meta["DeviceGroupKey"])
        # keep device.device_key, .device_group_key, .password; next time:
        aws.authenticate(..., device=device)     # DEVICE_SRP_AUTH, no MFA prompt
    later = aws.refresh(pool_id=POOL_ID, client_id=CLIENT_ID,
                        refresh_token=tokens["RefreshToken"], username=result.username)

srpkit adds USERNAME and SECRET_HASH over USER_ID_FOR_SRP (``result.username``,
the internal name: never the alias typed), DEVICE_KEY and the Session to each
answer. When Cognito has forgotten the device passed in, srpkit signs in again
without it and says so (``result.device_forgotten``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._client.calls import (
    confirm_device_call,
    read_confirm_device,
    read_refresh,
    refresh_call,
    refresh_pool,
)
from ._client.journey import FLOWS, Call, SignIn, check_client
from ._client.results import Answer, AuthResult, Challenge, ConfirmedDevice, DeviceCredentials
from ._core.checks import region_of
from ._core.errors import MissingDependencyError

__all__ = [
    "FLOWS",
    "Answer",
    "AuthResult",
    "Challenge",
    "ConfirmedDevice",
    "DeviceCredentials",
    "admin_authenticate",
    "authenticate",
    "cognito_client",
    "confirm_device",
    "refresh",
]

AnswerFunction = Callable[[Challenge], "Mapping[str, str] | Answer | None"]
_SIGN_IN_METHODS = ("initiate_auth", "respond_to_auth_challenge")
_ADMIN_METHODS = ("admin_initiate_auth", "admin_respond_to_auth_challenge")


def cognito_client(
    pool_id_or_region: str,
    *,
    endpoint_url: str | None = None,
    signed: bool = False,
    config: Any = None,
) -> Any:
    """A boto3 cognito-idp client for the pool's region; unsigned unless ``signed`` (no credentials needed).

    The unsigned client can call what a user pool's app client may call without
    AWS credentials: InitiateAuth, RespondToAuthChallenge, ConfirmDevice,
    GetTokensFromRefreshToken, GetUser and the other AccessToken operations.
    ``config`` (a botocore ``Config``, e.g. fewer retries) is merged in.
    """
    try:
        import boto3  # noqa: PLC0415 - optional, imported only when used
        from botocore import UNSIGNED  # noqa: PLC0415 - optional, imported only when used
        from botocore.config import Config  # noqa: PLC0415 - optional, imported only when used
    except ImportError as exc:  # pragma: no cover - the aws extra brings both
        raise MissingDependencyError(
            "boto3 is not installed: pip install 'srpkit[aws]'", fields=("client",)
        ) from exc
    if not signed:
        unsigned = Config(signature_version=UNSIGNED)
        config = unsigned if config is None else unsigned.merge(config)
    return boto3.client(
        "cognito-idp",
        region_name=region_of(pool_id_or_region),
        endpoint_url=endpoint_url,
        config=config,
    )


def _send(client: Any, call: Call) -> Any:
    return getattr(client, call.operation.method)(**call.body)


def _drive(client: Any, journey: SignIn, answer: AnswerFunction | None) -> AuthResult:
    """Send each Call of ``journey`` until tokens, a challenge nobody answers, or an error."""
    call = journey.start()
    while True:
        try:
            response = _send(client, call)
        except Exception as exc:
            retry = journey.retry_after(exc)
            if retry is None:
                raise
            call = retry
            continue
        step = journey.receive(response)
        if isinstance(step, Call):
            call = step
            continue
        if step.signed_in or answer is None or journey.pending is None:
            return step
        reply = answer(journey.pending)
        if reply is None:
            return step
        call = journey.answer(reply)


def authenticate(
    client: Any = None,
    *,
    pool_id: str,
    client_id: str,
    username: str,
    password: str,
    client_secret: str | None = None,
    device: DeviceCredentials | None = None,
    flow: str = "USER_SRP_AUTH",
    answer: AnswerFunction | None = None,
    client_metadata: Mapping[str, str] | None = None,
    endpoint_url: str | None = None,
) -> AuthResult:
    """Sign in with SRP through ``client`` (a boto3 cognito-idp client, or None); the password never leaves.

    ``flow`` is USER_SRP_AUTH (default), USER_AUTH (choice-based sign-in, with
    PASSWORD_SRP) or CUSTOM_AUTH (starting with SRP_A). srpkit answers
    PASSWORD_VERIFIER and, with ``device`` (what ``confirm_device`` returned),
    DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER. ``answer`` is called with a
    ``Challenge`` for every other challenge (SOFTWARE_TOKEN_MFA, SMS_MFA,
    EMAIL_OTP, NEW_PASSWORD_REQUIRED, SELECT_MFA_TYPE, MFA_SETUP,
    CUSTOM_CHALLENGE, ...) and returns that challenge's own responses, an
    ``Answer`` (to send another Session too), or None to stop; without it, the
    first such challenge is returned pending. ``client_metadata`` goes with
    every request. Bad arguments raise one srpkit error naming each; AWS errors
    propagate unchanged.
    """
    journey = SignIn(
        pool_id=pool_id,
        client_id=client_id,
        username=username,
        password=password,
        client_secret=client_secret,
        device=device,
        flow=flow,
        client_metadata=client_metadata,
    )
    if client is None:
        client = cognito_client(pool_id, endpoint_url=endpoint_url)
    check_client(client, _SIGN_IN_METHODS, "boto3")
    return _drive(client, journey, answer)


def admin_authenticate(
    client: Any = None,
    *,
    pool_id: str,
    client_id: str,
    username: str,
    password: str,
    client_secret: str | None = None,
    device: DeviceCredentials | None = None,
    flow: str = "USER_SRP_AUTH",
    answer: AnswerFunction | None = None,
    client_metadata: Mapping[str, str] | None = None,
    context_data: Mapping[str, Any] | None = None,
    endpoint_url: str | None = None,
) -> AuthResult:
    """``authenticate`` over AdminInitiateAuth / AdminRespondToAuthChallenge (AWS credentials needed).

    The same journey and options; ``context_data`` (IpAddress, ServerName,
    ServerPath, HttpHeaders, EncodedData) is the Admin operations' ContextData
    for threat protection. Without a client, a signed one is built from boto3's
    credential chain.
    """
    journey = SignIn(
        pool_id=pool_id,
        client_id=client_id,
        username=username,
        password=password,
        client_secret=client_secret,
        device=device,
        flow=flow,
        client_metadata=client_metadata,
        admin=True,
        context_data=context_data,
    )
    if client is None:
        client = cognito_client(pool_id, endpoint_url=endpoint_url, signed=True)
    check_client(client, _ADMIN_METHODS, "boto3")
    return _drive(client, journey, answer)


def refresh(
    client: Any = None,
    *,
    client_id: str,
    refresh_token: str,
    username: str | None = None,
    client_secret: str | None = None,
    device_key: str | None = None,
    rotate: bool = False,
    pool_id: str | None = None,
    client_metadata: Mapping[str, str] | None = None,
    endpoint_url: str | None = None,
) -> AuthResult:
    """New tokens from a refresh token: InitiateAuth REFRESH_TOKEN_AUTH, or GetTokensFromRefreshToken.

    With a client secret, ``username`` must be USER_ID_FOR_SRP (the
    ``username`` of the sign-in's AuthResult), since SECRET_HASH is over the
    internal name. Pass ``device_key`` when the tokens came from a sign-in with
    a device: Cognito refuses the refresh without it. ``rotate=True`` calls
    GetTokensFromRefreshToken, which (when the app client rotates refresh
    tokens) returns a new RefreshToken; keep it. Without a client, ``pool_id``
    (or its region) picks where to send.
    """
    call = refresh_call(
        client_id=client_id,
        refresh_token=refresh_token,
        username=username,
        client_secret=client_secret,
        device_key=device_key,
        rotate=rotate,
        client_metadata=client_metadata,
    )
    if client is None:
        client = cognito_client(refresh_pool(pool_id), endpoint_url=endpoint_url)
    check_client(client, (call.operation.method,), "boto3")
    return read_refresh(call, _send(client, call), username=username)


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
    call, secret = confirm_device_call(
        access_token=access_token,
        device_key=device_key,
        device_group_key=device_group_key,
        device_name=device_name,
    )
    check_client(client, ("confirm_device",), "boto3")
    return read_confirm_device(_send(client, call), secret)
