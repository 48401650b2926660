"""srpkit.server: Cognito's server half, proven against srpkit's and pycognito's clients and attacks."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pycognito import aws_srp
from serve_support import salt_drawn_as

from srpkit import (
    DeviceSRP,
    InvalidInputError,
    ParameterTypeError,
    SRPKitError,
    UserSRP,
    format_timestamp,
    new_device_secret,
)
from srpkit._client.challenge import parse_srp_challenge
from srpkit._core.group import N_BITS, N
from srpkit._core.srp import (
    password_claim,
    premaster_secret,
    private_key,
    public_ephemeral,
    scrambling_parameter,
    server_premaster_secret,
    server_proof,
    server_public_ephemeral,
    verifier,
)
from srpkit._core.timestamp import parse_timestamp
from srpkit.server import DeviceServerSRP, ServerSRP, VerificationError, make_verifier

POOL = "eu-west-1_Ab3dEfGh1"
POOL_NAME = "Ab3dEfGh1"
CLIENT = "3n4b5urk1ft4fl3mg5e62d9ado"
SECRET = "s3cr3t-client-s3cr3t"
USER = "7d2f-user"
ALIAS = "ann@example.com"
PASSWORD = "Corr3ct horse!"
SMALL_A = (1 << 1000) + 12345
NOW = datetime(2024, 9, 5, 7, 8, 9, tzinfo=timezone.utc)  # a Thursday
SALT, VERIFIER = make_verifier(POOL, USER, PASSWORD, salt="5eed" * 8)
GROUP_KEY = "-Gk3yAbCd"
DEVICE_KEY = "eu-west-1_8c5b9d3e-1f2a-4b6c-9d7e-0a1b2c3d4e5f"
DEVICE = new_device_secret(GROUP_KEY, DEVICE_KEY, password=bytes(range(40)), salt=b"\x91" * 16)

st_name = st.text(
    st.characters(whitelist_categories=("L", "M", "S", "N", "P")), min_size=1, max_size=24
)
st_password = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
st_salt = st.integers(min_value=1, max_value=(1 << 128) - 1).map(lambda s: format(s, "x"))
st_exponent = st.integers(min_value=1, max_value=(1 << 1024) - 1)


def server(**kwargs: object) -> ServerSRP:
    """A ServerSRP for the module's user (keywords override)."""
    return ServerSRP(POOL, USER, SALT, VERIFIER, **kwargs)  # type: ignore[arg-type]


def answer(
    params: dict[str, str],
    *,
    timestamp: str | None = None,
    user_id: str = USER,
    password: str = PASSWORD,
    realm: str = POOL_NAME,
) -> dict[str, str]:
    """PASSWORD_VERIFIER responses signed as a client would, with any of its inputs overridden."""
    challenge, _ = parse_srp_challenge(params)
    stamp = format_timestamp(NOW) if timestamp is None else timestamp
    claim = password_claim(
        a=SMALL_A,
        big_a=public_ephemeral(SMALL_A),
        big_b=challenge.big_b,
        salt=challenge.salt,
        realm=realm,
        user_id=user_id,
        password=password,
        secret_block=challenge.secret_block,
        timestamp=stamp,
    )
    return {
        "USERNAME": USER,
        "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
        "TIMESTAMP": stamp,
        "PASSWORD_CLAIM_SIGNATURE": claim.signature,
    }


def issued(srv: ServerSRP) -> dict[str, str]:
    """The challenge for the fixed client ephemeral."""
    return srv.challenge_parameters(format(public_ephemeral(SMALL_A), "x"))


