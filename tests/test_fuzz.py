"""Fuzzing every public entry point: only srpkit's typed errors escape, and whatever is accepted is right.

Every target is checked against an oracle written here, independently of
srpkit's code: an input is accepted exactly when it is valid, a refusal is a
typed error naming a field that really is wrong, and an accepted answer equals
what a reference implementation of Cognito's SRP (spelled out below with
``pow``, ``hashlib`` and ``hmac``) computes. The number of cases run is printed
in pytest's terminal summary ("srpkit fuzz: N cases ...").
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import hmac
import io
import itertools
import json
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal, TypeVar

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from srpkit import (
    DeviceSRP,
    InvalidChallengeError,
    InvalidInputError,
    MissingParameterError,
    ParameterTypeError,
    SRPKitError,
    UserSRP,
    format_timestamp,
    initiate_auth_request,
    new_device_secret,
    password_verifier_request,
    respond_to_auth_challenge_request,
    secret_hash,
)
from srpkit.__main__ import main
from srpkit._cli import CommandIO
from srpkit._client.requests import AUTH_FLOWS, CHALLENGE_NAMES
from srpkit._core import backend as _arith
from srpkit._core.caps import MAX_SMALL_A_BITS
from srpkit._core.group import N
from srpkit._tools.audit import AuditReport, audit_transcript
from srpkit._tools.vectors import (
    MAX_VECTOR_FILE_BYTES,
    VectorFileError,
    bundled_vector_paths,
    check_file,
    parse_vector_text,
)
from srpkit.server import DeviceServerSRP, ServerSRP, VerificationError, make_verifier

F = TypeVar("F", bound=Callable[..., Any])

# ---------------------------------------------------------------- counting the cases


class _Tally:
    """Cases run per fuzz target and backend; a pytest plugin that prints them in the summary."""

    def __init__(self) -> None:
        self.cases: Counter[tuple[str, str]] = Counter()
        self.known: Counter[str] = Counter()

    def hit(self, target: str) -> None:
        self.cases[target, _arith.backend()] += 1

    def known_crash(self, reproducer: str) -> None:
        """A case that ran into an already reported bug (counted apart, reported in the summary)."""
        self.known[reproducer] += 1

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        total = sum(self.cases.values())
        per_backend = Counter[str]()
        for (_, name), count in self.cases.items():
            per_backend[name] += count
        split = ", ".join(f"{name} {count}" for name, count in sorted(per_backend.items()))
        targets = len({target for target, _ in self.cases})
        terminalreporter.write_sep(
            "-", f"srpkit fuzz: {total} cases run over {targets} targets ({split})"
        )
        per_target = Counter[str]()
        for (target, _), count in self.cases.items():
            per_target[target] += count
        for target, count in sorted(per_target.items()):
            terminalreporter.write_line(f"  {target}: {count}")
        for reproducer, count in sorted(self.known.items()):
            terminalreporter.write_line(f"  (hit a reported bug, see {reproducer}: {count})")


TALLY = _Tally()


@pytest.fixture(scope="module", autouse=True)
def fuzz_tally(request: pytest.FixtureRequest) -> _Tally:
    """Register the tally as a plugin once, so the case count reaches the terminal summary."""
    manager = request.config.pluginmanager
    if not manager.is_registered(TALLY):
        manager.register(TALLY, "srpkit-fuzz-tally")
    return TALLY


def counted(func: F) -> F:
    """Count each hypothesis case the wrapped test runs (goes between @given and the function)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        TALLY.hit(func.__name__.removeprefix("test_"))
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def attempt(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func``'s result, or the typed error it raised; anything else escapes and fails the test."""
    try:
        return func(*args, **kwargs)
    except SRPKitError as exc:
        assert str(exc), "a typed error must say what is wrong"
        return exc


# ---------------------------------------------------------------- a reference implementation


def ref_pad(value: int) -> str:
    """Cognito's padHex: the shortest big-endian two's complement that keeps the sign."""
    size = 1
    while not -(1 << (8 * size - 1)) <= value < 1 << (8 * size - 1):
        size += 1
    return value.to_bytes(size, "big", signed=True).hex()


def ref_hash(hex_text: str) -> int:
    """SHA-256 of the bytes ``hex_text`` spells, as an integer."""
    return int.from_bytes(hashlib.sha256(bytes.fromhex(hex_text)).digest(), "big")


REF_K = ref_hash(ref_pad(N) + ref_pad(2))


def ref_x(salt: int, realm: str, user_id: str, password: str) -> int:
    """x = H(pad(salt) | H(realm | user_id | ':' | password))."""
    inner = hashlib.sha256(f"{realm}{user_id}:{password}".encode()).hexdigest()
    return ref_hash(ref_pad(salt) + inner)


def ref_hkdf(ikm: bytes, salt: bytes) -> bytes:
    """HKDF-SHA256, one block, info "Caldera Derived Key", 16 bytes."""
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    return hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]


@functools.lru_cache(maxsize=64)
def ref_power_of_g(exponent: int) -> int:
    """g^e mod N with the builtin pow."""
    return pow(2, exponent, N)


def ref_signature(
    *,
    a: int,
    big_b: int,
    salt: int,
    realm: str,
    user_id: str,
    password: str,
    block: bytes,
    timestamp: str,
) -> str:
    """PASSWORD_CLAIM_SIGNATURE as the official clients compute it."""
    big_a = ref_power_of_g(a)
    u = ref_hash(ref_pad(big_a) + ref_pad(big_b))
    x = ref_x(salt, realm, user_id, password)
    premaster = pow((big_b - REF_K * pow(2, x, N)) % N, a + u * x, N)
    key = ref_hkdf(bytes.fromhex(ref_pad(premaster)), bytes.fromhex(ref_pad(u)))
    message = realm.encode() + user_id.encode() + block + timestamp.encode()
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def ref_timestamp(when: datetime) -> str:
    """Cognito's TIMESTAMP for an aware datetime."""
    utc = when.astimezone(timezone.utc)
    return (
        f"{WEEKDAYS[utc.weekday()]} {MONTHS[utc.month - 1]} {utc.day} "
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d} UTC {utc.year}"
    )


# What Cognito's wire formats allow, as the oracle sees it.
_HEX = re.compile(r"[0-9a-fA-F]+")
_SIGNED_HEX = re.compile(r"-?[0-9a-fA-F]+")
_B64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def valid_hex(value: object, cap: int, *, negative: bool = False) -> bool:
    """Non-empty hex text of at most ``cap`` characters (a leading '-' only if ``negative``)."""
    pattern = _SIGNED_HEX if negative else _HEX
    return isinstance(value, str) and 1 <= len(value) <= cap and bool(pattern.fullmatch(value))


def valid_b64(value: object, cap: int) -> bool:
    """Non-empty standard base64 with padding, at most ``cap`` characters."""
    if not (isinstance(value, str) and 1 <= len(value) <= cap and len(value) % 4 == 0):
        return False
    if not _B64.fullmatch(value):
        return False
    try:
        base64.b64decode(value, validate=True)
    except ValueError:
        return False
    return True


def valid_name(value: object) -> bool:
    """A Cognito user name: 1-128 letters, marks, symbols, numbers or punctuation."""
    return (
        isinstance(value, str)
        and 1 <= len(value) <= 128
        and all(unicodedata.category(ch)[0] in "LMSNP" for ch in value)
    )


# ---------------------------------------------------------------- strategies

NO_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)

POOL = "eu-west-1_Fz9PooL"
POOL_NAME = "Fz9PooL"
CLIENT = "fuzzclient0123456789abcd"
USER = "fuzz-user"
PASSWORD = "Fuzz-pa55word!"
CLIENT_SECRET = "fuzz-client-secret"
GROUP_KEY = "-Fz9GroupKey"
DEVICE_KEY = "eu-west-1_5f0c9a2e-7b1d-4c3e-8f6a-9d0e1f2a3b4c"
NOW = datetime(2024, 9, 5, 7, 8, 9, tzinfo=timezone.utc)  # a Thursday
STAMP = "Thu Sep 5 07:08:09 UTC 2024"
# Small fixed ephemerals where the target is parsing: the 3072-bit math stays cheap.
SMALL_A = (1 << 200) + 0x5EED
SMALL_B = (1 << 190) + 0xB0B
BLOCK = bytes(range(256))[::-1][:96]
DEVICE = new_device_secret(GROUP_KEY, DEVICE_KEY, password=bytes(range(40)), salt=b"\xa7" * 16)
SALT_CAP, SRP_B_CAP, BLOCK_CAP = 1024, 1536, 131072

