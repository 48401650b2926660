"""SRP_A read from hex: the one reader the server and the device step share."""

from __future__ import annotations

import pytest

from srpkit import InvalidChallengeError, InvalidInputError, ParameterTypeError
from srpkit._core.caps import MAX_SRP_A_BITS, MAX_SRP_A_HEX
from srpkit._core.group import N
from srpkit._core.srp import read_public_ephemeral


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2", 2),
        ("00ff", 0xFF),
        ("FF", 0xFF),
        (format(N + 5, "x"), N + 5),
        (format(N - 1, "x"), N - 1),
    ],
    ids=["small", "leading-zeros", "upper-case", "A+N", "N-1"],
)
def test_valid_hex_reads_as_its_value(text: str, value: int) -> None:
    """Any spelling of a number below the caps and not 0 mod N is its value, unreduced."""
    assert read_public_ephemeral(text) == value


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("0", "SRP_A: is 0 modulo N"),
        (format(N, "x"), "SRP_A: is 0 modulo N"),
        (format(3 * N, "x"), "SRP_A: is 0 modulo N"),
        (format(1 << MAX_SRP_A_BITS, "x"), f"SRP_A: larger than 2\\^{MAX_SRP_A_BITS}"),
        ("1" * (MAX_SRP_A_HEX + 1), f"SRP_A: .*more than the {MAX_SRP_A_HEX} allowed"),
        ("xyz", "SRP_A: not a hexadecimal number"),
        ("-5", "SRP_A: negative"),
    ],
    ids=["zero", "N", "3N", "past-bit-cap", "past-length-cap", "not-hex", "negative"],
)
def test_unusable_values_are_refused_by_name(text: str, match: str) -> None:
    """0 mod N, oversized and malformed SRP_A are each an InvalidInputError naming the field."""
    with pytest.raises(InvalidInputError, match=match) as caught:
        read_public_ephemeral(text)
    assert caught.value.fields == ("SRP_A",)


def test_the_caller_names_the_field_and_the_error_type() -> None:
    """A caller's field name and error class are the ones raised (user_srp_a, a challenge error)."""
    with pytest.raises(InvalidChallengeError, match="user_srp_a: is 0 modulo N") as caught:
        read_public_ephemeral("0", "user_srp_a", error=InvalidChallengeError)
    assert caught.value.fields == ("user_srp_a",)


def test_a_non_string_is_a_type_error() -> None:
    """An int where hex text belongs is a ParameterTypeError, not parsed."""
    with pytest.raises(ParameterTypeError, match="SRP_A"):
        read_public_ephemeral(5)
