"""Resource caps: a 100 MiB value is refused by a length check, before any big arithmetic or scan of it.

No wall time is asserted. Instead, while srpkit refuses each oversized value:
every exponentiation entry point (``powmod``, ``powmod_g``, wherever imported)
raises; every regular expression srpkit uses records the length of what it is
asked to match, and none may see the huge value; and tracemalloc shows that no
copy of it was made (no int parsed from it, no bytes decoded or encoded from
it). The value is 100 MiB of "A", a valid hex digit and base64 character, so
only a cap can stop it.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import re
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import pytest

from srpkit import (
    DeviceSRP,
    SRPKitError,
    UserSRP,
    new_device_secret,
    secret_hash,
)
from srpkit.__main__ import main
from srpkit._cli import CommandIO
from srpkit._core import backend as _arith
from srpkit._core.timestamp import parse_timestamp
from srpkit._tools.audit import audit_transcript
from srpkit._tools.vectors import check_test
from srpkit.endpoint.http import MAX_BODY_BYTES, serve_in_thread
from srpkit.endpoint.service import CognitoService, ServiceError
from srpkit.server import DeviceServerSRP, ServerSRP, VerificationError, make_verifier

HUGE_LEN = 100 * 1024 * 1024
# What a refusal may allocate while it runs: messages and small objects, never a copy of the value.
ALLOCATION_BUDGET = 1 << 20

POOL = "us-west-2_CaPs1"
CLIENT = "capsclient0123456789"
USER = "caps-user"
PASSWORD = "Caps-pa55word"
GROUP_KEY = "-CapsGroup"
DEVICE_KEY = "us-west-2_7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
DEVICE = new_device_secret(GROUP_KEY, DEVICE_KEY, password=bytes(40), salt=bytes(range(16)))
NOW = datetime(2024, 9, 5, 7, 8, 9, tzinfo=timezone.utc)
SALT, VERIFIER = make_verifier(POOL, USER, PASSWORD, salt="c0ffee")


@pytest.fixture(scope="module")
def huge() -> str:
    """100 MiB of "A": valid hex, valid base64, far past every cap."""
    return "A" * HUGE_LEN


class _Pattern:
    """A compiled pattern that records the length of every string it is asked to match."""

    def __init__(self, pattern: re.Pattern[str], seen: list[int]) -> None:
        self._pattern = pattern
        self._seen = seen

    def _record(self, string: Any) -> None:
        self._seen.append(len(string))

    def fullmatch(self, string: Any, *args: Any) -> Any:
        self._record(string)
        return self._pattern.fullmatch(string, *args)

    def match(self, string: Any, *args: Any) -> Any:
        self._record(string)
        return self._pattern.match(string, *args)

    def search(self, string: Any, *args: Any) -> Any:
        self._record(string)
        return self._pattern.search(string, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pattern, name)


class _Re:
    """The ``re`` module, recording the length of every string matched through its functions."""

    def __init__(self, seen: list[int]) -> None:
        self._seen = seen

    def fullmatch(self, pattern: Any, string: Any, flags: int = 0) -> Any:
        self._seen.append(len(string))
        return re.fullmatch(pattern, string, flags)

    def match(self, pattern: Any, string: Any, flags: int = 0) -> Any:
        self._seen.append(len(string))
        return re.match(pattern, string, flags)

    def search(self, pattern: Any, string: Any, flags: int = 0) -> Any:
        self._seen.append(len(string))
        return re.search(pattern, string, flags)

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)


def _big_arithmetic(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("big arithmetic ran before the cap refused the value")


@contextlib.contextmanager
def guarded(public_a: int | None = None) -> Iterator[list[int]]:
    """No exponentiation, every regex match recorded (the lengths are yielded).

    ``public_a``: the one g^a allowed, a client's A computed before it sees any challenge.
    """
    seen: list[int] = []
    real_g = _arith.powmod_g

    def powmod_g(exp: int) -> int:
        if exp != public_a:
            _big_arithmetic()
        return real_g(exp)

    with contextlib.ExitStack() as stack:
        for name, module in list(sys.modules.items()):
            if not (name == "srpkit" or name.startswith("srpkit.")):
                continue
            for attr, value in list(vars(module).items()):
                if value is _arith.powmod:
                    stack.enter_context(mock.patch.object(module, attr, _big_arithmetic))
                elif value is real_g:
                    stack.enter_context(mock.patch.object(module, attr, powmod_g))
                elif isinstance(value, re.Pattern):
                    stack.enter_context(mock.patch.object(module, attr, _Pattern(value, seen)))
                elif value is re:
                    stack.enter_context(mock.patch.object(module, attr, _Re(seen)))
        yield seen


def refused_cheaply(
    call: Callable[[], object], error: type[BaseException] = SRPKitError
) -> BaseException:
    """Run ``call`` guarded; it must raise ``error`` without matching, copying or exponentiating the value."""
    with guarded() as seen:
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            with pytest.raises(error) as info:
                call()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak - before < ALLOCATION_BUDGET, (
        f"{peak - before} bytes allocated: a copy of the value?"
    )
    assert all(length < HUGE_LEN for length in seen), "a regular expression scanned the huge value"
    return info.value


def challenge() -> dict[str, str]:
    """A valid PASSWORD_VERIFIER challenge for the module's user."""
    return {"SALT": SALT, "SRP_B": "ab" * 300, "SECRET_BLOCK": "QUJD", "USER_ID_FOR_SRP": USER}


