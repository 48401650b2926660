"""Whole journeys of srpkit.aws and srpkit.aio against `srpkit serve`, over real HTTP.

The AWS-measured double (tests/client/test_journeys_double.py) says srpkit answers
as AWS asks; these say the same journeys carry through a server that really
checks every proof and stores every token: challenges answered through
``answer``, refresh with and without a device, a device remembered then
forgotten server-side, the unsigned client srpkit builds itself, and asyncio.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from serve_support import PASSWORD, add_user, make_pool, running

from srpkit import ParameterTypeError, aio, aws
from srpkit.aws import Answer, Challenge

pytestmark = pytest.mark.usefixtures("srp_backend")

NEW_PASSWORD = "N3w-horse-battery!"
EMAIL = "alice@example.com"
FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Any, Any]]:
    """One server for the module: (handle, boto3 client)."""
    with running() as (handle, client, _log):
        yield handle, client


def email_pool(client: Any, *, secret: bool, devices: bool = False) -> tuple[str, str, str | None]:
    """An email-as-username pool (USER_ID_FOR_SRP is a UUID), optionally tracking devices."""
    options: dict[str, Any] = {"UsernameAttributes": ["email"]}
    if devices:
        options["DeviceConfiguration"] = {
            "ChallengeRequiredOnNewDevice": False,
            "DeviceOnlyRememberedOnUserPrompt": False,
        }
    return make_pool(client, secret=secret, **options)


@pytest.mark.parametrize("secret", [False, True])
def test_alias_sign_in_then_refresh(server: tuple[Any, Any], secret: bool) -> None:
    """Sign in by email, then refresh with SECRET_HASH over the returned USER_ID_FOR_SRP."""
    _, client = server
    pool_id, client_id, client_secret = email_pool(client, secret=secret)
    internal = add_user(client, pool_id, EMAIL, email=EMAIL)
    result = aws.authenticate(
        client,
        pool_id=pool_id,
        client_id=client_id,
        username=EMAIL,
        password=PASSWORD,
        client_secret=client_secret,
    )
    assert result.signed_in and result.username == internal != EMAIL
    tokens = result.authentication_result
    assert tokens is not None
    again = aws.refresh(
        client,
        client_id=client_id,
        refresh_token=tokens["RefreshToken"],
        username=result.username,
        client_secret=client_secret,
    )
    assert again.signed_in and again.authentication_result is not None
    assert again.authentication_result["AccessToken"] != tokens["AccessToken"]
    assert (
        client.get_user(AccessToken=again.authentication_result["AccessToken"])["Username"]
        == internal
    )


def test_new_password_required_through_answer(server: tuple[Any, Any]) -> None:
    """An admin-created user sets a password through ``answer``, and signs in with it after."""
    _, client = server
    pool_id, client_id, client_secret = make_pool(client, secret=True)
    add_user(client, pool_id, "bob", permanent=False)
    seen: list[Challenge] = []

    def answer(challenge: Challenge) -> dict[str, str] | None:
        seen.append(challenge)
        if challenge.challenge_name == "NEW_PASSWORD_REQUIRED":
            return {"NEW_PASSWORD": NEW_PASSWORD}
        return None

    common = {"pool_id": pool_id, "client_id": client_id, "client_secret": client_secret}
    result = aws.authenticate(client, username="bob", password=PASSWORD, answer=answer, **common)
    assert result.signed_in
    assert [c.challenge_name for c in seen] == ["NEW_PASSWORD_REQUIRED"]
    assert aws.authenticate(client, username="bob", password=NEW_PASSWORD, **common).signed_in


def test_stopping_returns_the_pending_challenge(server: tuple[Any, Any]) -> None:
    """``answer`` returning None, or no ``answer``, hands the challenge back with its Session."""
    _, client = server
    pool_id, client_id, _ = make_pool(client)
    add_user(client, pool_id, "carol", permanent=False)
    common = {"pool_id": pool_id, "client_id": client_id, "username": "carol", "password": PASSWORD}
    for answer in (None, lambda _challenge: None):
        result = aws.authenticate(client, answer=answer, **common)
        assert not result.signed_in
        assert result.challenge_name == "NEW_PASSWORD_REQUIRED" and result.session


def test_device_remembered_then_forgotten(server: tuple[Any, Any]) -> None:
    """A device signs in with its own proof; once forgotten server-side, srpkit signs in anew."""
    _, client = server
    pool_id, client_id, client_secret = email_pool(client, secret=True, devices=True)
    add_user(client, pool_id, EMAIL, email=EMAIL)
    common = {
        "pool_id": pool_id,
        "client_id": client_id,
        "client_secret": client_secret,
        "username": EMAIL,
        "password": PASSWORD,
    }
    first = aws.authenticate(client, **common)
    meta, tokens = first.new_device_metadata, first.authentication_result
    assert meta is not None and tokens is not None
    device = aws.confirm_device(
        client,
        access_token=tokens["AccessToken"],
        device_key=meta["DeviceKey"],
        device_group_key=meta["DeviceGroupKey"],
    )
    with_device = aws.authenticate(client, device=device, **common)
    assert with_device.signed_in and not with_device.device_forgotten
    assert with_device.new_device_metadata is None
    assert with_device.authentication_result is not None
    refreshed = aws.refresh(
        client,
        client_id=client_id,
        refresh_token=with_device.authentication_result["RefreshToken"],
        username=with_device.username,
        client_secret=client_secret,
        device_key=device.device_key,
    )
    assert refreshed.signed_in
    client.forget_device(
        AccessToken=with_device.authentication_result["AccessToken"], DeviceKey=device.device_key
    )
    after = aws.authenticate(client, device=device, **common)
    assert after.signed_in and after.device_forgotten
    assert after.new_device_metadata is not None
    assert after.new_device_metadata["DeviceKey"] != device.device_key


def test_wrong_password_reaches_the_caller_unchanged(server: tuple[Any, Any]) -> None:
    """AWS errors are not wrapped: the boto3 exception, with Cognito's code."""
    _, client = server
    pool_id, client_id, _ = make_pool(client)
    add_user(client, pool_id, "dave")
    with pytest.raises(ClientError) as err:
        aws.authenticate(
            client, pool_id=pool_id, client_id=client_id, username="dave", password="wrong-Pass1"
        )
    assert err.value.response["Error"]["Code"] == "NotAuthorizedException"


