"""Auditing a client's SRP sign-in: recompute every step of a transcript and explain the first divergence.

The audit recomputes A, k, u, x, S, the key, the signed message and the
signature as the official clients do, compares each with what was recorded,
and checks TIMESTAMP's format, USERNAME and the echoed SECRET_BLOCK. At the
first divergence it recomputes the chain again under each known client mistake
(``srpkit._tools.mistakes``) and reports the ones that reproduce the recorded
value. The transcript format is documented in ``srpkit._tools.transcript``.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .._client.device import device_verifier_config
from .._core.backend import powmod, powmod_g
from .._core.encoding import hash_hex, hex_hash_int, pad_hex
from .._core.errors import SRPKitError
from .._core.group import G, K, N
from .._core.secret_hash import secret_hash
from .._core.srp import (
    derive_key,
    password_claim_signature,
    premaster_secret,
    private_key,
    scrambling_parameter,
    verifier,
)
from .._core.timestamp import format_timestamp, timestamp_problems
from .mistakes import (
    FRESH_A,
    Deviation,
    canonical_timestamp,
    clock_offset,
    diagnose,
    fixed_width_hex,
    hkdf_of_hex,
    twelve_hours_off,
    unpadded_hex,
    zero_padded_day,
)
from .transcript import Inputs, read_transcript, same_value, section

__all__ = ["AuditReport", "Cause", "Status", "Step", "audit_transcript"]

_SECRET_STEPS = frozenset({"x", "S", "key"})


class Status(str, enum.Enum):
    """The verdict on one row of the audit: a closed set, str-valued for the JSON report."""

    MATCH = "match"  # recorded and recomputed agree
    DIFFERS = "differs"  # they do not: a divergence
    NOT_LOGGED = "not logged"  # recomputed, but the transcript has no value to compare
    CANNOT = "cannot check"  # the inputs needed are not in the transcript
    WARN = "warn"  # unusual but not necessarily refused
    INPUT = "input"  # taken from the transcript as an input, nothing to compare

    def __str__(self) -> str:
        return self.value


@dataclass
class Step:
    """One row of the audit: a value, what was recorded, what srpkit recomputes, and the verdict."""

    name: str
    formula: str
    status: Status
    recorded: str | None = None
    recomputed: str | None = None
    note: str = ""
    secret: bool = False


@dataclass
class Cause:
    """A known client mistake that reproduces recorded values when srpkit makes it too."""

    step: str
    mistake: str
    description: str
    reproduces: list[str]


@dataclass
class AuditReport:
    """The audit of one transcript."""

    flow: str
    steps: list[Step]
    first_divergence: str | None
    causes: list[Cause] = field(default_factory=list)
    complete: bool = True

    @property
    def consistent(self) -> bool:
        """No recorded value diverges from the recomputation."""
        return self.first_divergence is None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (secret values as fingerprints only)."""
        return {
            "flow": self.flow,
            "consistent": self.consistent,
            "complete": self.complete,
            "first_divergence": self.first_divergence,
            "causes": [
                {
                    "step": c.step,
                    "mistake": c.mistake,
                    "description": c.description,
                    "reproduces": c.reproduces,
                }
                for c in self.causes
            ],
            "steps": [
                {
                    "step": s.name,
                    "formula": s.formula,
                    "status": s.status,
                    "recorded": s.recorded,
                    "recomputed": s.recomputed,
                    "note": s.note,
                    "secret": s.secret,
                }
                for s in self.steps
            ],
        }


# ---------------------------------------------------------------- the chain, with mistakes


