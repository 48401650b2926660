"""Caller answers to the challenges srpkit does not answer itself: completed exactly, or refused by name."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import Any

import botocore.session
import pytest
from botocore.validate import validate_parameters

import srpkit
from srpkit import InvalidInputError, ParameterTypeError, SRPKitError
from srpkit._client import model as _model
from srpkit._core import caps as _caps

CLIENT = "3n4b5urk1ft4fl3mg5e62d9ado"
SECRET = "s3cr3t-client-secret-0123456789abcdefghij"
DEVICE = "us-east-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
INTERNAL = "7d3f0c2e-internal-name"  # USER_ID_FOR_SRP; the user typed an alias
SESSION = "AYABeExampleSessionToken-0123456789"
CODE = "482913"
NEW_PASSWORD = "N3w-Passw0rd-Kq8!zT"
MODEL = botocore.session.get_session().get_service_model("cognito-idp")


def expected_hash(username: str) -> str:
    """SECRET_HASH computed here from its definition (HMAC-SHA256, base64), not with srpkit."""
    digest = hmac.new(SECRET.encode(), (username + CLIENT).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def complete(name: str, answers: Any, **overrides: Any) -> dict[str, str]:
    """challenge_responses for INTERNAL at CLIENT, with the secret and device unless overridden."""
    kwargs: dict[str, Any] = {
        "username": INTERNAL,
        "client_id": CLIENT,
        "client_secret": SECRET,
        "device_key": DEVICE,
    }
    kwargs.update(overrides)
    return srpkit.challenge_responses(name, answers, **kwargs)


def hidden(error: BaseException, *secrets: str) -> bool:
    """No secret in the error, its repr, its args, or anything on its __context__/__cause__ chain."""
    seen: BaseException | None = error
    while seen is not None:
        texts = [str(seen), repr(seen), *map(repr, seen.args)]
        if any(s in t for s in secrets for t in texts):
            return False
        seen = seen.__context__ or seen.__cause__
    return True


GOOD = [
    ("SMS_MFA", {"SMS_MFA_CODE": CODE}),
    ("EMAIL_OTP", {"EMAIL_OTP_CODE": "90817263"}),
    ("SMS_OTP", {"SMS_OTP_CODE": CODE}),
    ("SOFTWARE_TOKEN_MFA", {"SOFTWARE_TOKEN_MFA_CODE": CODE}),
    ("NEW_PASSWORD_REQUIRED", {"NEW_PASSWORD": NEW_PASSWORD}),
    (
        "NEW_PASSWORD_REQUIRED",
        {
            "NEW_PASSWORD": NEW_PASSWORD,
            "userAttributes.name": "Alice Example",
            "userAttributes.custom:team": "blue",
            "userAttributes.given_name": "",
        },
    ),
    ("CUSTOM_CHALLENGE", {"ANSWER": "the lambda's answer"}),
    ("MFA_SETUP", {}),
    ("MFA_SETUP", {"EMAIL": "alice@example.com"}),
    ("SELECT_MFA_TYPE", {"ANSWER": "SMS_MFA"}),
    ("SELECT_MFA_TYPE", {"ANSWER": "SOFTWARE_TOKEN_MFA"}),
    ("SELECT_MFA_TYPE", {"ANSWER": "EMAIL_OTP"}),
    ("SELECT_CHALLENGE", {"ANSWER": "EMAIL_OTP"}),
    ("SELECT_CHALLENGE", {"ANSWER": "SMS_OTP"}),
    ("SELECT_CHALLENGE", {"ANSWER": "PASSWORD", "PASSWORD": NEW_PASSWORD}),
    ("SELECT_CHALLENGE", {"ANSWER": "WEB_AUTHN", "CREDENTIAL": '{"id": "cred"}'}),
    ("PASSWORD", {"PASSWORD": NEW_PASSWORD}),
    ("WEB_AUTHN", {"CREDENTIAL": '{"id": "cred"}'}),
    ("ADMIN_NO_SRP_AUTH", {"PASSWORD": NEW_PASSWORD}),
]
GOOD_IDS = [f"{name}-{'+'.join(answers) or 'nothing'}" for name, answers in GOOD]


@pytest.mark.parametrize(("name", "answers"), GOOD, ids=GOOD_IDS)
def test_answers_completed_exactly(name: str, answers: dict[str, str]) -> None:
    """The answers come back with USERNAME, SECRET_HASH over that name and DEVICE_KEY, nothing else."""
    got = complete(name, answers)
    expected = {
        **answers,
        "USERNAME": INTERNAL,
        "SECRET_HASH": expected_hash(INTERNAL),
        "DEVICE_KEY": DEVICE,
    }
    assert sorted(got) == sorted(expected)
    for key, value in expected.items():
        assert got[key] == value, key


@pytest.mark.parametrize(("name", "answers"), GOOD[:4], ids=GOOD_IDS[:4])
def test_without_secret_or_device_only_username_is_added(
    name: str, answers: dict[str, str]
) -> None:
    """With no client secret and no device, USERNAME is the only key srpkit adds."""
    got = complete(name, answers, client_secret=None, device_key=None)
    assert got == {**answers, "USERNAME": INTERNAL}


def test_secret_hash_follows_username_given() -> None:
    """SECRET_HASH is over the username passed (the internal one), so another name gives another hash."""
    ours = complete("SMS_MFA", {"SMS_MFA_CODE": CODE})["SECRET_HASH"]
    alias = complete("SMS_MFA", {"SMS_MFA_CODE": CODE}, username="alice@example.com")
    assert ours == expected_hash(INTERNAL)
    assert alias["SECRET_HASH"] == expected_hash("alice@example.com") != ours


def test_answer_request_is_the_whole_body() -> None:
    """challenge_answer_request is RespondToAuthChallenge's body, key by key, with every option."""
    body = srpkit.challenge_answer_request(
        CLIENT,
        "SOFTWARE_TOKEN_MFA",
        {"SOFTWARE_TOKEN_MFA_CODE": CODE},
        username=INTERNAL,
        session=SESSION,
        client_secret=SECRET,
        device_key=DEVICE,
        client_metadata={"k": "v"},
        analytics_metadata={"AnalyticsEndpointId": "e-1"},
        user_context_data={"IpAddress": "192.0.2.1", "EncodedData": "ZW5j"},
    )
    expected = {
        "ClientId": CLIENT,
        "ChallengeName": "SOFTWARE_TOKEN_MFA",
        "Session": SESSION,
        "ChallengeResponses": {
            "SOFTWARE_TOKEN_MFA_CODE": CODE,
            "USERNAME": INTERNAL,
            "SECRET_HASH": expected_hash(INTERNAL),
            "DEVICE_KEY": DEVICE,
        },
        "ClientMetadata": {"k": "v"},
        "AnalyticsMetadata": {"AnalyticsEndpointId": "e-1"},
        "UserContextData": {"IpAddress": "192.0.2.1", "EncodedData": "ZW5j"},
    }
    assert sorted(body) == sorted(expected)
    for key, value in expected.items():
        assert body[key] == value, key