class Refused:
    """pytest.raises(VerificationError) that also checks ``reason``."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        self.ctx = pytest.raises(VerificationError)

    def __enter__(self) -> object:
        return self.ctx.__enter__()

    def __exit__(self, *exc: object) -> bool:
        result = self.ctx.__exit__(*exc)  # type: ignore[arg-type]
        assert self.ctx.excinfo is not None
        assert self.ctx.excinfo.value.reason == self.reason, self.ctx.excinfo.value
        return bool(result)


# ---------------------------------------------------------------- round trips


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=6)
@given(st_name, st_name, st_password, st_salt)
@example(user="ユーザー", alias="ann@example.com", password="pässwörd", salt="80" + "00" * 15)
def test_srpkit_client_round_trip(user: str, alias: str, password: str, salt: str) -> None:
    """Any user, signing in by username or alias, is verified; SALT is sent as stored."""
    salt_hex, verifier_hex = make_verifier(POOL, user, password, salt=salt)
    srv = ServerSRP(POOL, user, salt_hex, verifier_hex, aliases=[alias])
    client = UserSRP(POOL, CLIENT, alias, password)
    params = srv.start(client.auth_parameters())
    assert params["SALT"] == salt
    assert params["USER_ID_FOR_SRP"] == params["USERNAME"] == user
    srv.verify(client.process_challenge(params))
    assert srv.verified


def st_salt_bytes(first: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    """16 salt bytes that start with ``first``; the rest random."""
    return st.tuples(first, st.binary(min_size=15, max_size=15)).map(lambda t: (t[0] + t[1])[:16])


def st_bytes(low: int, high: int, *, after: bytes = b"") -> st.SearchStrategy[bytes]:
    """``after`` and then one byte in [low, high]."""
    return st.integers(low, high).map(lambda b: after + bytes([b]))


# Each shape the SALT of a 128-bit salt takes as Cognito prints it (minimal hex): its random
# bytes, and a check that the printed salt has that shape. pycognito hashes SALT as the
# string it gets ("0" before an odd length, "00" before a high first digit), the official
# clients padHex(new BigInteger(SALT, 16)): the two agree on minimal hex, not on a redundant
# "00" before a low digit. That is how make_verifier used to print a zero first byte before
# one < 0x80, so about 1 user in 512 could not sign in with pycognito.
SALT_SHAPES: dict[str, tuple[st.SearchStrategy[bytes], Callable[[str], bool]]] = {
    "odd length": (st_salt_bytes(st_bytes(0x01, 0x0F)), lambda salt: len(salt) == 31),
    "even, top bit set": (
        st_salt_bytes(st_bytes(0x80, 0xFF)),
        lambda salt: len(salt) == 32 and salt[0] in "89abcdef",
    ),
    "even, top bit clear": (
        st_salt_bytes(st_bytes(0x10, 0x7F)),
        lambda salt: len(salt) == 32 and salt[0] in "1234567",
    ),
    "zero byte, then top bit clear": (
        st_salt_bytes(st_bytes(0x00, 0x7F, after=b"\x00")),
        lambda salt: len(salt) <= 30,
    ),
}


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize("shape", list(SALT_SHAPES))
@settings(max_examples=3)
@given(data=st.data(), user=st_name, password=st_password)
def test_pycognito_client_round_trip(
    shape: str, data: st.DataObject, user: str, password: str
) -> None:
    """pycognito's own math signs in against ServerSRP for a make_verifier salt of every shape."""
    draw, has_shape = SALT_SHAPES[shape]
    raw = data.draw(draw, label="salt bytes")
    with salt_drawn_as(raw):
        salt_hex, verifier_hex = make_verifier(POOL, user, password)
    assert has_shape(salt_hex) and int(salt_hex, 16) == int.from_bytes(raw, "big")
    srv = ServerSRP(POOL, user, salt_hex, verifier_hex)
    client = aws_srp.AWSSRP(user, password, POOL, CLIENT, client=object())
    params = srv.start(client.get_auth_params())
    assert params["SALT"] == salt_hex
    srv.verify(client.process_challenge(params, {"USERNAME": user}))


@pytest.mark.usefixtures("srp_backend")
@given(st.binary(min_size=16, max_size=16))
@example(b"\x00\x4d" + bytes(14))  # printed as "004d.." before
@example(b"\x00" * 15 + b"\x01")
@example(b"\xff" * 16)
def test_make_verifier_prints_minimal_hex(raw: bytes) -> None:
    """make_verifier's salt and verifier are minimal hex (never a redundant leading "00"), the salt its random bytes."""
    with salt_drawn_as(raw):
        salt_hex, verifier_hex = make_verifier(POOL, USER, PASSWORD)
    assert salt_hex == format(int.from_bytes(raw, "big"), "x")
    assert verifier_hex == format(int(verifier_hex, 16), "x")


@pytest.mark.usefixtures("srp_backend")
def test_pycognito_wrong_password_is_refused() -> None:
    """pycognito with the wrong password fails on the signature."""
    srv = server()
    client = aws_srp.AWSSRP(USER, "not it", POOL, CLIENT, client=object())
    params = srv.start(client.get_auth_params())
    with Refused("signature"):
        srv.verify(client.process_challenge(params, {"USERNAME": USER}))


