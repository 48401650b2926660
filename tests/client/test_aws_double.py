"""srpkit's client against CognitoDouble: a real boto3 client answered as Amazon Cognito was measured to answer.

Until these tests, srpkit's client was only run against srpkit's own server,
which shared its mistake of sending a Session with PASSWORD_VERIFIER. The double
(tests/aws_double.py) sends none, as AWS does (ministackorg/ministack#1758,
NabuCasa/pycognito#78), checks every proof with the independent tests/reference,
and prints SALT and SRP_B as Cognito prints numbers. Whether AWS sends a Session
with the device steps is not measured, so both are tested.
"""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Any

import pytest
from aws_double import INCORRECT, CognitoDouble, Exchange
from botocore.exceptions import ClientError
from reference import cognito_srp as ref

import srpkit
from srpkit.aws import AuthResult, ConfirmedDevice, authenticate, confirm_device

# Every test here runs SRP arithmetic: under both backends.
pytestmark = pytest.mark.usefixtures("srp_backend")

POOL_ID = "us-east-1_DoubLe7x9"
CLIENT_ID = "2d0ublec1ient0123456789ab"
CLIENT_SECRET = "d0uble-c1ient-secret-0123456789abcdefghijklmnopqrs"
USERNAME = "alice"
PASSWORD = "Corr3ct horse battery staple!"
INTERNAL_ID = "0e35cab5-c68c-450c-a97b-31274da4fe08"  # an email-as-username pool's internal name
EMAIL = "alice@example.com"
NOW = datetime(2026, 12, 1, 20, 5, 9, tzinfo=timezone.utc)  # "Tue Dec 1 20:05:09 UTC 2026"
SMALL_A = int("5eed" * 64, 16)
SMALL_A_DEVICE = int("de71ce" * 40, 16)
DEVICE_PASSWORD = base64.b64encode(bytes(range(40))).decode()
_TAIL = bytes(range(0x11, 0x20))  # the last 15 of a salt's 16 bytes
# SALT spellings, one per padHex class. "8ce8..." is a SALT real Cognito printed
# (floci-io/floci#1305): even length, top bit set, so clients must hash 00 8c e8 ...
USER_SALTS = {
    "odd-length": int("a" + "1f" * 15, 16),
    "top-bit-set": int("8ce8291892390f6b53a245933faf6164", 16),
    "top-bit-clear": int("5d" + "e3" * 15, 16),
    "negative": -int("6f" + "a1" * 15, 16),
}
# Device salts are the client's 16 random bytes, read by Cognito as a signed number.
# The official clients send padHex of them, so never a negative one; a raw top-bit
# byte string (the last case) is what Cognito would read as one.
DEVICE_SALTS = {
    "odd-length": int.from_bytes(b"\x0a" + _TAIL, "big"),
    "top-bit-set": int.from_bytes(b"\x9c" + _TAIL, "big"),
    "top-bit-clear": int.from_bytes(b"\x5d" + _TAIL, "big"),
    "negative": int.from_bytes(b"\x90" + _TAIL, "big", signed=True),
}


def salt_class(text: str) -> str:
    """The padHex class of a SALT as sent."""
    if text.startswith("-"):
        return "negative"
    if len(text) % 2:
        return "odd-length"
    return "top-bit-set" if text[0] in "89abcdef" else "top-bit-clear"


def make_double(
    *,
    secret: str | None = None,
    device_tracking: bool = False,
    device_session: bool = False,
    salt: int | None = None,
) -> tuple[CognitoDouble, Any]:
    """A pool with one app client and the user alice, and a boto3 client it answers."""
    double = CognitoDouble(POOL_ID, device_tracking=device_tracking, device_session=device_session)
    double.add_client(CLIENT_ID, secret=secret)
    double.add_user(USERNAME, PASSWORD, salt=salt)
    return double, double.client()


def sign_in(client: Any, **kwargs: Any) -> AuthResult:
    """srpkit.aws.authenticate against the double's pool as alice, unless told otherwise."""
    options: dict[str, Any] = {"username": USERNAME, "password": PASSWORD, **kwargs}
    return authenticate(client, pool_id=POOL_ID, client_id=CLIENT_ID, **options)


def challenges(double: CognitoDouble) -> list[str]:
    """What each sign-in answer of the double asked, or "tokens"."""
    return [
        e.response.get("ChallengeName", "tokens" if e.status == 200 else e.response["__type"])
        for e in double.exchanges
        if e.operation in ("InitiateAuth", "RespondToAuthChallenge")
    ]


