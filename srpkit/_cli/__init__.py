"""What every ``srpkit`` subcommand shares: its streams, usage errors, and reading secrets.

A subcommand lives in ``srpkit/_cli/<name>.py`` with ``register(commands)``, which adds
its parser and sets ``run=`` to a function ``(args, io) -> int``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TextIO

__all__ = ["CommandIO", "UsageError", "read_secret"]


class UsageError(Exception):
    """A command line that cannot run as given (exit status 2)."""


@dataclass
class CommandIO:
    """The streams and environment a command runs with (tests pass their own)."""

    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)


def read_secret(io: CommandIO, env_name: str, from_stdin: bool, option: str) -> str:
    """A secret from one line of stdin when ``from_stdin``, else from the variable ``env_name``.

    Never from argv: every user of the machine can read a process's arguments.
    """
    if from_stdin:
        line = io.stdin.readline()
        return line.rstrip("\r\n")
    value = io.environ.get(env_name)
    if value is None:
        raise UsageError(f"set {env_name} or pass {option}")
    return value
