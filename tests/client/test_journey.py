"""The sign-in state machine step by step, fed scripted responses (no client, no network).

Each test plays the server's side by hand, so it can say exactly which Session,
USERNAME, SECRET_HASH and DEVICE_KEY every request carries: the rules users get
wrong (after the first step, USERNAME and SECRET_HASH are over USER_ID_FOR_SRP,
and the Session travels where AWS sends one) are checked on the bodies.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from reference import cognito_srp as ref

from srpkit import InvalidChallengeError, InvalidInputError, ParameterTypeError, secret_hash
from srpkit._client.journey import Call, Operation, SignIn
from srpkit._client.results import Answer, AuthResult, ConfirmedDevice

pytestmark = pytest.mark.usefixtures("srp_backend")

POOL_ID = "eu-west-1_J0urNey42"
CLIENT_ID = "j0urneyc1ient0123456789ab"
SECRET = "j0urney-client-secret-0123456789abcdefghijklmnopq"
ALIAS = "alice@example.com"
INTERNAL = "6f1c2a3b-0000-4c5d-9e8f-0123456789ab"
PASSWORD = "Corr3ct horse battery staple!"
SESSION = "S" * 40
TOKENS = {"AccessToken": "a.b.c", "IdToken": "i.d.t", "RefreshToken": "r", "ExpiresIn": 3600}
DEVICE = ConfirmedDevice("eu-west-1_0b7c1e2d-aaaa-bbbb-cccc-0123456789ab", "-Gr0upKey", "pw" * 20)


def password_verifier(*, session: str | None = None, user_id: str = INTERNAL) -> dict[str, Any]:
    """A PASSWORD_VERIFIER challenge as AWS sends it (no Session unless asked)."""
    response: dict[str, Any] = {
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": "8ce8a2c5c7e1d0b9a4f3e2d1c0b9a8f7",
            "SRP_B": ref.java_hex(ref.server_public(ref.verifier(12345), 6789)),
            "SECRET_BLOCK": base64.b64encode(b"block" * 40).decode(),
            "USERNAME": user_id,
            "USER_ID_FOR_SRP": user_id,
        },
    }
    if session is not None:
        response["Session"] = session
    return response


def mfa(name: str = "SOFTWARE_TOKEN_MFA") -> dict[str, Any]:
    """An MFA challenge, which AWS always asks with a Session."""
    return {"ChallengeName": name, "Session": SESSION, "ChallengeParameters": {}}


def journey(**options: Any) -> SignIn:
    """A sign-in by alias, with a client secret, unless options say otherwise."""
    args: dict[str, Any] = {
        "pool_id": POOL_ID,
        "client_id": CLIENT_ID,
        "username": ALIAS,
        "password": PASSWORD,
        "client_secret": SECRET,
    }
    args.update(options)
    return SignIn(**args)


def step(machine: SignIn, response: dict[str, Any]) -> Call:
    """Feed a response that must lead to another request."""
    out = machine.receive(response)
    assert isinstance(out, Call), out
    return out


def test_start_hashes_the_typed_name() -> None:
    """InitiateAuth carries the name typed, and SECRET_HASH over it (USER_ID_FOR_SRP is not known yet)."""
    call = journey().start()
    assert call.operation is Operation.INITIATE_AUTH
    params = call.body["AuthParameters"]
    assert params["USERNAME"] == ALIAS
    assert params["SECRET_HASH"] == ref.secret_hash(ALIAS, CLIENT_ID, SECRET)
    assert "DEVICE_KEY" not in params


def test_password_verifier_goes_back_without_session_under_internal_name() -> None:
    """No Session came, none goes; USERNAME and SECRET_HASH switch to USER_ID_FOR_SRP."""
    machine = journey()
    machine.start()
    call = step(machine, password_verifier())
    assert call.operation is Operation.RESPOND_TO_AUTH_CHALLENGE
    assert "Session" not in call.body
    responses = call.body["ChallengeResponses"]
    assert responses["USERNAME"] == INTERNAL
    assert responses["SECRET_HASH"] == ref.secret_hash(INTERNAL, CLIENT_ID, SECRET)


def test_password_verifier_session_is_returned_when_sent() -> None:
    """Where a server does send a Session with PASSWORD_VERIFIER, it goes back."""
    machine = journey()
    machine.start()
    assert step(machine, password_verifier(session=SESSION)).body["Session"] == SESSION


def test_mfa_is_pending_then_answered_with_internal_name_and_session() -> None:
    """The caller's code is completed with USERNAME, SECRET_HASH over USER_ID_FOR_SRP and the Session."""
    machine = journey()
    machine.start()
    step(machine, password_verifier())
    pending = machine.receive(mfa())
    assert isinstance(pending, AuthResult) and not pending.signed_in
    assert pending.challenge_name == "SOFTWARE_TOKEN_MFA"
    assert pending.username == INTERNAL
    assert machine.pending is not None and machine.pending.username == INTERNAL
    call = machine.answer({"SOFTWARE_TOKEN_MFA_CODE": "123456"})
    assert call.body["Session"] == SESSION
    assert call.body["ChallengeResponses"] == {
        "SOFTWARE_TOKEN_MFA_CODE": "123456",
        "USERNAME": INTERNAL,
        "SECRET_HASH": secret_hash(INTERNAL, CLIENT_ID, SECRET),
    }
    done = machine.receive({"AuthenticationResult": TOKENS})
    assert isinstance(done, AuthResult) and done.signed_in and done.username == INTERNAL


