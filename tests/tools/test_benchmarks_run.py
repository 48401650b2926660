"""The pytest-benchmark files in benchmarks/ still run (each workload once, nothing timed)."""

from __future__ import annotations

import subprocess
import sys

from paths import REPO


def test_every_benchmark_runs_once() -> None:
    """``pytest benchmarks --benchmark-disable`` passes: no workload there has rotted."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "benchmarks",
            "--benchmark-disable",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout
