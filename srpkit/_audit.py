"""Auditing a client's SRP sign-in: recompute every step of a transcript and explain the first divergence.

A transcript is one JSON object describing one PASSWORD_VERIFIER (or
DEVICE_PASSWORD_VERIFIER) answer as the client saw and sent it. Keys:

``flow``
    ``"user"`` (default; USER_SRP_AUTH -> PASSWORD_VERIFIER) or ``"device"``
    (DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER).
``pool_id``
    user flow: the user pool id (``us-east-1_AbC123``); the pool name after
    ``_`` is what the client hashes and signs.
``device_group_key``, ``device_key``
    device flow: the device's NewDeviceMetadata.
``auth_parameters``
    what the client sent first: InitiateAuth's AuthParameters (user flow) or
    DEVICE_SRP_AUTH's ChallengeResponses. ``SRP_A`` is required; ``USERNAME``
    (the name signed in with, perhaps an alias) is used to test alias mistakes.
``challenge_parameters``
    the ChallengeParameters received: ``SALT``, ``SRP_B``, ``SECRET_BLOCK``
    and, for users, ``USER_ID_FOR_SRP`` (or ``USERNAME``).
``challenge_responses``
    the ChallengeResponses sent: ``TIMESTAMP`` and ``PASSWORD_CLAIM_SIGNATURE``
    (required), ``USERNAME``, ``PASSWORD_CLAIM_SECRET_BLOCK``, ``DEVICE_KEY``.
``password`` (secret)
    the user's password, or the device password. If absent, it is read from
    ``$SRPKIT_PASSWORD`` (or standard input with ``--password-stdin``).
``x`` (secret, hex)
    the private key x, if the client logged it; it stands in for the password
    when the password is not given.
``a`` (secret, hex)
    the client's private ephemeral, if known (or ``$SRPKIT_SMALL_A``). Without
    it (and without a logged ``key``) the signature cannot be recomputed.
``intermediates`` (optional)
    values the client logged, any of: ``A``, ``k``, ``u``, ``x``, ``S`` (hex
    numbers, compared by value), ``key`` (hex of the 16 HKDF bytes),
    ``message`` (hex of the signed bytes). Each is compared with the
    recomputed value; a logged ``key`` also lets the signature be checked
    without ``a``.

Secrets are never taken from the command line, and the report shows secret
values (x, S, key) only as short fingerprints.

The audit recomputes A, k, u, x, S, the key, the signed message and the
signature as the official clients do, compares each with what was recorded,
and checks TIMESTAMP's format, USERNAME and the echoed SECRET_BLOCK. At the
first divergence it recomputes the chain again under each known client
mistake (unpadded hex, RFC 5054 fixed-width padding, the alias instead of
USER_ID_FOR_SRP, the pool id instead of its name, the secret block as text,
a zero-padded day, ...) and reports the ones that reproduce the recorded value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ._arith import powmod, powmod_g
from ._encoding import (
    b64decode_field,
    hash_hex,
    hex_hash_int,
    int_from_hex_field,
    pad_hex,
    utf8_field,
)
from ._errors import InvalidInputError, ParameterTypeError
from ._group import N_BYTES, G, K, N
from ._server import timestamp_problems
from ._srp import (
    HKDF_INFO,
    KEY_BYTES,
    derive_key,
    password_claim_signature,
    premaster_secret,
    private_key,
    scrambling_parameter,
    verifier,
)
from ._timestamp import format_timestamp
from ._validate import pool_name

__all__ = ["AuditReport", "Step", "audit_transcript"]

# Row statuses.
MATCH = "match"  # recorded and recomputed agree
DIFFERS = "differs"  # they do not: a divergence
NOT_LOGGED = "not logged"  # recomputed, but the transcript has no value to compare
CANNOT = "cannot check"  # the inputs needed are not in the transcript
WARN = "warn"  # unusual but not necessarily refused
INPUT = "input"  # taken from the transcript as an input, nothing to compare

_MAX_HEX = 2048
_INTERMEDIATES = ("A", "k", "u", "x", "S", "key", "message")
_SECRET_STEPS = frozenset({"x", "S", "key"})


@dataclass
class Step:
    """One row of the audit: a value, what was recorded, what srpkit recomputes, and the verdict."""

    name: str
    formula: str
    status: str
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


# ---------------------------------------------------------------- reading the transcript


@dataclass(frozen=True)
class _Inputs:
    flow: str
    realm: str
    realm_alt: str | None  # user flow: the whole pool id
    user_id: str
    sign_in_name: str | None
    salt: int
    big_b: int
    block: bytes
    block_text: str
    big_a: int
    timestamp: str
    signature: str
    password: str | None
    x: int | None
    a: int | None
    key: bytes | None


def _field(obj: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> Any:
    if key not in obj:
        if required:
            raise InvalidInputError(f"{where}{key}: missing", fields=(where + key,))
        return None
    return obj[key]


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ParameterTypeError(
            f"{name}: expected a string, got {type(value).__name__}", fields=(name,)
        )
    utf8_field(value, name)  # hashed as UTF-8; JSON can carry a lone surrogate ("\ud800")
    return value


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ParameterTypeError(f"{key}: expected an object", fields=(key,))
    return value


def _hex(value: Any, name: str, *, negative: bool = False) -> int:
    return int_from_hex_field(
        value, name, max_len=_MAX_HEX, allow_negative=negative, error=InvalidInputError
    )


def _read(data: Mapping[str, Any], password: str | None, small_a: str | None) -> _Inputs:
    flow = data.get("flow", "user")
    if flow not in ("user", "device"):
        raise InvalidInputError("flow: must be 'user' or 'device'", fields=("flow",))
    auth = _section(data, "auth_parameters")
    challenge = _section(data, "challenge_parameters")
    responses = _section(data, "challenge_responses")
    inter = _section(data, "intermediates")
    missing = [
        f"{where}.{key}"
        for where, section, keys in (
            ("auth_parameters", auth, ("SRP_A",)),
            ("challenge_parameters", challenge, ("SALT", "SRP_B", "SECRET_BLOCK")),
            ("challenge_responses", responses, ("TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE")),
        )
        for key in keys
        if key not in section
    ]
    missing += [
        key
        for key in (("pool_id",) if flow == "user" else ("device_group_key", "device_key"))
        if key not in data
    ]
    if missing:
        raise InvalidInputError("transcript missing " + ", ".join(missing), fields=missing)
    sign_in = auth.get("USERNAME")
    if flow == "user":
        pool_id = _text(data["pool_id"], "pool_id")
        realm, realm_alt = pool_name(pool_id), pool_id
        user_id = challenge.get("USER_ID_FOR_SRP", challenge.get("USERNAME"))
        if user_id is None:
            raise InvalidInputError(
                "challenge_parameters.USER_ID_FOR_SRP: missing (the name the client must sign)",
                fields=("challenge_parameters.USER_ID_FOR_SRP",),
            )
        user_id = _text(user_id, "challenge_parameters.USER_ID_FOR_SRP")
    else:
        realm = _text(data["device_group_key"], "device_group_key")
        realm_alt = None
        user_id = _text(data["device_key"], "device_key")
        sign_in = responses.get("USERNAME", sign_in)
    secret = data.get("password", password)
    x_text = data.get("x", inter.get("x"))
    a_text = data.get("a", small_a)
    key_text = inter.get("key")
    return _Inputs(
        flow=flow,
        realm=realm,
        realm_alt=realm_alt,
        user_id=user_id,
        sign_in_name=None if sign_in is None else _text(sign_in, "auth_parameters.USERNAME"),
        salt=_hex(challenge["SALT"], "challenge_parameters.SALT", negative=True),
        big_b=_hex(challenge["SRP_B"], "challenge_parameters.SRP_B"),
        block=b64decode_field(
            challenge["SECRET_BLOCK"],
            "challenge_parameters.SECRET_BLOCK",
            max_len=1 << 17,
            error=InvalidInputError,
        ),
        block_text=_text(challenge["SECRET_BLOCK"], "challenge_parameters.SECRET_BLOCK"),
        big_a=_hex(auth["SRP_A"], "auth_parameters.SRP_A"),
        timestamp=_text(responses["TIMESTAMP"], "challenge_responses.TIMESTAMP"),
        signature=_text(
            responses["PASSWORD_CLAIM_SIGNATURE"], "challenge_responses.PASSWORD_CLAIM_SIGNATURE"
        ),
        password=None if secret is None else _text(secret, "password"),
        x=None if x_text is None else _hex(x_text, "x"),
        a=None if a_text is None else _hex(a_text, "a"),
        key=None if key_text is None else _hex_bytes(key_text, "intermediates.key"),
    )


def _hex_bytes(value: Any, name: str) -> bytes:
    text = _text(value, name)
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise InvalidInputError(f"{name}: not hex bytes", fields=(name,)) from None


# ---------------------------------------------------------------- the chain, with mistakes


def _unpadded(value: int) -> str:
    """Minimal unsigned hex, even length: what clients without padHex hash."""
    text = format(value, "x")
    return "0" + text if len(text) % 2 else text


def _fixed(value: int) -> str:
    """RFC 5054 PAD(): big-endian, as wide as N."""
    return (value % (1 << (8 * N_BYTES))).to_bytes(N_BYTES, "big").hex()


def _zero_padded_day(timestamp: str) -> str | None:
    parts = timestamp.split(" ")
    if len(parts) == 6 and parts[2].isdigit() and len(parts[2]) == 1:
        parts[2] = "0" + parts[2]
        return " ".join(parts)
    return None


@dataclass(frozen=True)
class _Mistake:
    name: str
    description: str
    flags: frozenset[str]
    applies: Callable[[_Inputs], bool] = lambda _inputs: True


_MISTAKES: tuple[_Mistake, ...] = (
    _Mistake(
        "u_unpadded", "u hashed from A and B as unpadded hex (no padHex)", frozenset({"u_unpadded"})
    ),
    _Mistake(
        "u_fixed_width",
        "u hashed from A and B padded to N's width (RFC 5054 PAD), not padHex",
        frozenset({"u_fixed"}),
    ),
    _Mistake("k_unpadded", "k = H(N | g) hashed as unpadded hex", frozenset({"k_unpadded"})),
    _Mistake("k_fixed_width", "k = H(N | PAD(g)) as RFC 5054 pads it", frozenset({"k_fixed"})),
    _Mistake("k_3", "k = 3 (SRP-6, not SRP-6a)", frozenset({"k_3"})),
    _Mistake(
        "salt_unpadded",
        "x hashed with the SALT as unpadded hex (no 00 before a set top bit)",
        frozenset({"salt_unpadded"}),
        lambda i: i.salt >= 0 and pad_hex(i.salt) != _unpadded(i.salt),
    ),
    _Mistake(
        "alias",
        "the sign-in name (alias) used instead of USER_ID_FOR_SRP, in x and the signature",
        frozenset({"x_alias", "sig_alias"}),
        lambda i: i.flow == "user" and _alias_differs(i),
    ),
    _Mistake(
        "alias_in_signature",
        "the sign-in name (alias) signed instead of USER_ID_FOR_SRP",
        frozenset({"sig_alias"}),
        lambda i: i.flow == "user" and _alias_differs(i),
    ),
    _Mistake(
        "alias_in_x",
        "x hashed over the sign-in name (alias) instead of USER_ID_FOR_SRP",
        frozenset({"x_alias"}),
        lambda i: i.flow == "user" and _alias_differs(i),
    ),
    _Mistake(
        "pool_id",
        "the whole pool id used instead of the pool name (the part after '_')",
        frozenset({"x_pool_id", "sig_pool_id"}),
        lambda i: i.realm_alt is not None,
    ),
    _Mistake(
        "username_for_device",
        "the user name used instead of the device key",
        frozenset({"x_alias", "sig_alias"}),
        lambda i: i.flow == "device" and _alias_differs(i),
    ),
    _Mistake(
        "device_keys_swapped",
        "device key and device group key swapped",
        frozenset({"swap_keys"}),
        lambda i: i.flow == "device",
    ),
    _Mistake(
        "hkdf_s_unpadded",
        "the key derived from S as unpadded hex (no padHex)",
        frozenset({"hkdf_s_unpadded"}),
    ),
    _Mistake(
        "hkdf_s_fixed_width",
        "the key derived from S padded to N's width (RFC 5054 PAD)",
        frozenset({"hkdf_s_fixed"}),
    ),
    _Mistake(
        "hkdf_u_unpadded",
        "the HKDF salt u as unpadded hex (no padHex)",
        frozenset({"hkdf_u_unpadded"}),
    ),
    _Mistake(
        "secret_block_as_text",
        "SECRET_BLOCK signed as its base64 text instead of the decoded bytes",
        frozenset({"block_text"}),
    ),
    _Mistake(
        "timestamp_zero_padded_day",
        "the signature made over the TIMESTAMP with a zero-padded day ('Sep 05'), not the one sent",
        frozenset({"ts_padded"}),
        lambda i: _zero_padded_day(i.timestamp) is not None,
    ),
    _Mistake(
        "timestamp_canonical",
        "the signature made over Cognito's form of the TIMESTAMP, but another form was sent",
        frozenset({"ts_canonical"}),
        lambda i: _canonical_timestamp(i.timestamp) not in (None, i.timestamp),
    ),
    _Mistake("signature_hex", "the signature encoded as hex, not base64", frozenset({"sig_hex"})),
    _Mistake(
        "signature_urlsafe",
        "the signature encoded as URL-safe base64",
        frozenset({"sig_urlsafe"}),
    ),
)


def _alias_differs(inputs: _Inputs) -> bool:
    return inputs.sign_in_name is not None and inputs.sign_in_name != inputs.user_id


def _canonical_timestamp(timestamp: str) -> str | None:
    when, _ = timestamp_problems(timestamp)
    return None if when is None else format_timestamp(when)


def _hkdf(ikm_hex: str, salt_hex: str) -> bytes:
    """derive_key over hex it is given as is: for the mistakes that pad S or u differently."""
    kdf = HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=bytes.fromhex(salt_hex), info=HKDF_INFO
    )
    return kdf.derive(bytes.fromhex(ikm_hex))


class _Chain:
    """Recomputes the client's values, optionally making given mistakes; caches A and each S."""

    def __init__(self, inputs: _Inputs) -> None:
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

    def values(self, flags: frozenset[str]) -> dict[str, Any]:
        """Every value the transcript's inputs determine, computed with the mistakes ``flags``."""
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
    def _k(flags: frozenset[str]) -> int:
        if "k_unpadded" in flags:
            return hex_hash_int(_unpadded(N) + _unpadded(G))
        if "k_fixed" in flags:
            return hex_hash_int(_fixed(N) + _fixed(G))
        return 3 if "k_3" in flags else K

    def _u(self, flags: frozenset[str]) -> int:
        big_a, big_b = self.inputs.big_a, self.inputs.big_b
        if "u_unpadded" in flags:
            return hex_hash_int(_unpadded(big_a) + _unpadded(big_b))
        if "u_fixed" in flags:
            return hex_hash_int(_fixed(big_a) + _fixed(big_b))
        return scrambling_parameter(big_a, big_b)

    def _names(self, flags: frozenset[str], where: str) -> tuple[str, str]:
        """(realm, user id) as hashed into x (``where="x"``) or signed (``"sig"``)."""
        i = self.inputs
        realm, user_id = (i.user_id, i.realm) if "swap_keys" in flags else (i.realm, i.user_id)
        if f"{where}_pool_id" in flags and i.realm_alt:
            realm = i.realm_alt
        if f"{where}_alias" in flags and i.sign_in_name:
            user_id = i.sign_in_name
        return realm, user_id

    def _x(self, flags: frozenset[str]) -> int | None:
        i = self.inputs
        if i.password is None:
            return i.x
        realm, user_id = self._names(flags, "x")
        if "salt_unpadded" not in flags:
            return private_key(i.salt, realm, user_id, i.password)
        inner = hash_hex(f"{realm}{user_id}:{i.password}".encode())
        return hex_hash_int(_unpadded(i.salt) + inner)

    @staticmethod
    def _key(flags: frozenset[str], premaster: int, u: int) -> bytes:
        if "hkdf_s_unpadded" in flags:
            s_hex = _unpadded(premaster)
        elif "hkdf_s_fixed" in flags:
            s_hex = _fixed(premaster)
        elif "hkdf_u_unpadded" not in flags:
            return derive_key(premaster, u)
        else:
            s_hex = pad_hex(premaster)
        return _hkdf(s_hex, _unpadded(u) if "hkdf_u_unpadded" in flags else pad_hex(u))

    def _message_parts(self, flags: frozenset[str]) -> tuple[str, str, bytes, str]:
        """(realm, user id, secret block, TIMESTAMP) as signed."""
        i = self.inputs
        realm, user_id = self._names(flags, "sig")
        block = i.block_text.encode() if "block_text" in flags else i.block
        stamp: str | None = i.timestamp
        if "ts_padded" in flags:
            stamp = _zero_padded_day(i.timestamp)
        elif "ts_canonical" in flags:
            stamp = _canonical_timestamp(i.timestamp)
        assert stamp is not None  # the mistakes that change it apply only when it exists
        return realm, user_id, block, stamp

    @staticmethod
    def _signature(
        flags: frozenset[str], key: bytes, parts: tuple[str, str, bytes, str], message: bytes
    ) -> str:
        if "sig_hex" not in flags and "sig_urlsafe" not in flags:
            return password_claim_signature(key, *parts)
        digest = hmac.new(key, message, hashlib.sha256).digest()
        if "sig_hex" in flags:
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


