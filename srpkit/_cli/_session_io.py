"""What ``srpkit login`` and ``srpkit refresh`` share: secrets in, tokens out, the device file, exit statuses.

Secrets come from the environment, one line of stdin, or a no-echo prompt on
the terminal, never from argv (every user of the machine can read a process's
arguments). Every failure becomes one line on stderr and an exit status: 1
when Cognito (or the endpoint) refused or could not be reached, 2 for usage
and input errors; no traceback, and no secret in any message.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import shlex
import stat
import sys
import tempfile
import traceback
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .._core.checks import (
    Problems,
    check_client_id,
    check_device_group_key,
    check_device_key,
    check_username,
    pool_name,
)
from .._core.errors import SRPKitError
from . import CommandIO, UsageError

__all__ = [
    "CLIENT_SECRET_ENV",
    "MFA_CODE_ENV",
    "NEW_PASSWORD_ENV",
    "PASSWORD_ENV",
    "PRINT_FORMATS",
    "REFRESH_TOKEN_ENV",
    "CommandError",
    "Secrets",
    "StoredDevice",
    "Tracked",
    "add_common_arguments",
    "check_arguments",
    "guarded",
    "is_interactive",
    "load_device",
    "make_client",
    "prompt_secret",
    "save_device",
    "write_tokens",
]

PASSWORD_ENV = "SRPKIT_PASSWORD"  # noqa: S105 - names of variables, not secrets
CLIENT_SECRET_ENV = "SRPKIT_CLIENT_SECRET"  # noqa: S105
MFA_CODE_ENV = "SRPKIT_MFA_CODE"
NEW_PASSWORD_ENV = "SRPKIT_NEW_PASSWORD"  # noqa: S105
REFRESH_TOKEN_ENV = "SRPKIT_REFRESH_TOKEN"  # noqa: S105

PRINT_FORMATS = ("json", "id-token", "access-token", "refresh-token", "env")
# --print X -> the AuthenticationResult member it prints.
_TOKEN_OF = {"id-token": "IdToken", "access-token": "AccessToken", "refresh-token": "RefreshToken"}
# --print env: AuthenticationResult member -> the variable it is exported as. SRPKIT_REFRESH_TOKEN
# is the variable `srpkit refresh` reads, so an eval'd login feeds the next refresh.
_ENV_OF = (
    ("IdToken", "SRPKIT_ID_TOKEN"),
    ("AccessToken", "SRPKIT_ACCESS_TOKEN"),
    ("RefreshToken", REFRESH_TOKEN_ENV),
    ("TokenType", "SRPKIT_TOKEN_TYPE"),
    ("ExpiresIn", "SRPKIT_EXPIRES_IN"),
)
USER_ID_ENV = "SRPKIT_USER_ID_FOR_SRP"

_DEVICE_FILE_FORMAT = "srpkit-device-file"
_DEVICE_FILE_VERSION = 1
_MAX_DEVICE_FILE = 64 * 1024
_MAX_MESSAGE = 600  # an error message from a server is shown at most this long


class CommandError(Exception):
    """A failure with its own exit status and a message that holds no secret."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Secrets:
    """The secret values a command holds, so that no message it prints can carry one."""

    values: list[str] = field(default_factory=list, repr=False)

    def __repr__(self) -> str:
        return f"Secrets(<{len(self.values)} values>)"

    def add(self, value: str) -> str:
        """Remember ``value`` as a secret; return it."""
        if value:
            self.values.append(value)
        return value

    def redact(self, text: str) -> str:
        """``text`` with every secret replaced, on one line, at most _MAX_MESSAGE characters."""
        for value in sorted(self.values, key=len, reverse=True):
            text = text.replace(value, "<redacted>")
        line = " ".join(text.split())
        return line if len(line) <= _MAX_MESSAGE else line[: _MAX_MESSAGE - 3] + "..."


class Tracked:
    """A cognito-idp client that notes whether any request was sent through it.

    An srpkit error raised before the first request is about the command's own
    input (exit 2); after it, about what the endpoint answered (exit 1).
    """

    _OPERATIONS = frozenset(
        {
            "initiate_auth",
            "respond_to_auth_challenge",
            "confirm_device",
            "update_device_status",
            "get_tokens_from_refresh_token",
        }
    )

    def __init__(self, client: Any) -> None:
        self._client = client
        self.sent = False

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._client, name)
        if name not in self._OPERATIONS or not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            self.sent = True
            return value(*args, **kwargs)

        return call


