"""Cognito's encodings: padded hex as the official clients hash it, strict parsing of what arrives."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from .errors import InvalidChallengeError, InvalidInputError, ParameterTypeError, SRPKitError

__all__ = [
    "b64decode_field",
    "b64encode",
    "hash_hex",
    "hex_hash_int",
    "int_from_hex_field",
    "java_hex",
    "pad_hex",
    "require_str",
    "utf8_field",
]

# Hex as Cognito sends it: case-insensitive, any number of leading zeros, an
# optional leading '-' (negative salts exist). No '0x', '_' or whitespace: int()
# would accept those, the JS clients would misparse them, Cognito never sends them.
_HEX_RE = re.compile(r"-?[0-9a-fA-F]+")
_B64_RE = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def pad_hex(value: int) -> str:
    """The even-length, minimal, big-endian two's-complement hex the official clients hash.

    A non-negative value whose top bit would be set gets a ``00`` byte in front
    (255 -> ``00ff``); a negative one is written in two's complement (-1 -> ``ff``,
    -129 -> ``ff7f``), exactly as amazon-cognito-identity-js's ``padHex`` does.
    """
    # ~value == -value - 1: the magnitude that must fit in 8*n - 1 bits.
    n = (value if value >= 0 else ~value).bit_length() // 8 + 1
    return value.to_bytes(n, "big", signed=True).hex()


def java_hex(value: int) -> str:
    """Hex as Cognito prints numbers (Java's ``BigInteger.toString(16)``): minimal, maybe ``-``.

    Never a redundant leading ``00``: a client that hashes SALT as the string it
    got (pycognito, warrant-lite) would then hash another byte string than one
    that reads it as a number (the official clients), and never sign in.
    """
    return format(value, "x")


def hash_hex(data: bytes) -> str:
    """SHA-256 of ``data`` as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


def hex_hash_int(hex_text: str) -> int:
    """SHA-256 of the bytes a (padded, even-length) hex string spells, as an integer."""
    return int(hashlib.sha256(bytes.fromhex(hex_text)).hexdigest(), 16)


def b64encode(data: bytes) -> str:
    """Standard base64 with padding, as text."""
    return base64.b64encode(data).decode("ascii")


def require_str(
    value: object,
    field: str,
    *,
    max_len: int,
    min_len: int = 1,
    error: type[SRPKitError] = InvalidInputError,
) -> str:
    """Check ``value`` is a ``str`` of ``min_len``..``max_len`` characters; return it."""
    if not isinstance(value, str):
        raise ParameterTypeError(
            f"{field}: expected str, got {type(value).__name__}", fields=(field,)
        )
    if len(value) < min_len:
        raise error(
            f"{field}: empty" if min_len == 1 else f"{field}: shorter than {min_len} characters",
            fields=(field,),
        )
    if len(value) > max_len:
        raise error(
            f"{field}: {len(value)} characters, more than the {max_len} allowed", fields=(field,)
        )
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8_field(value: str, field: str, *, error: type[SRPKitError] = InvalidInputError) -> bytes:
    """UTF-8 bytes of ``value``; a lone surrogate is a typed error, not a crash."""
    # Look before encoding: a caught UnicodeEncodeError would stay in the typed
    # error's __context__ (``from None`` only hides it) holding the whole value,
    # often a secret, in ``.object``.
    if not value.isascii() and _SURROGATE.search(value) is not None:
        raise error(f"{field}: not valid Unicode text (contains a lone surrogate)", fields=(field,))
    return value.encode("utf-8")


def int_from_hex_field(
    value: object,
    field: str,
    *,
    max_len: int,
    allow_negative: bool = False,
    error: type[SRPKitError] = InvalidChallengeError,
) -> int:
    """Parse hex with value semantics (case, leading zeros, optional ``-``), or raise naming ``field``."""
    text = require_str(value, field, max_len=max_len, error=error)
    if not _HEX_RE.fullmatch(text):
        raise error(f"{field}: not a hexadecimal number", fields=(field,))
    if text[0] == "-" and not allow_negative:
        raise error(f"{field}: negative values are not allowed here", fields=(field,))
    return int(text, 16)


def b64decode_field(
    value: object,
    field: str,
    *,
    max_len: int,
    error: type[SRPKitError] = InvalidChallengeError,
) -> bytes:
    """Decode strict standard base64 (alphabet and padding checked), or raise naming ``field``."""
    text = require_str(value, field, max_len=max_len, error=error)
    if not _B64_RE.fullmatch(text):
        raise error(f"{field}: not valid base64", fields=(field,))
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):  # pragma: no cover - the regex already ruled these out
        raise error(f"{field}: not valid base64", fields=(field,)) from None
