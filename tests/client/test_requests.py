"""Request bodies: valid for the schema, the API model and boto3 as built; every bad one refused clearly."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

import boto3
import jsonschema
import pytest
from botocore.stub import Stubber
from paths import DATA

import srpkit
from srpkit import (
    DeviceSRP,
    InvalidChallengeError,
    InvalidInputError,
    MissingParameterError,
    ParameterTypeError,
    SRPKitError,
    UserSRP,
)
from srpkit._client import model as _model
from srpkit._core import caps as _caps
from srpkit._core import checks as _validate

# The API model's shapes and the request schema, kept in the repository (see
# tests/data/README.md for where they came from), so that the tests need nothing
# outside a clone.
REFERENCE = DATA / "reference"
SHAPES = json.loads((REFERENCE / "cognito-idp-shapes.json").read_text())["shapes"]
RESPOND_SCHEMA_FILE = json.loads(
    (REFERENCE / "respond-to-auth-challenge-request.schema.json").read_text()
)

POOL = "us-east-1_Ab3dEfGh1"
CLIENT = "3n4b5urk1ft4fl3mg5e62d9ado"
SECRET = "client-s3cret-value"
DEVICE = "us-east-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
GROUP = "-Xq9ZkLm2a"
SESSION = "AYABeExampleSessionToken-0123456789"
NOW = datetime(2024, 9, 5, 7, 8, 9, tzinfo=timezone.utc)
BLOCK = "c2VjcmV0LWJsb2Nr"
EXTRAS: dict[str, Any] = {
    "client_metadata": {"source": "tests", "": ""},
    "analytics_metadata": {"AnalyticsEndpointId": "endpoint-1"},
    "user_context_data": {"IpAddress": "192.0.2.1", "EncodedData": "ZW5jb2RlZA=="},
}


def shape_schema(name: str) -> dict[str, Any]:
    """A JSON Schema for an API-model shape (patterns anchored, \\w ASCII: Java's semantics)."""
    if name not in SHAPES:  # the reference excerpt omits shapes no request here uses (tokens, ...)
        return {}
    shape = SHAPES[name]
    kind = shape["type"]
    if kind == "string":
        out: dict[str, Any] = {"type": "string"}
        if "min" in shape:
            out["minLength"] = shape["min"]
        if "max" in shape:
            out["maxLength"] = shape["max"]
        if "pattern" in shape and "\\p" not in shape["pattern"]:
            out["pattern"] = f"(?a)^(?:{shape['pattern']})$"
        if "enum" in shape:
            out["enum"] = shape["enum"]
        return out
    if kind == "map":
        return {
            "type": "object",
            "propertyNames": shape_schema(shape["key"]["shape"]),
            "additionalProperties": shape_schema(shape["value"]["shape"]),
        }
    assert kind == "structure"
    return {
        "type": "object",
        "properties": {k: shape_schema(m["shape"]) for k, m in shape["members"].items()},
        "required": shape.get("required", []),
        "additionalProperties": False,
    }


def respond_schema() -> dict[str, Any]:
    """The reference schema file, with the #/components/schemas its $refs name (absent from the file)."""
    schema: dict[str, Any] = copy.deepcopy(RESPOND_SCHEMA_FILE)
    refs = re.findall(r'"#/components/schemas/(\w+)"', json.dumps(schema))
    assert refs and all(name in SHAPES for name in refs)
    schema["components"] = {"schemas": {name: shape_schema(name) for name in refs}}
    return schema


def user(**kwargs: Any) -> UserSRP:
    """A UserSRP with a fixed ephemeral."""
    return UserSRP(POOL, CLIENT, "alice@example.com", "pw", small_a=0xABCDEF, **kwargs)


def device(**kwargs: Any) -> DeviceSRP:
    """A DeviceSRP with a fixed ephemeral."""
    return DeviceSRP(GROUP, DEVICE, "ZGV2aWNl", "internal-7", CLIENT, small_a=0x12345, **kwargs)


def asked(name: str, **params: str) -> dict[str, Any]:
    """A response (as boto3 returns it) that asks challenge ``name``."""
    return {"ChallengeName": name, "Session": SESSION, "ChallengeParameters": params}


PV_PARAMS = {
    "SALT": "5a" * 16,
    "SRP_B": "cd" * 300,
    "SECRET_BLOCK": BLOCK,
    "USER_ID_FOR_SRP": "internal-7",
}
DPV_PARAMS = {"SALT": "5a" * 16, "SRP_B": "cd" * 300, "SECRET_BLOCK": BLOCK, "DEVICE_KEY": DEVICE}


def all_bodies() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(name, boto3 operation, body) for every builder, plain and with every optional field."""
    for label, kwargs, extras in (
        ("plain", {}, {}),
        ("secret+device+extras", {"client_secret": SECRET, "device_key": DEVICE}, EXTRAS),
    ):
        u = user(**kwargs)
        yield f"user_srp_auth {label}", "initiate_auth", srpkit.user_srp_auth_request(u, **extras)
        yield (
            f"custom_auth_srp {label}",
            "initiate_auth",
            srpkit.custom_auth_srp_request(u, **extras),
        )
        yield f"user_auth srp {label}", "initiate_auth", srpkit.user_auth_request(u, **extras)
        yield (
            f"user_auth select {label}",
            "initiate_auth",
            srpkit.user_auth_request(u, preferred_challenge=None, session=SESSION, **extras),
        )
        select = {**asked("SELECT_CHALLENGE"), "AvailableChallenges": ["PASSWORD_SRP", "EMAIL_OTP"]}
        yield (
            f"select_password_srp {label}",
            "respond_to_auth_challenge",
            srpkit.select_password_srp_request(u, select, **extras),
        )
        yield (
            f"password_verifier {label}",
            "respond_to_auth_challenge",
            srpkit.password_verifier_request(
                u, asked("PASSWORD_VERIFIER", **PV_PARAMS), now=NOW, **extras
            ),
        )
        d = device(client_secret=SECRET) if kwargs else device()
        yield (
            f"device_srp_auth {label}",
            "respond_to_auth_challenge",
            srpkit.device_srp_auth_request(d, asked("DEVICE_SRP_AUTH"), **extras),
        )
        yield (
            f"device_password_verifier {label}",
            "respond_to_auth_challenge",
            srpkit.device_password_verifier_request(
                d, asked("DEVICE_PASSWORD_VERIFIER", **DPV_PARAMS), now=NOW, **extras
            ),
        )
    yield (
        "generic refresh",
        "initiate_auth",
        srpkit.initiate_auth_request(CLIENT, "REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": "eyJ.r"}),
    )
    yield (
        "generic sms",
        "respond_to_auth_challenge",
        srpkit.respond_to_auth_challenge_request(
            CLIENT, "SMS_MFA", {"USERNAME": "bob", "SMS_MFA_CODE": "123456"}, session=SESSION
        ),
    )


BODIES = list(all_bodies())
IDS = [name for name, _, _ in BODIES]


@pytest.mark.parametrize(("name", "operation", "body"), BODIES, ids=IDS)
def test_body_valid_for_schema_and_model(name: str, operation: str, body: dict[str, Any]) -> None:
    """Every body validates with jsonschema: the reference schema file and the model's request shape."""
    if operation == "respond_to_auth_challenge":
        jsonschema.validate(body, respond_schema())
        jsonschema.validate(body, shape_schema("RespondToAuthChallengeRequest"))
    else:
        jsonschema.validate(body, shape_schema("InitiateAuthRequest"))
    assert None not in body.values()


@pytest.fixture(scope="module")
def cognito() -> Any:
    """A boto3 cognito-idp client that never touches the network (used only under Stubber)."""
    return boto3.client(
        "cognito-idp", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


@pytest.mark.parametrize(("name", "operation", "body"), BODIES, ids=IDS)
def test_boto3_accepts_body(cognito: Any, name: str, operation: str, body: dict[str, Any]) -> None:
    """botocore's parameter validation accepts each body passed as client.<operation>(**body)."""
    with Stubber(cognito) as stub:
        stub.add_response(operation, {"ChallengeName": "SMS_MFA", "Session": SESSION}, body)
        assert getattr(cognito, operation)(**body)["Session"] == SESSION
        stub.assert_no_pending_responses()


def test_schema_refs_resolve_only_with_components() -> None:
    """The reference file's $refs dangle without the components built from the model (so we add them)."""
    body = BODIES[-1][2]
    with pytest.raises(Exception, match="components"):
        jsonschema.validate(body, RESPOND_SCHEMA_FILE)


@pytest.mark.parametrize(
    ("field", "value"),
    [("Session", "short"), ("ClientId", "bad-id"), ("ChallengeName", "NOPE"), ("Extra", "x")],
)
def test_schema_catches_what_builders_refuse(field: str, value: str) -> None:
    """Sanity: the schemas used above reject a short Session, a bad ClientId, an unknown challenge."""
    body = dict(BODIES[-1][2], **{field: value})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(body, shape_schema("RespondToAuthChallengeRequest"))
    if field != "Extra":  # the reference file allows unknown members; the model does not
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(body, respond_schema())


# ---------------------------------------------------------------- constants vs the model


def test_string_constants_agree_with_model() -> None:
    """SHAPES in srpkit._client.requests equal the model's min, max and pattern."""
    for name, shape in _model.SHAPES.items():
        if name not in SHAPES:  # not in the reference excerpt: test_answers.py asks botocore
            continue
        model = SHAPES[name]
        assert (shape.min_len, shape.max_len, shape.pattern) == (
            model.get("min", 0),
            model["max"],
            model.get("pattern"),
        ), name


def test_enums_agree_with_model() -> None:
    """AUTH_FLOWS and CHALLENGE_NAMES are the model's enums, in order."""
    assert list(_model.AUTH_FLOWS) == SHAPES["AuthFlowType"]["enum"]
    assert list(_model.CHALLENGE_NAMES) == SHAPES["ChallengeNameType"]["enum"]


def test_structure_members_agree_with_model() -> None:
    """The AnalyticsMetadata and UserContextData members srpkit allows are the model's."""
    for field, shape in (
        ("AnalyticsMetadata", "AnalyticsMetadataType"),
        ("UserContextData", "UserContextDataType"),
    ):
        assert set(_model.STRUCT_MEMBERS[field]) == set(SHAPES[shape]["members"])


def _accepts(check: Callable[..., object], value: str) -> bool:
    try:
        check(value)
    except SRPKitError:
        return False
    return True


def test_validate_module_agrees_with_model() -> None:
    """srpkit._core.checks's ClientId, DeviceKey, pool id and username limits match the model."""
    assert _validate._CLIENT_ID_RE.pattern == SHAPES["ClientIdType"]["pattern"]
    assert _validate._DEVICE_KEY_RE.pattern == SHAPES["DeviceKeyType"]["pattern"]
    for check, shape, ok in (
        (_validate.check_client_id, "ClientIdType", "a"),
        (_validate.check_device_key, "DeviceKeyType", "us-east-1_"),
        (_validate.check_username, "UsernameType", "u"),
    ):
        top = SHAPES[shape]["max"]
        filler = "0" if shape == "DeviceKeyType" else "a"
        assert _accepts(check, ok + filler * (top - len(ok)))
        assert not _accepts(check, ok + filler * (top - len(ok) + 1))
        assert not _accepts(check, "")
    # pool ids: stricter than the model (exactly one '_'), never looser, same maximum
    model = re.compile(SHAPES["UserPoolIdType"]["pattern"], re.ASCII)
    top = SHAPES["UserPoolIdType"]["max"]
    for pool in ("us-east-1_Ab3", "eu-west-2_" + "a" * (top - 10), "a_b"):
        assert _accepts(_validate.pool_name, pool) and model.fullmatch(pool), pool
    assert not _accepts(_validate.pool_name, "us-east-1_" + "a" * (top - 9))
    assert SHAPES["StringType"]["max"] == _caps.MAX_SECRET_BLOCK


# ---------------------------------------------------------------- bad bodies


def respond(**overrides: Any) -> dict[str, Any]:
    """respond_to_auth_challenge_request with a valid PASSWORD_VERIFIER default, overridden."""
    args: dict[str, Any] = {
        "client_id": CLIENT,
        "challenge_name": "PASSWORD_VERIFIER",
        "challenge_responses": {
            "USERNAME": "bob",
            "PASSWORD_CLAIM_SECRET_BLOCK": BLOCK,
            "TIMESTAMP": "Thu Sep 5 07:08:09 UTC 2024",
            "PASSWORD_CLAIM_SIGNATURE": "c2lnbmF0dXJl",
        },
        "session": SESSION,
    }
    args.update(overrides)
    return srpkit.respond_to_auth_challenge_request(**args)


def initiate(**overrides: Any) -> dict[str, Any]:
    """initiate_auth_request with a valid USER_SRP_AUTH default, overridden."""
    args: dict[str, Any] = {
        "client_id": CLIENT,
        "auth_flow": "USER_SRP_AUTH",
        "auth_parameters": {"USERNAME": "bob", "SRP_A": "ab12"},
    }
    args.update(overrides)
    return srpkit.initiate_auth_request(**args)


@pytest.mark.parametrize(
    ("overrides", "fields", "error"),
    [
        ({"client_id": ""}, ["ClientId"], InvalidInputError),
        ({"client_id": "a" * 129}, ["ClientId"], InvalidInputError),
        ({"client_id": "bad-id"}, ["ClientId"], InvalidInputError),
        ({"client_id": 5}, ["ClientId"], ParameterTypeError),
        ({"challenge_name": "NOPE"}, ["ChallengeName"], InvalidInputError),
        ({"challenge_name": "ADMIN_NO_SRP_AUTH"}, ["ChallengeName"], InvalidInputError),
        ({"challenge_name": None}, ["ChallengeName"], ParameterTypeError),
        # MFA_SETUP needs only USERNAME (extra responses are allowed here), and a Session.
        ({"session": None, "challenge_name": "MFA_SETUP"}, ["Session"], InvalidInputError),
        ({"session": "s" * 19}, ["Session"], InvalidInputError),
        ({"session": "s" * 4097}, ["Session"], InvalidInputError),
        ({"session": b"s" * 30}, ["Session"], ParameterTypeError),
        (
            {"challenge_responses": [("USERNAME", "bob")]},
            ["ChallengeResponses"],
            ParameterTypeError,
        ),
        ({"client_metadata": {"k": 1}}, ["ClientMetadata.k"], ParameterTypeError),
        ({"client_metadata": {1: "v"}}, ["ClientMetadata"], ParameterTypeError),
        ({"client_metadata": {"k": "v" * 131073}}, ["ClientMetadata.k"], InvalidInputError),
        ({"user_context_data": {"Ip": "x"}}, ["UserContextData"], InvalidInputError),
        ({"user_context_data": "1.2.3.4"}, ["UserContextData"], ParameterTypeError),
        (
            {"analytics_metadata": {"AnalyticsEndpointId": 3}},
            ["AnalyticsMetadata.AnalyticsEndpointId"],
            ParameterTypeError,
        ),
    ],
)
def test_bad_respond_fields(
    overrides: dict[str, Any], fields: list[str], error: type[SRPKitError]
) -> None:
    """Each bad RespondToAuthChallenge field is a typed error naming it."""
    with pytest.raises(error) as info:
        respond(**overrides)
    assert list(info.value.fields) == fields


@pytest.mark.parametrize(
    ("name", "responses", "missing"),
    [
        ("DEVICE_SRP_AUTH", {}, ["USERNAME", "DEVICE_KEY", "SRP_A"]),
        ("DEVICE_SRP_AUTH", {"USERNAME": "bob", "SRP_A": "ab"}, ["DEVICE_KEY"]),
        (
            "DEVICE_PASSWORD_VERIFIER",
            {"USERNAME": "bob"},
            ["PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE", "DEVICE_KEY"],
        ),
        (
            "PASSWORD_VERIFIER",
            {"USERNAME": "bob", "TIMESTAMP": "t"},
            ["PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE"],
        ),
        ("SELECT_CHALLENGE", {"USERNAME": "bob", "ANSWER": "PASSWORD_SRP"}, ["SRP_A"]),
        ("SELECT_CHALLENGE", {"USERNAME": "bob"}, ["ANSWER"]),
        ("SMS_MFA", {"SMS_MFA_CODE": "1"}, ["USERNAME"]),
    ],
)
def test_missing_challenge_responses_all_named(
    name: str, responses: dict[str, str], missing: list[str]
) -> None:
    """A challenge answer lacking required responses names every missing one at once."""
    with pytest.raises(InvalidInputError) as info:
        respond(challenge_name=name, challenge_responses=responses)
    assert list(info.value.fields) == [f"ChallengeResponses.{k}" for k in missing]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("DEVICE_KEY", "not-a-device-key"),
        ("DEVICE_KEY", "us-east-1_0F1E2D3C"),
        ("SRP_A", "xyz"),
        ("SRP_A", "ab" * 513),
        ("USERNAME", "has space"),
        ("SECRET_HASH", "not a hash!"),
    ],
)
def test_bad_values_in_responses(key: str, value: str) -> None:
    """Values srpkit knows (DEVICE_KEY, SRP_A, USERNAME, SECRET_HASH) are checked and named."""
    good = {"USERNAME": "bob", "DEVICE_KEY": DEVICE, "SRP_A": "ab12"}
    with pytest.raises(InvalidInputError) as info:
        respond(challenge_name="DEVICE_SRP_AUTH", challenge_responses={**good, key: value})
    assert list(info.value.fields) == [f"ChallengeResponses.{key}"]


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"auth_flow": "NOPE"}, ["AuthFlow"]),
        ({"auth_flow": "ADMIN_NO_SRP_AUTH"}, ["AuthFlow"]),
        ({"auth_parameters": {"USERNAME": "bob"}}, ["AuthParameters.SRP_A"]),
        (
            {
                "auth_flow": "CUSTOM_AUTH",
                "auth_parameters": {"USERNAME": "b", "CHALLENGE_NAME": "SRP_A"},
            },
            ["AuthParameters.SRP_A"],
        ),
        (
            {
                "auth_flow": "USER_AUTH",
                "auth_parameters": {"USERNAME": "b", "PREFERRED_CHALLENGE": "PASSWORD_SRP"},
            },
            ["AuthParameters.SRP_A"],
        ),
        (
            {"auth_parameters": {"USERNAME": "bob", "SRP_A": "ab", "DEVICE_KEY": "x_Y"}},
            ["AuthParameters.DEVICE_KEY"],
        ),
        ({"session": "short"}, ["Session"]),
        ({"client_id": "", "auth_flow": "NOPE", "auth_parameters": {}}, ["ClientId", "AuthFlow"]),
    ],
)
def test_bad_initiate_fields(overrides: dict[str, Any], fields: list[str]) -> None:
    """Each bad InitiateAuth field (or missing flow parameter) is named; several at once together."""
    with pytest.raises(SRPKitError) as info:
        initiate(**overrides)
    assert list(info.value.fields) == fields