def _same(name: str, recorded: Any, value: Any) -> bool:
    if isinstance(value, bytes) and isinstance(recorded, bytes):
        return hmac.compare_digest(value, recorded)
    return bool(recorded == value)


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


def audit_transcript(
    data: Mapping[str, Any], *, password: str | None = None, small_a: str | None = None
) -> AuditReport:
    """Audit a transcript (the parsed JSON object). ``password``/``small_a`` fill in absent secrets.

    Raises InvalidInputError / ParameterTypeError naming the field when the
    transcript itself is unusable.
    """
    if not isinstance(data, Mapping):
        raise ParameterTypeError("transcript: expected a JSON object", fields=("transcript",))
    inputs = _read(data, password, small_a)
    inter = _section(data, "intermediates")
    unknown = sorted(set(inter) - set(_INTERMEDIATES))
    if unknown:
        raise InvalidInputError(
            f"intermediates: unknown keys {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(_INTERMEDIATES)}",
            fields=("intermediates",),
        )
    recorded: dict[str, Any] = {"A": inputs.big_a, "signature": inputs.signature}
    for name in ("A", "k", "u", "S"):
        if name in inter:
            recorded[name] = _hex(inter[name], f"intermediates.{name}")
    if inputs.x is not None and inputs.password is not None:
        recorded["x"] = inputs.x  # with the password, a logged x is checked, not used
    if (
        inputs.key is not None
        and inputs.a is not None
        and (inputs.password is not None or inputs.x is not None)
    ):
        recorded["key"] = inputs.key
    if "message" in inter:
        recorded["message"] = _hex_bytes(inter["message"], "intermediates.message")
    chain = _Chain(inputs)
    canonical = chain.values(frozenset())
    steps: list[Step] = []
    for name in ("A", "k", "u", "x", "S", "key"):
        if name == "k" and "k" not in recorded:
            continue  # a constant: shown only when the client logged its own
        steps.append(_value_step(name, inputs, recorded, canonical))
    _check_wire(inputs, data, steps)
    if "message" in recorded:
        steps.append(_value_step("message", inputs, recorded, canonical))
    steps.append(_value_step("signature", inputs, recorded, canonical))
    first = next((s.name for s in steps if s.status == DIFFERS), None)
    report = AuditReport(inputs.flow, steps, first, complete="signature" in canonical)
    for step in steps:
        if step.status == DIFFERS:
            report.causes.extend(_diagnose(chain, recorded, canonical, step.name, steps))
    return report