@dataclass(frozen=True)
class StoredDevice:
    """A remembered device as the device file keeps it (``password`` is the device's secret)."""

    pool_id: str
    username: str  # as typed at the sign-in that made the device
    user_id_for_srp: str  # the internal name: what SECRET_HASH and refresh need
    device_key: str
    device_group_key: str
    password: str = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"StoredDevice(pool_id={self.pool_id!r}, user_id_for_srp={self.user_id_for_srp!r}, "
            f"device_key={self.device_key!r}, password=<redacted>)"
        )

    def belongs_to(self, pool_id: str, username: str) -> bool:
        """Whether this is a device of ``username`` (typed or internal name) in ``pool_id``."""
        return self.pool_id == pool_id and username in (self.username, self.user_id_for_srp)


class ChallengeLike(Protocol):
    """What srpkit.aws hands an ``answer`` callable: the pending challenge."""

    @property
    def challenge_name(self) -> str: ...  # pragma: no cover - a protocol

    @property
    def challenge_parameters(self) -> Mapping[str, str]: ...  # pragma: no cover - a protocol


# -- arguments ----------------------------------------------------------------------------------


def add_common_arguments(p: argparse.ArgumentParser, *, device_help: str) -> None:
    """The options login and refresh share."""
    p.add_argument("--pool-id", required=True, help="the user pool id (its region is in it)")
    p.add_argument("--client-id", required=True, help="the app client id")
    p.add_argument("--username", required=True, help="the user name (or an alias, e.g. email)")
    p.add_argument(
        "--endpoint-url",
        metavar="URL",
        help="send the requests here (e.g. a `srpkit serve` URL) instead of Cognito in the "
        "pool's region",
    )
    p.add_argument("--device-file", metavar="FILE", help=device_help)
    p.add_argument(
        "--print",
        dest="print_format",
        choices=PRINT_FORMATS,
        default="json",
        metavar="FORMAT",
        help='json (default: {"AuthenticationResult": ...} as the AWS CLI prints it), '
        "id-token, access-token or refresh-token (that token and a newline), or env "
        "(shell export lines)",
    )


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse a malformed pool id, client id or user name before anything is asked or sent."""
    problems = Problems()
    problems.check(pool_name, args.pool_id)
    problems.check(check_client_id, args.client_id)
    problems.check(check_username, args.username)
    problems.raise_any()


# -- secrets ------------------------------------------------------------------------------------


def is_interactive(io: CommandIO) -> bool:
    """Whether the command may prompt: its stdin is a terminal."""
    isatty = getattr(io.stdin, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):
        return False


def read_stdin_line(io: CommandIO, option: str) -> str:
    """The first line of stdin, without its line ending; an empty one is a usage error."""
    line = io.stdin.readline().rstrip("\r\n")
    if not line:
        raise UsageError(f"{option}: standard input has no line to read")
    return line


def prompt_secret(prompt: str) -> str:
    """A line typed at the terminal with echo off (getpass on /dev/tty).

    getpass would fall back to reading with echo on when it cannot turn echo
    off, warning first: that warning is made an error, so a secret is never
    shown on the screen.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", getpass.GetPassWarning)
        try:
            return getpass.getpass(prompt)
        except getpass.GetPassWarning:
            raise UsageError("cannot turn off echo on this terminal to read a secret") from None
        except EOFError:
            raise UsageError("the terminal closed before a line was typed") from None


def prompt_visible(prompt: str) -> str:
    """A line typed at the terminal, shown as typed (for choices, never for secrets)."""
    try:
        with open("/dev/tty", "r+", encoding="utf-8") as tty:
            tty.write(prompt)
            tty.flush()
            line = tty.readline()
    except OSError:
        raise UsageError("cannot open the terminal (/dev/tty) to ask") from None
    if not line:
        raise UsageError("the terminal closed before a line was typed")
    return line.strip()


# -- the client ---------------------------------------------------------------------------------


def make_client(pool_id: str, endpoint_url: str | None) -> Any:
    """An unsigned cognito-idp client for the pool's region (boto3 is imported only here)."""
    from botocore.config import Config  # noqa: PLC0415 - as below

    from .. import aws  # noqa: PLC0415 - only the sign-in path needs it (and boto3)

    # One retry, not botocore's default four with back-off: a shell command facing a dead
    # endpoint should say so in a second, not after seven.
    retries = Config(retries={"mode": "standard", "total_max_attempts": 2})
    return aws.cognito_client(pool_id, endpoint_url=endpoint_url, config=retries)


