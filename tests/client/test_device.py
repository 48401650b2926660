"""Remembered devices: ConfirmDevice verifiers and device SRP against the official JS clients, and bad input."""

from __future__ import annotations

import base64
import json
import types
from datetime import datetime
from typing import Any
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from paths import DATA
from pycognito import aws_srp

from srpkit import (
    DeviceSRP,
    InvalidChallengeError,
    InvalidInputError,
    MissingParameterError,
    ParameterTypeError,
    SRPKitError,
    UserSRP,
    new_device_secret,
    pad_hex,
    secret_hash,
)
from srpkit._client.device import device_verifier_config
from srpkit._core.caps import MAX_SALT_HEX, MAX_SMALL_A_BITS
from srpkit._core.group import N
from srpkit._core.srp import private_key, verifier

KATS = json.loads((DATA / "device_kats.json").read_text())
IMPLS = ("identity-js", "amplify")
KAT_CLIENT = "jsrefclientid0123456789abc"  # the harness's client id; device SRP never hashes it

POOL = "eu-west-1_Ab3dEfGh1"
CLIENT = "3n4b5urk1ft4fl3mg5e62d9ado"
GROUP = "-Xq9ZkLm2a"
DEVICE = "eu-west-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
BLOCK = base64.b64encode(bytes(range(200))).decode()
NOW = datetime.fromisoformat("2024-03-05T07:08:09+00:00")

st_multiple_of_n = st.integers(min_value=0, max_value=5).map(lambda k: k * N)
st_small_a = st.integers(min_value=1, max_value=(1 << 1024) - 1)
st_salt = st.integers(min_value=1, max_value=(1 << 128) - 1)
st_big_b = st.integers(min_value=1, max_value=(1 << 3080)).filter(lambda b: b % N != 0)
st_group_key = st.text(
    st.characters(min_codepoint=33, max_codepoint=0x2FFF), min_size=1, max_size=20
)
st_device_key = st.uuids(version=4).map(lambda u: f"ap-south-1_{u}")


