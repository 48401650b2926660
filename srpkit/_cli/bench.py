"""``srpkit bench``: time srpkit against pycognito and the raw exponentiations; print the ratios.

Then the load sections (``_tools.bench_load``): logins on several threads, and
``srpkit serve`` over loopback, which this module starts, because the tools
layer may not import the endpoint or boto3.
"""

from __future__ import annotations

import argparse
import os
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import CommandIO, UsageError

if TYPE_CHECKING:
    from .._tools.bench import Workload
    from ..endpoint.http import ServeHandle

# The bench's own user on its own in-memory server: test data, not a secret.
_USERNAME = "bench-user"
_PASSWORD = "bench-Passw0rd!"  # noqa: S105 - test data for a throwaway server


def register(commands: Any) -> None:
    """Add the ``bench`` subcommand."""
    p = commands.add_parser(
        "bench",
        help="time srpkit against pycognito and the raw exponentiations, print the ratios",
        description="Time a login computation, a device login, a ConfirmDevice verifier, "
        "SECRET_HASH and the exponentiations under them, in every arithmetic mode this "
        "machine has (gmpy2, gmpy2 hardened, python), against pycognito, built-in pow, "
        "gmpy2.powmod and gmpy2.powmod_sec where installed; then logins on one thread "
        "against one per core, and srpkit serve over loopback (a kept-alive request "
        "against a fresh connection, a boto3 sign-in against the same sign-in in process, "
        "sign-ins from concurrent client processes). Each figure is the best round's; "
        "compare ratios within one run only.",
    )
    p.add_argument(
        "--rounds", type=int, default=5, help="rounds per workload, best kept (default 5)"
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="one operation per round and tiny load sections (a smoke test, not a measurement)",
    )
    p.set_defaults(run=run)


def _boto_client(url: str) -> Any:
    import boto3  # noqa: PLC0415 - optional (srpkit[aws])
    from botocore.config import Config  # noqa: PLC0415 - as above

    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="bench",
        aws_secret_access_key="bench",  # noqa: S106 - boto3 demands some; the server checks none
        config=Config(retries={"total_max_attempts": 1}),
    )


def _boto_sign_in(client: Any, pool_id: str, client_id: str) -> Callable[[], object]:
    from .. import aws  # noqa: PLC0415 - imports nothing heavy, but only the bench needs it

    def op() -> object:
        result = aws.authenticate(
            client, pool_id=pool_id, client_id=client_id, username=_USERNAME, password=_PASSWORD
        )
        if not result.signed_in:
            raise RuntimeError("the bench sign-in did not sign in")
        return result

    return op


def _in_process_sign_in(service: Any, pool_id: str, client_id: str) -> Callable[[], object]:
    from .._client.requests import (  # noqa: PLC0415 - as above
        password_verifier_request,
        user_srp_auth_request,
    )
    from .._client.user import UserSRP  # noqa: PLC0415 - as above

    def op() -> object:
        # The same two calls aws.authenticate makes, handed to the service directly.
        user = UserSRP(pool_id, client_id, _USERNAME, _PASSWORD)
        response = service.handle("InitiateAuth", user_srp_auth_request(user))
        return service.handle("RespondToAuthChallenge", password_verifier_request(user, response))

    return op


def sign_in_worker(
    target: tuple[str, str, str], logins: int, ready: Any, go: Any, done: Any
) -> None:
    """One load-generating process of ``bench_load.concurrent_logins``: boto3 sign-ins.

    ``target`` is (server url, pool id, client id).
    """
    url, pool_id, client_id = target
    try:
        op = _boto_sign_in(_boto_client(url), pool_id, client_id)
        op()  # botocore loads its models on the first call: not timed
    except Exception as exc:  # reported to the parent, which raises
        ready.put(f"setup failed: {type(exc).__name__}")
        return
    ready.put(None)
    go.wait()
    try:
        for _ in range(logins):
            op()
    except Exception as exc:  # as above
        done.put(f"sign-in failed: {type(exc).__name__}")
        return
    done.put(logins)


