"""Known-answer vectors: run every test of a loaded file through srpkit and judge it.

The files are Wycheproof-shaped JSON (vectors/README.md describes them), found,
read and shape-checked by ``vector_files`` (re-exported here). A
test is checked through the same objects an application uses (UserSRP and
DeviceSRP with ``small_a``, new_device_secret, secret_hash, format_timestamp),
and the intermediates each claim carries are re-derived with the pure
functions of ``_srp``, so a flow object and the math it is built on cannot
drift apart unnoticed.

- ``valid``: srpkit must accept and reproduce every output;
- ``invalid``: srpkit must refuse with one of its own errors (an SRPKitError);
- ``acceptable``: refusing with an SRPKitError passes; accepting must
  reproduce every output.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .._client.challenge import parse_srp_challenge
from .._client.device import (
    DEVICE_PASSWORD_BYTES,
    DEVICE_SALT_BYTES,
    DeviceSRP,
    device_verifier_config,
    new_device_secret,
)
from .._client.user import UserSRP
from .._core.caps import MAX_SMALL_A_HEX
from .._core.checks import pool_name
from .._core.encoding import b64encode, int_from_hex_field, pad_hex
from .._core.ephemeral import check_small_a
from .._core.errors import InvalidInputError, SRPKitError
from .._core.secret_hash import secret_hash
from .._core.srp import (
    PasswordClaim,
    derive_key,
    password_claim_signature,
    private_key,
    public_ephemeral,
    scrambling_parameter,
    verifier,
)
from .._core.timestamp import format_timestamp, parse_timestamp
from .vector_files import (
    GROUP_FIELDS,
    INTERMEDIATES,
    MAX_VECTOR_FILE_BYTES,
    RESULTS,
    VectorFile,
    VectorFileError,
    VectorGroup,
    bundled_vector_dir,
    bundled_vector_paths,
    load_vector_file,
    parse_vector_text,
)

__all__ = [
    "GROUP_FIELDS",
    "INTERMEDIATES",
    "MAX_VECTOR_FILE_BYTES",
    "RESULTS",
    "GroupReport",
    "Outcome",
    "VectorFile",
    "VectorFileError",
    "VectorGroup",
    "bundled_vector_dir",
    "bundled_vector_paths",
    "check_file",
    "check_paths",
    "check_test",
    "load_vector_file",
    "parse_vector_text",
]


# The app client and user name the device and user objects are built with:
# neither enters the password claim, they only have to be valid.
_CLIENT_ID = "srpkitvectors"
_DEVICE_USERNAME = "srpkit-vectors"


@dataclass(frozen=True)
class Outcome:
    """How one test went: ``passed``, and what went wrong (or a remark) in ``detail``."""

    tc_id: int
    result: str
    passed: bool
    detail: str = ""
    rejected: bool = False


@dataclass(frozen=True)
class GroupReport:
    """The outcomes of one test group of one file."""

    file: str
    type: str
    outcomes: tuple[Outcome, ...]

    @property
    def passed(self) -> int:
        """How many tests passed."""
        return sum(o.passed for o in self.outcomes)

    @property
    def failed(self) -> tuple[Outcome, ...]:
        """The tests that failed, in file order."""
        return tuple(o for o in self.outcomes if not o.passed)


# ---------------------------------------------------------------- checking


class _VectorFieldError(Exception):
    """A field the vector itself defines (not a server's string) cannot be used as given."""


class _InconsistentError(Exception):
    """srpkit's objects and its pure functions disagree: a bug whatever the expected values say."""


def _small_a(test: Mapping[str, Any]) -> int:
    """The test's private ephemeral: its own field, so a bad one is the vector's fault, not a rejection."""
    # Any a >= 1 (up to the work cap), not only a < N: the .NET SDK's own test uses 8186 bits.
    try:
        a = int_from_hex_field(test["a"], "a", max_len=MAX_SMALL_A_HEX, error=InvalidInputError)
        return check_small_a(a, "a")
    except SRPKitError as exc:
        raise _VectorFieldError(str(exc)) from None


_INSTANT_RE = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?Z")


def _instant(text: str) -> datetime:
    match = _INSTANT_RE.fullmatch(text)
    if match is None:
        raise _VectorFieldError("instant: not an ISO 8601 UTC instant (YYYY-MM-DDTHH:MM:SS[.fff]Z)")
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    micro = int((match.group(7) or "0").ljust(6, "0"))
    try:
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=timezone.utc)
    except ValueError as exc:
        raise _VectorFieldError(f"instant: {exc}") from None


def _timestamp_instant(text: str) -> datetime:
    """The instant a canonical TIMESTAMP names (the server half's strict parser checks it)."""
    try:
        return parse_timestamp(text, "timestamp")
    except SRPKitError as exc:
        raise _VectorFieldError(str(exc)) from None


def _agree(what: str, got: object, want: object) -> None:
    if got != want:
        raise _InconsistentError(what)


