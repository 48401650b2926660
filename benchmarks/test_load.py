"""``srpkit bench``'s load sections under pytest-benchmark: logins on threads, and ``srpkit serve``.

Run: python -m pytest benchmarks/test_load.py --benchmark-group-by=group
Threads: each row is one batch of logins per thread, on one thread and on one per
core at once; equal times mean the threads scale perfectly. Endpoint: a
DescribeUserPool on a kept-alive connection against one on a fresh connection,
and a boto3 sign-in over loopback against the same two calls in process. The
concurrent client processes stay in ``srpkit bench`` (a pytest-benchmark round
cannot hold them). Nothing here asserts a time; compare within one run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from srpkit._cli.bench import endpoint_workloads
from srpkit._tools import bench as _bench
from srpkit._tools import bench_load as _load
from srpkit.endpoint.http import serve_in_thread


@pytest.mark.parametrize(
    "workload", _load.thread_workloads(), ids=lambda w: w.impl.replace(" ", "-")
)
def test_logins_on_threads(
    run_workload: Callable[[_bench.Workload], None], workload: _bench.Workload
) -> None:
    """A batch of logins on one thread, then on one thread per core at once, in each mode."""
    run_workload(workload)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[list[_bench.Workload]]:
    """A running ``srpkit serve`` (in this process) and its four workloads, boto3 permitting."""
    with serve_in_thread() as handle:
        requests, sign_ins, _ = endpoint_workloads(handle)
        yield [*requests, *sign_ins]


@pytest.mark.parametrize(
    "index",
    range(4),
    ids=["kept-alive-request", "fresh-request", "boto3-sign-in-over-loopback", "in-process"],
)
def test_endpoint(
    run_workload: Callable[[_bench.Workload], None], endpoint: list[_bench.Workload], index: int
) -> None:
    """One request or sign-in against srpkit serve over loopback, or the same sign-in in process."""
    if index >= len(endpoint):
        pytest.skip("boto3 is not installed: pip install 'srpkit[aws]' for the sign-ins")
    run_workload(endpoint[index])
