"""The independent reference SRP (tests/reference) proven against the official clients' vectors.

The test double that srpkit's client is tested against checks every answer with
this reference, so the reference must itself be right: each formula is checked
here against vectors/*.json, which amazon-cognito-identity-js and @aws-amplify/auth
produced, and the server-side values (v, B, S) against the vectors' b.
"""

from __future__ import annotations

import ast
import base64
import functools
import json
import re
from datetime import datetime, timezone
from typing import Any

import pytest
from paths import REPO, TESTS

from reference import cognito_srp as ref

VECTORS = REPO / "vectors"


@functools.cache
def vector_tests(name: str) -> tuple[dict[str, Any], ...]:
    """Every test of one vector file."""
    data = json.loads((VECTORS / f"cognito_{name}_test.json").read_text())
    return tuple(test for group in data["testGroups"] for test in group["tests"])


def valid(name: str) -> list[dict[str, Any]]:
    """The tests of one file that must be accepted with exactly their outputs."""
    return [test for test in vector_tests(name) if test["result"] == "valid"]


# The padding and range classes that reach the server's arithmetic (v, B, u, S).
_SERVER_FLAG = re.compile(r"(A|B|S|U|X|Salt)[A-Z]|NegativeSalt")


def flag_cover(tests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A few tests that between them carry every server-side flag: the costly checks run on these."""

    def flags(test: dict[str, Any]) -> set[str]:
        return {flag for flag in test["flags"] if _SERVER_FLAG.match(flag)}

    candidates = [test for test in tests if "b" in test]
    wanted = set().union(*map(flags, candidates))
    chosen: list[dict[str, Any]] = []
    while wanted:
        best = max(candidates, key=lambda test: len(flags(test) & wanted))
        wanted -= flags(best)
        chosen.append(best)
    return chosen


def by_id(test: dict[str, Any]) -> str:
    """A pytest id naming the vector."""
    return f"{'device' if 'deviceKey' in test else 'user'}-tc{test['tcId']}"


PASSWORD = valid("password_verifier")
DEVICE = valid("device_password_verifier")


def realm_and_name(test: dict[str, Any]) -> tuple[str, str, str]:
    """(realm, name, password) a vector signs with: the pool name and user, or the device's keys."""
    if "deviceKey" in test:
        return test["deviceGroupKey"], test["deviceKey"], test["devicePassword"]
    return ref.pool_name(test["poolId"]), test["username"], test["password"]


def test_pad_hex_is_minimal_twos_complement() -> None:
    """padHex adds 00 before a set top bit and 0 to odd lengths, and writes negatives in two's complement."""
    assert [ref.pad_hex(v) for v in (0, 0x7F, 0x80, 0xABC, -1, -128, -129)] == [
        "00",
        "7f",
        "0080",
        "0abc",
        "ff",
        "80",
        "ff7f",
    ]


def test_group_constants_are_rfc_3526() -> None:
    """N is the 3072-bit prime with its known top and bottom 64 bits set, and k = H(padHex(N) | padHex(g))."""
    assert ref.N.bit_length() == 3072
    assert ref.N >> 3008 == ref.N & (2**64 - 1) == 2**64 - 1
    # k as published for Cognito's group by the official clients (AuthenticationHelper's k).
    assert format(ref.K, "x").startswith("538282c4354742d7cbbde2359fcf67f9")


@pytest.mark.parametrize("test", PASSWORD + DEVICE, ids=by_id)
def test_client_side_values(test: dict[str, Any]) -> None:
    """x, u, key and signature from the reference equal the official clients' for every valid vector."""
    realm, name, password = realm_and_name(test)
    salt = int(test["salt"], 16)
    big_a, big_b = int(test["srpA"], 16), int(test["srpB"], 16)
    assert ref.pad_hex(ref.private_x(salt, realm, name, password)) == test["x"]
    u = ref.scrambler(big_a, big_b)
    assert ref.pad_hex(u) == test["u"]
    key = ref.session_key(int(test["S"], 16), u)
    assert key.hex() == test["key"]
    block = base64.b64decode(test["secretBlock"], validate=True)
    assert ref.signature(key, realm, name, block, test["timestamp"]) == test["signature"]
    assert ref.format_timestamp(ref.parse_timestamp(test["timestamp"])) == test["timestamp"]


@functools.cache
def server_side(name: str, tc_id: int) -> tuple[int, int, int]:
    """(SRP_B sent mod N, B from b and v, S from A, v, u and b) for one vector.

    Cached: the reference does not use srpkit's arithmetic, so the second
    backend's run would only repeat the same 3072-bit exponentiations.
    """
    (test,) = (t for t in vector_tests(name) if t["tcId"] == tc_id)
    realm, user, password = realm_and_name(test)
    v = ref.verifier(ref.private_x(int(test["salt"], 16), realm, user, password))
    b = int(test["b"], 16)
    sent_b, big_a = int(test["srpB"], 16), int(test["srpA"], 16)
    premaster = ref.server_premaster(big_a, v, ref.scrambler(big_a, sent_b), b)
    return sent_b % ref.N, ref.server_public(v, b), premaster


@pytest.mark.parametrize(
    ("name", "test"),
    [
        pytest.param(name, test, id=by_id(test))
        for name, tests in (("password_verifier", PASSWORD), ("device_password_verifier", DEVICE))
        for test in flag_cover(tests)
    ],
)
def test_server_side_values(name: str, test: dict[str, Any]) -> None:
    """From b and the verifier the reference makes the vector's SRP_B (mod N) and the clients' S."""
    # BGreaterThanN vectors send B plus a multiple of N; everything else sends B itself.
    sent_b, big_b, premaster = server_side(name, test["tcId"])
    assert sent_b == big_b
    assert ref.pad_hex(premaster) == test["S"]


@pytest.mark.parametrize("test", valid("device_verifier_config"), ids=by_id)
def test_device_verifier_config(test: dict[str, Any]) -> None:
    """ConfirmDevice's verifier config from the reference is the official clients', and reads back as its salt."""
    salt = int.from_bytes(bytes.fromhex(test["salt"]), "big")
    config = ref.device_verifier_config(
        test["deviceGroupKey"], test["deviceKey"], test["devicePassword"], salt
    )
    assert config == {"PasswordVerifier": test["passwordVerifier"], "Salt": test["verifierSalt"]}
    read_salt, v = ref.read_verifier_config(config)
    assert read_salt == salt
    assert ref.pad_bytes(v) == base64.b64decode(test["passwordVerifier"])


def test_negative_device_salt_round_trips() -> None:
    """A raw salt with the top bit set is read as negative and hashes as the same bytes."""
    raw = bytes.fromhex("90") + bytes(range(1, 16))
    salt = int.from_bytes(raw, "big", signed=True)
    config = ref.device_verifier_config("-grp", "us-east-1_dev", "pw", salt)
    assert base64.b64decode(config["Salt"]) == raw
    assert ref.java_hex(ref.read_verifier_config(config)[0]).startswith("-6f")


@pytest.mark.parametrize("test", valid("secret_hash"), ids=by_id)
def test_secret_hash(test: dict[str, Any]) -> None:
    """SECRET_HASH from the reference equals every valid vector's."""
    assert (
        ref.secret_hash(test["username"], test["clientId"], test["clientSecret"])
        == test["secretHash"]
    )


@pytest.mark.parametrize("test", valid("timestamp"), ids=by_id)
def test_timestamp(test: dict[str, Any]) -> None:
    """TIMESTAMP is written as the official clients write it and parsed back to the instant's second."""
    instant = datetime.fromisoformat(test["instant"].replace("Z", "+00:00"))
    assert ref.format_timestamp(instant) == test["timestamp"]
    assert ref.parse_timestamp(test["timestamp"]) == instant.replace(microsecond=0)


@pytest.mark.parametrize(
    "text",
    ["Thu Sep 05 07:08:09 UTC 2024", "Fri Sep 5 07:08:09 UTC 2024", "Thu Sep 5 7:08:09 UTC 2024"],
)
def test_timestamp_spellings_cognito_refuses(text: str) -> None:
    """A padded day, a wrong weekday or an unpadded hour is not a TIMESTAMP Cognito accepts."""
    with pytest.raises(ValueError, match="TIMESTAMP"):
        ref.parse_timestamp(text)


def test_timestamp_uses_utc() -> None:
    """An aware instant in another zone is written in UTC."""
    berlin = datetime(2026, 12, 1, 21, 5, 9, tzinfo=timezone.utc).astimezone()
    assert ref.format_timestamp(berlin) == "Tue Dec 1 21:05:09 UTC 2026"


@pytest.mark.parametrize("path", ["reference/cognito_srp.py", "aws_double.py"])
def test_reference_code_does_not_import_srpkit(path: str) -> None:
    """The reference and the double import nothing of srpkit, so they cannot share its mistakes."""
    tree = ast.parse((TESTS / path).read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "srpkit" for name in imported)