st_junk_type = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.binary(max_size=8),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)
st_nasty_text = st.sampled_from(
    [
        "",
        " ",
        "-",
        "--1f",
        "-0",
        "-ff",
        "0x1f",
        "0X1F",
        " 1f",
        "1f ",
        "1f\n",
        "1_f",
        "+1f",
        "\uff11\uff12",  # fullwidth digits: int() would take them
        "١٢٣",
        "\uff46\uff46",
        "ab\x00cd",
        "\x00",
        "\ud800",
        "a\udfffb",
        "====",
        "A===",
        "AB=A",
        "AB==CD==",
        "QUJD\n",
        "QU JD",
        "QUJD-_==",
        "é",
        "\u200b",
        "null",
        "NaN",
        "1e3",
    ]
)
# Around every cap: at it (accepted where the value is otherwise valid) and just past it.
st_huge_text = st.tuples(
    st.sampled_from([129, 1024, 1025, 1536, 1537, 2049, 131072, 131073]),
    st.sampled_from(["f", "A", "0", "=", "é", "-"]),
).map(lambda spec: spec[1] * spec[0])
# Hypothesis leaves lone surrogates out of text by default; JSON and Python strings can hold them.
st_any_text = st.text(st.one_of(st.characters(), st.characters(categories=["Cs"])), max_size=30)
st_junk = st.one_of(st_junk_type, st_nasty_text, st_huge_text, st_any_text)


def st_hex_text(values: st.SearchStrategy[int]) -> st.SearchStrategy[str]:
    """Hex as a server may write it: any case, leading zeros, '-' for negative values."""

    def spell(spec: tuple[int, int, bool]) -> str:
        value, zeros, upper = spec
        digits = "0" * zeros + format(abs(value), "X" if upper else "x")
        return ("-" if value < 0 else "") + digits

    return st.tuples(values, st.integers(0, 3), st.booleans()).map(spell)


st_salt_text = st_hex_text(st.integers(-(1 << 200), 1 << 200))
st_b_value = st.one_of(
    st.integers(1, N - 1),
    st.integers(N + 1, (1 << 6000)).filter(lambda b: b % N != 0),
    st.sampled_from([0, N, 2 * N, 1, N - 1, N + 1]),
)
st_b_text = st_hex_text(st_b_value)
st_block_text = st.binary(min_size=1, max_size=120).map(lambda b: base64.b64encode(b).decode())
st_username = st.text(
    st.characters(whitelist_categories=("L", "M", "S", "N", "P")), min_size=1, max_size=16
)
st_password = st.text(st.characters(exclude_categories=NO_SURROGATES), min_size=1, max_size=40)
st_extra = st.dictionaries(
    st.one_of(st.text(max_size=12), st.integers()),
    st.one_of(st.text(max_size=12), st_junk_type),
    max_size=3,
)
_MISSING = object()


def st_field(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A challenge value: usually valid, else junk, else absent."""
    return st.one_of(valid, valid, valid, valid, st_junk, st.just(_MISSING))


def build_map(fields: Mapping[str, Any], extra: Mapping[Any, Any]) -> dict[Any, Any]:
    """The parameter map: extra keys first, then the drawn fields (absent ones left out)."""
    out: dict[Any, Any] = {k: v for k, v in extra.items() if k not in fields}
    out.update({k: v for k, v in fields.items() if v is not _MISSING})
    return out


# ---------------------------------------------------------------- client challenge maps

USER_CLIENT = UserSRP(POOL, CLIENT, USER, PASSWORD, small_a=SMALL_A)
DEVICE_CLIENT = DeviceSRP(GROUP_KEY, DEVICE_KEY, DEVICE.password, USER, CLIENT, small_a=SMALL_A)


def expected_challenge_outcome(
    params: Mapping[Any, Any], required: tuple[str, ...], *, device: bool
) -> set[str]:
    """The fields a correct parser must object to (empty: the challenge must be answered)."""
    missing = {key for key in required if key not in params}
    if missing:
        return missing
    bad = set()
    if not valid_hex(params["SALT"], SALT_CAP, negative=True):
        bad.add("SALT")
    if not valid_hex(params["SRP_B"], SRP_B_CAP):
        bad.add("SRP_B")
    if not valid_b64(params["SECRET_BLOCK"], BLOCK_CAP):
        bad.add("SECRET_BLOCK")
    if "USER_ID_FOR_SRP" in required and not valid_name(params["USER_ID_FOR_SRP"]):
        bad.add("USER_ID_FOR_SRP")
    if device and "DEVICE_KEY" in params and params["DEVICE_KEY"] != DEVICE_KEY:
        bad.add("DEVICE_KEY")
    if not bad and int(params["SRP_B"], 16) % N == 0:
        bad.add("SRP_B")  # B = 0 mod N: S would not depend on the password
    return bad


def check_claim(
    outcome: Any,
    params: Mapping[Any, Any],
    required: tuple[str, ...],
    *,
    realm: str,
    user_id: str,
    password: str,
) -> dict[str, str] | None:
    """Assert the client's outcome is the only right one; return the responses if answered."""
    bad = expected_challenge_outcome(params, required, device=realm == GROUP_KEY)
    if bad:
        assert isinstance(outcome, SRPKitError), f"accepted a challenge with bad {bad}"
        if bad <= set(required) and not any(key in params for key in bad):
            assert isinstance(outcome, MissingParameterError)
            assert set(outcome.fields) == bad
        else:
            assert isinstance(outcome, (InvalidChallengeError, ParameterTypeError))
            assert outcome.fields, outcome
            assert outcome.fields[0] in bad, (outcome, bad)
        return None
    assert not isinstance(outcome, SRPKitError), f"refused a valid challenge: {outcome}"
    expected = ref_signature(
        a=SMALL_A,
        big_b=int(params["SRP_B"], 16),
        salt=int(params["SALT"], 16),
        realm=realm,
        user_id=user_id,
        password=password,
        block=base64.b64decode(params["SECRET_BLOCK"]),
        timestamp=STAMP,
    )
    assert outcome["PASSWORD_CLAIM_SIGNATURE"] == expected
    assert outcome["TIMESTAMP"] == STAMP
    assert outcome["PASSWORD_CLAIM_SECRET_BLOCK"] == params["SECRET_BLOCK"]
    return dict(outcome)


@st.composite
def st_user_challenge(draw: st.DrawFn) -> dict[Any, Any]:
    """PASSWORD_VERIFIER ChallengeParameters, any of them missing, junk or odd."""
    fields = {
        "SALT": draw(st_field(st_salt_text)),
        "SRP_B": draw(st_field(st_b_text)),
        "SECRET_BLOCK": draw(st_field(st_block_text)),
        "USER_ID_FOR_SRP": draw(st_field(st.one_of(st.just(USER), st_username))),
        "USERNAME": draw(st_field(st_username)),
    }
    return build_map(fields, draw(st_extra))


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=200)
@given(st_user_challenge())
@example(
    {"SALT": "-80", "SRP_B": format(N + 1, "x"), "SECRET_BLOCK": "AA==", "USER_ID_FOR_SRP": USER}
)
@example(
    {
        "SALT": "0" * 1024,
        "SRP_B": "0" * 1535 + "2",
        "SECRET_BLOCK": "A" * 131072,
        "USER_ID_FOR_SRP": "x",
    }
)
@example(
    {
        "SALT": "ff",
        "SRP_B": "0" * 1000 + format(N, "x"),
        "SECRET_BLOCK": "AA==",
        "USER_ID_FOR_SRP": USER,
    }
)
@counted
def test_user_challenge_maps(params: dict[Any, Any]) -> None:
    """UserSRP answers a PASSWORD_VERIFIER map iff it is valid, and then exactly as the reference."""
    outcome = attempt(USER_CLIENT.process_challenge, params, now=NOW)
    answered = check_claim(
        outcome,
        params,
        ("SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP"),
        realm=POOL_NAME,
        user_id=params.get("USER_ID_FOR_SRP", ""),
        password=PASSWORD,
    )
    if answered is not None:
        assert answered["USERNAME"] == params["USER_ID_FOR_SRP"]
        assert set(answered) == {
            "USERNAME",
            "PASSWORD_CLAIM_SECRET_BLOCK",
            "TIMESTAMP",
            "PASSWORD_CLAIM_SIGNATURE",
        }