@pytest.mark.parametrize(("name", "answers"), GOOD, ids=GOOD_IDS)
def test_botocore_accepts_every_answer(name: str, answers: dict[str, str]) -> None:
    """Each body passes botocore's own validation for RespondToAuthChallenge (or the Admin one)."""
    if name == "ADMIN_NO_SRP_AUTH":  # only AdminRespondToAuthChallenge takes it
        responses = complete(name, answers)
        body = srpkit.admin_respond_to_auth_challenge_request(
            "us-east-1_Ab3dEfGh1", CLIENT, name, responses, session=SESSION
        )
        operation = "AdminRespondToAuthChallenge"
    else:
        body = srpkit.challenge_answer_request(
            CLIENT, name, answers, username=INTERNAL, session=SESSION, client_secret=SECRET
        )
        operation = "RespondToAuthChallenge"
    validate_parameters(body, MODEL.operation_model(operation).input_shape)


# ---------------------------------------------------------------- the model's constants


def test_answer_shapes_agree_with_botocore() -> None:
    """The shapes answers are checked against equal botocore's (length bounds and pattern)."""
    for name in (*set(_model.ANSWER_SHAPES.values()) - {"PasswordType"}, "TokenModelType"):
        shape, model = _model.SHAPES[name], MODEL.shape_for(name).metadata
        top = model.get("max", _caps.MAX_TOKEN if name == "TokenModelType" else None)
        assert (shape.min_len, shape.max_len, shape.pattern) == (
            model.get("min", 0),
            top,
            model.get("pattern"),
        ), name
    for name in ("AttributeNameType", "AttributeValueType"):
        shape, model = _model.SHAPES[name], MODEL.shape_for(name).metadata
        assert (shape.min_len, shape.max_len) == (model.get("min", 0), model["max"]), name
    # Java's \p classes, which re cannot spell: answers.py checks these categories instead.
    assert MODEL.shape_for("AttributeNameType").metadata["pattern"] == (
        "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r ]+"
    )
    assert MODEL.shape_for("PasswordType").metadata["max"] == _caps.MAX_PASSWORD


