"""The journeys of ``srpkit.aws`` for asyncio, over an aiobotocore client (``pip install 'srpkit[aio]'``).

The same state machine drives both (``srpkit._client.journey``): only the
sending differs. Pass an aiobotocore ``cognito-idp`` client, or none (srpkit
then opens an unsigned one in the pool's region for the call, and closes it)::

    from aiobotocore.session import get_session
    from srpkit import aio

    async with get_session().create_client("cognito-idp", region_name="eu-west-1") as client:
        result = await aio.authenticate(client, pool_id=POOL_ID, client_id=CLIENT_ID,
                                        username="alice", password=password)

``answer`` may be a plain function or a coroutine function.

The event loop is not held by the arithmetic: the steps that compute (making
SRP_A, signing PASSWORD_VERIFIER and the device steps, drawing a device
verifier) run in the loop's default executor. With gmpy2 each costs about one
3072-bit modular exponentiation (a few milliseconds) and releases the GIL, so
other tasks and threads run meanwhile; the pure-Python backend cannot release
the GIL, so a step (tens of milliseconds) slows other threads while the loop
itself stays responsive between the interpreter's thread switches.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
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

AnswerFunction = Callable[
    [Challenge], "Mapping[str, str] | Answer | Awaitable[Mapping[str, str] | Answer | None] | None"
]


@contextlib.asynccontextmanager
async def cognito_client(
    pool_id_or_region: str, *, endpoint_url: str | None = None, signed: bool = False
) -> AsyncIterator[Any]:
    """An aiobotocore cognito-idp client for the pool's region, unsigned unless ``signed``."""
    try:
        from aiobotocore.config import AioConfig  # noqa: PLC0415 - optional, imported only when used
        from aiobotocore.session import get_session  # noqa: PLC0415 - optional, imported only when used
        from botocore import UNSIGNED  # noqa: PLC0415 - optional, imported only when used
    except ImportError as exc:  # pragma: no cover - the aio extra brings them
        raise MissingDependencyError(
            "aiobotocore is not installed: pip install 'srpkit[aio]'", fields=("client",)
        ) from exc
    config = None if signed else AioConfig(signature_version=UNSIGNED)
    async with get_session().create_client(
        "cognito-idp",
        region_name=region_of(pool_id_or_region),
        endpoint_url=endpoint_url,
        config=config,
    ) as client:
        yield client


async def _send(client: Any, call: Call) -> Any:
    return await getattr(client, call.operation.method)(**call.body)


async def _drive(client: Any, journey: SignIn, answer: AnswerFunction | None) -> AuthResult:
    """The async twin of ``srpkit.aws._drive``: the same machine, awaited sends."""
    call = journey.start()
    while True:
        try:
            response = await _send(client, call)
        except Exception as exc:
            retry = journey.retry_after(exc)
            if retry is None:
                raise
            call = retry
            continue
        step = await asyncio.to_thread(journey.receive, response)
        if isinstance(step, Call):
            call = step
            continue
        if step.signed_in or answer is None or journey.pending is None:
            return step
        reply = answer(journey.pending)
        if inspect.isawaitable(reply):
            reply = await reply
        if reply is None:
            return step
        call = journey.answer(reply)


async def _journey(  # noqa: PLR0917 - private; both public journeys pass the same six
    client: Any,
    pool_id: str,
    endpoint_url: str | None,
    methods: tuple[str, ...],
    journey: SignIn,
    answer: AnswerFunction | None,
    *,
    signed: bool,
) -> AuthResult:
    if client is not None:
        check_client(client, methods, "aiobotocore")
        return await _drive(client, journey, answer)
    async with cognito_client(pool_id, endpoint_url=endpoint_url, signed=signed) as made:
        return await _drive(made, journey, answer)


async def authenticate(
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
    """``srpkit.aws.authenticate`` for an aiobotocore client: the same journey, options and results."""
    journey = await asyncio.to_thread(
        SignIn,
        pool_id=pool_id,
        client_id=client_id,
        username=username,
        password=password,
        client_secret=client_secret,
        device=device,
        flow=flow,
        client_metadata=client_metadata,
    )
    return await _journey(
        client,
        pool_id,
        endpoint_url,
        ("initiate_auth", "respond_to_auth_challenge"),
        journey,
        answer,
        signed=False,
    )


async def admin_authenticate(
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
    """``srpkit.aws.admin_authenticate`` for an aiobotocore client (AWS credentials needed)."""
    journey = await asyncio.to_thread(
        SignIn,
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
    return await _journey(
        client,
        pool_id,
        endpoint_url,
        ("admin_initiate_auth", "admin_respond_to_auth_challenge"),
        journey,
        answer,
        signed=True,
    )


async def refresh(
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
    """``srpkit.aws.refresh`` for an aiobotocore client."""
    call = refresh_call(
        client_id=client_id,
        refresh_token=refresh_token,
        username=username,
        client_secret=client_secret,
        device_key=device_key,
        rotate=rotate,
        client_metadata=client_metadata,
    )
    if client is not None:
        check_client(client, (call.operation.method,), "aiobotocore")
        return read_refresh(call, await _send(client, call), username=username)
    async with cognito_client(refresh_pool(pool_id), endpoint_url=endpoint_url) as made:
        return read_refresh(call, await _send(made, call), username=username)


async def confirm_device(
    client: Any,
    *,
    access_token: str,
    device_key: str,
    device_group_key: str,
    device_name: str | None = None,
) -> ConfirmedDevice:
    """``srpkit.aws.confirm_device`` for an aiobotocore client (the verifier is drawn off the loop)."""
    call, secret = await asyncio.to_thread(
        confirm_device_call,
        access_token=access_token,
        device_key=device_key,
        device_group_key=device_group_key,
        device_name=device_name,
    )
    check_client(client, ("confirm_device",), "aiobotocore")
    return read_confirm_device(await _send(client, call), secret)
