"""srpkit against the official JavaScript clients, live, on inputs hypothesis draws.

Every example goes through amazon-cognito-identity-js and @aws-amplify/auth
(by their real code paths, via vectors/tools/jsref.mjs) and through srpkit,
and every output is compared: SRP_A, u, x, S, key, signature, TIMESTAMP and
USERNAME for both verifier challenges, the ConfirmDevice verifier config,
SECRET_HASH and TIMESTAMP. The harness does about five SRP requests a second,
so the example counts are small; the committed vectors cover the edge classes.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from _jsref import IMPLS, JSRef, require_node
from hypothesis import given, settings
from hypothesis import strategies as st

from srpkit import DeviceSRP, UserSRP, format_timestamp, new_device_secret, secret_hash
from srpkit._core.group import N
from srpkit._core.srp import PasswordClaim
from srpkit._tools.vectors import _claim_outputs

pytestmark = pytest.mark.node

CLIENT_ID = "jsrefclientid0123456789abc"
REGIONS = ("us-east-1", "eu-west-2", "ap-southeast-2", "us-gov-west-1", "cn-north-1")
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@pytest.fixture(scope="session")
def jsref() -> Iterator[JSRef]:
    """Both official clients, started once for the session."""
    with JSRef(require_node()) as ref:
        yield ref


# ---------------------------------------------------------------- strategies


def st_hex_spelling(value: int) -> st.SearchStrategy[str]:
    """The ways a server may spell a number: any case, leading zeros, '-' when negative."""
    digits = format(abs(value), "x")
    sign = "-" if value < 0 else ""
    return st.builds(
        lambda upper, zeros: sign + "0" * zeros + (digits.upper() if upper else digits),
        st.booleans(),
        st.sampled_from([0, 0, 0, 1, 2, 7]),
    )


st_a = st.one_of(st.integers(1, 2**1024 - 1), st.integers(1, 2**80))
st_salt = st.one_of(st.integers(-(2**127), 2**128 - 1), st.integers(-300, 300)).flatmap(
    st_hex_spelling
)
st_srp_b = (
    st.one_of(st.integers(1, N - 1), st.integers(1, 2**64), st.integers(N + 1, 3 * N))
    .filter(lambda b: b % N != 0)
    .flatmap(st_hex_spelling)
)
st_secret_block = st.binary(min_size=1, max_size=300).map(lambda b: base64.b64encode(b).decode())
st_text = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40)
st_password = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=64)
st_username = st.text(
    st.characters(whitelist_categories=["L", "M", "S", "N", "P"]), min_size=1, max_size=40
)
st_pool_id = st.builds(
    lambda region, name: f"{region}_{name}",
    st.sampled_from(REGIONS),
    st.text(st.sampled_from(ALNUM), min_size=1, max_size=12),
)
st_instant = st.datetimes(
    min_value=datetime(1, 1, 1),  # noqa: DTZ001 - bounds of a strategy made aware by timezones=
    max_value=datetime(9999, 12, 31, 23, 59, 59),  # noqa: DTZ001
    timezones=st.just(timezone.utc),
).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))
st_device_group_key = st.one_of(
    st.text(st.sampled_from(ALNUM + "-_"), min_size=1, max_size=20), st_text
)
st_device_key = st.builds(
    lambda region, u: f"{region}_{u}", st.sampled_from(REGIONS), st.uuids().map(str)
)
st_device_password = st.one_of(
    st.binary(min_size=40, max_size=40).map(lambda b: base64.b64encode(b).decode()), st_text
)
st_client_id = st.text(st.sampled_from(ALNUM + "_+"), min_size=1, max_size=128)


def iso(instant: datetime) -> str:
    """The instant as jsref takes it: ISO 8601, milliseconds, Z."""
    # strftime's %Y does not zero-pad years below 1000 on every platform
    return (
        f"{instant.year:04d}-{instant.month:02d}-{instant.day:02d}T{instant.hour:02d}:"
        f"{instant.minute:02d}:{instant.second:02d}.{instant.microsecond // 1000:03d}Z"
    )


def outputs(srp_a: str, claim: PasswordClaim, timestamp: str, username: str) -> dict[str, str]:
    """srpkit's answer in jsref's field names (the vector files' names, plus two)."""
    return {**_claim_outputs(srp_a, claim), "timestamp": timestamp, "username": username}


def assert_same(js: dict[str, dict[str, Any]], ours: dict[str, str]) -> None:
    """Both libraries answered, and with srpkit's values for every field srpkit computes."""
    for impl in IMPLS:
        assert "error" not in js[impl], f"{impl} refused: {js[impl]['error']}"
        theirs = {field: js[impl][field] for field in ours}
        assert theirs == ours, f"{impl} differs from srpkit"


# ---------------------------------------------------------------- the tests


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=40)
@given(
    pool_id=st_pool_id,
    user_id=st_username,
    sign_in=st.one_of(st.none(), st_username),
    password=st_password,
    a=st_a,
    salt=st_salt,
    srp_b=st_srp_b,
    block=st_secret_block,
    instant=st_instant,
)
def test_password_verifier_matches_js(
    jsref: JSRef,
    pool_id: str,
    user_id: str,
    sign_in: str | None,
    password: str,
    a: int,
    salt: str,
    srp_b: str,
    block: str,
    instant: datetime,
) -> None:
    """PASSWORD_VERIFIER: srpkit's SRP_A, u, x, S, key, signature, TIMESTAMP and USERNAME equal both JS clients'."""
    name = sign_in or user_id
    challenge = {"SALT": salt, "SRP_B": srp_b, "SECRET_BLOCK": block, "USER_ID_FOR_SRP": user_id}
    user = UserSRP(pool_id, CLIENT_ID, name, password, small_a=a)
    claim, _, timestamp = user.password_claim(challenge, now=instant)
    responses = user.process_challenge(challenge, now=instant)
    assert responses["PASSWORD_CLAIM_SIGNATURE"] == claim.signature
    js = jsref.both(
        "password_verifier",
        poolId=pool_id,
        userIdForSrp=user_id,
        username=name,
        password=password,
        a=format(a, "x"),
        salt=salt,
        srpB=srp_b,
        secretBlock=block,
        instant=iso(instant),
        clientId=CLIENT_ID,
    )
    assert_same(js, outputs(user.srp_a, claim, timestamp, responses["USERNAME"]))


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=25)
@given(
    group_key=st_device_group_key,
    device_key=st_device_key,
    password=st_device_password,
    a=st_a,
    salt=st_salt,
    srp_b=st_srp_b,
    block=st_secret_block,
    instant=st_instant,
)
def test_device_password_verifier_matches_js(
    jsref: JSRef,
    group_key: str,
    device_key: str,
    password: str,
    a: int,
    salt: str,
    srp_b: str,
    block: str,
    instant: datetime,
) -> None:
    """DEVICE_PASSWORD_VERIFIER: srpkit's SRP_A, u, x, S, key, signature, TIMESTAMP equal both JS clients'."""
    device = DeviceSRP(group_key, device_key, password, "srpkit-user", CLIENT_ID, small_a=a)
    challenge = {"SALT": salt, "SRP_B": srp_b, "SECRET_BLOCK": block}
    claim, _, timestamp = device.password_claim(challenge, now=instant)
    responses = device.process_challenge(challenge, now=instant)
    assert responses["PASSWORD_CLAIM_SIGNATURE"] == claim.signature
    js = jsref.both(
        "device_password_verifier",
        deviceGroupKey=group_key,
        deviceKey=device_key,
        devicePassword=password,
        a=format(a, "x"),
        salt=salt,
        srpB=srp_b,
        secretBlock=block,
        instant=iso(instant),
        username="srpkit-user",
        clientId=CLIENT_ID,
    )
    assert_same(js, outputs(device.srp_a, claim, timestamp, responses["USERNAME"]))


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=30)
@given(
    group_key=st_device_group_key,
    device_key=st_device_key,
    password=st.binary(min_size=40, max_size=40),
    salt=st.one_of(
        st.binary(min_size=16, max_size=16),
        st.binary(min_size=15, max_size=15).map(lambda b: b"\x00" + b),
    ),
)
def test_device_verifier_config_matches_js(
    jsref: JSRef, group_key: str, device_key: str, password: bytes, salt: bytes
) -> None:
    """ConfirmDevice: srpkit's device password, PasswordVerifier and Salt equal both JS clients'."""
    secret = new_device_secret(group_key, device_key, password=password, salt=salt)
    js = jsref.both(
        "device_verifier_config",
        deviceGroupKey=group_key,
        deviceKey=device_key,
        devicePassword=secret.password,
        saltBytes=salt.hex(),
    )
    config = secret.verifier_config
    for impl in IMPLS:
        assert "error" not in js[impl], f"{impl} refused: {js[impl]['error']}"
        assert (
            js[impl]["devicePasswordVia"] == "random-bytes"
        )  # the library drew these bytes itself
        assert js[impl]["devicePassword"] == secret.password
        assert js[impl]["passwordVerifier"] == config["PasswordVerifier"], impl
        assert js[impl]["salt"] == config["Salt"], impl