def instant(text: str) -> datetime:
    """The harness's ISO instant as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def device_challenge(
    salt: str = "5a" * 16, srp_b: str = "cd" * 300, **extra: str
) -> dict[str, str]:
    """A DEVICE_PASSWORD_VERIFIER ChallengeParameters map."""
    return {"SALT": salt, "SRP_B": srp_b, "SECRET_BLOCK": BLOCK, **extra}


def device(**overrides: Any) -> DeviceSRP:
    """A DeviceSRP with test defaults."""
    args: dict[str, Any] = {
        "device_group_key": GROUP,
        "device_key": DEVICE,
        "device_password": "ZGV2aWNlLXBhc3N3b3Jk",
        "username": "bob",
        "client_id": CLIENT,
        "small_a": 0x1234567,
    }
    args.update(overrides)
    return DeviceSRP(**args)


# ---------------------------------------------------------------- known answers


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize("case", KATS["verifier_configs"], ids=lambda c: c["name"])
def test_verifier_config_matches_js_clients(case: dict[str, Any]) -> None:
    """ConfirmDevice's PasswordVerifier and Salt equal both JS clients' for every padding class."""
    secret = new_device_secret(
        case["deviceGroupKey"],
        case["deviceKey"],
        password=bytes.fromhex(case["passwordBytes"]),
        salt=bytes.fromhex(case["saltBytes"]),
    )
    for impl in IMPLS:
        js = case["expected"][impl]
        assert secret.verifier_config == {
            "PasswordVerifier": js["passwordVerifier"],
            "Salt": js["salt"],
        }
        assert secret.password == js["devicePassword"]


def test_verifier_kats_cover_every_padding_class() -> None:
    """The committed data hits each salt and verifier padding class."""
    salts = {c["classes"]["salt"] for c in KATS["verifier_configs"]}
    verifiers = {c["classes"]["verifier"] for c in KATS["verifier_configs"]}
    assert salts == {"high-bit", "leading-zero-byte", "zero-then-high-bit", "odd-hex", "plain"}
    assert verifiers == {"high-bit", "leading-zero-byte", "odd-hex", "plain"}
    lengths = {
        len(base64.b64decode(c["expected"]["amplify"]["salt"])) for c in KATS["verifier_configs"]
    }
    assert {15, 16, 17} <= lengths


SIGNED = [c for c in KATS["device_password_verifiers"] if "error" not in c["expected"]["amplify"]]
REFUSED = [c for c in KATS["device_password_verifiers"] if "error" in c["expected"]["amplify"]]


def kat_device(inputs: dict[str, Any]) -> DeviceSRP:
    """The DeviceSRP the harness request describes."""
    return DeviceSRP(
        inputs["deviceGroupKey"],
        inputs["deviceKey"],
        inputs["devicePassword"],
        inputs["username"],
        KAT_CLIENT,
        small_a=int(inputs["a"], 16),
    )


def kat_challenge(inputs: dict[str, Any]) -> dict[str, str]:
    """The ChallengeParameters the harness served."""
    params = {
        "SALT": inputs["salt"],
        "SRP_B": inputs["srpB"],
        "SECRET_BLOCK": inputs["secretBlock"],
    }
    if "challengeUsername" in inputs:
        params["USERNAME"] = inputs["challengeUsername"]
    return params


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize("case", SIGNED, ids=lambda c: c["name"])
def test_device_password_verifier_matches_js_clients(case: dict[str, Any]) -> None:
    """DEVICE_SRP_AUTH's SRP_A and every DEVICE_PASSWORD_VERIFIER intermediate equal both JS clients'."""
    inputs = case["inputs"]
    srp = kat_device(inputs)
    now = instant(inputs["instant"])
    claim, signed_for, timestamp = srp.password_claim(kat_challenge(inputs), now=now)
    assert signed_for == srp.device_key
    answer = srp.process_challenge(kat_challenge(inputs), now=now)
    for impl in IMPLS:
        js = case["expected"][impl]
        assert srp.auth_parameters()["SRP_A"] == js["srpA"]
        assert (pad_hex(claim.u), pad_hex(claim.x), pad_hex(claim.premaster)) == (
            js["u"],
            js["x"],
            js["S"],
        )
        assert claim.key.hex() == js["key"]
        assert answer["TIMESTAMP"] == timestamp == js["timestamp"]
        assert answer["PASSWORD_CLAIM_SIGNATURE"] == js["signature"]
    # identity-js answers with its own USERNAME; amplify echoes the challenge's (see the data's
    # "disagreements"). srpkit sends its own, so SECRET_HASH is never computed over server input.
    assert answer["USERNAME"] == case["expected"]["identity-js"]["username"] == inputs["username"]


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c["name"])
def test_b_zero_mod_n_refused_like_js_clients(case: dict[str, Any]) -> None:
    """Where both JS clients throw 'B cannot be zero.', srpkit raises InvalidChallengeError on SRP_B."""
    assert {case["expected"][i]["error"] for i in IMPLS} == {"B cannot be zero."}
    with pytest.raises(InvalidChallengeError) as info:
        kat_device(case["inputs"]).process_challenge(kat_challenge(case["inputs"]))
    assert info.value.fields == ("SRP_B",)


def test_only_known_js_disagreement() -> None:
    """identity-js and amplify disagree only on the USERNAME sent when the challenge names another."""
    assert [(d["case"], d["field"]) for d in KATS["disagreements"]] == [
        ("challenge USERNAME differs", "username")
    ]


@pytest.mark.usefixtures("srp_backend")
@given(
    st_group_key,
    st_device_key,
    st.binary(min_size=40, max_size=40),
    st.binary(min_size=16, max_size=16),
)
@settings(max_examples=20)
def test_verifier_config_matches_pycognito(
    group: str, key: str, password: bytes, salt: bytes
) -> None:
    """For random inputs, the ConfirmDevice config equals pycognito's generate_hash_device."""
    with mock.patch.object(aws_srp.os, "urandom", side_effect=[password, salt]):
        theirs = aws_srp.generate_hash_device(group, key)
    ours = new_device_secret(group, key, password=password, salt=salt)
    assert (ours.password, ours.verifier_config) == theirs


