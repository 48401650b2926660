"""srpkit.aws: boto3 sign-ins (user, device, client secret, aliases, other flows) against `srpkit serve`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from serve_support import PASSWORD, Recorder, add_user, make_pool, running

from srpkit import InvalidChallengeError, InvalidInputError, ParameterTypeError, secret_hash
from srpkit.aws import AuthResult, ConfirmedDevice, authenticate, confirm_device

DEVICES = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Any, Any]]:
    """One in-process `srpkit serve` and a boto3 client for this module's tests."""
    with running() as (handle, client, _):
        yield handle, client


def claims(handle: Any, pool_id: str, token: str) -> dict[str, Any]:
    """The token's claims, verified with PyJWT against the pool's JWKS over HTTP."""
    key = jwt.PyJWKClient(f"{handle.url}/{pool_id}/.well-known/jwks.json").get_signing_key_from_jwt(
        token
    )
    return dict(
        jwt.decode(
            token,
            key.key,
            algorithms=["RS256"],
            issuer=f"{handle.url}/{pool_id}",
            options={"verify_aud": False},
        )
    )


@pytest.mark.usefixtures("srp_backend")
def test_email_username_pool_with_client_secret(server: tuple[Any, Any]) -> None:
    """A user of an email-as-username pool signs in by email through a client with a secret."""
    handle, client = server
    pool_id, client_id, client_secret = make_pool(client, secret=True, UsernameAttributes=["email"])
    internal = add_user(client, pool_id, "ann@example.com")
    result = authenticate(
        client,
        pool_id=pool_id,
        client_id=client_id,
        username="ann@example.com",
        password=PASSWORD,
        client_secret=client_secret,
    )
    assert result.signed_in and result.username == internal != "ann@example.com"
    assert result.authentication_result is not None
    access = claims(handle, pool_id, result.authentication_result["AccessToken"])
    assert access["username"] == internal and access["client_id"] == client_id
    with pytest.raises(client.exceptions.NotAuthorizedException, match="secret hash"):
        authenticate(
            client,
            pool_id=pool_id,
            client_id=client_id,
            username="ann@example.com",
            password=PASSWORD,
            client_secret=client_secret[::-1],
        )


@pytest.mark.usefixtures("srp_backend")
def test_alias_attributes_email_signs_in_only_when_verified(server: tuple[Any, Any]) -> None:
    """With AliasAttributes, a verified email signs in as the user; an unverified one is unknown."""
    _, client = server
    pool_id, client_id, _ = make_pool(client, AliasAttributes=["email"])
    add_user(client, pool_id, "bob", email="bob@example.com", email_verified="true")
    add_user(client, pool_id, "carol", email="carol@example.com")
    result = authenticate(
        client, pool_id=pool_id, client_id=client_id, username="bob@example.com", password=PASSWORD
    )
    assert result.signed_in and result.username == "bob"
    with pytest.raises(client.exceptions.UserNotFoundException):
        authenticate(
            client,
            pool_id=pool_id,
            client_id=client_id,
            username="carol@example.com",
            password=PASSWORD,
        )


@pytest.mark.usefixtures("srp_backend")
def test_wrong_password_is_not_authorized(server: tuple[Any, Any]) -> None:
    """A wrong password ends in botocore's NotAuthorizedException, raised unchanged."""
    _, client = server
    pool_id, client_id, _ = make_pool(client)
    add_user(client, pool_id, "dave")
    with pytest.raises(client.exceptions.NotAuthorizedException, match="Incorrect username"):
        authenticate(
            client, pool_id=pool_id, client_id=client_id, username="dave", password=PASSWORD + "x"
        )