def _challenge_docs() -> dict[str, str]:
    """Each challenge's entry (<dt>NAME</dt> <dd>...</dd>) in botocore's ChallengeResponses text."""
    member = MODEL.operation_model("RespondToAuthChallenge").input_shape.members
    text = member["ChallengeResponses"].documentation
    return dict(re.findall(r"<dt>(\w+)</dt>\s*<dd>(.*?)</dd>", text, re.S))


def test_required_responses_agree_with_documentation() -> None:
    """Every challenge has its required responses, each named in that challenge's documented answer."""
    assert set(_model.REQUIRED_CHALLENGE_RESPONSES) == set(_model.CHALLENGE_NAMES)
    docs = _challenge_docs()
    # Today's text has no entry for ADMIN_NO_SRP_AUTH (the older Admin text listed PASSWORD).
    assert set(docs) == set(_model.CHALLENGE_NAMES) - {"ADMIN_NO_SRP_AUTH"}
    for name, entry in docs.items():
        for key in _model.REQUIRED_CHALLENGE_RESPONSES[name]:
            assert f'"{key}"' in entry, (name, key)
    for choice, extra in _model.CHOICE_ANSWERS["SELECT_CHALLENGE"].items():
        assert f'"ANSWER": "{choice}"' in docs["SELECT_CHALLENGE"], choice
        for key in extra:
            assert f'"{key}"' in docs["SELECT_CHALLENGE"], (choice, key)
    for choice in _model.CHOICE_ANSWERS["SELECT_MFA_TYPE"]:
        assert choice in _model.CHALLENGE_NAMES  # the names Cognito lists in MFAS_CAN_CHOOSE


def respond(name: str, responses: dict[str, str]) -> dict[str, Any]:
    """respond_to_auth_challenge_request for challenge ``name`` with a Session."""
    return srpkit.respond_to_auth_challenge_request(CLIENT, name, responses, session=SESSION)


@pytest.mark.parametrize(
    ("name", "responses", "missing"),
    [
        ("SELECT_CHALLENGE", {"USERNAME": "b", "ANSWER": "PASSWORD"}, ["PASSWORD"]),
        ("SELECT_CHALLENGE", {"USERNAME": "b", "ANSWER": "WEB_AUTHN"}, ["CREDENTIAL"]),
        ("SMS_MFA", {}, ["USERNAME", "SMS_MFA_CODE"]),
        ("EMAIL_OTP", {"USERNAME": "bob"}, ["EMAIL_OTP_CODE"]),
        ("SMS_OTP", {"USERNAME": "bob"}, ["SMS_OTP_CODE"]),
        ("SOFTWARE_TOKEN_MFA", {"USERNAME": "bob"}, ["SOFTWARE_TOKEN_MFA_CODE"]),
        (
            "NEW_PASSWORD_REQUIRED",
            {"USERNAME": "bob", "userAttributes.name": "B"},
            ["NEW_PASSWORD"],
        ),
        ("CUSTOM_CHALLENGE", {"USERNAME": "bob"}, ["ANSWER"]),
        ("SELECT_MFA_TYPE", {"USERNAME": "bob"}, ["ANSWER"]),
        ("MFA_SETUP", {}, ["USERNAME"]),
        ("PASSWORD", {"USERNAME": "bob"}, ["PASSWORD"]),
        ("WEB_AUTHN", {"USERNAME": "bob"}, ["CREDENTIAL"]),
        ("PASSWORD_SRP", {"USERNAME": "bob"}, ["SRP_A"]),
    ],
)
def test_respond_builder_requires_each_challenges_responses(
    name: str, responses: dict[str, str], missing: list[str]
) -> None:
    """respond_to_auth_challenge_request refuses a body missing its challenge's responses, all named."""
    with pytest.raises(InvalidInputError) as info:
        respond(name, responses)
    assert list(info.value.fields) == [f"ChallengeResponses.{k}" for k in missing]


