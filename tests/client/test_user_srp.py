"""UserSRP: USER_SRP_AUTH parameters and PASSWORD_VERIFIER answers, against pycognito and by rule."""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pycognito import aws_srp

from srpkit import (
    InvalidChallengeError,
    InvalidInputError,
    MissingParameterError,
    ParameterTypeError,
    SRPKitError,
    UserSRP,
    secret_hash,
)
from srpkit._core.caps import MAX_SMALL_A_BITS
from srpkit._core.group import N

POOL = "eu-west-1_Ab3dEfGh1"
CLIENT = "3n4b5urk1ft4fl3mg5e62d9ado"
NOW = datetime(2024, 9, 5, 7, 8, 9, tzinfo=timezone.utc)
BLOCK = base64.b64encode(bytes(range(256)) * 4).decode()

st_small_a = st.integers(min_value=1, max_value=(1 << 1024) - 1)
st_salt = st.integers(min_value=1, max_value=(1 << 128) - 1)
st_big_b = st.integers(min_value=1, max_value=(1 << 3100)).filter(lambda b: b % N != 0)
st_text = st.text(st.characters(blacklist_categories=("Cs", "Z", "C")), min_size=1, max_size=40)


def challenge(
    salt: str = "ab" * 16, srp_b: str = "cd" * 300, user_id: str = "bob"
) -> dict[str, str]:
    """A PASSWORD_VERIFIER ChallengeParameters map."""
    return {
        "SALT": salt,
        "SRP_B": srp_b,
        "SECRET_BLOCK": BLOCK,
        "USERNAME": user_id,
        "USER_ID_FOR_SRP": user_id,
    }


def pycognito_signature(
    a: int, salt: int, big_b: int, user_id: str, password: str, timestamp: str
) -> str:
    """PASSWORD_CLAIM_SIGNATURE from pycognito for the same inputs (salt sent as minimal hex)."""
    srp = aws_srp.AWSSRP(user_id, password, POOL, CLIENT, client=object())
    srp.small_a_value = a
    srp.large_a_value = srp.calculate_a()
    params = challenge(format(salt, "x"), format(big_b, "x"), user_id)
    with mock.patch.object(
        aws_srp.AWSSRP, "get_cognito_formatted_timestamp", return_value=timestamp
    ):
        return str(srp.process_challenge(params, {"USERNAME": user_id})["PASSWORD_CLAIM_SIGNATURE"])


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=15)
@given(st_small_a, st_salt, st_big_b, st_text, st_text)
@example(a=1, salt=0x80, big_b=N + 5, user_id="bob", password="p")  # salt high bit, B > N
@example(a=(1 << 1023) + 1, salt=0xABC, big_b=2, user_id="ユーザー", password="pässwörd")
def test_signature_matches_pycognito(
    a: int, salt: int, big_b: int, user_id: str, password: str
) -> None:
    """Where pycognito is correct (positive minimal-hex salts), the signatures are identical."""
    srp = UserSRP(POOL, CLIENT, "alias@example.com", password, small_a=a)
    params = challenge(format(salt, "x"), format(big_b, "x"), user_id)
    ours = srp.process_challenge(params, now=NOW)
    assert ours["PASSWORD_CLAIM_SIGNATURE"] == pycognito_signature(
        a, salt, big_b, user_id, password, ours["TIMESTAMP"]
    )


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=10)
@given(st_small_a)
def test_srp_a_matches_pycognito(a: int) -> None:
    """SRP_A is the A pycognito computes for the same a, written as minimal lowercase hex."""
    peer = aws_srp.AWSSRP("bob", "pw", POOL, CLIENT, client=object())
    peer.small_a_value = a
    expected = peer.calculate_a()
    srp_a = UserSRP(POOL, CLIENT, "bob", "pw", small_a=a).auth_parameters()["SRP_A"]
    assert srp_a == format(expected, "x")