@pytest.mark.usefixtures("srp_backend")
def test_remembered_device_then_forgotten(server: tuple[Any, Any]) -> None:
    """A confirmed device signs in through DEVICE_SRP_AUTH; once forgotten, it is asked no more."""
    handle, client = server
    pool_id, client_id, client_secret = make_pool(client, secret=True, DeviceConfiguration=DEVICES)
    add_user(client, pool_id, "erin")
    kwargs = {
        "pool_id": pool_id,
        "client_id": client_id,
        "username": "erin",
        "password": PASSWORD,
        "client_secret": client_secret,
    }
    first = authenticate(client, **kwargs)
    meta = first.new_device_metadata
    assert first.authentication_result is not None and meta is not None
    device = confirm_device(
        client,
        access_token=first.authentication_result["AccessToken"],
        device_key=meta["DeviceKey"],
        device_group_key=meta["DeviceGroupKey"],
        device_name="laptop",
    )
    assert device.user_confirmation_necessary is False
    recorder = Recorder(client)
    second = authenticate(recorder, device=device, **kwargs)
    assert recorder.calls == [
        "InitiateAuth:USER_SRP_AUTH",
        "RespondToAuthChallenge:PASSWORD_VERIFIER",
        "RespondToAuthChallenge:DEVICE_SRP_AUTH",
        "RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER",
    ]
    assert second.authentication_result is not None and second.new_device_metadata is None
    token = second.authentication_result["AccessToken"]
    assert claims(handle, pool_id, token)["device_key"] == device.device_key
    client.forget_device(AccessToken=token, DeviceKey=device.device_key)
    third = authenticate(client, device=device, **kwargs)
    assert third.new_device_metadata is not None  # an unknown device: a new one is handed out


@pytest.mark.usefixtures("srp_backend")
def test_device_remembered_only_on_user_prompt(server: tuple[Any, Any]) -> None:
    """UserConfirmationNecessary: the device is asked to prove itself only after UpdateDeviceStatus."""
    _, client = server
    prompt = {**DEVICES, "DeviceOnlyRememberedOnUserPrompt": True}
    pool_id, client_id, _ = make_pool(client, DeviceConfiguration=prompt)
    add_user(client, pool_id, "frank")
    kwargs = {"pool_id": pool_id, "client_id": client_id, "username": "frank", "password": PASSWORD}
    first = authenticate(client, **kwargs)
    assert first.authentication_result is not None and first.new_device_metadata is not None
    token = first.authentication_result["AccessToken"]
    device = confirm_device(
        client,
        access_token=token,
        device_key=first.new_device_metadata["DeviceKey"],
        device_group_key=first.new_device_metadata["DeviceGroupKey"],
    )
    assert device.user_confirmation_necessary is True
    recorder = Recorder(client)
    authenticate(recorder, device=device, **kwargs)
    assert "RespondToAuthChallenge:DEVICE_SRP_AUTH" not in recorder.calls
    client.update_device_status(
        AccessToken=token, DeviceKey=device.device_key, DeviceRememberedStatus="remembered"
    )
    recorder.calls.clear()
    assert authenticate(recorder, device=device, **kwargs).signed_in
    assert recorder.calls[-1] == "RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER"


@pytest.mark.usefixtures("srp_backend")
def test_new_password_required_is_returned_for_the_caller(server: tuple[Any, Any]) -> None:
    """A temporary password signs in to NEW_PASSWORD_REQUIRED; answering it gives tokens."""
    _, client = server
    pool_id, client_id, client_secret = make_pool(client, secret=True)
    add_user(client, pool_id, "gina", permanent=False)
    kwargs = {"pool_id": pool_id, "client_id": client_id, "client_secret": client_secret}
    pending = authenticate(client, username="gina", password=PASSWORD, **kwargs)
    assert not pending.signed_in and pending.challenge_name == "NEW_PASSWORD_REQUIRED"
    assert pending.session and pending.username == "gina"
    answer = client.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=pending.session,
        ChallengeResponses={
            "USERNAME": pending.username,
            "NEW_PASSWORD": "N3w-password!",
            "SECRET_HASH": secret_hash(pending.username, client_id, client_secret),
        },
    )
    assert "AuthenticationResult" in answer
    assert authenticate(client, username="gina", password="N3w-password!", **kwargs).signed_in


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize("flow", ["USER_AUTH", "CUSTOM_AUTH"])
def test_user_auth_and_custom_auth_flows(server: tuple[Any, Any], flow: str) -> None:
    """USER_AUTH (PASSWORD_SRP) and CUSTOM_AUTH (SRP_A) run PASSWORD_VERIFIER and sign in."""
    _, client = server
    pool_id, client_id, _ = make_pool(client, flows=[f"ALLOW_{flow}"])
    add_user(client, pool_id, "hal")
    recorder = Recorder(client)
    result = authenticate(
        recorder, pool_id=pool_id, client_id=client_id, username="hal", password=PASSWORD, flow=flow
    )
    assert result.signed_in
    assert recorder.calls == [f"InitiateAuth:{flow}", "RespondToAuthChallenge:PASSWORD_VERIFIER"]
    with pytest.raises(client.exceptions.InvalidParameterException, match="not enabled"):
        authenticate(
            client, pool_id=pool_id, client_id=client_id, username="hal", password=PASSWORD
        )


