"""The ``srpkit`` command line: a thin layer over the library.

Secrets (client secrets, passwords) are read from the environment or standard
input, never from argv, which every user of the machine can read in ``ps``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Callable, TextIO

from ._errors import SRPKitError
from ._secret_hash import secret_hash

__all__ = ["main"]

CLIENT_SECRET_ENV = "SRPKIT_CLIENT_SECRET"


def _read_secret(env_name: str, from_stdin: bool, stdin: TextIO, what: str) -> str:
    """A secret from stdin (one line, newline stripped) when asked, else from ``env_name``."""
    if from_stdin:
        line = stdin.readline()
        value = line[:-1] if line.endswith("\n") else line
        return value[:-1] if value.endswith("\r") else value
    value = os.environ.get(env_name)
    if value is None:
        raise _UsageError(f"{what}: set {env_name} or pass --{what.replace('_', '-')}-stdin")
    return value


class _UsageError(Exception):
    """A command line that cannot run as given (exit status 2)."""


def _cmd_secret_hash(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    secret = _read_secret(CLIENT_SECRET_ENV, args.client_secret_stdin, stdin, "client_secret")
    print(secret_hash(args.username, args.client_id, secret), file=stdout)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="srpkit", description="Amazon Cognito SRP and SECRET_HASH toolkit."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = commands.add_parser(
        "secret-hash",
        help="print the SECRET_HASH for a user and app client",
        description=f"Print SECRET_HASH. The client secret is read from ${CLIENT_SECRET_ENV} "
        "or, with --client-secret-stdin, from the first line of standard input.",
    )
    p.add_argument("--username", required=True, help="the user name (or USER_ID_FOR_SRP)")
    p.add_argument("--client-id", required=True, help="the app client id")
    p.add_argument(
        "--client-secret-stdin",
        action="store_true",
        help="read the client secret from standard input instead of the environment",
    )
    p.set_defaults(run=_cmd_secret_hash)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help and on usage errors
        return int(exc.code or 0)
    run: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.run
    try:
        return run(args, sys.stdin, sys.stdout)
    except _UsageError as exc:
        print(f"srpkit: error: {exc}", file=sys.stderr)
        return 2
    except SRPKitError as exc:
        print(f"srpkit: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
