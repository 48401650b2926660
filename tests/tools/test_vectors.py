"""The known-answer vectors checked through srpkit, and the `srpkit vectors` command."""

from __future__ import annotations

import copy
import functools
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from paths import REPO

from srpkit.__main__ import main
from srpkit._cli import CommandIO
from srpkit._tools import vectors as _vectors
from srpkit._tools.vectors import (
    VectorFile,
    VectorFileError,
    bundled_vector_dir,
    bundled_vector_paths,
    check_test,
    load_vector_file,
)

ROOT = REPO
VECTORS = ROOT / "vectors"
PV_FILE = "cognito_password_verifier_test.json"


@functools.cache
def bundled(name: str) -> VectorFile:
    """A bundled vector file, loaded once."""
    return load_vector_file(bundled_vector_dir() / name, name)


def raw(name: str) -> dict[str, Any]:
    """A fresh, mutable copy of a bundled file's JSON."""
    doc: dict[str, Any] = json.loads((bundled_vector_dir() / name).read_text(encoding="utf-8"))
    return doc


GROUPS = [(p.name, i) for p in bundled_vector_paths() for i in range(len(bundled(p.name).groups))]


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(("name", "index"), GROUPS, ids=[f"{n}-{i}" for n, i in GROUPS])
def test_vector_group_passes(name: str, index: int) -> None:
    """Every test of the group passes through srpkit: valid reproduced, invalid refused, acceptable either."""
    group = bundled(name).groups[index]
    failed = [o for o in (check_test(group.type, t) for t in group.tests) if not o.passed]
    assert not failed, "\n".join(f"tcId {o.tc_id} ({o.result}): {o.detail}" for o in failed)


def test_bundled_vectors_are_the_repository_files() -> None:
    """The vectors srpkit ships are byte for byte the files in vectors/, their single source."""
    shipped = {p.name: p.read_bytes() for p in bundled_vector_paths()}
    source = {p.name: p.read_bytes() for p in sorted(VECTORS.glob("*_test.json"))}
    assert shipped == source
    assert len(shipped) == 8  # five of our own, three of other SDKs' published values


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """Run main() with captured streams."""
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, CommandIO(io.StringIO(""), out, err, {}))
    return status, out.getvalue(), err.getvalue()


def write(tmp_path: Path, doc: object, name: str = "vectors_test.json") -> Path:
    """Write a vector document to a temporary file."""
    path = tmp_path / name
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return path


def subset(name: str, keep: Callable[[dict[str, Any]], bool], limit: int = 3) -> dict[str, Any]:
    """A bundled file cut down to its first ``limit`` tests that ``keep`` accepts."""
    doc = raw(name)
    tests = [t for t in doc["testGroups"][0]["tests"] if keep(t)][:limit]
    doc["testGroups"] = [{"type": doc["testGroups"][0]["type"], "tests": tests}]
    doc["numberOfTests"] = len(tests)
    return doc


@pytest.mark.usefixtures("srp_backend")
def test_cli_checks_the_bundled_vectors() -> None:
    """`srpkit vectors check` with no file checks every bundled test and ends with 'N passed, 0 failed'."""
    total = sum(bundled(p.name).number_of_tests for p in bundled_vector_paths())
    status, out, err = run_cli(["vectors", "check"])
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[-1] == f"{total} passed, 0 failed"
    assert total >= 150
    for group_type in _vectors.GROUP_FIELDS:
        assert any(f": {group_type}: " in line for line in lines), group_type


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(
    ("name", "field"),
    [
        (PV_FILE, "signature"),
        (PV_FILE, "S"),
        ("cognito_device_password_verifier_test.json", "key"),
        ("cognito_device_verifier_config_test.json", "passwordVerifier"),
        ("cognito_secret_hash_test.json", "secretHash"),
        ("cognito_timestamp_test.json", "timestamp"),
    ],
)
def test_cli_fails_on_one_altered_value(tmp_path: Path, name: str, field: str) -> None:
    """Altering a single expected value makes `vectors check` exit 1 and name that tcId."""
    doc = subset(name, lambda t: t["result"] == "valid")
    target = doc["testGroups"][0]["tests"][1]
    value = target[field]
    target[field] = value[:-3] + ("A" if value[-3] != "A" else "B") + value[-2:]
    status, out, _ = run_cli(["vectors", "check", str(write(tmp_path, doc))])
    assert status == 1
    assert f"failed tcIds: {target['tcId']}" in out
    assert f"tcId {target['tcId']} (valid): {field} differs" in out
    assert out.splitlines()[-1] == "2 passed, 1 failed"