@pytest.mark.usefixtures("srp_backend")
def test_negative_salt_round_trip() -> None:
    """A negative SALT (Cognito sends some) round-trips through padHex's two's complement."""
    salt_hex, verifier_hex = make_verifier(POOL, USER, PASSWORD, salt="-16e462a84f2df159")
    srv = ServerSRP(POOL, USER, salt_hex, verifier_hex)
    client = UserSRP(POOL, CLIENT, USER, PASSWORD)
    srv.verify(client.process_challenge(srv.start(client.auth_parameters())))


@pytest.mark.usefixtures("srp_backend")
def test_client_secret_round_trip_and_refusals() -> None:
    """With a client secret, SECRET_HASH is required and checked at both steps."""
    srv = server(client_id=CLIENT, client_secret=SECRET, aliases=[ALIAS])
    client = UserSRP(POOL, CLIENT, ALIAS, PASSWORD, client_secret=SECRET)
    srv.verify(client.process_challenge(srv.start(client.auth_parameters())))
    with Refused("secret_hash"):
        server(client_id=CLIENT, client_secret=SECRET).start(
            UserSRP(POOL, CLIENT, USER, PASSWORD).auth_parameters()
        )
    wrong = UserSRP(POOL, CLIENT, USER, PASSWORD, client_secret="other")
    with Refused("secret_hash"):
        server(client_id=CLIENT, client_secret=SECRET).start(wrong.auth_parameters())
    srv = server(client_id=CLIENT, client_secret=SECRET, aliases=[ALIAS])
    params = srv.start(client.auth_parameters())
    responses = client.process_challenge(params)
    responses["SECRET_HASH"] = _hash(ALIAS)  # over the alias, not the USERNAME answered
    with Refused("secret_hash"):
        srv.verify(responses)


def _hash(name: str) -> str:
    return aws_srp.AWSSRP.get_secret_hash(name, CLIENT, SECRET)  # type: ignore[no-any-return]


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=8)
@given(st_exponent, st_exponent, st.integers(min_value=1, max_value=(1 << 256) - 1))
def test_server_premaster_equals_client_premaster(a: int, b: int, x: int) -> None:
    """(A * v^u)^b = (B - k * g^x)^(a + u * x) mod N: both sides derive the same S and signature."""
    v = verifier(x)
    big_a = public_ephemeral(a)
    big_b = server_public_ephemeral(b, v)
    u = scrambling_parameter(big_a, big_b)
    assert server_premaster_secret(big_a, v, u, b) == premaster_secret(big_b, x, a, u)


@pytest.mark.usefixtures("srp_backend")
def test_server_proof_matches_client_claim() -> None:
    """The signature the server expects is the client's PasswordClaim signature."""
    x = private_key(int(SALT, 16), POOL_NAME, USER, PASSWORD)
    big_a = public_ephemeral(SMALL_A)
    big_b = server_public_ephemeral(7, verifier(x))
    stamp = format_timestamp(NOW)
    claim = password_claim(
        a=SMALL_A,
        big_a=big_a,
        big_b=big_b,
        salt=int(SALT, 16),
        realm=POOL_NAME,
        user_id=USER,
        password=PASSWORD,
        secret_block=b"blk",
        timestamp=stamp,
    )
    proof = server_proof(
        b=7,
        big_a=big_a,
        big_b=big_b,
        v=verifier(x),
        realm=POOL_NAME,
        user_id=USER,
        secret_block=b"blk",
        timestamp=stamp,
    )
    assert (proof.premaster, proof.key, proof.signature) == (
        claim.premaster,
        claim.key,
        claim.signature,
    )
    assert "redacted" in repr(proof) and format(proof.premaster, "x") not in repr(proof)


# ---------------------------------------------------------------- devices


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=3)
@given(st.binary(min_size=40, max_size=40), st.binary(min_size=16, max_size=16))
@example(password=bytes(40), salt=b"\x00" * 15 + b"\x01")  # padHex drops leading zeros
@example(password=bytes(40), salt=b"\xff" * 16)  # and adds 00 before a set top bit
def test_device_round_trip(password: bytes, salt: bytes) -> None:
    """ConfirmDevice's verifier config serves DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER for DeviceSRP."""
    secret = new_device_secret(GROUP_KEY, DEVICE_KEY, password=password, salt=salt)
    srv = DeviceServerSRP(USER, GROUP_KEY, DEVICE_KEY, secret.verifier_config)
    client = DeviceSRP(GROUP_KEY, DEVICE_KEY, secret.password, USER, CLIENT)
    params = srv.start(client.auth_parameters())
    assert (params["USERNAME"], params["DEVICE_KEY"]) == (USER, DEVICE_KEY)
    srv.verify(client.process_challenge(params))
    assert srv.verified


