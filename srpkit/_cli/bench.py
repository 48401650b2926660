"""``srpkit bench``: time srpkit against pycognito and the raw exponentiations; print the ratios."""

from __future__ import annotations

import argparse
from typing import Any

from . import CommandIO, UsageError


def register(commands: Any) -> None:
    """Add the ``bench`` subcommand."""
    p = commands.add_parser(
        "bench",
        help="time srpkit against pycognito and the raw exponentiations, print the ratios",
        description="Time a login computation, a device login, a ConfirmDevice verifier, "
        "SECRET_HASH and the exponentiations under them, in every arithmetic mode this "
        "machine has (gmpy2, gmpy2 hardened, python), against pycognito, built-in pow, "
        "gmpy2.powmod and gmpy2.powmod_sec where installed. Each figure is the best "
        "round's time per operation; compare ratios within one run only.",
    )
    p.add_argument(
        "--rounds", type=int, default=5, help="rounds per workload, best kept (default 5)"
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="one operation per round instead of ~0.1 s batches (a smoke test, not a measurement)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace, io: CommandIO) -> int:
    """Run the workloads and print the machine, the table and the targets."""
    from .._tools import bench as _bench  # noqa: PLC0415 - imports pycognito; only when the command runs

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
    return 0
