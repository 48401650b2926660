"""srpkit's client against CognitoDouble: a real boto3 client answered as Amazon Cognito was measured to answer.

Until these tests, srpkit's client was only run against srpkit's own server,
which shared its mistake of sending a Session with PASSWORD_VERIFIER. The double
(tests/aws_double.py) sends none, as AWS does (ministackorg/ministack#1758,
NabuCasa/pycognito#78), checks every proof with the independent tests/reference,
and prints SALT and SRP_B as Cognito prints numbers. Whether AWS sends a Session
with the device steps is not measured, so both are tested.

The second half tests the double alone through tests/aws_double_client.py (the
reference's client, no srpkit): what journeys rely on happens, and what Cognito
refuses is refused, so a journey that passes against the double means something.
"""

from __future__ import annotations

import ast
import asyncio
import base64
import json
from datetime import datetime, timezone
from typing import Any

import pytest
from aws_double import INCORRECT, INVALID_SESSION, CognitoDouble, totp
from aws_double_client import RefSignIn, aio_sign_in, refresh, remember
from botocore import UNSIGNED
from botocore.exceptions import ClientError
from paths import TESTS
from reference import cognito_srp as ref

import srpkit
from srpkit.aws import AuthResult, ConfirmedDevice, authenticate, confirm_device

# srpkit's SRP arithmetic runs under both backends; the tests of the double alone
# (the second half, reference only) run once.
BOTH_BACKENDS = pytest.mark.usefixtures("srp_backend")

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


def pool(
    *users: str, secret: str | None = None, salt: int | None = None, **options: Any
) -> tuple[CognitoDouble, Any]:
    """A double with one app client (``secret``), ``users`` with PASSWORD (and ``salt``), a boto3 client."""
    double = CognitoDouble(POOL_ID, **options)
    double.add_client(CLIENT_ID, secret=secret)
    for name in users:
        double.add_user(name, PASSWORD, salt=salt)
    return double, double.client()


def sign_in(client: Any, **kwargs: Any) -> AuthResult:
    """srpkit.aws.authenticate against the double's pool as alice, unless told otherwise."""
    options: dict[str, Any] = {"username": USERNAME, "password": PASSWORD, **kwargs}
    return authenticate(client, pool_id=POOL_ID, client_id=CLIENT_ID, **options)


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
@BOTH_BACKENDS
def test_sign_in_with_username() -> None:
    """USER_SRP_AUTH answered with a sessionless PASSWORD_VERIFIER signs in with every token."""
    double, client = pool(USERNAME)
    result = sign_in(client)
    assert result.signed_in and result.username == USERNAME
    assert result.authentication_result is not None
    assert {"AccessToken", "IdToken", "RefreshToken", "ExpiresIn", "TokenType"} <= set(
        result.authentication_result
    )
    assert double.challenges() == ["PASSWORD_VERIFIER", "tokens"]
    challenge = double.asked("PASSWORD_VERIFIER").response
    assert "Session" not in challenge
    assert set(challenge["ChallengeParameters"]) == {
        "SALT",
        "SECRET_BLOCK",
        "SRP_B",
        "USERNAME",
        "USER_ID_FOR_SRP",
    }


