"""Reading what the server sends: challenge maps checked all at once, with bounded sizes."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import NamedTuple

from ._encoding import b64decode_field, int_from_hex_field
from ._errors import InvalidInputError, MissingParameterError, ParameterTypeError
from ._group import N
from ._timestamp import timestamp_text

__all__ = [
    "MAX_SALT_HEX",
    "MAX_SECRET_BLOCK",
    "MAX_SRP_B_HEX",
    "SRPChallenge",
    "check_small_a",
    "draw_small_a",
    "parse_srp_challenge",
    "timestamp_for",
]

# Caps bound the work a hostile or broken server can cause before any big
# arithmetic. Cognito sends B < N (at most 768 hex digits) and a 128-bit salt;
# twice N's width leaves room for leading zeros and B >= N, which the JS clients
# accept. SECRET_BLOCK is opaque; the cap is the API model's StringType maximum.
MAX_SRP_B_HEX = 1536
MAX_SALT_HEX = 1024
MAX_SECRET_BLOCK = 131072
_SMALL_A_BYTES = 128  # as amazon-cognito-identity-js: 128 random bytes


class SRPChallenge(NamedTuple):
    """The SRP values of a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER challenge, parsed."""

    salt: int
    big_b: int
    secret_block: bytes
    secret_block_b64: str


def parse_srp_challenge(
    challenge_parameters: object, *, also_required: tuple[str, ...] = ()
) -> tuple[SRPChallenge, dict[str, str]]:
    """Check and parse SALT, SRP_B and SECRET_BLOCK (and ``also_required``, returned as given).

    Every missing key is named in one error; extra keys are ignored, as Cognito
    adds parameters over time.
    """
    if not isinstance(challenge_parameters, Mapping):
        raise ParameterTypeError(
            "challenge_parameters: expected a mapping of str to str "
            f"(the ChallengeParameters of the response), got {type(challenge_parameters).__name__}",
            fields=("challenge_parameters",),
        )
    required = ("SALT", "SRP_B", "SECRET_BLOCK", *also_required)
    missing = [key for key in required if key not in challenge_parameters]
    if missing:
        raise MissingParameterError(
            "challenge parameters missing: " + ", ".join(missing), fields=missing
        )
    salt = int_from_hex_field(
        challenge_parameters["SALT"], "SALT", max_len=MAX_SALT_HEX, allow_negative=True
    )
    big_b = int_from_hex_field(challenge_parameters["SRP_B"], "SRP_B", max_len=MAX_SRP_B_HEX)
    block_b64 = challenge_parameters["SECRET_BLOCK"]
    block = b64decode_field(block_b64, "SECRET_BLOCK", max_len=MAX_SECRET_BLOCK)
    extras: dict[str, str] = {}
    for key in also_required:
        value = challenge_parameters[key]
        if not isinstance(value, str):
            raise ParameterTypeError(
                f"{key}: expected str, got {type(value).__name__}", fields=(key,)
            )
        extras[key] = value
    assert isinstance(block_b64, str)  # checked by b64decode_field
    return SRPChallenge(salt, big_b, block, block_b64), extras


def draw_small_a() -> int:
    """A fresh private ephemeral: 128 bytes from ``secrets`` (redrawn in the 2^-1024 case of 0)."""
    while True:
        a = int.from_bytes(secrets.token_bytes(_SMALL_A_BYTES), "big")
        if a:
            return a


def check_small_a(small_a: object, field: str = "small_a") -> int:
    """Check a caller-fixed private ephemeral (known-answer tests only): an int, 1 <= a < N."""
    if isinstance(small_a, bool) or not isinstance(small_a, int):
        raise ParameterTypeError(
            f"{field}: expected int, got {type(small_a).__name__}", fields=(field,)
        )
    if not 1 <= small_a < N:
        raise InvalidInputError(f"{field}: must satisfy 1 <= {field} < N", fields=(field,))
    return small_a


def timestamp_for(now: object) -> str:
    """The TIMESTAMP for ``now`` (an aware datetime), or for the current time when ``None``."""
    return timestamp_text(datetime.now(timezone.utc) if now is None else now, "now")
