"""CognitoDouble behind an aiobotocore client: the same answers, as aiobotocore reads a response.

aiobotocore's endpoint awaits the ``before-send`` handlers and, for a JSON
operation, reads the body with ``await http_response.content``: AioAWSResponse's
``content`` awaits ``raw.read()``. So the double hands back an AioAWSResponse whose
``raw`` has an async ``read`` (aiobotocore 3.10.0, aiobotocore/endpoint.py
``convert_to_response_dict`` and aiobotocore/awsrequest.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from aiobotocore.awsrequest import AioAWSResponse
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.awsrequest import AWSPreparedRequest

if TYPE_CHECKING:
    from aws_double import CognitoDouble


class _AioRawBody:
    """The ``raw`` of an AioAWSResponse: aiobotocore awaits ``read()``."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    async def read(self, *_: Any) -> bytes:
        return self._data


def attach_aio(double: CognitoDouble, client: Any) -> None:
    """Answer every request an aiobotocore cognito-idp ``client`` sends from now on."""

    def on_send(request: AWSPreparedRequest, **_: Any) -> AioAWSResponse:
        status, headers, data = double.reply(request)
        return AioAWSResponse(request.url, status, headers, _AioRawBody(data))

    client.meta.events.register("before-send.cognito-idp", on_send)


@asynccontextmanager
async def aio_client(double: CognitoDouble) -> AsyncIterator[Any]:
    """An aiobotocore cognito-idp client in the pool's region, fake credentials, no retries."""
    session = get_session()
    async with session.create_client(
        "cognito-idp",
        region_name=double.region,
        aws_access_key_id="x",
        aws_secret_access_key="x",
        aws_session_token="x",
        config=AioConfig(retries={"total_max_attempts": 1}),
    ) as client:
        attach_aio(double, client)
        yield client