@pytest.mark.usefixtures("srp_backend")
def test_cli_fails_when_an_invalid_test_is_accepted(tmp_path: Path) -> None:
    """A valid test relabelled invalid fails: srpkit accepts it."""
    doc = subset(PV_FILE, lambda t: t["result"] == "valid", limit=1)
    test = doc["testGroups"][0]["tests"][0]
    test["result"] = "invalid"
    for field in ("srpA", "u", "x", "S", "key", "signature"):
        del test[field]
    status, out, _ = run_cli(["vectors", "check", str(write(tmp_path, doc))])
    assert status == 1
    assert "accepted, but the test is invalid" in out


@pytest.mark.usefixtures("srp_backend")
def test_cli_fails_when_a_refused_test_is_valid(tmp_path: Path) -> None:
    """An acceptable test srpkit refuses passes as acceptable and fails once relabelled valid."""
    doc = subset(PV_FILE, lambda t: t["result"] == "acceptable", limit=1)
    path = write(tmp_path, doc)
    status, out, _ = run_cli(["vectors", "check", str(path)])
    assert (status, out.splitlines()[-1]) == (0, "1 passed, 0 failed")
    assert "(1 acceptable test rejected)" in out
    doc["testGroups"][0]["tests"][0]["result"] = "valid"
    status, out, _ = run_cli(["vectors", "check", str(write(tmp_path, doc))])
    assert status == 1
    assert "rejected by srpkit: SECRET_BLOCK" in out


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize("name", [PV_FILE, "cognito_device_password_verifier_test.json"])
def test_outputs_only_vectors_check(tmp_path: Path, name: str) -> None:
    """A third party's vector with only inputs, srpA and the signature checks; a wrong signature still fails."""
    doc = subset(name, lambda t: t["result"] == "valid", limit=2)
    for test in doc["testGroups"][0]["tests"]:
        for field in ("u", "x", "S", "key"):
            del test[field]
    status, out, err = run_cli(["vectors", "check", str(write(tmp_path, doc))])
    assert (status, err, out.splitlines()[-1]) == (0, "", "2 passed, 0 failed")
    target = doc["testGroups"][0]["tests"][1]
    target["signature"] = ("B" if target["signature"][0] == "A" else "A") + target["signature"][1:]
    status, out, _ = run_cli(["vectors", "check", str(write(tmp_path, doc))])
    assert status == 1
    assert f"tcId {target['tcId']} (valid): signature differs" in out


@pytest.mark.parametrize("layout", ["empty folder", "file without tests"])
def test_cli_fails_when_no_test_is_found(tmp_path: Path, layout: str) -> None:
    """A folder holding no *_test.json, or a file with no tests, exits 1 instead of '0 passed'."""
    if layout == "empty folder":
        write(tmp_path, "not looked at", "notes.txt")
        target = tmp_path
    else:
        doc = subset("cognito_timestamp_test.json", lambda t: False)
        target = write(tmp_path, doc)
    status, out, err = run_cli(["vectors", "check", str(target)])
    assert status == 1
    assert out.splitlines()[-1] == "0 passed, 0 failed"
    assert "no tests found" in err


def test_cli_checks_a_directory(tmp_path: Path) -> None:
    """A directory argument checks every *_test.json file in it."""
    write(tmp_path, subset("cognito_timestamp_test.json", lambda t: True), "a_test.json")
    write(tmp_path, subset("cognito_secret_hash_test.json", lambda t: True), "b_test.json")
    write(tmp_path, "not looked at", "notes.txt")
    status, out, _ = run_cli(["vectors", "check", str(tmp_path)])
    assert (status, out.splitlines()[-1]) == (0, "6 passed, 0 failed")