# ---------------------------------------------------------------- the client


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize("field", ["SRP_B", "SALT", "SECRET_BLOCK", "USER_ID_FOR_SRP"])
def test_client_refuses_a_huge_challenge_value(huge: str, field: str) -> None:
    """A 100 MiB SRP_B, SALT, SECRET_BLOCK or USER_ID_FOR_SRP is refused by its cap, naming it."""
    client = UserSRP(POOL, CLIENT, USER, PASSWORD, small_a=12345)
    params = {**challenge(), field: huge}
    error = refused_cheaply(lambda: client.process_challenge(params, now=NOW))
    assert isinstance(error, SRPKitError) and error.fields == (field,)
    assert "characters, more than the" in str(error)


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize("field", ["SRP_B", "SALT", "SECRET_BLOCK", "DEVICE_KEY"])
def test_device_client_refuses_a_huge_challenge_value(huge: str, field: str) -> None:
    """DeviceSRP refuses a 100 MiB challenge value as cheaply."""
    device = DeviceSRP(GROUP_KEY, DEVICE_KEY, DEVICE.password, USER, CLIENT, small_a=12345)
    params = {**challenge(), "DEVICE_KEY": DEVICE_KEY, field: huge}
    error = refused_cheaply(lambda: device.process_challenge(params, now=NOW))
    assert isinstance(error, SRPKitError) and error.fields == (field,)


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("password", lambda h: UserSRP(POOL, CLIENT, USER, h)),
        ("username", lambda h: UserSRP(POOL, CLIENT, h, PASSWORD)),
        ("client_secret", lambda h: UserSRP(POOL, CLIENT, USER, PASSWORD, client_secret=h)),
        ("pool_id", lambda h: UserSRP(h, CLIENT, USER, PASSWORD)),
        ("device_password", lambda h: DeviceSRP(GROUP_KEY, DEVICE_KEY, h, USER, CLIENT)),
        ("device_group_key", lambda h: new_device_secret(h, DEVICE_KEY)),
        ("client_secret", lambda h: secret_hash(USER, CLIENT, h)),
        ("salt", lambda h: make_verifier(POOL, USER, PASSWORD, salt=h)),
        ("password", lambda h: make_verifier(POOL, USER, h)),
    ],
)
def test_huge_arguments_are_refused(huge: str, name: str, call: Callable[[str], object]) -> None:
    """A 100 MiB password, name, secret or salt argument is refused by its cap, naming it."""
    error = refused_cheaply(lambda: call(huge))
    assert isinstance(error, SRPKitError) and name in error.fields


# ---------------------------------------------------------------- the server half


