"""Renewing sessions on `srpkit serve`: REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken, with real clients.

pycognito 2024.5.1's renew_access_token and boto3 against a live server; the
rotation grace period with a controlled clock against the service itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito

from srpkit import UserSRP, secret_hash
from srpkit._client.requests import password_verifier_request, user_srp_auth_request
from srpkit.aws import authenticate
from srpkit.endpoint.service import CognitoService, ServiceError
from tests.serve_support import PASSWORD, add_user, make_pool, running

pytestmark = pytest.mark.usefixtures("srp_backend")

_DEVICES = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}


def _claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def _refused(call: Any, code: str, message: str | None = None) -> None:
    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response["Error"]
    assert error["Code"] == code, error
    if message is not None:
        assert error["Message"] == message, error


def _altered(secret: str) -> str:
    """The secret with its last character changed (so never equal to it)."""
    return secret[:-1] + ("y" if secret[-1] != "y" else "z")


def _refresh(client: Any, client_id: str, token: str, **params: str) -> Any:
    return client.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": token, **params},
    )


def test_pycognito_renew_access_token() -> None:
    """pycognito's renew_access_token gets new tokens of the same session (origin_jti, auth_time kept)."""
    with running() as (handle, client, _):
        pool_id, client_id, _ = make_pool(client)
        add_user(client, pool_id, "ann")
        kwargs = {
            "endpoint_url": handle.url,
            "region_name": "us-east-1",
            "aws_access_key_id": "x",
            "aws_secret_access_key": "x",
        }
        user = Cognito(pool_id, client_id, username="ann", boto3_client_kwargs=kwargs)
        user.authenticate(password=PASSWORD)
        first, refresh_token = user.access_token, user.refresh_token
        user.renew_access_token()
        assert user.access_token != first and user.refresh_token == refresh_token
        old, new = _claims(first), _claims(user.access_token)
        assert new["origin_jti"] == old["origin_jti"] and new["jti"] != old["jti"]
        assert new["auth_time"] == old["auth_time"] and new["username"] == "ann"
        assert client.get_user(AccessToken=user.access_token)["Username"] == "ann"
        answer = _refresh(client, client_id, refresh_token)
        assert "RefreshToken" not in answer["AuthenticationResult"]


def test_tokens_carry_the_documented_claims() -> None:
    """Access and id tokens carry exactly the claims Cognito's developer guide shows, device_key included."""
    with running() as (_, client, _log):
        pool_id, client_id, _ = make_pool(client, DeviceConfiguration=_DEVICES)
        add_user(client, pool_id, "ida", email="ida@example.com", email_verified="true")
        signed = authenticate(
            client, pool_id=pool_id, client_id=client_id, username="ida", password=PASSWORD
        )
        assert signed.authentication_result is not None and signed.new_device_metadata
        access = _claims(signed.authentication_result["AccessToken"])
        id_token = _claims(signed.authentication_result["IdToken"])
    assert set(access) == {
        "sub", "iss", "version", "client_id", "origin_jti", "event_id", "token_use", "scope",
        "auth_time", "exp", "iat", "jti", "username", "device_key",
    }  # fmt: skip
    assert set(id_token) == {
        "sub", "aud", "iss", "cognito:username", "origin_jti", "event_id", "token_use",
        "auth_time", "exp", "iat", "jti", "email", "email_verified",
    }  # fmt: skip
    assert access["device_key"] == signed.new_device_metadata["DeviceKey"]
    assert access["token_use"] == "access" and id_token["token_use"] == "id"
    assert access["origin_jti"] == id_token["origin_jti"] and access["jti"] != id_token["jti"]
    assert access["iss"] == id_token["iss"] and access["iss"].endswith("/" + pool_id)
    assert id_token["aud"] == access["client_id"] == client_id
    assert id_token["email_verified"] is True and access["version"] == 2


def test_refresh_secret_hash_is_over_the_internal_username() -> None:
    """In an email pool, SECRET_HASH must be over the user's UUID username; over the email it is refused."""
    with running() as (_, client, _log):
        pool_id, client_id, secret = make_pool(client, secret=True, UsernameAttributes=["email"])
        assert secret is not None
        internal = add_user(client, pool_id, "eve@example.com", email="eve@example.com")
        signed = authenticate(
            client,
            pool_id=pool_id,
            client_id=client_id,
            client_secret=secret,
            username="eve@example.com",
            password=PASSWORD,
        )
        assert signed.authentication_result is not None
        token = signed.authentication_result["RefreshToken"]
        _refused(
            lambda: _refresh(client, client_id, token),
            "NotAuthorizedException",
            f"Client {client_id} is configured with secret but SECRET_HASH was not received",
        )
        by_email = secret_hash("eve@example.com", client_id, secret)
        _refused(
            lambda: _refresh(client, client_id, token, SECRET_HASH=by_email),
            "NotAuthorizedException",
            f"Unable to verify secret hash for client {client_id}",
        )
        answer = _refresh(
            client, client_id, token, SECRET_HASH=secret_hash(internal, client_id, secret)
        )
        assert _claims(answer["AuthenticationResult"]["IdToken"])["cognito:username"] == internal


