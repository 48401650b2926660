"""The group constants against independent sources."""

from __future__ import annotations

import random

from pycognito import aws_srp

from srpkit._core.group import G, K, N


def is_probable_prime(n: int, rounds: int = 16) -> bool:
    """Miller-Rabin with fixed-seed random bases (independent of both backends)."""
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    rng = random.Random(1)
    for _ in range(rounds):
        x = pow(rng.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def test_prime_matches_pycognito() -> None:
    """N is the prime pycognito hard-codes (RFC 3526, 3072-bit MODP)."""
    assert int(aws_srp.N_HEX, 16) == N
    assert N.bit_length() == 3072


def test_prime_is_safe_prime() -> None:
    """N and (N - 1) / 2 are both prime, as RFC 3526 promises."""
    assert is_probable_prime(N)
    assert is_probable_prime((N - 1) // 2)


def test_prime_matches_rfc_3526_formula_structure() -> None:
    """N has the RFC's fixed top and bottom 64 bits of ones."""
    assert N >> (3072 - 64) == (1 << 64) - 1
    assert N & ((1 << 64) - 1) == (1 << 64) - 1


def test_multiplier_matches_pycognito() -> None:
    """k = H(pad(N) || pad(g)) equals pycognito's."""
    assert G == int(aws_srp.G_HEX, 16) == 2
    assert int(aws_srp.hex_hash("00" + aws_srp.N_HEX + "0" + aws_srp.G_HEX), 16) == K
