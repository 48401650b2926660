"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), as authenticator apps compute them.

Cognito's software-token MFA is TOTP with HMAC-SHA1, six digits and 30-second
steps, its secret handed out as unpadded base32 (AssociateSoftwareToken's
SecretCode). Randomness comes only from ``secrets``; codes are compared in
constant time, and the secret never appears in an error message.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Callable

from .errors import InvalidInputError

__all__ = [
    "STEP_SECONDS",
    "hotp",
    "matching_step",
    "new_secret",
    "secret_bytes",
    "time_step",
    "totp",
]

STEP_SECONDS = 30  # RFC 6238 section 5.2's recommended X, and every authenticator app's
_DIGITS = 6
# RFC 4226 section 4 asks for at least 128 bits and recommends 160: an HMAC-SHA1 key's size.
_SECRET_BYTES = 20
_HASHES: dict[str, Callable[..., object]] = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha512": hashlib.sha512,
}
_MAX_SECRET_CHARS = 1024


def new_secret() -> str:
    """A fresh 160-bit secret as unpadded base32 text (what AssociateSoftwareToken returns)."""
    return base64.b32encode(secrets.token_bytes(_SECRET_BYTES)).decode("ascii").rstrip("=")


def secret_bytes(secret: str) -> bytes:
    """The key behind base32 text (any case, padding optional); InvalidInputError otherwise."""
    if not isinstance(secret, str) or not 1 <= len(secret) <= _MAX_SECRET_CHARS:
        raise InvalidInputError("secret: must be base32 text", fields=("secret",))
    text = secret.upper()
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        raise InvalidInputError("secret: must be base32 text", fields=("secret",)) from None


def hotp(key: bytes, counter: int, *, digits: int = _DIGITS, algorithm: str = "sha1") -> str:
    """RFC 4226 HOTP: the ``digits``-digit code for ``counter`` (dynamic truncation, section 5.3)."""
    if algorithm not in _HASHES:
        raise InvalidInputError("algorithm: sha1, sha256 or sha512", fields=("algorithm",))
    if not 0 <= counter < 1 << 64 or not 6 <= digits <= 10:
        raise InvalidInputError("counter or digits out of range", fields=("counter", "digits"))
    mac = hmac.new(key, counter.to_bytes(8, "big"), algorithm).digest()
    offset = mac[-1] & 0x0F
    value = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def time_step(now: float) -> int:
    """T = floor((now - T0) / X) with T0 = 0 (RFC 6238 section 4.2)."""
    return int(now // STEP_SECONDS)


def totp(secret: str | bytes, now: float, *, digits: int = _DIGITS, algorithm: str = "sha1") -> str:
    """The code an authenticator app shows at Unix time ``now`` for ``secret`` (base32 or raw key)."""
    key = secret if isinstance(secret, bytes) else secret_bytes(secret)
    return hotp(key, time_step(now), digits=digits, algorithm=algorithm)


def matching_step(secret: str, code: object, now: float, *, window: int = 1) -> int | None:
    """The time step whose code ``code`` is, within ``window`` steps either side of now; else None.

    Every candidate is compared (in constant time), so the answer's timing does
    not tell which step matched; a code that is not six ASCII digits never matches.
    """
    key = secret_bytes(secret)
    given = code.encode("ascii", "replace") if isinstance(code, str) else b""
    well_formed = len(given) == _DIGITS and given.isdigit()
    current = time_step(now)
    found = None
    for step in range(current - window, current + window + 1):
        if step >= 0 and hmac.compare_digest(given, hotp(key, step).encode("ascii")):
            found = step
    return found if well_formed else None
