"""Fuzzing the journeys: whatever a server answers and whatever a caller passes, only typed errors escape.

The sign-in machine, the refresh and confirm-device calls, and both drivers
(``srpkit.aws`` and ``srpkit.aio``, through fake clients that answer what
hypothesis draws) are fed hostile responses: wrong types in every member,
unknown challenges, missing keys, endless challenges. Every escape must be an
``SRPKitError`` (or the fake client's own AWS error, passed through unchanged),
and no secret may appear in an error's message or anywhere in its context chain.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import cognito_srp as ref

from srpkit import SRPKitError, aio, aws
from srpkit._client.calls import refresh_call
from srpkit._client.journey import Call, SignIn
from srpkit._client.model import CHALLENGE_NAMES

PASSWORD = "Fuzz-passw0rd-9f3a1c"
SECRET = "fuzz-client-secret-7b2e9d0c4a1f6e8b3d5c7a9e1f0b2d4c6a8e"
REFRESH = "fuzz-refresh-token-5d7f9b1e3a"
CODE = "913579"
SECRETS = (PASSWORD, SECRET, REFRESH, CODE)
POOL_ID = "us-east-1_FuZz0ne42"
CLIENT_ID = "fuzzc1ient0123456789abcde"

st_text = st.text(max_size=40)
st_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st_text)
st_value = st.recursive(
    st_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st_text, inner, max_size=3)
    ),
    max_leaves=8,
)
st_name = st.one_of(st.sampled_from(CHALLENGE_NAMES), st_value)
_GOOD_PARAMS = {
    "SALT": "8ce8a2c5c7e1d0b9",
    "SRP_B": ref.java_hex(ref.server_public(ref.verifier(99), 77)),
    "SECRET_BLOCK": base64.b64encode(b"x" * 64).decode(),
    "USER_ID_FOR_SRP": "fuzz-user",
}
st_params = st.one_of(
    st_value,
    st.dictionaries(st.sampled_from([*_GOOD_PARAMS, "USERNAME"]), st_value, max_size=5),
    st.builds(
        lambda extra: {**_GOOD_PARAMS, **extra}, st.dictionaries(st_text, st_text, max_size=2)
    ),
)
st_response = st.one_of(
    st_value,
    st.fixed_dictionaries(
        {},
        optional={
            "ChallengeName": st_name,
            "Session": st.one_of(st_value, st.text(min_size=20, max_size=60)),
            "ChallengeParameters": st_params,
            "AvailableChallenges": st_value,
            "AuthenticationResult": st_value,
        },
    ),
)


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def assert_clean(error: BaseException) -> None:
    """A typed srpkit error whose whole chain (messages, args, attributes) shows no secret."""
    assert isinstance(error, SRPKitError), repr(error)
    for link in _chain(error):
        shown = " ".join([str(link), repr(link.args), repr(vars(link))])
        for secret in SECRETS:
            assert secret not in shown, type(link).__name__


def machine(**options: Any) -> SignIn:
    """A journey with every secret in play (client secret, device)."""
    return SignIn(
        pool_id=POOL_ID,
        client_id=CLIENT_ID,
        username="fuzz-user",
        password=PASSWORD,
        client_secret=SECRET,
        **options,
    )


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st_response, min_size=1, max_size=4), st_value)
def test_receive_any_response(responses: list[Any], reply: Any) -> None:
    """Each response is read into a Call, a result, or a typed error without a secret."""
    journey = machine()
    journey.start()
    try:
        for response in responses:
            out = journey.receive(response)
            if not isinstance(out, Call) and journey.pending is not None:
                journey.answer(reply if not isinstance(reply, str) else {"SMS_MFA_CODE": CODE})
    except Exception as exc:
        assert_clean(exc)


@settings(max_examples=200)
@given(
    st.fixed_dictionaries(
        {
            "client_id": st.one_of(st.just(CLIENT_ID), st_value),
            "refresh_token": st.one_of(st.just(REFRESH), st_value),
            "username": st.one_of(st.none(), st.just("fuzz-user"), st_value),
            "client_secret": st.one_of(st.none(), st.just(SECRET), st_value),
            "device_key": st.one_of(st.none(), st.just("us-east-1_0a1b-2c3d"), st_value),
            "rotate": st.booleans(),
        }
    )
)
def test_refresh_call_any_arguments(args: dict[str, Any]) -> None:
    """refresh_call builds a body or raises a typed error that shows no token or secret."""
    try:
        call = refresh_call(**args)
    except Exception as exc:
        assert_clean(exc)
    else:
        assert call.body["ClientId"] == args["client_id"]


class _RefusedError(Exception):
    """The fake client's stand-in for an AWS error: it must pass through unchanged."""

    def __init__(self) -> None:
        super().__init__("refused")
        self.response = {"Error": {"Code": "NotAuthorizedException", "Message": "no"}}