_WIRE_NAMES = {"A": "SRP_A", "signature": "PASSWORD_CLAIM_SIGNATURE"}
_VALUE_NAMES = {wire: name for name, wire in _WIRE_NAMES.items()}


def _value_step(
    name: str, inputs: _Inputs, recorded: Mapping[str, Any], canonical: Mapping[str, Any]
) -> Step:
    step = Step(_WIRE_NAMES.get(name, name), _FORMULAS[name], CANNOT, secret=name in _SECRET_STEPS)
    rec = recorded.get(name)
    if rec is not None:
        step.recorded = _show(name, rec)
    if name in canonical:
        step.recomputed = _show(name, canonical[name])
        if rec is None:
            step.status = NOT_LOGGED
        else:
            step.status = MATCH if _same(name, rec, canonical[name]) else DIFFERS
    elif name == "x" and inputs.x is not None:
        step.status, step.note = INPUT, "taken from the transcript (no password given)"
        step.recorded = _show(name, inputs.x)
    elif name == "key" and inputs.key is not None:
        step.status, step.note = INPUT, "the logged key (a or the password is not given)"
        step.recorded = _show(name, inputs.key)
    else:
        step.note = _why_missing(name)
    return step


def _why_missing(name: str) -> str:
    return {
        "A": "needs a",
        "x": "needs the password (or x)",
        "S": "needs a and the password (or x)",
        "key": "needs a and the password (or x), or a logged key",
    }.get(name, "needs the key: give a and the password, or log the key")