def answer_to(double: CognitoDouble, challenge: str) -> Exchange:
    """The (last) request that answered ``challenge``."""
    return [
        e
        for e in double.answers("RespondToAuthChallenge")
        if e.request["ChallengeName"] == challenge
    ][-1]


def asked(double: CognitoDouble, challenge: str) -> Exchange:
    """The (last) exchange whose answer asked ``challenge``."""
    return [e for e in double.exchanges if e.response.get("ChallengeName") == challenge][-1]


def remember_device(
    double: CognitoDouble, client: Any, *, salt: int | None = None
) -> ConfirmedDevice:
    """Sign in once and ConfirmDevice the new device: with srpkit's verifier, or the reference's for ``salt``."""
    first = sign_in(client)
    meta = first.new_device_metadata
    assert first.authentication_result is not None and meta is not None
    token = first.authentication_result["AccessToken"]
    key, group = meta["DeviceKey"], meta["DeviceGroupKey"]
    if salt is None:
        return confirm_device(client, access_token=token, device_key=key, device_group_key=group)
    config = ref.device_verifier_config(group, key, DEVICE_PASSWORD, salt)
    client.confirm_device(AccessToken=token, DeviceKey=key, DeviceSecretVerifierConfig=config)
    return ConfirmedDevice(key, group, DEVICE_PASSWORD)


# -- user sign-in --------------------------------------------------------------------------
def test_sign_in_with_username() -> None:
    """USER_SRP_AUTH answered with a sessionless PASSWORD_VERIFIER signs in with every token."""
    double, client = make_double()
    result = sign_in(client)
    assert result.signed_in and result.username == USERNAME
    assert result.authentication_result is not None
    assert {"AccessToken", "IdToken", "RefreshToken", "ExpiresIn", "TokenType"} <= set(
        result.authentication_result
    )
    assert challenges(double) == ["PASSWORD_VERIFIER", "tokens"]
    challenge = asked(double, "PASSWORD_VERIFIER").response
    assert "Session" not in challenge
    assert set(challenge["ChallengeParameters"]) == {
        "SALT",
        "SECRET_BLOCK",
        "SRP_B",
        "USERNAME",
        "USER_ID_FOR_SRP",
    }