@pytest.mark.parametrize(
    ("name", "responses"),
    [
        ("MFA_SETUP", {"USERNAME": "bob"}),
        ("SELECT_MFA_TYPE", {"USERNAME": "bob", "ANSWER": "SOFTWARE_TOKEN_MFA"}),
        ("SELECT_MFA_TYPE", {"USERNAME": "bob", "ANSWER": "EMAIL_OTP"}),
        ("SELECT_CHALLENGE", {"USERNAME": "bob", "ANSWER": "EMAIL_OTP"}),
        ("NEW_PASSWORD_REQUIRED", {"USERNAME": "bob", "NEW_PASSWORD": "n3w-Pass!"}),
    ],
)
def test_complete_challenge_responses_accepted(name: str, responses: dict[str, str]) -> None:
    """A body carrying exactly what its challenge requires is built unchanged."""
    assert respond(name, responses)["ChallengeResponses"] == (responses)


def test_bad_choice_is_not_echoed() -> None:
    """An ANSWER that is no choice of SELECT_MFA_TYPE is named, and its value never shown."""
    with pytest.raises(InvalidInputError) as info:
        respond("SELECT_MFA_TYPE", {"USERNAME": "b", "ANSWER": "918273"})
    assert info.value.fields == ("ChallengeResponses.ANSWER",)
    assert "918273" not in str(info.value)
    assert "SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP" in str(info.value)


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("key", ["USERNAME", "SECRET_HASH", "DEVICE_KEY"])
def test_keys_srpkit_adds_are_refused(key: str) -> None:
    """An answer that sets USERNAME, SECRET_HASH or DEVICE_KEY itself is refused, naming the key."""
    with pytest.raises(InvalidInputError) as info:
        complete("SMS_MFA", {"SMS_MFA_CODE": CODE, key: "alice@example.com"})
    assert info.value.fields == (f"answers.{key}",)
    assert "USER_ID_FOR_SRP" in str(info.value)


@pytest.mark.parametrize(
    ("name", "answers"),
    [
        ("PASSWORD_VERIFIER", {"PASSWORD_CLAIM_SIGNATURE": "c2ln"}),
        ("DEVICE_SRP_AUTH", {"SRP_A": "ab"}),
        ("DEVICE_PASSWORD_VERIFIER", {}),
        ("PASSWORD_SRP", {"SRP_A": "ab"}),
        ("SELECT_CHALLENGE", {"ANSWER": "PASSWORD_SRP", "SRP_A": "ab"}),
    ],
)
def test_srp_challenges_are_refused(name: str, answers: dict[str, str]) -> None:
    """The SRP steps are srpkit's to answer: a caller's answer to them is refused by ChallengeName."""
    with pytest.raises(InvalidInputError) as info:
        complete(name, answers)
    assert info.value.fields == ("ChallengeName",)
    assert "itself" in str(info.value)


