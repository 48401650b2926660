"""AdminInitiateAuth / AdminRespondToAuthChallenge bodies: exact, botocore-valid, every bad one named."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import botocore.session
import pytest
from botocore.validate import validate_parameters

import srpkit
from srpkit import InvalidInputError, ParameterTypeError, SRPKitError, UserSRP
from srpkit._client import model as _model

POOL = "ap-south-1_Zx9Yw8Vu7"
CLIENT = "admin5client6id7example8"
SECRET = "adm1n-client-secret-0123456789abcdefghijklm"
SESSION = "AYABeAdminSessionValue-0123456789abcdef"
DEVICE = "ap-south-1_11112222-3333-4444-5555-666677778888"
CONTEXT: dict[str, Any] = {
    "IpAddress": "203.0.113.9",
    "ServerName": "auth.example.com",
    "ServerPath": "/login",
    "HttpHeaders": [
        {"headerName": "User-Agent", "headerValue": "tests/1.0"},
        {"headerName": "Authorization", "headerValue": "Bearer HEADER-S3CRET"},
    ],
    "EncodedData": "ZmluZ2VycHJpbnQ=",
}
MODEL = botocore.session.get_session().get_service_model("cognito-idp")


def initiate(**overrides: Any) -> dict[str, Any]:
    """admin_initiate_auth_request with a valid USER_SRP_AUTH default, overridden."""
    args: dict[str, Any] = {
        "pool_id": POOL,
        "client_id": CLIENT,
        "auth_flow": "USER_SRP_AUTH",
        "auth_parameters": {"USERNAME": "carol", "SRP_A": "ab12"},
    }
    args.update(overrides)
    return srpkit.admin_initiate_auth_request(
        args.pop("pool_id"),
        args.pop("client_id"),
        args.pop("auth_flow"),
        args.pop("auth_parameters"),
        **args,
    )


def respond(**overrides: Any) -> dict[str, Any]:
    """admin_respond_to_auth_challenge_request with a valid SMS_MFA default, overridden."""
    args: dict[str, Any] = {
        "pool_id": POOL,
        "client_id": CLIENT,
        "challenge_name": "SMS_MFA",
        "challenge_responses": {"USERNAME": "carol", "SMS_MFA_CODE": "123456"},
        "session": SESSION,
    }
    args.update(overrides)
    return srpkit.admin_respond_to_auth_challenge_request(
        args.pop("pool_id"),
        args.pop("client_id"),
        args.pop("challenge_name"),
        args.pop("challenge_responses"),
        **args,
    )


def test_initiate_body_exact() -> None:
    """UserPoolId, ClientId, AuthFlow, AuthParameters and every option, key by key."""
    body = initiate(
        client_metadata={"k": "v"},
        analytics_metadata={"AnalyticsEndpointId": "e"},
        context_data=CONTEXT,
    )
    expected = {
        "UserPoolId": POOL,
        "ClientId": CLIENT,
        "AuthFlow": "USER_SRP_AUTH",
        "AuthParameters": {"USERNAME": "carol", "SRP_A": "ab12"},
        "ClientMetadata": {"k": "v"},
        "AnalyticsMetadata": {"AnalyticsEndpointId": "e"},
        "ContextData": CONTEXT,
    }
    assert sorted(body) == sorted(expected)
    for key, value in expected.items():
        assert body[key] == value, key
    assert body["ContextData"] is not CONTEXT  # a copy: the caller's mapping is not sent on


def test_respond_body_exact() -> None:
    """UserPoolId, ClientId, ChallengeName, Session, ChallengeResponses, key by key."""
    body = respond(context_data=CONTEXT)
    expected = {
        "UserPoolId": POOL,
        "ClientId": CLIENT,
        "ChallengeName": "SMS_MFA",
        "Session": SESSION,
        "ChallengeResponses": {"USERNAME": "carol", "SMS_MFA_CODE": "123456"},
        "ContextData": CONTEXT,
    }
    assert sorted(body) == sorted(expected)
    for key, value in expected.items():
        assert body[key] == value, key


@pytest.mark.usefixtures("srp_backend")
def test_admin_user_srp_auth_request() -> None:
    """The convenience builder sends the user's pool, client and USER_SRP_AUTH parameters."""
    user = UserSRP(POOL, CLIENT, "carol@example.com", "pw", client_secret=SECRET, device_key=DEVICE)
    body = srpkit.admin_user_srp_auth_request(user, context_data=CONTEXT)
    expected = {
        "UserPoolId": POOL,
        "ClientId": CLIENT,
        "AuthFlow": "USER_SRP_AUTH",
        "AuthParameters": user.auth_parameters(),
        "ContextData": CONTEXT,
    }
    assert sorted(body) == sorted(expected)
    for key, value in expected.items():
        assert body[key] == value, key
    assert sorted(body["AuthParameters"]) == ["DEVICE_KEY", "SECRET_HASH", "SRP_A", "USERNAME"]
    validate_parameters(body, MODEL.operation_model("AdminInitiateAuth").input_shape)