@st.composite
def st_device_challenge(draw: st.DrawFn) -> dict[Any, Any]:
    """DEVICE_PASSWORD_VERIFIER ChallengeParameters, with DEVICE_KEY right, wrong, odd or absent."""
    fields = {
        "SALT": draw(st_field(st_salt_text)),
        "SRP_B": draw(st_field(st_b_text)),
        "SECRET_BLOCK": draw(st_field(st_block_text)),
        "DEVICE_KEY": draw(st_field(st.sampled_from([DEVICE_KEY, DEVICE_KEY.upper(), "x"]))),
        "USERNAME": draw(st_field(st_username)),
    }
    return build_map(fields, draw(st_extra))


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=120)
@given(st_device_challenge())
@counted
def test_device_challenge_maps(params: dict[Any, Any]) -> None:
    """DeviceSRP answers a DEVICE_PASSWORD_VERIFIER map iff it is valid and for it, as the reference."""
    outcome = attempt(DEVICE_CLIENT.process_challenge, params, now=NOW)
    answered = check_claim(
        outcome,
        params,
        ("SALT", "SRP_B", "SECRET_BLOCK"),
        realm=GROUP_KEY,
        user_id=DEVICE_KEY,
        password=DEVICE.password,
    )
    if answered is not None:
        assert answered["USERNAME"] == USER
        assert answered["DEVICE_KEY"] == DEVICE_KEY


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=40)
@given(
    st.one_of(st_junk, st.lists(st.tuples(st.text(max_size=3), st.text(max_size=3)))).filter(
        lambda v: not isinstance(v, Mapping)
    )
)
@counted
def test_challenge_that_is_not_a_mapping(params: object) -> None:
    """A challenge that is no mapping is a ParameterTypeError for every client call taking one."""
    for call in (
        USER_CLIENT.process_challenge,
        USER_CLIENT.password_claim,
        DEVICE_CLIENT.process_challenge,
        functools.partial(
            UserSRP(
                POOL, CLIENT, USER, PASSWORD, small_a=SMALL_A, device_key=DEVICE_KEY
            ).device_srp,
            GROUP_KEY,
            DEVICE.password,
        ),
    ):
        outcome = attempt(call, params)
        assert isinstance(outcome, ParameterTypeError)
        assert outcome.fields == ("challenge_parameters",)


st_aware = st.builds(
    lambda when, minutes: when.replace(tzinfo=timezone(timedelta(minutes=minutes))),
    st.datetimes(),
    st.integers(-(24 * 60 - 1), 24 * 60 - 1),
)


@settings(max_examples=150)
@given(st.one_of(st_aware, st_aware, st.datetimes(), st_junk_type, st_nasty_text))
@example(datetime.min.replace(tzinfo=timezone(timedelta(hours=1))))
@example(datetime.max.replace(tzinfo=timezone(timedelta(hours=-1))))
@counted
def test_format_timestamp(when: object) -> None:
    """format_timestamp formats any aware datetime as the reference; anything else is a typed error."""
    outcome = attempt(format_timestamp, when)
    if not isinstance(when, datetime):
        assert isinstance(outcome, ParameterTypeError)
        return
    try:
        expected = ref_timestamp(when) if when.tzinfo is not None else None
    except OverflowError:
        expected = None
    if expected is None:
        assert isinstance(outcome, InvalidInputError)
        assert outcome.fields == ("when",)
    else:
        assert outcome == expected


# ---------------------------------------------------------------- constructor and function arguments


def st_arg(valid: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """(is_bad, value): a valid value three times in four, a surely invalid one otherwise."""
    return st.one_of(
        valid.map(lambda v: (False, v)),
        valid.map(lambda v: (False, v)),
        valid.map(lambda v: (False, v)),
        bad.map(lambda v: (True, v)),
    )


# Invalid for every text argument srpkit takes: a wrong type, empty, past every cap, a lone surrogate.
st_bad_text = st.one_of(
    st_junk_type.filter(lambda v: v is not None),
    st.just(""),
    st.just("x" * 2000),
    st.sampled_from(["a\ud800", "\udcff"]),
)
st_bad_required_text = st.one_of(st_bad_text, st.none())
st_pool_id = st.from_regex(r"[a-z]{2}-[a-z]{4,9}-[1-9]_[A-Za-z0-9]{1,12}", fullmatch=True)
st_client_id = st.from_regex(r"[A-Za-z0-9_+]{1,40}", fullmatch=True)
st_device_key = st.uuids().map(lambda u: f"us-west-2_{u}")
st_group_key = st.text(st.characters(exclude_categories=NO_SURROGATES), min_size=1, max_size=20)
# Any a in range, but mostly the clients' 1024-bit size: the reference computes g^a with pow.
# An a >= N is valid and used unreduced (the official clients and the .NET SDK do), up to
# the cap srpkit documents (caps.MAX_SMALL_A_BITS); past it is refused.
st_small_a = st.one_of(
    st.integers(1, (1 << 1024) - 1),
    st.integers(1, N - 1).filter(lambda a: a % 4 == 0),
    st.integers(N, N << 64),
    st.just((1 << MAX_SMALL_A_BITS) - 1),
)
st_bad_small = st.one_of(
    st.integers(max_value=0),
    st.integers(min_value=1 << MAX_SMALL_A_BITS, max_value=1 << (MAX_SMALL_A_BITS + 8)),
    st.booleans(),
    st.floats(),
    st.text(max_size=4),
)


def draw_args(
    draw: st.DrawFn, spec: Mapping[str, st.SearchStrategy[Any]]
) -> tuple[dict[str, Any], set[str]]:
    """Keyword arguments from ``spec`` (name -> st_arg strategy) and the names drawn invalid."""
    kwargs: dict[str, Any] = {}
    bad: set[str] = set()
    for name, strategy in spec.items():
        is_bad, value = draw(strategy)
        kwargs[name] = value
        if is_bad:
            bad.add(name)
    return kwargs, bad


def assert_refused_naming(outcome: Any, bad: set[str], *, all_named: bool = True) -> None:
    """A typed error that names every bad argument (or, if not ``all_named``, one of them)."""
    assert isinstance(outcome, SRPKitError), f"accepted bad {bad}"
    assert isinstance(outcome, (InvalidInputError, ParameterTypeError)), outcome
    if all_named:
        assert bad <= set(outcome.fields), (outcome.fields, bad)
    else:
        assert outcome.fields[0] in bad, (outcome.fields, bad)


@st.composite
def st_user_args(draw: st.DrawFn) -> tuple[dict[str, Any], set[str]]:
    """UserSRP arguments, some of them invalid."""
    return draw_args(
        draw,
        {
            "pool_id": st_arg(st_pool_id, st_bad_required_text),
            "client_id": st_arg(st_client_id, st_bad_required_text),
            "username": st_arg(st_username, st_bad_required_text),
            "password": st_arg(st_password, st_bad_required_text),
            "client_secret": st_arg(st.one_of(st.none(), st_password), st_bad_text),
            "device_key": st_arg(st.one_of(st.none(), st_device_key), st_bad_text),
            "small_a": st_arg(st_small_a, st_bad_small),
        },
    )


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=100)
@given(st_user_args())
@counted
def test_user_srp_arguments(args: tuple[dict[str, Any], set[str]]) -> None:
    """UserSRP refuses exactly the bad arguments, all named at once; a valid one sends the right A."""
    kwargs, bad = args
    pool_id, client_id, username, password = (
        kwargs.pop(k) for k in ("pool_id", "client_id", "username", "password")
    )
    outcome = attempt(UserSRP, pool_id, client_id, username, password, **kwargs)
    if bad:
        assert_refused_naming(outcome, bad)
        return
    assert isinstance(outcome, UserSRP)
    params = outcome.auth_parameters()
    assert int(params["SRP_A"], 16) == ref_power_of_g(kwargs["small_a"])
    assert params["USERNAME"] == username
    if kwargs["client_secret"] is not None:
        key = kwargs["client_secret"].encode()
        digest = hmac.new(key, (username + client_id).encode(), hashlib.sha256).digest()
        assert params["SECRET_HASH"] == base64.b64encode(digest).decode()
    assert params.get("DEVICE_KEY") == kwargs["device_key"]


@st.composite
def st_device_args(draw: st.DrawFn) -> tuple[dict[str, Any], set[str]]:
    """DeviceSRP arguments, some of them invalid."""
    return draw_args(
        draw,
        {
            "device_group_key": st_arg(st_group_key, st_bad_required_text),
            "device_key": st_arg(st_device_key, st_bad_required_text),
            "device_password": st_arg(st_password, st_bad_required_text),
            "username": st_arg(st_username, st_bad_required_text),
            "client_id": st_arg(st_client_id, st_bad_required_text),
            "client_secret": st_arg(st.one_of(st.none(), st_password), st_bad_text),
            "small_a": st_arg(st_small_a, st_bad_small),
        },
    )


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=100)
@given(st_device_args())
@counted
def test_device_srp_arguments(args: tuple[dict[str, Any], set[str]]) -> None:
    """DeviceSRP refuses exactly the bad arguments, all named at once."""
    kwargs, bad = args
    positional = [
        kwargs.pop(k)
        for k in ("device_group_key", "device_key", "device_password", "username", "client_id")
    ]
    outcome = attempt(DeviceSRP, *positional, **kwargs)
    if bad:
        assert_refused_naming(outcome, bad)
        return
    assert isinstance(outcome, DeviceSRP)
    params = outcome.auth_parameters()
    assert int(params["SRP_A"], 16) == ref_power_of_g(kwargs["small_a"])
    assert params["DEVICE_KEY"] == positional[1]


