"""Project promises: the README's commands are the ones CI runs, and the package ships its types."""

from __future__ import annotations

import doctest
import re

import pytest
from paths import REPO

ROOT = REPO


def readme_commands() -> list[str]:
    """The sh code blocks on the README's first screen, in order."""
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:30])
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", first_screen, re.S)]


def test_readme_first_screen_has_the_two_setup_commands() -> None:
    """The first screen holds the main-job command and the test command, each doing its own set-up."""
    main_job, tests = readme_commands()[:2]
    assert main_job.startswith("python3 -m venv .venv") and main_job.endswith("srpkit demo")
    assert tests.startswith("python3 -m venv .venv") and "python -m pytest" in tests


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    """.ci/run contains the README's test command as one line of its own."""
    tests = readme_commands()[1]
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert tests in ci_lines


def test_package_is_typed() -> None:
    """py.typed is present and declared as package data."""
    assert (ROOT / "srpkit" / "py.typed").exists()
    assert '"py.typed"' in (ROOT / "pyproject.toml").read_text()


@pytest.mark.usefixtures("srp_backend")
def test_readme_examples_run() -> None:
    """Every >>> example in the README runs and prints what the README says."""
    result = doctest.testfile(str(ROOT / "README.md"), module_relative=False, verbose=False)
    assert result.attempted >= 20
    assert result.failed == 0