# -- output -------------------------------------------------------------------------------------


def write_tokens(
    io: CommandIO, tokens: Mapping[str, Any], fmt: str, *, user_id: str | None
) -> None:
    """Print the tokens as ``--print`` asks."""
    if fmt == "json":
        # The AWS CLI's own JSON output: indent 4, non-ASCII as is, a final newline.
        text = json.dumps({"AuthenticationResult": dict(tokens)}, indent=4, ensure_ascii=False)
        io.stdout.write(text + "\n")
    elif fmt == "env":
        lines = [
            f"export {name}={shlex.quote(str(tokens[member]))}"
            for member, name in _ENV_OF
            if tokens.get(member) is not None
        ]
        if user_id is not None:
            lines.append(f"export {USER_ID_ENV}={shlex.quote(user_id)}")
        io.stdout.write("".join(line + "\n" for line in lines))
    else:
        member = _TOKEN_OF[fmt]
        token = tokens.get(member)
        if not isinstance(token, str):
            raise CommandError(f"--print {fmt}: the answer carries no {member}")
        io.stdout.write(token + "\n")
    io.stdout.flush()


# -- the device file ----------------------------------------------------------------------------


def _refuse(path: str, problem: str) -> UsageError:
    return UsageError(f"--device-file {path}: {problem}")


def _check_private(path: str, st: os.stat_result) -> None:
    """Refuse a device file that is not a regular file of ours, closed to others."""
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(path, "not a regular file")
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise _refuse(
            path,
            f"owned by another user (uid {st.st_uid}); it holds a device's secret, so only a "
            "file of your own is used: remove it (or give another FILE) and sign in again",
        )
    if os.name == "posix" and st.st_mode & 0o077:
        mode = stat.S_IMODE(st.st_mode)
        raise _refuse(
            path,
            f"others can read or write it (mode {mode:04o}); it holds a device's secret: "
            f"run chmod 600 {shlex.quote(path)}",
        )


def load_device(path: str) -> StoredDevice | None:
    """The device in ``path`` (None when there is no such file), after checking who can read it."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        if os.path.islink(path):
            raise _refuse(path, "a symbolic link to nothing; give the file itself") from None
        return None
    except OSError as exc:
        if os.path.islink(path):
            raise _refuse(path, "a symbolic link; give the file itself") from None
        raise _refuse(path, f"cannot open it ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as f:
        _check_private(path, os.fstat(f.fileno()))
        data = f.read(_MAX_DEVICE_FILE + 1)
    if len(data) > _MAX_DEVICE_FILE:
        raise _refuse(path, "larger than a device file can be")
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _refuse(path, "not a device file srpkit wrote (not JSON)") from None
    return _read_device(path, doc)


def _read_device(path: str, doc: object) -> StoredDevice:
    if not isinstance(doc, dict) or doc.get("format") != _DEVICE_FILE_FORMAT:
        raise _refuse(path, "not a device file srpkit wrote")
    if doc.get("version") != _DEVICE_FILE_VERSION:
        raise _refuse(path, f"a device file of another version ({doc.get('version')!r:.20})")
    names = ("pool_id", "username", "user_id_for_srp", "device_key", "device_group_key")
    bad = [n for n in (*names, "device_password") if not isinstance(doc.get(n), str) or not doc[n]]
    if bad:
        raise _refuse(path, f"missing or not a string: {', '.join(bad)}")
    try:
        check_device_key(doc["device_key"])
        check_device_group_key(doc["device_group_key"])
    except SRPKitError as exc:
        raise _refuse(path, str(exc)) from None
    return StoredDevice(
        pool_id=doc["pool_id"],
        username=doc["username"],
        user_id_for_srp=doc["user_id_for_srp"],
        device_key=doc["device_key"],
        device_group_key=doc["device_group_key"],
        password=doc["device_password"],
    )


def check_device_dir(path: str) -> None:
    """Refuse, before signing in, a device file that could not be written afterwards."""
    parent = Path(path).parent
    if not parent.is_dir():
        raise _refuse(path, f"its folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise _refuse(path, f"its folder {parent} is not writable")


def save_device(path: str, device: StoredDevice) -> None:
    """Write ``device`` to ``path`` atomically: a 0600 temp file beside it, renamed over it.

    mkstemp creates the temp file with O_CREAT | O_EXCL and mode 0600, so the
    secret is never in a file others can read, even for a moment, and a reader
    sees the old file or the new one, never half of either.
    """
    doc = {
        "format": _DEVICE_FILE_FORMAT,
        "version": _DEVICE_FILE_VERSION,
        "pool_id": device.pool_id,
        "username": device.username,
        "user_id_for_srp": device.user_id_for_srp,
        "device_key": device.device_key,
        "device_group_key": device.device_group_key,
        "device_password": device.password,
    }
    target = Path(path)
    try:
        fd, temp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or Path()
        )
    except OSError as exc:
        raise CommandError(f"--device-file {path}: cannot write it ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise CommandError(f"--device-file {path}: cannot write it ({exc.strerror})") from None


# -- exit statuses ------------------------------------------------------------------------------


def _known_failure(exc: BaseException) -> tuple[int, str] | None:
    """(status, message) for an error of botocore's or a closed stdout, None for anything else."""
    if isinstance(exc, BrokenPipeError):
        return 1, "standard output was closed before everything was written"
    module = sys.modules.get("botocore.exceptions")
    if module is None or not isinstance(exc, (module.ClientError, module.BotoCoreError)):
        return None  # (botocore never imported: nothing it raised)
    if isinstance(exc, module.ClientError):
        error = exc.response.get("Error", {}) if isinstance(exc.response, Mapping) else {}
        code = str(error.get("Code") or "UnknownError")
        message = str(error.get("Message") or "")
        return 1, f"{code}: {message}" if message else code
    if isinstance(exc, (module.ConnectionError, module.HTTPClientError)):
        return 1, f"connection failure: {exc}"
    # ParamValidationError: a request botocore would not send is the command's input.
    status = 2 if isinstance(exc, module.ParamValidationError) else 1
    return status, f"{type(exc).__name__}: {exc}"


