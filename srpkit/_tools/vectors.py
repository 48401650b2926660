"""Known-answer vectors: find and load the files, check their shape, run every test through srpkit.

The files are Wycheproof-shaped JSON (vectors/README.md describes them). A
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
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from .._client.challenge import parse_srp_challenge
from .._client.device import DEVICE_PASSWORD_BYTES, DEVICE_SALT_BYTES, DeviceSRP, new_device_secret
from .._client.user import UserSRP
from .._core.caps import MAX_SRP_B_HEX
from .._core.checks import pool_name
from .._core.encoding import b64encode, int_from_hex_field, pad_hex
from .._core.errors import InvalidInputError, SRPKitError
from .._core.group import N
from .._core.jsonio import JSONTextError, load_json
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

RESULTS = ("valid", "invalid", "acceptable")

_SRP_OUTPUTS = ("srpA", "u", "x", "S", "key", "signature")
# A third party's vectors (a capture, another SDK's unit test) hold the inputs
# and what went on the wire (SRP_A, the signature), rarely u, x, S or the key:
# these intermediates are checked when present and never demanded (issue #16).
INTERMEDIATES = frozenset({"u", "x", "S", "key"})
# group type -> (required inputs, optional inputs, outputs); outputs other than
# INTERMEDIATES are required unless the test is invalid.
GROUP_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "PasswordVerifierTest": (
        ("poolId", "username", "password", "a", "salt", "srpB", "secretBlock", "timestamp"),
        ("signInName", "b"),
        _SRP_OUTPUTS,
    ),
    "DevicePasswordVerifierTest": (
        (
            "deviceGroupKey",
            "deviceKey",
            "devicePassword",
            "a",
            "salt",
            "srpB",
            "secretBlock",
            "timestamp",
        ),
        ("b",),
        _SRP_OUTPUTS,
    ),
    "DeviceVerifierConfigTest": (
        ("deviceGroupKey", "deviceKey", "devicePassword", "salt"),
        (),
        ("passwordVerifier", "verifierSalt"),
    ),
    "SecretHashTest": (("username", "clientId", "clientSecret"), (), ("secretHash",)),
    "TimestampTest": (("instant",), (), ("timestamp",)),
}

# The app client and user name the device and user objects are built with:
# neither enters the password claim, they only have to be valid.
_CLIENT_ID = "srpkitvectors"
_DEVICE_USERNAME = "srpkit-vectors"


# The bundled files are a few hundred KiB; the cap keeps a wrong path (a disk image, a
# device) from being read into memory.
MAX_VECTOR_FILE_BYTES = 16 << 20


class VectorFileError(InvalidInputError):
    """A vector file that cannot be read, is not JSON, or does not have the vector files' shape."""


@dataclass(frozen=True)
class VectorGroup:
    """One ``testGroups`` entry: its type and its tests (the JSON objects, as read)."""

    type: str
    tests: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class VectorFile:
    """A loaded, shape-checked vector file."""

    name: str
    algorithm: str
    number_of_tests: int
    groups: tuple[VectorGroup, ...]


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


# ---------------------------------------------------------------- finding the files


def bundled_vector_dir() -> Path:
    """The directory of the vectors shipped with srpkit.

    An installed wheel carries them as package data (``srpkit/vectors/``); a
    source checkout (and an editable install of one) has them in the
    repository's ``vectors/`` directory, their single source.
    """
    package = Path(__file__).resolve().parents[1]  # srpkit/, this file is srpkit/_tools/
    for candidate in (package / "vectors", package.parent / "vectors"):
        if any(candidate.glob("*_test.json")):
            return candidate
    raise VectorFileError(
        "no bundled vector files found (looked in srpkit/vectors/ and the source "
        "checkout's vectors/); pass the files to check",
        fields=("FILE",),
    )


def bundled_vector_paths() -> list[Path]:
    """The bundled vector files, sorted by name."""
    return sorted(bundled_vector_dir().glob("*_test.json"))


# ---------------------------------------------------------------- loading and shape


