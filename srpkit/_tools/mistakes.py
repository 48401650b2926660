"""The client mistakes ``srpkit audit`` knows, and the diagnosis that names those reproducing a divergence.

A mistake is a set of deviations from Cognito's computation (unpadded hex, RFC
5054 fixed-width padding, the alias instead of USER_ID_FOR_SRP, the pool id
instead of its name, the secret block as text, a zero-padded day, ...). The
audit's chain recomputes the transcript with a mistake's deviations made; the
mistake is named when that reproduces what the client recorded.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .._core.backend import powmod_g
from .._core.encoding import b64encode, pad_hex
from .._core.errors import SRPKitError
from .._core.group import N_BYTES
from .._core.secret_hash import secret_hash
from .._core.srp import HKDF_INFO, KEY_BYTES
from .._core.timestamp import format_timestamp, timestamp_problems
from .transcript import Inputs, same_value

__all__ = [
    "MISTAKES",
    "Deviation",
    "Mistake",
    "canonical_timestamp",
    "clock_offset",
    "diagnose",
    "fixed_width_hex",
    "hkdf_of_hex",
    "unpadded_hex",
    "zero_padded_day",
]


class Deviation(str, enum.Enum):
    """One way a client's computation departs from Cognito's; the chain makes any set of them."""

    U_UNPADDED = "u_unpadded"  # u = H(A | B) over unpadded hex
    U_FIXED = "u_fixed"  # u = H(PAD(A) | PAD(B)), RFC 5054 widths
    K_UNPADDED = "k_unpadded"  # k = H(N | g) over unpadded hex
    K_FIXED = "k_fixed"  # k = H(N | PAD(g))
    K_3 = "k_3"  # SRP-6's k
    SALT_UNPADDED = "salt_unpadded"  # x hashed over the salt as unpadded hex
    SALT_ASCII = "salt_ascii"  # x hashed over the ASCII text of the SALT's hex
    X_ALIAS = "x_alias"  # x hashed over the sign-in name
    SIG_ALIAS = "sig_alias"  # the sign-in name signed
    X_POOL_ID = "x_pool_id"  # x hashed over the whole pool id
    SIG_POOL_ID = "sig_pool_id"  # the whole pool id signed
    SWAP_KEYS = "swap_keys"  # device key and device group key exchanged
    HKDF_S_UNPADDED = "hkdf_s_unpadded"  # the key derived from unpadded S
    HKDF_S_FIXED = "hkdf_s_fixed"  # the key derived from PAD(S)
    HKDF_U_UNPADDED = "hkdf_u_unpadded"  # HKDF's salt u unpadded
    BLOCK_TEXT = "block_text"  # SECRET_BLOCK signed as its base64 text
    TS_PADDED = "ts_padded"  # the TIMESTAMP signed with a zero-padded day
    TS_CANONICAL = "ts_canonical"  # Cognito's form of the TIMESTAMP signed, another sent
    SIG_HEX = "sig_hex"  # the signature as hex
    SIG_URLSAFE = "sig_urlsafe"  # the signature as URL-safe base64

    def __str__(self) -> str:
        return self.value


# ---------------------------------------------------------------- the wrong encodings


def unpadded_hex(value: int) -> str:
    """Minimal unsigned hex, even length: what clients without padHex hash."""
    text = format(value, "x")
    return "0" + text if len(text) % 2 else text


def fixed_width_hex(value: int) -> str:
    """RFC 5054 PAD(): big-endian, as wide as N."""
    return (value % (1 << (8 * N_BYTES))).to_bytes(N_BYTES, "big").hex()


def zero_padded_day(timestamp: str) -> str | None:
    """The TIMESTAMP with its one-digit day zero-padded ('Sep 05'), or None if it has none."""
    parts = timestamp.split(" ")
    if len(parts) == 6 and parts[2].isdigit() and len(parts[2]) == 1:
        parts[2] = "0" + parts[2]
        return " ".join(parts)
    return None


def canonical_timestamp(timestamp: str) -> str | None:
    """Cognito's form of the instant a TIMESTAMP most plausibly means, or None if it means none."""
    when, _ = timestamp_problems(timestamp)
    return None if when is None else format_timestamp(when)