def _where(exc: BaseException) -> str:
    """The innermost srpkit frame of a traceback, as file:line (no values: they may be secrets)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "srpkit" in f.filename]
    if not frames:
        return "outside srpkit"
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno}"


def guarded(
    command: str, io: CommandIO, secrets: Secrets, tracked: list[Tracked], work: Callable[[], int]
) -> int:
    """Run ``work``; every failure becomes one redacted line on stderr and an exit status."""
    try:
        return work()
    except KeyboardInterrupt:
        print(file=io.stderr)
        return 130
    except Exception as exc:  # every failure: one line, never a traceback
        status, message = _failure(exc, tracked)
    print(f"srpkit {command}: error: {secrets.redact(message)}", file=io.stderr)
    return status


def _failure(exc: Exception, tracked: list[Tracked]) -> tuple[int, str]:
    """The exit status and message for an exception (the message is redacted by the caller)."""
    if isinstance(exc, UsageError):
        return 2, str(exc)
    if isinstance(exc, CommandError):
        return exc.status, str(exc)
    if isinstance(exc, SRPKitError):
        if any(t.sent for t in tracked):
            return 1, f"the endpoint's answer cannot be used: {exc}"
        return 2, str(exc)
    known = _known_failure(exc)
    if known is not None:
        return known
    # Not the message: an unexpected exception may carry any value, a secret included.
    return 1, f"unexpected {type(exc).__name__} at {_where(exc)} (a bug: please report it)"


def parse_and_run(  # noqa: PLR0917 - one call site per subcommand, each reads as a sentence
    prog: str,
    add_arguments: Callable[[argparse.ArgumentParser], None],
    run: Callable[..., int],
    argv: Sequence[str],
    io: CommandIO | None,
    client: Any,
) -> int:
    """One subcommand's ``main``: parse ``argv`` (usage errors are exit 2), then run it through ``client``."""
    streams = io or CommandIO()
    parser = argparse.ArgumentParser(prog=prog, allow_abbrev=False)
    add_arguments(parser)
    try:
        # argparse writes usage errors (and --help) to sys.stderr / sys.stdout itself.
        with contextlib.redirect_stderr(streams.stderr), contextlib.redirect_stdout(streams.stdout):
            args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    return int(run(args, streams, client=client))