def _claim_outputs(srp_a: str, claim: PasswordClaim) -> dict[str, str]:
    return {
        "srpA": srp_a,
        "u": pad_hex(claim.u),
        "x": pad_hex(claim.x),
        "S": pad_hex(claim.premaster),
        "key": claim.key.hex(),
        "signature": claim.signature,
    }


def _rederive(
    claim: PasswordClaim,
    challenge: Mapping[str, str],
    *,
    a: int,
    realm: str,
    user_id: str,
    password: str,
    timestamp: str,
) -> None:
    """Re-derive the claim's intermediates with the pure ``_srp`` functions (all but S, the costly one)."""
    parsed, _ = parse_srp_challenge(challenge)
    _agree("A: the flow object and public_ephemeral disagree", claim.srp_a, public_ephemeral(a))
    u = scrambling_parameter(claim.srp_a, parsed.big_b)
    _agree("u: the flow object and scrambling_parameter disagree", claim.u, u)
    x = private_key(parsed.salt, realm, user_id, password)
    _agree("x: the flow object and private_key disagree", claim.x, x)
    key = derive_key(claim.premaster, u)
    _agree("key: the flow object and derive_key disagree", claim.key, key)
    signature = password_claim_signature(key, realm, user_id, parsed.secret_block, timestamp)
    _agree(
        "signature: the flow object and password_claim_signature disagree",
        claim.signature,
        signature,
    )


def _responses_agree(responses: Mapping[str, str], expected: Mapping[str, str]) -> None:
    """process_challenge (what an application sends) agrees with the claim and the challenge."""
    for key, want in expected.items():
        _agree(f"{key}: process_challenge and password_claim disagree", responses[key], want)


def _password_verifier(test: Mapping[str, Any], wiring: bool) -> dict[str, str]:
    a = _small_a(test)
    when = _timestamp_instant(test["timestamp"])
    user_id = test["username"]
    user = UserSRP(
        test["poolId"], _CLIENT_ID, test.get("signInName", user_id), test["password"], small_a=a
    )
    challenge = {
        "SALT": test["salt"],
        "SRP_B": test["srpB"],
        "SECRET_BLOCK": test["secretBlock"],
        "USER_ID_FOR_SRP": user_id,
        "USERNAME": user_id,
    }
    claim, claimed_for, stamp = user.password_claim(challenge, now=when)
    _agree("timestamp: srpkit formats this instant differently", stamp, test["timestamp"])
    _agree("USER_ID_FOR_SRP: the claim is not made for it", claimed_for, user_id)
    if wiring:
        _responses_agree(
            user.process_challenge(challenge, now=when),
            {
                "USERNAME": user_id,
                "TIMESTAMP": test["timestamp"],
                "PASSWORD_CLAIM_SECRET_BLOCK": test["secretBlock"],
                "PASSWORD_CLAIM_SIGNATURE": claim.signature,
            },
        )
    stamp, password = test["timestamp"], test["password"]
    realm = pool_name(test["poolId"])
    _rederive(
        claim, challenge, a=a, realm=realm, user_id=user_id, password=password, timestamp=stamp
    )
    return _claim_outputs(user.srp_a, claim)


def _device_inputs(test: Mapping[str, Any]) -> tuple[str, str, str]:
    return test["deviceGroupKey"], test["deviceKey"], test["devicePassword"]


def _device_srp(
    test: Mapping[str, Any], group_key: str, device_key: str, password: str, a: int
) -> DeviceSRP:
    """The DeviceSRP for a test; with ``userSrpA``, guarded against the user step's a, as UserSRP.device_srp is."""
    user_srp_a = test.get("userSrpA")
    try:
        return DeviceSRP(
            group_key,
            device_key,
            password,
            _DEVICE_USERNAME,
            _CLIENT_ID,
            small_a=a,
            user_srp_a=user_srp_a,
        )
    except SRPKitError as exc:
        # userSrpA is the test's own session context, like a: one srpkit cannot
        # read is a broken vector, never a rejection that passes an invalid test.
        if "user_srp_a" in exc.fields:
            raise _VectorFieldError(str(exc).replace("user_srp_a", "userSrpA")) from None
        raise


def _device_password_verifier(test: Mapping[str, Any], wiring: bool) -> dict[str, str]:
    a = _small_a(test)
    when = _timestamp_instant(test["timestamp"])
    group_key, device_key, password = _device_inputs(test)
    device = _device_srp(test, group_key, device_key, password, a)
    challenge = {"SALT": test["salt"], "SRP_B": test["srpB"], "SECRET_BLOCK": test["secretBlock"]}
    claim, _, stamp = device.password_claim(challenge, now=when)
    _agree("timestamp: srpkit formats this instant differently", stamp, test["timestamp"])
    if wiring:
        _responses_agree(
            device.process_challenge(challenge, now=when),
            {
                "TIMESTAMP": test["timestamp"],
                "DEVICE_KEY": device_key,
                "PASSWORD_CLAIM_SIGNATURE": claim.signature,
            },
        )
    realm, user_id, stamp = group_key, device_key, test["timestamp"]
    _rederive(
        claim, challenge, a=a, realm=realm, user_id=user_id, password=password, timestamp=stamp
    )
    return _claim_outputs(device.srp_a, claim)