def clock_offset(inputs: Inputs) -> float | None:
    """Seconds from ``sent_at`` to the instant TIMESTAMP names, when both are known."""
    when, _ = timestamp_problems(inputs.timestamp)
    if when is None or inputs.sent_at is None:
        return None
    return (when - inputs.sent_at).total_seconds()


def twelve_hours_off(offset: float | None) -> bool:
    """Whether a clock offset is a 12-hour clock's: 12 hours back, to within a minute of logging."""
    return offset is not None and abs(offset + 12 * 3600) <= 60


def hkdf_of_hex(ikm_hex: str, salt_hex: str) -> bytes:
    """derive_key over hex it is given as is: for the mistakes that pad S or u differently."""
    kdf = HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=bytes.fromhex(salt_hex), info=HKDF_INFO
    )
    return kdf.derive(bytes.fromhex(ikm_hex))


# ---------------------------------------------------------------- the catalogue


@dataclass(frozen=True)
class Mistake:
    """A named client mistake: the deviations it makes, and when it can matter for a transcript."""

    name: str
    description: str
    deviations: frozenset[Deviation]
    applies: Callable[[Inputs], bool] = lambda _inputs: True


def _alias_differs(inputs: Inputs) -> bool:
    return inputs.sign_in_name is not None and inputs.sign_in_name != inputs.user_id


def _mistake(
    name: str,
    description: str,
    *deviations: Deviation,
    applies: Callable[[Inputs], bool] = lambda _inputs: True,
) -> Mistake:
    return Mistake(name, description, frozenset(deviations), applies)


MISTAKES: tuple[Mistake, ...] = (
    _mistake(
        "u_unpadded", "u hashed from A and B as unpadded hex (no padHex)", Deviation.U_UNPADDED
    ),
    _mistake(
        "u_fixed_width",
        "u hashed from A and B padded to N's width (RFC 5054 PAD), not padHex",
        Deviation.U_FIXED,
    ),
    _mistake("k_unpadded", "k = H(N | g) hashed as unpadded hex", Deviation.K_UNPADDED),
    _mistake("k_fixed_width", "k = H(N | PAD(g)) as RFC 5054 pads it", Deviation.K_FIXED),
    _mistake("k_3", "k = 3 (SRP-6, not SRP-6a)", Deviation.K_3),
    _mistake(
        "salt_unpadded",
        "x hashed with the SALT as unpadded hex (no 00 before a set top bit)",
        Deviation.SALT_UNPADDED,
        applies=lambda i: i.salt >= 0 and pad_hex(i.salt) != unpadded_hex(i.salt),
    ),
    _mistake(
        "salt_as_ascii_hex",
        "x hashed over the ASCII text of the SALT's hex, not the bytes it spells",
        Deviation.SALT_ASCII,
    ),
    _mistake(
        "alias",
        "the sign-in name (alias) used instead of USER_ID_FOR_SRP, in x and the signature",
        Deviation.X_ALIAS,
        Deviation.SIG_ALIAS,
        applies=lambda i: i.flow == "user" and _alias_differs(i),
    ),
    _mistake(
        "alias_in_signature",
        "the sign-in name (alias) signed instead of USER_ID_FOR_SRP",
        Deviation.SIG_ALIAS,
        applies=lambda i: i.flow == "user" and _alias_differs(i),
    ),
    _mistake(
        "alias_in_x",
        "x hashed over the sign-in name (alias) instead of USER_ID_FOR_SRP",
        Deviation.X_ALIAS,
        applies=lambda i: i.flow == "user" and _alias_differs(i),
    ),
    _mistake(
        "pool_id",
        "the whole pool id used instead of the pool name (the part after '_')",
        Deviation.X_POOL_ID,
        Deviation.SIG_POOL_ID,
        applies=lambda i: i.realm_alt is not None,
    ),
    _mistake(
        "username_for_device",
        "the user name used instead of the device key",
        Deviation.X_ALIAS,
        Deviation.SIG_ALIAS,
        applies=lambda i: i.flow == "device" and _alias_differs(i),
    ),
    _mistake(
        "device_keys_swapped",
        "device key and device group key swapped",
        Deviation.SWAP_KEYS,
        applies=lambda i: i.flow == "device",
    ),
    _mistake(
        "hkdf_s_unpadded",
        "the key derived from S as unpadded hex (no padHex)",
        Deviation.HKDF_S_UNPADDED,
    ),
    _mistake(
        "hkdf_s_fixed_width",
        "the key derived from S padded to N's width (RFC 5054 PAD)",
        Deviation.HKDF_S_FIXED,
    ),
    _mistake(
        "hkdf_u_unpadded", "the HKDF salt u as unpadded hex (no padHex)", Deviation.HKDF_U_UNPADDED
    ),
    _mistake(
        "secret_block_as_text",
        "SECRET_BLOCK signed as its base64 text instead of the decoded bytes",
        Deviation.BLOCK_TEXT,
    ),
    _mistake(
        "timestamp_zero_padded_day",
        "the signature made over the TIMESTAMP with a zero-padded day ('Sep 05'), not the one sent",
        Deviation.TS_PADDED,
        applies=lambda i: zero_padded_day(i.timestamp) is not None,
    ),
    _mistake(
        "timestamp_canonical",
        "the signature made over Cognito's form of the TIMESTAMP, but another form was sent",
        Deviation.TS_CANONICAL,
        applies=lambda i: canonical_timestamp(i.timestamp) not in (None, i.timestamp),
    ),
    _mistake("signature_hex", "the signature encoded as hex, not base64", Deviation.SIG_HEX),
    _mistake(
        "signature_urlsafe", "the signature encoded as URL-safe base64", Deviation.SIG_URLSAFE
    ),
)

