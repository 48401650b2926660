"""``srpkit vectors``: check srpkit against the known-answer vectors (bundled, or given files)."""

from __future__ import annotations

import argparse
import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._core.caps import MAX_JOBS
from . import CommandIO, UsageError

if TYPE_CHECKING:
    from .._tools.vectors import GroupReport, VectorFile

# The vector tools are imported where they are used, not at the top: every other
# command's start-up would pay for them (tests/cli/test_startup_imports.py).


def register(commands: Any) -> None:
    """Add the ``vectors`` subcommand and its actions."""
    p = commands.add_parser(
        "vectors",
        help="check srpkit against the Cognito SRP known-answer vectors",
        description="Known-answer vectors for Cognito SRP, device verifiers, SECRET_HASH and "
        "TIMESTAMP, made by the official JavaScript clients and shipped with srpkit.",
    )
    actions = p.add_subparsers(
        dest="vectors_action",
        metavar="ACTION",
        required=True,
        parser_class=functools.partial(argparse.ArgumentParser, allow_abbrev=False),
    )
    check = actions.add_parser(
        "check",
        help="run every test of the vector files through srpkit",
        description="Run every test through srpkit: valid tests must be reproduced exactly, "
        "invalid ones refused, acceptable ones either. Prints a summary per test group and "
        "the failing tcIds, ends with 'N passed, M failed'; exits 1 if any test fails or none were found.",
    )
    check.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="vector files, or directories of *_test.json files (default: the bundled vectors)",
    )
    check.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="worker processes (default: one per usable core; 1: none). Small runs are "
        "checked in this process: workers cost more than they save there",
    )
    check.set_defaults(run=run_check)
    where = actions.add_parser(
        "path",
        help="print the directory holding the bundled vector files",
        description="Print the directory of the bundled vector files (and their JSON schemas "
        "in its schema/ subdirectory), for other implementations to read.",
    )
    where.set_defaults(run=run_path)


def _jobs(text: str) -> int:
    """A --jobs value: a whole number of processes from 1 to MAX_JOBS."""
    try:
        jobs = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= jobs <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"must be 1 to {MAX_JOBS}, not {jobs}")
    return jobs


def _shown(path: Path) -> str:
    # A file name that is not UTF-8 reaches Python as lone surrogates; stdout would refuse them.
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


def _usable(name: str) -> Path:
    """The path of a FILE argument, or a usage error for one no file can have."""
    try:
        os.fsencode(name)
    except UnicodeEncodeError:
        # Only a lone surrogate that is not an undecodable byte of argv gets here.
        raise UsageError(f"{_shown(Path(name))}: not a usable file name") from None
    if "\x00" in name:
        raise UsageError(f"{name!r}: not a usable file name (contains NUL)")
    return Path(name)


def _load(files: list[str]) -> list[VectorFile]:
    from .._tools.vectors import (  # noqa: PLC0415 - start-up
        VectorFileError,
        bundled_vector_paths,
        load_vector_file,
    )

    if not files:
        return [load_vector_file(p, p.name) for p in bundled_vector_paths()]
    loaded: list[VectorFile] = []
    for path in [_usable(name) for name in files]:
        try:
            # is_dir() raises for some errors (a name too long), glob() for an unreadable directory.
            members = sorted(path.glob("*_test.json")) if path.is_dir() else [path]
        except OSError as exc:
            raise VectorFileError(
                f"{_shown(path)}: cannot read: {exc.strerror or exc}", fields=("FILE",)
            ) from None
        for member in members:
            loaded.append(load_vector_file(member, _shown(member)))
    return loaded


def _report(report: GroupReport, io: CommandIO) -> None:
    total = len(report.outcomes)
    failed = report.failed
    rejected = sum(o.passed and o.rejected and o.result == "acceptable" for o in report.outcomes)
    line = (
        f"{report.file}: {report.type}: {total} tests, {report.passed} passed, {len(failed)} failed"
    )
    if rejected:
        line += f" ({rejected} acceptable {'test' if rejected == 1 else 'tests'} rejected)"
    print(line, file=io.stdout)
    if failed:
        print("  failed tcIds: " + ", ".join(str(o.tc_id) for o in failed), file=io.stdout)
        for o in failed:
            print(f"  tcId {o.tc_id} ({o.result}): {o.detail}", file=io.stdout)
    io.stdout.flush()


def run_check(args: argparse.Namespace, io: CommandIO) -> int:
    """Check the files (every one is loaded and shape-checked before any test runs)."""
    from .._tools.vector_pool import check_files, usable_cores  # noqa: PLC0415 - start-up

    files = _load(args.files)
    passed = failed = 0
    jobs = args.jobs if args.jobs is not None else min(usable_cores(), MAX_JOBS)
    for report in check_files(files, jobs=jobs):
        _report(report, io)
        passed += report.passed
        failed += len(report.failed)
    print(f"{passed} passed, {failed} failed", file=io.stdout)
    if passed + failed == 0:
        # "0 passed" from a wrong folder or an empty file would read as success.
        print("srpkit vectors: no tests found in the files given", file=io.stderr)
        return 1
    return 1 if failed else 0


def run_path(args: argparse.Namespace, io: CommandIO) -> int:
    """Print the bundled vectors' directory."""
    from .._tools.vectors import bundled_vector_dir  # noqa: PLC0415 - start-up

    print(bundled_vector_dir(), file=io.stdout)
    return 0