@pytest.mark.parametrize(
    ("flow", "params"),
    [
        ("USER_SRP_AUTH", {"USERNAME": "u", "SRP_A": "ab"}),
        ("USER_AUTH", {"USERNAME": "u"}),
        ("CUSTOM_AUTH", {"USERNAME": "u"}),
        ("REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": "eyJ.r"}),
        ("REFRESH_TOKEN", {"REFRESH_TOKEN": "eyJ.r"}),
        ("ADMIN_USER_PASSWORD_AUTH", {"USERNAME": "u", "PASSWORD": "pw"}),
        ("ADMIN_NO_SRP_AUTH", {"USERNAME": "u", "PASSWORD": "pw"}),
    ],
)
def test_admin_flows_accepted_and_botocore_valid(flow: str, params: dict[str, str]) -> None:
    """Each flow AdminInitiateAuth documents is built, and botocore's validation accepts it."""
    body = initiate(auth_flow=flow, auth_parameters=params, context_data=CONTEXT)
    assert (body["AuthFlow"], body["AuthParameters"]) == (flow, params)
    validate_parameters(body, MODEL.operation_model("AdminInitiateAuth").input_shape)


@pytest.mark.parametrize(
    ("name", "responses", "session"),
    [
        ("SMS_MFA", {"USERNAME": "u", "SMS_MFA_CODE": "1"}, SESSION),
        ("ADMIN_NO_SRP_AUTH", {"USERNAME": "u", "PASSWORD": "pw"}, SESSION),
        ("NEW_PASSWORD_REQUIRED", {"USERNAME": "u", "NEW_PASSWORD": "n"}, SESSION),
        ("MFA_SETUP", {"USERNAME": "u"}, SESSION),
        (
            "PASSWORD_VERIFIER",
            {
                "USERNAME": "u",
                "PASSWORD_CLAIM_SECRET_BLOCK": "YmxvY2s=",
                "TIMESTAMP": "Mon Jan 6 10:00:00 UTC 2025",
                "PASSWORD_CLAIM_SIGNATURE": "c2ln",
            },
            None,
        ),
    ],
)
def test_admin_answers_botocore_valid(
    name: str, responses: dict[str, str], session: str | None
) -> None:
    """Answers, ADMIN_NO_SRP_AUTH's included and PASSWORD_VERIFIER without Session, pass botocore's validation."""
    body = respond(
        challenge_name=name, challenge_responses=responses, session=session, context_data=CONTEXT
    )
    assert ("Session" in body) == (session is not None)
    validate_parameters(body, MODEL.operation_model("AdminRespondToAuthChallenge").input_shape)