def _check_wire(inputs: _Inputs, data: Mapping[str, Any], steps: list[Step]) -> None:
    """TIMESTAMP format, USERNAME, DEVICE_KEY and the echoed SECRET_BLOCK."""
    responses = _section(data, "challenge_responses")
    challenge = _section(data, "challenge_parameters")
    when, problems = timestamp_problems(inputs.timestamp)
    stamp = Step("TIMESTAMP", "Www Mmm D HH:MM:SS UTC YYYY", MATCH, inputs.timestamp)
    stamp.recomputed = format_timestamp(when) if when is not None else None
    if problems:
        stamp.status, stamp.note = DIFFERS, "; ".join(problems)
    steps.append(stamp)
    if "USERNAME" in responses:
        sent = responses["USERNAME"]
        expected = inputs.user_id if inputs.flow == "user" else challenge.get("USERNAME", sent)
        row = Step(
            "USERNAME",
            "USER_ID_FOR_SRP" if inputs.flow == "user" else "challenge USERNAME",
            MATCH,
            _display(sent),
            _display(expected),
        )
        if sent != expected:
            row.status = WARN
            row.note = (
                "not USER_ID_FOR_SRP (the official clients answer with it; SECRET_HASH must "
                "then be over this name)"
            )
        steps.append(row)
    if inputs.flow == "device" and "DEVICE_KEY" in responses:
        row = Step(
            "DEVICE_KEY", "the device key", MATCH, _display(responses["DEVICE_KEY"]), inputs.user_id
        )
        if responses["DEVICE_KEY"] != inputs.user_id:
            row.status, row.note = DIFFERS, "not the device key the transcript names"
        steps.append(row)
    if "PASSWORD_CLAIM_SECRET_BLOCK" in responses:
        echoed = responses["PASSWORD_CLAIM_SECRET_BLOCK"]
        row = Step(
            "PASSWORD_CLAIM_SECRET_BLOCK",
            "SECRET_BLOCK",
            MATCH,
            _display(echoed),
            inputs.block_text,
        )
        if echoed != inputs.block_text:
            row.status = DIFFERS
            row.note = "not the SECRET_BLOCK received" + (
                " (re-encoded: same bytes, different text)"
                if _same_bytes(echoed, inputs.block)
                else ""
            )
        steps.append(row)


