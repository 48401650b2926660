"""``srpkit --version``: the version the installed package declares, on the command's stdout."""

from __future__ import annotations

import io
from importlib.metadata import version

import srpkit
from srpkit.__main__ import main
from srpkit._cli import CommandIO


def test_version_prints_the_package_version() -> None:
    """--version prints "srpkit X.Y.Z", the installed metadata agrees, and the status is 0."""
    out, err = io.StringIO(), io.StringIO()
    status = main(["--version"], CommandIO(stdout=out, stderr=err))
    assert (status, out.getvalue(), err.getvalue()) == (0, f"srpkit {srpkit.__version__}\n", "")
    # pyproject reads the version from srpkit.__version__, so the two cannot drift.
    assert version("srpkit") == srpkit.__version__