# The .NET SDK's TestAuthenticateUser a: new BigInteger(bytes) of 1024 little-endian bytes,
# bytes[0] = 0 and every other byte 2 (8186 bits).
DOTNET_A = int.from_bytes(bytes([2]) * 1023 + b"\x00", "big")


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(
    "a", [N, N + 5, DOTNET_A, (1 << MAX_SMALL_A_BITS) - 1], ids=["N", "N+5", "dotnet", "cap"]
)
def test_a_at_or_above_n_is_used_unreduced(a: int) -> None:
    """An a >= N signs exactly as pycognito (which, like the JS clients and .NET, never reduces a) does."""
    srp = UserSRP(POOL, CLIENT, "bob", "pw", small_a=a)
    assert srp.auth_parameters()["SRP_A"] == format(pow(2, a, N), "x")
    params = challenge()
    ours = srp.process_challenge(params, now=NOW)
    assert ours["PASSWORD_CLAIM_SIGNATURE"] == pycognito_signature(
        a,
        0xAB * 0x01010101010101010101010101010101,
        int(params["SRP_B"], 16),
        "bob",
        "pw",
        ours["TIMESTAMP"],
    )
    # Reducing a mod N (the mistake an "a < N" rule invites) gives another S and signature;
    # mod N - 1 would not (every base's order divides it), so that is no test of anything.
    if a % N:
        reduced = UserSRP(POOL, CLIENT, "bob", "pw", small_a=a % N)
        assert reduced.process_challenge(params, now=NOW) != ours


@pytest.mark.usefixtures("srp_backend")
def test_salt_value_semantics() -> None:
    """Upper case and leading zeros in SALT and SRP_B do not change the answer."""
    srp = UserSRP(POOL, CLIENT, "bob", "pw", small_a=12345)
    plain = srp.process_challenge(challenge("abcd", "1234abcd"), now=NOW)
    fancy = srp.process_challenge(challenge("0000ABCD", "0001234ABCD"), now=NOW)
    assert plain == {**fancy, "PASSWORD_CLAIM_SECRET_BLOCK": BLOCK}


@pytest.mark.usefixtures("srp_backend")
def test_negative_salt_is_answered() -> None:
    """A negative SALT (two's complement when hashed) is answered, not a crash."""
    srp = UserSRP(POOL, CLIENT, "bob", "pw", small_a=12345)
    out = srp.process_challenge(challenge("-6f3a"), now=NOW)
    other = srp.process_challenge(challenge("6f3a"), now=NOW)
    assert out["PASSWORD_CLAIM_SIGNATURE"] != other["PASSWORD_CLAIM_SIGNATURE"]


@pytest.mark.usefixtures("srp_backend")
def test_auth_parameters_with_secret_and_device() -> None:
    """SECRET_HASH and DEVICE_KEY appear in AuthParameters only when configured."""
    plain = UserSRP(POOL, CLIENT, "bob", "pw", small_a=7).auth_parameters()
    assert set(plain) == {"USERNAME", "SRP_A"}
    full = UserSRP(
        POOL,
        CLIENT,
        "bob",
        "pw",
        client_secret="s3cr3t",
        device_key="eu-west-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        small_a=7,
    ).auth_parameters()
    assert full["SECRET_HASH"] == aws_srp.AWSSRP.get_secret_hash("bob", CLIENT, "s3cr3t")
    assert full["DEVICE_KEY"] == "eu-west-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


@pytest.mark.usefixtures("srp_backend")
def test_alias_login_signs_and_hashes_under_user_id_for_srp() -> None:
    """Signed in as an email alias, USERNAME and SECRET_HASH use USER_ID_FOR_SRP."""
    internal = "7d8f1a2b-0c3e-4f5a-9b6c-1d2e3f4a5b6c"
    srp = UserSRP(POOL, CLIENT, "alice@example.com", "pw", client_secret="s3cr3t", small_a=99)
    assert srp.auth_parameters()["SECRET_HASH"] == secret_hash(
        "alice@example.com", CLIENT, "s3cr3t"
    )
    out = srp.process_challenge(challenge(user_id=internal), now=NOW)
    assert out["USERNAME"] == internal
    assert out["SECRET_HASH"] == secret_hash(internal, CLIENT, "s3cr3t")
    assert out["PASSWORD_CLAIM_SIGNATURE"] == pycognito_signature(
        99, int("ab" * 16, 16), int("cd" * 300, 16), internal, "pw", out["TIMESTAMP"]
    )