_NO_CAUSE = {
    "A": "SRP_A was not made from this a (a different draw logged, or another attempt's SRP_A?)",
    "": "no single known mistake reproduces it: check that the password, a and the messages "
    "all come from this one attempt",
}


# ---------------------------------------------------------------- the diagnosis


def diagnose(
    inputs: Inputs,
    recompute: Callable[[frozenset[Deviation]], Mapping[str, Any]],
    recorded: Mapping[str, Any],
    canonical: Mapping[str, Any],
    target: str,
) -> list[tuple[Mistake, list[str]]]:
    """The mistakes explaining the diverging value ``target``, each with the recorded values it reproduces.

    ``recompute`` gives every value under a set of deviations, ``canonical`` the
    values without any. Values are named as the chain names them (``A``,
    ``signature``, ``TIMESTAMP``...); likelier mistakes (reproducing more) come first.
    A value no mistake reproduces gets one entry, named ``unknown``.
    """
    if target == "TIMESTAMP":
        return _timestamp_causes(inputs)
    if target == "SECRET_HASH":
        return _secret_hash_causes(inputs)
    if target == FRESH_A:
        return [(_REUSED_A, [FRESH_A])]
    if target == "PasswordVerifier":
        return _verifier_causes(inputs)
    if target not in recorded or target not in canonical:
        return []
    causes: list[tuple[Mistake, list[str]]] = []
    for mistake in MISTAKES:
        if not mistake.applies(inputs):
            continue
        values = recompute(mistake.deviations)
        if target in values and same_value(recorded[target], values[target]):
            also = [
                name
                for name in recorded
                if name in values
                and same_value(recorded[name], values[name])
                and not same_value(recorded[name], canonical.get(name))
            ]
            causes.append((mistake, also))
    # A mistake that reproduces more of what was recorded is the likelier one.
    causes.sort(key=lambda c: -len(c[1]))
    if not causes:
        causes.append((_mistake("unknown", _NO_CAUSE.get(target, _NO_CAUSE[""])), [target]))
    return causes


# ---------------------------------------------------------------- the wire's own mistakes