@pytest.mark.usefixtures("srp_backend")
def test_pycognito_device_round_trip() -> None:
    """pycognito's own device verifier and device answer are accepted."""
    device_password, config = aws_srp.generate_hash_device(GROUP_KEY, DEVICE_KEY)
    srv = DeviceServerSRP(USER, GROUP_KEY, DEVICE_KEY, config)
    client = aws_srp.AWSSRP(
        USER,
        "unused",
        POOL,
        CLIENT,
        client=object(),
        device_key=DEVICE_KEY,
        device_group_key=GROUP_KEY,
        device_password=device_password,
    )
    auth = {"USERNAME": USER, "DEVICE_KEY": DEVICE_KEY, "SRP_A": format(client.large_a_value, "x")}
    srv.verify(client.process_device_challenge(srv.start(auth)))


@pytest.mark.usefixtures("srp_backend")
def test_device_refusals() -> None:
    """Another device's key, a wrong device password and a wrong user are refused."""
    config = DEVICE.verifier_config
    client = DeviceSRP(GROUP_KEY, DEVICE_KEY, DEVICE.password, USER, CLIENT)
    srv = DeviceServerSRP(USER, GROUP_KEY, DEVICE_KEY, config)
    other = DEVICE_KEY[:-1] + "0"
    with Refused("device_key"):
        srv.start(client.auth_parameters() | {"DEVICE_KEY": other})
    with Refused("username"):
        srv.start(client.auth_parameters() | {"USERNAME": "mallory"})
    params = srv.start(client.auth_parameters())
    with Refused("signature"):
        srv.verify(
            DeviceSRP(GROUP_KEY, DEVICE_KEY, "d3JvbmcK", USER, CLIENT).process_challenge(params)
        )
    srv = DeviceServerSRP(USER, GROUP_KEY, DEVICE_KEY, config)
    params = srv.start(client.auth_parameters())
    responses = client.process_challenge(params)
    del responses["DEVICE_KEY"]
    with Refused("malformed"):
        srv.verify(responses)


@pytest.mark.parametrize(
    ("config", "fields"),
    [
        ({"PasswordVerifier": "AA==", "Salt": "AQ=="}, ("PasswordVerifier",)),
        ({"PasswordVerifier": "not base64!", "Salt": "AQ=="}, ("PasswordVerifier",)),
        ({"PasswordVerifier": "AQ==", "Salt": ""}, ("Salt",)),
        ({"Salt": "AQ=="}, ("PasswordVerifier",)),
    ],
)
def test_device_bad_verifier_config(config: dict[str, str], fields: tuple[str, ...]) -> None:
    """A verifier config that could not be Cognito's is refused, naming the field."""
    with pytest.raises(InvalidInputError) as info:
        DeviceServerSRP(USER, GROUP_KEY, DEVICE_KEY, config)
    assert info.value.fields == fields


# ---------------------------------------------------------------- attacks


@pytest.mark.parametrize(
    "srp_a",
    [
        "0",
        "00",
        format(N, "x"),
        format(2 * N, "x"),
        format(7 * N, "X"),
        format((1 << (N_BITS + 64)) + 1, "x"),
        "f" * 1025,
        "50MB",
    ],
    ids=["0", "00", "N", "2N", "7N", "2^(bits+64)+1", "1025 digits", "50MB"],
)
def test_unsafe_srp_a_refused_before_arithmetic(srp_a: str) -> None:
    """A = 0 mod N (a login without the password) and oversized A are refused without a modpow."""
    if srp_a == "50MB":  # built here, not at collection: refused by length before it is parsed
        srp_a = "1" * 50_000_000
    srv = server()
    no_math = AssertionError("arithmetic ran")
    with (
        mock.patch("srpkit._core.srp.powmod", side_effect=no_math),
        mock.patch("srpkit.server._session.server_public_ephemeral", side_effect=no_math),
        Refused("srp_a"),
    ):
        srv.challenge_parameters(srp_a)


@pytest.mark.parametrize("srp_a", ["-5", "0x12", "12 ", "", "g1"])
def test_malformed_srp_a_refused(srp_a: str) -> None:
    """SRP_A that is not plain hex is refused."""
    with Refused("srp_a"):
        server().challenge_parameters(srp_a)


@pytest.mark.usefixtures("srp_backend")
def test_wrong_password_refused() -> None:
    """A claim made with another password does not verify."""
    srv = server()
    with Refused("signature"):
        srv.verify(answer(issued(srv), password="Corr3ct horse?"), now=NOW)