@pytest.mark.usefixtures("srp_backend")
@given(
    st_group_key,
    st_device_key,
    st.binary(min_size=1, max_size=64),
    st.binary(min_size=1, max_size=64),
)
@settings(max_examples=20)
def test_device_verifier_config_any_password_and_salt_matches_pycognito(
    group: str, key: str, password: bytes, salt: bytes
) -> None:
    """Another client's password (any length) and salt (any length, leading zeros too) give pycognito's config."""
    with mock.patch.object(aws_srp.os, "urandom", side_effect=[password, salt]):
        their_password, theirs = aws_srp.generate_hash_device(group, key)
    assert device_verifier_config(group, key, their_password, salt) == theirs


@pytest.mark.usefixtures("srp_backend")
def test_new_device_secret_is_device_verifier_config_of_its_draws() -> None:
    """new_device_secret's config is the pure function's for the password and salt it drew."""
    secret = new_device_secret(GROUP, DEVICE)
    with mock.patch(
        "srpkit._client.device.secrets.token_bytes", side_effect=[b"p" * 40, b"s" * 16]
    ):
        fixed = new_device_secret(GROUP, DEVICE)
    assert fixed.verifier_config == device_verifier_config(
        GROUP, DEVICE, base64.b64encode(b"p" * 40).decode(), b"s" * 16
    )
    assert secret.verifier_config != fixed.verifier_config


# ryanmab/aws-cognito-srp, src/client/device.rs at ba60a20132cc3d33f6254705e57eafed9ae75a56,
# test_password_verifier_responds_predictably: under cfg(test) the device password is the
# base64 of 40 bytes of 0x01 and the salt the 32 ASCII bytes of "0101...01".
RYANMAB_VERIFIER = (
    "MlDC+806aWjrGBiwORRZRArlVzQm2cOadTDuNvXjLR2FVXmNw2aLKzYdBSLtUhVUs2FHx3JGcRLxH8QR"
    "0+HYaMgNCysSaPaA+ornRiQLD/I1K5rJpf6WeAMv7R6wr+Nq6+TCun72ime0UZd/CJSlO2JQ4Jdq55VuvZpB"
    "AZAhyEWDGmNQRe11WbxuO8tNSnsqSnUxn9+RYq+gXOAjdjv1Nn5zvFHTipZyOfUCYDoXtcjfbdkgzDwujTyb"
    "7TKeUvqc98/CJoa5b34ukLURIOvVXVYnXCaU4ArYZaI/zNtEdKQqA44kW+ZJSWliFG9nm/H8T8a6rIdwims9"
    "PZDau4Xm9968LqDdOB0bKOY8TyeL8merbkf0GPGculp9twCBKwVDcz10JRipDqFiU5byYeBPSj2ucX5TX+dc"
    "BhbMqjXXhQNPL1fmd14n2VmmLLSAJm8Tss+h3eqMBsSc4UkzHlyX6MeqsqmEegFGTrmGoyID3LORfk0hzFCj"
    "IpHJL6u+WCm1"
)


@pytest.mark.usefixtures("srp_backend")
def test_ryanmab_published_verifier_reproduces_but_its_device_key_is_refused() -> None:
    """Its 32-byte salt and verifier come out of srpkit's arithmetic; its key 'mock-device-key' is refused by name."""
    password = base64.b64encode(b"\x01" * 40).decode()
    salt = b"01" * 16
    x = private_key(
        int.from_bytes(salt, "big"), "mock-device-group-key", "mock-device-key", password
    )
    assert base64.b64encode(bytes.fromhex(pad_hex(verifier(x)))).decode() == RYANMAB_VERIFIER
    with pytest.raises(InvalidInputError) as info:
        device_verifier_config("mock-device-group-key", "mock-device-key", password, salt)
    assert info.value.fields == ("device_key",)
    config = device_verifier_config(GROUP, DEVICE, password, salt)
    assert config["Salt"] == "MDEwMTAxMDEwMTAxMDEwMTAxMDEwMTAxMDEwMTAxMDE="