def _drop_group_type(doc: dict[str, Any]) -> None:
    doc["testGroups"][0]["type"] = "EcdsaTest"


def _drop_field(doc: dict[str, Any]) -> None:
    del doc["testGroups"][0]["tests"][1]["srpB"]


def _miscount(doc: dict[str, Any]) -> None:
    doc["numberOfTests"] += 1


def _duplicate_tc_id(doc: dict[str, Any]) -> None:
    doc["testGroups"][0]["tests"][1]["tcId"] = doc["testGroups"][0]["tests"][0]["tcId"]


def _unknown_flag(doc: dict[str, Any]) -> None:
    doc["testGroups"][0]["tests"][0]["flags"].append("NoSuchFlag")


def _bad_result(doc: dict[str, Any]) -> None:
    doc["testGroups"][0]["tests"][0]["result"] = "maybe"


def _numeric_field(doc: dict[str, Any]) -> None:
    doc["testGroups"][0]["tests"][0]["a"] = 31


def _no_groups(doc: dict[str, Any]) -> None:
    del doc["testGroups"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (_drop_group_type, "unknown test group type 'EcdsaTest'"),
        (_drop_field, "missing field 'srpB'"),
        (_miscount, "numberOfTests: says 4, the file has 3 tests"),
        (_duplicate_tc_id, "duplicate tcId"),
        (_unknown_flag, "flags without a note: NoSuchFlag"),
        (_bad_result, "'result' must be one of valid, invalid, acceptable"),
        (_numeric_field, "field 'a' must be a string"),
        (_no_groups, "missing 'testGroups'"),
    ],
)
def test_cli_reports_a_malformed_file(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], None], message: str
) -> None:
    """A malformed file gives one clear error naming the file and the problem (exit 1), never a traceback."""
    doc = subset(PV_FILE, lambda t: t["result"] == "valid")
    mutate(doc)
    path = write(tmp_path, copy.deepcopy(doc))
    status, out, err = run_cli(["vectors", "check", str(path)])
    assert status == 1
    assert out == ""
    assert err.startswith(f"srpkit vectors: error: {path}: ")
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{not json",
            "not JSON (Expecting property name enclosed in double quotes at line 1, column 2)",
        ),
        ("[1, 2]", "the top level must be a JSON object"),
    ],
)
def test_cli_reports_a_file_that_is_not_a_vector_file(
    tmp_path: Path, text: str, message: str
) -> None:
    """Text that is not a vector file at all is reported as such, with the file name."""
    path = write(tmp_path, text)
    status, _, err = run_cli(["vectors", "check", str(path)])
    assert status == 1
    assert err == f"srpkit vectors: error: {path}: {message}\n"


def test_cli_reports_a_missing_file(tmp_path: Path) -> None:
    """A file that cannot be read is named in the error."""
    status, _, err = run_cli(["vectors", "check", str(tmp_path / "absent_test.json")])
    assert status == 1
    assert "absent_test.json: cannot read: No such file or directory" in err


def test_malformed_file_stops_before_any_test_runs(tmp_path: Path) -> None:
    """Every file is shape-checked before any test runs, so a bad second file leaves no partial output."""
    good = write(tmp_path, subset("cognito_timestamp_test.json", lambda t: True), "good_test.json")
    bad = write(tmp_path, "{", "bad_test.json")
    status, out, err = run_cli(["vectors", "check", str(good), str(bad)])
    assert (status, out) == (1, "")
    assert "bad_test.json" in err