def test_sign_in_with_email_alias_of_a_uuid_username() -> None:
    """Signing in with the email signs and hashes under USER_ID_FOR_SRP, the internal UUID username."""
    double = CognitoDouble(POOL_ID)
    double.add_client(CLIENT_ID, secret=CLIENT_SECRET)
    double.add_user(INTERNAL_ID, PASSWORD, email=EMAIL)
    result = sign_in(double.client(), username=EMAIL, client_secret=CLIENT_SECRET)
    assert result.signed_in and result.username == INTERNAL_ID
    params = asked(double, "PASSWORD_VERIFIER").response["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == params["USERNAME"] == INTERNAL_ID
    assert (
        answer_to(double, "PASSWORD_VERIFIER").request["ChallengeResponses"]["USERNAME"]
        == INTERNAL_ID
    )


def test_sign_in_with_client_secret() -> None:
    """With an app client secret, SECRET_HASH goes with InitiateAuth and the answer, and the double accepts both."""
    double, client = make_double(secret=CLIENT_SECRET)
    assert sign_in(client, client_secret=CLIENT_SECRET).signed_in
    expected = ref.secret_hash(USERNAME, CLIENT_ID, CLIENT_SECRET)
    assert double.answers("InitiateAuth")[0].request["AuthParameters"]["SECRET_HASH"] == expected
    assert (
        answer_to(double, "PASSWORD_VERIFIER").request["ChallengeResponses"]["SECRET_HASH"]
        == expected
    )


@pytest.mark.parametrize("cls", sorted(USER_SALTS))
def test_user_salt_padding_classes(cls: str) -> None:
    """A SALT of every padHex class, printed as Cognito prints it, signs in."""
    double, client = make_double(salt=USER_SALTS[cls])
    assert sign_in(client).signed_in
    assert (
        salt_class(asked(double, "PASSWORD_VERIFIER").response["ChallengeParameters"]["SALT"])
        == cls
    )


def test_wrong_password_raises_not_authorized_unchanged() -> None:
    """A wrong password ends in the NotAuthorizedException boto3 raises from Cognito's answer, unchanged."""
    _, client = make_double()
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        sign_in(client, password=PASSWORD + "x")
    assert isinstance(caught.value, ClientError)
    assert caught.value.response["Error"] == {
        "Code": "NotAuthorizedException",
        "Message": INCORRECT,
    }
    assert caught.value.operation_name == "RespondToAuthChallenge"


def test_wrong_client_secret_raises_not_authorized() -> None:
    """A wrong client secret is refused at InitiateAuth with Cognito's secret-hash message."""
    _, client = make_double(secret=CLIENT_SECRET)
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        sign_in(client, client_secret=CLIENT_SECRET + "x")
    message = caught.value.response["Error"]["Message"]
    assert message == f"Unable to verify secret hash for client {CLIENT_ID}"


def test_unknown_user_raises_user_not_found_at_initiate() -> None:
    """An unknown user is UserNotFoundException at InitiateAuth, as measured, and nothing more is sent."""
    double, client = make_double()
    with pytest.raises(client.exceptions.UserNotFoundException):
        sign_in(client, username="mallory")
    assert [e.operation for e in double.exchanges] == ["InitiateAuth"]


# -- remembered devices --------------------------------------------------------------------
@pytest.mark.parametrize("device_session", [False, True], ids=["no-session", "session"])
def test_confirm_device_then_sign_in_with_it(device_session: bool) -> None:
    """confirm_device, then a sign-in through DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER, with or without Session."""
    double, client = make_double(device_tracking=True, device_session=device_session)
    device = remember_device(double, client)
    result = sign_in(client, device=device)
    assert result.signed_in and result.new_device_metadata is None
    assert challenges(double)[-4:] == [
        "PASSWORD_VERIFIER",
        "DEVICE_SRP_AUTH",
        "DEVICE_PASSWORD_VERIFIER",
        "tokens",
    ]
    for challenge in ("DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"):
        sent = asked(double, challenge).response
        assert ("Session" in sent) is device_session
        assert answer_to(double, challenge).request.get("Session") == sent.get("Session")


# Each salt class under one of the two Session behaviours: the salt's handling does
# not depend on the Session, and both behaviours are also tested above.
@pytest.mark.parametrize(
    ("cls", "device_session"),
    [("odd-length", True), ("top-bit-set", False), ("top-bit-clear", True), ("negative", False)],
)
def test_device_salt_padding_classes(cls: str, device_session: bool) -> None:
    """A device SALT of every padHex class, negative included, signs in with the device."""
    double, client = make_double(device_tracking=True, device_session=device_session)
    device = remember_device(double, client, salt=DEVICE_SALTS[cls])
    assert sign_in(client, device=device).signed_in
    sent = asked(double, "DEVICE_PASSWORD_VERIFIER").response["ChallengeParameters"]["SALT"]
    assert salt_class(sent) == cls


def test_wrong_device_password_is_refused() -> None:
    """The double checks the device proof: a device password other than the confirmed one is refused."""
    double, client = make_double(device_tracking=True)
    device = remember_device(double, client, salt=DEVICE_SALTS["top-bit-set"])
    wrong = ConfirmedDevice(device.device_key, device.device_group_key, DEVICE_PASSWORD[::-1])
    with pytest.raises(client.exceptions.NotAuthorizedException):
        sign_in(client, device=wrong)
    assert challenges(double)[-1] == "NotAuthorizedException"
    assert answer_to(double, "DEVICE_PASSWORD_VERIFIER").status == 400


def test_srpkit_sends_no_session_the_double_did_not_send() -> None:
    """Over an alias sign-in, ConfirmDevice and a device sign-in, no request srpkit sends carries a Session."""
    double = CognitoDouble(POOL_ID, device_tracking=True)
    double.add_client(CLIENT_ID, secret=CLIENT_SECRET)
    double.add_user(INTERNAL_ID, PASSWORD, email=EMAIL)
    client = double.client()
    first = sign_in(client, username=EMAIL, client_secret=CLIENT_SECRET)
    meta = first.new_device_metadata
    assert first.authentication_result is not None and meta is not None
    device = confirm_device(
        client,
        access_token=first.authentication_result["AccessToken"],
        device_key=meta["DeviceKey"],
        device_group_key=meta["DeviceGroupKey"],
    )
    assert sign_in(client, username=EMAIL, client_secret=CLIENT_SECRET, device=device).signed_in
    assert not any("Session" in e.response for e in double.exchanges)
    assert len(double.answers("RespondToAuthChallenge")) == 4
    assert not any("Session" in e.request for e in double.exchanges)


# -- the public builders, driven by hand ---------------------------------------------------
def test_builders_answer_a_sessionless_password_verifier() -> None:
    """The builders answer a PASSWORD_VERIFIER that has no Session with a body that has none, and get tokens."""
    _, client = make_double()
    user = srpkit.UserSRP(POOL_ID, CLIENT_ID, USERNAME, PASSWORD, small_a=SMALL_A)
    first = client.initiate_auth(**srpkit.user_srp_auth_request(user))
    # The shape printed from AWS in NabuCasa/pycognito#78: no Session key at all.
    assert set(first) == {"ChallengeName", "ChallengeParameters", "ResponseMetadata"}
    body = srpkit.password_verifier_request(user, first, now=NOW)
    assert "Session" not in body
    assert body["ChallengeResponses"]["TIMESTAMP"] == "Tue Dec 1 20:05:09 UTC 2026"
    assert "AccessToken" in client.respond_to_auth_challenge(**body)["AuthenticationResult"]


@pytest.mark.parametrize("device_session", [False, True], ids=["no-session", "session"])
def test_builders_pass_device_sessions_back(device_session: bool) -> None:
    """The device step builders send back exactly the Session their response carried, or none, and sign in."""
    double, client = make_double(device_tracking=True, device_session=device_session)
    device = remember_device(double, client, salt=DEVICE_SALTS["top-bit-clear"])
    user = srpkit.UserSRP(
        POOL_ID, CLIENT_ID, USERNAME, PASSWORD, device_key=device.device_key, small_a=SMALL_A
    )
    first = client.initiate_auth(**srpkit.user_srp_auth_request(user))
    second = client.respond_to_auth_challenge(
        **srpkit.password_verifier_request(user, first, now=NOW)
    )
    assert second["ChallengeName"] == "DEVICE_SRP_AUTH"
    assert ("Session" in second) is device_session
    dev = user.device_srp(
        device.device_group_key,
        device.password,
        first["ChallengeParameters"],
        small_a=SMALL_A_DEVICE,
    )
    body = srpkit.device_srp_auth_request(dev, second)
    assert body.get("Session") == second.get("Session")
    third = client.respond_to_auth_challenge(**body)
    assert third["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    body = srpkit.device_password_verifier_request(dev, third, now=NOW)
    assert body.get("Session") == third.get("Session")
    assert "AccessToken" in client.respond_to_auth_challenge(**body)["AuthenticationResult"]


def test_password_verifier_request_passes_a_given_session_back() -> None:
    """A PASSWORD_VERIFIER response that does carry a Session gets it back in the answer."""
    _, client = make_double()
    user = srpkit.UserSRP(POOL_ID, CLIENT_ID, USERNAME, PASSWORD, small_a=SMALL_A)
    first = client.initiate_auth(**srpkit.user_srp_auth_request(user))
    session = "s" * 40
    body = srpkit.password_verifier_request(user, {**first, "Session": session}, now=NOW)
    assert body["Session"] == session


# -- the double refuses what Cognito refuses, so a sign-in that passes means something ----
def _tamper(body: dict[str, Any], bug: str) -> None:
    responses = body["ChallengeResponses"]
    if bug == "signature":
        responses["PASSWORD_CLAIM_SIGNATURE"] = ref.signature(
            b"\0" * 16, "x", "y", b"", responses["TIMESTAMP"]
        )
    elif bug == "padded day":
        responses["TIMESTAMP"] = "Tue Dec 01 20:05:09 UTC 2026"
    elif bug == "wrong weekday":
        responses["TIMESTAMP"] = "Wed Dec 1 20:05:09 UTC 2026"
    elif bug == "alias as USERNAME":
        responses["USERNAME"] = EMAIL


@pytest.mark.parametrize(
    "bug", ["signature", "padded day", "wrong weekday", "alias as USERNAME", "replayed block"]
)
def test_double_refuses_a_wrong_answer(bug: str) -> None:
    """A bad signature, TIMESTAMP spelling, USERNAME or a reused SECRET_BLOCK is NotAuthorizedException, as measured."""
    double = CognitoDouble(POOL_ID)
    double.add_client(CLIENT_ID)
    double.add_user(INTERNAL_ID, PASSWORD, email=EMAIL)
    client = double.client()
    user = srpkit.UserSRP(POOL_ID, CLIENT_ID, EMAIL, PASSWORD, small_a=SMALL_A)
    first = client.initiate_auth(**srpkit.user_srp_auth_request(user))
    body = srpkit.password_verifier_request(user, first, now=NOW)
    if bug == "replayed block":
        client.respond_to_auth_challenge(**body)
    else:
        _tamper(body, bug)
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        client.respond_to_auth_challenge(**body)
    assert caught.value.response["Error"]["Message"] == INCORRECT