def test_context_data_agrees_with_model() -> None:
    """ContextData's members, required members and HttpHeader members are botocore's."""
    shape = MODEL.shape_for("ContextDataType")
    assert set(_model.STRUCT_MEMBERS["ContextData"]) == set(shape.members)
    assert set(_model.REQUIRED_MEMBERS["ContextData"]) == set(shape.required_members)
    headers = shape.members["HttpHeaders"]
    assert headers.type_name == "list"
    assert _model.LIST_MEMBERS == {"HttpHeaders": "HttpHeader"}
    assert set(_model.STRUCT_MEMBERS["HttpHeader"]) == set(headers.member.members)
    for name, member in shape.members.items():
        if name != "HttpHeaders":
            assert member.name == "StringType", name
    for operation in ("AdminInitiateAuth", "AdminRespondToAuthChallenge"):
        members = MODEL.operation_model(operation).input_shape.members
        assert members["ContextData"].name == "ContextDataType"
        assert "UserContextData" not in members


def test_admin_flows_are_the_documented_ones() -> None:
    """The flows admin builds are those AdminInitiateAuth's AuthFlow text lists, plus legacy ADMIN_NO_SRP_AUTH."""
    member = MODEL.operation_model("AdminInitiateAuth").input_shape.members["AuthFlow"]
    documented = set(
        re.findall(
            r"[A-Z][A-Z_]+[A-Z]", " ".join(re.findall(r"<dt>(.*?)</dt>", member.documentation))
        )
    )
    accepted = set(_model.AUTH_FLOWS) - _model.NOT_FOR_ADMIN_INITIATE_AUTH
    assert accepted == documented | {"ADMIN_NO_SRP_AUTH"}
    assert "USER_PASSWORD_AUTH" not in documented


# ---------------------------------------------------------------- bad bodies


def header(**kw: Any) -> dict[str, Any]:
    """CONTEXT with its members overridden (None removes one)."""
    out = {**CONTEXT, **kw}
    return {k: v for k, v in out.items() if v is not None}


@pytest.mark.parametrize(
    ("context", "fields", "error"),
    [
        ("203.0.113.9", ["ContextData"], ParameterTypeError),
        (
            header(IpAddress=None, ServerPath=None),
            ["ContextData.IpAddress", "ContextData.ServerPath"],
            None,
        ),
        (header(HttpHeaders=None), ["ContextData.HttpHeaders"], InvalidInputError),
        (header(HttpHeaders={"User-Agent": "x"}), ["ContextData.HttpHeaders"], ParameterTypeError),
        (header(HttpHeaders=["User-Agent: x"]), ["ContextData.HttpHeaders[0]"], ParameterTypeError),
        (
            header(HttpHeaders=[{"headerName": "a", "headerValue": 1}]),
            ["ContextData.HttpHeaders[0].headerValue"],
            ParameterTypeError,
        ),
        (
            header(HttpHeaders=[{"headerName": "a"}, {"name": "b"}]),
            ["ContextData.HttpHeaders[1]"],
            InvalidInputError,
        ),
        (header(ServerName=5), ["ContextData.ServerName"], ParameterTypeError),
        (header(EncodedData="e" * 131073), ["ContextData.EncodedData"], InvalidInputError),
        (header(Extra="x"), ["ContextData"], InvalidInputError),
    ],
)
def test_bad_context_data_is_named(
    context: Any, fields: list[str], error: type[SRPKitError] | None
) -> None:
    """Each malformed ContextData (type, missing member, headers shape, length, unknown key) names the member."""
    for build in (initiate, respond):
        with pytest.raises(error or InvalidInputError) as info:
            build(context_data=context)
        assert list(info.value.fields) == fields


