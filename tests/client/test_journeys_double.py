"""Whole journeys of srpkit.aws and srpkit.aio against the double that answers as AWS was measured to.

The double (tests/aws_double.py, each behaviour cited there) sends no Session
with PASSWORD_VERIFIER, asks MFA with one, demands SECRET_HASH over the typed
name at InitiateAuth and over USER_ID_FOR_SRP after, refuses a refresh of device
tokens without DEVICE_KEY, and answers "Device does not exist." at
PASSWORD_VERIFIER for a forgotten device. srpkit's answers are checked by the
double with tests/reference, never with srpkit.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aws_double import CognitoDouble
from aws_double_mfa import totp
from botocore.exceptions import ClientError
from reference import cognito_srp as ref

from srpkit import aio, aws
from srpkit.aws import Answer, Challenge

pytestmark = pytest.mark.usefixtures("srp_backend")

POOL_ID = "us-east-1_DoubLe7x9"
CLIENT_ID = "2d0ublec1ient0123456789ab"
SECRET = "d0uble-c1ient-secret-0123456789abcdefghijklmnopqrs"
INTERNAL = "0e35cab5-c68c-450c-a97b-31274da4fe08"
EMAIL = "alice@example.com"
PASSWORD = "Corr3ct horse battery staple!"
NEW_PASSWORD = "An0ther-horse-battery!"


def double(secret: str | None, **options: Any) -> CognitoDouble:
    """A pool with one app client (with or without a secret)."""
    made = CognitoDouble(POOL_ID, **options)
    made.add_client(CLIENT_ID, secret=secret)
    return made


def sign_in(made: CognitoDouble, secret: str | None, **options: Any) -> aws.AuthResult:
    """aws.authenticate by email alias through the double's boto3 client."""
    args: dict[str, Any] = {
        "pool_id": POOL_ID,
        "client_id": CLIENT_ID,
        "username": EMAIL,
        "password": PASSWORD,
        "client_secret": secret,
    }
    args.update(options)
    return aws.authenticate(made.client(), **args)


@pytest.mark.parametrize("secret", [None, SECRET])
def test_totp_mfa_through_answer(secret: str | None) -> None:
    """SOFTWARE_TOKEN_MFA: the code goes back with its Session, USERNAME and SECRET_HASH internal."""
    made = double(secret, mfa="ON")
    key = made.new_totp_secret()
    made.add_user(INTERNAL, PASSWORD, email=EMAIL, mfa=("SOFTWARE_TOKEN_MFA",), totp_secret=key)
    seen: list[Challenge] = []

    def answer(challenge: Challenge) -> dict[str, str]:
        seen.append(challenge)
        return {"SOFTWARE_TOKEN_MFA_CODE": totp(key, made.now)}

    result = sign_in(made, secret, answer=answer)
    assert result.signed_in and result.username == INTERNAL
    assert [c.challenge_name for c in seen] == ["SOFTWARE_TOKEN_MFA"]
    assert seen[0].username == INTERNAL
    sent = made.answer_to("SOFTWARE_TOKEN_MFA").request
    assert sent["Session"] == made.asked("SOFTWARE_TOKEN_MFA").response["Session"]
    assert sent["ChallengeResponses"]["USERNAME"] == INTERNAL
    if secret is not None:
        expected = ref.secret_hash(INTERNAL, CLIENT_ID, secret)
        assert sent["ChallengeResponses"]["SECRET_HASH"] == expected
    assert "Session" not in made.answer_to("PASSWORD_VERIFIER").request


