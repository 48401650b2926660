"""padHex, hex and base64 parsing as Cognito's official clients apply them."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srpkit import InvalidChallengeError, ParameterTypeError, pad_hex
from srpkit._core.encoding import b64decode_field, int_from_hex_field


def js_pad_hex(value: int) -> str:
    """amazon-cognito-identity-js's padHex, step by step (nibble inversion for negatives)."""
    negative = value < 0
    text = format(abs(value), "x")
    if len(text) % 2:
        text = "0" + text
    if text[0] in "89abcdef":
        text = "00" + text
    if negative:
        inverted = "".join("0123456789ABCDEF"[~int(c, 16) & 0xF] for c in text)
        text = format(int(inverted, 16) + 1, "x")
        if text.upper().startswith("FF8"):
            text = text[2:]
    return text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "00"),
        (1, "01"),
        (0x7F, "7f"),
        (0x80, "0080"),
        (0xFF, "00ff"),
        (0x100, "0100"),
        (0xABC, "0abc"),
        (0x8ABC, "008abc"),
        (-1, "ff"),
        (-127, "81"),
        (-128, "80"),
        (-129, "ff7f"),
        (-256, "ff00"),
        (-32768, "8000"),
        (-32769, "ff7fff"),
    ],
)
def test_pad_hex_examples(value: int, expected: str) -> None:
    """pad_hex gives the minimal even-length two's-complement form for each padding class."""
    assert pad_hex(value) == expected


@given(st.integers(min_value=-(1 << 3100), max_value=1 << 3100))
def test_pad_hex_matches_js_algorithm(value: int) -> None:
    """pad_hex equals the JS client's string algorithm on any integer, negative included."""
    assert pad_hex(value) == js_pad_hex(value)


@given(st.integers(min_value=-(1 << 3100), max_value=1 << 3100))
def test_pad_hex_round_trips_as_twos_complement(value: int) -> None:
    """The bytes pad_hex spells decode back to the value as signed big-endian."""
    assert int.from_bytes(bytes.fromhex(pad_hex(value)), "big", signed=True) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("ff", 255), ("FF", 255), ("00000ff", 255), ("-6f3a", -0x6F3A), ("0", 0), ("-0", 0)],
)
def test_hex_parsing_has_value_semantics(text: str, value: int) -> None:
    """Upper case, leading zeros and a leading '-' parse to the value they spell."""
    assert int_from_hex_field(text, "SALT", max_len=64, allow_negative=True) == value


@pytest.mark.parametrize("text", ["", "0x12", "12 ", " 12", "1_2", "+12", "12-", "--1", "g", "١٢"])
def test_malformed_hex_is_a_typed_error_naming_the_field(text: str) -> None:
    """Anything but plain hex digits (with one optional leading '-') is rejected, naming the field."""
    with pytest.raises(InvalidChallengeError, match="SRP_B") as info:
        int_from_hex_field(text, "SRP_B", max_len=64, allow_negative=True)
    assert info.value.fields == ("SRP_B",)


def test_negative_hex_rejected_where_not_allowed() -> None:
    """A negative SRP_B is refused: only the salt may arrive negative."""
    with pytest.raises(InvalidChallengeError, match="negative"):
        int_from_hex_field("-12", "SRP_B", max_len=64)


def test_oversize_hex_rejected_before_parsing() -> None:
    """A value longer than the cap is refused by length."""
    with pytest.raises(InvalidChallengeError, match="more than the 8 allowed"):
        int_from_hex_field("1" * 9, "SRP_B", max_len=8)


@pytest.mark.parametrize("value", [None, 12, b"ff", ["ff"]])
def test_non_string_hex_is_a_type_error(value: object) -> None:
    """A non-str value is a ParameterTypeError naming the field and the type."""
    with pytest.raises(ParameterTypeError, match="SALT: expected str"):
        int_from_hex_field(value, "SALT", max_len=64)


@given(st.binary(min_size=1, max_size=200))
def test_base64_accepts_standard_padded(data: bytes) -> None:
    """Standard padded base64 decodes to its bytes."""
    assert b64decode_field(base64.b64encode(data).decode(), "SECRET_BLOCK", max_len=999) == data


@pytest.mark.parametrize("text", ["", "abc", "ab=c", "a b=", "ab-_", "YQ", "YQ=", "YQ===", "=YQ="])
def test_malformed_base64_rejected(text: str) -> None:
    """Missing padding, URL-safe letters, spaces and stray '=' are all rejected."""
    with pytest.raises(InvalidChallengeError, match="SECRET_BLOCK"):
        b64decode_field(text, "SECRET_BLOCK", max_len=999)