@pytest.mark.parametrize(
    ("password", "salt", "fields", "error"),
    [
        ("", b"s", ("device_password",), InvalidInputError),
        ("pw", b"", ("salt",), InvalidInputError),
        ("pw", b"s" * (MAX_SALT_HEX // 2 + 1), ("salt",), InvalidInputError),
        ("pw", "73", ("salt",), ParameterTypeError),
        (b"pw", b"s", ("device_password",), ParameterTypeError),
    ],
)
def test_device_verifier_config_bad_arguments(
    password: Any, salt: Any, fields: tuple[str, ...], error: type[SRPKitError]
) -> None:
    """An empty or non-str password, and an empty, oversized or non-bytes salt, are typed errors naming the field."""
    with pytest.raises(error) as info:
        device_verifier_config(GROUP, DEVICE, password, salt)
    assert info.value.fields == fields


@pytest.mark.usefixtures("srp_backend")
@given(
    st_small_a, st_salt, st_big_b, st_group_key, st_device_key, st.binary(min_size=1, max_size=64)
)
@settings(max_examples=20)
# a >= N, unreduced as pycognito, the JS clients and the .NET SDK use it (issue #16)
@example(a=N + 3, salt=0x80, big_b=N + 5, group=GROUP, key=DEVICE, block=b"pw")
@example(a=(1 << MAX_SMALL_A_BITS) - 1, salt=1, big_b=2, group=GROUP, key=DEVICE, block=b"x")
def test_device_signature_matches_pycognito(
    a: int, salt: int, big_b: int, group: str, key: str, block: bytes
) -> None:
    """For random inputs (salt sent as minimal hex), the device claim equals pycognito's."""
    password = base64.b64encode(block).decode()
    params = device_challenge(format(salt, "x"), format(big_b, "x"), USERNAME="bob")
    srp = aws_srp.AWSSRP(
        "bob",
        "x",
        POOL,
        CLIENT,
        client=object(),
        device_key=key,
        device_group_key=group,
        device_password=password,
    )
    srp.small_a_value, srp.large_a_value = a, pow(2, a, N)
    clock = types.SimpleNamespace(
        datetime=mock.Mock(utcnow=mock.Mock(return_value=NOW.replace(tzinfo=None)))
    )
    with mock.patch.object(aws_srp, "datetime", clock):
        theirs = srp.process_device_challenge(params)
    ours = DeviceSRP(group, key, password, "bob", CLIENT, small_a=a).process_challenge(
        params, now=NOW
    )
    assert ours["TIMESTAMP"] == theirs["TIMESTAMP"]
    assert ours["PASSWORD_CLAIM_SIGNATURE"] == theirs["PASSWORD_CLAIM_SIGNATURE"]


# ---------------------------------------------------------------- the answers' shape


@pytest.mark.usefixtures("srp_backend")
def test_device_srp_auth_parameters() -> None:
    """DEVICE_SRP_AUTH carries USERNAME, DEVICE_KEY, SRP_A, and SECRET_HASH over USERNAME with a secret."""
    assert set(device().auth_parameters()) == {"USERNAME", "DEVICE_KEY", "SRP_A"}
    params = device(client_secret="s3cr3t").auth_parameters()
    assert params["USERNAME"] == "bob"
    assert params["DEVICE_KEY"] == DEVICE
    assert params["SRP_A"] == format(pow(2, 0x1234567, N), "x")
    assert params["SECRET_HASH"] == secret_hash("bob", CLIENT, "s3cr3t")


@pytest.mark.usefixtures("srp_backend")
def test_device_password_verifier_answer() -> None:
    """The answer has Cognito's keys, echoes SECRET_BLOCK, and hashes the secret over its own USERNAME."""
    out = device(client_secret="s3cr3t").process_challenge(
        device_challenge(USERNAME="someone-else", DEVICE_KEY=DEVICE), now=NOW
    )
    assert set(out) == {
        "USERNAME",
        "DEVICE_KEY",
        "PASSWORD_CLAIM_SECRET_BLOCK",
        "TIMESTAMP",
        "PASSWORD_CLAIM_SIGNATURE",
        "SECRET_HASH",
    }
    assert out["USERNAME"] == "bob"
    assert out["DEVICE_KEY"] == DEVICE
    assert out["PASSWORD_CLAIM_SECRET_BLOCK"] == BLOCK
    assert out["TIMESTAMP"] == "Tue Mar 5 07:08:09 UTC 2024"
    assert out["SECRET_HASH"] == secret_hash("bob", CLIENT, "s3cr3t")


@pytest.mark.usefixtures("srp_backend")
def test_challenge_for_another_device_is_refused() -> None:
    """A DEVICE_KEY in the challenge naming another device is an InvalidChallengeError."""
    other = "eu-west-1_11111111-2222-4333-8444-555555555555"
    with pytest.raises(InvalidChallengeError, match="another device") as info:
        device().process_challenge(device_challenge(DEVICE_KEY=other), now=NOW)
    assert info.value.fields == ("DEVICE_KEY",)
    with pytest.raises(ParameterTypeError):
        device().process_challenge(device_challenge(DEVICE_KEY=7), now=NOW)  # type: ignore[arg-type]


@pytest.mark.usefixtures("srp_backend")
def test_device_step_draws_fresh_a() -> None:
    """Device objects draw their own ephemeral: never the user step's, never each other's."""
    user = UserSRP(POOL, CLIENT, "bob", "pw", device_key=DEVICE)
    params = {"SALT": "01", "SRP_B": "02", "SECRET_BLOCK": BLOCK, "USER_ID_FOR_SRP": "bob"}
    first = user.device_srp(GROUP, "pw", params)
    second = user.device_srp(GROUP, "pw", params)
    assert len({user.srp_a, first.srp_a, second.srp_a}) == 3


USER_A = int.from_bytes(bytes(range(7, 135)), "big")  # a full-width 128-byte a
USER_PARAMS = {"SALT": "5a", "SRP_B": "cd" * 300, "SECRET_BLOCK": BLOCK, "USER_ID_FOR_SRP": "bob"}
# 2 generates the subgroup of order (N - 1) / 2, so a and a + (N - 1) / 2 give the same A.
SUBGROUP_ORDER = (N - 1) // 2


def reusing_user() -> UserSRP:
    """A user step with a fixed a, whose device steps follow it."""
    return UserSRP(POOL, CLIENT, "bob", "pw", device_key=DEVICE, small_a=USER_A)


@pytest.mark.usefixtures("srp_backend")
def test_device_step_reusing_the_user_steps_a_is_refused() -> None:
    """A device step with the user step's a (so the same SRP_A) is refused, naming small_a, both ways in."""
    user = reusing_user()
    with pytest.raises(InvalidInputError, match="must draw its own private ephemeral") as info:
        user.device_srp(GROUP, "ZGV2", USER_PARAMS, small_a=USER_A)
    assert info.value.fields == ("small_a",)
    with pytest.raises(InvalidInputError, match="the user step's") as direct:
        device(small_a=USER_A, user_srp_a=user.srp_a)
    assert direct.value.fields == ("small_a",)


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(
    "spelling",
    [
        pytest.param(lambda a: a.upper(), id="upper-case"),
        pytest.param(lambda a: "000" + a, id="leading-zeros"),
        pytest.param(lambda a: format(int(a, 16) + N, "x"), id="A-plus-N"),
    ],
)
def test_reuse_is_judged_by_the_value_of_srp_a(spelling: Any) -> None:
    """The user step's SRP_A is compared as a number mod N, however it is spelled."""
    with pytest.raises(InvalidInputError) as info:
        device(small_a=USER_A, user_srp_a=spelling(reusing_user().srp_a))
    assert info.value.fields == ("small_a",)


@pytest.mark.usefixtures("srp_backend")
def test_another_a_with_the_same_srp_a_is_refused() -> None:
    """An a that differs from the user step's by the order of g sends the same SRP_A: refused too."""
    assert pow(2, USER_A + SUBGROUP_ORDER, N) == pow(2, USER_A, N)
    with pytest.raises(InvalidInputError) as info:
        device(small_a=USER_A + SUBGROUP_ORDER, user_srp_a=reusing_user().srp_a)
    assert info.value.fields == ("small_a",)


@pytest.mark.usefixtures("srp_backend")
def test_device_step_with_a_fresh_a_is_accepted() -> None:
    """A device step with its own a passes the guard and sends its own SRP_A, fixed or drawn."""
    user = reusing_user()
    fixed = user.device_srp(GROUP, "ZGV2", USER_PARAMS, small_a=USER_A + 1)
    drawn = user.device_srp(GROUP, "ZGV2", USER_PARAMS)
    direct = device(small_a=USER_A + 1, user_srp_a=user.srp_a)
    assert fixed.auth_parameters()["SRP_A"] == direct.srp_a == format(pow(2, USER_A + 1, N), "x")
    assert len({user.srp_a, fixed.srp_a, drawn.srp_a}) == 3
    assert "PASSWORD_CLAIM_SIGNATURE" in fixed.process_challenge(device_challenge(), now=NOW)


@pytest.mark.parametrize(
    ("user_srp_a", "error"),
    [
        ("", InvalidInputError),
        ("xyz", InvalidInputError),
        ("0x12", InvalidInputError),
        ("12 34", InvalidInputError),
        ("-5", InvalidInputError),
        ("0", InvalidInputError),
        (format(N, "x"), InvalidInputError),
        (format(1 << 3200, "x"), InvalidInputError),
        ("1" * 1025, InvalidInputError),
        (12345, ParameterTypeError),
        (b"abcd", ParameterTypeError),
    ],
)
def test_malformed_user_srp_a_is_refused_naming_it(user_srp_a: object, error: type) -> None:
    """A user_srp_a that is no SRP_A (not hex, negative, 0 mod N, oversized, not str) names user_srp_a."""
    with pytest.raises(error) as info:
        device(user_srp_a=user_srp_a)
    assert info.value.fields == ("user_srp_a",)


def test_malformed_user_srp_a_is_reported_with_the_other_bad_arguments() -> None:
    """A bad user_srp_a is named in the same error as the other bad DeviceSRP arguments."""
    with pytest.raises(InvalidInputError) as info:
        device(device_key="nope", user_srp_a="zz")
    assert info.value.fields == ("device_key", "user_srp_a")


@pytest.mark.usefixtures("srp_backend")
def test_reuse_error_carries_no_secret() -> None:
    """The reuse error names small_a but holds neither a nor A, nor the device password."""
    user = reusing_user()
    password = "ZGV2aWNlLVMzQ1JFVC1wYXNzd29yZA=="
    texts = []
    for make in (
        lambda: user.device_srp(GROUP, password, USER_PARAMS, small_a=USER_A),
        lambda: device(small_a=USER_A, user_srp_a=user.srp_a, device_password=password),
    ):
        with pytest.raises(InvalidInputError) as info:
            make()
        texts += [str(info.value), repr(info.value), *map(str, info.value.args)]
    big_a = pow(2, USER_A, N)
    secrets = (f"{USER_A:x}", f"{USER_A:X}", str(USER_A), user.srp_a, pad_hex(big_a), str(big_a))
    for text in texts:
        assert "small_a" in text
        for secret in (*secrets, password):
            assert secret not in text


@pytest.mark.usefixtures("srp_backend")
def test_user_srp_device_key_in_every_step() -> None:
    """UserSRP with device_key sends DEVICE_KEY in AuthParameters and in the PASSWORD_VERIFIER answer."""
    user = UserSRP(POOL, CLIENT, "bob", "pw", device_key=DEVICE, small_a=11)
    assert user.auth_parameters()["DEVICE_KEY"] == DEVICE
    params = {"SALT": "5a", "SRP_B": "cd" * 300, "SECRET_BLOCK": BLOCK, "USER_ID_FOR_SRP": "bob"}
    assert user.process_challenge(params, now=NOW)["DEVICE_KEY"] == DEVICE


@pytest.mark.usefixtures("srp_backend")
def test_user_srp_device_srp_carries_user_settings() -> None:
    """device_srp uses USER_ID_FOR_SRP, the client, its secret and the device key of the UserSRP."""
    user = UserSRP(
        POOL, CLIENT, "alice@example.com", "pw", client_secret="s3cr3t", device_key=DEVICE
    )
    params = {"SALT": "5a", "SRP_B": "cd", "SECRET_BLOCK": BLOCK, "USER_ID_FOR_SRP": "internal-7"}
    dev = user.device_srp(GROUP, "ZGV2", params, small_a=5)
    assert dev.auth_parameters() == {
        "USERNAME": "internal-7",
        "DEVICE_KEY": DEVICE,
        "SRP_A": format(pow(2, 5, N), "x"),
        "SECRET_HASH": secret_hash("internal-7", CLIENT, "s3cr3t"),
    }
    assert dev.client_id == CLIENT


@pytest.mark.usefixtures("srp_backend")
def test_user_srp_device_srp_needs_device_key_and_user_id() -> None:
    """device_srp without a device key, or without USER_ID_FOR_SRP, fails naming the field."""
    params = {"SALT": "5a", "SRP_B": "cd", "SECRET_BLOCK": BLOCK}
    with pytest.raises(InvalidInputError) as info:
        UserSRP(POOL, CLIENT, "bob", "pw").device_srp(
            GROUP, "pw", {**params, "USER_ID_FOR_SRP": "b"}
        )
    assert info.value.fields == ("device_key",)
    with pytest.raises(MissingParameterError) as missing:
        UserSRP(POOL, CLIENT, "bob", "pw", device_key=DEVICE).device_srp(GROUP, "pw", params)
    assert missing.value.fields == ("USER_ID_FOR_SRP",)


@pytest.mark.usefixtures("srp_backend")
def test_new_device_secret_defaults_are_random_and_well_formed() -> None:
    """Without fixed inputs the password is base64 of 40 fresh bytes and the salt is fresh."""
    one, two = new_device_secret(GROUP, DEVICE), new_device_secret(GROUP, DEVICE)
    assert len(base64.b64decode(one.password, validate=True)) == 40
    assert one.password != two.password
    assert one.verifier_config["Salt"] != two.verifier_config["Salt"]
    assert (one.device_group_key, one.device_key) == (GROUP, DEVICE)
    assert set(one.verifier_config) == {"PasswordVerifier", "Salt"}


# ---------------------------------------------------------------- bad input


@pytest.mark.usefixtures("srp_backend")
def test_missing_challenge_parameters_all_named() -> None:
    """Every missing DEVICE_PASSWORD_VERIFIER parameter is named in one error."""
    with pytest.raises(MissingParameterError) as info:
        device().process_challenge({"SRP_B": "cd"}, now=NOW)
    assert info.value.fields == ("SALT", "SECRET_BLOCK")


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("SALT", "xyz", InvalidChallengeError),
        ("SALT", "0x12", InvalidChallengeError),
        ("SRP_B", "12 34", InvalidChallengeError),
        ("SRP_B", "-5", InvalidChallengeError),
        ("SRP_B", "", InvalidChallengeError),
        ("SECRET_BLOCK", "not base64!", InvalidChallengeError),
        ("SECRET_BLOCK", "abc", InvalidChallengeError),
        ("SRP_B", 12, ParameterTypeError),
        ("SECRET_BLOCK", None, ParameterTypeError),
    ],
)
def test_malformed_challenge_values(field: str, value: object, error: type[SRPKitError]) -> None:
    """Malformed hex or base64 and wrong types are typed errors naming the parameter."""
    params: dict[str, Any] = device_challenge()
    params[field] = value
    with pytest.raises(error) as info:
        device().process_challenge(params, now=NOW)
    assert info.value.fields == (field,)