class _Chain:
    """Recomputes the client's values, optionally making given deviations; caches A and each S."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        # Most mistakes leave k, u and x alone: one S per distinct (k, u, x), not per mistake.
        self._premaster: dict[tuple[int, int, int], int] = {}
        self._big_a = None if inputs.a is None else powmod_g(inputs.a)

    def _s(self, k: int, u: int, x: int, a: int) -> int:
        cached = self._premaster.get((k, u, x))
        if cached is None:
            big_b = self.inputs.big_b
            cached = (
                premaster_secret(big_b, x, a, u)
                if k == K
                else powmod(big_b - k * verifier(x), a + u * x, N)
            )
            self._premaster[(k, u, x)] = cached
        return cached

    def values(self, flags: frozenset[Deviation]) -> dict[str, Any]:
        """Every value the transcript's inputs determine, computed with the deviations ``flags``."""
        i = self.inputs
        out: dict[str, Any] = {"k": self._k(flags), "u": self._u(flags)}
        if self._big_a is not None:
            out["A"] = self._big_a
        x = self._x(flags)
        if x is not None:
            out["x"] = x
        key = i.key
        if x is not None and i.a is not None:
            out["S"] = self._s(out["k"], out["u"], x, i.a)
            key = self._key(flags, out["S"], out["u"])
        if key is not None:
            out["key"] = key
            parts = self._message_parts(flags)
            realm, user_id, block, stamp = parts
            out["message"] = realm.encode() + user_id.encode() + block + stamp.encode()
            out["signature"] = self._signature(flags, key, parts, out["message"])
        return out

    @staticmethod
    def _k(flags: frozenset[Deviation]) -> int:
        if Deviation.K_UNPADDED in flags:
            return hex_hash_int(unpadded_hex(N) + unpadded_hex(G))
        if Deviation.K_FIXED in flags:
            return hex_hash_int(fixed_width_hex(N) + fixed_width_hex(G))
        return 3 if Deviation.K_3 in flags else K

    def _u(self, flags: frozenset[Deviation]) -> int:
        big_a, big_b = self.inputs.big_a, self.inputs.big_b
        if Deviation.U_UNPADDED in flags:
            return hex_hash_int(unpadded_hex(big_a) + unpadded_hex(big_b))
        if Deviation.U_FIXED in flags:
            return hex_hash_int(fixed_width_hex(big_a) + fixed_width_hex(big_b))
        return scrambling_parameter(big_a, big_b)

    def _names(
        self, flags: frozenset[Deviation], pool_id: Deviation, alias: Deviation
    ) -> tuple[str, str]:
        """(realm, user id) as hashed into x or signed: ``pool_id``/``alias`` say which."""
        i = self.inputs
        swapped = Deviation.SWAP_KEYS in flags
        realm, user_id = (i.user_id, i.realm) if swapped else (i.realm, i.user_id)
        if pool_id in flags and i.realm_alt:
            realm = i.realm_alt
        if alias in flags and i.sign_in_name:
            user_id = i.sign_in_name
        return realm, user_id

    def _x(self, flags: frozenset[Deviation]) -> int | None:
        i = self.inputs
        if i.password is None:
            return i.x
        realm, user_id = self._names(flags, Deviation.X_POOL_ID, Deviation.X_ALIAS)
        if Deviation.SALT_UNPADDED not in flags and Deviation.SALT_ASCII not in flags:
            return private_key(i.salt, realm, user_id, i.password)
        inner = hash_hex(f"{realm}{user_id}:{i.password}".encode())
        if Deviation.SALT_ASCII in flags:
            ascii_salt = i.salt_text.encode("utf-8", "backslashreplace")
            return int.from_bytes(hashlib.sha256(ascii_salt + bytes.fromhex(inner)).digest(), "big")
        return hex_hash_int(unpadded_hex(i.salt) + inner)

    @staticmethod
    def _key(flags: frozenset[Deviation], premaster: int, u: int) -> bytes:
        if Deviation.HKDF_S_UNPADDED in flags:
            s_hex = unpadded_hex(premaster)
        elif Deviation.HKDF_S_FIXED in flags:
            s_hex = fixed_width_hex(premaster)
        elif Deviation.HKDF_U_UNPADDED not in flags:
            return derive_key(premaster, u)
        else:
            s_hex = pad_hex(premaster)
        u_hex = unpadded_hex(u) if Deviation.HKDF_U_UNPADDED in flags else pad_hex(u)
        return hkdf_of_hex(s_hex, u_hex)

    def _message_parts(self, flags: frozenset[Deviation]) -> tuple[str, str, bytes, str]:
        """(realm, user id, secret block, TIMESTAMP) as signed."""
        i = self.inputs
        realm, user_id = self._names(flags, Deviation.SIG_POOL_ID, Deviation.SIG_ALIAS)
        block = i.block_text.encode() if Deviation.BLOCK_TEXT in flags else i.block
        stamp: str | None = i.timestamp
        if Deviation.TS_PADDED in flags:
            stamp = zero_padded_day(i.timestamp)
        elif Deviation.TS_CANONICAL in flags:
            stamp = canonical_timestamp(i.timestamp)
        assert stamp is not None  # the mistakes that change it apply only when it exists
        return realm, user_id, block, stamp

    @staticmethod
    def _signature(
        flags: frozenset[Deviation], key: bytes, parts: tuple[str, str, bytes, str], message: bytes
    ) -> str:
        if Deviation.SIG_HEX not in flags and Deviation.SIG_URLSAFE not in flags:
            return password_claim_signature(key, *parts)
        digest = hmac.new(key, message, hashlib.sha256).digest()
        if Deviation.SIG_HEX in flags:
            return digest.hex()
        return base64.urlsafe_b64encode(digest).decode()


