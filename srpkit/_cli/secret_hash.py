"""``srpkit secret-hash``: print the SECRET_HASH for a user and app client."""

from __future__ import annotations

import argparse
from typing import Any

from .._core.secret_hash import secret_hash
from . import CommandIO, read_secret

CLIENT_SECRET_ENV = "SRPKIT_CLIENT_SECRET"  # noqa: S105 - a variable name


def register(commands: Any) -> None:
    """Add the ``secret-hash`` subcommand."""
    p = commands.add_parser(
        "secret-hash",
        help="print the SECRET_HASH for a user and app client",
        description=f"Print SECRET_HASH. The client secret is read from ${CLIENT_SECRET_ENV} "
        "or, with --client-secret-stdin, from the first line of standard input; never from "
        "the command line.",
    )
    p.add_argument("--username", required=True, help="the user name (USER_ID_FOR_SRP when known)")
    p.add_argument("--client-id", required=True, help="the app client id")
    p.add_argument(
        "--client-secret-stdin",
        action="store_true",
        help="read the client secret from standard input instead of the environment",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace, io: CommandIO) -> int:
    """Print the hash."""
    secret = read_secret(io, CLIENT_SECRET_ENV, args.client_secret_stdin, "--client-secret-stdin")
    print(secret_hash(args.username, args.client_id, secret), file=io.stdout)
    return 0