@pytest.mark.usefixtures("srp_backend")
@given(st_multiple_of_n)
@settings(max_examples=10)
def test_b_multiple_of_n_refused(big_b: int) -> None:
    """SRP_B = k*N (0, N, 2N, ...) is refused before any arithmetic."""
    with pytest.raises(InvalidChallengeError) as info:
        device().process_challenge(device_challenge(srp_b=format(big_b, "x")), now=NOW)
    assert info.value.fields == ("SRP_B",)


@pytest.mark.usefixtures("srp_backend")
def test_challenge_must_be_a_mapping() -> None:
    """A non-mapping challenge is a ParameterTypeError."""
    with pytest.raises(ParameterTypeError):
        device().process_challenge([("SALT", "01")], now=NOW)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"device_key": "not-a-device-key"}, "device_key", InvalidInputError),
        ({"device_key": "eu-west-1_0F1E2D3C"}, "device_key", InvalidInputError),
        ({"device_key": None}, "device_key", ParameterTypeError),
        ({"device_group_key": ""}, "device_group_key", InvalidInputError),
        ({"device_group_key": b"-grp"}, "device_group_key", ParameterTypeError),
        ({"device_password": ""}, "device_password", InvalidInputError),
        ({"device_password": 42}, "device_password", ParameterTypeError),
        ({"username": "two words"}, "username", InvalidInputError),
        ({"client_id": "bad-id"}, "client_id", InvalidInputError),
        ({"client_secret": 5}, "client_secret", ParameterTypeError),
        ({"small_a": 0}, "small_a", InvalidInputError),
        ({"small_a": 1 << MAX_SMALL_A_BITS}, "small_a", InvalidInputError),
        ({"small_a": True}, "small_a", ParameterTypeError),
    ],
)
def test_bad_device_arguments(
    overrides: dict[str, Any], field: str, error: type[SRPKitError]
) -> None:
    """Each bad DeviceSRP argument is a typed error naming it."""
    with pytest.raises(error) as info:
        device(**overrides)
    assert info.value.fields == (field,)