@pytest.mark.usefixtures("srp_backend")
def test_response_keys_and_echoed_block() -> None:
    """The answer has exactly Cognito's keys, echoes SECRET_BLOCK verbatim and uses the given time."""
    srp = UserSRP(POOL, CLIENT, "bob", "pw", small_a=5)
    out = srp.process_challenge(challenge(), now=NOW)
    assert set(out) == {
        "USERNAME",
        "PASSWORD_CLAIM_SECRET_BLOCK",
        "TIMESTAMP",
        "PASSWORD_CLAIM_SIGNATURE",
    }
    assert out["PASSWORD_CLAIM_SECRET_BLOCK"] == BLOCK
    assert out["TIMESTAMP"] == "Thu Sep 5 07:08:09 UTC 2024"
    assert len(base64.b64decode(out["PASSWORD_CLAIM_SIGNATURE"], validate=True)) == 32


@pytest.mark.usefixtures("srp_backend")
def test_default_a_is_fresh() -> None:
    """Two objects without small_a draw different ephemerals."""
    first = UserSRP(POOL, CLIENT, "bob", "pw").auth_parameters()["SRP_A"]
    assert first != UserSRP(POOL, CLIENT, "bob", "pw").auth_parameters()["SRP_A"]


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(
    "srp_b", ["0", "00", format(N, "x"), format(2 * N, "X"), format(N, "x").zfill(800)]
)
def test_b_zero_mod_n_is_refused(srp_b: str) -> None:
    """B = 0, N, 2N (any spelling) abort with a typed error, as the official clients do."""
    srp = UserSRP(POOL, CLIENT, "bob", "pw", small_a=5)
    with pytest.raises(InvalidChallengeError, match="SRP_B: is 0 modulo N"):
        srp.process_challenge(challenge(srp_b=srp_b), now=NOW)


@pytest.mark.usefixtures("srp_backend")
def test_u_zero_is_refused() -> None:
    """u = 0 aborts (forced by patching the hash: no preimage is known)."""
    srp = UserSRP(POOL, CLIENT, "bob", "pw", small_a=5)
    with (
        mock.patch("srpkit._core.srp.scrambling_parameter", return_value=0),
        pytest.raises(InvalidChallengeError, match="u = 0"),
    ):
        srp.process_challenge(challenge(), now=NOW)


@pytest.mark.usefixtures("srp_backend")
def test_missing_parameters_all_named() -> None:
    """Every missing challenge key is named in one error."""
    srp = UserSRP(POOL, CLIENT, "bob", "pw", small_a=5)
    with pytest.raises(MissingParameterError) as info:
        srp.process_challenge({"SALT": "ab"}, now=NOW)
    assert info.value.fields == ("SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP")
    assert "SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP" in str(info.value)


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(
    ("field", "value", "error", "match"),
    [
        ("SALT", "xyz", InvalidChallengeError, "SALT: not a hexadecimal"),
        ("SALT", "f" * 1025, InvalidChallengeError, "SALT: 1025 characters"),
        ("SRP_B", "-5", InvalidChallengeError, "SRP_B: negative"),
        ("SRP_B", "1" * 1537, InvalidChallengeError, "SRP_B: 1537 characters"),
        ("SRP_B", 12345, ParameterTypeError, "SRP_B: expected str, got int"),
        ("SECRET_BLOCK", "not base64!", InvalidChallengeError, "SECRET_BLOCK: not valid base64"),
        ("SECRET_BLOCK", "A" * 131076, InvalidChallengeError, "SECRET_BLOCK: 131076 characters"),
        ("USER_ID_FOR_SRP", "", InvalidChallengeError, "USER_ID_FOR_SRP: empty"),
        ("USER_ID_FOR_SRP", "a b", InvalidChallengeError, "USER_ID_FOR_SRP: contains a space"),
        ("USER_ID_FOR_SRP", None, ParameterTypeError, "USER_ID_FOR_SRP: expected str"),
    ],
)
def test_bad_challenge_values(field: str, value: object, error: type, match: str) -> None:
    """Malformed, oversize and wrongly typed challenge values are typed errors naming the field."""
    srp = UserSRP(POOL, CLIENT, "bob", "pw", small_a=5)
    params: dict[str, object] = {**challenge(), field: value}
    with pytest.raises(error, match=match) as info:
        srp.process_challenge(params, now=NOW)  # type: ignore[arg-type]
    assert field in info.value.fields


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize("params", [None, "SALT=ab", [("SALT", "ab")]])
def test_challenge_must_be_a_mapping(params: object) -> None:
    """A non-mapping challenge is a ParameterTypeError."""
    with pytest.raises(ParameterTypeError, match="challenge_parameters"):
        UserSRP(POOL, CLIENT, "bob", "pw", small_a=5).process_challenge(params)  # type: ignore[arg-type]