def _display(value: object) -> str:
    """A recorded value as text any output can carry: a lone surrogate (JSON allows it) escaped."""
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


def _same_bytes(text: object, block: bytes) -> bool:
    if not isinstance(text, str):
        return False
    try:
        return (
            base64.b64decode(text + "==", altchars=b"-_" if "-" in text or "_" in text else None)
            == block
        )
    except ValueError:
        return False


def _diagnose(
    chain: _Chain,
    recorded: Mapping[str, Any],
    canonical: Mapping[str, Any],
    step_name: str,
    steps: list[Step],
) -> list[Cause]:
    """The single known mistakes under which srpkit reproduces a diverging recorded value."""
    inputs = chain.inputs
    target = _VALUE_NAMES.get(step_name, step_name)
    if target == "TIMESTAMP":
        _, problems = timestamp_problems(inputs.timestamp)
        return [Cause(step_name, "timestamp_format", p, ["TIMESTAMP"]) for p in problems]
    if target not in recorded or target not in canonical:
        return []
    causes: list[Cause] = []
    for mistake in _MISTAKES:
        if not mistake.applies(inputs):
            continue
        values = chain.values(mistake.flags)
        if target in values and _same(target, recorded[target], values[target]):
            also = [
                _WIRE_NAMES.get(name, name)
                for name in recorded
                if name in values
                and _same(name, recorded[name], values[name])
                and not _same(name, recorded[name], canonical.get(name))
            ]
            causes.append(Cause(step_name, mistake.name, mistake.description, also))
    # A mistake that reproduces more of what was recorded is the likelier one.
    causes.sort(key=lambda c: -len(c.reproduces))
    if not causes:
        causes.append(
            Cause(step_name, "unknown", _NO_CAUSE.get(target, _NO_CAUSE[""]), [step_name])
        )
    return causes


_NO_CAUSE = {
    "A": "SRP_A was not made from this a (a different draw logged, or another attempt's SRP_A?)",
    "": "no single known mistake reproduces it: check that the password, a and the messages "
    "all come from this one attempt",
}
