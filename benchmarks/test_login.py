"""Login computation (USER_SRP_AUTH + PASSWORD_VERIFIER) and the three exponentiations it is made of."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from srpkit._core.group import N
from srpkit._tools import bench as _bench


@pytest.mark.parametrize(
    "workload", _bench.workloads(groups=(_bench.LOGIN,)), ids=_bench.workload_id
)
def test_login(run_workload: Callable[[_bench.Workload], None], workload: _bench.Workload) -> None:
    """new UserSRP, auth_parameters, process_challenge; pycognito's AWSSRP doing the same."""
    run_workload(workload)


@pytest.mark.parametrize(
    "workload", _bench.workloads(groups=(_bench.POW_S,)), ids=_bench.workload_id
)
def test_variable_base_s(
    run_workload: Callable[[_bench.Workload], None], workload: _bench.Workload
) -> None:
    """S = (B - kv)^(a + ux) mod N: srpkit's call against pow, gmpy2.powmod, gmpy2.powmod_sec."""
    run_workload(workload)


@pytest.mark.parametrize(
    "workload", _bench.workloads(groups=(_bench.POW_GA, _bench.POW_GX)), ids=_bench.workload_id
)
def test_fixed_base_g(
    run_workload: Callable[[_bench.Workload], None], workload: _bench.Workload
) -> None:
    """g^a (1024-bit a) and g^x (256-bit x): the fixed-base tables against the raw exponentiations."""
    run_workload(workload)


def sliding_window_pow(base: int, exp: int, mod: int, width: int = 5) -> int:
    """Left-to-right sliding-window exponentiation over Python ints (HAC 14.85), for comparison.

    Issue #5 asked whether this beats built-in pow for S's ~1024-bit exponent on
    CPython 3.11. Measured: no (CPython's pow already windows), so srpkit's
    python backend uses pow; this benchmark keeps the evidence reproducible.
    """
    base %= mod
    square = base * base % mod
    odd = [base]  # base^1, base^3, ..., base^(2^width - 1)
    for _ in range((1 << (width - 1)) - 1):
        odd.append(odd[-1] * square % mod)
    bits = format(exp, "b")
    result, i = 1, 0
    while i < len(bits):
        if bits[i] == "0":
            result = result * result % mod
            i += 1
            continue
        j = min(i + width, len(bits))
        while bits[j - 1] == "0":
            j -= 1
        for _ in range(j - i):
            result = result * result % mod
        result = result * odd[int(bits[i:j], 2) >> 1] % mod
        i = j
    return result % mod


def test_python_sliding_window_s(benchmark: Any) -> None:
    """S by a Python-level sliding window, to compare with built-in pow in the S group."""
    data = _bench.inputs()
    assert sliding_window_pow(data.s_base, data.s_exp, N) == pow(data.s_base, data.s_exp, N)
    benchmark.group = _bench.POW_S
    benchmark(sliding_window_pow, data.s_base, data.s_exp, N)
