"""The exception hierarchy: one base, never raised directly.

Messages name the field and the problem and never carry a secret's value: the
values that fail validation are often passwords, client secrets or ephemerals.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "BackendUnavailableError",
    "InvalidChallengeError",
    "InvalidInputError",
    "MissingParameterError",
    "ParameterTypeError",
    "SRPKitError",
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
