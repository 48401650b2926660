"""Issue #18 item 10: ``srpkit audit`` and ``srpkit vectors check`` refuse a FIFO instead of blocking."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from srpkit.__main__ import main
from srpkit._cli import CommandIO

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def _run(argv: list[str]) -> tuple[int, str]:
    # A child process, so a regression blocks only it and the timeout ends it.
    code = (
        "import io, sys\n"
        "from srpkit.__main__ import main\n"
        "from srpkit._cli import CommandIO\n"
        "err = io.StringIO()\n"
        "rc = main(sys.argv[1:], CommandIO(io.StringIO(''), io.StringIO(), err, {}))\n"
        "sys.stderr.write(err.getvalue()); sys.exit(rc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *argv], check=False, capture_output=True, text=True, timeout=60
    )
    return done.returncode, done.stderr


@pytest.mark.parametrize("command", [["audit"], ["vectors", "check"]])
def test_fifo_argument_refused_not_waited_on(tmp_path: Path, command: list[str]) -> None:
    """A FIFO given as the file is refused as not a regular file; the command returns."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    status, stderr = _run([*command, str(fifo)])
    assert status != 0
    assert "not a regular file" in stderr


def test_audit_cap_counts_bytes(tmp_path: Path) -> None:
    """The 4 MiB transcript cap counts bytes: 1.5M three-byte characters (4.5 MB) are refused."""
    big = tmp_path / "big.json"
    big.write_text('{"x": "' + "€" * 1_500_000 + '"}', encoding="utf-8")
    err = io.StringIO()
    status = main(["audit", str(big)], CommandIO(io.StringIO(""), io.StringIO(), err, {}))
    assert status == 2
    assert "larger than 4 MiB" in err.getvalue()