def test_check_reports_a_crash_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception inside srpkit is a failed test naming the exception type, not a crash."""

    def boom(test: object, wiring: bool) -> dict[str, str]:
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(_vectors._CHECKERS, "TimestampTest", boom)
    test = bundled("cognito_timestamp_test.json").groups[0].tests[0]
    outcome = check_test("TimestampTest", test)
    assert (outcome.passed, outcome.detail) == (False, "srpkit crashed: ZeroDivisionError")


@pytest.mark.parametrize(
    ("a", "detail"),
    [
        ("xyz", "a: not a hexadecimal number"),
        ("-1", "a: negative values are not allowed here"),
        ("0", "a: must be at least 1"),
        ("8" + "0" * 4096, "a: longer than 16384 bits (a cap that bounds work)"),
        ("1" * 8193, "a: 8193 characters, more than the 8192 allowed"),
    ],
)
def test_unusable_vector_field_is_a_failure_not_a_rejection(a: str, detail: str) -> None:
    """An invalid test whose own field (a) is unusable fails: it must not pass as 'rejected'."""
    test = dict(next(t for t in bundled(PV_FILE).groups[0].tests if t["result"] == "invalid"))
    test["a"] = a
    outcome = check_test("PasswordVerifierTest", test)
    assert (outcome.passed, outcome.detail) == (False, f"unusable vector: {detail}")


DPV_FILE = "cognito_device_password_verifier_test.json"


def reuse_tests() -> dict[str, dict[str, Any]]:
    """The ReusedPrivateEphemeral tests of the device file, by result."""
    tests = bundled(DPV_FILE).groups[0].tests
    return {t["result"]: dict(t) for t in tests if "ReusedPrivateEphemeral" in t["flags"]}


@pytest.mark.usefixtures("srp_backend")
def test_device_step_reusing_the_user_steps_a_is_refused_by_the_guard() -> None:
    """The reused-a test is refused by DeviceSRP's guard alone: without userSrpA it signs."""
    invalid = reuse_tests()["invalid"]
    outcome = check_test("DevicePasswordVerifierTest", invalid)
    assert (outcome.passed, outcome.rejected) == (True, True)
    assert "must draw its own private ephemeral" in outcome.detail
    del invalid["userSrpA"]
    assert check_test("DevicePasswordVerifierTest", invalid).detail == (
        "accepted, but the test is invalid and must be rejected"
    )


@pytest.mark.parametrize("user_srp_a", ["xyz", "-1", "0"])
def test_unusable_user_srp_a_is_a_failure_not_a_rejection(user_srp_a: str) -> None:
    """A userSrpA srpkit cannot read is the vector's fault: the test fails, it does not pass as refused."""
    test = reuse_tests()["invalid"]
    test["userSrpA"] = user_srp_a
    outcome = check_test("DevicePasswordVerifierTest", test)
    assert not outcome.passed
    assert outcome.detail.startswith("unusable vector: userSrpA: ")


def test_vector_file_error_is_an_srpkit_error() -> None:
    """Loading errors are typed (VectorFileError, an InvalidInputError) and name the field FILE."""
    with pytest.raises(VectorFileError) as info:
        _vectors.parse_vector_text("{}", "x.json")
    assert isinstance(info.value, ValueError)
    assert info.value.fields == ("FILE",)
    assert str(info.value) == "x.json: missing 'algorithm'"


def test_python_m_srpkit_vectors(tmp_path: Path) -> None:
    """`python -m srpkit vectors check FILE` and `vectors path` work as a module entry point."""
    path = write(tmp_path, subset("cognito_timestamp_test.json", lambda t: True))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "srpkit", "vectors", "check", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (done.returncode, done.stdout.splitlines()[-1]) == (0, "3 passed, 0 failed")
    done = subprocess.run(
        [sys.executable, "-m", "srpkit", "vectors", "path"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert Path(done.stdout.strip()) == bundled_vector_dir()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_load_vector_file_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    """The library loader itself (not only the CLI) refuses a FIFO or a device instead of waiting on it."""
    fifo = tmp_path / "pipe_test.json"
    os.mkfifo(fifo)
    # A child process, so a regression blocks only it and the timeout ends it.
    code = (
        "import sys\n"
        "from srpkit._tools.vectors import VectorFileError, load_vector_file\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n"
        "        load_vector_file(path)\n"
        "    except VectorFileError as exc:\n"
        "        print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(fifo), os.devnull],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout.splitlines() == [
        f"{fifo}: not a regular file",
        f"{os.devnull}: not a regular file",
    ]


def test_readme_states_the_bundled_test_count() -> None:
    """The README's 'holds N Wycheproof-shaped tests' is the number of tests srpkit ships."""
    total = sum(bundled(p.name).number_of_tests for p in bundled_vector_paths())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`vectors/` holds {total:,} Wycheproof-shaped tests" in readme