def test_all_problems_reported_together() -> None:
    """Bad ClientId, short Session and a missing DEVICE_KEY come back in one error."""
    with pytest.raises(InvalidInputError) as info:
        respond(
            client_id="x y",
            session="short",
            challenge_name="DEVICE_SRP_AUTH",
            challenge_responses={"USERNAME": "bob", "SRP_A": "ab"},
        )
    assert list(info.value.fields) == ["ClientId", "Session", "ChallengeResponses.DEVICE_KEY"]


def test_optional_fields_left_out() -> None:
    """Absent optional fields are absent from the body (botocore refuses None)."""
    assert set(initiate()) == {"ClientId", "AuthFlow", "AuthParameters"}
    assert set(respond()) == {"ClientId", "ChallengeName", "Session", "ChallengeResponses"}


def test_secrets_never_in_messages() -> None:
    """Session, password, SECRET_HASH and metadata values never appear in an error message."""
    secrets = [
        "SESSION-S3CRET-" + "x" * 4090,  # one past SessionType's 4096
        "PASSW0RD S3CRET",
        "HASH S3CRET!",
        "META-S3CRET\udc80",
    ]
    texts = []
    calls: tuple[Callable[[], object], ...] = (
        lambda: respond(session=secrets[0]),
        lambda: initiate(
            auth_flow="USER_PASSWORD_AUTH",
            auth_parameters={"USERNAME": "bad user", "PASSWORD": secrets[1]},
        ),
        lambda: respond(challenge_responses={"USERNAME": "b", "SECRET_HASH": secrets[2]}),
        lambda: respond(client_metadata={"k": secrets[3] * 20000}),
    )
    for call in calls:
        with pytest.raises(SRPKitError) as info:
            call()
        texts.append(str(info.value))
    for text in texts:
        for secret in secrets:
            assert secret[:12] not in text


# ---------------------------------------------------------------- flow builders


@pytest.mark.usefixtures("srp_backend")
def test_flow_bodies_carry_the_right_pieces() -> None:
    """Each flow builder sends the object's parameters, the right flow/challenge and the Session given."""
    u = user(client_secret=SECRET, device_key=DEVICE)
    body = srpkit.custom_auth_srp_request(u)
    assert body["AuthFlow"] == "CUSTOM_AUTH"
    assert body["AuthParameters"] == {**u.auth_parameters(), "CHALLENGE_NAME": "SRP_A"}
    body = srpkit.user_auth_request(u)
    assert body["AuthParameters"] == {**u.auth_parameters(), "PREFERRED_CHALLENGE": "PASSWORD_SRP"}
    body = srpkit.user_auth_request(u, preferred_challenge=None)
    assert "SRP_A" not in body["AuthParameters"]
    assert "PREFERRED_CHALLENGE" not in body["AuthParameters"]
    body = srpkit.select_password_srp_request(u, asked("SELECT_CHALLENGE"))
    assert body["ChallengeResponses"] == {"ANSWER": "PASSWORD_SRP", **u.auth_parameters()}
    assert body["Session"] == SESSION
    d = device(client_secret=SECRET)
    body = srpkit.device_srp_auth_request(d, asked("DEVICE_SRP_AUTH"))
    assert (body["ChallengeName"], body["Session"]) == ("DEVICE_SRP_AUTH", SESSION)
    assert body["ChallengeResponses"] == d.auth_parameters()


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(
    ("response", "error", "fields"),
    [
        (asked("SMS_MFA"), InvalidChallengeError, ("ChallengeName",)),
        ({"AuthenticationResult": {}}, InvalidChallengeError, ("ChallengeName",)),
        ({"ChallengeName": "DEVICE_SRP_AUTH", "Session": 5}, ParameterTypeError, ("Session",)),
        ({"ChallengeName": "DEVICE_SRP_AUTH", "Session": ""}, InvalidChallengeError, ("Session",)),
        (
            {"ChallengeName": "DEVICE_SRP_AUTH", "Session": SESSION, "ChallengeParameters": []},
            ParameterTypeError,
            ("ChallengeParameters",),
        ),
        ("DEVICE_SRP_AUTH", ParameterTypeError, ("response",)),
    ],
)
def test_flow_builders_check_the_response(
    response: Any, error: type[SRPKitError], fields: tuple[str, ...]
) -> None:
    """A response that does not ask this step, or has a malformed Session, is refused naming the field."""
    with pytest.raises(error) as info:
        srpkit.device_srp_auth_request(device(), response)
    assert info.value.fields == fields


