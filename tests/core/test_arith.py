"""The arithmetic core: both backends, the fixed-base tables and hardened mode against built-in pow."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srpkit import (
    BackendUnavailableError,
    InvalidInputError,
    ParameterTypeError,
    UserSRP,
)
from srpkit._core import backend as _arith
from srpkit._core.group import N

Q = (N - 1) // 2
HAS_GMPY2 = "gmpy2" in _arith.available_backends()
LIMITS = (0, 1, 2, 255, 256, 257, 1023, 1024, 1025, 1040, 1041, 3070, 3071, 3072)

# Exponents of every size up to well past N, with the tables' edges drawn often.
st_bits = st.one_of(st.sampled_from(LIMITS), st.integers(min_value=0, max_value=3300))
st_exponent = st.one_of(
    st.sampled_from(
        [2**256 - 1, 2**256, 2**1024 - 1, 2**1024, Q - 1, Q, Q + 1, 2 * Q, N, 3 * Q + 7]
    ),
    st_bits.flatmap(
        lambda bits: st.integers(min_value=(1 << bits) >> 1, max_value=(1 << bits) - 1)
    ),
)
st_huge_exponent = st.integers(min_value=4000, max_value=6000).flatmap(
    lambda bits: st.integers(min_value=1 << (bits - 1), max_value=(1 << bits) - 1)
)
st_base = st.one_of(
    st.integers(min_value=-(2**3400), max_value=2**3400),
    st.sampled_from([0, 1, -1, 2, N - 1, N, N + 1, -N]),
)
st_modulus = st.one_of(
    st.just(N),
    st.integers(min_value=1, max_value=2**3072),
    st.integers(min_value=1, max_value=1000),
)


@contextmanager
def hardened_mode() -> Iterator[None]:
    """Hardened mode for the block, off again after (whatever happens)."""
    _arith.set_hardened(True)
    try:
        yield
    finally:
        _arith.set_hardened(False)


@contextmanager
def backend(name: str) -> Iterator[None]:
    """Another backend for the block, the previous one after."""
    previous = _arith.backend()
    _arith.set_backend(name)
    try:
        yield
    finally:
        _arith.set_backend(previous)


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=60)
@given(base=st_base, exp=st_exponent, mod=st_modulus)
def test_powmod_agrees_with_builtin_pow(base: int, exp: int, mod: int) -> None:
    """powmod is pow for negative and huge bases, exponents of every size, any modulus."""
    assert _arith.powmod(base, exp, mod) == pow(base, exp, mod)


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=60)
@given(exp=st_exponent)
def test_powmod_g_agrees_with_builtin_pow(exp: int) -> None:
    """The fixed-base path (tables, reduction mod q, fallback) is pow(2, e, N) at every size."""
    assert _arith.powmod_g(exp) == pow(2, exp, N)


@pytest.mark.usefixtures("srp_backend")
@settings(max_examples=5)
@given(exp=st_huge_exponent)
def test_powmod_g_huge_exponents(exp: int) -> None:
    """Exponents far beyond N are right too."""
    assert _arith.powmod_g(exp) == pow(2, exp, N)


@pytest.mark.usefixtures("srp_backend")
def test_powmod_g_at_the_table_edges() -> None:
    """Each boundary of the short and long tables, and the step past it, give pow's answer."""
    for bits in LIMITS:
        for exp in {(1 << bits) - 1, 1 << bits, (1 << bits) + 1}:
            assert _arith.powmod_g(exp) == pow(2, exp, N), bits


@pytest.mark.usefixtures("srp_backend")
def test_reduction_mod_q_is_valid() -> None:
    """2^q = 1 (mod N), so 2^e = 2^(e mod q): what powmod_g relies on past its tables."""
    assert N % 8 == 7  # why: 2 is a square mod N, so Euler's criterion gives 2^q = 1
    assert _arith.powmod(2, Q, N) == 1
    assert pow(2, Q, N) == 1


