"""The vector files are well-formed: schema, tcIds, counts, notes, coverage, provenance, independent check."""

from __future__ import annotations

import ast
import copy
import functools
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from paths import REPO

ROOT = REPO
VECTORS = ROOT / "vectors"
FILES = sorted(VECTORS.glob("*_test.json"))
CHECKER = VECTORS / "tools" / "check_independent.py"
CLASSES = ("HighBit", "OddLengthHex", "LeadingZeroByte")

# The edge classes issue #4 asks for, by file: each must be hit by at least one test.
REQUIRED_FLAGS = {
    "cognito_password_verifier_test.json": {
        *(f"{v}{c}" for v in ("A", "B", "S", "U", "X", "Salt") for c in CLASSES),
        "NegativeSalt",
        "BGreaterThanN",
        "BZeroModN",
        "SrpBLeadingZeros",
        "SrpBUpperCase",
        "NonAsciiPassword",
        "NfdPassword",
        "AliasLogin",
        "SingleDigitDay",
        "LenientHex",
        "NegativeSrpB",
        "InvalidBase64SecretBlock",
        "PublishedVector",
        "SaltAsAsciiHex",
    },
    "cognito_device_password_verifier_test.json": {
        *(f"{v}LeadingZeroByte" for v in ("A", "B", "S", "U", "X", "Salt")),
        "NegativeSalt",
        "BGreaterThanN",
        "BZeroModN",
        "EmptyDevicePassword",
        # peers' mistake (issue #16): the device step reusing the user step's a
        "ReusedPrivateEphemeral",
    },
    "cognito_device_verifier_config_test.json": {
        *(f"{v}{c}" for v in ("Salt", "Verifier") for c in CLASSES),
        "ZeroSalt",
    },
    "cognito_secret_hash_test.json": {
        "NonAsciiUsername",
        "LongClientSecret",
        "PublishedVector",
        "UserIdForSrp",
    },
    "cognito_timestamp_test.json": {
        "SingleDigitDay",
        "Midnight",
        "LeapDay",
        "YearEnd",
        "NewYear",
        # peers' clock mistakes (issue #16): 03 for 15, 24 for 00
        "TwelveHourClock",
        "HourZero",
        "SingleDigitHour",
    },
    # Other SDKs' published vectors (issue #16): the .NET SDK's 8186-bit a among them.
    "cognito_published_password_verifier_test.json": {"PublishedVector", "WidePrivateEphemeral"},
    "cognito_published_device_password_verifier_test.json": {
        "PublishedVector",
        "LenientHex",
        "DeviceKeyOutsideApiModel",
    },
    "cognito_published_secret_hash_test.json": {"PublishedVector"},
}
PUBLISHED = [p for p in FILES if p.name.startswith("cognito_published_")]
# "<owner>/<repo> (<path> at commit <40 hex>": where each published value was found.
PROVENANCE = re.compile(r"[\w.-]+/[\w.-]+ \([\w./-]+ at commit [0-9a-f]{40}\b")