# ---------------------------------------------------------------- the audit


def _fingerprint(value: int | bytes) -> str:
    raw = value if isinstance(value, bytes) else pad_hex(value).encode()
    return "#" + hash_hex(raw)[:8]


def _show(name: str, value: Any) -> str:
    if name in _SECRET_STEPS:
        return _fingerprint(value)
    if isinstance(value, int):
        return format(value, "x")
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


_FORMULAS = {
    "A": "g^a mod N",
    "k": "H(pad N | pad g)",
    "u": "H(pad A | pad B)",
    "x": "H(pad salt | H(realm | id:password))",
    "S": "(B - k*g^x)^(a + u*x) mod N",
    "key": "HKDF(pad S, salt = pad u)",
    "message": "realm|id|block|TIMESTAMP",
    "signature": "HMAC(key, msg)",
}
# Rows are named as the wire names them where the value travels; the chain names values shortly.
_WIRE_NAMES = {"A": "SRP_A", "signature": "PASSWORD_CLAIM_SIGNATURE"}
_VALUE_NAMES = {wire: name for name, wire in _WIRE_NAMES.items()}


def audit_transcript(
    data: Mapping[str, Any],
    *,
    password: str | None = None,
    small_a: str | None = None,
    show_x: bool = False,
    client_secret: str | None = None,
) -> AuditReport:
    """Audit a transcript (the parsed JSON object). ``password``/``small_a``/``client_secret`` fill in absent secrets.

    x's row shows no value, not even a fingerprint, unless ``show_x``: x comes from
    the password alone, so with the transcript's public salt, realm and id a
    fingerprint of it tests a password guess in three SHA-256 (issue #18).

    Raises InvalidInputError / ParameterTypeError naming the field when the
    transcript itself is unusable.
    """
    inputs, recorded = read_transcript(data, password, small_a, client_secret)
    chain = _Chain(inputs)
    canonical = chain.values(frozenset())
    steps: list[Step] = []
    for name in ("A", "k", "u", "x", "S", "key"):
        if name == "k" and "k" not in recorded:
            continue  # a constant: shown only when the client logged its own
        steps.append(_value_step(name, inputs, recorded, canonical))
        if name == "x" and not show_x:
            _hide_values(steps[-1])
    _check_wire(inputs, data, steps)
    if "message" in recorded:
        steps.append(_value_step("message", inputs, recorded, canonical))
    steps.append(_value_step("signature", inputs, recorded, canonical))
    first = next((s.name for s in steps if s.status == Status.DIFFERS), None)
    report = AuditReport(inputs.flow, steps, first, complete="signature" in canonical)
    for step in steps:
        if step.status != Status.DIFFERS:
            continue
        target = _VALUE_NAMES.get(step.name, step.name)
        for mistake, reproduces in diagnose(inputs, chain.values, recorded, canonical, target):
            also = [_WIRE_NAMES.get(name, name) for name in reproduces]
            report.causes.append(Cause(step.name, mistake.name, mistake.description, also))
    return report