def test_answer_can_replace_the_session() -> None:
    """MFA_SETUP: the Session VerifySoftwareToken returned is the one sent, through Answer."""
    machine = journey()
    machine.start()
    step(machine, password_verifier())
    machine.receive(mfa("MFA_SETUP"))
    call = machine.answer(Answer({}, session="N" * 40))
    assert call.body["Session"] == "N" * 40
    assert call.body["ChallengeName"] == "MFA_SETUP"


def test_answer_refuses_keys_srpkit_adds() -> None:
    """A caller who passes USERNAME (the alias, usually) is told srpkit adds it."""
    machine = journey()
    machine.start()
    step(machine, password_verifier())
    machine.receive(mfa())
    with pytest.raises(InvalidInputError) as err:
        machine.answer({"SOFTWARE_TOKEN_MFA_CODE": "123456", "USERNAME": ALIAS})
    assert "USERNAME" in str(err.value)


def test_answer_without_pending_challenge_is_refused() -> None:
    """answer() before any challenge is a typed error, not a request."""
    machine = journey()
    machine.start()
    with pytest.raises(InvalidInputError):
        machine.answer({"SOFTWARE_TOKEN_MFA_CODE": "123456"})


@pytest.mark.parametrize("reply", [["123456"], "123456", 123456])
def test_answer_of_wrong_type_is_typed(reply: Any) -> None:
    """An answer that is not a mapping (or Answer) is a ParameterTypeError naming answer."""
    machine = journey()
    machine.start()
    step(machine, password_verifier())
    machine.receive(mfa())
    with pytest.raises(ParameterTypeError) as err:
        machine.answer(reply)
    assert err.value.fields == ("answer",)


def test_mfa_without_session_cannot_be_answered() -> None:
    """A server that asks MFA without a Session gets no request built that AWS would refuse."""
    machine = journey()
    machine.start()
    step(machine, password_verifier())
    machine.receive({"ChallengeName": "SOFTWARE_TOKEN_MFA", "ChallengeParameters": {}})
    with pytest.raises(InvalidInputError) as err:
        machine.answer({"SOFTWARE_TOKEN_MFA_CODE": "123456"})
    assert "Session" in err.value.fields


def test_user_id_for_srp_of_a_later_challenge_is_adopted() -> None:
    """NEW_PASSWORD_REQUIRED names USER_ID_FOR_SRP: the answer is over it."""
    machine = journey(client_secret=None)
    machine.start()
    step(machine, password_verifier(user_id=ALIAS))
    machine.receive(
        {
            "ChallengeName": "NEW_PASSWORD_REQUIRED",
            "Session": SESSION,
            "ChallengeParameters": {"USER_ID_FOR_SRP": INTERNAL, "requiredAttributes": "[]"},
        }
    )
    call = machine.answer({"NEW_PASSWORD": "An0ther passw0rd!"})
    assert call.body["ChallengeResponses"]["USERNAME"] == INTERNAL


def test_password_verifier_twice_is_refused() -> None:
    """A server that asks PASSWORD_VERIFIER again does not get a second signature."""
    machine = journey()
    machine.start()
    step(machine, password_verifier())
    with pytest.raises(InvalidChallengeError):
        machine.receive(password_verifier())


def test_endless_custom_challenges_are_bounded() -> None:
    """A server that never stops asking ends in a typed error, not a loop."""
    machine = journey(client_secret=None)
    machine.start()
    step(machine, password_verifier())
    with pytest.raises(InvalidChallengeError):
        for _ in range(100):
            machine.receive({"ChallengeName": "CUSTOM_CHALLENGE", "Session": SESSION})
            machine.answer({"ANSWER": "42"})


