"""srpkit._core.totp against RFC 6238 Appendix B's published vectors and against pyotp."""

from __future__ import annotations

import base64

import pyotp
import pytest

from srpkit._core.errors import InvalidInputError
from srpkit._core.totp import (
    STEP_SECONDS,
    matching_step,
    new_secret,
    secret_bytes,
    time_step,
    totp,
)

# RFC 6238 Appendix B: the seeds are ASCII "1234567890" repeated to the hash's key size.
_SEEDS = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
_APPENDIX_B = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize(("now", "sha1", "sha256", "sha512"), _APPENDIX_B)
def test_rfc6238_appendix_b(now: int, sha1: str, sha256: str, sha512: str) -> None:
    """Every 8-digit code of RFC 6238's table comes out for each hash and time."""
    for algorithm, expected in (("sha1", sha1), ("sha256", sha256), ("sha512", sha512)):
        assert totp(_SEEDS[algorithm], now, digits=8, algorithm=algorithm) == expected


def test_agrees_with_pyotp_on_fresh_secrets() -> None:
    """Six-digit codes for new secrets match pyotp's (another implementation) at many times."""
    for _ in range(20):
        secret = new_secret()
        reference = pyotp.TOTP(secret)
        for now in (0, 29, 30, 1_700_000_000, 1_700_000_015, 4_102_444_800):
            assert totp(secret, now) == reference.at(now)


def test_new_secret_is_160_bit_base32() -> None:
    """A new secret decodes to 20 random bytes, and two are never equal."""
    first, second = new_secret(), new_secret()
    assert len(secret_bytes(first)) == 20 and first != second
    assert base64.b32encode(secret_bytes(first)).decode().rstrip("=") == first


def test_matching_step_accepts_one_step_either_side_only() -> None:
    """The codes of the previous, current and next step match; two steps away does not."""
    secret, now = new_secret(), 1_700_000_010.0
    current = time_step(now)
    for offset in (-1, 0, 1):
        code = totp(secret, now + offset * STEP_SECONDS)
        assert matching_step(secret, code, now) == current + offset
    for offset in (-2, 2):
        assert matching_step(secret, totp(secret, now + offset * STEP_SECONDS), now) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12345a", "١٢٣٤٥٦", None, 123456])
def test_malformed_codes_never_match(code: object) -> None:
    """A code that is not six ASCII digits (or not a string) is no match, not an error."""
    assert matching_step(new_secret(), code, 1_700_000_000.0) is None


def test_bad_secret_is_named_not_echoed() -> None:
    """A secret that is not base32 is InvalidInputError naming the field, without its value."""
    with pytest.raises(InvalidInputError) as caught:
        secret_bytes("not base32 !!")
    assert caught.value.fields == ("secret",) and "!!" not in str(caught.value)