def server(**kwargs: Any) -> ServerSRP:
    """A ServerSRP for the module's user."""
    return ServerSRP(POOL, USER, SALT, VERIFIER, small_b=6789, secret_block=b"caps", **kwargs)


def test_server_refuses_a_huge_srp_a(huge: str) -> None:
    """A 100 MiB SRP_A is refused (reason srp_a) before it is parsed, by start and challenge_parameters."""
    for call in (
        lambda: server().challenge_parameters(huge),
        lambda: server().start({"USERNAME": USER, "SRP_A": huge}),
    ):
        error = refused_cheaply(call, VerificationError)
        assert isinstance(error, VerificationError)
        assert error.reason == "srp_a" and error.fields == ("SRP_A",)


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(
    "field",
    ["PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP", "PASSWORD_CLAIM_SECRET_BLOCK", "SECRET_HASH"],
)
def test_server_refuses_a_huge_answer_value(huge: str, field: str) -> None:
    """A 100 MiB value in PASSWORD_VERIFIER's answer is refused without scanning or copying it."""
    client = UserSRP(POOL, CLIENT, USER, PASSWORD, client_secret="caps-secret", small_a=12345)
    session = server(client_id=CLIENT, client_secret="caps-secret")
    answer = client.process_challenge(session.start(client.auth_parameters()), now=NOW)
    answer[field] = huge
    error = refused_cheaply(lambda: session.verify(answer, now=NOW), VerificationError)
    assert isinstance(error, VerificationError) and field in error.fields
    assert not session.verified


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("salt_hex", {"salt_hex": "HUGE"}),
        ("verifier_hex", {"verifier_hex": "HUGE"}),
        ("aliases", {"aliases": ["HUGE"]}),
    ],
)
def test_server_refuses_huge_arguments(huge: str, name: str, kwargs: dict[str, Any]) -> None:
    """ServerSRP refuses a 100 MiB salt, verifier or alias by its cap."""
    args: dict[str, Any] = {"salt_hex": SALT, "verifier_hex": VERIFIER}
    for key, value in kwargs.items():
        args[key] = [huge] if isinstance(value, list) else huge
    error = refused_cheaply(lambda: ServerSRP(POOL, USER, **args))
    assert isinstance(error, SRPKitError) and name in error.fields


def test_server_refuses_a_huge_secret_block_argument() -> None:
    """A 100 MiB secret_block (bytes) is refused by its length before it is copied."""
    block = bytes(HUGE_LEN)
    error = refused_cheaply(lambda: ServerSRP(POOL, USER, SALT, VERIFIER, secret_block=block))
    assert isinstance(error, SRPKitError) and error.fields == ("secret_block",)


@pytest.mark.parametrize("key", ["PasswordVerifier", "Salt"])
def test_device_server_refuses_a_huge_verifier_config(huge: str, key: str) -> None:
    """A ConfirmDevice verifier config with a 100 MiB value is refused by its cap."""
    config = {**DEVICE.verifier_config, key: huge}
    error = refused_cheaply(lambda: DeviceServerSRP(USER, GROUP_KEY, DEVICE_KEY, config))
    assert isinstance(error, SRPKitError) and key in error.fields


def test_timestamp_parser_refuses_huge_text(huge: str) -> None:
    """parse_timestamp refuses 100 MiB of text before its regular expression runs."""
    error = refused_cheaply(lambda: parse_timestamp(huge), VerificationError)
    assert isinstance(error, VerificationError) and error.reason == "timestamp_format"


# ---------------------------------------------------------------- audit, vectors


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("challenge_parameters", "SRP_B"),
        ("challenge_parameters", "SALT"),
        ("challenge_parameters", "SECRET_BLOCK"),
        ("auth_parameters", "SRP_A"),
    ],
)
def test_audit_refuses_a_huge_transcript_value(huge: str, section: str, key: str) -> None:
    """An audited transcript with a 100 MiB SRP value is refused by its cap, naming the field."""
    transcript: dict[str, Any] = {
        "pool_id": POOL,
        "auth_parameters": {"SRP_A": "abc"},
        "challenge_parameters": challenge(),
        "challenge_responses": {"TIMESTAMP": "x", "PASSWORD_CLAIM_SIGNATURE": "y"},
    }
    transcript[section] = {**transcript[section], key: huge}
    error = refused_cheaply(lambda: audit_transcript(transcript))
    assert isinstance(error, SRPKitError) and error.fields == (f"{section}.{key}",)


