"""The gmpy2 backend releases the GIL around its exponentiations, without touching the caller's gmpy2 context.

Whether the GIL is released is observed without a clock: with a switch
interval far longer than the test, the main thread can only run while the
worker gives the GIL up of its own accord. If srpkit's powmod kept it, the
worker would finish all its calls before the main thread could stop it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest

from srpkit._core import backend as _arith
from srpkit._core.group import N

gmpy2 = pytest.importorskip("gmpy2")

_CALLS = 200
_EXP = (1 << 1023) | 0x5A5A5A5A  # a 1024-bit exponent: ~1 ms a call, long enough to be seen
_BASE = 3**1900 % N


@pytest.fixture(params=[False, True], ids=["gmpy2", "gmpy2-hardened"])
def gmpy2_mode(request: pytest.FixtureRequest) -> Iterator[bool]:
    """The gmpy2 backend, fast or hardened (powmod_sec); the previous mode restored after."""
    previous = _arith.backend(), _arith.hardened()
    _arith.set_hardened(False)
    _arith.set_backend("gmpy2")
    _arith.set_hardened(request.param)
    try:
        yield request.param
    finally:
        _arith.set_hardened(False)
        _arith.set_backend(previous[0])
        _arith.set_hardened(previous[1])


def test_powmod_releases_the_gil(gmpy2_mode: bool) -> None:
    """While a thread is inside srpkit's powmod (or powmod_sec), another thread gets to run."""
    stop = threading.Event()
    started = threading.Event()
    done: list[int] = []

    def work() -> None:
        started.set()
        calls = 0
        while calls < _CALLS and not stop.is_set():
            _arith.powmod(_BASE, _EXP, N)
            calls += 1
        done.append(calls)

    interval = sys.getswitchinterval()
    worker = threading.Thread(target=work)
    sys.setswitchinterval(1000.0)  # no forced switch: only a voluntary release lets main run
    try:
        worker.start()
        started.wait()
        stop.set()
    finally:
        sys.setswitchinterval(interval)
    worker.join()
    assert done[0] < _CALLS


def test_results_and_callers_context_are_unchanged(gmpy2_mode: bool) -> None:
    """powmod gives pow's result on every thread and leaves each thread's gmpy2 context as it was."""
    expected = pow(_BASE, _EXP, N)
    seen: list[tuple[int, bool]] = []

    def work() -> None:
        seen.append((_arith.powmod(_BASE, _EXP, N), gmpy2.get_context().allow_release_gil))

    with gmpy2.context(precision=99):
        workers = [threading.Thread(target=work) for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert _arith.powmod(_BASE, _EXP, N) == expected
        assert gmpy2.get_context().precision == 99
        assert not gmpy2.get_context().allow_release_gil
    assert seen == [(expected, False)] * 3