@BOTH_BACKENDS
def test_sign_in_with_email_alias_of_a_uuid_username() -> None:
    """Signing in with the email signs and hashes under USER_ID_FOR_SRP, the internal UUID username."""
    double = CognitoDouble(POOL_ID)
    double.add_client(CLIENT_ID, secret=CLIENT_SECRET)
    double.add_user(INTERNAL_ID, PASSWORD, email=EMAIL)
    result = sign_in(double.client(), username=EMAIL, client_secret=CLIENT_SECRET)
    assert result.signed_in and result.username == INTERNAL_ID
    params = double.asked("PASSWORD_VERIFIER").response["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == params["USERNAME"] == INTERNAL_ID
    assert (
        double.answer_to("PASSWORD_VERIFIER").request["ChallengeResponses"]["USERNAME"]
        == INTERNAL_ID
    )


@BOTH_BACKENDS
def test_sign_in_with_client_secret() -> None:
    """With an app client secret, SECRET_HASH goes with InitiateAuth and the answer, and the double accepts both."""
    double, client = pool(USERNAME, secret=CLIENT_SECRET)
    assert sign_in(client, client_secret=CLIENT_SECRET).signed_in
    expected = ref.secret_hash(USERNAME, CLIENT_ID, CLIENT_SECRET)
    assert double.answers("InitiateAuth")[0].request["AuthParameters"]["SECRET_HASH"] == expected
    assert (
        double.answer_to("PASSWORD_VERIFIER").request["ChallengeResponses"]["SECRET_HASH"]
        == expected
    )


@BOTH_BACKENDS
@pytest.mark.parametrize("cls", sorted(USER_SALTS))
def test_user_salt_padding_classes(cls: str) -> None:
    """A SALT of every padHex class, printed as Cognito prints it, signs in."""
    double, client = pool(USERNAME, salt=USER_SALTS[cls])
    assert sign_in(client).signed_in
    assert (
        salt_class(double.asked("PASSWORD_VERIFIER").response["ChallengeParameters"]["SALT"]) == cls
    )


@BOTH_BACKENDS
def test_wrong_password_raises_not_authorized_unchanged() -> None:
    """A wrong password ends in the NotAuthorizedException boto3 raises from Cognito's answer, unchanged."""
    _, client = pool(USERNAME)
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        sign_in(client, password=PASSWORD + "x")
    assert isinstance(caught.value, ClientError)
    assert caught.value.response["Error"] == {
        "Code": "NotAuthorizedException",
        "Message": INCORRECT,
    }
    assert caught.value.operation_name == "RespondToAuthChallenge"


@BOTH_BACKENDS
def test_wrong_client_secret_raises_not_authorized() -> None:
    """A wrong client secret is refused at InitiateAuth with Cognito's secret-hash message."""
    _, client = pool(USERNAME, secret=CLIENT_SECRET)
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        sign_in(client, client_secret=CLIENT_SECRET + "x")
    message = caught.value.response["Error"]["Message"]
    assert message == f"Unable to verify secret hash for client {CLIENT_ID}"


@BOTH_BACKENDS
def test_unknown_user_raises_user_not_found_at_initiate() -> None:
    """An unknown user is UserNotFoundException at InitiateAuth, as measured, and nothing more is sent."""
    double, client = pool(USERNAME)
    with pytest.raises(client.exceptions.UserNotFoundException):
        sign_in(client, username="mallory")
    assert [e.operation for e in double.exchanges] == ["InitiateAuth"]


# -- remembered devices --------------------------------------------------------------------
@BOTH_BACKENDS
@pytest.mark.parametrize("device_session", [False, True], ids=["no-session", "session"])
def test_confirm_device_then_sign_in_with_it(device_session: bool) -> None:
    """confirm_device, then a sign-in through DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER, with or without Session."""
    double, client = pool(USERNAME, device_tracking=True, device_session=device_session)
    device = remember_device(double, client)
    result = sign_in(client, device=device)
    assert result.signed_in and result.new_device_metadata is None
    assert double.challenges()[-4:] == [
        "PASSWORD_VERIFIER",
        "DEVICE_SRP_AUTH",
        "DEVICE_PASSWORD_VERIFIER",
        "tokens",
    ]
    for challenge in ("DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"):
        sent = double.asked(challenge).response
        assert ("Session" in sent) is device_session
        assert double.answer_to(challenge).request.get("Session") == sent.get("Session")


# Each salt class under one of the two Session behaviours: the salt's handling does
# not depend on the Session, and both behaviours are also tested above.
@BOTH_BACKENDS
@pytest.mark.parametrize(
    ("cls", "device_session"),
    [("odd-length", True), ("top-bit-set", False), ("top-bit-clear", True), ("negative", False)],
)
def test_device_salt_padding_classes(cls: str, device_session: bool) -> None:
    """A device SALT of every padHex class, negative included, signs in with the device."""
    double, client = pool(USERNAME, device_tracking=True, device_session=device_session)
    device = remember_device(double, client, salt=DEVICE_SALTS[cls])
    assert sign_in(client, device=device).signed_in
    sent = double.asked("DEVICE_PASSWORD_VERIFIER").response["ChallengeParameters"]["SALT"]
    assert salt_class(sent) == cls


@BOTH_BACKENDS
def test_wrong_device_password_is_refused() -> None:
    """The double checks the device proof: a device password other than the confirmed one is refused."""
    double, client = pool(USERNAME, device_tracking=True)
    device = remember_device(double, client, salt=DEVICE_SALTS["top-bit-set"])
    wrong = ConfirmedDevice(device.device_key, device.device_group_key, DEVICE_PASSWORD[::-1])
    with pytest.raises(client.exceptions.NotAuthorizedException):
        sign_in(client, device=wrong)
    assert double.challenges()[-1] == "NotAuthorizedException"
    assert double.answer_to("DEVICE_PASSWORD_VERIFIER").status == 400


@BOTH_BACKENDS
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
@BOTH_BACKENDS
def test_builders_answer_a_sessionless_password_verifier() -> None:
    """The builders answer a PASSWORD_VERIFIER that has no Session with a body that has none, and get tokens."""
    _, client = pool(USERNAME)
    user = srpkit.UserSRP(POOL_ID, CLIENT_ID, USERNAME, PASSWORD, small_a=SMALL_A)
    first = client.initiate_auth(**srpkit.user_srp_auth_request(user))
    # The shape printed from AWS in NabuCasa/pycognito#78: no Session key at all.
    assert set(first) == {"ChallengeName", "ChallengeParameters", "ResponseMetadata"}
    body = srpkit.password_verifier_request(user, first, now=NOW)
    assert "Session" not in body
    assert body["ChallengeResponses"]["TIMESTAMP"] == "Tue Dec 1 20:05:09 UTC 2026"
    assert "AccessToken" in client.respond_to_auth_challenge(**body)["AuthenticationResult"]


@BOTH_BACKENDS
@pytest.mark.parametrize("device_session", [False, True], ids=["no-session", "session"])
def test_builders_pass_device_sessions_back(device_session: bool) -> None:
    """The device step builders send back exactly the Session their response carried, or none, and sign in."""
    double, client = pool(USERNAME, device_tracking=True, device_session=device_session)
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


# -- the double alone, driven by the reference client -------------------------------------
TOTP_SECRET = base64.b32encode(b"12345678901234567890").decode()  # RFC 6238's SHA-1 seed
PHONE = "+15555550008"
TOTP_USER: dict[str, Any] = {"mfa": ("SOFTWARE_TOKEN_MFA",), "totp_secret": TOTP_SECRET}
WRONG_HASH = f"Unable to verify secret hash for client {CLIENT_ID}"


def signer(client: Any, name: str = USERNAME, password: str = PASSWORD, **kw: Any) -> RefSignIn:
    """The reference client signing in to the double's pool."""
    return RefSignIn(client, POOL_ID, CLIENT_ID, name, password, **kw)


def totp_now(double: CognitoDouble) -> dict[str, str]:
    """A SOFTWARE_TOKEN_MFA answer for TOTP_SECRET at the double's clock."""
    return {"SOFTWARE_TOKEN_MFA_CODE": totp(TOTP_SECRET, double.now)}


def message(caught: pytest.ExceptionInfo[ClientError]) -> str:
    """The Message of an AWS error as boto3 raised it."""
    return str(caught.value.response["Error"]["Message"])


def test_double_modules_import_nothing_of_srpkit() -> None:
    """Every module of the double and of its reference client imports nothing of srpkit."""
    for path in sorted(TESTS.glob("aws_double*.py")):
        tree = ast.parse(path.read_text())
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(name.split(".")[0] == "srpkit" for name in names), path.name


@pytest.mark.parametrize(("at", "code"), [(59, "94287082"), (2000000000, "69279037")])
def test_totp_is_rfc_6238(at: int, code: str) -> None:
    """The double's TOTP gives RFC 6238 Appendix B's SHA-1 codes; six digits are their last six."""
    assert (totp(TOTP_SECRET, at, digits=8), totp(TOTP_SECRET, at)) == (code, code[2:])


def test_software_token_mfa_needs_its_session_and_the_right_code() -> None:
    """SOFTWARE_TOKEN_MFA has a Session; a wrong code keeps it; the right one spends it; late is expired."""
    double, client = pool(mfa="OPTIONAL")
    double.add_user(USERNAME, PASSWORD, **TOTP_USER)
    me = signer(client)
    mfa = me.run()
    assert mfa["ChallengeName"] == "SOFTWARE_TOKEN_MFA" and mfa["Session"]
    assert "Session" not in double.answer_to("PASSWORD_VERIFIER").request
    wrong = {"SOFTWARE_TOKEN_MFA_CODE": f"{(int(totp(TOTP_SECRET, double.now)) + 1) % 10**6:06d}"}
    with pytest.raises(client.exceptions.CodeMismatchException) as caught:
        me.respond(mfa, wrong)
    assert message(caught) == "Invalid code received for user"
    assert "AccessToken" in me.respond(mfa, totp_now(double))["AuthenticationResult"]
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        me.respond(mfa, totp_now(double))
    assert message(caught) == INVALID_SESSION
    late = signer(client).run()
    double.now += 181  # AuthSessionValidity: 3 minutes
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        me.respond(late, totp_now(double))
    assert message(caught) == "Invalid session for the user, session is expired."


@pytest.mark.parametrize(
    ("kind", "delivery"),
    [("SMS_MFA", ("SMS", "+*******0008")), ("EMAIL_OTP", ("EMAIL", "a***@e***"))],
)
def test_sms_and_email_codes(kind: str, delivery: tuple[str, str]) -> None:
    """SMS_MFA and EMAIL_OTP name the delivery; the code sent signs in, but not without the Session."""
    double, client = pool(mfa="OPTIONAL")
    double.add_user(USERNAME, PASSWORD, email=EMAIL, phone_number=PHONE, mfa=(kind,))
    mfa = (me := signer(client)).run()
    params = mfa["ChallengeParameters"]
    assert [params[k] for k in sorted(params)] == list(delivery)  # MEDIUM, DESTINATION
    code = {f"{kind}_CODE": double.outbox[-1].code}
    with pytest.raises(client.exceptions.InvalidParameterException):
        me.respond(mfa, code, session=None)
    assert "AccessToken" in me.respond(mfa, code)["AuthenticationResult"]


def test_select_mfa_type_leads_to_the_chosen_challenge() -> None:
    """Two MFA types and no preference: SELECT_MFA_TYPE lists both as JSON, and ANSWER picks one."""
    double, client = pool(mfa="OPTIONAL")
    both = ("SMS_MFA", "SOFTWARE_TOKEN_MFA")
    double.add_user(USERNAME, PASSWORD, phone_number=PHONE, mfa=both, totp_secret=TOTP_SECRET)
    select = (me := signer(client)).run()
    assert json.loads(select["ChallengeParameters"]["MFAS_CAN_CHOOSE"]) == list(both)
    chosen = me.respond(select, {"ANSWER": "SOFTWARE_TOKEN_MFA"})
    assert chosen["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert chosen["Session"] != select["Session"]
    assert "AccessToken" in me.respond(chosen, totp_now(double))["AuthenticationResult"]


def test_mfa_setup_associates_then_verifies_a_software_token() -> None:
    """MFA required and none set up: MFA_SETUP, then Associate and Verify each hand the next Session on."""
    double, client = pool(USERNAME, mfa="ON")
    me = signer(client)
    setup = me.run()
    assert json.loads(setup["ChallengeParameters"]["MFAS_CAN_SETUP"]) == ["SOFTWARE_TOKEN_MFA"]
    associated = client.associate_software_token(Session=setup["Session"])
    verify = {"Session": associated["Session"]}
    with pytest.raises(client.exceptions.EnableSoftwareTokenMFAException):
        client.verify_software_token(UserCode="000000", **verify)
    code = totp(associated["SecretCode"], double.now)
    verified = client.verify_software_token(UserCode=code, **verify)
    assert verified["Status"] == "SUCCESS"
    with pytest.raises(client.exceptions.NotAuthorizedException):
        me.respond(setup, {})  # AssociateSoftwareToken spent the first Session
    assert "AuthenticationResult" in me.respond({**setup, "Session": verified["Session"]}, {})
    assert signer(client).run()["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_new_password_required_for_an_admin_created_user() -> None:
    """FORCE_CHANGE_PASSWORD: NEW_PASSWORD_REQUIRED with JSON attributes; a missing required one is refused."""
    double, client = pool(required_attributes=("name",))
    double.admin_create_user(INTERNAL_ID, "Temp0rary!", email=EMAIL)
    me = signer(client, EMAIL, "Temp0rary!")
    new = me.run()
    params = new["ChallengeParameters"]
    assert (
        new["ChallengeName"] == "NEW_PASSWORD_REQUIRED" and params["USER_ID_FOR_SRP"] == INTERNAL_ID
    )
    assert json.loads(params["requiredAttributes"]) == ["userAttributes.name"]
    assert json.loads(params["userAttributes"])["email"] == EMAIL and new["Session"]
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        me.respond(new, {"NEW_PASSWORD": PASSWORD})
    assert message(caught) == "Invalid attributes given, name is missing"
    answers = {"NEW_PASSWORD": PASSWORD, "userAttributes.name": "Alice"}
    assert "AccessToken" in me.respond(new, answers)["AuthenticationResult"]
    assert "AuthenticationResult" in signer(client, EMAIL).run()


@pytest.mark.parametrize("where", ["PASSWORD_VERIFIER", "SOFTWARE_TOKEN_MFA"])
@pytest.mark.parametrize(
    ("wrong", "expected"), [({"username": EMAIL}, INCORRECT), ({"hash_name": EMAIL}, WRONG_HASH)]
)
def test_internal_name_after_initiate(where: str, wrong: dict[str, str], expected: str) -> None:
    """With a client secret, InitiateAuth hashes the typed alias; a later step naming or hashing it is refused."""
    double, client = pool(secret=CLIENT_SECRET, mfa="OPTIONAL")
    double.add_user(INTERNAL_ID, PASSWORD, email=EMAIL, **TOTP_USER)
    me = signer(client, EMAIL, secret=CLIENT_SECRET)
    with pytest.raises(client.exceptions.NotAuthorizedException):
        me.initiate(SECRET_HASH=ref.secret_hash(INTERNAL_ID, CLIENT_ID, CLIENT_SECRET))
    last = first = me.initiate()
    answers = me.password_claim(first)
    if where == "SOFTWARE_TOKEN_MFA":
        last = me.respond(first, answers)
        answers = totp_now(double)
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        me.respond(last, answers, **wrong)
    assert message(caught) == expected


BUGS = {
    "signature": {"PASSWORD_CLAIM_SIGNATURE": base64.b64encode(bytes(32)).decode()},
    "padded day": {"TIMESTAMP": "Tue Dec 01 20:05:09 UTC 2026"},
    "wrong weekday": {"TIMESTAMP": "Wed Dec 1 20:05:09 UTC 2026"},
}


@pytest.mark.parametrize("bug", [*BUGS, "alias as USERNAME", "replayed block"])
def test_double_refuses_a_wrong_password_claim(bug: str) -> None:
    """A bad signature, TIMESTAMP spelling, USERNAME or a reused SECRET_BLOCK: "Incorrect username or password."."""
    double, client = pool()
    double.add_user(INTERNAL_ID, PASSWORD, email=EMAIL)
    me = signer(client, EMAIL)
    first = me.initiate()
    claim = me.password_claim(first)
    if bug == "replayed block":
        me.respond(first, claim)
    wrong = {"username": EMAIL} if bug == "alias as USERNAME" else {}
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        me.respond(first, claim | BUGS.get(bug, {}), **wrong)
    assert message(caught) == INCORRECT


def test_refresh_hashes_the_internal_name_answers_no_refresh_token_and_ends_when_revoked() -> None:
    """SECRET_HASH over the internal name, not the alias; no new RefreshToken; revoked or unknown: refused."""
    double, client = pool(secret=CLIENT_SECRET)
    double.add_user(INTERNAL_ID, PASSWORD, email=EMAIL)
    token = signer(client, EMAIL, secret=CLIENT_SECRET).tokens()["RefreshToken"]
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        refresh(client, CLIENT_ID, token, hashed=(EMAIL, CLIENT_SECRET))
    assert message(caught) == WRONG_HASH
    result = refresh(client, CLIENT_ID, token, hashed=(INTERNAL_ID, CLIENT_SECRET))
    assert {"AccessToken", "IdToken"} <= set(result["AuthenticationResult"])
    assert "RefreshToken" not in result["AuthenticationResult"]
    kept = client.get_tokens_from_refresh_token(
        RefreshToken=token, ClientId=CLIENT_ID, ClientSecret=CLIENT_SECRET
    )
    assert "RefreshToken" not in kept["AuthenticationResult"]  # no rotation
    client.revoke_token(Token=token, ClientId=CLIENT_ID, ClientSecret=CLIENT_SECRET)
    for sent, text in [
        (token, "Refresh Token has been revoked"),
        ("x" * 9, "Invalid Refresh Token."),
    ]:
        with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
            refresh(client, CLIENT_ID, sent, hashed=(INTERNAL_ID, CLIENT_SECRET))
        assert message(caught) == text


def test_rotation_answers_a_new_refresh_token_and_retires_the_old_after_its_grace() -> None:
    """A rotating client: a new RefreshToken; the old works in the grace, not after; no REFRESH_TOKEN_AUTH."""
    double, client = pool(USERNAME)
    double.add_client("r0tating", secret=CLIENT_SECRET, rotation=True, grace_seconds=10)
    me = RefSignIn(client, POOL_ID, "r0tating", USERNAME, PASSWORD, secret=CLIENT_SECRET)
    old = me.tokens()["RefreshToken"]

    def rotate(token: str, secret: str = CLIENT_SECRET) -> str:
        sent = {"RefreshToken": token, "ClientId": "r0tating", "ClientSecret": secret}
        answer = client.get_tokens_from_refresh_token(**sent)
        return str(answer["AuthenticationResult"]["RefreshToken"])

    new = rotate(old)
    assert new != old and rotate(old)  # a retry within the grace
    with pytest.raises(client.exceptions.NotAuthorizedException):
        rotate(new, secret="not-" + CLIENT_SECRET)
    double.now += 10
    with pytest.raises(client.exceptions.RefreshTokenReuseException):
        rotate(old)
    with pytest.raises(client.exceptions.InvalidParameterException):
        refresh(client, "r0tating", new, hashed=(USERNAME, CLIENT_SECRET))


def test_admin_srp_is_signed_names_the_pool_and_does_not_mix_with_the_public_steps() -> None:
    """Admin USER_SRP_AUTH signs in, signed; unsigned or another pool is refused; its block is admin-only."""
    double, client = pool(USERNAME)
    assert "AccessToken" in signer(client, admin=True).tokens()
    assert [e.signed for e in double.exchanges] == [True, True]  # botocore signs admin calls
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        RefSignIn(client, "us-east-1_0ther", CLIENT_ID, USERNAME, PASSWORD, admin=True).initiate()
    with pytest.raises(ClientError) as caught:
        signer(double.client(signature_version=UNSIGNED), admin=True).initiate()
    assert caught.value.response["Error"]["Code"] == "MissingAuthenticationTokenException"
    admin = signer(client, admin=True)
    first = admin.initiate()
    with pytest.raises(client.exceptions.NotAuthorizedException):
        signer(client).respond(first, admin.password_claim(first))


def test_device_refresh_and_forgotten_device() -> None:
    """A device's refresh needs its DEVICE_KEY; forgotten, it is "Device does not exist."; resent without it, in."""
    double, client = pool(USERNAME, device_tracking=True)
    tokens = signer(client).tokens()
    device = remember(client, tokens, salt=0x5D11, password="pw")
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        refresh(client, CLIENT_ID, tokens["RefreshToken"])
    assert message(caught) == "Invalid Refresh Token."
    assert "AuthenticationResult" in refresh(
        client, CLIENT_ID, tokens["RefreshToken"], DEVICE_KEY=device.key
    )
    assert "AccessToken" in signer(client, device=device).tokens()
    assert double.challenges()[-3:] == ["DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", "tokens"]
    double.forget_device(device.key)
    me = signer(client, device=device)
    first = me.initiate()
    claim = me.password_claim(first)
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        me.respond(first, claim)
    assert message(caught) == "Device does not exist."
    del claim["DEVICE_KEY"]  # amazon-cognito-identity-js's retry: the same block and signature
    result = me.respond(first, claim)["AuthenticationResult"]
    assert result["NewDeviceMetadata"]["DeviceKey"] != device.key
    with pytest.raises(client.exceptions.NotAuthorizedException):
        refresh(client, CLIENT_ID, tokens["RefreshToken"], DEVICE_KEY=device.key)


def test_aiobotocore_client_is_answered_the_same() -> None:
    """An aiobotocore client signs in through the double, and its errors are aiobotocore's typed exceptions."""
    double, _ = pool(USERNAME)

    async def journey() -> dict[str, Any]:
        async with double.aio_client() as client:
            body, tokens = await aio_sign_in(client, POOL_ID, CLIENT_ID, USERNAME, PASSWORD)
            with pytest.raises(client.exceptions.NotAuthorizedException):
                await client.respond_to_auth_challenge(**body)  # one answer per SECRET_BLOCK
            return tokens

    assert "AccessToken" in asyncio.run(journey())["AuthenticationResult"]