@pytest.mark.usefixtures("srp_backend")
def test_naive_now_is_rejected() -> None:
    """now must be timezone-aware."""
    with pytest.raises(InvalidInputError, match="now: naive"):
        UserSRP(POOL, CLIENT, "bob", "pw", small_a=5).process_challenge(
            challenge(),
            now=datetime(2024, 1, 1),  # noqa: DTZ001
        )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"pool_id": "us-east-1"}, "pool_id: not a user pool id"),
        ({"pool_id": "us_east_1_abc"}, "pool_id: not a user pool id"),
        ({"client_id": "has space"}, "client_id: may contain only"),
        ({"client_id": "x" * 129}, "client_id: 129 characters"),
        ({"username": ""}, "username: empty"),
        ({"username": "tab\tname"}, "username: contains a space"),
        ({"password": ""}, "password: empty"),
        ({"password": "x" * 257}, "password: 257 characters"),
        ({"password": "\udc80"}, "password: not valid Unicode"),
        ({"device_key": "nope"}, "device_key: not a device key"),
        ({"small_a": 0}, "small_a: must be at least 1"),
        ({"small_a": 1 << MAX_SMALL_A_BITS}, "small_a: longer than"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], match: str) -> None:
    """Each bad constructor argument is a typed error naming it."""
    args: dict[str, object] = {
        "pool_id": POOL,
        "client_id": CLIENT,
        "username": "bob",
        "password": "pw",
    }
    args.update(kwargs)
    with pytest.raises(InvalidInputError, match=match):
        UserSRP(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"password": b"pw"},
        {"username": 5},
        {"small_a": True},
        {"small_a": 5.0},
        {"client_secret": 1},
    ],
)
def test_wrong_types_are_type_errors(kwargs: dict[str, object]) -> None:
    """Wrong argument types raise ParameterTypeError (a TypeError)."""
    args: dict[str, object] = {
        "pool_id": POOL,
        "client_id": CLIENT,
        "username": "bob",
        "password": "pw",
    }
    args.update(kwargs)
    with pytest.raises(ParameterTypeError):
        UserSRP(**args)  # type: ignore[arg-type]


def test_all_bad_arguments_reported_together() -> None:
    """Several bad arguments are reported in one exception naming each."""
    with pytest.raises(InvalidInputError) as info:
        UserSRP("bad", "bad id", "", "pw")
    assert info.value.fields == ("pool_id", "client_id", "username")


@pytest.mark.usefixtures("srp_backend")
def test_secrets_never_leak_into_repr_or_errors() -> None:
    """Password, client secret and a never appear in a repr or any error message."""
    password, client_secret, small_a = "Pa55-S3CRET-word", "CLIENT-S3CRET-xyz", 0xDEADBEEFCAFE1234
    srp = UserSRP(POOL, CLIENT, "bob", password, client_secret=client_secret, small_a=small_a)
    texts = [repr(srp), str(srp)]
    for bad in (challenge(srp_b="0"), challenge(salt="zz"), {}):
        with pytest.raises(SRPKitError) as info:
            srp.process_challenge(bad, now=NOW)
        texts.append(str(info.value))
    with pytest.raises(SRPKitError) as info:
        UserSRP(POOL, CLIENT, "bad user", password + " \udc80", client_secret=client_secret)
    texts.append(str(info.value))
    for text in texts:
        for secret in (password, client_secret, f"{small_a:x}", str(small_a)):
            assert secret not in text
