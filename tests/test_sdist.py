"""The sdist is complete: it carries its tests' support files and data, and those tests run from it.

It is built as a user or a distribution would build it (``python -m build --sdist``, in an
isolated build environment), unpacked, and a quick subset of its own tests is run from the
unpacked tree: the collection of the whole suite (the helpers, data and vectors every test
module needs) and a few modules that read the README, the vectors and the layer rules.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from paths import REPO

# What a test module imports or reads beyond srpkit itself; each was once missing.
NEEDED = [
    "LICENSE",
    "CHANGELOG.md",
    "SECURITY.md",
    "README.md",
    ".ci/run",
    "tests/conftest.py",
    "tests/_jsref.py",
    "tests/serve_support.py",
    "tests/aws_double.py",
    "tests/paths.py",
    "tests/reference/cognito_srp.py",
    "tests/data/device_kats.json",
    "tests/data/reference/cognito-idp-shapes.json",
    "vectors/tools/package.json",
    "vectors/tools/package-lock.json",
    "compat/package.json",
    "compat/package-lock.json",
    "vectors/tools/check_independent.py",
    "vectors/cognito_password_verifier_test.json",
]

QUICK = [
    "tests/test_project.py",
    "tests/test_layers.py",
    "tests/core/test_timestamp.py",
    "tests/tools/test_vectors_lint.py",
    "-k",
    "not verifies_every_file",  # 14 s of independent re-checking; the full suite does it
]


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist built from this checkout, unpacked; its top folder."""
    if importlib.util.find_spec("build") is None:
        pytest.fail("the test extra installs 'build'; this test must not skip")
    out = tmp_path_factory.mktemp("sdist")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (archive,) = out.glob("srpkit-*.tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        # The "data" filter (3.10.12+, 3.11.4+) refuses links and paths out of ``out``.
        if hasattr(tarfile, "data_filter"):
            tar.extractall(out, filter="data")
        else:  # an older patch release: our own freshly built archive
            tar.extractall(out)
    assert not [n for n in names if "node_modules" in n]  # npm ci installs them; never shipped
    (top,) = [p for p in out.iterdir() if p.is_dir()]
    return top


def test_sdist_carries_what_its_tests_need(unpacked: Path) -> None:
    """Every support file, data file and vectors tool source the tests use is in the sdist."""
    assert [name for name in NEEDED if not (unpacked / name).is_file()] == []


def test_sdist_tests_collect_and_a_quick_subset_passes(unpacked: Path) -> None:
    """From the unpacked sdist, the whole suite collects without errors and a quick subset passes."""

    def pytest_in_sdist(*args: str) -> subprocess.CompletedProcess[str]:
        # cwd first on sys.path (python -m): the sdist's own srpkit and tests are the ones run.
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
            cwd=unpacked,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    collected = pytest_in_sdist("--collect-only")
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    assert " collected" in collected.stdout and "error" not in collected.stdout.splitlines()[-1]
    quick = pytest_in_sdist(*QUICK)
    assert quick.returncode == 0, quick.stdout[-3000:] + quick.stderr[-3000:]
