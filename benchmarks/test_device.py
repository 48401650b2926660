"""Remembered devices: the device login and the ConfirmDevice verifier."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from srpkit._tools import bench as _bench


@pytest.mark.parametrize(
    "workload", _bench.workloads(groups=(_bench.DEVICE_LOGIN,)), ids=_bench.workload_id
)
def test_device_login(
    run_workload: Callable[[_bench.Workload], None], workload: _bench.Workload
) -> None:
    """new DeviceSRP, auth_parameters, process_challenge; pycognito's process_device_challenge."""
    run_workload(workload)


@pytest.mark.parametrize(
    "workload", _bench.workloads(groups=(_bench.CONFIRM_DEVICE,)), ids=_bench.workload_id
)
def test_confirm_device_verifier(
    run_workload: Callable[[_bench.Workload], None], workload: _bench.Workload
) -> None:
    """new_device_secret against pycognito's generate_hash_device."""
    run_workload(workload)