def load(path: Path) -> dict[str, Any]:
    """The JSON of a vector file."""
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def validator(doc: dict[str, Any]) -> jsonschema.Draft202012Validator:
    """A validator for the schema the file names."""
    schema = json.loads((VECTORS / "schema" / doc["schema"]).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def all_tests(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every test of every group, in file order."""
    return [t for g in doc["testGroups"] for t in g["tests"]]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_file_matches_its_schema(path: Path) -> None:
    """The file validates against the JSON Schema in vectors/schema/ that it names."""
    doc = load(path)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(doc).iter_errors(doc)]
    assert not errors, "\n".join(errors[:10])


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_tc_ids_counts_and_notes(path: Path) -> None:
    """tcIds run 1..n without duplicates, numberOfTests is n, every flag has a note and every note is used."""
    doc = load(path)
    tests = all_tests(doc)
    assert [t["tcId"] for t in tests] == list(range(1, len(tests) + 1))
    assert doc["numberOfTests"] == len(tests)
    used = {f for t in tests for f in t["flags"]}
    assert used <= set(doc["notes"]), used - set(doc["notes"])
    assert set(doc["notes"]) <= used, set(doc["notes"]) - used
    assert all(len(t["flags"]) == len(set(t["flags"])) for t in tests)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_required_edge_classes_are_covered(path: Path) -> None:
    """Each file has at least one test of every edge class the issue lists for it."""
    used = {f for t in all_tests(load(path)) for f in t["flags"]}
    missing = REQUIRED_FLAGS[path.name] - used
    assert not missing, sorted(missing)


def test_enough_tests_with_every_result() -> None:
    """At least 150 tests in all, and the SRP files have valid, invalid and acceptable tests."""
    docs = {p.name: load(p) for p in FILES}
    assert sum(d["numberOfTests"] for d in docs.values()) >= 150
    for name in (
        "cognito_password_verifier_test.json",
        "cognito_device_password_verifier_test.json",
    ):
        assert {t["result"] for t in all_tests(docs[name])} == {"valid", "invalid", "acceptable"}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_provenance_is_stated(path: Path) -> None:
    """The header names the generator, both official clients with versions, and the independent checker."""
    header = " ".join(load(path)["header"])
    for needle in (
        "vectors/tools/generate.mjs",
        "amazon-cognito-identity-js 6.3.21",
        "@aws-amplify/auth 6.21.1",
        "vectors/tools/check_independent.py",
    ):
        assert needle in header, needle


def test_published_vectors_name_repository_file_and_commit() -> None:
    """Each published test is flagged PublishedVector and names its source's repository, file and commit."""
    assert len(PUBLISHED) == 3
    for path in PUBLISHED:
        for test in all_tests(load(path)):
            assert "PublishedVector" in test["flags"], (path.name, test["tcId"])
            assert PROVENANCE.search(test["comment"]), (path.name, test["tcId"])


def test_files_are_ascii() -> None:
    """Non-ASCII text is \\u-escaped, so an editor normalizing Unicode cannot silently change an NFD test."""
    for path in FILES:
        path.read_bytes().decode("ascii")


def test_readme_documents_every_file_and_count() -> None:
    """vectors/README.md names every file with its current number of tests."""
    readme = (VECTORS / "README.md").read_text(encoding="utf-8")
    for path in FILES:
        row = re.search(rf"`{re.escape(path.name)}`[^\n]*\|\s*(\d+)\s*\|", readme)
        assert row, path.name
        assert int(row.group(1)) == load(path)["numberOfTests"], path.name
    for path in sorted((VECTORS / "schema").glob("*.json")):
        assert path.name in readme, path.name


def _break(doc: dict[str, Any], how: str) -> dict[str, Any]:
    broken = copy.deepcopy(doc)
    tests = broken["testGroups"][0]["tests"]
    valid = next(t for t in tests if t["result"] == "valid")
    invalid = next(t for t in tests if t["result"] == "invalid")
    if how == "invalid-with-output":
        invalid["signature"] = valid["signature"]
    elif how == "valid-without-output":
        del valid["signature"]  # u, x, S and key are optional (issue #16); the signature is not
    elif how == "unknown-field":
        valid["sRPB"] = valid["srpB"]
    elif how == "uppercase-padhex":
        valid["u"] = valid["u"].upper()
    return broken


@pytest.mark.parametrize(
    "how", ["invalid-with-output", "valid-without-output", "unknown-field", "uppercase-padhex"]
)
def test_schema_rejects_broken_tests(how: str) -> None:
    """The schema has teeth: outputs on invalid tests, missing outputs, unknown fields and bad hex all fail it."""
    doc = load(VECTORS / "cognito_password_verifier_test.json")
    assert not validator(doc).is_valid(_break(doc, how))


def test_independent_checker_does_not_import_srpkit() -> None:
    """check_independent.py is a second implementation: it imports only the standard library, never srpkit."""
    tree = ast.parse(CHECKER.read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "srpkit" not in imported
    assert imported <= sys.stdlib_module_names, imported - sys.stdlib_module_names


@functools.cache
def run_checker(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the independent checker (once per argument list: it does not depend on srpkit's backend)."""
    return subprocess.run(
        [sys.executable, str(CHECKER), *args], capture_output=True, text=True, check=False, cwd=ROOT
    )


def test_independent_checker_verifies_every_file() -> None:
    """The second implementation reproduces every valid and acceptable output and refuses every invalid test."""
    done = run_checker()
    assert done.returncode == 0, done.stdout[-3000:]
    total = sum(load(p)["numberOfTests"] for p in FILES)
    assert f"{total} tests in {len(FILES)} files, 0 problems" in done.stdout


def test_independent_checker_catches_an_altered_value(tmp_path: Path) -> None:
    """The independent checker fails, naming the tcId, when one expected value is altered."""
    doc = load(VECTORS / "cognito_device_verifier_config_test.json")
    doc["testGroups"][0]["tests"] = doc["testGroups"][0]["tests"][:2]
    doc["numberOfTests"] = 2
    used = {f for t in all_tests(doc) for f in t["flags"]}
    doc["notes"] = {k: v for k, v in doc["notes"].items() if k in used}
    doc["testGroups"][0]["tests"][1]["verifierSalt"] = "AAAA"
    path = tmp_path / "altered_test.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    done = run_checker(str(path))
    assert done.returncode == 1
    assert "altered_test.json tcId 2: verifierSalt differs" in done.stdout