@pytest.mark.parametrize(
    ("overrides", "fields", "error"),
    [
        ({"pool_id": "no-underscore"}, ["pool_id"], InvalidInputError),
        ({"pool_id": 3}, ["pool_id"], ParameterTypeError),
        ({"auth_flow": "USER_PASSWORD_AUTH"}, ["AuthFlow"], InvalidInputError),
        ({"auth_flow": "NOPE"}, ["AuthFlow"], InvalidInputError),
        (
            {"auth_flow": "ADMIN_USER_PASSWORD_AUTH", "auth_parameters": {"USERNAME": "u"}},
            ["AuthParameters.PASSWORD"],
            InvalidInputError,
        ),
        ({"auth_parameters": {"USERNAME": "u"}}, ["AuthParameters.SRP_A"], InvalidInputError),
        ({"auth_parameters": "USERNAME=u"}, ["AuthParameters"], ParameterTypeError),
        ({"session": "short"}, ["Session"], InvalidInputError),
        ({"client_id": "x y"}, ["ClientId"], InvalidInputError),
        ({"analytics_metadata": {"Id": "x"}}, ["AnalyticsMetadata"], InvalidInputError),
    ],
)
def test_bad_initiate_fields(
    overrides: dict[str, Any], fields: list[str], error: type[SRPKitError]
) -> None:
    """Each bad AdminInitiateAuth field is a typed error naming it, by the non-admin rules."""
    with pytest.raises(error) as info:
        initiate(**overrides)
    assert list(info.value.fields) == fields


@pytest.mark.parametrize(
    ("overrides", "fields", "error"),
    [
        ({"session": None}, ["Session"], InvalidInputError),
        ({"session": "s" * 19}, ["Session"], InvalidInputError),
        ({"challenge_name": "NOPE"}, ["ChallengeName"], InvalidInputError),
        ({"challenge_responses": {"USERNAME": "u"}}, ["ChallengeResponses.SMS_MFA_CODE"], None),
        (
            {"challenge_name": "ADMIN_NO_SRP_AUTH", "challenge_responses": {"USERNAME": "u"}},
            ["ChallengeResponses.PASSWORD"],
            InvalidInputError,
        ),
        (
            {"challenge_name": "DEVICE_SRP_AUTH", "challenge_responses": {"USERNAME": "u"}},
            ["ChallengeResponses.DEVICE_KEY", "ChallengeResponses.SRP_A"],
            InvalidInputError,
        ),
        ({"pool_id": "a_b_c"}, ["pool_id"], InvalidInputError),
    ],
)
def test_bad_respond_fields(
    overrides: dict[str, Any], fields: list[str], error: type[SRPKitError] | None
) -> None:
    """Each bad AdminRespondToAuthChallenge field is named; the Session rule is RespondToAuthChallenge's."""
    with pytest.raises(error or InvalidInputError) as info:
        respond(**overrides)
    assert list(info.value.fields) == fields


def test_admin_problems_reported_together() -> None:
    """A bad pool, flow, Session and ContextData come back in one error."""
    with pytest.raises(InvalidInputError) as info:
        initiate(pool_id="bad", auth_flow="USER_PASSWORD_AUTH", session="x", context_data={})
    assert list(info.value.fields) == [
        "AuthFlow",
        "Session",
        "pool_id",
        "ContextData.IpAddress",
        "ContextData.ServerName",
        "ContextData.ServerPath",
        "ContextData.HttpHeaders",
    ]


def test_no_secret_in_admin_errors() -> None:
    """Header values, Sessions, passwords and codes never appear in an error or its context chain."""
    secrets = ["HEADER-S3CRET", "SESSION-S3CRET", "PASSW0RD-S3CRET", "C0DE-S3CRET"]
    calls: list[Callable[[], object]] = [
        lambda: initiate(context_data=header(IpAddress=None)),
        lambda: initiate(
            context_data=header(
                HttpHeaders=[{"headerName": "A", "headerValue": "HEADER-S3CRET" * 20000}]
            )
        ),
        lambda: respond(session="SESSION-S3CRET" * 400),
        lambda: initiate(
            auth_flow="ADMIN_USER_PASSWORD_AUTH",
            auth_parameters={"USERNAME": "bad user", "PASSWORD": "PASSW0RD-S3CRET"},
        ),
        lambda: respond(
            challenge_name="SELECT_MFA_TYPE",
            challenge_responses={"USERNAME": "u", "ANSWER": "C0DE-S3CRET"},
        ),
    ]
    for call in calls:
        with pytest.raises(SRPKitError) as info:
            call()
        node: BaseException | None = info.value
        while node is not None:
            for text in (str(node), repr(node), *map(repr, node.args)):
                assert not any(s in text for s in secrets), text[:200]
            node = node.__context__ or node.__cause__
