"""pytest-benchmark runs of srpkit._tools.bench's workloads (not part of the test run: testpaths = tests).

Run: python -m pytest benchmarks --benchmark-group-by=group --benchmark-sort=mean
Every srpkit workload runs in each arithmetic mode this machine has; the
baselines (pycognito, built-in pow, gmpy2.powmod, gmpy2.powmod_sec) run in the
same session. Compare ratios within one run only. Nothing here asserts a time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from srpkit._tools import bench as _bench


@pytest.fixture
def run_workload(benchmark: Any) -> Callable[[_bench.Workload], None]:
    """Benchmark one workload in its mode (set up and warmed outside the timing)."""

    def run(workload: _bench.Workload) -> None:
        benchmark.group = workload.group
        with _bench.using(workload.mode):
            op = workload.make()
            op()  # first use: imports, fixed-base tables
            benchmark(op)

    return run