class _EndlessInput(io.StringIO):
    """Standard input that would deliver 100 MiB: records how much each read asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[int] = []

    def read(self, size: int | None = -1) -> str:
        self.asked.append(-1 if size is None else size)
        assert size is not None and 0 <= size <= HUGE_LEN, "an unbounded read"
        return "{" * min(size, HUGE_LEN)


def test_audit_cli_reads_a_bounded_prefix_of_its_input() -> None:
    """`srpkit audit -` on 100 MiB of input reads at most its 4 MiB cap + 1 and never parses it."""
    stdin, out, err = _EndlessInput(), io.StringIO(), io.StringIO()
    with mock.patch.object(json, "loads", _big_arithmetic):
        status = main(["audit", "-"], CommandIO(stdin, out, err, {}))
    assert status == 2
    assert "larger than 4 MiB" in err.getvalue()
    assert stdin.asked and max(stdin.asked) == (4 << 20) + 1


@pytest.mark.usefixtures("srp_backend")
def test_vector_with_a_huge_srp_b_is_rejected_cheaply(huge: str) -> None:
    """A vector test whose srpB is 100 MiB is rejected by the client's cap, with no arithmetic."""
    test = {
        "tcId": 1,
        "result": "acceptable",
        "poolId": POOL,
        "username": USER,
        "password": PASSWORD,
        "a": "3039",
        "salt": SALT,
        "srpB": huge,
        "secretBlock": "QUJD",
        "timestamp": "Thu Sep 5 07:08:09 UTC 2024",
    }
    with guarded(public_a=0x3039):
        outcome = check_test("PasswordVerifierTest", test)
    assert outcome.passed and outcome.rejected
    assert "SRP_B" in outcome.detail


# ---------------------------------------------------------------- the endpoint


@pytest.mark.usefixtures("srp_backend")
def test_endpoint_refuses_a_huge_srp_a_in_a_request(huge: str) -> None:
    """CognitoService answers InitiateAuth with a 100 MiB SRP_A by an AWS-shaped error, cheaply."""
    service = CognitoService()
    pool = service.create_pool("caps", password_policy={"MinimumLength": 6})
    app = service.create_client(pool.id, "app", explicit_auth_flows=("ALLOW_USER_SRP_AUTH",))
    service.add_user(pool.id, USER, PASSWORD + "!Aa1")
    request = {
        "ClientId": app.id,
        "AuthFlow": "USER_SRP_AUTH",
        "AuthParameters": {"USERNAME": USER, "SRP_A": huge},
    }
    error = refused_cheaply(lambda: service.handle("InitiateAuth", request), ServiceError)
    assert isinstance(error, ServiceError) and error.code == "NotAuthorizedException"
    assert error.detail is not None and error.detail.reason == "srp_a"


@pytest.mark.parametrize("expect_continue", [False, True])
def test_endpoint_refuses_a_100_mib_body_unread(expect_continue: bool) -> None:
    """A request announcing a 100 MiB body gets 413 without the body being read or any call handled."""
    with serve_in_thread() as handle, mock.patch.object(CognitoService, "handle", _big_arithmetic):
        url = urlsplit(handle.url)
        conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=30)
        try:
            conn.putrequest("POST", "/")
            conn.putheader("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth")
            conn.putheader("Content-Type", "application/x-amz-json-1.1")
            conn.putheader("Content-Length", str(HUGE_LEN))
            if expect_continue:
                conn.putheader("Expect", "100-continue")
            conn.endheaders()  # and no body: a server that tried to read it would time out
            response = conn.getresponse()
            assert response.status == 413
            assert b"RequestEntityTooLargeException" in response.read()
        finally:
            conn.close()
    assert HUGE_LEN > MAX_BODY_BYTES