@pytest.mark.usefixtures("srp_backend")
def test_powmod_rejects_out_of_contract_arguments() -> None:
    """A negative exponent or a modulus below 1 is a typed error naming the argument."""
    with pytest.raises(InvalidInputError) as info:
        _arith.powmod(2, -1, N)
    assert info.value.fields == ("exp",)
    with pytest.raises(InvalidInputError) as info:
        _arith.powmod(2, 5, 0)
    assert info.value.fields == ("mod",)
    with pytest.raises(InvalidInputError):
        _arith.powmod_g(-5)


@pytest.mark.usefixtures("srp_backend")
def test_racing_first_use_builds_each_table_once() -> None:
    """Threads racing on first use build each table exactly once and all get pow's answer."""
    _arith._reset_tables()
    exps = [(0xA5 << (i * 37)) % (1 << 1024) + i for i in range(12)]
    exps += [(0x5A << (i * 19)) % (1 << 256) + i for i in range(12)]
    barrier = threading.Barrier(len(exps))
    results: dict[int, int] = {}

    def work(index: int) -> None:
        barrier.wait()
        results[index] = _arith.powmod_g(exps[index])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(exps))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {i: pow(2, e, N) for i, e in enumerate(exps)}
    assert _arith.fixed_base_stats(_arith.backend()).builds == 2  # the short and the long table


@pytest.mark.usefixtures("srp_backend")
def test_tables_stay_within_the_memory_bound() -> None:
    """Every backend's tables, all built at once, hold at most MAX_TABLE_BYTES (8 MiB)."""
    for name in _arith.available_backends():
        with backend(name):
            _arith.powmod_g(2**1024 - 3)
            _arith.powmod_g(2**256 - 3)
            stats = _arith.fixed_base_stats(name)
            short, long = _arith._GEOMETRY[name]
            expected = sum(blocks * ((1 << teeth) - 1) for _, teeth, blocks in (short, long))
            assert stats.entries == expected + 2  # and the two tables' shared 1
    assert _arith.fixed_base_stats().nbytes <= _arith.MAX_TABLE_BYTES


def login_responses() -> dict[str, str]:
    """A full PASSWORD_VERIFIER answer with a fixed a, in the current mode."""
    user = UserSRP(
        "us-east-1_AbC123", "client1", "alice", "hunter2!", small_a=(0xC0FFEE << 1000) + 12345
    )
    challenge = {
        "SALT": "-6f1e",
        "SRP_B": format(pow(5, 77777, N), "x"),
        "SECRET_BLOCK": "c2VjcmV0IGJsb2Nr",
        "USER_ID_FOR_SRP": "alice",
    }
    return user.process_challenge(challenge, now=datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc))


@pytest.mark.usefixtures("srp_backend")
def test_hardened_mode_identical_results_or_refused(srp_backend: str) -> None:
    """Hardened gmpy2 answers exactly as the fast mode and builds no table; python refuses it."""
    if srp_backend == "python":
        with pytest.raises(BackendUnavailableError) as info:
            _arith.set_hardened(True)
        assert info.value.fields == ("enabled",)
        assert not _arith.hardened()
        return
    exps = [1, 2**256 - 1, 2**1024 - 1, Q + 5, 2**4000 + 1]
    fast = [_arith.powmod_g(e) for e in exps], _arith.powmod(-(3**2000), 2**1030 + 1, N)
    fast_login = login_responses()
    _arith._reset_tables()
    with hardened_mode():
        assert _arith.hardened()
        hard = [_arith.powmod_g(e) for e in exps], _arith.powmod(-(3**2000), 2**1030 + 1, N)
        assert hard == fast
        assert _arith.powmod_g(0) == 1
        assert _arith.powmod(7, 0, N) == 1
        assert login_responses() == fast_login
        with pytest.raises(InvalidInputError) as info:
            _arith.powmod(3, 5, 10)  # no constant-time path for an even modulus
        assert info.value.fields == ("mod",)
        assert _arith.fixed_base_stats(srp_backend).builds == 0
    assert not _arith.hardened()