st_bad_bytes = st.one_of(
    st.binary(max_size=60).filter(lambda b: len(b) not in (16, 40)),
    st.text(max_size=40),
    st.integers(),
    st.just(b"\x00" * 100_000),
)


@st.composite
def st_new_device_args(draw: st.DrawFn) -> tuple[dict[str, Any], set[str]]:
    """new_device_secret arguments, some of them invalid."""
    return draw_args(
        draw,
        {
            "device_group_key": st_arg(st_group_key, st_bad_required_text),
            "device_key": st_arg(st_device_key, st_bad_required_text),
            "password": st_arg(st.binary(min_size=40, max_size=40), st_bad_bytes),
            "salt": st_arg(st.binary(min_size=16, max_size=16), st_bad_bytes),
        },
    )


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=80)
@given(st_new_device_args())
@counted
def test_new_device_secret_arguments(args: tuple[dict[str, Any], set[str]]) -> None:
    """new_device_secret refuses exactly the bad arguments; a valid call's verifier is g^x of the reference."""
    kwargs, bad = args
    group, key = kwargs.pop("device_group_key"), kwargs.pop("device_key")
    outcome = attempt(new_device_secret, group, key, **kwargs)
    if bad:
        assert_refused_naming(outcome, bad)
        return
    password = base64.b64encode(kwargs["password"]).decode()
    assert outcome.password == password
    config = outcome.verifier_config
    salt = base64.b64decode(config["Salt"])
    assert int.from_bytes(salt, "big") == int.from_bytes(kwargs["salt"], "big")
    x = ref_x(int.from_bytes(kwargs["salt"], "big"), group, key, password)
    assert base64.b64decode(config["PasswordVerifier"]) == bytes.fromhex(ref_pad(pow(2, x, N)))


@settings(max_examples=100)
@given(
    st_arg(st_username, st_bad_required_text),
    st_arg(st_client_id, st_bad_required_text),
    st_arg(st_password, st_bad_required_text),
)
@counted
def test_secret_hash_arguments(
    username: tuple[bool, Any], client_id: tuple[bool, Any], client_secret: tuple[bool, Any]
) -> None:
    """secret_hash refuses bad arguments with a typed error naming one; otherwise it is the reference HMAC."""
    named = {"username": username, "client_id": client_id, "client_secret": client_secret}
    bad = {name for name, (is_bad, _) in named.items() if is_bad}
    outcome = attempt(secret_hash, username[1], client_id[1], client_secret[1])
    if bad:
        assert_refused_naming(outcome, bad, all_named=False)
        return
    message = (username[1] + client_id[1]).encode()
    digest = hmac.new(client_secret[1].encode(), message, hashlib.sha256).digest()
    assert outcome == base64.b64encode(digest).decode()


# ---------------------------------------------------------------- the server half: arguments

SERVER_SALT, SERVER_VERIFIER = make_verifier(POOL, USER, PASSWORD, salt="5a17")
st_verifier_hex = st_hex_text(st.integers(1, N - 1)).filter(lambda t: not t.startswith("-"))
st_bad_verifier = st.one_of(
    st_bad_required_text,
    st.sampled_from(["0", "-5", format(N, "x"), format(N + 1, "x"), "g"]),
)


@st.composite
def st_server_args(draw: st.DrawFn) -> tuple[dict[str, Any], set[str]]:
    """ServerSRP arguments, some of them invalid."""
    kwargs, bad = draw_args(
        draw,
        {
            "pool_id": st_arg(st_pool_id, st_bad_required_text),
            "username": st_arg(st_username, st_bad_required_text),
            "salt_hex": st_arg(st_salt_text, st_bad_required_text),
            "verifier_hex": st_arg(st_verifier_hex, st_bad_verifier),
            "small_b": st_arg(st.one_of(st.none(), st.integers(1, N - 1)), st_bad_small),
            "secret_block": st_arg(
                st.one_of(st.none(), st.binary(min_size=1, max_size=64)),
                st.one_of(st.just(b""), st.text(max_size=3), st.just(b"\x01" * 98305)),
            ),
            "aliases": st_arg(
                st.lists(st_username, max_size=2),
                st.one_of(
                    st.text(max_size=3),
                    st.integers(),
                    st.lists(st_bad_required_text, min_size=1, max_size=1),
                ),
            ),
            "client_id": st_arg(st.one_of(st.none(), st_client_id), st_bad_text),
            "client_secret": st_arg(st.one_of(st.none(), st_password), st_bad_text),
        },
    )
    if kwargs["client_secret"] is not None and kwargs["client_id"] is None:
        bad.add("client_id")  # SECRET_HASH is keyed by both
    return kwargs, bad


def assert_server_refusal(outcome: Any, bad: set[str]) -> None:
    """Every bad argument named, except that of client_id/client_secret one may stand for both."""
    pair = {"client_id", "client_secret"}
    assert isinstance(outcome, (InvalidInputError, ParameterTypeError)), f"accepted bad {bad}"
    named = set(outcome.fields)
    assert bad - pair <= named, (outcome.fields, bad)
    if bad & pair:
        assert named & pair, (outcome.fields, bad)


@settings(max_examples=120)
@given(st_server_args())
@counted
def test_server_srp_arguments(args: tuple[dict[str, Any], set[str]]) -> None:
    """ServerSRP refuses exactly the bad arguments, all named at once, before any arithmetic."""
    kwargs, bad = args
    positional = [kwargs.pop(k) for k in ("pool_id", "username", "salt_hex", "verifier_hex")]
    outcome = attempt(ServerSRP, *positional, **kwargs)
    if bad:
        assert_server_refusal(outcome, bad)
        return
    assert isinstance(outcome, ServerSRP)
    assert not outcome.verified


st_verifier_config = st.one_of(
    st.just(DEVICE.verifier_config).map(lambda c: (False, dict(c))),
    st.tuples(
        st.sampled_from(["PasswordVerifier", "Salt"]),
        st.one_of(st_junk, st.just("AA=="), st.just("")),
    ).map(lambda kv: (True, {**DEVICE.verifier_config, kv[0]: kv[1]})),
    st.sampled_from(["PasswordVerifier", "Salt"]).map(
        lambda k: (True, {kk: vv for kk, vv in DEVICE.verifier_config.items() if kk != k})
    ),
    st_junk.map(lambda v: (True, v)),
)


@settings(max_examples=80)
@given(
    st_arg(st_username, st_bad_required_text),
    st_arg(st_group_key, st_bad_required_text),
    st_arg(st_device_key, st_bad_required_text),
    st_verifier_config,
)
@counted
def test_device_server_srp_arguments(
    username: tuple[bool, Any],
    group: tuple[bool, Any],
    key: tuple[bool, Any],
    config: tuple[bool, Any],
) -> None:
    """DeviceServerSRP refuses a bad name, key or ConfirmDevice verifier config with a typed error."""
    is_bad_config, value = config
    if is_bad_config and isinstance(value, Mapping) and {"PasswordVerifier", "Salt"} <= set(value):
        # A replaced value may still be valid base64 of a usable verifier or salt.
        verifier_ok = (
            valid_b64(value["PasswordVerifier"], 2048)
            and 1 <= int.from_bytes(base64.b64decode(value["PasswordVerifier"]), "big") < N
        )
        salt_ok = valid_b64(value["Salt"], 2048) and len(base64.b64decode(value["Salt"])) > 0
        is_bad_config = not (verifier_ok and salt_ok)
    bad = {
        name
        for name, is_bad in (
            ("username", username[0]),
            ("device_group_key", group[0]),
            ("device_key", key[0]),
            ("verifier_config", is_bad_config),
        )
        if is_bad
    }
    outcome = attempt(DeviceServerSRP, username[1], group[1], key[1], value)
    if bad:
        assert isinstance(outcome, SRPKitError), f"accepted bad {bad}"
        named = set(outcome.fields)
        if "verifier_config" in bad:
            named = {"verifier_config" if f in ("PasswordVerifier", "Salt") else f for f in named}
        assert bad <= named, (outcome.fields, bad)
    else:
        assert isinstance(outcome, DeviceServerSRP)


# ---------------------------------------------------------------- the server half: SRP_A and answers


B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def non_canonical(signature: str, seed: int) -> str:
    """The same 32 bytes in non-canonical base64: unused low bits of the last character set."""
    last = B64_ALPHABET.index(signature[-2])
    return signature[:-2] + B64_ALPHABET[last ^ (1 + seed % 3)] + "="


