"""The exception hierarchy: one base, never raised directly.

Messages name the field and the problem and never carry a secret's value: the
values that fail validation are often passwords, client secrets or ephemerals.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

__all__ = [
    "BackendUnavailableError",
    "InvalidChallengeError",
    "InvalidInputError",
    "MissingDependencyError",
    "MissingParameterError",
    "ParameterTypeError",
    "SRPKitError",
    "VerificationError",
    "VerificationReason",
]


class SRPKitError(Exception):
    """Base of every error srpkit raises on purpose; never raised itself.

    ``fields`` names the inputs the error is about (may be empty).
    """

    def __init__(self, message: str, *, fields: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.fields: tuple[str, ...] = tuple(fields)


class InvalidInputError(SRPKitError, ValueError):
    """An argument a caller passed has a bad value (malformed, out of range, too long)."""


class ParameterTypeError(SRPKitError, TypeError):
    """An argument or challenge value has the wrong type."""


class InvalidChallengeError(SRPKitError, ValueError):
    """What the server sent cannot be answered safely (malformed, or unsafe like B = 0 mod N)."""


class MissingParameterError(InvalidChallengeError):
    """Required challenge parameters are absent; ``fields`` lists all of them."""


class BackendUnavailableError(SRPKitError, RuntimeError):
    """The arithmetic backend that was asked for cannot be used on this machine."""


class MissingDependencyError(SRPKitError, ImportError):
    """An optional package a feature needs is not installed (the message names the extra to install)."""


class VerificationReason(str, enum.Enum):
    """Which server-side check a client's message failed: a closed set, str-valued for JSON and logs."""

    SRP_A = "srp_a"  # unsafe or malformed SRP_A (0 mod N, oversized)
    MALFORMED = "malformed"  # a parameter map or value of the wrong shape
    USERNAME = "username"  # USERNAME is not this user
    DEVICE_KEY = "device_key"  # DEVICE_KEY is not this device
    SECRET_BLOCK = "secret_block"  # noqa: S105 - not the SECRET_BLOCK this sign-in issued
    TIMESTAMP_FORMAT = "timestamp_format"  # TIMESTAMP is not exactly Cognito's form
    TIMESTAMP_SKEW = "timestamp_skew"  # TIMESTAMP too far from the server's clock
    SECRET_HASH = "secret_hash"  # noqa: S105 - missing or wrong SECRET_HASH
    SIGNATURE = "signature"  # PASSWORD_CLAIM_SIGNATURE does not verify
    REPLAY = "replay"  # a second challenge or a second answer in one sign-in
    NO_CHALLENGE = "no_challenge"  # an answer before any challenge was issued

    def __str__(self) -> str:
        return self.value


class VerificationError(SRPKitError):
    """A client's message failed the server's checks (Cognito would answer NotAuthorizedException).

    ``reason`` (a ``VerificationReason``, equal to its string value) names the
    check that failed; ``absent`` is true when the fields named were missing
    rather than wrong. The message never contains a secret.
    """

    def __init__(
        self,
        message: str,
        *,
        reason: VerificationReason,
        fields: Iterable[str] = (),
        absent: bool = False,
    ) -> None:
        super().__init__(message, fields=fields)
        self.reason = VerificationReason(reason)
        self.absent = absent
