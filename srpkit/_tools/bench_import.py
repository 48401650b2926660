"""What ``import srpkit`` costs in a fresh interpreter, for ``srpkit bench``.

Each round starts ``python -X importtime -c "import srpkit"`` and reads the
cumulative time CPython itself records for the ``srpkit`` package (its own
modules and everything they import that was not loaded at start-up), so the
figure leaves out interpreter start-up and the process launch, which are not
srpkit's. The best round is kept, as for every other figure of the bench.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

__all__ = ["IMPORT_TARGET_SECONDS", "import_lines", "import_seconds", "read_importtime"]

IMPORT_TARGET_SECONDS = 0.050
# "import time:       1463 |      34487 | srpkit": self and cumulative microseconds, then the
# module name, indented by its depth in the import tree.
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def read_importtime(stderr: str, module: str = "srpkit") -> float | None:
    """The cumulative seconds -X importtime reports for the top-level import of ``module``."""
    for line in stderr.splitlines():
        match = _LINE.match(line)
        if match and match.group(4) == module and len(match.group(3)) == 1:
            return int(match.group(2)) / 1e6
    return None


def import_seconds(rounds: int) -> float:
    """The best of ``rounds`` fresh interpreters' ``import srpkit`` (-X importtime), in seconds."""
    # The environment as it is (SRPKIT_BACKEND included), but no PYTHONSTARTUP script.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}
    best = float("inf")
    for _ in range(rounds):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import srpkit"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        seconds = read_importtime(proc.stderr) if proc.returncode == 0 else None
        if seconds is None:
            raise RuntimeError("import srpkit failed in a fresh interpreter")
        best = min(best, seconds)
    return best


def import_lines(seconds: float) -> list[str]:
    """The section: the time, then its target."""
    met = "met" if seconds < IMPORT_TARGET_SECONDS else "NOT MET"
    limit = IMPORT_TARGET_SECONDS * 1e3
    return [
        "import srpkit in a fresh interpreter (python -X importtime, best round)",
        f"  import srpkit                             {seconds * 1e3:6.1f} ms",
        "",
        "Targets",
        f"  import srpkit: < {limit:.0f} ms: {seconds * 1e3:.1f} ms  {met}",
    ]
