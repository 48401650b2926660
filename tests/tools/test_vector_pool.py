"""Large vector files over worker processes: the same reports as in-process, under the parent's backend."""

from __future__ import annotations

import copy
import io
import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from srpkit.__main__ import main
from srpkit._cli import CommandIO
from srpkit._core import backend as _arith
from srpkit._tools import vector_pool
from srpkit._tools.vector_pool import check_files
from srpkit._tools.vectors import (
    VectorFile,
    bundled_vector_dir,
    check_file,
    parse_vector_text,
)

PV_FILE = "cognito_password_verifier_test.json"
# Scaled down so that a few dozen tests (not hundreds, under the pure-Python
# backend too) cross the threshold and span several chunks of each group.
THRESHOLD = 20
CHUNK = 16
COUNT = 50  # two groups of 16 and 34 tests: chunks of 16 | 16, 16, 2


@pytest.fixture(autouse=True)
def _scaled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test of this module with the scaled-down threshold and chunk size."""
    monkeypatch.setattr(vector_pool, "MIN_PARALLEL_TESTS", THRESHOLD)
    monkeypatch.setattr(vector_pool, "_CHUNK", CHUNK)


def _doc(name: str) -> dict[str, Any]:
    """A fresh copy of a bundled file's JSON."""
    doc: dict[str, Any] = json.loads((bundled_vector_dir() / name).read_text(encoding="utf-8"))
    return doc


def _grown(count: int, *, spoil: tuple[int, ...] = ()) -> dict[str, Any]:
    """The bundled PasswordVerifierTests repeated to ``count`` (new tcIds); ``spoil``: tcIds with a wrong signature."""
    doc = _doc(PV_FILE)
    source = doc["testGroups"][0]["tests"]
    tests = []
    for i in range(count):
        test = copy.deepcopy(source[i % len(source)])
        test["tcId"] = i + 1
        if test["tcId"] in spoil and "signature" in test:
            test["signature"] = test["signature"][::-1]
        tests.append(test)
    # a second group: outcomes must return to their own group, in order
    doc["testGroups"] = [
        {"type": "PasswordVerifierTest", "tests": tests[: count // 3]},
        {"type": "PasswordVerifierTest", "tests": tests[count // 3 :]},
    ]
    doc["numberOfTests"] = count
    return doc


def _load(doc: dict[str, Any]) -> VectorFile:
    """A vector document, shape-checked as a file would be."""
    return parse_vector_text(json.dumps(doc), "grown_test.json")


def _valid_tc_ids(doc: dict[str, Any]) -> list[int]:
    """The tcIds of the valid tests that carry a signature (spoiling one must fail it)."""
    return [
        t["tcId"]
        for g in doc["testGroups"]
        for t in g["tests"]
        if t["result"] == "valid" and "signature" in t
    ]


def _worker_backend(name: str, hardened: bool) -> str:
    """The backend a worker started by vector_pool runs under."""
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=vector_pool._start_worker,
        initargs=(name, hardened),
    ) as pool:
        return pool.submit(_arith.backend).result()


@pytest.mark.usefixtures("srp_backend")
def test_workers_give_the_in_process_reports() -> None:
    """Over two processes, every outcome (spoiled ones included) is the in-process one, in file order."""
    valid = _valid_tc_ids(_grown(COUNT))
    # one in the first group, two in different chunks of the second
    spoil = (valid[0], next(i for i in valid if i > 16), next(i for i in valid if i > 33))
    vectors = _load(_grown(COUNT, spoil=spoil))
    pooled = check_files([vectors], jobs=2)
    assert pooled == check_file(vectors)
    assert sorted(o.tc_id for r in pooled for o in r.failed) == sorted(spoil)
    assert [len(r.outcomes) for r in pooled] == [16, 34]


@pytest.mark.usefixtures("srp_backend")
def test_a_worker_runs_under_the_parents_backend(srp_backend: str) -> None:
    """A backend chosen in code, not in the environment, is the one the worker computes with."""
    assert _worker_backend(srp_backend, False) == srp_backend


def test_pool_that_cannot_start_falls_back_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where no process can be started (OSError), the same reports come from this process."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(vector_pool, "ProcessPoolExecutor", refuse)
    vectors = _load(_grown(COUNT))
    assert check_files([vectors], jobs=2) == check_file(vectors)


def test_small_runs_start_no_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Below the threshold of SRP tests (cheap tests do not count) no pool is started."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(vector_pool, "ProcessPoolExecutor", forbidden)
    doc = _grown(THRESHOLD - 1)
    hashes = _doc("cognito_secret_hash_test.json")["testGroups"][0]["tests"]
    cheap = [dict(t, tcId=10_000 + i) for i in range(300) for t in hashes[:1]]
    doc["testGroups"].append({"type": "SecretHashTest", "tests": cheap})
    doc["numberOfTests"] += len(cheap)
    vectors = _load(doc)
    assert check_files([vectors], jobs=8) == check_file(vectors)


@pytest.mark.parametrize("jobs", [0, -1, vector_pool.MAX_JOBS + 1])
def test_jobs_out_of_range_is_refused(jobs: int) -> None:
    """check_files refuses a job count below 1 or above MAX_JOBS."""
    with pytest.raises(ValueError, match="jobs: must be 1 to"):
        check_files([], jobs=jobs)


def _cli(argv: list[str]) -> tuple[int, str, str]:
    """Run main() with captured streams."""
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, CommandIO(io.StringIO(""), out, err, {}))
    return status, out.getvalue(), err.getvalue()


@pytest.mark.usefixtures("srp_backend")
def test_cli_jobs_prints_what_one_process_prints(tmp_path: Path) -> None:
    """`vectors check -j 2` on a file past the threshold prints exactly what `-j 1` prints."""
    doc = _grown(COUNT, spoil=(2,))
    path = tmp_path / "grown_test.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    one = _cli(["vectors", "check", "-j", "1", str(path)])
    two = _cli(["vectors", "check", "--jobs", "2", str(path)])
    assert one == two
    assert one[0] == 1 and "tcId 2 (valid): signature differs" in one[1]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("0", "must be 1 to 256, not 0"),
        ("two", "not a whole number: 'two'"),
        ("1.5", "not a whole"),
    ],
)
def test_cli_bad_jobs_is_a_usage_error(value: str, problem: str) -> None:
    """A --jobs that is not 1 to 256 is a usage error (exit 2) naming the option."""
    status, out, err = _cli(["vectors", "check", "--jobs", value])
    assert (status, out) == (2, "")
    assert f"argument -j/--jobs: {problem}" in err
