"""``srpkit serve``: a local Cognito-compatible endpoint for real clients (boto3, the JS SDKs)."""

from __future__ import annotations

import argparse
import ipaddress
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from . import CommandIO, UsageError

if TYPE_CHECKING:
    from ..endpoint.init_file import CreatedPool, InitSpec

DEFAULT_PORT = 9229


def register(commands: Any) -> None:
    """Add the ``serve`` subcommand."""
    p = commands.add_parser(
        "serve",
        help="run a local Cognito-compatible endpoint (SRP sign-in, devices, JWTs)",
        description="Serve Cognito's JSON 1.1 API (X-Amz-Target: AWSCognitoIdentityProviderService.*) "
        "for local tests: create pools, app clients and users, then sign in with USER_SRP_AUTH or "
        "USER_AUTH (PASSWORD_SRP), remembered devices, SECRET_HASH, and RS256 tokens with a JWKS at "
        "/<pool_id>/.well-known/jwks.json. Point boto3 (endpoint_url=) or "
        "amazon-cognito-identity-js (endpoint:) at the printed URL. Administration is not "
        "authenticated: keep it on loopback.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    p.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on; 0 picks a free one (default: {DEFAULT_PORT})",
    )
    p.add_argument(
        "--state",
        metavar="FILE",
        help="keep pools, clients, users, devices and signing keys in this SQLite file "
        "(default: in memory, lost at exit)",
    )
    p.add_argument(
        "--region",
        default="us-east-1",
        help="region of new pool ids when a request does not name one (default: us-east-1)",
    )
    p.add_argument(
        "--init",
        metavar="FILE",
        help="create the pools, app clients and users this JSON file lists at start (YAML if the "
        "name ends in .yaml/.yml and PyYAML is installed); the ids are printed. A file holding "
        "passwords or client secrets must be readable by its owner only",
    )
    p.add_argument(
        "--issuer",
        choices=("local", "aws"),
        default="local",
        help="the iss of tokens: 'local' (default) names this server, <url>/<pool_id>, where the "
        "JWKS is served; 'aws' names https://cognito-idp.<region>.amazonaws.com/<pool_id>, for "
        "clients that pin Cognito's issuer (give them the JWKS URL printed at start)",
    )
    p.add_argument(
        "--verbose",
        action="store_true",
        help="log one line per request to stderr: operation, status, and why a sign-in was refused",
    )
    p.set_defaults(run=run)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Let SIGTERM stop the server as Ctrl-C does (only the main thread can set handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _created_lines(url: str, issuer: Callable[[str], str], created: list[CreatedPool]) -> list[str]:
    """What --init made, to paste into a client: ids, issuer and JWKS URL, never a secret."""
    lines: list[str] = []
    for pool in created:
        note = " (already in the state file)" if pool.existed else ""
        lines.append(f"pool {pool.name}: {pool.id}{note}")
        lines.append(f"  issuer {issuer(pool.id)}")
        lines.append(f"  jwks {url}/{pool.id}/.well-known/jwks.json")
        for name, client_id, has_secret in pool.clients:
            kind = "with a secret (DescribeUserPoolClient shows it)" if has_secret else "no secret"
            lines.append(f"  client {name}: {client_id} ({kind})")
        lines.extend(f"  user {username}" for username in pool.users)
    # Names come from the file: a terminal must not run what they hold.
    return [ln if ln.isprintable() else ln.encode("unicode_escape").decode("ascii") for ln in lines]


def run(args: argparse.Namespace, io: CommandIO) -> int:
    """Serve until interrupted (Ctrl-C or SIGTERM); 0 on a clean stop."""
    # The endpoint is imported here, not at the top: every other command's start-up
    # (``srpkit login`` above all) would pay for it (tests/cli/test_startup_imports.py).
    from ..endpoint.http import close_server, make_server  # noqa: PLC0415 - start-up
    from ..endpoint.init_file import (  # noqa: PLC0415 - start-up
        InitFileError,
        apply_init,
        read_init_file,
    )
    from ..endpoint.state import StateFileError  # noqa: PLC0415 - start-up

    if not 0 <= args.port <= 65535:
        raise UsageError("--port: must be 0 to 65535")

    def log(line: str) -> None:
        print(f"srpkit serve: {line}", file=io.stderr, flush=True)

    spec: InitSpec | None = None
    if args.init is not None:
        try:
            spec = read_init_file(args.init)
        except InitFileError as exc:
            print(f"srpkit serve: error: {exc}", file=io.stderr)
            return 2
    try:
        server = make_server(
            args.host,
            args.port,
            state=args.state,
            region=args.region,
            log=log if args.verbose else None,
        )
    except StateFileError as exc:
        print(f"srpkit serve: error: {exc}", file=io.stderr)
        return 1
    except OSError as exc:
        print(
            f"srpkit serve: error: cannot listen on {args.host}:{args.port}: {exc}", file=io.stderr
        )
        return 1
    if not _is_loopback(args.host):
        print(
            f"srpkit serve: warning: {args.host} is not a loopback address; anyone who can reach "
            "it can create users and pools (administration is not authenticated)",
            file=io.stderr,
        )
    if args.issuer == "aws":
        server.service.issuer_base = None  # Cognito's own issuer URL (the service's default)
    created: list[CreatedPool] = []
    if spec is not None:
        try:
            created = apply_init(server.service, spec)
        except InitFileError as exc:
            close_server(server)
            print(f"srpkit serve: error: {exc}", file=io.stderr)
            return 2
    # A file name that is not UTF-8 reaches argv as lone surrogates; stdout may refuse them.
    shown = str(args.state).encode("utf-8", "backslashreplace").decode("utf-8")
    where = f"state in {shown}" if args.state else "state in memory"
    print(f"srpkit serve: listening on {server.url} ({where})", file=io.stdout)
    # Names come from the file; stdout may be ASCII or latin-1 (issue #18, item 7).
    encoding = getattr(io.stdout, "encoding", None) or "utf-8"
    for line in _created_lines(server.url, server.service.issuer, created):
        shown_line = line.encode(encoding, "backslashreplace").decode(encoding, "replace")
        print(f"srpkit serve: {shown_line}", file=io.stdout)
    io.stdout.flush()
    try:
        with _stop_on_sigterm():
            server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        close_server(server)
    print("srpkit serve: stopped", file=io.stderr, flush=True)
    return 0