@pytest.mark.usefixtures("srp_backend")
def test_right_answer_accepted() -> None:
    """The reference answer (used by the refusal tests below) is accepted."""
    srv = server()
    srv.verify(answer(issued(srv)), now=NOW)
    assert srv.verified


@pytest.mark.usefixtures("srp_backend")
def test_replayed_session_refused() -> None:
    """A session verifies at most once; a failed answer also ends it; a second challenge is refused."""
    srv = server()
    responses = answer(issued(srv))
    srv.verify(responses, now=NOW)
    with Refused("replay"):
        srv.verify(responses, now=NOW)
    srv = server()
    params = issued(srv)
    with Refused("signature"):
        srv.verify(answer(params, password="guess 1"), now=NOW)
    with Refused("replay"):
        srv.verify(answer(params), now=NOW)
    with Refused("replay"):
        srv.challenge_parameters(format(public_ephemeral(SMALL_A), "x"))
    with Refused("no_challenge"):
        server().verify(answer(params), now=NOW)


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(
    ("timestamp", "message"),
    [
        ("Thu Sep 05 07:08:09 UTC 2024", "zero-padded"),
        ("Thu Sep  5 07:08:09 UTC 2024", "space-padded"),
        ("Fri Sep 5 07:08:09 UTC 2024", "weekday 'Fri' is wrong"),
        ("Thu Sep 5 7:08:09 UTC 2024", "hour"),
        ("Thu Sep 5 07:08:09 GMT 2024", "zone"),
        ("Thu Sept 5 07:08:09 UTC 2024", "form"),
        ("Do Sep 5 07:08:09 UTC 2024", "form"),
        ("Thu Sep 5 07:08:09 UTC 2024 ", "form"),
        ("Thu Sep 31 07:08:09 UTC 2024", "real date"),
        ("2024-09-05T07:08:09Z", "form"),
    ],
)
def test_bad_timestamp_refused(timestamp: str, message: str) -> None:
    """A TIMESTAMP off Cognito's exact format is refused even when correctly signed."""
    srv = server()
    with Refused("timestamp_format") as info:
        srv.verify(answer(issued(srv), timestamp=timestamp), now=NOW)
    assert message in str(info.value)  # type: ignore[attr-defined]


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(
    "offset", [timedelta(minutes=-6), timedelta(minutes=6), timedelta(days=400)]
)
def test_stale_or_future_timestamp_refused(offset: timedelta) -> None:
    """A correctly signed TIMESTAMP too far from the server's clock is refused."""
    srv = server()
    with Refused("timestamp_skew"):
        srv.verify(answer(issued(srv), timestamp=format_timestamp(NOW + offset)), now=NOW)


@pytest.mark.usefixtures("srp_backend")
def test_timestamp_within_skew_accepted() -> None:
    """A TIMESTAMP inside max_skew is accepted; max_skew is the caller's to choose."""
    srv = server()
    srv.verify(answer(issued(srv), timestamp=format_timestamp(NOW - timedelta(minutes=4))), now=NOW)
    srv = server()
    stamp = format_timestamp(NOW - timedelta(hours=1))
    srv.verify(answer(issued(srv), timestamp=stamp), now=NOW, max_skew=timedelta(hours=2))


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(
    ("override", "reason"),
    [
        ({"user_id": ALIAS}, "signature"),  # signed the alias, not USER_ID_FOR_SRP
        ({"realm": POOL}, "signature"),  # the whole pool id instead of its name
    ],
)
def test_signature_over_wrong_names_refused(override: dict[str, str], reason: str) -> None:
    """A signature over the wrong user id (e.g. the alias) or pool name does not verify."""
    srv = server(aliases=[ALIAS])
    with Refused(reason):
        srv.verify(answer(issued(srv), **override), now=NOW)


@pytest.mark.usefixtures("srp_backend")
def test_wrong_fields_refused() -> None:
    """Another user's USERNAME, another SECRET_BLOCK, a bad signature encoding are refused."""
    cases = [
        ({"USERNAME": "mallory"}, "username"),
        ({"PASSWORD_CLAIM_SECRET_BLOCK": base64.b64encode(b"forged").decode()}, "secret_block"),
        ({"PASSWORD_CLAIM_SIGNATURE": "not base64"}, "signature"),
        ({"PASSWORD_CLAIM_SIGNATURE": base64.b64encode(bytes(32)).decode()}, "signature"),
        ({"TIMESTAMP": 12}, "malformed"),
    ]
    for override, reason in cases:
        srv = server()
        with Refused(reason):
            srv.verify(answer(issued(srv)) | override, now=NOW)  # type: ignore[operator]


