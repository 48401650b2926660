"""Start-up of the ``srpkit`` command: building its parser loads no command's engine.

Every subcommand is registered on every start, so a module-level import of the
endpoint or the vector tools in one ``_cli`` module would be paid by all the
others (``srpkit login`` above all). This counts modules, never time.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from srpkit._cli import audit
from srpkit._tools.audit import Status

# What only one command needs: the local endpoint (serve, demo), the audit and vector
# tools, their process pool, and the AWS SDK (login, refresh, bench).
ENGINES = (
    "srpkit.endpoint",
    "srpkit._tools",
    "multiprocessing",
    "concurrent.futures",
    "http.server",
    "sqlite3",
    "boto3",
    "botocore",
)

_PROBE = """
import contextlib, io, json, sys
from srpkit.__main__ import main
from srpkit._cli import CommandIO
with contextlib.suppress(SystemExit):
    main(sys.argv[1:], CommandIO(io.StringIO(), io.StringIO(), io.StringIO(), {}))
print(json.dumps(sorted(sys.modules)))
"""


def _loaded_after(*argv: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def _engines(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == e or m.startswith(e + ".") for e in ENGINES))


@pytest.mark.parametrize(
    "argv",
    [
        ("--help",),
        ("--version",),
        ("login", "--help"),
        ("refresh", "--help"),
        ("secret-hash", "--help"),
        ("serve", "--help"),
        ("vectors", "check", "--help"),
        ("audit", "--help"),
        ("demo", "--help"),
        ("bench", "--help"),
    ],
)
def test_parsing_loads_no_engine(argv: tuple[str, ...]) -> None:
    """Parsing any command line (help included) imports no endpoint, tool, pool or AWS SDK module."""
    assert _engines(_loaded_after(*argv)) == []


def test_the_probe_sees_an_engine_when_one_runs() -> None:
    """``vectors path`` runs and loads the vector tools: the probe can tell a loaded engine."""
    assert "srpkit._tools.vectors" in _engines(_loaded_after("vectors", "path"))


def test_the_audit_marks_cover_every_status() -> None:
    """The audit's marks, keyed by Status values so the engine loads late, name each Status once."""
    for marks in (audit._MARKS, audit._ASCII_MARKS):
        assert set(marks) == {status.value for status in Status}
        assert all(marks[status] for status in Status)  # a Status finds its own value's mark
