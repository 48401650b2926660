"""The private ephemerals a and b: drawn here, from ``secrets``, or fixed by a caller and checked."""

from __future__ import annotations

import secrets

from .caps import MAX_SMALL_A_BITS
from .errors import InvalidInputError, ParameterTypeError

__all__ = ["SMALL_A_BYTES", "check_small_a", "draw_small_a"]

SMALL_A_BYTES = 128  # as amazon-cognito-identity-js: 128 random bytes


def draw_small_a() -> int:
    """A fresh private ephemeral: 128 bytes from ``secrets`` (redrawn in the 2^-1024 case of 0)."""
    while True:
        a = int.from_bytes(secrets.token_bytes(SMALL_A_BYTES), "big")
        if a:
            return a


def check_small_a(small_a: object, field: str = "small_a") -> int:
    """Check a caller-fixed private ephemeral (known-answer tests only): an int, 1 <= a < 2^cap.

    Not required below N: the official clients and the .NET SDK use a as given,
    never reduced (A = g^a mod N, S = (B - k*g^x)^(a + u*x) mod N), and an a >= N
    gives what they give. The cap (``caps.MAX_SMALL_A_BITS``) only bounds work.
    """
    if isinstance(small_a, bool) or not isinstance(small_a, int):
        raise ParameterTypeError(
            f"{field}: expected int, got {type(small_a).__name__}", fields=(field,)
        )
    if small_a < 1:
        raise InvalidInputError(f"{field}: must be at least 1", fields=(field,))
    if small_a.bit_length() > MAX_SMALL_A_BITS:
        raise InvalidInputError(
            f"{field}: longer than {MAX_SMALL_A_BITS} bits (a cap that bounds work)",
            fields=(field,),
        )
    return small_a
