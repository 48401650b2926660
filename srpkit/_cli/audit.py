"""``srpkit audit TRANSCRIPT.json``: recompute a client's SRP sign-in step by step; name the first divergence.

Exit status: 0 consistent (every step, the signature included, recomputed and
equal), 1 a divergence, 2 an unusable transcript or command line, 3 nothing
diverges but the signature could not be recomputed (give ``a``, or log the key).
The transcript format is documented in ``srpkit._tools.transcript``.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
from typing import TYPE_CHECKING, Any

from .._core.errors import SRPKitError
from .._core.jsonio import JSONTextError, load_json
from . import CommandIO, UsageError

if TYPE_CHECKING:
    from .._tools.audit import AuditReport

PASSWORD_ENV = "SRPKIT_PASSWORD"  # noqa: S105 - the name of a variable, not a password
SMALL_A_ENV = "SRPKIT_SMALL_A"
CLIENT_SECRET_ENV = "SRPKIT_CLIENT_SECRET"  # noqa: S105 - the name of a variable, not a secret
_MAX_TRANSCRIPT = 4 << 20
_EXIT_INCOMPLETE = 3

# Keyed by the Status values (Status is a str enum, so Status.MATCH finds "match"): the
# audit engine is imported on run, not at start-up, which every other command would pay
# for (tests/cli/test_startup_imports.py).
_MARKS = {
    "match": "✓",
    "differs": "✗",
    "not logged": "·",
    "input": "·",
    "cannot check": "?",
    "warn": "!",
}
_ASCII_MARKS = {
    "match": "ok",
    "differs": "XX",
    "not logged": "..",
    "input": "..",
    "cannot check": "??",
    "warn": "!!",
}


def register(commands: Any) -> None:
    """Add the ``audit`` subcommand."""
    p = commands.add_parser(
        "audit",
        help="recompute a client's SRP transcript step by step and explain the first divergence",
        description="Recompute every step of a PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) "
        "transcript and show, per value, what was recorded and what srpkit computes; at the "
        "first divergence, name the client mistakes that reproduce it. The password, a and the "
        f"client secret are read from the transcript, ${PASSWORD_ENV} / ${SMALL_A_ENV} / "
        f"${CLIENT_SECRET_ENV}, or (password) standard input; never from the command line. "
        "Exit status: 0 consistent, 1 divergent, "
        "2 unusable transcript, 3 consistent so far but the signature could not be recomputed.",
    )
    p.add_argument("transcript", metavar="TRANSCRIPT.json", help="the transcript ('-' for stdin)")
    p.add_argument("--json", action="store_true", help="print the audit as JSON")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )
    p.add_argument(
        "--show-x",
        action="store_true",
        help="also print a fingerprint of x; off by default because x comes from the password "
        "alone: with the transcript's public salt, realm and id, anyone who sees the "
        "fingerprint can test password guesses offline at millions per second",
    )
    p.set_defaults(run=run)


def _read_regular(path: str) -> bytes:
    """At most the cap plus one byte of a regular file; a FIFO or device is refused, not waited on."""
    # O_NONBLOCK: opening a FIFO with no writer would otherwise block forever.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UsageError(f"{path!r}: not a regular file")
        return handle.read(_MAX_TRANSCRIPT + 1)


def _load(path: str, io: CommandIO) -> Any:
    try:
        # The cap counts bytes (what SECURITY.md promises), read before decoding;
        # only a text-only stdin (no .buffer, as in tests) is counted in characters.
        stdin_bytes = getattr(io.stdin, "buffer", None) if path == "-" else None
        if path == "-" and stdin_bytes is None:
            text = io.stdin.read(_MAX_TRANSCRIPT + 1)
            size = len(text)
        else:
            data = stdin_bytes.read(_MAX_TRANSCRIPT + 1) if stdin_bytes else _read_regular(path)
            size = len(data)
            text = data.decode("utf-8") if size <= _MAX_TRANSCRIPT else ""
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    except ValueError:  # open() refuses a NUL or a lone surrogate in the path
        raise UsageError(f"cannot read {path!r}: not a usable file name") from None
    if size > _MAX_TRANSCRIPT:
        raise UsageError(f"{path}: larger than {_MAX_TRANSCRIPT >> 20} MiB")
    try:
        return load_json(text)
    except JSONTextError as exc:
        raise UsageError(f"{path}: not JSON ({exc})") from None


def run(args: argparse.Namespace, io: CommandIO) -> int:
    """Audit the transcript and print the table (or JSON)."""
    from .._tools.audit import audit_transcript  # noqa: PLC0415 - start-up

    if args.password_stdin and args.transcript == "-":
        raise UsageError("--password-stdin cannot be used with a transcript read from stdin")
    data = _load(args.transcript, io)
    password = io.environ.get(PASSWORD_ENV)
    if args.password_stdin:
        password = io.stdin.readline().rstrip("\r\n")
    try:
        report = audit_transcript(
            data,
            password=password,
            small_a=io.environ.get(SMALL_A_ENV),
            show_x=args.show_x,
            client_secret=io.environ.get(CLIENT_SECRET_ENV),
        )
    except SRPKitError as exc:
        raise UsageError(f"transcript: {exc}") from None
    if args.json:
        print(
            json.dumps({"transcript": args.transcript, **report.to_json()}, indent=2),
            file=io.stdout,
        )
    else:
        # A file name that is not UTF-8 reaches argv as lone surrogates; stdout would refuse them.
        source = args.transcript.encode("utf-8", "backslashreplace").decode("utf-8")
        print(_encodable(render(report, source, _unicode_ok(io)), io), file=io.stdout)
    if not report.consistent:
        return 1
    return 0 if report.complete else _EXIT_INCOMPLETE


def _encodable(text: str, io: CommandIO) -> str:
    """``text`` with what stdout's encoding cannot hold as backslash escapes (no UnicodeEncodeError)."""
    encoding = getattr(io.stdout, "encoding", None) or "utf-8"
    try:
        return text.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:
        return text.encode("ascii", "backslashreplace").decode("ascii")