@pytest.mark.usefixtures("srp_backend")
def test_missing_fields_all_named() -> None:
    """Every missing ChallengeResponses key is named in one error."""
    srv = server()
    issued(srv)
    with Refused("malformed") as info:
        srv.verify({"USERNAME": USER}, now=NOW)
    assert info.value.fields == (  # type: ignore[attr-defined]
        "PASSWORD_CLAIM_SECRET_BLOCK",
        "TIMESTAMP",
        "PASSWORD_CLAIM_SIGNATURE",
    )
    with Refused("malformed"):
        server().start(["USERNAME"])  # type: ignore[arg-type]


@pytest.mark.usefixtures("srp_backend")
def test_start_refuses_unknown_user() -> None:
    """start() accepts the username or an alias as USERNAME, nothing else."""
    with Refused("username"):
        server().start({"USERNAME": ALIAS, "SRP_A": "5"})
    assert (
        server(aliases=[ALIAS]).start({"USERNAME": ALIAS, "SRP_A": "5"})["USER_ID_FOR_SRP"] == USER
    )


# ---------------------------------------------------------------- arguments and secrets


@pytest.mark.usefixtures("srp_backend")
def test_bad_arguments_reported_together() -> None:
    """Bad constructor arguments raise one typed error naming every field."""
    with pytest.raises(InvalidInputError) as info:
        ServerSRP("not-a-pool", "", "xyz", "0")
    assert set(info.value.fields) == {"pool_id", "username", "salt_hex", "verifier_hex"}
    with pytest.raises(ParameterTypeError):
        ServerSRP(POOL, USER, SALT, VERIFIER, small_b="1")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        ServerSRP(POOL, USER, SALT, format(N, "x"))
    with pytest.raises(InvalidInputError, match="client_id"):
        ServerSRP(POOL, USER, SALT, VERIFIER, client_secret="x")
    with pytest.raises(ParameterTypeError):
        ServerSRP(POOL, USER, SALT, VERIFIER, aliases="ann")
    with pytest.raises(InvalidInputError) as info:
        make_verifier(POOL, USER, "", salt="zz")
    assert set(info.value.fields) == {"password", "salt"}
    srv = server()
    params = issued(srv)
    with pytest.raises(InvalidInputError):
        srv.verify(answer(params), now=datetime(2024, 1, 1))  # noqa: DTZ001 - naive on purpose
    with pytest.raises(InvalidInputError):
        srv.verify({}, max_skew=timedelta(seconds=-1))
    assert srv.verified is False  # argument errors do not consume the session


@pytest.mark.usefixtures("srp_backend")
def test_no_secret_in_repr_or_errors() -> None:
    """Neither repr nor any refusal shows the password, verifier or b."""
    small_b = 0x1234567890ABCDEF1234567890ABCDEF
    srv = server(small_b=small_b)
    params = issued(srv)
    errors: list[SRPKitError] = []
    for bad in (answer(params, password="Tr0ub4dor&3"), answer(params)):
        try:
            srv.verify(bad, now=NOW)
        except SRPKitError as exc:
            errors.append(exc)
    texts = [repr(srv), *(str(e) for e in errors)]
    for text in texts:
        for secret in (PASSWORD, "Tr0ub4dor&3", VERIFIER.lstrip("0")[:16], format(small_b, "x")):
            assert secret not in text
    assert "redacted" in repr(DeviceServerSRP(USER, GROUP_KEY, DEVICE_KEY, DEVICE.verifier_config))


@pytest.mark.usefixtures("srp_backend")
def test_fixed_randomness_is_reproducible() -> None:
    """small_b and secret_block fix the challenge (for known-answer tests); defaults are fresh."""
    one = server(small_b=99, secret_block=b"block").challenge_parameters("5")
    two = server(small_b=99, secret_block=b"block").challenge_parameters("5")
    assert one == two and one["SECRET_BLOCK"] == "YmxvY2s="
    assert server().challenge_parameters("5") != server().challenge_parameters("5")


@settings(max_examples=50)
@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)))  # noqa: DTZ001
def test_parse_timestamp_inverts_format(when: datetime) -> None:
    """parse_timestamp reads back every format_timestamp output (to the second)."""
    aware = when.replace(tzinfo=timezone.utc, microsecond=0)
    assert parse_timestamp(format_timestamp(aware)) == aware