def test_all_bad_device_arguments_reported_together() -> None:
    """Several bad DeviceSRP arguments are reported in one exception naming each."""
    with pytest.raises(InvalidInputError) as info:
        device(device_group_key="", device_key="nope", username=" ")
    assert info.value.fields == ("device_group_key", "device_key", "username")


@pytest.mark.parametrize(
    ("kwargs", "field", "error"),
    [
        ({"password": b"\x00" * 39}, "password", InvalidInputError),
        ({"password": "A" * 40}, "password", ParameterTypeError),
        ({"salt": b"\x01" * 17}, "salt", InvalidInputError),
        ({"salt": 7}, "salt", ParameterTypeError),
    ],
)
def test_bad_new_device_secret_inputs(
    kwargs: dict[str, Any], field: str, error: type[SRPKitError]
) -> None:
    """Fixed password/salt must be bytes of the drawn sizes (40 and 16)."""
    with pytest.raises(error) as info:
        new_device_secret(GROUP, DEVICE, **kwargs)
    assert info.value.fields == (field,)


def test_new_device_secret_checks_keys() -> None:
    """A bad device key and an empty group key are both named."""
    with pytest.raises(InvalidInputError) as info:
        new_device_secret("", "us-east-1_XYZ")
    assert info.value.fields == ("device_group_key", "device_key")


@pytest.mark.usefixtures("srp_backend")
def test_secrets_never_leak_into_repr_or_errors() -> None:
    """Device password, client secret and a never appear in a repr or an error message."""
    password, client_secret, small_a = "DEVICE-S3CRET-pw", "CLIENT-S3CRET-xyz", 0xFEEDFACE5EED
    dev = device(device_password=password, client_secret=client_secret, small_a=small_a)
    texts = [repr(dev), str(dev)]
    for bad in (device_challenge(srp_b="0"), device_challenge(salt="zz"), {}):
        with pytest.raises(SRPKitError) as info:
            dev.process_challenge(bad, now=NOW)
        texts.append(str(info.value))
    for kwargs in (
        {"device_password": password + "\udc80", "client_secret": client_secret + "\udc80"},
        {"device_password": password * 100, "client_secret": client_secret * 100},
    ):
        with pytest.raises(SRPKitError) as info:
            device(**kwargs)
        texts.append(str(info.value))
    fixed = bytes(range(40))
    secret = new_device_secret(GROUP, DEVICE, password=fixed)
    texts.append(repr(secret))
    for text in texts:
        for leaked in (password, client_secret, f"{small_a:x}", str(small_a), secret.password):
            assert leaked not in text