def load_vector_file(path: str | Path, name: str | None = None) -> VectorFile:
    """Read and shape-check a vector file; ``name`` is what messages call it (default: the path)."""
    display = str(path) if name is None else name
    try:
        with open(path, "rb") as handle:
            # The size first (a regular file), then a bounded read (a pipe or device has none).
            too_big = os.fstat(handle.fileno()).st_size > MAX_VECTOR_FILE_BYTES
            data = b"" if too_big else handle.read(MAX_VECTOR_FILE_BYTES + 1)
    except OSError as exc:
        raise VectorFileError(
            f"{display}: cannot read: {exc.strerror or exc}", fields=("FILE",)
        ) from None
    except ValueError:  # open() refuses a NUL or a lone surrogate in the path
        raise VectorFileError(f"{display}: not a usable file name", fields=("FILE",)) from None
    if too_big or len(data) > MAX_VECTOR_FILE_BYTES:
        raise VectorFileError(
            f"{display}: larger than {MAX_VECTOR_FILE_BYTES >> 20} MiB", fields=("FILE",)
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise VectorFileError(f"{display}: not UTF-8 text", fields=("FILE",)) from None
    return parse_vector_text(text, display)


def parse_vector_text(text: str, name: str) -> VectorFile:
    """Parse and shape-check the text of a vector file called ``name``."""
    try:
        doc = load_json(text)
    except JSONTextError as exc:
        raise VectorFileError(f"{name}: not JSON ({exc})", fields=("FILE",)) from None
    return _shape(doc, name)


def _fail(name: str, where: str, problem: str) -> VectorFileError:
    return VectorFileError(
        f"{name}: {where}: {problem}" if where else f"{name}: {problem}", fields=("FILE",)
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shape(doc: object, name: str) -> VectorFile:
    if not isinstance(doc, dict):
        raise _fail(name, "", "the top level must be a JSON object")
    for key, kind, label in (
        ("algorithm", str, "a string"),
        ("schema", str, "a string"),
        ("header", list, "a list of strings"),
        ("notes", dict, "an object"),
        ("testGroups", list, "a list"),
    ):
        if key not in doc:
            raise _fail(name, "", f"missing '{key}'")
        if not isinstance(doc[key], kind):
            raise _fail(name, key, f"must be {label}")
    if not _is_int(doc.get("numberOfTests")):
        raise _fail(name, "numberOfTests", "missing, or not an integer")
    if not all(isinstance(line, str) for line in doc["header"]):
        raise _fail(name, "header", "must be a list of strings")
    shaper = _Shaper(name, doc["notes"])
    groups = [shaper.group(f"testGroups[{gi}]", g) for gi, g in enumerate(doc["testGroups"])]
    count = sum(len(g.tests) for g in groups)
    if doc["numberOfTests"] != count:
        raise _fail(
            name, "numberOfTests", f"says {doc['numberOfTests']}, the file has {count} tests"
        )
    return VectorFile(name, doc["algorithm"], count, tuple(groups))


class _Shaper:
    """Shape checks for the groups and tests of one file (its notes, the tcIds seen so far)."""

    def __init__(self, name: str, notes: dict[str, Any]) -> None:
        self.name = name
        self.notes = notes
        self.seen: set[int] = set()
        for flag, note in notes.items():
            if not (
                isinstance(note, dict)
                and isinstance(note.get("bugType"), str)
                and isinstance(note.get("description"), str)
            ):
                raise _fail(name, f"notes.{flag}", 'must be {"bugType": str, "description": str}')

    def group(self, where: str, group: object) -> VectorGroup:
        if not isinstance(group, dict):
            raise _fail(self.name, where, "must be an object")
        kind = group.get("type")
        if not isinstance(kind, str) or kind not in GROUP_FIELDS:
            raise _fail(
                self.name,
                f"{where}.type",
                f"unknown test group type {kind!r} (known: {', '.join(GROUP_FIELDS)})",
            )
        tests = group.get("tests")
        if not isinstance(tests, list):
            raise _fail(self.name, f"{where}.tests", "missing, or not a list")
        for ti, test in enumerate(tests):
            self.test(f"{where}.tests[{ti}]", kind, test)
        return VectorGroup(kind, tuple(tests))

    def test(self, where: str, kind: str, test: object) -> None:
        if not isinstance(test, dict):
            raise _fail(self.name, where, "must be an object")
        tc_id = test.get("tcId")
        if not isinstance(tc_id, int) or isinstance(tc_id, bool):
            raise _fail(self.name, where, "'tcId' missing, or not an integer")
        where = f"{where} (tcId {tc_id})"
        if tc_id in self.seen:
            raise _fail(self.name, where, "duplicate tcId")
        self.seen.add(tc_id)
        if not isinstance(test.get("comment"), str):
            raise _fail(self.name, where, "'comment' missing, or not a string")
        flags = test.get("flags")
        if not (isinstance(flags, list) and all(isinstance(f, str) for f in flags)):
            raise _fail(self.name, where, "'flags' missing, or not a list of strings")
        undefined = [f for f in flags if f not in self.notes]
        if undefined:
            raise _fail(self.name, where, f"flags without a note: {', '.join(undefined)}")
        if test.get("result") not in RESULTS:
            raise _fail(self.name, where, f"'result' must be one of {', '.join(RESULTS)}")
        required, optional, outputs = GROUP_FIELDS[kind]
        demanded = tuple(f for f in outputs if f not in INTERMEDIATES)
        needed = required + (demanded if test["result"] != "invalid" else ())
        for field in needed:
            if field not in test:
                raise _fail(self.name, where, f"missing field '{field}'")
        for field in needed + optional + outputs:
            if field in test and not isinstance(test[field], str):
                raise _fail(self.name, where, f"field '{field}' must be a string")


# ---------------------------------------------------------------- checking


class _VectorFieldError(Exception):
    """A field the vector itself defines (not a server's string) cannot be used as given."""


class _InconsistentError(Exception):
    """srpkit's objects and its pure functions disagree: a bug whatever the expected values say."""


def _small_a(test: Mapping[str, Any]) -> int:
    """The test's private ephemeral: its own field, so a bad one is the vector's fault, not a rejection."""
    try:
        a = int_from_hex_field(test["a"], "a", max_len=MAX_SRP_B_HEX, error=InvalidInputError)
    except SRPKitError as exc:
        raise _VectorFieldError(str(exc)) from None
    if not 1 <= a < N:
        raise _VectorFieldError("a: outside 1 <= a < N")
    return a


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


def _device_password_verifier(test: Mapping[str, Any], wiring: bool) -> dict[str, str]:
    a = _small_a(test)
    when = _timestamp_instant(test["timestamp"])
    group_key, device_key, password = _device_inputs(test)
    device = DeviceSRP(group_key, device_key, password, _DEVICE_USERNAME, _CLIENT_ID, small_a=a)
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
    if not re.fullmatch(rf"(?:[0-9a-fA-F]{{2}}){{{DEVICE_SALT_BYTES}}}", test["salt"]):
        raise _VectorFieldError(f"salt: not {DEVICE_SALT_BYTES} bytes of hex")
    salt = bytes.fromhex(test["salt"])
    salt_int = int.from_bytes(salt, "big")
    group_key, device_key, password = _device_inputs(test)
    # the pure functions, which also take a password no official client would draw
    x = private_key(salt_int, group_key, device_key, password)
    pure = {
        "passwordVerifier": b64encode(bytes.fromhex(pad_hex(verifier(x)))),
        "verifierSalt": b64encode(bytes.fromhex(pad_hex(salt_int))),
    }
    drawn = _canonical_device_password(password)
    if drawn is None:
        return pure
    secret = new_device_secret(group_key, device_key, password=drawn, salt=salt)
    _agree(
        "devicePassword: new_device_secret makes another from the same bytes",
        secret.password,
        password,
    )
    config = secret.verifier_config
    made = {"passwordVerifier": config["PasswordVerifier"], "verifierSalt": config["Salt"]}
    _agree("verifier: new_device_secret and the _srp functions disagree", made, pure)
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
