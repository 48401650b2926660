"""The private ephemeral's checks: any int a >= 1 up to the work cap, nothing else."""

from __future__ import annotations

import pytest

from srpkit import InvalidInputError, ParameterTypeError
from srpkit._core.caps import MAX_SMALL_A_BITS
from srpkit._core.ephemeral import SMALL_A_BYTES, check_small_a, draw_small_a
from srpkit._core.group import N


@pytest.mark.parametrize(
    "a",
    [1, N - 1, N, N + 1, 2 * N, (1 << MAX_SMALL_A_BITS) - 1],
    ids=["1", "N-1", "N", "N+1", "2N", "cap"],
)
def test_any_a_from_one_to_the_cap_is_accepted(a: int) -> None:
    """a >= N is a valid exponent (the official clients never reduce it): it is returned as given."""
    assert check_small_a(a) == a


@pytest.mark.parametrize(
    ("a", "match"),
    [
        (0, "small_a: must be at least 1"),
        (-5, "must be at least 1"),
        (1 << MAX_SMALL_A_BITS, f"longer than {MAX_SMALL_A_BITS} bits"),
    ],
    ids=["zero", "negative", "past-cap"],
)
def test_out_of_range_a_is_refused_by_name(a: int, match: str) -> None:
    """0, a negative a and one past the cap are InvalidInputErrors naming the field."""
    with pytest.raises(InvalidInputError, match=match) as info:
        check_small_a(a)
    assert info.value.fields == ("small_a",)


@pytest.mark.parametrize("a", [True, 1.0, "1", None])
def test_a_must_be_an_int(a: object) -> None:
    """A bool, float, str or None is a ParameterTypeError, under the field name given."""
    with pytest.raises(ParameterTypeError, match="small_b: expected int") as info:
        check_small_a(a, "small_b")
    assert info.value.fields == ("small_b",)


def test_draw_is_still_128_bytes() -> None:
    """The draw for real sign-ins is unchanged: 128 random bytes, never 0."""
    draws = {draw_small_a() for _ in range(8)}
    assert len(draws) == 8
    assert all(0 < a < 1 << (8 * SMALL_A_BYTES) for a in draws)