def test_refresh_refusals() -> None:
    """An unknown token, another client's, or a flow the client does not allow are refused as AWS words it."""
    with running() as (_, client, _log):
        pool_id, client_id, _ = make_pool(client)
        other = client.create_user_pool_client(
            UserPoolId=pool_id, ClientName="other", ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"]
        )["UserPoolClient"]["ClientId"]
        add_user(client, pool_id, "bob")
        signed = authenticate(
            client, pool_id=pool_id, client_id=client_id, username="bob", password=PASSWORD
        )
        assert signed.authentication_result is not None
        token = signed.authentication_result["RefreshToken"]
        invalid = "Invalid Refresh Token."
        _refused(lambda: _refresh(client, client_id, "x" * 40), "NotAuthorizedException", invalid)
        _refused(
            lambda: client.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken="y" * 40),
            "NotAuthorizedException",
            invalid,
        )
        _refused(
            lambda: _refresh(client, other, token),
            "InvalidParameterException",
            "REFRESH_TOKEN_AUTH flow not enabled for this client",
        )
        _refused(
            lambda: client.initiate_auth(
                ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={}
            ),
            "InvalidParameterException",
            "Missing required parameter REFRESH_TOKEN",
        )
        # A token issued to one client renews nothing at another.
        _refused(
            lambda: client.get_tokens_from_refresh_token(ClientId=other, RefreshToken=token),
            "NotAuthorizedException",
            invalid,
        )


def test_device_sign_in_tokens_need_their_device_key() -> None:
    """A refresh token from a sign-in that got a device needs DEVICE_KEY; the new access token names it."""
    with running() as (_, client, _log):
        pool_id, client_id, _ = make_pool(client, DeviceConfiguration=_DEVICES)
        add_user(client, pool_id, "dan")
        signed = authenticate(
            client, pool_id=pool_id, client_id=client_id, username="dan", password=PASSWORD
        )
        assert signed.authentication_result is not None and signed.new_device_metadata
        token = signed.authentication_result["RefreshToken"]
        device_key = signed.new_device_metadata["DeviceKey"]
        invalid = "Invalid Refresh Token."
        _refused(lambda: _refresh(client, client_id, token), "NotAuthorizedException", invalid)
        _refused(
            lambda: _refresh(client, client_id, token, DEVICE_KEY="us-east-1_other"),
            "NotAuthorizedException",
            invalid,
        )
        answer = _refresh(client, client_id, token, DEVICE_KEY=device_key)
        assert _claims(answer["AuthenticationResult"]["AccessToken"])["device_key"] == device_key
        got = client.get_tokens_from_refresh_token(
            ClientId=client_id, RefreshToken=token, DeviceKey=device_key
        )
        assert "RefreshToken" not in got["AuthenticationResult"]


def test_get_tokens_from_refresh_token_checks_the_client_secret() -> None:
    """GetTokensFromRefreshToken needs the ClientSecret of a client that has one, and only that."""
    with running() as (_, client, _log):
        pool_id, client_id, secret = make_pool(client, secret=True)
        assert secret is not None
        add_user(client, pool_id, "cat")
        signed = authenticate(
            client,
            pool_id=pool_id,
            client_id=client_id,
            client_secret=secret,
            username="cat",
            password=PASSWORD,
        )
        assert signed.authentication_result is not None
        token = signed.authentication_result["RefreshToken"]
        _refused(
            lambda: client.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=token),
            "NotAuthorizedException",
            f"Client {client_id} is configured for secret but secret was not received.",
        )
        _refused(
            lambda: client.get_tokens_from_refresh_token(
                ClientId=client_id, RefreshToken=token, ClientSecret=_altered(secret)
            ),
            "NotAuthorizedException",
            f"Unable to verify secret hash for client {client_id}",
        )
        got = client.get_tokens_from_refresh_token(
            ClientId=client_id, RefreshToken=token, ClientSecret=secret
        )
        assert client.get_user(AccessToken=got["AuthenticationResult"]["AccessToken"])


