"""``srpkit serve``: a local Cognito-compatible endpoint for real clients (boto3, the JS SDKs)."""

from __future__ import annotations

import argparse
import ipaddress
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..endpoint.http import close_server, make_server
from ..endpoint.state import StateFileError
from . import CommandIO, UsageError

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


def run(args: argparse.Namespace, io: CommandIO) -> int:
    """Serve until interrupted (Ctrl-C or SIGTERM); 0 on a clean stop."""
    if not 0 <= args.port <= 65535:
        raise UsageError("--port: must be 0 to 65535")

    def log(line: str) -> None:
        print(f"srpkit serve: {line}", file=io.stderr, flush=True)

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
    # A file name that is not UTF-8 reaches argv as lone surrogates; stdout may refuse them.
    shown = str(args.state).encode("utf-8", "backslashreplace").decode("utf-8")
    where = f"state in {shown}" if args.state else "state in memory"
    print(f"srpkit serve: listening on {server.url} ({where})", file=io.stdout, flush=True)
    try:
        with _stop_on_sigterm():
            server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        close_server(server)
    print("srpkit serve: stopped", file=io.stderr, flush=True)
    return 0