def fresh_server(**kwargs: Any) -> ServerSRP:
    """The fuzz user's server session: fixed b and SECRET_BLOCK, so every session issues the same challenge."""
    return ServerSRP(
        POOL,
        USER,
        SERVER_SALT,
        SERVER_VERIFIER,
        small_b=SMALL_B,
        secret_block=BLOCK,
        aliases=("fuzz@example.com",),
        client_id=CLIENT,
        client_secret=CLIENT_SECRET,
        **kwargs,
    )


def ref_server_b(v: int, b: int) -> int:
    """B = (k*v + g^b) mod N."""
    return (REF_K * v + ref_power_of_g(b)) % N


st_srp_a = st.one_of(
    st_hex_text(st.integers(1, N - 1)),
    st_hex_text(
        st.sampled_from([0, N, 2 * N, N * (1 << 60), 1, N - 1, N + 1, 1 << 3136, 1 << 3137])
    ),
    st_junk,
)


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=150)
@given(st_srp_a)
@example("0" * 1000 + format(N, "x"))
@example("f" * 1025)
@counted
def test_server_refuses_unsafe_srp_a(srp_a: Any) -> None:
    """The server issues a challenge iff SRP_A is safe hex (A % N != 0, bounded); B is the reference's."""
    outcome = attempt(fresh_server().challenge_parameters, srp_a)
    safe = (
        valid_hex(srp_a, 1024)
        and int(srp_a, 16) % N != 0
        and int(srp_a, 16).bit_length() <= N.bit_length() + 64
    )
    if not safe:
        assert isinstance(outcome, VerificationError), f"accepted SRP_A {srp_a!r:.80}"
        assert outcome.fields == ("SRP_A",)
        assert outcome.reason in ("srp_a", "malformed")
        return
    assert not isinstance(outcome, SRPKitError), outcome
    assert int(outcome["SRP_B"], 16) == ref_server_b(int(SERVER_VERIFIER, 16), SMALL_B)
    assert outcome["SALT"] == SERVER_SALT
    assert base64.b64decode(outcome["SECRET_BLOCK"]) == BLOCK
    assert outcome["USER_ID_FOR_SRP"] == USER


@functools.lru_cache(maxsize=1)
def correct_answer() -> tuple[dict[str, str], dict[str, str]]:
    """(AuthParameters, ChallengeResponses) of a client that knows the password, for fresh_server()."""
    client = UserSRP(POOL, CLIENT, USER, PASSWORD, client_secret=CLIENT_SECRET, small_a=SMALL_A)
    auth = client.auth_parameters()
    return auth, client.process_challenge(fresh_server().start(auth), now=NOW)


@st.composite
def st_answer(draw: st.DrawFn) -> dict[Any, Any]:
    """PASSWORD_VERIFIER ChallengeResponses: each value the right one, a near miss, junk or absent."""
    _, right = correct_answer()
    signature = right["PASSWORD_CLAIM_SIGNATURE"]
    near = {
        "USERNAME": st.sampled_from(["fuzz@example.com", USER.upper(), USER + " ", "other"]),
        "PASSWORD_CLAIM_SECRET_BLOCK": st.sampled_from(
            [base64.b64encode(BLOCK[:-1]).decode(), base64.b64encode(BLOCK).decode() + "\n"]
        ),
        "TIMESTAMP": st.sampled_from(
            [
                "Thu Sep 05 07:08:09 UTC 2024",
                "Thu Sep 5 07:08:10 UTC 2024",
                "Thu Sep 5 07:08:09 GMT 2024",
                "Fri Sep 5 07:08:09 UTC 2024",
                "Thu Sep 5 7:08:09 UTC 2024",
            ]
        ),
        "PASSWORD_CLAIM_SIGNATURE": st.one_of(
            st.tuples(st.integers(0, len(signature) - 2), st.sampled_from(B64_ALPHABET)).map(
                lambda spec: signature[: spec[0]] + spec[1] + signature[spec[0] + 1 :]
            ),
            st.binary(min_size=32, max_size=32).map(lambda b: base64.b64encode(b).decode()),
            st.integers(0, 2).map(lambda seed: non_canonical(signature, seed)),
            st.just(base64.urlsafe_b64encode(base64.b64decode(signature)).decode()),
            st.just(base64.b64decode(signature).hex()),
            st.just(signature.rstrip("=")),
        ),
        "SECRET_HASH": st.sampled_from(
            [secret_hash(USER, CLIENT, CLIENT_SECRET + "x"), right["SECRET_HASH"].lower()]
        ),
    }
    fields = {
        key: draw(
            st.one_of(
                st.just(right[key]), st.just(right[key]), strategy, st_junk, st.just(_MISSING)
            )
        )
        for key, strategy in near.items()
    }
    return build_map(fields, draw(st_extra))


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=200)
@given(st_answer())
@counted
def test_server_accepts_only_the_right_answer(responses: dict[Any, Any]) -> None:
    """A fuzzed PASSWORD_VERIFIER answer is accepted only if every checked value is the right one."""
    auth, right = correct_answer()
    server = fresh_server()
    server.start(auth)
    outcome = attempt(server.verify, responses, now=NOW)
    checked = ("PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE")
    name = responses.get("USERNAME")
    is_right = (
        all(responses.get(key, _MISSING) == right[key] for key in checked)
        and name in (USER, "fuzz@example.com")
        and responses.get("SECRET_HASH") == secret_hash(name, CLIENT, CLIENT_SECRET)
    )
    if is_right:
        assert outcome is None, outcome
        assert server.verified
    else:
        assert isinstance(outcome, VerificationError), "accepted a wrong answer"
        assert not server.verified
    # One answer per sign-in, whatever it was.
    again = attempt(server.verify, right, now=NOW)
    assert isinstance(again, VerificationError)
    assert again.reason == "replay"


st_sign_in_now = st.datetimes(datetime(2001, 1, 1), datetime(2099, 12, 31)).map(  # noqa: DTZ001
    lambda d: d.replace(tzinfo=timezone.utc)
)


# Mostly small (the round trips run one server S per mutation), sometimes as wide as the clients' a.
st_ephemeral = st.one_of(
    st.integers(1, 1 << 64), st.integers(1, 1 << 64), st.integers(1, (1 << 1024) - 1)
)


@st.composite
def st_sign_in(draw: st.DrawFn) -> dict[str, Any]:
    """A whole user sign-in's inputs: names, password, salt, both ephemerals, block, clock, secret."""
    return {
        "pool_id": draw(st_pool_id),
        "username": draw(st_username),
        "alias": draw(st.one_of(st.none(), st_username)),
        "password": draw(st_password),
        "salt": draw(st_salt_text),
        "a": draw(st_ephemeral),
        "b": draw(st_ephemeral),
        "block": draw(st.binary(min_size=1, max_size=64)),
        "now": draw(st_sign_in_now),
        "client_secret": draw(st.one_of(st.none(), st_password)),
        "mutation": draw(st.integers(0, 10_000)),
    }