def _canonical_device_password(text: str) -> bytes | None:
    """The 40 bytes whose base64 ``text`` is, or None when it is not such a password."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == DEVICE_PASSWORD_BYTES and b64encode(raw) == text else None


def _device_verifier_config(test: Mapping[str, Any], wiring: bool) -> dict[str, str]:
    if not re.fullmatch(r"(?:[0-9a-fA-F]{2})+", test["salt"]):
        raise _VectorFieldError("salt: not hex of one or more bytes")
    salt = bytes.fromhex(test["salt"])
    group_key, device_key, password = _device_inputs(test)
    # the pure function, which takes any password string and salt another client chose
    config = device_verifier_config(group_key, device_key, password, salt)
    pure = {"passwordVerifier": config["PasswordVerifier"], "verifierSalt": config["Salt"]}
    drawn = _canonical_device_password(password)
    if drawn is None or len(salt) != DEVICE_SALT_BYTES:
        return pure
    secret = new_device_secret(group_key, device_key, password=drawn, salt=salt)
    _agree(
        "devicePassword: new_device_secret makes another from the same bytes",
        secret.password,
        password,
    )
    config = secret.verifier_config
    made = {"passwordVerifier": config["PasswordVerifier"], "verifierSalt": config["Salt"]}
    _agree("verifier: new_device_secret and device_verifier_config disagree", made, pure)
    # ... and the function and the _srp math it is built on
    x = private_key(int.from_bytes(salt, "big"), group_key, device_key, password)
    _agree(
        "verifier: device_verifier_config and the _srp functions disagree",
        pure["passwordVerifier"],
        b64encode(bytes.fromhex(pad_hex(verifier(x)))),
    )
    return made


def _secret_hash(test: Mapping[str, Any], wiring: bool) -> dict[str, str]:
    return {"secretHash": secret_hash(test["username"], test["clientId"], test["clientSecret"])}


def _timestamp(test: Mapping[str, Any], wiring: bool) -> dict[str, str]:
    return {"timestamp": format_timestamp(_instant(test["instant"]))}


# ``wiring`` also runs process_challenge, which repeats password_claim's S only to check
# the response map built from the claim: check_file asks it of the first test of each
# group (on every test it doubled the time of a large file), check_test of each.
_CHECKERS: dict[str, Callable[[Mapping[str, Any], bool], dict[str, str]]] = {
    "PasswordVerifierTest": _password_verifier,
    "DevicePasswordVerifierTest": _device_password_verifier,
    "DeviceVerifierConfigTest": _device_verifier_config,
    "SecretHashTest": _secret_hash,
    "TimestampTest": _timestamp,
}


def check_test(group_type: str, test: Mapping[str, Any], *, wiring: bool = True) -> Outcome:
    """Run one (shape-checked) test through srpkit and judge it (``wiring``: see _CHECKERS)."""
    tc_id: int = test["tcId"]
    result: str = test["result"]
    try:
        got = _CHECKERS[group_type](test, wiring)
    except SRPKitError as exc:
        refused_ok = result != "valid"
        detail = f"rejected: {exc}" if refused_ok else f"rejected by srpkit: {exc}"
        return Outcome(tc_id, result, refused_ok, detail, rejected=True)
    except Exception as exc:  # a checker reports a crash as a failure, with no traceback
        return Outcome(tc_id, result, False, _failure_detail(exc))
    passed, detail = _judge(result, got, test)
    return Outcome(tc_id, result, passed, detail)


def _failure_detail(exc: Exception) -> str:
    if isinstance(exc, _VectorFieldError):
        return f"unusable vector: {exc}"
    if isinstance(exc, _InconsistentError):
        return f"srpkit is inconsistent: {exc}"
    return f"srpkit crashed: {type(exc).__name__}"


def _judge(result: str, got: Mapping[str, str], test: Mapping[str, Any]) -> tuple[bool, str]:
    if result == "invalid":
        return False, "accepted, but the test is invalid and must be rejected"
    # Only the outputs the test states are compared (the intermediates are optional).
    differ = [field for field, value in got.items() if field in test and test[field] != value]
    if differ:
        return False, f"{', '.join(differ)} {'differs' if len(differ) == 1 else 'differ'}"
    return True, ""


def check_file(vectors: VectorFile) -> list[GroupReport]:
    """Check every test of a loaded file, one report per test group."""
    return [
        GroupReport(
            vectors.name,
            group.type,
            tuple(check_test(group.type, t, wiring=i == 0) for i, t in enumerate(group.tests)),
        )
        for group in vectors.groups
    ]


def check_paths(paths: Sequence[str | Path]) -> list[GroupReport]:
    """Load every file first (so a malformed one stops the run before any work), then check them."""
    files = [load_vector_file(p) for p in paths]
    return [report for f in files for report in check_file(f)]