@settings(max_examples=60)
@given(instant=st_instant)
def test_timestamp_matches_js(jsref: JSRef, instant: datetime) -> None:
    """TIMESTAMP: srpkit's format_timestamp equals both JS clients' for any instant of years 1-9999."""
    js = jsref.both("timestamp", instant=iso(instant))
    for impl in IMPLS:
        assert js[impl].get("timestamp") == format_timestamp(instant), impl


@settings(max_examples=40)
@given(username=st_username, client_id=st_client_id, client_secret=st_password)
def test_secret_hash_matches_js(
    jsref: JSRef, username: str, client_id: str, client_secret: str
) -> None:
    """SECRET_HASH: srpkit's equals the HMAC jsref computes (neither JS client implements it)."""
    js = jsref.both(
        "secret_hash", username=username, clientId=client_id, clientSecret=client_secret
    )
    ours = secret_hash(username, client_id, client_secret)
    for impl in IMPLS:
        assert js[impl].get("secretHash") == ours, impl


def test_harness_runs_the_pinned_libraries(jsref: JSRef) -> None:
    """The live comparison runs against exactly the library versions the vectors were made with."""
    versions = jsref.versions()
    assert versions["amazon-cognito-identity-js"] == "6.3.21"
    assert versions["@aws-amplify/auth"] == "6.21.1"
    assert versions["@aws-amplify/core"] == "6.19.2"
