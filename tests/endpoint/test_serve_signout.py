"""Ending sessions on `srpkit serve`: GlobalSignOut (pycognito's logout), AdminUserGlobalSignOut, RevokeToken."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito

from srpkit.aws import authenticate
from srpkit.endpoint.issuing import access_token_valid
from srpkit.endpoint.service import CognitoService, ServiceError
from tests.serve_support import PASSWORD, add_user, make_pool, running

pytestmark = pytest.mark.usefixtures("srp_backend")

_REVOKED_ACCESS = "Access Token has been revoked"
_REVOKED_REFRESH = "Refresh Token has been revoked"


def _refused(call: Any, code: str, message: str) -> None:
    with pytest.raises(ClientError) as caught:
        call()
    assert caught.value.response["Error"] == {"Code": code, "Message": message}


def _sign_in(client: Any, pool_id: str, client_id: str, name: str, **kw: Any) -> dict[str, Any]:
    signed = authenticate(
        client, pool_id=pool_id, client_id=client_id, username=name, password=PASSWORD, **kw
    )
    assert signed.authentication_result is not None
    return signed.authentication_result


def _refresh(client: Any, client_id: str, token: str) -> Any:
    return client.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": token}
    )


def test_pycognito_logout_revokes_every_session() -> None:
    """pycognito's logout (GlobalSignOut) refuses that user's access and refresh tokens of every session."""
    with running() as (handle, client, _):
        pool_id, client_id, _ = make_pool(client)
        add_user(client, pool_id, "ann")
        add_user(client, pool_id, "ben")
        kwargs = {
            "endpoint_url": handle.url,
            "region_name": "us-east-1",
            "aws_access_key_id": "x",
            "aws_secret_access_key": "x",
        }
        user = Cognito(pool_id, client_id, username="ann", boto3_client_kwargs=kwargs)
        user.authenticate(password=PASSWORD)
        other_session = _sign_in(client, pool_id, client_id, "ann")
        bystander = _sign_in(client, pool_id, client_id, "ben")
        access, refresh = user.access_token, user.refresh_token
        user.logout()
        for token in (access, other_session["AccessToken"]):
            _refused(
                lambda t=token: client.get_user(AccessToken=t),
                "NotAuthorizedException",
                _REVOKED_ACCESS,
            )
            assert not access_token_valid(handle.service._context, token)
        for token in (refresh, other_session["RefreshToken"]):
            _refused(
                lambda t=token: _refresh(client, client_id, t),
                "NotAuthorizedException",
                _REVOKED_REFRESH,
            )
        _refused(
            lambda: client.global_sign_out(AccessToken=access),
            "NotAuthorizedException",
            _REVOKED_ACCESS,
        )
        assert client.get_user(AccessToken=bystander["AccessToken"])["Username"] == "ben"
        again = _sign_in(client, pool_id, client_id, "ann")
        assert client.get_user(AccessToken=again["AccessToken"])["Username"] == "ann"
        assert access_token_valid(handle.service._context, again["AccessToken"])


def test_admin_user_global_sign_out() -> None:
    """AdminUserGlobalSignOut revokes the named user's tokens; an unknown user is UserNotFoundException."""
    with running() as (_, client, _log):
        pool_id, client_id, _ = make_pool(client)
        add_user(client, pool_id, "cal")
        tokens = _sign_in(client, pool_id, client_id, "cal")
        assert client.admin_user_global_sign_out(UserPoolId=pool_id, Username="cal")
        _refused(
            lambda: client.get_user(AccessToken=tokens["AccessToken"]),
            "NotAuthorizedException",
            _REVOKED_ACCESS,
        )
        _refused(
            lambda: client.get_tokens_from_refresh_token(
                ClientId=client_id, RefreshToken=tokens["RefreshToken"]
            ),
            "NotAuthorizedException",
            _REVOKED_REFRESH,
        )
        _refused(
            lambda: client.admin_user_global_sign_out(UserPoolId=pool_id, Username="nobody"),
            "UserNotFoundException",
            "User does not exist.",
        )


