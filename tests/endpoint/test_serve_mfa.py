"""TOTP MFA on `srpkit serve`, driven by pycognito 2024.5.1 and boto3, codes from srpkit._core.totp.

Codes are computed for the server's own time steps (now, and the next step,
which the one-step window accepts), so no test waits for a step to pass.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.exceptions import SoftwareTokenMFAChallengeException

from srpkit._core.totp import STEP_SECONDS, totp
from srpkit.aws import authenticate, confirm_device
from tests.serve_support import PASSWORD, add_user, make_pool, running

pytestmark = pytest.mark.usefixtures("srp_backend")

_WRONG_CODE = {
    "Code": "CodeMismatchException",
    "Message": "Invalid code or auth state for the user.",
}


def _code(secret: str, steps_ahead: int = 0) -> str:
    return totp(secret, time.time() + steps_ahead * STEP_SECONDS)


def _wrong(secret: str) -> str:
    """A six-digit code no step in the window has."""
    near = {_code(secret, k) for k in (-2, -1, 0, 1, 2)}
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in near)


def _error(call: Any) -> dict[str, str]:
    with pytest.raises(ClientError) as caught:
        call()
    return dict(caught.value.response["Error"])


def _mfa_pool(client: Any, mode: str, **options: Any) -> tuple[str, str]:
    pool_id, client_id, _ = make_pool(client, **options)
    client.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration=mode,
    )
    return pool_id, client_id


def _with_totp(client: Any, access_token: str) -> str:
    """Associate, verify and prefer a software token for the signed-in user; its secret."""
    secret = str(client.associate_software_token(AccessToken=access_token)["SecretCode"])
    verified = client.verify_software_token(AccessToken=access_token, UserCode=_code(secret))
    assert verified["Status"] == "SUCCESS"
    client.set_user_mfa_preference(
        AccessToken=access_token,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    return secret


def test_pycognito_sets_up_totp_and_answers_the_challenge() -> None:
    """pycognito associates and verifies a token, prefers it, then passes SOFTWARE_TOKEN_MFA with a fresh code."""
    with running() as (handle, client, _):
        pool_id, client_id = _mfa_pool(client, "OPTIONAL")
        add_user(client, pool_id, "ann")
        kwargs = {
            "endpoint_url": handle.url,
            "region_name": "us-east-1",
            "aws_access_key_id": "x",
            "aws_secret_access_key": "x",
        }
        user = Cognito(pool_id, client_id, username="ann", boto3_client_kwargs=kwargs)
        user.authenticate(password=PASSWORD)  # OPTIONAL, no token yet: no challenge
        secret = user.associate_software_token()
        assert user.verify_software_token(_code(secret))
        user.set_user_mfa_preference(False, True, "SOFTWARE_TOKEN")
        again = Cognito(pool_id, client_id, username="ann", boto3_client_kwargs=kwargs)
        with pytest.raises(SoftwareTokenMFAChallengeException):
            again.authenticate(password=PASSWORD)
        again.respond_to_software_token_mfa_challenge(_code(secret, 1))
        assert client.get_user(AccessToken=again.access_token)["Username"] == "ann"
        # The same code, once more, at a new sign-in: refused, as a wrong code is.
        third = Cognito(pool_id, client_id, username="ann", boto3_client_kwargs=kwargs)
        with pytest.raises(SoftwareTokenMFAChallengeException):
            third.authenticate(password=PASSWORD)
        error = _error(lambda: third.respond_to_software_token_mfa_challenge(_code(secret, 1)))
        assert error == _WRONG_CODE


def test_software_token_mfa_refusals() -> None:
    """A wrong code is CodeMismatchException, no Session is NotAuthorizedException; each ends the attempt."""
    with running() as (_, client, _log):
        pool_id, client_id = _mfa_pool(client, "OPTIONAL")
        add_user(client, pool_id, "bo")
        first = authenticate(
            client, pool_id=pool_id, client_id=client_id, username="bo", password=PASSWORD
        )
        assert first.authentication_result is not None
        secret = _with_totp(client, first.authentication_result["AccessToken"])
        pending = authenticate(
            client, pool_id=pool_id, client_id=client_id, username="bo", password=PASSWORD
        )
        assert pending.challenge_name == "SOFTWARE_TOKEN_MFA" and pending.session

        def answer(code: str, session: str | None) -> Any:
            extra = {} if session is None else {"Session": session}
            return client.respond_to_auth_challenge(
                ClientId=client_id,
                ChallengeName="SOFTWARE_TOKEN_MFA",
                ChallengeResponses={"USERNAME": "bo", "SOFTWARE_TOKEN_MFA_CODE": code},
                **extra,
            )

        assert _error(lambda: answer(_code(secret, 1), None)) == {
            "Code": "NotAuthorizedException",
            "Message": "Invalid session for the user.",
        }
        assert _error(lambda: answer(_wrong(secret), pending.session)) == _WRONG_CODE
        # The attempt is over: even the right code does not revive its Session.
        assert _error(lambda: answer(_code(secret, 1), pending.session))["Code"] == (
            "NotAuthorizedException"
        )
        retry = authenticate(
            client, pool_id=pool_id, client_id=client_id, username="bo", password=PASSWORD
        )
        assert answer(_code(secret, 1), retry.session)["AuthenticationResult"]["AccessToken"]


def test_token_setup_refusals() -> None:
    """A wrong first code, an unverified preference or no credential are refused as AWS words them."""
    with running() as (_, client, _log):
        pool_id, client_id = _mfa_pool(client, "OPTIONAL")
        add_user(client, pool_id, "cy")
        signed = authenticate(
            client, pool_id=pool_id, client_id=client_id, username="cy", password=PASSWORD
        )
        assert signed.authentication_result is not None
        access = signed.authentication_result["AccessToken"]
        enable = {"Enabled": True, "PreferredMfa": True}
        assert _error(
            lambda: client.set_user_mfa_preference(
                AccessToken=access, SoftwareTokenMfaSettings=enable
            )
        ) == {
            "Code": "InvalidParameterException",
            "Message": "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA",
        }
        assert _error(
            lambda: client.verify_software_token(AccessToken=access, UserCode="123456")
        ) == {
            "Code": "SoftwareTokenMFANotFoundException",
            "Message": "Software Token MFA does not exist for the user.",
        }
        secret = client.associate_software_token(AccessToken=access)["SecretCode"]
        assert _error(
            lambda: client.verify_software_token(AccessToken=access, UserCode=_wrong(secret))
        ) == {
            "Code": "EnableSoftwareTokenMFAException",
            "Message": "Code mismatch and fail enable Software Token MFA",
        }
        assert _error(client.associate_software_token)["Code"] == ("InvalidParameterException")
        assert (
            _error(
                lambda: client.set_user_pool_mfa_config(
                    UserPoolId=pool_id,
                    SoftwareTokenMfaConfiguration={"Enabled": False},
                    MfaConfiguration="ON",
                )
            )["Code"]
            == "InvalidParameterException"
        )
        assert client.get_user_pool_mfa_config(UserPoolId=pool_id)["MfaConfiguration"] == (
            "OPTIONAL"
        )


def test_mfa_setup_when_the_pool_requires_mfa() -> None:
    """In an MFA-ON pool a user without a token gets MFA_SETUP, sets it up through the Session, then is asked for it."""
    with running() as (_, client, _log):
        pool_id, client_id = _mfa_pool(client, "ON")
        add_user(client, pool_id, "dee")
        started = authenticate(
            client, pool_id=pool_id, client_id=client_id, username="dee", password=PASSWORD
        )
        assert started.challenge_name == "MFA_SETUP"
        assert "SOFTWARE_TOKEN_MFA" in started.challenge_parameters["MFAS_CAN_SETUP"]
        associated = client.associate_software_token(Session=started.session)
        secret = associated["SecretCode"]
        verified = client.verify_software_token(
            Session=associated["Session"], UserCode=_code(secret)
        )
        assert verified["Status"] == "SUCCESS"
        done = client.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="MFA_SETUP",
            Session=verified["Session"],
            ChallengeResponses={"USERNAME": "dee"},
        )
        assert client.get_user(AccessToken=done["AuthenticationResult"]["AccessToken"])
        later = authenticate(
            client, pool_id=pool_id, client_id=client_id, username="dee", password=PASSWORD
        )
        assert later.challenge_name == "SOFTWARE_TOKEN_MFA"


def test_admin_set_user_mfa_preference_turns_the_challenge_off() -> None:
    """In an OPTIONAL pool, AdminSetUserMFAPreference disabling the token ends the challenge."""
    with running() as (_, client, _log):
        pool_id, client_id = _mfa_pool(client, "OPTIONAL")
        add_user(client, pool_id, "eve")
        signed = authenticate(
            client, pool_id=pool_id, client_id=client_id, username="eve", password=PASSWORD
        )
        assert signed.authentication_result is not None
        _with_totp(client, signed.authentication_result["AccessToken"])
        asked = authenticate(
            client, pool_id=pool_id, client_id=client_id, username="eve", password=PASSWORD
        )
        assert asked.challenge_name == "SOFTWARE_TOKEN_MFA"
        client.admin_set_user_mfa_preference(
            UserPoolId=pool_id,
            Username="eve",
            SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False},
        )
        free = authenticate(
            client, pool_id=pool_id, client_id=client_id, username="eve", password=PASSWORD
        )
        assert free.signed_in


@pytest.mark.parametrize("device_replaces_mfa", [True, False])
def test_remembered_device_skips_mfa_where_the_pool_says(device_replaces_mfa: bool) -> None:
    """A remembered device signs in without the TOTP code only when ChallengeRequiredOnNewDevice is true."""
    devices = {
        "ChallengeRequiredOnNewDevice": device_replaces_mfa,
        "DeviceOnlyRememberedOnUserPrompt": False,
    }
    with running() as (_, client, _log):
        pool_id, client_id = _mfa_pool(client, "OPTIONAL", DeviceConfiguration=devices)
        add_user(client, pool_id, "fay")
        kwargs = {
            "pool_id": pool_id,
            "client_id": client_id,
            "username": "fay",
            "password": PASSWORD,
        }
        first = authenticate(client, **kwargs)
        assert first.authentication_result is not None and first.new_device_metadata
        access = first.authentication_result["AccessToken"]
        device = confirm_device(
            client,
            access_token=access,
            device_key=first.new_device_metadata["DeviceKey"],
            device_group_key=first.new_device_metadata["DeviceGroupKey"],
        )
        secret = _with_totp(client, access)
        without_device = authenticate(client, **kwargs)
        assert without_device.challenge_name == "SOFTWARE_TOKEN_MFA"
        with_device = authenticate(client, device=device, **kwargs)
        if device_replaces_mfa:
            assert with_device.signed_in and with_device.new_device_metadata is None
            return
        # MFA first, then the device, in the order amazon-cognito-identity-js follows.
        assert with_device.challenge_name == "SOFTWARE_TOKEN_MFA"
        after = client.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=with_device.session,
            ChallengeResponses={"USERNAME": "fay", "SOFTWARE_TOKEN_MFA_CODE": _code(secret, 1)},
        )
        assert after["ChallengeName"] == "DEVICE_SRP_AUTH"


def test_get_user_and_admin_get_user_show_the_mfa_settings() -> None:
    """GetUser and AdminGetUser list TOTP once enabled, and the preference; nothing before."""
    with running() as (_handle, client, _log):
        pool_id, client_id = _mfa_pool(client, "OPTIONAL")
        add_user(client, pool_id, "gil")
        signed = authenticate(
            client, pool_id=pool_id, client_id=client_id, username="gil", password=PASSWORD
        )
        assert signed.authentication_result is not None
        access = signed.authentication_result["AccessToken"]
        fields = ("UserMFASettingList", "PreferredMfaSetting")
        for got in (
            client.get_user(AccessToken=access),
            client.admin_get_user(UserPoolId=pool_id, Username="gil"),
        ):
            assert not set(fields) & set(got)
        _with_totp(client, access)
        for got in (
            client.get_user(AccessToken=access),
            client.admin_get_user(UserPoolId=pool_id, Username="gil"),
        ):
            assert got["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
            assert got["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
        # Turned off: both members are left out again.
        client.set_user_mfa_preference(
            AccessToken=access, SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False}
        )
        assert not set(fields) & set(client.get_user(AccessToken=access))
