"""Reading what the server sends: challenge maps checked all at once, with bounded sizes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import NamedTuple

from .._core.caps import MAX_SALT_HEX, MAX_SECRET_BLOCK, MAX_SRP_B_HEX
from .._core.encoding import b64decode_field, int_from_hex_field
from .._core.errors import MissingParameterError, ParameterTypeError
from .._core.timestamp import timestamp_text

__all__ = [
    "SRPChallenge",
    "parse_srp_challenge",
    "timestamp_for",
]


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


def timestamp_for(now: object) -> str:
    """The TIMESTAMP for ``now`` (an aware datetime), or for the current time when ``None``."""
    return timestamp_text(datetime.now(timezone.utc) if now is None else now, "now")