def _value_step(
    name: str, inputs: Inputs, recorded: Mapping[str, Any], canonical: Mapping[str, Any]
) -> Step:
    step = Step(
        _WIRE_NAMES.get(name, name), _FORMULAS[name], Status.CANNOT, secret=name in _SECRET_STEPS
    )
    rec = recorded.get(name)
    if rec is not None:
        step.recorded = _show(name, rec)
    if name in canonical:
        step.recomputed = _show(name, canonical[name])
        if rec is None:
            step.status = Status.NOT_LOGGED
        else:
            step.status = Status.MATCH if same_value(rec, canonical[name]) else Status.DIFFERS
    elif name == "x" and inputs.x is not None:
        step.status, step.note = Status.INPUT, "taken from the transcript (no password given)"
        step.recorded = _show(name, inputs.x)
    elif name == "key" and inputs.key is not None:
        step.status, step.note = Status.INPUT, "the logged key (a or the password is not given)"
        step.recorded = _show(name, inputs.key)
    else:
        step.note = _why_missing(name)
    return step


_HIDDEN = "(hidden)"


def _hide_values(step: Step) -> None:
    # The status (match or not) stays: it needs the recorded x or the password already.
    step.recorded = None if step.recorded is None else _HIDDEN
    step.recomputed = None if step.recomputed is None else _HIDDEN


def _why_missing(name: str) -> str:
    return {
        "A": "needs a",
        "x": "needs the password (or x)",
        "S": "needs a and the password (or x)",
        "key": "needs a and the password (or x), or a logged key",
    }.get(name, "needs the key: give a and the password, or log the key")


def _check_wire(inputs: Inputs, data: Mapping[str, Any], steps: list[Step]) -> None:
    """TIMESTAMP format, USERNAME, DEVICE_KEY and the echoed SECRET_BLOCK."""
    responses = section(data, "challenge_responses")
    challenge = section(data, "challenge_parameters")
    steps.append(_timestamp_step(inputs))
    if "USERNAME" in responses:
        sent = responses["USERNAME"]
        expected = inputs.user_id if inputs.flow == "user" else challenge.get("USERNAME", sent)
        row = Step(
            "USERNAME",
            "USER_ID_FOR_SRP" if inputs.flow == "user" else "challenge USERNAME",
            Status.MATCH,
            _display(sent),
            _display(expected),
        )
        if sent != expected:
            row.status = Status.WARN
            row.note = (
                "not USER_ID_FOR_SRP (the official clients answer with it; SECRET_HASH must "
                "then be over this name)"
            )
        steps.append(row)
    if inputs.verifier_config is not None:
        steps += _verifier_config_steps(inputs)
    if inputs.secret_hash is not None:
        steps.append(_secret_hash_step(inputs, responses.get("USERNAME", inputs.user_id)))
    if inputs.user_srp_a is not None:
        row = Step(FRESH_A, "SRP_A != the user step's", Status.MATCH, format(inputs.big_a, "x"))
        row.recomputed = "not " + format(inputs.user_srp_a, "x")
        if inputs.big_a == inputs.user_srp_a:
            row.status, row.note = Status.DIFFERS, "the user step's SRP_A, so the user step's a"
        steps.append(row)
    if inputs.flow == "device" and "DEVICE_KEY" in responses:
        row = Step(
            "DEVICE_KEY",
            "the device key",
            Status.MATCH,
            _display(responses["DEVICE_KEY"]),
            inputs.user_id,
        )
        if responses["DEVICE_KEY"] != inputs.user_id:
            row.status, row.note = Status.DIFFERS, "not the device key the transcript names"
        steps.append(row)
    if "PASSWORD_CLAIM_SECRET_BLOCK" in responses:
        echoed = responses["PASSWORD_CLAIM_SECRET_BLOCK"]
        row = Step(
            "PASSWORD_CLAIM_SECRET_BLOCK",
            "SECRET_BLOCK",
            Status.MATCH,
            _display(echoed),
            inputs.block_text,
        )
        if echoed != inputs.block_text:
            row.status = Status.DIFFERS
            row.note = "not the SECRET_BLOCK received" + (
                " (re-encoded: same bytes, different text)"
                if _same_bytes(echoed, inputs.block)
                else ""
            )
        steps.append(row)


