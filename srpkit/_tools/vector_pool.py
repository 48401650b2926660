"""Checking large vector files on every core: the tests of a run, in chunks, over worker processes.

A PasswordVerifierTest costs one full-size variable-base exponentiation (S),
and threads cannot share it out under the pure-Python backend, so the work goes
to processes. Each worker runs ``vectors.check_test`` under the parent's
backend and hardened setting, and the outcomes are put back in file order: the
reports are the ones ``check_file`` gives, whatever ``jobs`` is.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .._core import backend as _arith
from .._core.caps import MAX_JOBS
from .vectors import GroupReport, Outcome, VectorFile, check_file, check_test

__all__ = ["MAX_JOBS", "MIN_PARALLEL_TESTS", "check_files", "usable_cores"]

# Below this many SRP tests a pool costs more than it saves: each worker is a new
# interpreter that imports srpkit (and builds its fixed-base tables) first, and
# only these tests cost milliseconds (an S each); the others cost microseconds.
MIN_PARALLEL_TESTS = 200
_COSTLY = frozenset({"PasswordVerifierTest", "DevicePasswordVerifierTest"})
# Small enough that the cores finish together, large enough that pickling and
# scheduling stay a sliver of a chunk's arithmetic.
_CHUNK = 64

# (group type, the chunk's tests, whether its first test is its group's first)
_Chunk = tuple[str, tuple[Mapping[str, Any], ...], bool]


def usable_cores() -> int:
    """The CPUs this process may run on (its affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


def _start_worker(name: str, hardened: bool) -> None:
    # A backend chosen in code (set_backend, a test fixture) is not in the
    # environment a new interpreter reads, so it is handed over explicitly.
    _arith.set_backend(name)
    _arith.set_hardened(hardened)


def _check_chunk(chunk: _Chunk) -> tuple[Outcome, ...]:
    kind, tests, group_start = chunk
    # as check_file does: the response map is checked on each group's first test only
    return tuple(check_test(kind, t, wiring=group_start and i == 0) for i, t in enumerate(tests))


def _serially(files: Sequence[VectorFile]) -> list[GroupReport]:
    return [report for f in files for report in check_file(f)]


def check_files(files: Sequence[VectorFile], *, jobs: int = 1) -> list[GroupReport]:
    """Check every test of ``files`` over ``jobs`` processes; the reports ``check_file`` gives."""
    if not 1 <= jobs <= MAX_JOBS:
        raise ValueError(f"jobs: must be 1 to {MAX_JOBS}")
    costly = sum(len(g.tests) for f in files for g in f.groups if g.type in _COSTLY)
    if jobs == 1 or costly < MIN_PARALLEL_TESTS:
        return _serially(files)
    chunks: list[_Chunk] = [
        (group.type, group.tests[start : start + _CHUNK], start == 0)
        for f in files
        for group in f.groups
        for start in range(0, len(group.tests), _CHUNK)
    ]
    try:
        # spawn, not fork: the same start on every OS, and no copy of a parent's threads or locks
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(chunks)),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(_arith.backend(), _arith.hardened()),
        ) as pool:
            done = iter(pool.map(_check_chunk, chunks))
            reports = []
            for f in files:
                for group in f.groups:
                    outcomes: list[Outcome] = []
                    for _ in range(0, len(group.tests), _CHUNK):
                        outcomes.extend(next(done))
                    reports.append(GroupReport(f.name, group.type, tuple(outcomes)))
            return reports
    except (OSError, BrokenProcessPool):
        # No processes to be had (a sandbox without semaphores, a worker killed):
        # the checks are deterministic, so doing them here gives the same reports.
        return _serially(files)