def test_revoke_token_revokes_one_session_and_its_descendants() -> None:
    """RevokeToken refuses the refresh token, its access tokens and those refreshed from it; not others."""
    with running() as (_, client, _log):
        pool_id, client_id, _ = make_pool(client)
        add_user(client, pool_id, "dee")
        first = _sign_in(client, pool_id, client_id, "dee")
        second = _sign_in(client, pool_id, client_id, "dee")
        refreshed = _refresh(client, client_id, first["RefreshToken"])["AuthenticationResult"]
        client.revoke_token(ClientId=client_id, Token=first["RefreshToken"])
        for token in (first["AccessToken"], refreshed["AccessToken"]):
            _refused(
                lambda t=token: client.get_user(AccessToken=t),
                "NotAuthorizedException",
                _REVOKED_ACCESS,
            )
        _refused(
            lambda: _refresh(client, client_id, first["RefreshToken"]),
            "NotAuthorizedException",
            _REVOKED_REFRESH,
        )
        assert client.get_user(AccessToken=second["AccessToken"])["Username"] == "dee"
        assert _refresh(client, client_id, second["RefreshToken"])["AuthenticationResult"]
        # Revoking again, or a token this server never issued, is still answered 200.
        client.revoke_token(ClientId=client_id, Token=first["RefreshToken"])
        client.revoke_token(ClientId=client_id, Token="not-a-token")


def test_revoke_token_needs_the_client_secret() -> None:
    """With a secret client, RevokeToken without the ClientSecret (or with a wrong one) revokes nothing."""
    with running() as (_, client, _log):
        pool_id, client_id, secret = make_pool(client, secret=True)
        assert secret is not None
        add_user(client, pool_id, "eli")
        tokens = _sign_in(client, pool_id, client_id, "eli", client_secret=secret)
        token = tokens["RefreshToken"]
        _refused(
            lambda: client.revoke_token(ClientId=client_id, Token=token),
            "NotAuthorizedException",
            f"Client {client_id} is configured for secret but secret was not received.",
        )
        _refused(
            lambda: client.revoke_token(ClientId=client_id, Token=token, ClientSecret="w" * 40),
            "NotAuthorizedException",
            f"Unable to verify secret hash for client {client_id}",
        )
        assert client.get_user(AccessToken=tokens["AccessToken"])["Username"] == "eli"
        client.revoke_token(ClientId=client_id, Token=token, ClientSecret=secret)
        _refused(
            lambda: client.get_user(AccessToken=tokens["AccessToken"]),
            "NotAuthorizedException",
            _REVOKED_ACCESS,
        )


def test_sign_out_refuses_tokens_without_origin_jti() -> None:
    """With revocable=False (no origin_jti in tokens), GlobalSignOut still refuses the tokens it preceded."""
    service = CognitoService(revocable=False)
    pool = service.create_pool("p", pool_id="us-east-1_NoJti1")
    app = service.create_client(
        pool.id, "c", explicit_auth_flows=("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
    )
    service.add_user(pool.id, "fred", PASSWORD)
    body = {
        "ClientId": app.id,
        "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "fred", "PASSWORD": PASSWORD},
    }
    tokens = service.handle("InitiateAuth", body)["AuthenticationResult"]
    access = tokens["AccessToken"]
    assert "origin_jti" not in jwt.decode(access, options={"verify_signature": False})
    assert service.handle("GetUser", {"AccessToken": access})["Username"] == "fred"
    service.handle("GlobalSignOut", {"AccessToken": access})
    with pytest.raises(ServiceError) as caught:
        service.handle("GetUser", {"AccessToken": access})
    assert caught.value.message == _REVOKED_ACCESS
    refresh = {"REFRESH_TOKEN": tokens["RefreshToken"]}
    with pytest.raises(ServiceError) as caught:
        service.handle(
            "InitiateAuth", {**body, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": refresh}
        )
    assert caught.value.message == _REVOKED_REFRESH


def test_a_disabled_users_access_token_is_refused_even_if_not_revoked() -> None:
    """A token AdminDisableUser's revocation does not reach (issued in its very second) is still refused."""
    # revocable=False: tokens are refused by sign-out time, to the second; a frozen clock
    # puts the token's iat at the sign-out time, so only the disabled check can refuse it.
    service = CognitoService(revocable=False, clock=lambda: 1_700_000_000.0)
    pool = service.create_pool("p", pool_id="us-east-1_Disab1")
    app = service.create_client(pool.id, "c", explicit_auth_flows=("ALLOW_USER_PASSWORD_AUTH",))
    service.add_user(pool.id, "dora", PASSWORD)
    body = {
        "ClientId": app.id,
        "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "dora", "PASSWORD": PASSWORD},
    }
    access = service.handle("InitiateAuth", body)["AuthenticationResult"]["AccessToken"]
    service.handle("AdminDisableUser", {"UserPoolId": pool.id, "Username": "dora"})
    for operation in ("GetUser", "ListDevices", "GlobalSignOut"):
        with pytest.raises(ServiceError) as caught:
            service.handle(operation, {"AccessToken": access})
        assert (caught.value.code, caught.value.message) == (
            "NotAuthorizedException",
            "User is disabled.",
        )
