"""Wall time of `srpkit vectors check` on a large file: one process against one per core, per backend.

Run: python benchmarks/vectors_check.py [--tests 4000] [--runs 3]

The file is the bundled PasswordVerifierTests repeated (new tcIds) to --tests,
the size of a third party's capture set. Each run is a fresh `python -m srpkit
vectors check` (start-up, reading and shape-checking the file included), timed
around the whole child; the floor printed beside it is one variable-base
exponentiation per valid test (the S each needs; refused tests need none),
measured in the same run. Nothing here asserts a time; compare the ratios, within one run.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from srpkit._core import backend as _arith
from srpkit._core.group import N
from srpkit._tools.vector_pool import usable_cores
from srpkit._tools.vectors import bundled_vector_dir


def grown_file(count: int, folder: Path) -> Path:
    """The bundled PasswordVerifierTests repeated to ``count`` tests, written to ``folder``."""
    name = "cognito_password_verifier_test.json"
    doc: dict[str, Any] = json.loads((bundled_vector_dir() / name).read_text(encoding="utf-8"))
    source = doc["testGroups"][0]["tests"]
    tests = []
    for i in range(count):
        test = copy.deepcopy(source[i % len(source)])
        test["tcId"] = i + 1
        tests.append(test)
    doc["testGroups"] = [{"type": "PasswordVerifierTest", "tests": tests}]
    doc["numberOfTests"] = count
    path = folder / "grown_test.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def check_seconds(path: Path, backend: str, jobs: int) -> float:
    """Wall time of one `srpkit vectors check -j JOBS FILE` under ``backend``."""
    env = dict(os.environ, SRPKIT_BACKEND=backend)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "srpkit", "vectors", "check", "-j", str(jobs), str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"vectors check failed ({backend}, -j {jobs}): {proc.stdout[-500:]}")
    return elapsed


def floor_seconds(backend: str, path: Path) -> float:
    """One S per valid test: (N - i)^(a + u*x) mod N with each test's own a (u*x is ~512 bits)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    exponents = [
        int(t["a"], 16) + (1 << 511) * 3
        for g in doc["testGroups"]
        for t in g["tests"]
        if t["result"] == "valid"
    ]
    previous = _arith.backend()
    _arith.set_backend(backend)
    try:
        sample = exponents[:200]
        start = time.perf_counter()
        for i, exponent in enumerate(sample):
            _arith.powmod(N - 12345 - i, exponent, N)
        return (time.perf_counter() - start) * len(exponents) / len(sample)
    finally:
        _arith.set_backend(previous)


def main(argv: list[str] | None = None) -> int:
    """Print min / median per backend and job count, and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tests", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    cores = usable_cores()
    print(f"{args.tests} PasswordVerifierTests, {cores} usable cores, {args.runs} runs each")
    with tempfile.TemporaryDirectory() as folder:
        path = grown_file(args.tests, Path(folder))
        for backend in _arith.available_backends():
            floor = floor_seconds(backend, path)
            times = {}
            for jobs in sorted({1, cores}):
                runs = [check_seconds(path, backend, jobs) for _ in range(args.runs)]
                times[jobs] = statistics.median(runs)
                print(
                    f"  {backend:6} -j {jobs}: min {min(runs):6.2f} s, median {times[jobs]:6.2f} s"
                    f"  ({times[jobs] / floor:.2f}x the S floor of one core, {floor:.2f} s)"
                )
            if cores > 1:
                print(
                    f"  {backend:6} speed-up with {cores} processes: {times[1] / times[cores]:.2f}x"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