def test_sms_after_select_mfa_type() -> None:
    """SELECT_MFA_TYPE then SMS_MFA, each answered in turn through the same callable."""
    made = double(SECRET, mfa="ON")
    key = made.new_totp_secret()
    made.add_user(
        INTERNAL,
        PASSWORD,
        email=EMAIL,
        phone_number="+15555550008",
        mfa=("SMS_MFA", "SOFTWARE_TOKEN_MFA"),
        totp_secret=key,
    )

    def answer(challenge: Challenge) -> dict[str, str]:
        if challenge.challenge_name == "SELECT_MFA_TYPE":
            return {"ANSWER": "SMS_MFA"}
        assert challenge.challenge_parameters["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"
        return {"SMS_MFA_CODE": made.outbox[-1].code}

    result = sign_in(made, SECRET, answer=answer)
    assert result.signed_in
    assert made.challenges() == ["PASSWORD_VERIFIER", "SELECT_MFA_TYPE", "SMS_MFA", "tokens"]


def test_wrong_mfa_code_reaches_the_caller() -> None:
    """CodeMismatchException is AWS's, raised unchanged."""
    made = double(None, mfa="ON")
    key = made.new_totp_secret()
    made.add_user(INTERNAL, PASSWORD, email=EMAIL, mfa=("SOFTWARE_TOKEN_MFA",), totp_secret=key)
    wrong = str((int(totp(key, made.now)) + 1) % 1_000_000).zfill(6)
    with pytest.raises(ClientError) as err:
        sign_in(made, None, answer=lambda _c: {"SOFTWARE_TOKEN_MFA_CODE": wrong})
    assert err.value.response["Error"]["Code"] == "CodeMismatchException"


def test_mfa_setup_with_the_new_session() -> None:
    """MFA_SETUP: the caller associates and verifies, and the Session Verify returned is sent."""
    made = double(SECRET, mfa="ON")
    made.add_user(INTERNAL, PASSWORD, email=EMAIL)
    client = made.client()

    def answer(challenge: Challenge) -> Answer:
        assert challenge.challenge_name == "MFA_SETUP"
        secret = client.associate_software_token(Session=challenge.session)
        verified = client.verify_software_token(
            Session=secret["Session"], UserCode=totp(secret["SecretCode"], made.now)
        )
        return Answer({}, session=verified["Session"])

    result = aws.authenticate(
        client,
        pool_id=POOL_ID,
        client_id=CLIENT_ID,
        username=EMAIL,
        password=PASSWORD,
        client_secret=SECRET,
        answer=answer,
    )
    assert result.signed_in


def test_new_password_required_with_a_required_attribute() -> None:
    """NEW_PASSWORD_REQUIRED with userAttributes.<name>, the answer over USER_ID_FOR_SRP."""
    made = double(SECRET, required_attributes=("name",))
    made.admin_create_user(INTERNAL, PASSWORD, email=EMAIL)

    def answer(challenge: Challenge) -> dict[str, str]:
        assert "userAttributes.name" in challenge.challenge_parameters["requiredAttributes"]
        return {"NEW_PASSWORD": NEW_PASSWORD, "userAttributes.name": "Alice"}

    assert sign_in(made, SECRET, answer=answer).signed_in
    assert sign_in(made, SECRET, password=NEW_PASSWORD).signed_in


def test_without_answer_the_challenge_is_pending() -> None:
    """No answer callable: the MFA challenge comes back with its Session, as before."""
    made = double(None, mfa="ON")
    key = made.new_totp_secret()
    made.add_user(INTERNAL, PASSWORD, email=EMAIL, mfa=("SOFTWARE_TOKEN_MFA",), totp_secret=key)
    result = sign_in(made, None)
    assert not result.signed_in and result.challenge_name == "SOFTWARE_TOKEN_MFA"
    assert result.session and result.username == INTERNAL


@pytest.mark.parametrize("secret", [None, SECRET])
def test_refresh_over_the_internal_name(secret: str | None) -> None:
    """REFRESH_TOKEN_AUTH: SECRET_HASH over USER_ID_FOR_SRP; the answer has no RefreshToken."""
    made = double(secret)
    made.add_user(INTERNAL, PASSWORD, email=EMAIL)
    first = sign_in(made, secret)
    assert first.authentication_result is not None
    again = aws.refresh(
        made.client(),
        client_id=CLIENT_ID,
        refresh_token=first.authentication_result["RefreshToken"],
        username=first.username,
        client_secret=secret,
    )
    assert again.signed_in and again.authentication_result is not None
    assert "RefreshToken" not in again.authentication_result


def test_refresh_by_alias_is_refused_by_aws() -> None:
    """The mistake srpkit's docs warn of: SECRET_HASH over the email fails at AWS, not silently."""
    made = double(SECRET)
    made.add_user(INTERNAL, PASSWORD, email=EMAIL)
    first = sign_in(made, SECRET)
    assert first.authentication_result is not None
    with pytest.raises(ClientError) as err:
        aws.refresh(
            made.client(),
            client_id=CLIENT_ID,
            refresh_token=first.authentication_result["RefreshToken"],
            username=EMAIL,
            client_secret=SECRET,
        )
    assert err.value.response["Error"]["Code"] == "NotAuthorizedException"


def test_rotation_through_get_tokens_from_refresh_token() -> None:
    """rotate=True: GetTokensFromRefreshToken with ClientSecret returns a new RefreshToken."""
    made = CognitoDouble(POOL_ID)
    made.add_client(CLIENT_ID, secret=SECRET, rotation=True)
    made.add_user(INTERNAL, PASSWORD, email=EMAIL)
    first = sign_in(made, SECRET)
    assert first.authentication_result is not None
    old = first.authentication_result["RefreshToken"]
    rotated = aws.refresh(
        made.client(), client_id=CLIENT_ID, refresh_token=old, client_secret=SECRET, rotate=True
    )
    assert rotated.authentication_result is not None
    assert rotated.authentication_result["RefreshToken"] != old
    assert made.answers("GetTokensFromRefreshToken")[0].request["ClientSecret"] == SECRET


def _remember(made: CognitoDouble, secret: str | None) -> tuple[aws.ConfirmedDevice, Any]:
    """Sign in, confirm the new device, sign in with it: (device, that sign-in's result)."""
    first = sign_in(made, secret)
    meta, tokens = first.new_device_metadata, first.authentication_result
    assert meta is not None and tokens is not None
    device = aws.confirm_device(
        made.client(),
        access_token=tokens["AccessToken"],
        device_key=meta["DeviceKey"],
        device_group_key=meta["DeviceGroupKey"],
    )
    with_device = sign_in(made, secret, device=device)
    assert with_device.signed_in and not with_device.device_forgotten
    return device, with_device


@pytest.mark.parametrize("secret", [None, SECRET])
def test_device_tokens_refresh_only_with_the_device_key(secret: str | None) -> None:
    """Tokens from a device sign-in: refused without DEVICE_KEY (as AWS does), refreshed with it."""
    made = double(secret, device_tracking=True)
    made.add_user(INTERNAL, PASSWORD, email=EMAIL)
    device, result = _remember(made, secret)
    token = result.authentication_result["RefreshToken"]
    common = {"client_id": CLIENT_ID, "refresh_token": token, "username": result.username}
    with pytest.raises(ClientError):
        aws.refresh(made.client(), client_secret=secret, **common)
    refreshed = aws.refresh(
        made.client(), client_secret=secret, device_key=device.device_key, **common
    )
    assert refreshed.signed_in


@pytest.mark.parametrize("secret", [None, SECRET])
def test_forgotten_device_signs_in_anew(secret: str | None) -> None:
    """Forgotten server-side: "Device does not exist." at PASSWORD_VERIFIER, one retry without it."""
    made = double(secret, device_tracking=True)
    made.add_user(INTERNAL, PASSWORD, email=EMAIL)
    device, _ = _remember(made, secret)
    made.forget_device(device.device_key)
    result = sign_in(made, secret, device=device)
    assert result.signed_in and result.device_forgotten
    meta = result.new_device_metadata
    assert meta is not None and meta["DeviceKey"] != device.device_key
    assert made.challenges()[-3:] == ["PASSWORD_VERIFIER", "ResourceNotFoundException", "tokens"]
    retried = made.answers("RespondToAuthChallenge")[-1].request["ChallengeResponses"]
    assert "DEVICE_KEY" not in retried


def test_admin_authenticate_signed() -> None:
    """AdminInitiateAuth + AdminRespondToAuthChallenge, signed, with ContextData."""
    made = double(SECRET)
    made.add_user(INTERNAL, PASSWORD, email=EMAIL)
    result = aws.admin_authenticate(
        made.client(),
        pool_id=POOL_ID,
        client_id=CLIENT_ID,
        username=EMAIL,
        password=PASSWORD,
        client_secret=SECRET,
        context_data={
            "IpAddress": "192.0.2.7",
            "ServerName": "app",
            "ServerPath": "/in",
            "HttpHeaders": [],
        },
    )
    assert result.signed_in and result.username == INTERNAL
    assert all(e.signed for e in made.exchanges)
    assert [e.operation for e in made.exchanges] == [
        "AdminInitiateAuth",
        "AdminRespondToAuthChallenge",
    ]


def test_sign_in_requests_are_unsigned_when_srpkit_builds_the_client() -> None:
    """The client srpkit builds sends no signature: sign-in needs no AWS credentials."""
    made = double(None)
    made.add_user(INTERNAL, PASSWORD, email=EMAIL)
    client = aws.cognito_client(POOL_ID)
    made.attach(client)
    result = aws.authenticate(
        client, pool_id=POOL_ID, client_id=CLIENT_ID, username=EMAIL, password=PASSWORD
    )
    assert result.signed_in
    assert not any(e.signed for e in made.exchanges)


def test_aio_mfa_device_and_forgotten_device() -> None:
    """srpkit.aio against the double over aiobotocore: MFA, device, forgotten device, refresh."""
    made = double(SECRET, mfa="OPTIONAL", device_tracking=True)
    key = made.new_totp_secret()
    made.add_user(INTERNAL, PASSWORD, email=EMAIL, mfa=("SOFTWARE_TOKEN_MFA",), totp_secret=key)

    async def answer(challenge: Challenge) -> dict[str, str]:
        return {"SOFTWARE_TOKEN_MFA_CODE": totp(key, made.now)}

    async def journey() -> None:
        async with made.aio_client() as client:
            common = {
                "pool_id": POOL_ID,
                "client_id": CLIENT_ID,
                "username": EMAIL,
                "password": PASSWORD,
                "client_secret": SECRET,
                "answer": answer,
            }
            first = await aio.authenticate(client, **common)
            meta, tokens = first.new_device_metadata, first.authentication_result
            assert first.signed_in and meta is not None and tokens is not None
            device = await aio.confirm_device(
                client,
                access_token=tokens["AccessToken"],
                device_key=meta["DeviceKey"],
                device_group_key=meta["DeviceGroupKey"],
            )
            second = await aio.authenticate(client, device=device, **common)
            assert second.signed_in and second.authentication_result is not None
            refreshed = await aio.refresh(
                client,
                client_id=CLIENT_ID,
                refresh_token=second.authentication_result["RefreshToken"],
                username=second.username,
                client_secret=SECRET,
                device_key=device.device_key,
            )
            assert refreshed.signed_in
            made.forget_device(device.device_key)
            third = await aio.authenticate(client, device=device, **common)
            assert third.signed_in and third.device_forgotten

    asyncio.run(journey())