def _timestamp_step(inputs: Inputs) -> Step:
    """TIMESTAMP's format, and (with ``sent_at``) its distance from when the answer was sent."""
    _, problems = timestamp_problems(inputs.timestamp)
    stamp = Step("TIMESTAMP", "Www Mmm D HH:MM:SS UTC YYYY", Status.MATCH, inputs.timestamp)
    stamp.recomputed = canonical_timestamp(inputs.timestamp)
    notes = list(problems)
    offset = clock_offset(inputs)
    if inputs.sent_at is not None and not problems:
        stamp.recomputed = format_timestamp(inputs.sent_at)
        if twelve_hours_off(offset):
            notes.append("12 hours before sent_at")
        elif offset is not None and abs(offset) > 60:
            stamp.status = Status.WARN
            stamp.note = f"{offset:+.0f} s from sent_at"
    if notes:
        stamp.status, stamp.note = Status.DIFFERS, "; ".join(notes)
    return stamp


def _verifier_config_steps(inputs: Inputs) -> list[Step]:
    """ConfirmDevice's verifier, recomputed from the device password and its salt; SALT is that salt."""
    assert inputs.verifier_config is not None  # the caller checks
    sent, salt = inputs.verifier_config
    row = Step("PasswordVerifier", "g^x, x over padHex(Salt)", Status.CANNOT, _display(sent))
    salt_row = Step("SALT", "the ConfirmDevice Salt", Status.MATCH, inputs.salt_text)
    salt_row.recomputed = format(int.from_bytes(salt, "big"), "x")
    if inputs.salt != int.from_bytes(salt, "big"):
        salt_row.status = Status.DIFFERS
        salt_row.note = "not the salt registered at ConfirmDevice (another device, or another Salt)"
    if inputs.password is None:
        row.note = "needs the device password"
        return [row, salt_row]
    try:
        config = device_verifier_config(inputs.realm, inputs.user_id, inputs.password, salt)
    except SRPKitError as exc:
        row.note = f"cannot be recomputed: {exc}"
        return [row, salt_row]
    row.recomputed = config["PasswordVerifier"]
    row.status = Status.MATCH if row.recomputed == sent else Status.DIFFERS
    if row.status == Status.DIFFERS:
        row.note = "the server stores this verifier, so every device sign-in will fail"
    return [row, salt_row]


def _secret_hash_step(inputs: Inputs, username: object) -> Step:
    """SECRET_HASH: HMAC(client secret, USERNAME sent + client id), compared in constant time."""
    sent = inputs.secret_hash or ""
    row = Step("SECRET_HASH", "HMAC(secret, USERNAME|client id)", Status.CANNOT, _display(sent))
    if inputs.client_id is None or inputs.client_secret is None:
        row.note = "needs client_id and the client secret"
        return row
    try:
        expected = secret_hash(str(username), inputs.client_id, inputs.client_secret)
    except SRPKitError as exc:
        row.note = f"cannot be recomputed: {exc}"
        return row
    row.recomputed = expected
    same = hmac.compare_digest(expected.encode(), sent.encode("utf-8", "backslashreplace"))
    row.status = Status.MATCH if same else Status.DIFFERS
    if not same:
        row.note = "not over the USERNAME sent"
    return row


def _display(value: object) -> str:
    """A recorded value as text any output can carry: a lone surrogate (JSON allows it) escaped."""
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


def _same_bytes(text: object, block: bytes) -> bool:
    # Lenient on purpose (missing padding, URL-safe alphabet): it tells a re-encoded
    # echo of the same bytes from a different block.
    if not isinstance(text, str):
        return False
    try:
        return (
            base64.b64decode(text + "==", altchars=b"-_" if "-" in text or "_" in text else None)
            == block
        )
    except ValueError:
        return False