class _Scripted:
    """A fake boto3 client answering each call with the next drawn response (or an AWS error)."""

    def __init__(self, responses: list[Any]) -> None:
        self._responses = iter(responses)

    def _next(self, **_body: Any) -> Any:
        response = next(self._responses, None)
        if response is None:
            raise _RefusedError
        return response

    initiate_auth = respond_to_auth_challenge = confirm_device = _next


class _AsyncScripted(_Scripted):
    """The same, awaited (an aiobotocore client's methods are coroutines)."""

    async def _anext(self, **body: Any) -> Any:
        return self._next(**body)

    initiate_auth = respond_to_auth_challenge = confirm_device = _anext  # type: ignore[assignment]


def _answer(_challenge: Any) -> dict[str, str]:
    return {"SOFTWARE_TOKEN_MFA_CODE": CODE}


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st_response, max_size=4))
def test_both_drivers_survive_any_server(responses: list[Any]) -> None:
    """aws.authenticate and aio.authenticate end in tokens, a pending challenge, or clean errors."""
    common = {
        "pool_id": POOL_ID,
        "client_id": CLIENT_ID,
        "username": "fuzz-user",
        "password": PASSWORD,
        "client_secret": SECRET,
        "answer": _answer,
    }
    outcomes = []
    for run in (
        lambda: aws.authenticate(_Scripted(list(responses)), **common),
        lambda: asyncio.run(aio.authenticate(_AsyncScripted(list(responses)), **common)),
    ):
        try:
            result = run()
        except _RefusedError:
            outcomes.append("aws error")
        except Exception as exc:
            assert_clean(exc)
            outcomes.append(type(exc).__name__)
        else:
            outcomes.append("signed in" if result.signed_in else "pending")
    # One machine drives both: the same answers end the same way.
    assert outcomes[0] == outcomes[1]


st_cli_answer = st.one_of(
    st_response,
    st.just(
        {"AuthenticationResult": {"AccessToken": "a", "IdToken": "i", "RefreshToken": REFRESH}}
    ),
)


class _ScriptedCli(_Scripted):
    """The fake client with the calls the login and refresh commands add."""

    def _next_any(self, **body: Any) -> Any:
        return self._next(**body)

    update_device_status = get_tokens_from_refresh_token = _next_any


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st_cli_answer, max_size=3),
    st.sampled_from(["login", "refresh"]),
    st.lists(
        st.sampled_from(["--print", "env", "id-token", "--flow", "USER_AUTH", "--rotate"]),
        max_size=3,
    ),
)
def test_login_and_refresh_commands_survive_any_server(
    responses: list[Any], command: str, extra: list[str]
) -> None:
    """srpkit login / refresh: exit 0, 1 or 2 with one line on stderr, never a traceback or a secret."""
    import io as text_io  # noqa: PLC0415 - only this target needs it

    from srpkit._cli import CommandIO  # noqa: PLC0415
    from srpkit._cli import login as login_cli  # noqa: PLC0415
    from srpkit._cli import refresh as refresh_cli  # noqa: PLC0415

    argv = ["--pool-id", POOL_ID, "--client-id", CLIENT_ID, "--username", "fuzz-user", *extra]
    env = {
        "SRPKIT_PASSWORD": PASSWORD,
        "SRPKIT_CLIENT_SECRET": SECRET,
        "SRPKIT_MFA_CODE": CODE,
        "SRPKIT_REFRESH_TOKEN": REFRESH,
        "SRPKIT_NEW_PASSWORD": PASSWORD + "-new",
    }
    out, err = text_io.StringIO(), text_io.StringIO()
    streams = CommandIO(text_io.StringIO(), out, err, env)
    cli = login_cli if command == "login" else refresh_cli
    status = cli.main(argv, streams, client=_ScriptedCli(list(responses)))
    assert status in (0, 1, 2), status
    assert "Traceback" not in err.getvalue()
    if status != 0:
        assert out.getvalue() == ""
        assert err.getvalue().count("\n") >= 1
    for secret in (PASSWORD, SECRET, CODE):
        assert secret not in out.getvalue() + err.getvalue()
    if status != 0:
        assert REFRESH not in err.getvalue()
