"""pycognito 2024.5.1, as it ships, through a whole session against `srpkit serve`.

Every call goes through pycognito's own ``Cognito`` object, pointed at the
server by ``boto3_client_kwargs``: it then takes ``<endpoint>/<pool id>`` as
the issuer and fetches the JWKS from the server, so its own token checks run
on every sign-in and refresh. pycognito has no device API (no ConfirmDevice,
no DEVICE_KEY at refresh), so its pool does not track devices: a pool that
does would refuse its refreshes, as Cognito does ("Invalid Refresh Token."
for a device-bound token refreshed without DEVICE_KEY: aws/aws-sdk-cpp#851).
"""

from __future__ import annotations

import datetime
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pycognito
import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.exceptions import SoftwareTokenMFAChallengeException
from serve_support import BOTO_CONFIG, PASSWORD, add_user, running

from srpkit._core.totp import STEP_SECONDS, totp

# serve runs the SRP arithmetic of every sign-in: under both backends.
pytestmark = pytest.mark.usefixtures("srp_backend")

FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"]
REVOKED = ("NotAuthorizedException", "Refresh Token has been revoked")


@dataclass(frozen=True)
class Pool:
    """The module's server and pool, with an app client without a secret and one with."""

    url: str
    client: Any
    pool_id: str
    apps: dict[str, tuple[str, str | None]]  # "plain" / "secret" -> (client id, secret)

    def cognito(self, app: str, username: str, **kwargs: Any) -> Cognito:
        """pycognito's Cognito for ``username`` through app client ``app``, pointed at the server."""
        client_id, secret = self.apps[app]
        return Cognito(
            self.pool_id,
            client_id,
            username=username,
            client_secret=secret,
            boto3_client_kwargs={
                "endpoint_url": self.url,
                "region_name": "us-east-1",
                "aws_access_key_id": "x",
                "aws_secret_access_key": "x",
                "config": BOTO_CONFIG,
            },
            **kwargs,
        )

    def new_user(self) -> str:
        """A fresh confirmed user with the test password."""
        return add_user(self.client, self.pool_id, f"p{secrets.token_hex(4)}")


@pytest.fixture(scope="module")
def pool() -> Iterator[Pool]:
    """One in-process `srpkit serve` with a pool (TOTP MFA optional) and its two app clients."""
    with running() as (handle, client, _):
        pool_id = client.create_user_pool(PoolName="pycognito")["UserPool"]["Id"]
        client.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            SoftwareTokenMfaConfiguration={"Enabled": True},
            MfaConfiguration="OPTIONAL",
        )
        apps: dict[str, tuple[str, str | None]] = {}
        for name, secret in (("plain", False), ("secret", True)):
            made = client.create_user_pool_client(
                UserPoolId=pool_id, ClientName=name, GenerateSecret=secret, ExplicitAuthFlows=FLOWS
            )["UserPoolClient"]
            apps[name] = (made["ClientId"], made.get("ClientSecret"))
        yield Pool(handle.url, client, pool_id, apps)


def signed_in(pool: Pool, app: str) -> tuple[Cognito, str]:
    """A fresh user signed in with Cognito.authenticate (USER_SRP_AUTH); the Cognito and the username."""
    username = pool.new_user()
    cognito = pool.cognito(app, username)
    cognito.authenticate(password=PASSWORD)
    return cognito, username


