"""The docs site's code examples run: doctests, the pytest-plugin test file, and every srpkit command.

Each ``python`` block of docs/ is either a doctest (``>>>``, run here under both backends) or a
test file of a user's suite (run by pytest in a subprocess, with the plugin found through its
entry point); any other Python block fails the test, so no example goes unexecuted. Each ``sh``
line that runs srpkit must name a real subcommand and only options its ``--help`` lists.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from paths import REPO

from srpkit.__main__ import main
from srpkit._cli import CommandIO

DOCS = REPO / "docs"
PAGES = sorted(DOCS.glob("*.md"))


def blocks(page: Path, language: str) -> list[str]:
    """The fenced code blocks of one language on a page, in order."""
    return re.findall(rf"```{language}\n(.*?)```", page.read_text(encoding="utf-8"), re.S)


def test_the_docs_have_the_pages_the_nav_lists() -> None:
    """Every page mkdocs.yml's nav lists exists, and every page in docs/ is in the nav."""
    nav = set(re.findall(r":\s*([\w-]+\.md)\s*$", (REPO / "mkdocs.yml").read_text(), re.M))
    assert nav == {page.name for page in PAGES}


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_doctests_in_the_docs_run(page: Path) -> None:
    """Every >>> example on a docs page runs and prints what the page says."""
    result = doctest.testfile(str(page), module_relative=False, verbose=False)
    assert result.failed == 0


def test_every_python_block_is_executed() -> None:
    """A Python block is a doctest or a test file; nothing else, so no example goes unrun."""
    unrun = [
        (page.name, block.splitlines()[0])
        for page in PAGES
        for block in blocks(page, "python")
        if ">>> " not in block and "def test_" not in block
    ]
    assert unrun == []


def test_the_docs_test_files_pass(tmp_path: Path) -> None:
    """The docs' example test files pass when a user's pytest runs them with the srpkit plugin."""
    files = [b for page in PAGES for b in blocks(page, "python") if "def test_" in b]
    assert files  # the local-endpoint page has one
    for number, block in enumerate(files):
        (tmp_path / f"test_docs_example_{number}.py").write_text(block)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{sum(b.count('def test_') for b in files)} passed" in run.stdout


def srpkit_commands() -> list[list[str]]:
    """Every srpkit command line in the docs' sh blocks, as words."""
    found = []
    for page in PAGES:
        for block in blocks(page, "sh"):
            for line in block.splitlines():
                for part in line.split("#", 1)[0].split("&&"):
                    words = shlex.split(part)
                    if words and words[0].endswith("srpkit"):
                        found.append(words[1:])
    return found


def help_of(words: list[str]) -> str:
    """What ``srpkit [subcommand] --help`` prints."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):  # argparse prints help to sys.stdout
        assert main([*words, "--help"], CommandIO(stdout=out, stderr=io.StringIO())) == 0
    return out.getvalue()


def test_every_srpkit_command_in_the_docs_exists() -> None:
    """Each srpkit command in the docs names a real subcommand and only options it accepts."""
    commands = srpkit_commands()
    assert len(commands) >= 4
    wrong = []
    for words in commands:
        subcommand = [words[0]] if words and not words[0].startswith("-") else []
        if subcommand == ["vectors"]:
            subcommand = words[:2]
        listed = help_of(subcommand)
        for option in re.findall(r"--[a-z][a-z-]*", " ".join(words)):
            if option not in listed:
                wrong.append(f"srpkit {' '.join(subcommand)} {option}")
    assert wrong == []