def _unicode_ok(io: CommandIO) -> bool:
    encoding = getattr(io.stdout, "encoding", None) or "utf-8"
    try:
        "✓✗·…".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _cell(text: str | None, width: int, ellipsis: str, missing: str = "(not logged)") -> str:
    if text is None:
        return missing.ljust(width)
    if len(text) > width:
        keep = width - len(ellipsis) - 6
        text = text[:keep] + ellipsis + text[-6:]
    return text.ljust(width)


_STEP_WIDTH = 44
_VALUE_WIDTH = 28


def render(report: AuditReport, source: str, unicode: bool = True) -> str:
    """The audit as a table for a terminal, then the verdict and the likely causes."""
    from .._tools.audit import Status  # noqa: PLC0415 - start-up

    marks = _MARKS if unicode else _ASCII_MARKS
    ellipsis = "…" if unicode else "~"
    lines = [f"srpkit audit: {source} ({report.flow} sign-in)", ""]
    header = f"   {'step':<{_STEP_WIDTH}} {'recorded':<{_VALUE_WIDTH}} recomputed"
    lines += [header, "   " + "-" * (_STEP_WIDTH + 2 * _VALUE_WIDTH + 2)]
    for step in report.steps:
        label = f"{step.name} = {step.formula}"
        if step.name == "TIMESTAMP":
            label = f"{step.name} ({step.formula})"
        recomputed = step.recomputed
        if step.status == Status.MATCH and step.recomputed == step.recorded:
            recomputed = "same"
        lines.append(
            f"{marks[step.status]:>2} {_cell(label, _STEP_WIDTH, ellipsis)} "
            f"{_cell(step.recorded, _VALUE_WIDTH, ellipsis)} "
            f"{_cell(recomputed, _VALUE_WIDTH, ellipsis, '(needs more input)')}".rstrip()
        )
        note = step.note
        if step.name == report.first_divergence:
            note = f"first divergence{': ' + note if note else ''}"
        if note:
            lines.append(f"{'':>2}   {'└ ' if unicode else '> '}{note}")
    lines.append("")
    if report.consistent and report.complete:
        lines.append(
            f"{marks[Status.MATCH]} consistent: every recorded value is what Cognito's clients compute"
        )
    elif report.consistent:
        lines.append(
            f"{marks[Status.CANNOT]} consistent so far, but the signature was not recomputed: "
            "add a (or the logged key) and the password"
        )
    else:
        lines.append(
            f"{marks[Status.DIFFERS]} inconsistent: first divergence at {report.first_divergence}"
        )
        lines += _cause_lines(report)
    if any(s.secret and (s.recorded or s.recomputed) for s in report.steps):
        lines.append("  (x, S and key appear as fingerprints: # + 8 hex digits of their SHA-256)")
    return "\n".join(lines)


def _cause_lines(report: AuditReport) -> list[str]:
    """Causes of the first divergence; for later divergences only the causes not yet named."""
    lines: list[str] = []
    named: set[str] = set()
    for step in dict.fromkeys(c.step for c in report.causes):
        causes = [c for c in report.causes if c.step == step and c.mistake not in named]
        if not causes:
            continue
        lead = "likely cause" if len(causes) == 1 else "likely causes, likeliest first"
        lines.append(f"  {step}: {lead}")
        for cause in causes:
            also = [r for r in cause.reproduces if r != step]
            extra = f" (this also reproduces {', '.join(also)})" if also else ""
            lines.append(f"    - {cause.description}{extra}")
            named.add(cause.mistake)
    return lines