def test_python_backend_refused_while_hardened() -> None:
    """With hardened mode on, switching to the python backend is refused and changes nothing."""
    if not HAS_GMPY2:
        pytest.skip("hardened mode needs gmpy2")
    with backend("gmpy2"), hardened_mode():
        with pytest.raises(BackendUnavailableError) as info:
            _arith.set_backend("python")
        assert info.value.fields == ("SRPKIT_BACKEND",)
        assert _arith.backend() == "gmpy2"
        assert _arith.hardened()


def test_set_hardened_wants_a_bool() -> None:
    """A truthy string or an int is refused, not taken for a yes."""
    for value in ("1", 1, None):
        with pytest.raises(ParameterTypeError):
            _arith.set_hardened(value)  # type: ignore[arg-type]
    assert not _arith.hardened()


def test_set_backend_rejects_unknown_names() -> None:
    """An unknown backend name is a typed error naming SRPKIT_BACKEND."""
    with pytest.raises(InvalidInputError) as info:
        _arith.set_backend("gmp")
    assert info.value.fields == ("SRPKIT_BACKEND",)


BLOCK_GMPY2 = "import sys; sys.modules['gmpy2'] = None; "
REPORT = (
    "import srpkit, sys; from srpkit._core import backend as _arith; "
    "print(_arith.backend(), _arith.hardened(), 'gmpy2' in sys.modules and sys.modules['gmpy2'] is not None)"
)


@pytest.mark.parametrize(
    ("env", "prelude", "expected"),
    [
        ({"SRPKIT_BACKEND": "python"}, "", "python False False"),
        ({"SRPKIT_BACKEND": "gmpy2"}, "", "gmpy2 False True"),
        ({}, "", "gmpy2 False True"),
        ({}, BLOCK_GMPY2, "python False False"),
        ({"SRPKIT_BACKEND": "bogus"}, "", "InvalidInputError"),
        ({"SRPKIT_BACKEND": "gmpy2"}, BLOCK_GMPY2, "BackendUnavailableError"),
        ({"SRPKIT_HARDENED": "1"}, "", "gmpy2 True True"),
        ({"SRPKIT_HARDENED": "0"}, "", "gmpy2 False True"),
        ({"SRPKIT_HARDENED": "1", "SRPKIT_BACKEND": "python"}, "", "BackendUnavailableError"),
        ({"SRPKIT_HARDENED": "1"}, BLOCK_GMPY2, "BackendUnavailableError"),
        ({"SRPKIT_HARDENED": "maybe"}, "", "InvalidInputError"),
    ],
)
def test_environment_selects_backend_and_mode(
    env: dict[str, str], prelude: str, expected: str
) -> None:
    """SRPKIT_BACKEND / SRPKIT_HARDENED select or clearly refuse, in a fresh interpreter."""
    if "gmpy2" in expected and "Error" not in expected and not HAS_GMPY2:
        pytest.skip("gmpy2 is not installed")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SRPKIT_")}
    done = subprocess.run(
        [sys.executable, "-c", prelude + REPORT],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if "Error" in expected:
        assert done.returncode != 0
        last = done.stderr.strip().splitlines()[-1]
        assert last.startswith(f"srpkit._core.errors.{expected}:"), done.stderr
        field = "SRPKIT_HARDENED" if "SRPKIT_HARDENED" in env else "SRPKIT_BACKEND"
        assert field in last
    else:
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == expected.split()


def test_import_does_no_arithmetic_work() -> None:
    """import srpkit neither imports gmpy2 nor builds a table: both wait for first use."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SRPKIT_")}
    code = (
        "import sys, srpkit; from srpkit._core import backend as _arith; "
        "print('gmpy2' in sys.modules, _arith.fixed_base_stats().builds)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "0"]