# The audit row that compares the device step's SRP_A with the user step's.
FRESH_A = "device a"
_REUSED_A = _mistake(
    "device_reuses_user_a",
    "the device step reuses the user step's a (its SRP_A is the user step's): each step "
    "must draw a fresh a",
)
_HOUR_RE = re.compile(r" (\d{1,2}):\d\d:\d\d ")
# timestamp_problems' findings that have a name of their own, by how they begin.
_NAMED_PROBLEMS = (
    ("day is zero-padded", "timestamp_zero_padded_day"),
    ("hour is not zero-padded", "timestamp_hour_unpadded"),
)


def _timestamp_causes(inputs: Inputs) -> list[tuple[Mistake, list[str]]]:
    """Not recomputed: the ways the text is off (and its distance from ``sent_at``) are the causes."""
    causes: list[tuple[Mistake, list[str]]] = []
    hour = _HOUR_RE.search(inputs.timestamp)
    if hour is not None and hour.group(1) == "24":
        causes.append(
            (
                _mistake(
                    "timestamp_hour_24",
                    "the hour is 24: a 1-24 clock (Java's 'kk'); Cognito's clients write 00",
                ),
                ["TIMESTAMP"],
            )
        )
    _, problems = timestamp_problems(inputs.timestamp)
    for problem in problems:
        if causes and problem == "not a real date and time":
            continue  # the hour 24 says why
        name = next((n for p, n in _NAMED_PROBLEMS if problem.startswith(p)), "timestamp_format")
        causes.append((_mistake(name, problem), ["TIMESTAMP"]))
    if twelve_hours_off(clock_offset(inputs)):
        causes.append(
            (
                _mistake(
                    "timestamp_12_hour_clock",
                    "TIMESTAMP is 12 hours before sent_at: a 12-hour clock (Go's layout '03' "
                    "or '3' where '15' is due, strftime's %I) wrote the afternoon hour",
                ),
                ["TIMESTAMP"],
            )
        )
    return causes


def _secret_hash_causes(inputs: Inputs) -> list[tuple[Mistake, list[str]]]:
    """SECRET_HASH made over the alias while the USERNAME sent is USER_ID_FOR_SRP."""
    sent, alias = inputs.secret_hash, inputs.sign_in_name
    if None in (sent, alias, inputs.client_id, inputs.client_secret) or alias == inputs.user_id:
        return []
    assert sent is not None and alias is not None  # for mypy: checked just above
    assert inputs.client_id is not None and inputs.client_secret is not None
    try:
        over_alias = secret_hash(alias, inputs.client_id, inputs.client_secret)
    except SRPKitError:
        return []
    if not hmac.compare_digest(over_alias.encode(), sent.encode()):
        return []
    return [
        (
            _mistake(
                "secret_hash_alias",
                "SECRET_HASH made over the sign-in name (alias) while USERNAME is "
                "USER_ID_FOR_SRP: it must be over the USERNAME sent",
            ),
            ["SECRET_HASH"],
        )
    ]


def _verifier_causes(inputs: Inputs) -> list[tuple[Mistake, list[str]]]:
    """A ConfirmDevice verifier whose x hashed the Salt's raw bytes instead of padHex of them."""
    if inputs.verifier_config is None or inputs.password is None:
        return []
    sent, salt = inputs.verifier_config
    inner = hashlib.sha256(f"{inputs.realm}{inputs.user_id}:{inputs.password}".encode()).digest()
    x = int.from_bytes(hashlib.sha256(salt + inner).digest(), "big")
    if (
        pad_hex(int.from_bytes(salt, "big")) == salt.hex()
        or b64encode(bytes.fromhex(pad_hex(powmod_g(x)))) != sent
    ):
        return []
    return [
        (
            _mistake(
                "verifier_salt_raw_bytes",
                "the verifier's x hashed the Salt's raw bytes, not padHex of them (they differ "
                "for a leading zero byte or a set top bit); Cognito's SALT hashes as padHex",
            ),
            ["PasswordVerifier"],
        )
    ]
