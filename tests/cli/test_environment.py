"""A bad SRPKIT_BACKEND / SRPKIT_HARDENED: every command says so in one line, exit status 2, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

COMMANDS = [
    ["--help"],
    ["secret-hash", "--help"],
    ["demo"],
    ["vectors", "check"],
    ["serve", "--help"],
]
BAD = [
    ({"SRPKIT_BACKEND": "bogus"}, "SRPKIT_BACKEND: unknown backend; use 'gmpy2' or 'python'"),
    ({"SRPKIT_HARDENED": "maybe"}, "SRPKIT_HARDENED: use 1 (on) or 0 (off)"),
    ({"SRPKIT_HARDENED": "1", "SRPKIT_BACKEND": "python"}, "SRPKIT_HARDENED: hardened mode needs"),
]


@pytest.mark.parametrize(("env", "message"), BAD)
@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_bad_environment_is_one_line_and_status_2(
    env: dict[str, str], message: str, argv: list[str]
) -> None:
    """The command refuses before doing anything: one line on stderr naming the variable, status 2."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SRPKIT_")}
    done = subprocess.run(
        [sys.executable, "-m", "srpkit", *argv],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"srpkit: error: {message}"), done.stderr


def test_import_never_fails_on_a_bad_environment() -> None:
    """import srpkit succeeds with a bad SRPKIT_BACKEND; the first use of the arithmetic raises it, typed."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SRPKIT_")}
    code = (
        "import srpkit\n"
        "try:\n    srpkit.backend()\n"
        "except srpkit.InvalidInputError as exc:\n    print('refused', exc.fields)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "SRPKIT_BACKEND": "bogus"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "refused ('SRPKIT_BACKEND',)"