@pytest.mark.parametrize(
    "name", ["PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"]
)
def test_srp_steps_go_without_a_session(name: str) -> None:
    """The SRP steps are answered without a Session when none is given, as Cognito asks them."""
    responses = {
        "USERNAME": "bob",
        "DEVICE_KEY": DEVICE,
        "SRP_A": "ab12",
        "PASSWORD_CLAIM_SECRET_BLOCK": BLOCK,
        "TIMESTAMP": "Thu Sep 5 07:08:09 UTC 2024",
        "PASSWORD_CLAIM_SIGNATURE": "c2lnbmF0dXJl",
    }
    body = respond(challenge_name=name, session=None, challenge_responses=responses)
    assert "Session" not in body
    body = respond(challenge_name=name, challenge_responses=responses)
    assert body["Session"] == SESSION


@pytest.mark.usefixtures("srp_backend")
def test_select_challenge_response_needs_its_session() -> None:
    """SELECT_CHALLENGE is asked with a Session, and a response without one is refused."""
    response = {"ChallengeName": "SELECT_CHALLENGE", "AvailableChallenges": ["PASSWORD_SRP"]}
    with pytest.raises(MissingParameterError) as info:
        srpkit.select_password_srp_request(user(), response)
    assert info.value.fields == ("Session",)