def test_rotation_hands_out_a_new_refresh_token_and_retires_the_old() -> None:
    """With rotation ENABLED (no grace), each renewal returns a new refresh token; the old one is refused."""
    with running() as (_handle, client, _log):
        pool_id, client_id, _ = make_pool(
            client,
            flows=["ALLOW_USER_SRP_AUTH"],
            client_options={"RefreshTokenRotation": {"Feature": "ENABLED"}},
        )
        add_user(client, pool_id, "rob")
        signed = authenticate(
            client, pool_id=pool_id, client_id=client_id, username="rob", password=PASSWORD
        )
        assert signed.authentication_result is not None
        first = signed.authentication_result["RefreshToken"]
        got = client.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=first)
        second = got["AuthenticationResult"]["RefreshToken"]
        assert second != first
        _refused(
            lambda: client.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=first),
            "NotAuthorizedException",
            "Invalid Refresh Token.",
        )
        third = client.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=second)
        assert third["AuthenticationResult"]["RefreshToken"] not in (first, second)
        _refused(lambda: _refresh(client, client_id, second), "InvalidParameterException")


def _service_sign_in(service: CognitoService, user: UserSRP) -> str:
    """An SRP sign-in straight through the service; its refresh token."""
    challenge = service.handle("InitiateAuth", user_srp_auth_request(user))
    tokens = service.handle("RespondToAuthChallenge", password_verifier_request(user, challenge))
    return str(tokens["AuthenticationResult"]["RefreshToken"])


def test_rotation_grace_period_and_expiry_follow_the_clock() -> None:
    """The rotated-out token works for RetryGracePeriodSeconds, then not; an expired one never."""
    now = [1_700_000_000.0]
    service = CognitoService(clock=lambda: now[0])
    pool = service.create_pool("p", pool_id="us-east-1_Rot1")
    app = service.create_client(pool.id, "c", explicit_auth_flows=("ALLOW_USER_SRP_AUTH",))
    app.refresh_token_rotation = {"Feature": "ENABLED", "RetryGracePeriodSeconds": 30}
    service.add_user(pool.id, "gus", PASSWORD)
    user = UserSRP(pool.id, app.id, "gus", PASSWORD)
    renew = {"ClientId": app.id, "RefreshToken": _service_sign_in(service, user)}
    service.handle("GetTokensFromRefreshToken", renew)
    now[0] += 29
    again = service.handle("GetTokensFromRefreshToken", renew)
    assert "RefreshToken" in again["AuthenticationResult"]
    now[0] += 2
    with pytest.raises(ServiceError) as caught:
        service.handle("GetTokensFromRefreshToken", renew)
    assert caught.value.message == "Invalid Refresh Token."
    app.refresh_token_rotation = None
    fresh = {"ClientId": app.id, "RefreshToken": _service_sign_in(service, user)}
    assert (
        "RefreshToken"
        not in service.handle("GetTokensFromRefreshToken", fresh)["AuthenticationResult"]
    )
    now[0] += 30 * 86400  # RefreshTokenValidity's default
    with pytest.raises(ServiceError) as caught:
        service.handle("GetTokensFromRefreshToken", fresh)
    assert caught.value.message == "Refresh Token has expired"


def test_refresh_tokens_survive_a_restart_as_digests_only(tmp_path: Path) -> None:
    """With --state, a refresh token works after a restart, and the state file never holds the token."""
    state = tmp_path / "state.db"
    with running(state=state) as (_, client, _log):
        pool_id, client_id, _ = make_pool(client)
        add_user(client, pool_id, "sue")
        signed = authenticate(
            client, pool_id=pool_id, client_id=client_id, username="sue", password=PASSWORD
        )
        assert signed.authentication_result is not None
        token = signed.authentication_result["RefreshToken"]
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("state.db*"))
    assert token.encode() not in raw
    with running(state=state) as (_, client, _log):
        answer = _refresh(client, client_id, token)
        assert client.get_user(AccessToken=answer["AuthenticationResult"]["AccessToken"])


def test_a_users_grants_are_bounded() -> None:
    """Past 64 live refresh tokens per user the oldest is dropped (its tokens refused), the newest kept."""
    service = CognitoService()
    pool = service.create_pool("p", pool_id="us-east-1_Cap1")
    app = service.create_client(
        pool.id, "c", explicit_auth_flows=("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
    )
    service.add_user(pool.id, "hal", PASSWORD)
    body = {
        "ClientId": app.id,
        "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "hal", "PASSWORD": PASSWORD},
    }
    results = [service.handle("InitiateAuth", body)["AuthenticationResult"] for _ in range(65)]

    def refresh(result: dict[str, Any]) -> Any:
        return service.handle(
            "InitiateAuth",
            {
                "ClientId": app.id,
                "AuthFlow": "REFRESH_TOKEN",
                "AuthParameters": {"REFRESH_TOKEN": result["RefreshToken"]},
            },
        )

    with pytest.raises(ServiceError) as caught:
        refresh(results[0])
    assert caught.value.message == "Invalid Refresh Token."
    with pytest.raises(ServiceError) as caught:
        service.handle("GetUser", {"AccessToken": results[0]["AccessToken"]})
    assert caught.value.message == "Access Token has been revoked"
    assert refresh(results[1]) and refresh(results[-1])
