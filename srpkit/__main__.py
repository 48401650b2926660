"""The ``srpkit`` command line: a thin layer over the library (``main(argv) -> int``)."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Sequence
from typing import Any

from . import __version__
from ._cli import CommandIO, UsageError
from ._core.backend import environment_error
from ._core.errors import SRPKitError

__all__ = ["main"]

# One module per subcommand (srpkit/_cli/<name>.py), imported only when the CLI runs.
_COMMAND_MODULES = (
    "secret_hash",
    "audit",
    "demo",
    "bench",
    "vectors",
    "serve",
    "login",
    "refresh",
)


class _Parser(argparse.ArgumentParser):
    """An argument parser that takes no abbreviations.

    "--password" must never be taken for "--password-stdin" (or any other
    option), so that nothing on the command line can carry a secret.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)


class _Version(argparse.Action):
    """``--version``: print ``srpkit X.Y.Z`` to the command's stdout and exit 0.

    argparse's own "version" action writes to sys.stdout, not to the CommandIO a caller passes.
    """

    def __init__(self, option_strings: Sequence[str], dest: str, io: CommandIO) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")
        self._io = io

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        print(f"srpkit {__version__}", file=self._io.stdout)
        parser.exit(0)


def _parser(io: CommandIO) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="srpkit", description="Amazon Cognito SRP, device verifiers and SECRET_HASH."
    )
    parser.add_argument("--version", action=_Version, io=io)
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=_Parser
    )
    for name in _COMMAND_MODULES:
        importlib.import_module(f"srpkit._cli.{name}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None, io: CommandIO | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    io = io or CommandIO()
    problem = environment_error()
    if problem is not None:  # before anything else, --help included: one line, no traceback
        print(f"srpkit: error: {problem}", file=io.stderr)
        return 2
    try:
        # argparse prints --help and usage errors to sys.stdout / sys.stderr itself,
        # not to the streams a caller hands main().
        with contextlib.redirect_stderr(io.stderr), contextlib.redirect_stdout(io.stdout):
            args = _parser(io).parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help and on usage errors
        return exc.code if isinstance(exc.code, int) else 2
    try:
        status: int = args.run(args, io)
    except UsageError as exc:
        print(f"srpkit {args.command}: error: {exc}", file=io.stderr)
        return 2
    except SRPKitError as exc:
        print(f"srpkit {args.command}: error: {exc}", file=io.stderr)
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
