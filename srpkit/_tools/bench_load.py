"""``srpkit bench``'s load sections: logins on several threads, and ``srpkit serve`` under HTTP.

Threads: logins/s with N threads (N = cores) against one thread, per mode.
gmpy2 releases the GIL inside its exponentiations (see ``_core.backend``), so
gmpy2 logins scale with cores; the python backend's ``pow`` holds the GIL, so
its logins cannot.

Endpoint: the caller (``_cli.bench``, which may import the endpoint and
boto3) starts the server and hands in what to run; this module times it, in
the same interleaved best-of-rounds way as ``bench.run``. Only ratios within
one run mean anything; nothing here asserts a time.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .._client.user import UserSRP
from .._core import backend as _arith
from .._core.group import N
from . import bench as _bench

__all__ = [
    "LoadResult",
    "ThreadResult",
    "concurrent_logins",
    "endpoint_lines",
    "fresh_request",
    "kept_alive_request",
    "thread_lines",
    "thread_scaling",
    "thread_workloads",
]


@dataclass(frozen=True)
class ThreadResult:
    """Logins/s on one thread and on ``threads`` threads at once, best round of each."""

    mode: _bench.Mode
    threads: int
    one_rate: float
    many_rate: float
    floor: float
    """How far S's exponentiation alone scales on the same threads, in the same mode."""

    @property
    def scaling(self) -> float:
        """How many one-thread rates the N threads reach (N would be perfect)."""
        return self.many_rate / self.one_rate


def _logins(count: int, data: _bench.Inputs) -> None:
    for _ in range(count):
        user = UserSRP(_bench.POOL_ID, _bench.CLIENT_ID, _bench.USERNAME, _bench.PASSWORD)
        user.auth_parameters()
        user.process_challenge(data.challenge, now=_bench.NOW)


def _powmods(count: int, data: _bench.Inputs) -> None:
    for _ in range(count):
        _arith.powmod(data.s_base, data.s_exp, N)


def _seconds_on_threads(
    threads: int,
    count: int,
    data: _bench.Inputs,
    run: Callable[[int, _bench.Inputs], None] = _logins,
) -> float:
    """How long ``threads`` threads take to each do ``run(count, data)``, all at once."""
    # A barrier so every thread starts together: the clock runs from the start
    # of the slowest to the end of the last.
    barrier = threading.Barrier(threads + 1)

    def work() -> None:
        barrier.wait()
        run(count, data)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started


def _rate_on_threads(
    threads: int,
    count: int,
    data: _bench.Inputs,
    run: Callable[[int, _bench.Inputs], None] = _logins,
) -> float:
    return threads * count / _seconds_on_threads(threads, count, data, run)


def thread_workloads(
    modes: Sequence[_bench.Mode] | None = None, *, threads: int | None = None, logins: int = 8
) -> list[_bench.Workload]:
    """The threads section as ``bench.Workload`` s (for pytest-benchmark): per mode, ``logins``
    logins on each of one thread and of ``threads`` (default: cores) at once.

    Equal times for the two mean perfect scaling; N times the one thread's, none.
    """
    count = threads or os.cpu_count() or 1
    data = _bench.inputs()
    group = f"logins on threads ({logins} per thread, at once)"
    found = []
    for mode in _bench.available_modes() if modes is None else modes:
        for n in dict.fromkeys((1, count)):

            def make(n: int = n) -> Callable[[], object]:
                return lambda: _seconds_on_threads(n, logins, data)

            label = f"{mode.label} on {n} thread{'s' if n > 1 else ''}"
            found.append(_bench.Workload(group, label, mode, make))
    return found


def thread_scaling(
    modes: Sequence[_bench.Mode] | None = None,
    *,
    threads: int | None = None,
    rounds: int = 10,
    batch: float = 0.15,
    quick: bool = False,
) -> list[ThreadResult]:
    """Per mode: the best round's logins/s on one thread and on ``threads`` (default: cores).

    Each thread's batch lasts about ``batch`` seconds (two logins with
    ``quick``). Many short rounds, best kept: on a shared machine a round
    with every core free is likelier than a long one.
    """
    count = threads or os.cpu_count() or 1
    data = _bench.inputs()
    found = []
    for mode in _bench.available_modes() if modes is None else modes:
        with _bench.using(mode):
            _logins(1, data)  # first use: the fixed-base tables
            logins = 2 if quick else max(2, min(200, round(batch * _rate_on_threads(1, 2, data))))
            # The floor: two vCPUs are often one core's two hyperthreads, and
            # then not even a bare exponentiation reaches N times one thread.
            runs = [(1, _logins), (count, _logins), (1, _powmods), (count, _powmods)]
            best = dict.fromkeys(runs, 0.0)
            for _ in range(rounds):  # interleaved, so a noisy moment hits all four
                for n, run in runs:
                    best[n, run] = max(best[n, run], _rate_on_threads(n, logins, data, run))
        floor = best[count, _powmods] / best[1, _powmods]
        found.append(ThreadResult(mode, count, best[1, _logins], best[count, _logins], floor))
    return found


