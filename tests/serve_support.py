"""Helpers shared by the tests of srpkit.aws and `srpkit serve`: boto3 clients, pools, a call recorder.

Also ``salt_drawn_as``, which the tests of srpkit.server share.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any
from unittest import mock

import boto3
from botocore.config import Config

from srpkit.endpoint.http import ServeHandle, serve_in_thread
from srpkit.server import _user as srpkit_server_user

PASSWORD = "Corr3ct-horse!"
# No retries: a lost or failed request must show, not be repeated behind the test's back.
BOTO_CONFIG = Config(
    connect_timeout=10, read_timeout=60, retries={"total_max_attempts": 1}, max_pool_connections=16
)


def boto_client(url: str, region: str = "us-east-1") -> Any:
    """A real boto3 cognito-idp client pointed at ``url`` (fake credentials, as boto3 demands)."""
    return boto3.client(
        "cognito-idp",
        region_name=region,
        endpoint_url=url,
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=BOTO_CONFIG,
    )


@contextmanager
def running(**kwargs: Any) -> Iterator[tuple[ServeHandle, Any, list[str]]]:
    """An in-process server, a boto3 client for it, and the server's request log lines."""
    log: list[str] = []
    with serve_in_thread(log=log.append, **kwargs) as handle:
        yield handle, boto_client(handle.url), log


def make_pool(
    client: Any,
    *,
    secret: bool = False,
    flows: Iterable[str] = ("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
    client_options: dict[str, Any] | None = None,
    **pool_options: Any,
) -> tuple[str, str, str | None]:
    """Create a pool and an app client over the API; (pool id, client id, client secret)."""
    pool_id = client.create_user_pool(PoolName=f"p{secrets.token_hex(3)}", **pool_options)[
        "UserPool"
    ]["Id"]
    app = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        GenerateSecret=secret,
        ExplicitAuthFlows=list(flows),
        **(client_options or {}),
    )["UserPoolClient"]
    return pool_id, app["ClientId"], app.get("ClientSecret")


def add_user(
    client: Any,
    pool_id: str,
    username: str,
    password: str = PASSWORD,
    *,
    permanent: bool = True,
    **attributes: str,
) -> str:
    """AdminCreateUser + AdminSetUserPassword; the user's Cognito username (a UUID in email pools)."""
    created = client.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
        MessageAction="SUPPRESS",
    )
    client.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=password, Permanent=permanent
    )
    return str(created["User"]["Username"])


@contextmanager
def salt_drawn_as(raw: bytes) -> Iterator[None]:
    """Within the block, make_verifier draws ``raw`` as its 16 random salt bytes.

    There is no public way to give a pool user a chosen salt, and a salt's hex
    shape decides whether a client that hashes SALT as a string (pycognito)
    signs in. Only srpkit.server._user's own name ``secrets`` is replaced, so session
    tokens and passwords drawn meanwhile elsewhere stay random.
    """

    def token_bytes(n: int) -> bytes:
        assert n == len(raw), f"srpkit.server drew {n} random bytes, not a {len(raw)}-byte salt"
        return raw

    # token_hex too: make_verifier printed token_hex(16) as SALT before it printed minimal hex,
    # and a test run against that code should fail on the salt, not on this stand-in.
    drawn = SimpleNamespace(token_bytes=token_bytes, token_hex=lambda n: token_bytes(n).hex())
    with mock.patch.object(srpkit_server_user, "secrets", drawn):
        yield


class Recorder:
    """Wraps a boto3 client and records each sign-in call as Operation[:ChallengeName]."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.calls: list[str] = []

    def initiate_auth(self, **body: Any) -> Any:
        self.calls.append(f"InitiateAuth:{body['AuthFlow']}")
        return self.client.initiate_auth(**body)

    def respond_to_auth_challenge(self, **body: Any) -> Any:
        self.calls.append(f"RespondToAuthChallenge:{body['ChallengeName']}")
        return self.client.respond_to_auth_challenge(**body)

    def confirm_device(self, **body: Any) -> Any:
        self.calls.append("ConfirmDevice")
        return self.client.confirm_device(**body)
