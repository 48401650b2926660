"""Refresh bodies (InitiateAuth REFRESH_TOKEN(_AUTH), GetTokensFromRefreshToken): exact, botocore-valid, secret-safe."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ParamValidationError
from botocore.validate import validate_parameters

import srpkit
from srpkit import InvalidInputError, ParameterTypeError, SRPKitError
from srpkit._client import model as _model
from srpkit._core import caps as _caps

CLIENT = "1h57k2exampleclient0000abcd"
SECRET = "Cl1ent-secret-value-0123456789ABCDEFGHIJKLMN"
DEVICE = "eu-west-1_4c3b2a19-8d7e-4f60-9a5b-1c2d3e4f5a6b"
INTERNAL = "4a1f-internal-user"  # the tokens' cognito:username; the user typed an alias
# The shape of a real refresh token: a JWE, five base64url segments joined by dots.
TOKEN = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.Zm9v-YmFy_cXV4.aXY.Y2lwaGVy.dGFn"
MODEL = botocore.session.get_session().get_service_model("cognito-idp")


def keyed_hash(username: str) -> str:
    """The SECRET_HASH of ``username`` at CLIENT, from its definition (not srpkit's code)."""
    mac = hmac.new(SECRET.encode(), f"{username}{CLIENT}".encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def chain_texts(error: BaseException) -> list[str]:
    """str, repr and args of the error and of everything on its __context__ / __cause__ chain."""
    texts: list[str] = []
    node: BaseException | None = error
    while node is not None:
        texts += [str(node), repr(node), *(repr(a) for a in node.args)]
        node = node.__context__ or node.__cause__
    return texts


def same_keys(got: dict[str, Any], expected: dict[str, Any]) -> None:
    """Equal key by key, and no key more on either side."""
    assert sorted(got) == sorted(expected)
    for key, value in expected.items():
        assert got[key] == value, key


# ---------------------------------------------------------------- good bodies


def test_refresh_plain() -> None:
    """Without a secret or device: ClientId, AuthFlow, AuthParameters {REFRESH_TOKEN} and nothing else."""
    body = srpkit.refresh_request(CLIENT, TOKEN)
    same_keys(
        body,
        {
            "ClientId": CLIENT,
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "AuthParameters": {"REFRESH_TOKEN": TOKEN},
        },
    )


@pytest.mark.parametrize("flow", ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"])
def test_refresh_with_secret_device_and_extras(flow: str) -> None:
    """SECRET_HASH is over the username given (the internal one), DEVICE_KEY and the extras go along."""
    body = srpkit.refresh_request(
        CLIENT,
        TOKEN,
        username=INTERNAL,
        client_secret=SECRET,
        device_key=DEVICE,
        flow=flow,
        client_metadata={"app": "tests"},
        analytics_metadata={"AnalyticsEndpointId": "e-2"},
        user_context_data={"EncodedData": "ZGF0YQ=="},
    )
    same_keys(
        body,
        {
            "ClientId": CLIENT,
            "AuthFlow": flow,
            "AuthParameters": {
                "REFRESH_TOKEN": TOKEN,
                "SECRET_HASH": keyed_hash(INTERNAL),
                "DEVICE_KEY": DEVICE,
            },
            "ClientMetadata": {"app": "tests"},
            "AnalyticsMetadata": {"AnalyticsEndpointId": "e-2"},
            "UserContextData": {"EncodedData": "ZGF0YQ=="},
        },
    )
    assert "USERNAME" not in body["AuthParameters"]  # hashed over, never sent


def test_username_without_secret_changes_nothing() -> None:
    """Without a client secret the username is checked but not used: the body is the plain one."""
    assert srpkit.refresh_request(CLIENT, TOKEN, username=INTERNAL) == srpkit.refresh_request(
        CLIENT, TOKEN
    )


def test_get_tokens_bodies() -> None:
    """GetTokensFromRefreshToken: RefreshToken, ClientId and, when given, ClientSecret, DeviceKey, ClientMetadata."""
    same_keys(
        srpkit.get_tokens_from_refresh_token_request(CLIENT, TOKEN),
        {"RefreshToken": TOKEN, "ClientId": CLIENT},
    )
    body = srpkit.get_tokens_from_refresh_token_request(
        CLIENT, TOKEN, client_secret=SECRET, device_key=DEVICE, client_metadata={"a": "b"}
    )
    same_keys(
        body,
        {
            "RefreshToken": TOKEN,
            "ClientId": CLIENT,
            "ClientSecret": SECRET,
            "DeviceKey": DEVICE,
            "ClientMetadata": {"a": "b"},
        },
    )


def test_get_tokens_members_are_the_models() -> None:
    """The members the builder sends are exactly botocore's GetTokensFromRefreshTokenRequest's, required ones always."""
    shape = MODEL.operation_model("GetTokensFromRefreshToken").input_shape
    body = srpkit.get_tokens_from_refresh_token_request(
        CLIENT, TOKEN, client_secret=SECRET, device_key=DEVICE, client_metadata={"a": "b"}
    )
    assert set(body) == set(shape.members)
    assert set(shape.required_members) <= set(
        srpkit.get_tokens_from_refresh_token_request(CLIENT, TOKEN)
    )
    assert shape.members["RefreshToken"].name == "TokenModelType"
    assert shape.members["ClientSecret"].name == "ClientSecretType"
    assert shape.members["DeviceKey"].name == "DeviceKeyType"


def test_refresh_flows_and_token_shape_are_the_models() -> None:
    """REFRESH_FLOWS are AuthFlowType values; TokenModelType's pattern is srpkit's."""
    flows = MODEL.shape_for("AuthFlowType").enum
    assert set(_model.REFRESH_FLOWS) <= set(flows)
    token = MODEL.shape_for("TokenModelType").metadata
    assert _model.SHAPES["TokenModelType"].pattern == token["pattern"]
    assert "max" not in token  # so srpkit's cap is the bound
    assert _model.SHAPES["TokenModelType"].max_len == _caps.MAX_TOKEN


BOTOCORE_CASES = [
    ("InitiateAuth", srpkit.refresh_request(CLIENT, TOKEN)),
    (
        "InitiateAuth",
        srpkit.refresh_request(
            CLIENT,
            TOKEN,
            username=INTERNAL,
            client_secret=SECRET,
            device_key=DEVICE,
            flow="REFRESH_TOKEN",
            client_metadata={"k": "v"},
            analytics_metadata={"AnalyticsEndpointId": "x"},
            user_context_data={"IpAddress": "198.51.100.7"},
        ),
    ),
    ("GetTokensFromRefreshToken", srpkit.get_tokens_from_refresh_token_request(CLIENT, TOKEN)),
    (
        "GetTokensFromRefreshToken",
        srpkit.get_tokens_from_refresh_token_request(
            CLIENT, TOKEN, client_secret=SECRET, device_key=DEVICE, client_metadata={"k": "v"}
        ),
    ),
]


@pytest.mark.parametrize(("operation", "body"), BOTOCORE_CASES)
def test_botocore_validates_body(operation: str, body: dict[str, Any]) -> None:
    """Each body passes botocore's own parameter validation for its operation."""
    validate_parameters(body, MODEL.operation_model(operation).input_shape)


def test_botocore_validation_can_fail() -> None:
    """Sanity: the same validation refuses a body with an unknown member (so the round trip proves something)."""
    body = {**srpkit.get_tokens_from_refresh_token_request(CLIENT, TOKEN), "SecretHash": "x"}
    with pytest.raises(ParamValidationError):
        validate_parameters(body, MODEL.operation_model("GetTokensFromRefreshToken").input_shape)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "fields", "error"),
    [
        ({"refresh_token": 5}, ["AuthParameters.REFRESH_TOKEN"], ParameterTypeError),
        ({"refresh_token": ""}, ["AuthParameters.REFRESH_TOKEN"], InvalidInputError),
        ({"refresh_token": "Bearer " + TOKEN}, ["AuthParameters.REFRESH_TOKEN"], InvalidInputError),
        ({"refresh_token": TOKEN + "\n"}, ["AuthParameters.REFRESH_TOKEN"], InvalidInputError),
        (
            {"refresh_token": "a" * (_caps.MAX_TOKEN + 1)},
            ["AuthParameters.REFRESH_TOKEN"],
            InvalidInputError,
        ),
        ({"client_secret": SECRET}, ["username"], InvalidInputError),
        ({"client_secret": SECRET, "username": "has space"}, ["username"], InvalidInputError),
        ({"username": 7}, ["username"], ParameterTypeError),
        ({"client_secret": b"bytes", "username": INTERNAL}, ["client_secret"], ParameterTypeError),
        ({"device_key": "us-east-1_NOT-HEX"}, ["AuthParameters.DEVICE_KEY"], InvalidInputError),
        ({"flow": "USER_SRP_AUTH"}, ["AuthFlow"], InvalidInputError),
        ({"flow": "REFRESH"}, ["AuthFlow"], InvalidInputError),
        ({"flow": None}, ["AuthFlow"], ParameterTypeError),
        ({"client_id": "bad id"}, ["ClientId"], InvalidInputError),
        ({"client_metadata": {"k": 1}}, ["ClientMetadata.k"], ParameterTypeError),
        ({"user_context_data": {"Ip": "x"}}, ["UserContextData"], InvalidInputError),
    ],
)
def test_bad_refresh_input_is_named(
    kwargs: dict[str, Any], fields: list[str], error: type[SRPKitError]
) -> None:
    """Each bad argument of refresh_request is a typed error naming its field."""
    args: dict[str, Any] = {"client_id": CLIENT, "refresh_token": TOKEN, **kwargs}
    with pytest.raises(error) as info:
        srpkit.refresh_request(args.pop("client_id"), args.pop("refresh_token"), **args)
    assert list(info.value.fields) == fields


def test_missing_username_says_which_name() -> None:
    """With a secret and no username the error asks for the internal name, not an alias."""
    with pytest.raises(InvalidInputError) as info:
        srpkit.refresh_request(CLIENT, TOKEN, client_secret=SECRET)
    assert "USER_ID_FOR_SRP" in str(info.value)


def test_refresh_problems_reported_together() -> None:
    """A bad token, flow, client id and a missing username come back in one error."""
    with pytest.raises(InvalidInputError) as info:
        srpkit.refresh_request("bad id", "bad token", client_secret=SECRET, flow="CUSTOM_AUTH")
    assert list(info.value.fields) == [
        "AuthParameters.REFRESH_TOKEN",
        "username",
        "ClientId",
        "AuthFlow",
    ]


@pytest.mark.parametrize(
    ("kwargs", "fields", "error"),
    [
        ({"refresh_token": None}, ["RefreshToken"], ParameterTypeError),
        ({"refresh_token": "tok en"}, ["RefreshToken"], InvalidInputError),
        ({"refresh_token": "t" * (_caps.MAX_TOKEN + 1)}, ["RefreshToken"], InvalidInputError),
        ({"client_secret": 3}, ["ClientSecret"], ParameterTypeError),
        ({"client_secret": ""}, ["ClientSecret"], InvalidInputError),
        ({"device_key": "nope"}, ["DeviceKey"], InvalidInputError),
        ({"client_id": ""}, ["ClientId"], InvalidInputError),
        ({"client_metadata": ["k"]}, ["ClientMetadata"], ParameterTypeError),
    ],
)
def test_bad_get_tokens_input_is_named(
    kwargs: dict[str, Any], fields: list[str], error: type[SRPKitError]
) -> None:
    """Each bad argument of get_tokens_from_refresh_token_request is a typed error naming its member."""
    args: dict[str, Any] = {"client_id": CLIENT, "refresh_token": TOKEN, **kwargs}
    with pytest.raises(error) as info:
        srpkit.get_tokens_from_refresh_token_request(
            args.pop("client_id"), args.pop("refresh_token"), **args
        )
    assert list(info.value.fields) == fields


SECRET_TOKEN = "eyJSECRETrefresh.token-with space"
SECRET_LONG = "eyJSECRETlongtoken" + "x" * (_caps.MAX_TOKEN + 10)


@pytest.mark.parametrize(
    "call",
    [
        lambda: srpkit.refresh_request(CLIENT, SECRET_TOKEN),
        lambda: srpkit.refresh_request(CLIENT, SECRET_LONG, client_secret=SECRET),
        lambda: srpkit.refresh_request(CLIENT, SECRET_TOKEN, username="a b", client_secret=SECRET),
        lambda: srpkit.refresh_request(
            CLIENT, TOKEN, username=INTERNAL, client_secret="S\udc80" + SECRET
        ),
        lambda: srpkit.get_tokens_from_refresh_token_request(
            CLIENT, SECRET_TOKEN, client_secret=SECRET
        ),
        lambda: srpkit.get_tokens_from_refresh_token_request(CLIENT, SECRET_LONG),
        lambda: srpkit.get_tokens_from_refresh_token_request("bad id", TOKEN, client_secret=SECRET),
    ],
)
def test_no_token_or_secret_in_errors(call: Any) -> None:
    """Refresh tokens and client secrets never appear in an error or anything on its context chain."""
    with pytest.raises(SRPKitError) as info:
        call()
    for text in chain_texts(info.value):
        for secret in ("eyJSECRET", SECRET, TOKEN):
            assert secret not in text