@pytest.mark.parametrize(
    ("name", "answers", "fields", "error"),
    [
        ("NOPE", {}, ["ChallengeName"], InvalidInputError),
        (None, {}, ["ChallengeName"], ParameterTypeError),
        ("SMS_MFA", [("SMS_MFA_CODE", CODE)], ["answers"], ParameterTypeError),
        ("SMS_MFA", {}, ["answers.SMS_MFA_CODE"], InvalidInputError),
        ("NEW_PASSWORD_REQUIRED", {"userAttributes.a": "b"}, ["answers.NEW_PASSWORD"], None),
        ("SELECT_CHALLENGE", {"ANSWER": "PASSWORD"}, ["answers.PASSWORD"], None),
        ("SELECT_CHALLENGE", {}, ["answers.ANSWER"], None),
        ("SOFTWARE_TOKEN_MFA", {"SOFTWARE_TOKEN_MFA_CODE": 482913}, None, ParameterTypeError),
        ("SOFTWARE_TOKEN_MFA", {"SOFTWARE_TOKEN_MFA_CODE": "48291"}, None, InvalidInputError),
        ("SOFTWARE_TOKEN_MFA", {"SOFTWARE_TOKEN_MFA_CODE": "4829130"}, None, InvalidInputError),
        ("SOFTWARE_TOKEN_MFA", {"SOFTWARE_TOKEN_MFA_CODE": "48291a"}, None, InvalidInputError),
        ("SMS_MFA", {"SMS_MFA_CODE": "482 913"}, None, InvalidInputError),
        ("SMS_MFA", {"SMS_MFA_CODE": "482913\n"}, None, InvalidInputError),
        ("EMAIL_OTP", {"EMAIL_OTP_CODE": ""}, None, InvalidInputError),
        ("SMS_OTP", {"SMS_OTP_CODE": "4" * 2049}, None, InvalidInputError),
        ("SELECT_MFA_TYPE", {"ANSWER": "TOTP"}, ["answers.ANSWER"], InvalidInputError),
        ("SELECT_MFA_TYPE", {"ANSWER": "EMAIL_MFA"}, ["answers.ANSWER"], InvalidInputError),
        ("SELECT_CHALLENGE", {"ANSWER": "MAGIC"}, ["answers.ANSWER"], InvalidInputError),
        (
            "SOFTWARE_TOKEN_MFA",
            {"SOFTWARE_TOKEN_CODE": CODE},
            ["answers.SOFTWARE_TOKEN_MFA_CODE", "answers.SOFTWARE_TOKEN_CODE"],
            InvalidInputError,
        ),
        (
            "SMS_MFA",
            {"SMS_MFA_CODE": CODE, "userAttributes.name": "x"},
            ["answers.userAttributes.name"],
            InvalidInputError,
        ),
        ("MFA_SETUP", {"ANSWER": "x"}, ["answers.ANSWER"], InvalidInputError),
        (
            "NEW_PASSWORD_REQUIRED",
            {"NEW_PASSWORD": "x" * 257},
            ["answers.NEW_PASSWORD"],
            InvalidInputError,
        ),
        (
            "NEW_PASSWORD_REQUIRED",
            {"NEW_PASSWORD": "pw", "userAttributes.name": "v" * 2049},
            ["answers.userAttributes.name"],
            InvalidInputError,
        ),
        (
            "NEW_PASSWORD_REQUIRED",
            {"NEW_PASSWORD": "pw", "userAttributes." + "n" * 33: "v"},
            ["answers.userAttributes." + "n" * 33],
            InvalidInputError,
        ),
        (
            "NEW_PASSWORD_REQUIRED",
            {"NEW_PASSWORD": "pw", "userAttributes.": "v"},
            ["answers.userAttributes."],
            InvalidInputError,
        ),
        (
            "NEW_PASSWORD_REQUIRED",
            {"NEW_PASSWORD": "pw", "userAttributes.na\x00me": "v"},
            ["answers.userAttributes.na\x00me"],
            InvalidInputError,
        ),
    ],
)
def test_bad_answers_are_named(
    name: Any, answers: Any, fields: list[str] | None, error: type[SRPKitError] | None
) -> None:
    """Each bad answer (type, missing key, shape, length, unknown key, choice) is a typed error naming it."""
    with pytest.raises(error or InvalidInputError) as info:
        complete(name, answers)
    if fields is None:  # one value, named by its key
        fields = [f"answers.{next(iter(answers))}"]
    assert list(info.value.fields) == fields


