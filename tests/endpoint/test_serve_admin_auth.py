"""Password and admin sign-ins on `srpkit serve`: USER_PASSWORD_AUTH, AdminInitiateAuth, AdminRespondToAuthChallenge.

pycognito 2024.5.1's admin_authenticate (ADMIN_NO_SRP_AUTH) and boto3 against a
live server; every refusal with Cognito's code and message.
"""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito

from srpkit import UserSRP, secret_hash
from srpkit._client.requests import password_verifier_request, user_srp_auth_request
from tests.serve_support import PASSWORD, add_user, make_pool, running

pytestmark = pytest.mark.usefixtures("srp_backend")

_PASSWORD_FLOWS = ("ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH")


def _refused(call: Any, code: str, message: str) -> None:
    with pytest.raises(ClientError) as caught:
        call()
    assert caught.value.response["Error"] == {"Code": code, "Message": message}


def _password_auth(client: Any, client_id: str, name: str, password: str, **extra: str) -> Any:
    return client.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": name, "PASSWORD": password, **extra},
    )


def test_pycognito_admin_authenticate() -> None:
    """pycognito's admin_authenticate (ADMIN_NO_SRP_AUTH) signs in with a secret client; GetUser works."""
    with running() as (handle, client, _):
        pool_id, client_id, secret = make_pool(
            client,
            secret=True,
            flows=("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        )
        add_user(client, pool_id, "ann")
        kwargs = {
            "endpoint_url": handle.url,
            "region_name": "us-east-1",
            "aws_access_key_id": "x",
            "aws_secret_access_key": "x",
        }
        user = Cognito(
            pool_id, client_id, client_secret=secret, username="ann", boto3_client_kwargs=kwargs
        )
        user.admin_authenticate(password=PASSWORD)
        assert client.get_user(AccessToken=user.access_token)["Username"] == "ann"
        user.renew_access_token()  # REFRESH_TOKEN_AUTH, SECRET_HASH over "ann"
        assert client.get_user(AccessToken=user.access_token)["Username"] == "ann"
        with pytest.raises(ClientError) as caught:
            user.admin_authenticate(password=PASSWORD + "x")
        assert caught.value.response["Error"] == {
            "Code": "NotAuthorizedException",
            "Message": "Incorrect username or password.",
        }


def test_user_password_auth_checks_the_password_against_the_verifier() -> None:
    """USER_PASSWORD_AUTH accepts the right password (by an alias too) and refuses others, as AWS words it."""
    with running() as (_, client, _log):
        pool_id, client_id, _ = make_pool(client, flows=_PASSWORD_FLOWS, AliasAttributes=["email"])
        add_user(client, pool_id, "bea", email="bea@example.com", email_verified="true")
        for name in ("bea", "bea@example.com"):
            result = _password_auth(client, client_id, name, PASSWORD)["AuthenticationResult"]
            claims = jwt.decode(result["AccessToken"], options={"verify_signature": False})
            assert claims["username"] == "bea" and "RefreshToken" in result
        for wrong in (PASSWORD + "!", PASSWORD.upper(), ""):
            _refused(
                lambda w=wrong: _password_auth(client, client_id, "bea", w),
                "NotAuthorizedException",
                "Incorrect username or password.",
            )
        _refused(
            lambda: _password_auth(client, client_id, "nobody", PASSWORD),
            "UserNotFoundException",
            "User does not exist.",
        )
        _refused(
            lambda: client.initiate_auth(
                ClientId=client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": "bea"},
            ),
            "InvalidParameterException",
            "Missing required parameter PASSWORD",
        )


def test_password_flows_need_the_client_to_allow_them() -> None:
    """A client without the flow, or the admin flow at InitiateAuth, is refused as AWS words it."""
    with running() as (_, client, _log):
        pool_id, client_id, _ = make_pool(client)  # SRP and refresh only
        add_user(client, pool_id, "cy")
        body = {"USERNAME": "cy", "PASSWORD": PASSWORD}
        _refused(
            lambda: _password_auth(client, client_id, "cy", PASSWORD),
            "InvalidParameterException",
            "USER_PASSWORD_AUTH flow not enabled for this client",
        )
        _refused(
            lambda: client.admin_initiate_auth(
                UserPoolId=pool_id,
                ClientId=client_id,
                AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                AuthParameters=body,
            ),
            "InvalidParameterException",
            "Auth flow not enabled for this client",
        )
        _refused(
            lambda: client.initiate_auth(
                ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters=body
            ),
            "InvalidParameterException",
            "Initiate Auth method not supported.",
        )
        _refused(
            lambda: client.admin_initiate_auth(
                UserPoolId=pool_id,
                ClientId=client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters=body,
            ),
            "InvalidParameterException",
            "Initiate Auth method not supported.",
        )


def test_password_auth_hides_unknown_users_when_the_client_asks() -> None:
    """With PreventUserExistenceErrors ENABLED an unknown user gets the wrong password's answer."""
    with running() as (_, client, _log):
        _pool_id, client_id, _ = make_pool(
            client,
            flows=_PASSWORD_FLOWS,
            client_options={"PreventUserExistenceErrors": "ENABLED"},
        )
        _refused(
            lambda: _password_auth(client, client_id, "ghost", PASSWORD),
            "NotAuthorizedException",
            "Incorrect username or password.",
        )


def test_admin_srp_sign_in_and_new_password_challenge() -> None:
    """AdminInitiateAuth USER_SRP_AUTH is answered through AdminRespondToAuthChallenge, NEW_PASSWORD_REQUIRED too."""
    with running() as (_, client, _log):
        pool_id, client_id, secret = make_pool(
            client,
            secret=True,
            flows=(*_PASSWORD_FLOWS, "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        )
        assert secret is not None
        add_user(client, pool_id, "dot")
        user = UserSRP(pool_id, client_id, "dot", PASSWORD, client_secret=secret)
        challenge = client.admin_initiate_auth(UserPoolId=pool_id, **user_srp_auth_request(user))
        answer = client.admin_respond_to_auth_challenge(
            UserPoolId=pool_id, **password_verifier_request(user, challenge)
        )
        assert client.get_user(AccessToken=answer["AuthenticationResult"]["AccessToken"])
        # A temporary password: the admin password flow asks for a new one first.
        add_user(client, pool_id, "eda", permanent=False)
        hashed = secret_hash("eda", client_id, secret)
        started = client.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "eda", "PASSWORD": PASSWORD, "SECRET_HASH": hashed},
        )
        assert started["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
        done = client.admin_respond_to_auth_challenge(
            UserPoolId=pool_id,
            ClientId=client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=started["Session"],
            ChallengeResponses={
                "USERNAME": "eda",
                "NEW_PASSWORD": "N3w-passw0rd!",
                "SECRET_HASH": hashed,
            },
        )
        assert client.get_user(AccessToken=done["AuthenticationResult"]["AccessToken"])
        again = client.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_NO_SRP_AUTH",
            AuthParameters={"USERNAME": "eda", "PASSWORD": "N3w-passw0rd!", "SECRET_HASH": hashed},
        )
        refreshed = client.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={
                "REFRESH_TOKEN": again["AuthenticationResult"]["RefreshToken"],
                "SECRET_HASH": hashed,
            },
        )
        assert "RefreshToken" not in refreshed["AuthenticationResult"]


def test_admin_calls_check_the_pool_against_the_client() -> None:
    """A ClientId of another pool is ResourceNotFoundException at AdminInitiateAuth and its answer."""
    with running() as (_, client, _log):
        pool_id, client_id, _ = make_pool(client, flows=_PASSWORD_FLOWS)
        other_pool, _, _ = make_pool(client)
        add_user(client, pool_id, "fay")
        body = {"USERNAME": "fay", "PASSWORD": PASSWORD}
        _refused(
            lambda: client.admin_initiate_auth(
                UserPoolId=other_pool,
                ClientId=client_id,
                AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                AuthParameters=body,
            ),
            "ResourceNotFoundException",
            "User pool client does not exist.",
        )
        _refused(
            lambda: client.admin_respond_to_auth_challenge(
                UserPoolId=other_pool,
                ClientId=client_id,
                ChallengeName="PASSWORD_VERIFIER",
                ChallengeResponses={"USERNAME": "fay"},
            ),
            "ResourceNotFoundException",
            "User pool client does not exist.",
        )


def test_forgotten_device_key_is_refused_and_the_answer_retried_without_it() -> None:
    """A DEVICE_KEY naming no device is ResourceNotFoundException; the same answer without it signs in."""
    devices = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}
    with running() as (_, client, _log):
        pool_id, client_id, _ = make_pool(client, DeviceConfiguration=devices)
        add_user(client, pool_id, "gil")
        user = UserSRP(
            pool_id,
            client_id,
            "gil",
            PASSWORD,
            device_key="us-east-1_00000000-0000-4000-8000-000000000000",
        )
        challenge = client.initiate_auth(**user_srp_auth_request(user))
        answer = password_verifier_request(user, challenge)
        _refused(
            lambda: client.respond_to_auth_challenge(**answer),
            "ResourceNotFoundException",
            "Device does not exist.",
        )
        responses = dict(answer["ChallengeResponses"])
        del responses["DEVICE_KEY"]
        done = client.respond_to_auth_challenge(**{**answer, "ChallengeResponses": responses})
        assert done["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"]