@pytest.mark.parametrize(
    ("response", "field"),
    [
        ({"ChallengeName": ["PASSWORD_VERIFIER"]}, "ChallengeName"),
        ({"ChallengeName": "SMS_MFA", "Session": 7}, "Session"),
        ({"ChallengeName": "SMS_MFA", "ChallengeParameters": {"a": 1}}, "ChallengeParameters"),
        ({"AuthenticationResult": {"AccessToken": 5}}, "AuthenticationResult.AccessToken"),
        ({"AuthenticationResult": {"ExpiresIn": True}}, "AuthenticationResult.ExpiresIn"),
        ({}, "ChallengeName"),
    ],
)
def test_hostile_responses_are_typed_errors(response: dict[str, Any], field: str) -> None:
    """Every malformed member is a typed srpkit error naming it."""
    machine = journey()
    machine.start()
    with pytest.raises((ParameterTypeError, InvalidChallengeError)) as err:
        machine.receive(response)
    assert err.value.fields == (field,)


def test_forgotten_device_at_password_verifier_is_retried_without_it() -> None:
    """ResourceNotFoundException for the device: the same answer again, DEVICE_KEY dropped, once."""
    machine = journey(device=DEVICE)
    assert machine.start().body["AuthParameters"]["DEVICE_KEY"] == DEVICE.device_key
    call = step(machine, password_verifier())
    assert call.body["ChallengeResponses"]["DEVICE_KEY"] == DEVICE.device_key
    retry = machine.failed("ResourceNotFoundException", "Device does not exist.")
    assert retry is not None
    assert "DEVICE_KEY" not in retry.body["ChallengeResponses"]
    assert {k: v for k, v in call.body.items() if k != "ChallengeResponses"} == {
        k: v for k, v in retry.body.items() if k != "ChallengeResponses"
    }
    assert machine.failed("ResourceNotFoundException", "Device does not exist.") is None
    done = machine.receive({"AuthenticationResult": TOKENS})
    assert isinstance(done, AuthResult) and done.device_forgotten


def test_forgotten_device_at_initiate_auth_drops_it_from_later_steps() -> None:
    """Refused at InitiateAuth: retried without DEVICE_KEY, and PASSWORD_VERIFIER then omits it too."""
    machine = journey(device=DEVICE)
    machine.start()
    retry = machine.failed("ResourceNotFoundException", "Device does not exist.")
    assert retry is not None and "DEVICE_KEY" not in retry.body["AuthParameters"]
    call = step(machine, password_verifier())
    assert "DEVICE_KEY" not in call.body["ChallengeResponses"]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("NotAuthorizedException", "Incorrect username or password."),
        ("ResourceNotFoundException", "User pool client abc does not exist."),
    ],
)
def test_other_errors_are_not_retried(code: str, message: str) -> None:
    """Only a missing device is retried; every other AWS error reaches the caller."""
    machine = journey(device=DEVICE)
    machine.start()
    assert machine.failed(code, message) is None


def test_no_retry_without_a_device() -> None:
    """A sign-in that sent no DEVICE_KEY has nothing to drop."""
    machine = journey()
    machine.start()
    assert machine.failed("ResourceNotFoundException", "Device does not exist.") is None


def test_admin_journey_sends_admin_operations() -> None:
    """admin=True: AdminInitiateAuth and AdminRespondToAuthChallenge, with UserPoolId."""
    machine = journey(admin=True)
    call = machine.start()
    assert call.operation is Operation.ADMIN_INITIATE_AUTH
    assert call.body["UserPoolId"] == POOL_ID
    answer = step(machine, password_verifier())
    assert answer.operation is Operation.ADMIN_RESPOND_TO_AUTH_CHALLENGE
    assert answer.body["UserPoolId"] == POOL_ID
    assert answer.body["ChallengeResponses"]["USERNAME"] == INTERNAL


def test_reprs_hide_secrets() -> None:
    """No password, Session or body value shows in a repr."""
    machine = journey(device=DEVICE)
    call = machine.start()
    step(machine, password_verifier())
    machine.receive({"ChallengeName": "SMS_MFA", "Session": SESSION, "ChallengeParameters": {}})
    shown = repr(machine) + repr(call) + repr(machine.pending)
    for secret in (
        PASSWORD,
        SECRET,
        SESSION,
        DEVICE.password,
        call.body["AuthParameters"]["SRP_A"],
    ):
        assert secret not in shown


@pytest.mark.parametrize("driver", ["aws", "aio"])
def test_refresh_without_client_or_pool_is_refused_before_sending(driver: str) -> None:
    """No client and no pool id: nothing says where to send, so a typed error names pool_id."""
    import asyncio  # noqa: PLC0415 - only this test needs it

    from srpkit import aio, aws  # noqa: PLC0415

    args = {"client_id": CLIENT_ID, "refresh_token": "r" * 40}
    with pytest.raises(InvalidInputError) as err:
        if driver == "aws":
            aws.refresh(**args)
        else:
            asyncio.run(aio.refresh(**args))
    assert err.value.fields == ("pool_id",)
    assert "r" * 40 not in str(err.value)