@pytest.mark.parametrize(
    ("overrides", "fields", "error"),
    [
        ({"username": "has space"}, ["username"], InvalidInputError),
        ({"username": None}, ["username"], ParameterTypeError),
        ({"username": "u" * 129}, ["username"], InvalidInputError),
        ({"client_id": "bad-id"}, ["ClientId"], InvalidInputError),
        ({"client_secret": 5}, ["client_secret"], ParameterTypeError),
        ({"device_key": "not-a-key"}, ["device_key"], InvalidInputError),
    ],
)
def test_bad_arguments_are_named(
    overrides: dict[str, Any], fields: list[str], error: type[SRPKitError]
) -> None:
    """A bad username, client id, client secret or device key is named as the argument it is."""
    with pytest.raises(error) as info:
        complete("SMS_MFA", {"SMS_MFA_CODE": CODE}, **overrides)
    assert list(info.value.fields) == fields


def test_every_problem_in_one_error() -> None:
    """A forbidden key, a missing code, an unknown key and a bad username come back together."""
    with pytest.raises(InvalidInputError) as info:
        complete("SMS_MFA", {"USERNAME": "x", "SMS_CODE": CODE}, username="a b")
    assert list(info.value.fields) == [
        "answers.USERNAME",
        "answers.SMS_MFA_CODE",
        "answers.SMS_CODE",
        "username",
    ]


def test_answer_request_joins_answer_and_body_problems() -> None:
    """A bad answer and a missing Session are reported in one error by challenge_answer_request."""
    with pytest.raises(InvalidInputError) as info:
        srpkit.challenge_answer_request(
            CLIENT, "SMS_MFA", {}, username=INTERNAL, session=None, client_metadata={"k": "v"}
        )
    assert list(info.value.fields) == ["answers.SMS_MFA_CODE", "Session"]
    with pytest.raises(InvalidInputError) as info:
        srpkit.challenge_answer_request(
            CLIENT, "SMS_MFA", {"SMS_MFA_CODE": CODE}, username=INTERNAL, session="short"
        )
    assert list(info.value.fields) == ["Session"]


# ---------------------------------------------------------------- no secret shown


@pytest.mark.parametrize(
    ("name", "answers", "secret"),
    [
        ("SOFTWARE_TOKEN_MFA", {"SOFTWARE_TOKEN_MFA_CODE": "48291x"}, "48291x"),
        ("SOFTWARE_TOKEN_MFA", {"SOFTWARE_TOKEN_MFA_CODE": "4829130"}, "4829130"),
        ("SMS_MFA", {"SMS_MFA_CODE": "4829 13"}, "4829 13"),
        ("SMS_MFA", {"SMS_CODE": "4829-13"}, "4829-13"),
        ("SMS_MFA", {"918273": "x"}, "918273"),
        ("SELECT_MFA_TYPE", {"ANSWER": "582047"}, "582047"),
        ("NEW_PASSWORD_REQUIRED", {"NEW_PASSWORD": "S3cret-\udc80-pw"}, "S3cret-"),
        ("NEW_PASSWORD_REQUIRED", {"NEW_PASSWORD": "S3cret-" + "p" * 300}, "S3cret-"),
        ("PASSWORD", {"PASSWORD": "Hunter2-" * 40, "USERNAME": "x"}, "Hunter2-"),
        ("CUSTOM_CHALLENGE", {"ANSWER": "Answ3r-" * 20000}, "Answ3r-"),
    ],
)
def test_no_code_or_password_in_errors(name: str, answers: dict[str, str], secret: str) -> None:
    """A refused code, password or answer never appears in the error or its context chain."""
    with pytest.raises(SRPKitError) as info:
        complete(name, answers)
    assert hidden(info.value, secret, SECRET)


def test_client_secret_not_in_errors() -> None:
    """A malformed client secret is named, never shown."""
    with pytest.raises(InvalidInputError) as info:
        complete("SMS_MFA", {"SMS_MFA_CODE": CODE}, client_secret="S3CRET-\udc80-client")
    assert info.value.fields == ("client_secret",)
    assert hidden(info.value, "S3CRET-")
