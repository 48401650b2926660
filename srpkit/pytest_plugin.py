"""pytest fixtures for testing a Cognito-using application against a local ``srpkit serve``.

Installed with srpkit (entry point ``pytest11``, name ``srpkit``), so any test suite gets:

- ``cognito_endpoint``: a fresh in-process endpoint on a free loopback port for one test,
  stopped after it; ``cognito_endpoint_session``: one endpoint shared by the whole session
  (faster; make a new pool per test to keep tests apart).
- on both, ``create_pool()``, ``create_app_client()``, ``create_user()`` and
  ``pool_with_user()`` (a pool, an app client and a confirmed user in one call).

The helpers speak the endpoint's JSON 1.1 API over HTTP with the standard library, as any
SDK does, so the application under test needs no boto3 and the fixtures need nothing either.
``pytest -p no:srpkit`` turns the plugin off.
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .endpoint.http import ServeHandle

__all__ = [
    "AppClient",
    "CognitoEndpoint",
    "EndpointError",
    "LocalUser",
    "cognito_endpoint",
    "cognito_endpoint_session",
]

_TARGET = "AWSCognitoIdentityProviderService."
DEFAULT_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")


class EndpointError(Exception):
    """The local endpoint refused a helper's call: ``.code`` is Cognito's error type."""

    def __init__(self, operation: str, code: str, message: str) -> None:
        super().__init__(f"{operation}: {code}: {message}")
        self.operation = operation
        self.code = code


@dataclass(frozen=True)
class AppClient:
    """An app client of a local pool; ``client_secret`` is None for a public client."""

    pool_id: str
    client_id: str
    client_secret: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class LocalUser:
    """A pool, its app client and a confirmed user who can sign in with ``password``."""

    pool_id: str
    client_id: str
    client_secret: str | None = field(repr=False)
    username: str
    password: str = field(repr=False)
    region: str


class CognitoEndpoint(str):
    """The base URL of a running local endpoint (pass it as ``endpoint_url=``), with helpers.

    It is a ``str`` so that the fixture's value *is* the URL, as an application under test
    expects; ``.url`` says the same for readers who prefer it spelled out.
    """

    url: str
    region: str

    def __new__(cls, url: str, region: str = "us-east-1") -> CognitoEndpoint:
        self = super().__new__(cls, url)
        self.url = url
        self.region = region
        return self

    def call(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        """Send one API call (``operation`` as in X-Amz-Target) and return its JSON answer."""
        request = urllib.request.Request(  # noqa: S310 - the URL is our own loopback server
            self.url,
            data=json.dumps(body).encode(),
            headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": _TARGET + operation,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
                result: dict[str, Any] = json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as exc:
            error = json.loads(exc.read() or b"{}")
            raise EndpointError(
                operation, str(error.get("__type", exc.code)), str(error.get("message", ""))
            ) from None
        return result

    def create_pool(self, name: str | None = None, **options: Any) -> str:
        """CreateUserPool (``options`` as in the API, e.g. ``UsernameAttributes``); its pool id."""
        body = {"PoolName": name or f"pool-{secrets.token_hex(4)}", **options}
        return str(self.call("CreateUserPool", body)["UserPool"]["Id"])

    def create_app_client(
        self,
        pool_id: str,
        *,
        secret: bool = False,
        flows: Iterable[str] = DEFAULT_FLOWS,
        **options: Any,
    ) -> AppClient:
        """CreateUserPoolClient, with a generated client secret when ``secret`` is true."""
        body = {
            "UserPoolId": pool_id,
            "ClientName": "app",
            "GenerateSecret": secret,
            "ExplicitAuthFlows": list(flows),
            **options,
        }
        app = self.call("CreateUserPoolClient", body)["UserPoolClient"]
        return AppClient(pool_id, str(app["ClientId"]), app.get("ClientSecret"))

    def create_user(self, pool_id: str, username: str, password: str, **attributes: str) -> str:
        """AdminCreateUser + a permanent AdminSetUserPassword: a confirmed user; their username.

        In a pool whose users sign in by email, the returned name is the internal one Cognito
        makes (a UUID), and ``username`` is the alias.
        """
        created = self.call(
            "AdminCreateUser",
            {
                "UserPoolId": pool_id,
                "Username": username,
                "UserAttributes": [{"Name": k, "Value": v} for k, v in attributes.items()],
                "MessageAction": "SUPPRESS",
            },
        )
        self.call(
            "AdminSetUserPassword",
            {"UserPoolId": pool_id, "Username": username, "Password": password, "Permanent": True},
        )
        return str(created["User"]["Username"])

    def pool_with_user(
        self,
        username: str = "alice",
        password: str | None = None,
        *,
        secret: bool = False,
        flows: Iterable[str] = DEFAULT_FLOWS,
        **attributes: str,
    ) -> LocalUser:
        """A new pool, an app client (with a secret if asked) and a confirmed user, in one call.

        Without ``password``, a fresh random one that meets the default password policy.
        """
        password = password or f"Pw-{secrets.token_urlsafe(12)}1a"
        pool_id = self.create_pool()
        app = self.create_app_client(pool_id, secret=secret, flows=flows)
        self.create_user(pool_id, username, password, **attributes)
        return LocalUser(pool_id, app.client_id, app.client_secret, username, password, self.region)


def _start(region: str = "us-east-1") -> ServeHandle:
    # Imported here, not at the top, so that a suite loading this plugin but never using its
    # fixtures does not import the endpoint (nor fix srpkit's arithmetic backend) at start-up.
    from .endpoint.http import serve_in_thread  # noqa: PLC0415

    return serve_in_thread("127.0.0.1", 0, region=region)


@pytest.fixture
def cognito_endpoint() -> Iterator[CognitoEndpoint]:
    """A fresh local Cognito endpoint on a free loopback port, stopped after the test."""
    with _start() as handle:
        yield CognitoEndpoint(handle.url, "us-east-1")


@pytest.fixture(scope="session")
def cognito_endpoint_session() -> Iterator[CognitoEndpoint]:
    """One local Cognito endpoint for the whole test session (make a pool per test)."""
    with _start() as handle:
        yield CognitoEndpoint(handle.url, "us-east-1")