@pytest.mark.usefixtures("srp_backend")
def test_sign_up_needs_confirmation(server: tuple[Any, Any]) -> None:
    """SignUp (with SecretHash) makes an unconfirmed user; AdminConfirmSignUp lets it sign in."""
    _, client = server
    pool_id, client_id, client_secret = make_pool(client, secret=True)
    client.sign_up(
        ClientId=client_id,
        SecretHash=secret_hash("ivy", client_id, client_secret),
        Username="ivy",
        Password=PASSWORD,
    )
    kwargs = {
        "pool_id": pool_id,
        "client_id": client_id,
        "client_secret": client_secret,
        "username": "ivy",
        "password": PASSWORD,
    }
    with pytest.raises(client.exceptions.UserNotConfirmedException):
        authenticate(client, **kwargs)
    client.admin_confirm_sign_up(UserPoolId=pool_id, Username="ivy")
    assert authenticate(client, **kwargs).signed_in


class _Scripted:
    """A stand-in client answering from a script (for what a real endpoint never does)."""

    def __init__(self, *answers: dict[str, Any]) -> None:
        self.answers = list(answers)

    def initiate_auth(self, **body: Any) -> dict[str, Any]:
        return self.answers.pop(0)

    respond_to_auth_challenge = initiate_auth


@pytest.mark.usefixtures("srp_backend")
def test_bad_arguments_are_named_together() -> None:
    """Every bad argument is reported in one error, before any call; a non-client is a type error."""
    with pytest.raises(InvalidInputError) as info:
        authenticate(
            _Scripted(),
            pool_id="nopool",
            client_id="c1",
            username="u",
            password="p",
            flow="USER_PASSWORD_AUTH",
        )
    assert {"pool_id", "flow"} <= set(info.value.fields)
    with pytest.raises(ParameterTypeError, match="boto3 cognito-idp client"):
        authenticate(object(), pool_id="us-east-1_A1", client_id="c1", username="u", password="p")
    with pytest.raises(InvalidInputError, match="device_key"):
        confirm_device(_Scripted(), access_token="t", device_key="bad", device_group_key="-g")