def mutations(
    responses: Mapping[str, str], seed: int, now: datetime, names: tuple[str, ...]
) -> Iterator[tuple[str, dict[str, str]]]:
    """Single-field changes to a right answer, each of which the server must refuse."""
    sig = responses["PASSWORD_CLAIM_SIGNATURE"]
    position = seed % (len(sig.rstrip("=")))
    swapped = B64_ALPHABET[(B64_ALPHABET.index(sig[position]) + 1 + seed % 63) % 64]
    yield (
        "signature char",
        {**responses, "PASSWORD_CLAIM_SIGNATURE": sig[:position] + swapped + sig[position + 1 :]},
    )
    yield (
        "non-canonical signature",
        {**responses, "PASSWORD_CLAIM_SIGNATURE": non_canonical(sig, seed)},
    )
    stamp = responses["TIMESTAMP"]
    yield "timestamp zone", {**responses, "TIMESTAMP": stamp.replace(" UTC ", " GMT ")}
    later = ref_timestamp(now + timedelta(seconds=1 + seed % 200))
    yield "timestamp", {**responses, "TIMESTAMP": later}
    block = base64.b64decode(responses["PASSWORD_CLAIM_SECRET_BLOCK"])
    other = bytes([block[0] ^ (1 + seed % 255)]) + block[1:]
    yield (
        "secret block",
        {**responses, "PASSWORD_CLAIM_SECRET_BLOCK": base64.b64encode(other).decode()},
    )
    if "SECRET_HASH" in responses:
        yield "secret hash", {**responses, "SECRET_HASH": responses["SECRET_HASH"][::-1]}
        yield "no secret hash", {k: v for k, v in responses.items() if k != "SECRET_HASH"}
    if responses["USERNAME"] + "x" not in names:
        yield "username", {**responses, "USERNAME": responses["USERNAME"] + "x"}


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=30)
@given(st_sign_in())
@counted
def test_user_sign_in_round_trip(case: dict[str, Any]) -> None:
    """UserSRP's answer verifies against ServerSRP; the verifier is the reference's; every mutation is refused."""
    pool_id, username = case["pool_id"], case["username"]
    realm = pool_id.split("_", 1)[1]
    salt_hex, verifier_hex = make_verifier(pool_id, username, case["password"], salt=case["salt"])
    x = ref_x(int(case["salt"], 16), realm, username, case["password"])
    assert int(verifier_hex, 16) == pow(2, x, N)
    secret = case["client_secret"]
    aliases = () if case["alias"] in (None, username) else (case["alias"],)
    sign_in_name = aliases[0] if aliases else username

    def server() -> ServerSRP:
        return ServerSRP(
            pool_id,
            username,
            salt_hex,
            verifier_hex,
            small_b=case["b"],
            secret_block=case["block"],
            aliases=aliases,
            client_id=CLIENT if secret is not None else None,
            client_secret=secret,
        )

    client = UserSRP(
        pool_id, CLIENT, sign_in_name, case["password"], client_secret=secret, small_a=case["a"]
    )
    first = server()
    params = first.start(client.auth_parameters())
    assert int(params["SRP_B"], 16) == ref_server_b(int(verifier_hex, 16), case["b"])
    responses = client.process_challenge(params, now=case["now"])
    first.verify(responses, now=case["now"])
    assert first.verified
    for what, changed in mutations(responses, case["mutation"], case["now"], (username, *aliases)):
        session = server()
        session.start(client.auth_parameters())
        outcome = attempt(session.verify, changed, now=case["now"])
        assert isinstance(outcome, VerificationError), f"accepted a mutated {what}"
    wrong = UserSRP(
        pool_id, CLIENT, sign_in_name, case["password"] + "!", client_secret=secret, small_a=7
    )
    session = server()
    outcome = attempt(
        session.verify,
        wrong.process_challenge(session.start(wrong.auth_parameters()), now=case["now"]),
        now=case["now"],
    )
    assert isinstance(outcome, VerificationError)
    assert outcome.reason == "signature"


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=20)
@given(
    st_group_key,
    st_device_key,
    st_username,
    st.binary(min_size=40, max_size=40),
    st.binary(min_size=16, max_size=16),
    st_ephemeral,
    st_ephemeral,
    st.integers(0, 10_000),
)
@counted
def test_device_sign_in_round_trip(
    group: str, key: str, username: str, password: bytes, salt: bytes, a: int, b: int, seed: int
) -> None:
    """A ConfirmDevice verifier made by new_device_secret lets exactly its DeviceSRP sign in."""
    device = new_device_secret(group, key, password=password, salt=salt)

    def server() -> DeviceServerSRP:
        return DeviceServerSRP(username, group, key, device.verifier_config, small_b=b)

    client = DeviceSRP(group, key, device.password, username, CLIENT, small_a=a)
    first = server()
    params = first.start(client.auth_parameters())
    responses = client.process_challenge(params, now=NOW)
    first.verify(responses, now=NOW)
    assert first.verified
    block = base64.b64decode(params["SECRET_BLOCK"])
    assert responses["PASSWORD_CLAIM_SIGNATURE"] == ref_signature(
        a=a,
        big_b=int(params["SRP_B"], 16),
        salt=int(params["SALT"], 16),
        realm=group,
        user_id=key,
        password=device.password,
        block=block,
        timestamp=STAMP,
    )
    for what, changed in mutations(responses, seed, NOW, (username,)):
        session = DeviceServerSRP(
            username, group, key, device.verifier_config, small_b=b, secret_block=block
        )
        session.start(client.auth_parameters())
        outcome = attempt(session.verify, changed, now=NOW)
        assert isinstance(outcome, VerificationError), f"accepted a mutated {what}"
    session = server()
    outcome = attempt(session.verify, {**responses, "DEVICE_KEY": key + "0"}, now=NOW)
    assert isinstance(outcome, VerificationError)


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=120)
@given(
    st.one_of(
        st_junk,
        st.builds(
            build_map,
            st.fixed_dictionaries(
                {
                    "USERNAME": st_field(st.sampled_from([USER, "fuzz@example.com", "x"])),
                    "SRP_A": st_field(st_srp_a),
                    "SECRET_HASH": st_field(st.just(secret_hash(USER, CLIENT, CLIENT_SECRET))),
                }
            ),
            st_extra,
        ),
    )
)
@counted
def test_server_start_with_fuzzed_auth_parameters(auth: Any) -> None:
    """ServerSRP.start answers only a mapping with this user, the right SECRET_HASH and a safe SRP_A."""
    outcome = attempt(fresh_server().start, auth)
    ok = (
        isinstance(auth, Mapping)
        and auth.get("USERNAME") in (USER, "fuzz@example.com")
        and auth.get("SECRET_HASH") == secret_hash(auth["USERNAME"], CLIENT, CLIENT_SECRET)
        and valid_hex(auth.get("SRP_A"), 1024)
        and int(auth["SRP_A"], 16) % N != 0
        and int(auth["SRP_A"], 16).bit_length() <= N.bit_length() + 64
    )
    if ok:
        assert not isinstance(outcome, SRPKitError), outcome
    else:
        assert isinstance(outcome, VerificationError), "started a sign-in it should refuse"


# ---------------------------------------------------------------- request builders

st_map = st.one_of(
    st.dictionaries(
        st.one_of(
            st.sampled_from(["USERNAME", "SRP_A", "SECRET_HASH", "DEVICE_KEY", "PASSWORD"]),
            st.text(max_size=8),
        ),
        st.one_of(st.text(max_size=20), st_junk),
        max_size=5,
    ),
    st_junk,
)


@settings(max_examples=150)
@given(
    st.one_of(st_client_id, st_junk),
    st.one_of(st.sampled_from(AUTH_FLOWS), st_junk),
    st_map,
    st.one_of(st.none(), st.text(min_size=20, max_size=30), st_junk),
    st.one_of(st.none(), st_map),
    st.one_of(
        st.none(), st.fixed_dictionaries({"AnalyticsEndpointId": st.text(max_size=5)}), st_map
    ),
)
@counted
def test_initiate_auth_request(
    client_id: Any, flow: Any, params: Any, session: Any, metadata: Any, analytics: Any
) -> None:
    """initiate_auth_request either refuses with a typed error or returns a JSON body with what was given."""
    outcome = attempt(
        initiate_auth_request,
        client_id,
        flow,
        params,
        session=session,
        client_metadata=metadata,
        analytics_metadata=analytics,
    )
    if isinstance(outcome, SRPKitError):
        assert isinstance(outcome, (InvalidInputError, ParameterTypeError))
        return
    assert flow in AUTH_FLOWS and flow not in ("ADMIN_NO_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH")
    if flow == "USER_SRP_AUTH":
        assert "USERNAME" in params and "SRP_A" in params
    assert outcome["ClientId"] == client_id
    assert outcome["AuthParameters"] == dict(params)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in params.items())
    json.dumps(outcome)


@settings(max_examples=120)
@given(
    st.one_of(st_client_id, st_junk),
    st.one_of(st.sampled_from(CHALLENGE_NAMES), st_junk),
    st_map,
    st.one_of(st.text(min_size=20, max_size=30), st_junk),
)
@counted
def test_respond_to_auth_challenge_request(
    client_id: Any, name: Any, responses: Any, session: Any
) -> None:
    """respond_to_auth_challenge_request refuses with a typed error or returns a JSON body."""
    outcome = attempt(
        respond_to_auth_challenge_request, client_id, name, responses, session=session
    )
    if isinstance(outcome, SRPKitError):
        assert isinstance(outcome, (InvalidInputError, ParameterTypeError))
        return
    assert name in CHALLENGE_NAMES and name != "ADMIN_NO_SRP_AUTH"
    assert outcome["ChallengeResponses"] == dict(responses)
    assert isinstance(session, str) and 20 <= len(session) <= 4096
    json.dumps(outcome)


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=100)
@given(
    st.one_of(
        st_junk,
        st.fixed_dictionaries(
            {
                "ChallengeName": st.one_of(st.just("PASSWORD_VERIFIER"), st_junk),
                "ChallengeParameters": st.one_of(st_user_challenge(), st_junk),
            },
            # Cognito asks PASSWORD_VERIFIER without a Session; one given must come back.
            optional={"Session": st.one_of(st.text(min_size=20, max_size=25), st_junk)},
        ),
    )
)
@counted
def test_password_verifier_request(response: Any) -> None:
    """password_verifier_request answers a fuzzed InitiateAuth response, or refuses it with a typed error."""
    outcome = attempt(password_verifier_request, USER_CLIENT, response, now=NOW)
    if isinstance(outcome, SRPKitError):
        return
    assert response["ChallengeName"] == "PASSWORD_VERIFIER"
    expected = USER_CLIENT.process_challenge(response["ChallengeParameters"], now=NOW)
    assert outcome["ChallengeResponses"] == expected
    assert outcome.get("Session") == response.get("Session")


