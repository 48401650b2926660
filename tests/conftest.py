"""Shared fixtures: hypothesis profiles, and ``srp_backend`` for the tests that run SRP arithmetic.

A test (or module, with ``pytestmark``) that runs SRP arithmetic uses
``srp_backend`` and so runs once per backend, gmpy2 and pure Python; a test that
touches no arithmetic runs once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from srpkit._core import backend as _arith

IN_CI = os.environ.get("CI") == "true"

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
# CI is derandomized so that a landing is judged on reproducible examples; local
# runs stay random (and keep hypothesis's example database), which is where new
# failures are found and then pinned with @example.
settings.register_profile(
    "ci",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    print_blob=True,
)
settings.load_profile("ci" if IN_CI else "default")

if IN_CI and "gmpy2" not in _arith.available_backends():
    raise RuntimeError("CI must test both backends, but gmpy2 is not installed")


@pytest.fixture(scope="session", params=["gmpy2", "python"])
def srp_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test under one arithmetic backend, restoring the previous one after."""
    name: str = request.param
    if name not in _arith.available_backends():
        pytest.skip("gmpy2 is not installed")
    previous = _arith.backend()
    _arith.set_backend(name)
    try:
        yield name
    finally:
        _arith.set_backend(previous)
