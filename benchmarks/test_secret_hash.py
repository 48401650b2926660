"""SECRET_HASH, against pycognito's get_secret_hash."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from srpkit._tools import bench as _bench


@pytest.mark.parametrize(
    "workload", _bench.workloads(groups=(_bench.SECRET_HASH,)), ids=_bench.workload_id
)
def test_secret_hash(
    run_workload: Callable[[_bench.Workload], None], workload: _bench.Workload
) -> None:
    """secret_hash(username, client_id, client_secret)."""
    run_workload(workload)