# ---------------------------------------------------------------- audit transcripts


@functools.lru_cache(maxsize=1)
def base_transcript() -> dict[str, Any]:
    """A consistent transcript of a real sign-in (small a, so recomputing stays cheap)."""
    client = UserSRP(POOL, CLIENT, "fuzz@example.com", PASSWORD, small_a=SMALL_A)
    server = fresh_server()
    auth = client.auth_parameters()
    params = server.start(
        {**auth, "SECRET_HASH": secret_hash("fuzz@example.com", CLIENT, CLIENT_SECRET)}
    )
    responses = client.process_challenge(params, now=NOW)
    return {
        "flow": "user",
        "pool_id": POOL,
        "auth_parameters": auth,
        "challenge_parameters": params,
        "challenge_responses": responses,
        "password": PASSWORD,
        "a": format(SMALL_A, "x"),
    }


st_json = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st_any_text,
        st_nasty_text,
        st_huge_text,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=2), st.dictionaries(st.text(max_size=6), inner, max_size=2)
    ),
    max_leaves=4,
)
# Fields whose value the signature depends on: a different valid value must be found inconsistent.
_SIGNED_PATHS = (
    ("auth_parameters", "SRP_A"),
    ("challenge_parameters", "SALT"),
    ("challenge_parameters", "SRP_B"),
    ("challenge_parameters", "SECRET_BLOCK"),
    ("challenge_parameters", "USER_ID_FOR_SRP"),
    ("challenge_responses", "TIMESTAMP"),
    ("challenge_responses", "PASSWORD_CLAIM_SIGNATURE"),
    (None, "password"),
    (None, "a"),
    (None, "pool_id"),
)
_ALL_PATHS = (
    *_SIGNED_PATHS,
    (None, "flow"),
    (None, "x"),
    (None, "auth_parameters"),
    (None, "challenge_parameters"),
    (None, "challenge_responses"),
    (None, "intermediates"),
    ("auth_parameters", "USERNAME"),
    ("challenge_responses", "USERNAME"),
    ("challenge_responses", "PASSWORD_CLAIM_SECRET_BLOCK"),
    ("intermediates", "S"),
    ("intermediates", "key"),
    ("intermediates", "x"),
    ("intermediates", "u"),
    ("intermediates", "message"),
)


def changed_value(path: tuple[str | None, str], value: Any, seed: int) -> Any:
    """A different but well-formed value for a signed field."""
    _, key = path
    if key in ("SRP_A", "SALT", "SRP_B", "a"):
        return format(int(value, 16) + 1 + seed % 1000, "x")
    if key == "SECRET_BLOCK":
        return base64.b64encode(base64.b64decode(value) + bytes([seed % 256])).decode()
    if key == "USER_ID_FOR_SRP":
        return value + "z"
    if key == "TIMESTAMP":
        return ref_timestamp(NOW + timedelta(seconds=1 + seed % 10_000))
    if key == "PASSWORD_CLAIM_SIGNATURE":
        return base64.b64encode(hashlib.sha256(str(seed).encode()).digest()).decode()
    if key == "password":
        return value + chr(0x21 + seed % 90)
    assert key == "pool_id"
    return POOL.replace("Fz9", f"F{seed % 10}x")


def set_path(data: dict[str, Any], path: tuple[str | None, str], value: Any) -> None:
    """Set (or, for _MISSING, delete) the value at ``path``, creating the section if needed."""
    section, key = path
    target = data if section is None else data.setdefault(section, {})
    if not isinstance(target, dict):
        return
    if value is _MISSING:
        target.pop(key, None)
    else:
        target[key] = value


def get_path(data: Mapping[str, Any], path: tuple[str | None, str]) -> Any:
    """The value at ``path``."""
    section, key = path
    return (data if section is None else data[section])[key]


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=12)
@given(st.sampled_from(_SIGNED_PATHS), st.integers(0, 100_000))
@counted
def test_audit_finds_every_signed_change(path: tuple[str | None, str], seed: int) -> None:
    """Changing any value the signature depends on makes the audit inconsistent, never a clean pass."""
    data = json.loads(json.dumps(base_transcript()))
    assert audit_transcript(data).consistent
    set_path(data, path, changed_value(path, get_path(data, path), seed))
    report = audit_transcript(data)
    assert isinstance(report, AuditReport)
    assert not report.consistent, f"a changed {path[1]} passed the audit"


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=100)
@given(
    st.lists(
        st.tuples(st.sampled_from(_ALL_PATHS), st.one_of(st_json, st.just(_MISSING))),
        min_size=1,
        max_size=3,
    )
)
@example([((None, "password"), "pa\ud800ss")])  # JSON can carry a lone surrogate: "\ud800"
@example([((None, "password"), "pw"), (("challenge_responses", "TIMESTAMP"), "\udc80")])
@example([((None, "password"), "pw"), (("challenge_parameters", "USER_ID_FOR_SRP"), "\udfff")])
@counted
def test_audit_fuzzed_transcripts(changes: list[tuple[tuple[str | None, str], Any]]) -> None:
    """A fuzzed transcript is audited or refused with InvalidInputError/ParameterTypeError, never a crash."""
    data = json.loads(json.dumps(base_transcript()))
    data.pop("password")  # without the password no S is recomputed per mistake: cheap cases
    for path, value in changes:
        set_path(data, path, value)
    outcome = attempt(audit_transcript, data)
    if isinstance(outcome, SRPKitError):
        assert isinstance(outcome, (InvalidInputError, ParameterTypeError)), outcome
    else:
        assert isinstance(outcome, AuditReport)
        json.dumps(outcome.to_json())


# ---------------------------------------------------------------- the command line


