"""argparse's --help and usage errors reach the streams a caller hands main(), never sys.stdout / sys.stderr."""

from __future__ import annotations

import io

import pytest

from srpkit.__main__ import _COMMAND_MODULES, main
from srpkit._cli import CommandIO

# The subcommand names as the parser knows them (module secret_hash is command secret-hash).
COMMANDS = [name.replace("_", "-") for name in _COMMAND_MODULES]


def _run(argv: list[str]) -> tuple[int, str, str]:
    """main() with captured streams."""
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, CommandIO(io.StringIO(""), out, err, {}))
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", COMMANDS)
def test_help_goes_to_the_commands_stdout(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`srpkit COMMAND --help` prints its usage to the given stdout and exits 0."""
    status, out, err = _run([command, "--help"])
    assert (status, err) == (0, "")
    assert out.startswith("usage: srpkit ") and command in out.split("\n", 1)[0]
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("command", COMMANDS)
def test_usage_error_goes_to_the_commands_stderr(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad command line is a usage error (exit 2): usage and one error line on the given stderr."""
    status, out, err = _run([command, "--no-such-option"])
    assert (status, out) == (2, "")
    assert err.startswith("usage: srpkit ") and "error: " in err
    assert capsys.readouterr() == ("", "")