@pytest.mark.usefixtures("srp_backend")
def test_select_requires_password_srp_on_offer() -> None:
    """SELECT_CHALLENGE whose AvailableChallenges lack PASSWORD_SRP is refused."""
    response = {**asked("SELECT_CHALLENGE"), "AvailableChallenges": ["EMAIL_OTP", "WEB_AUTHN"]}
    with pytest.raises(InvalidChallengeError) as info:
        srpkit.select_password_srp_request(user(), response)
    assert info.value.fields == ("AvailableChallenges",)


@pytest.mark.usefixtures("srp_backend")
def test_user_auth_only_srp_or_choice() -> None:
    """user_auth_request builds PASSWORD_SRP or no preference, nothing else."""
    with pytest.raises(InvalidInputError) as info:
        srpkit.user_auth_request(user(), preferred_challenge="EMAIL_OTP")
    assert info.value.fields == ("preferred_challenge",)


@pytest.mark.usefixtures("srp_backend")
def test_device_password_verifier_bad_challenge_is_named() -> None:
    """Missing device challenge parameters surface through the builder, all named."""
    with pytest.raises(MissingParameterError) as info:
        srpkit.device_password_verifier_request(
            device(), asked("DEVICE_PASSWORD_VERIFIER"), now=NOW
        )
    assert info.value.fields == ("SALT", "SRP_B", "SECRET_BLOCK")