@contextlib.contextmanager
def captured() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """argparse writes to sys.stdout/sys.stderr directly: capture those too."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield out, err


def run_cli(
    argv: list[str], stdin: str = "", env: Mapping[str, str] | None = None
) -> tuple[int, str, str]:
    """Run ``srpkit`` in-process with a real process's streams; (status, stdout, stderr).

    stdout is strict UTF-8 and stderr escapes what it cannot encode, as Python sets them up.
    """
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    with captured() as (sys_out, sys_err):
        status = main(argv, CommandIO(io.StringIO(stdin), out, err, dict(env or {})))
    texts = []
    for stream in (out, err):
        stream.flush()
        buffer = stream.buffer
        assert isinstance(buffer, io.BytesIO)
        texts.append(buffer.getvalue().decode("utf-8"))
    return status, texts[0] + sys_out.getvalue(), texts[1] + sys_err.getvalue()


st_cli_token = st.one_of(
    st.sampled_from(
        [
            "--username",
            "--client-id",
            "--client-secret-stdin",
            "--client-secret",
            "--json",
            "--password-stdin",
            "--password",
            "-",
            "--",
            "-x",
            USER,
            CLIENT,
        ]
    ),
    st.text(max_size=12),
    st_nasty_text,
)


@settings(max_examples=150)
@given(
    st.one_of(
        st.sampled_from(["secret-hash", "audit"]),
        st.text(max_size=10).filter(lambda t: t not in ("demo", "bench", "serve", "vectors")),
    ),
    st.lists(st_cli_token, max_size=6),
    st.one_of(st.none(), st_password, st.sampled_from(["", "\udcff", "x" * 2000])),
    st.text(max_size=40),
)
@example("secret-hash", ["--username", USER, "--client-id", CLIENT], CLIENT_SECRET, "")
@example(
    "secret-hash",
    ["--username", USER, "--client-id", CLIENT, "--client-secret-stdin"],
    None,
    CLIENT_SECRET + "\n",
)
@example("audit", ["a\x00b"], None, "")
@example("audit", ["\ud800"], None, "")
@example("audit", ["-"], None, "\ud800")
@counted
def test_cli_arguments(command: str, tokens: list[str], secret: str | None, stdin: str) -> None:
    """Any command line ends with status 0-3 and a message, never a traceback; secret-hash prints the reference."""
    env = {} if secret is None else {"SRPKIT_CLIENT_SECRET": secret}
    status, out, err = run_cli([command, *tokens], stdin, env)
    assert status in (0, 1, 2, 3)
    if status != 0:
        assert err, "a failing command says why"
    if command == "secret-hash" and status == 0 and "--username" in tokens:
        args = dict(itertools.pairwise(tokens))
        if "--client-secret-stdin" in tokens:
            secret = stdin.split("\n", 1)[0].rstrip("\r")
        assert secret is not None
        assert out == secret_hash(args["--username"], args["--client-id"], secret) + "\n"
    for text in (out, err):
        if secret is not None and (secret == CLIENT_SECRET or len(secret) >= 20):
            assert secret not in text


def changed_transcript_text(changes: list[tuple[tuple[str | None, str], Any]]) -> str:
    """The base transcript (without the password) with ``changes`` made, as JSON text."""
    data = json.loads(json.dumps(base_transcript()))
    data.pop("password")
    for path, value in changes:
        set_path(data, path, value)
    return json.dumps(data)


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=60)
@given(
    st.one_of(
        st.text(max_size=60),
        st_json.map(json.dumps),
        st.lists(st.tuples(st.sampled_from(_ALL_PATHS), st_json), max_size=3).map(
            changed_transcript_text
        ),
    ),
    st.booleans(),
)
@example(changed_transcript_text([(("challenge_responses", "USERNAME"), "\ud800")]), False)
@example(changed_transcript_text([(("challenge_parameters", "USER_ID_FOR_SRP"), "\udc80")]), False)
@counted
def test_cli_audit_of_fuzzed_input(text: str, as_json: bool) -> None:
    """`srpkit audit -` on any input exits 0-3 with a report or a one-line reason, never a traceback."""
    status, out, err = run_cli(["audit", "-", *(["--json"] if as_json else [])], text)
    assert status in (0, 1, 2, 3), err
    if status == 2:
        assert err.startswith("srpkit audit: error: ")
        assert "Traceback" not in err
    elif as_json:
        assert json.loads(out)["consistent"] == (status != 1)


# ---------------------------------------------------------------- vector files


@functools.lru_cache(maxsize=1)
def bundled_tests() -> tuple[tuple[str, str, dict[str, Any], dict[str, Any]], ...]:
    """(file, group type, file header fields, test) for every bundled vector test."""
    out = []
    for path in bundled_vector_paths():
        doc = json.loads(path.read_text(encoding="utf-8"))
        head = {k: v for k, v in doc.items() if k not in ("testGroups", "numberOfTests")}
        for group in doc["testGroups"]:
            out += [(path.name, group["type"], head, test) for test in group["tests"]]
    return tuple(out)


def vector_doc(head: Mapping[str, Any], group_type: str, tests: list[Any]) -> str:
    """A one-group vector file around ``tests``, as text."""
    doc = {
        **head,
        "numberOfTests": len(tests),
        "testGroups": [{"type": group_type, "tests": tests}],
    }
    return json.dumps(doc)


_HEXISH = frozenset({"srpA", "u", "x", "S", "key", "salt", "srpB", "a"})


def changed_field(field: str, value: str, seed: int) -> str:
    """A different value for a vector field (a different number for hex, different bytes for base64)."""
    if field in _HEXISH and _HEX.fullmatch(value):
        return format(int(value, 16) + 1 + seed % 97, "x")
    if field in ("secretBlock", "signature", "passwordVerifier", "verifierSalt", "secretHash"):
        raw = base64.b64decode(value) if valid_b64(value, 1 << 20) else value.encode()
        return base64.b64encode(raw + bytes([seed % 256])).decode()
    if field == "deviceKey":
        return value + "0"
    if field == "poolId":
        return value + "x"
    if field == "timestamp":
        return value.replace(" UTC ", " UTC 1")  # not a year any more: unusable, never a pass
    if field == "instant":
        return value.replace("T", "T1", 1)
    return value + chr(0x41 + seed % 26)


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=40)
@given(st.integers(0, 10_000), st.integers(0, 10_000))
@counted
def test_vector_with_a_changed_value_fails(pick: int, seed: int) -> None:
    """A valid bundled test with any input or output changed no longer passes `vectors check`."""
    valid = [t for t in bundled_tests() if t[3]["result"] == "valid"]
    name, group_type, head, test = valid[pick % len(valid)]
    # b (the server ephemeral) and signInName are informative: no client output depends on them.
    fields = [f for f in test if f not in ("tcId", "comment", "flags", "result", "signInName", "b")]
    field = fields[seed % len(fields)]
    changed = {**test, field: changed_field(field, test[field], seed)}
    assert changed[field] != test[field]
    reports = check_file(parse_vector_text(vector_doc(head, group_type, [changed]), name))
    (outcome,) = reports[0].outcomes
    assert not outcome.passed, f"{name} tcId {test['tcId']}: changed {field} still passes"
    assert not outcome.detail.startswith(("srpkit crashed", "srpkit is inconsistent")), outcome


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=60)
@given(
    st.integers(0, 10_000),
    st.lists(
        st.tuples(st.text(max_size=12), st.one_of(st_json, st.just(_MISSING))),
        min_size=1,
        max_size=3,
    ),
)
@counted
def test_fuzzed_vector_tests(pick: int, changes: list[tuple[str, Any]]) -> None:
    """A bundled test with fields replaced by junk is refused as a file or judged, never a crash."""
    name, group_type, head, test = bundled_tests()[pick % len(bundled_tests())]
    fields = list(test)
    changed = dict(test)
    for key, value in changes:
        target = fields[len(key) % len(fields)] if len(key) % 3 else key
        if value is _MISSING:
            changed.pop(target, None)
        else:
            changed[target] = value
    outcome = attempt(parse_vector_text, vector_doc(head, group_type, [changed]), name)
    if isinstance(outcome, SRPKitError):
        assert isinstance(outcome, VectorFileError)
        return
    for report in check_file(outcome):
        for result in report.outcomes:
            assert not result.detail.startswith(("srpkit crashed", "srpkit is inconsistent")), (
                result
            )


@settings(max_examples=40)
@given(
    st.one_of(
        st.text(max_size=80),
        st_json.map(json.dumps),
        st.builds(
            lambda head, tests: json.dumps(
                {**head, "numberOfTests": len(tests), "testGroups": tests}
            ),
            st.fixed_dictionaries(
                {
                    "algorithm": st.text(max_size=3),
                    "schema": st.text(max_size=3),
                    "header": st.just([]),
                    "notes": st.just({}),
                }
            ),
            st.lists(st_json, max_size=2),
        ),
    )
)
@counted
def test_cli_vectors_check_of_fuzzed_files(text: str) -> None:
    """`srpkit vectors check FILE` on any UTF-8 file ends with status 0-2 and no traceback."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "fuzz_test.json")
        with open(path, "w", encoding="utf-8", errors="surrogatepass") as handle:
            handle.write(text)
        status, _, err = run_cli(["vectors", "check", path])
    assert status in (0, 1, 2), err
    assert "Traceback" not in err


# ---------------------------------------------------------------- crashes the fuzzers found, fixed


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, '{"numberOfTests": ' + "1" * 5000 + "}"],
    ids=["nested-100000", "5000-digit-number"],
)
def test_known_vector_text_that_json_cannot_decode(text: str) -> None:
    """A vector file nested too deep, or with a too long number, must be a VectorFileError, not a crash."""
    with pytest.raises(VectorFileError):
        parse_vector_text(text, "hostile_test.json")


@pytest.mark.parametrize("path", ["a\x00b", "\ud800"], ids=["nul", "lone-surrogate"])
def test_known_vectors_check_unusable_path(path: str) -> None:
    """`srpkit vectors check` with a path open() refuses (NUL, lone surrogate) must exit 2, not crash."""
    status, _, err = run_cli(["vectors", "check", path])
    assert status == 2 and "not a usable file name" in err


@pytest.mark.usefixtures("srp_backend")
def test_vectors_check_reports_odd_files_without_crashing(tmp_path: Path) -> None:
    """A name too long, a file over the size cap, and a non-UTF-8 name: a clear message, no traceback."""
    status, _, err = run_cli(["vectors", "check", "x" * 5000])
    assert status == 1 and "cannot read" in err and "Traceback" not in err
    huge = tmp_path / "huge_test.json"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_VECTOR_FILE_BYTES + 1)  # sparse: nothing is written
    status, _, err = run_cli(["vectors", "check", str(huge)])
    assert status == 1 and "larger than 16 MiB" in err
    odd = os.path.join(os.fsencode(tmp_path), b"\xff_test.json")
    with open(odd, "wb") as handle:
        handle.write(bundled_vector_paths()[0].read_bytes())
    # stdout is strict UTF-8: the name's undecodable byte is shown escaped.
    status, out, err = run_cli(["vectors", "check", os.fsdecode(odd)])
    assert status == 0 and "\\udcff_test.json" in out, err


def test_audit_transcript_that_json_cannot_decode(tmp_path: Path) -> None:
    """`srpkit audit` on a transcript nested too deep for json is a usage error (exit 2), not a crash."""
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000)
    status, _, err = run_cli(["audit", str(path)])
    assert status == 2 and "not JSON (nested too deeply)" in err