@pytest.mark.usefixtures("srp_backend")
def test_a_repeated_challenge_is_refused_and_unknown_ones_are_returned() -> None:
    """A server asking PASSWORD_VERIFIER twice is refused; SMS_MFA comes back to the caller."""
    params = {"SALT": "01", "SRP_B": "02", "SECRET_BLOCK": "AAAA", "USER_ID_FOR_SRP": "u"}
    again = {
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": params,
        "Session": "s" * 20,
    }
    kwargs = {"pool_id": "us-east-1_A1", "client_id": "c1", "username": "u", "password": "p"}
    with pytest.raises(InvalidChallengeError, match="twice"):
        authenticate(_Scripted(again, again), **kwargs)
    mfa = {"ChallengeName": "SMS_MFA", "ChallengeParameters": {"X": "1"}, "Session": "t" * 20}
    result = authenticate(_Scripted(again, mfa), **kwargs)
    assert (result.challenge_name, result.session, result.username) == ("SMS_MFA", "t" * 20, "u")


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(
    ("response", "field"),
    [
        ({"ChallengeName": ["PASSWORD_VERIFIER"]}, "ChallengeName"),
        ({"ChallengeName": {"a": 1}}, "ChallengeName"),
        (
            {"ChallengeName": "SELECT_CHALLENGE", "AvailableChallenges": "PASSWORD_SRP"},
            "AvailableChallenges",
        ),
        ({"ChallengeName": "SELECT_CHALLENGE", "AvailableChallenges": 5}, "AvailableChallenges"),
        ({"ChallengeName": "SMS_MFA", "Session": 7}, "Session"),
        ({"ChallengeName": "SMS_MFA", "ChallengeParameters": {"X": 1}}, "ChallengeParameters"),
        ({"ChallengeName": "SMS_MFA", "ChallengeParameters": []}, "ChallengeParameters"),
        ({"AuthenticationResult": "tokens"}, "AuthenticationResult"),
        ({"AuthenticationResult": {"AccessToken": 5}}, "AuthenticationResult.AccessToken"),
        ({"AuthenticationResult": {"ExpiresIn": "3600"}}, "AuthenticationResult.ExpiresIn"),
        (
            {"AuthenticationResult": {"NewDeviceMetadata": {"DeviceKey": None}}},
            "AuthenticationResult.NewDeviceMetadata",
        ),
        (["PASSWORD_VERIFIER"], "response"),
    ],
)
def test_hostile_responses_are_typed_errors(response: Any, field: str) -> None:
    """A response member of the wrong type is a ParameterTypeError naming it, never a TypeError."""
    kwargs = {"pool_id": "us-east-1_A1", "client_id": "c1", "username": "u", "password": "p"}
    with pytest.raises(ParameterTypeError) as info:
        authenticate(_Scripted(response), **kwargs)
    assert info.value.fields == (field,)


@pytest.mark.usefixtures("srp_backend")
def test_password_verifier_without_session_is_answered_without_one() -> None:
    """Cognito's PASSWORD_VERIFIER carries no Session, and the answer is sent without one."""
    sent: list[dict[str, Any]] = []
    params = {"SALT": "01", "SRP_B": "02", "SECRET_BLOCK": "AAAA", "USER_ID_FOR_SRP": "u"}
    pv = {"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": params}
    tokens = {"AuthenticationResult": {"AccessToken": "a", "ExpiresIn": 3600}}

    class Recording(_Scripted):
        def respond_to_auth_challenge(self, **body: Any) -> Any:
            sent.append(body)
            return self.answers.pop(0)

    kwargs = {"pool_id": "us-east-1_A1", "client_id": "c1", "username": "u", "password": "p"}
    result = authenticate(Recording(pv, tokens), **kwargs)
    assert result.signed_in and len(sent) == 1 and "Session" not in sent[0]


def test_reprs_hide_tokens_sessions_and_device_passwords() -> None:
    """AuthResult and ConfirmedDevice reprs show no token, session or device password."""
    signed_in = AuthResult(authentication_result={"AccessToken": "tok-abc", "IdToken": "id-abc"})
    pending = AuthResult(
        challenge_name="SMS_MFA", session="sess-abc", challenge_parameters={"a": "pii"}
    )
    device = ConfirmedDevice("us-east-1_0f0f0f0f-0000-4000-8000-000000000000", "-g", "pw-abc")
    text = repr(signed_in) + repr(pending) + repr(device) + str(device)
    for secret in ("tok-abc", "id-abc", "sess-abc", "pii", "pw-abc"):
        assert secret not in text


def test_import_does_not_load_boto3() -> None:
    """Importing srpkit.aws loads neither boto3 nor botocore: boto3 stays an optional extra."""
    code = "import sys, srpkit, srpkit.aws; print(sorted(m for m in sys.modules if 'boto' in m))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"