def thread_lines(results: Sequence[ThreadResult]) -> list[str]:
    """The threads section: rates, the scaling, the 0.8 * N goal for gmpy2."""
    if not results:
        return []
    count = results[0].threads
    lines = [f"logins on {count} threads (os.cpu_count) against one thread"]
    if hasattr(os, "getloadavg"):
        # Other processes' load takes cores from the threads: say how much there was.
        lines[0] += f" (load average now {os.getloadavg()[0]:.2f})"
    for r in results:
        lines.append(
            f"  {r.mode.label:<38} {r.one_rate:7.0f}/s on 1, {r.many_rate:7.0f}/s on {count}: "
            f"{r.scaling:.2f}x (S's exponentiation alone: {r.floor:.2f}x)"
        )
    if any(r.mode.backend == "python" for r in results):
        lines.append("  (the python backend's pow holds the GIL: its logins cannot use more cores)")
    lines.append("")
    lines.append("Targets")
    for r in results:
        if r.mode.backend != "gmpy2":
            continue
        goal = 0.8 * count
        verdict = "met" if r.scaling >= goal else "NOT MET"
        lines.append(
            f"  logins on {count} threads, {r.mode.label}: >= {goal:g}x one thread's: "
            f"{r.scaling:.2f}x  {verdict}"
        )
    return lines


def _post(connection: http.client.HTTPConnection, operation: str, body: dict[str, Any]) -> None:
    connection.request(
        "POST",
        "/",
        body=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
        },
    )
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"srpkit serve answered {operation} with {response.status}")


def _connection(url: str) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    return http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)


def kept_alive_request(url: str, pool_id: str) -> Callable[[], Callable[[], object]]:
    """A maker for ``bench.Workload``: DescribeUserPool, again and again on one connection."""

    def make() -> Callable[[], object]:
        connection = _connection(url)
        return lambda: _post(connection, "DescribeUserPool", {"UserPoolId": pool_id})

    return make


def fresh_request(url: str, pool_id: str) -> Callable[[], Callable[[], object]]:
    """A maker for ``bench.Workload``: DescribeUserPool on a new connection each time."""

    def op() -> object:
        connection = _connection(url)
        try:
            _post(connection, "DescribeUserPool", {"UserPoolId": pool_id})
        finally:
            connection.close()
        return None

    return lambda: op


@dataclass(frozen=True)
class LoadResult:
    """Sign-ins by ``processes`` client processes at once: how many, how long, the server's CPU."""

    processes: int
    logins: int
    seconds: float
    server_cpu: float

    @property
    def rate(self) -> float:
        """Sign-ins per second, all processes together."""
        return self.logins / self.seconds

    @property
    def cpu_per_login(self) -> float:
        """The server process's CPU seconds per sign-in."""
        return self.server_cpu / self.logins


def concurrent_logins(
    worker: Callable[..., None], target: Any, *, processes: int, logins: int
) -> LoadResult:
    """Run ``worker(target, logins, ready, go, done)`` in ``processes`` processes against this one's server.

    Each worker sets itself up (boto3's import and client: not timed), puts a
    ready note, waits for ``go``, signs in ``logins`` times and puts its count
    on ``done``. Processes, not threads: the load generator is not held by this
    process's GIL. The server runs in this process, so its CPU is this process's
    CPU time over the run (the main thread only waits meanwhile).
    """
    spawn = multiprocessing.get_context("spawn")  # no fork of a process with threads
    ready: Any = spawn.Queue()
    done: Any = spawn.Queue()
    go: Any = spawn.Event()
    children = [
        spawn.Process(target=worker, args=(target, logins, ready, go, done), daemon=True)
        for _ in range(processes)
    ]
    for child in children:
        child.start()
    try:
        for _ in children:
            problem = _answer(ready, children, 120)
            if problem is not None:
                raise RuntimeError(f"a load-generating process: {problem}")
        cpu, started = time.process_time(), time.perf_counter()
        go.set()
        total = 0
        for _ in children:
            count = _answer(done, children, 600)
            if not isinstance(count, int):
                raise RuntimeError(f"a load-generating process: {count}")
            total += count
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        for child in children:
            child.join(timeout=30)
            if child.is_alive():
                child.kill()
    return LoadResult(processes, total, seconds, cpu)


def _answer(notes: Any, children: Sequence[Any], limit: float) -> Any:
    """The next note a child puts on ``notes``; an error if one died first or none came in time."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            return notes.get(timeout=0.2)
        except queue.Empty:
            # A child that died before its note (say, on import) never sends one.
            if any(child.exitcode not in (None, 0) for child in children):
                raise RuntimeError("a load-generating process died") from None
    raise RuntimeError("a load-generating process did not answer in time")


def endpoint_lines(
    requests: Sequence[_bench.Result],
    sign_ins: Sequence[_bench.Result],
    load: LoadResult | None,
) -> list[str]:
    """The endpoint section: kept-alive against fresh, loopback against in-process, the load."""
    lines = ["srpkit serve over loopback (DescribeUserPool; a boto3 USER_SRP_AUTH sign-in)"]
    for r in [*requests, *sign_ins]:
        lines.append(f"  {r.workload.impl:<46} {_bench.format_time(r.seconds)}")
    if load is not None:
        lines.append(
            f"  {load.processes} client processes at once: {load.rate:.0f} sign-ins/s; "
            f"server CPU {load.cpu_per_login * 1e3:.2f} ms per sign-in"
        )
    lines.append("")
    lines.append("Targets")
    pairs = (
        (requests, "a request on a kept-alive connection", "one on a fresh connection", 1.5),
        (sign_ins, "a boto3 sign-in over loopback", "the same sign-in in process", 3.0),
    )
    for results, what, against, maximum in pairs:
        if len(results) != 2:
            lines.append(f"  {what}: skipped (not measured here)")
            continue
        value = results[0].seconds / results[1].seconds
        verdict = "met" if value <= maximum else "NOT MET"
        lines.append(f"  {what}: <= {maximum:g}x {against}: {value:.2f}x  {verdict}")
    return lines