def refusal(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    """The error code and message of a refused call."""
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


APPS = pytest.mark.parametrize("app", ["plain", "secret"], ids=["no secret", "client secret"])


@APPS
def test_authenticate(pool: Pool, app: str) -> None:
    """Cognito.authenticate signs in over SRP and its own checks accept the id and access tokens."""
    cognito, username = signed_in(pool, app)
    assert cognito.user_pool_url == f"{pool.url}/{pool.pool_id}"
    assert cognito.access_claims["username"] == username
    assert cognito.id_claims["cognito:username"] == username
    assert cognito.id_claims["aud"] == pool.apps[app][0]


@APPS
def test_get_user(pool: Pool, app: str) -> None:
    """Cognito.get_user (GetUser) answers for the signed-in user, with the sub of its id token."""
    cognito, username = signed_in(pool, app)
    user = cognito.get_user()
    assert user.username == username
    assert user.sub == cognito.id_claims["sub"]


@APPS
def test_renew_access_token(pool: Pool, app: str) -> None:
    """Cognito.renew_access_token (REFRESH_TOKEN_AUTH, SECRET_HASH if any) gets new tokens pycognito verifies."""
    cognito, username = signed_in(pool, app)
    before = cognito.access_claims["jti"]
    cognito.renew_access_token()
    assert cognito.access_claims["jti"] != before
    assert cognito.access_claims["username"] == username


def test_check_token_renews_an_expired_token(pool: Pool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cognito.check_token(renew=True) renews once pycognito's clock is past the access token's exp."""
    cognito, _ = signed_in(pool, "secret")
    before = cognito.access_token
    assert cognito.check_token(renew=True) is False
    assert cognito.access_token == before
    expiry = cognito.access_claims["exp"]

    class Later(datetime.datetime):
        @classmethod
        def now(cls, tz: datetime.tzinfo | None = None) -> Later:
            return cls.fromtimestamp(expiry + 1, tz)

    # Only pycognito's own clock moves: the server's and PyJWT's stay where they are.
    monkeypatch.setattr(pycognito, "datetime", SimpleNamespace(datetime=Later))
    assert cognito.check_token(renew=True) is True
    assert cognito.access_token != before


def test_get_users(pool: Pool) -> None:
    """Cognito.get_users (ListUsers) lists the pool's users, the signed-in one among them."""
    cognito, username = signed_in(pool, "plain")
    assert username in {user.username for user in cognito.get_users()}


@APPS
def test_admin_authenticate(pool: Pool, app: str) -> None:
    """Cognito.admin_authenticate (AdminInitiateAuth ADMIN_NO_SRP_AUTH) signs in to verified tokens."""
    username = pool.new_user()
    cognito = pool.cognito(app, username)
    cognito.admin_authenticate(password=PASSWORD)
    assert cognito.access_claims["username"] == username


def test_admin_authenticate_wrong_password(pool: Pool) -> None:
    """A wrong password at admin_authenticate is NotAuthorizedException "Incorrect username or password."."""
    cognito = pool.cognito("plain", pool.new_user())
    with pytest.raises(ClientError) as caught:
        cognito.admin_authenticate(password=PASSWORD + "!")
    assert refusal(caught) == ("NotAuthorizedException", "Incorrect username or password.")


@APPS
def test_totp_mfa(pool: Pool, app: str) -> None:
    """associate / verify_software_token and the preference; the next sign-in is answered with a TOTP code."""
    cognito, username = signed_in(pool, app)
    secret = cognito.associate_software_token()
    assert cognito.verify_software_token(totp(secret, time.time())) is True
    cognito.set_user_mfa_preference(False, True, "SOFTWARE_TOKEN")
    again = pool.cognito(app, username)
    with pytest.raises(SoftwareTokenMFAChallengeException):
        again.authenticate(password=PASSWORD)
    # The setup's code is spent: a code is good once, so the next step's is the fresh one.
    again.respond_to_software_token_mfa_challenge(totp(secret, time.time() + STEP_SECONDS))
    assert again.access_claims["username"] == username


@APPS
def test_logout_revokes(pool: Pool, app: str) -> None:
    """Cognito.logout (GlobalSignOut) revokes the refresh token and the access token."""
    cognito, username = signed_in(pool, app)
    refresh_token, access_token = cognito.refresh_token, cognito.access_token
    cognito.logout()
    assert cognito.access_token is None
    stale = pool.cognito(app, username, refresh_token=refresh_token)
    with pytest.raises(ClientError) as caught:
        stale.renew_access_token()
    assert refusal(caught) == REVOKED
    with pytest.raises(ClientError) as caught:
        pool.client.get_user(AccessToken=access_token)
    assert refusal(caught)[0] == "NotAuthorizedException"