def endpoint_workloads(
    handle: ServeHandle,
) -> tuple[list[Workload], list[Workload], tuple[str, str] | None]:
    """The endpoint section's workloads against a running ``serve_in_thread`` handle.

    Returns the kept-alive and fresh requests, the boto3 and in-process sign-ins
    (none without boto3) and the (pool id, client id) they sign in to (None without
    boto3); ``benchmarks/test_load.py`` times the same workloads.
    """
    from .._tools import bench as _bench  # noqa: PLC0415 - only when the command runs
    from .._tools import bench_load as _load  # noqa: PLC0415 - as above

    pool_id = handle.service.create_pool(f"bench{secrets.token_hex(3)}").id
    client_id = handle.service.create_client(pool_id, "bench").id
    handle.service.add_user(pool_id, _USERNAME, _PASSWORD)
    group = "srpkit serve"
    requests = [
        _bench.Workload(
            group,
            "kept-alive connection, per request",
            None,
            _load.kept_alive_request(handle.url, pool_id),
        ),
        _bench.Workload(
            group, "fresh connection, per request", None, _load.fresh_request(handle.url, pool_id)
        ),
    ]
    try:
        client = _boto_client(handle.url)
    except ImportError:
        return requests, [], None
    sign_ins = [
        _bench.Workload(
            group,
            "boto3 aws.authenticate over loopback",
            None,
            lambda: _boto_sign_in(client, pool_id, client_id),
        ),
        _bench.Workload(
            group,
            "the same sign-in in process",
            None,
            lambda: _in_process_sign_in(handle.service, pool_id, client_id),
        ),
    ]
    return requests, sign_ins, (pool_id, client_id)


def _endpoint_lines(args: argparse.Namespace) -> list[str]:
    from .._tools import bench as _bench  # noqa: PLC0415 - only when the command runs
    from .._tools import bench_load as _load  # noqa: PLC0415 - as above
    from ..endpoint.http import serve_in_thread  # noqa: PLC0415 - as above

    with serve_in_thread() as handle:
        requests, sign_ins, signing = endpoint_workloads(handle)
        results = _bench.run([*requests, *sign_ins], rounds=args.rounds, quick=args.quick)
        load = None
        if signing is not None:
            pool_id, client_id = signing
            load = _load.concurrent_logins(
                sign_in_worker,
                (handle.url, pool_id, client_id),
                processes=os.cpu_count() or 1,
                logins=2 if args.quick else 40,
            )
    lines = _load.endpoint_lines(results[: len(requests)], results[len(requests) :], load)
    if signing is None:
        lines.insert(1, "  (boto3 is not installed: pip install 'srpkit[aws]' for the sign-ins)")
    return lines


def run(args: argparse.Namespace, io: CommandIO) -> int:
    """Run the workloads and print the machine, the table and the targets, then the load sections."""
    from .._tools import bench as _bench  # noqa: PLC0415 - imports pycognito; only when the command runs
    from .._tools import bench_import as _imports  # noqa: PLC0415 - as above
    from .._tools import bench_load as _load  # noqa: PLC0415 - as above

    if args.rounds < 1:
        raise UsageError("--rounds must be at least 1")
    results = _bench.run(_bench.workloads(), rounds=args.rounds, quick=args.quick)
    for line in _bench.machine_lines():
        print(line, file=io.stdout)
    print(
        f"rounds: {args.rounds}{' (quick: one operation per round)' if args.quick else ''}; "
        "times are the best round's, per operation",
        file=io.stdout,
    )
    print("", file=io.stdout)
    for line in _bench.report_lines(results):
        print(line, file=io.stdout)
    print("", file=io.stdout)
    threads = _load.thread_scaling(rounds=2 * args.rounds, quick=args.quick)
    for line in _load.thread_lines(threads):
        print(line, file=io.stdout)
    print("", file=io.stdout)
    for line in _endpoint_lines(args):
        print(line, file=io.stdout)
    print("", file=io.stdout)
    for line in _imports.import_lines(_imports.import_seconds(rounds=1 if args.quick else 7)):
        print(line, file=io.stdout)
    return 0