def test_without_a_client_srpkit_builds_an_unsigned_one(
    server: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No client and no AWS credentials anywhere: sign-in and refresh still work."""
    handle, client = server
    pool_id, client_id, _ = make_pool(client)
    add_user(client, pool_id, "erin")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = aws.authenticate(
        pool_id=pool_id,
        client_id=client_id,
        username="erin",
        password=PASSWORD,
        endpoint_url=handle.url,
    )
    assert result.signed_in and result.authentication_result is not None
    again = aws.refresh(
        pool_id=pool_id,
        client_id=client_id,
        refresh_token=result.authentication_result["RefreshToken"],
        endpoint_url=handle.url,
    )
    assert again.signed_in


def test_admin_authenticate(server: tuple[Any, Any]) -> None:
    """AdminInitiateAuth USER_SRP_AUTH + AdminRespondToAuthChallenge, with a client secret."""
    _, client = server
    pool_id, client_id, client_secret = email_pool(client, secret=True)
    internal = add_user(client, pool_id, EMAIL, email=EMAIL)
    result = aws.admin_authenticate(
        client,
        pool_id=pool_id,
        client_id=client_id,
        username=EMAIL,
        password=PASSWORD,
        client_secret=client_secret,
        context_data={
            "IpAddress": "192.0.2.1",
            "ServerName": "app",
            "ServerPath": "/login",
            "HttpHeaders": [{"headerName": "User-Agent", "headerValue": "test"}],
        },
    )
    assert result.signed_in and result.username == internal


def test_aio_journeys(server: tuple[Any, Any]) -> None:
    """srpkit.aio over a real aiobotocore client: sign in, answer a challenge, device, refresh."""
    handle, client = server
    pool_id, client_id, client_secret = email_pool(client, secret=True, devices=True)
    add_user(client, pool_id, EMAIL, email=EMAIL, permanent=False)
    asked: list[str] = []

    async def answer(challenge: Challenge) -> Answer:
        asked.append(challenge.challenge_name)
        await asyncio.sleep(0)
        return Answer({"NEW_PASSWORD": NEW_PASSWORD}, session=challenge.session)

    async def journey() -> None:
        async with aio.cognito_client(pool_id, endpoint_url=handle.url) as made:
            common = {"pool_id": pool_id, "client_id": client_id, "client_secret": client_secret}
            first = await aio.authenticate(
                made, username=EMAIL, password=PASSWORD, answer=answer, **common
            )
            assert first.signed_in and asked == ["NEW_PASSWORD_REQUIRED"]
            meta, tokens = first.new_device_metadata, first.authentication_result
            assert meta is not None and tokens is not None
            device = await aio.confirm_device(
                made,
                access_token=tokens["AccessToken"],
                device_key=meta["DeviceKey"],
                device_group_key=meta["DeviceGroupKey"],
            )
            second = await aio.authenticate(
                made, username=EMAIL, password=NEW_PASSWORD, device=device, **common
            )
            assert second.signed_in and second.new_device_metadata is None
            assert second.authentication_result is not None
            refreshed = await aio.refresh(
                made,
                client_id=client_id,
                refresh_token=second.authentication_result["RefreshToken"],
                username=second.username,
                client_secret=client_secret,
                device_key=device.device_key,
            )
            assert refreshed.signed_in

    asyncio.run(journey())


def test_aio_without_a_client(server: tuple[Any, Any]) -> None:
    """srpkit.aio opens (and closes) its own unsigned aiobotocore client."""
    handle, client = server
    pool_id, client_id, _ = make_pool(client)
    add_user(client, pool_id, "frank")
    result = asyncio.run(
        aio.authenticate(
            pool_id=pool_id,
            client_id=client_id,
            username="frank",
            password=PASSWORD,
            endpoint_url=handle.url,
        )
    )
    assert result.signed_in


def test_a_client_without_the_journeys_methods_is_refused() -> None:
    """An object that is not a cognito-idp client is a typed error naming client, sent nothing."""
    with pytest.raises(ParameterTypeError) as err:
        aws.authenticate(
            object(), pool_id="us-east-1_AbC", client_id="abc", username="u", password="p4ss-Word"
        )
    assert err.value.fields == ("client",)
