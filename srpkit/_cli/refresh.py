"""``srpkit refresh``: new tokens for a refresh token (REFRESH_TOKEN_AUTH), from a shell.

The refresh token comes from the environment or stdin, never argv. Tokens from
a device sign-in refresh only with that device's DEVICE_KEY: ``--device-file``
sends the one ``srpkit login`` kept, and its USER_ID_FOR_SRP for SECRET_HASH.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from . import CommandIO, UsageError
from ._session_io import (
    CLIENT_SECRET_ENV,
    REFRESH_TOKEN_ENV,
    CommandError,
    Secrets,
    Tracked,
    add_common_arguments,
    check_arguments,
    guarded,
    load_device,
    make_client,
    parse_and_run,
    read_stdin_line,
    write_tokens,
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``srpkit refresh``."""
    add_common_arguments(
        p,
        device_help="the device file `srpkit login --device-file` wrote: its DEVICE_KEY is sent "
        "(tokens from a device sign-in need it), and its USER_ID_FOR_SRP for SECRET_HASH",
    )
    p.add_argument(
        "--refresh-token-stdin",
        action="store_true",
        help=f"read the refresh token from the first line of standard input (else "
        f"${REFRESH_TOKEN_ENV})",
    )
    p.add_argument(
        "--rotate",
        action="store_true",
        help="use GetTokensFromRefreshToken (app clients with refresh token rotation), which "
        "also returns a new refresh token",
    )


def register(commands: Any) -> None:
    """Add the ``refresh`` subcommand."""
    p = commands.add_parser(
        "refresh",
        help="trade a refresh token for new tokens (no token on the command line)",
        description="Trade a refresh token for new tokens (InitiateAuth REFRESH_TOKEN_AUTH, or "
        "GetTokensFromRefreshToken with --rotate); no AWS credentials needed. The refresh "
        f"token comes from ${REFRESH_TOKEN_ENV} or --refresh-token-stdin, the app client's "
        f"secret from ${CLIENT_SECRET_ENV}; with a secret, --username must be the user's "
        "internal name (USER_ID_FOR_SRP: `srpkit login --print env` prints it) unless "
        "--device-file holds it. Exit status: 0 new tokens, 1 refused by Cognito (or the "
        "endpoint could not be reached), 2 usage or input errors.",
    )
    add_arguments(p)
    p.set_defaults(run=run)


def main(argv: Sequence[str], io: CommandIO | None = None, *, client: Any = None) -> int:
    """``srpkit refresh`` with ``argv`` (its options only) through ``client`` if given."""
    return parse_and_run("srpkit refresh", add_arguments, run, argv, io, client)


def run(args: argparse.Namespace, io: CommandIO, *, client: Any = None) -> int:
    """Refresh and print the tokens; the exit status."""
    secrets = Secrets()
    tracked: list[Tracked] = []
    return guarded(
        "refresh", io, secrets, tracked, lambda: _refresh(args, io, secrets, tracked, client)
    )


def _refresh(
    args: argparse.Namespace,
    io: CommandIO,
    secrets: Secrets,
    tracked: list[Tracked],
    client: Any,
) -> int:
    check_arguments(args)
    username = args.username
    device_key = user_id = None
    if args.device_file is not None:
        stored = load_device(args.device_file)
        if stored is None:
            raise UsageError(
                f"--device-file {args.device_file}: no such file (srpkit login --device-file "
                "writes it)"
            )
        secrets.add(stored.password)
        if not stored.belongs_to(args.pool_id, args.username):
            raise UsageError(
                f"--device-file {args.device_file}: holds a device of another user or pool "
                f"({stored.user_id_for_srp} in {stored.pool_id}); give another FILE"
            )
        username = user_id = stored.user_id_for_srp
        device_key = stored.device_key
    if args.refresh_token_stdin:
        refresh_token = read_stdin_line(io, "--refresh-token-stdin")
    else:
        found = io.environ.get(REFRESH_TOKEN_ENV)
        if found is None:
            raise UsageError(
                f"no refresh token: set {REFRESH_TOKEN_ENV} or pass --refresh-token-stdin"
            )
        refresh_token = found
    secrets.add(refresh_token)
    client_secret = io.environ.get(CLIENT_SECRET_ENV)
    if client_secret is not None:
        secrets.add(client_secret)
    cognito = Tracked(
        client if client is not None else make_client(args.pool_id, args.endpoint_url)
    )
    tracked.append(cognito)

    from .. import aws  # noqa: PLC0415 - only the refresh path needs it

    result = aws.refresh(
        cognito,
        client_id=args.client_id,
        refresh_token=refresh_token,
        username=username,
        client_secret=client_secret,
        device_key=device_key,
        rotate=args.rotate,
        pool_id=args.pool_id,
    )
    if not result.signed_in or result.authentication_result is None:
        raise CommandError(f"the refresh stopped at {result.challenge_name or 'a challenge'}")
    tokens = result.authentication_result
    for name in ("AccessToken", "IdToken", "RefreshToken"):
        if isinstance(tokens.get(name), str):
            secrets.add(tokens[name])
    write_tokens(io, tokens, args.print_format, user_id=result.username or user_id)
    return 0
