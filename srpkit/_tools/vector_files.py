"""Vector files: find the bundled ones, read one (bounded), and check its shape.

The files are Wycheproof-shaped JSON (vectors/README.md describes them); a file
that is unreadable, not JSON or of the wrong shape is one VectorFileError that
names the file and the place. Running the tests is ``vectors``' job.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._core.errors import InvalidInputError
from .._core.jsonio import JSONTextError, load_json

__all__ = [
    "GROUP_FIELDS",
    "INTERMEDIATES",
    "MAX_VECTOR_FILE_BYTES",
    "RESULTS",
    "VectorFile",
    "VectorFileError",
    "VectorGroup",
    "bundled_vector_dir",
    "bundled_vector_paths",
    "load_vector_file",
    "parse_vector_text",
]

RESULTS = ("valid", "invalid", "acceptable")

_SRP_OUTPUTS = ("srpA", "u", "x", "S", "key", "signature")
# A third party's vectors (a capture, another SDK's unit test) hold the inputs
# and what went on the wire (SRP_A, the signature), rarely u, x, S or the key:
# these intermediates are checked when present and never demanded (issue #16).
INTERMEDIATES = frozenset({"u", "x", "S", "key"})
# group type -> (required inputs, optional inputs, outputs); outputs other than
# INTERMEDIATES are required unless the test is invalid.
GROUP_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "PasswordVerifierTest": (
        ("poolId", "username", "password", "a", "salt", "srpB", "secretBlock", "timestamp"),
        ("signInName", "b"),
        _SRP_OUTPUTS,
    ),
    "DevicePasswordVerifierTest": (
        (
            "deviceGroupKey",
            "deviceKey",
            "devicePassword",
            "a",
            "salt",
            "srpB",
            "secretBlock",
            "timestamp",
        ),
        # userSrpA: the SRP_A the user step of the same sign-in sent; a device
        # step whose SRP_A is that one reused the user step's a (invalid).
        ("b", "userSrpA"),
        _SRP_OUTPUTS,
    ),
    "DeviceVerifierConfigTest": (
        ("deviceGroupKey", "deviceKey", "devicePassword", "salt"),
        (),
        ("passwordVerifier", "verifierSalt"),
    ),
    "SecretHashTest": (("username", "clientId", "clientSecret"), (), ("secretHash",)),
    "TimestampTest": (("instant",), (), ("timestamp",)),
}


# The bundled files are a few hundred KiB; the cap keeps a wrong path (a disk image, a
# device) from being read into memory.
MAX_VECTOR_FILE_BYTES = 16 << 20


class VectorFileError(InvalidInputError):
    """A vector file that cannot be read, is not JSON, or does not have the vector files' shape."""


@dataclass(frozen=True)
class VectorGroup:
    """One ``testGroups`` entry: its type and its tests (the JSON objects, as read)."""

    type: str
    tests: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class VectorFile:
    """A loaded, shape-checked vector file."""

    name: str
    algorithm: str
    number_of_tests: int
    groups: tuple[VectorGroup, ...]


# ---------------------------------------------------------------- finding the files


def bundled_vector_dir() -> Path:
    """The directory of the vectors shipped with srpkit.

    An installed wheel carries them as package data (``srpkit/vectors/``); a
    source checkout (and an editable install of one) has them in the
    repository's ``vectors/`` directory, their single source.
    """
    package = Path(__file__).resolve().parents[1]  # srpkit/, this file is srpkit/_tools/
    for candidate in (package / "vectors", package.parent / "vectors"):
        if any(candidate.glob("*_test.json")):
            return candidate
    raise VectorFileError(
        "no bundled vector files found (looked in srpkit/vectors/ and the source "
        "checkout's vectors/); pass the files to check",
        fields=("FILE",),
    )


def bundled_vector_paths() -> list[Path]:
    """The bundled vector files, sorted by name."""
    return sorted(bundled_vector_dir().glob("*_test.json"))


# ---------------------------------------------------------------- loading and shape


def load_vector_file(path: str | Path, name: str | None = None) -> VectorFile:
    """Read and shape-check a vector file; ``name`` is what messages call it (default: the path)."""
    display = str(path) if name is None else name
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise block forever, and a
        # device may never end; only a regular file is read (issue #18), whoever calls.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            status = os.fstat(fd)
            regular = stat.S_ISREG(status.st_mode)
            too_big = status.st_size > MAX_VECTOR_FILE_BYTES
            data = b"" if too_big or not regular else handle.read(MAX_VECTOR_FILE_BYTES + 1)
    except OSError as exc:
        raise VectorFileError(
            f"{display}: cannot read: {exc.strerror or exc}", fields=("FILE",)
        ) from None
    except ValueError:  # open() refuses a NUL or a lone surrogate in the path
        raise VectorFileError(f"{display}: not a usable file name", fields=("FILE",)) from None
    if not regular:
        raise VectorFileError(f"{display}: not a regular file", fields=("FILE",))
    if too_big or len(data) > MAX_VECTOR_FILE_BYTES:
        raise VectorFileError(
            f"{display}: larger than {MAX_VECTOR_FILE_BYTES >> 20} MiB", fields=("FILE",)
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise VectorFileError(f"{display}: not UTF-8 text", fields=("FILE",)) from None
    return parse_vector_text(text, display)


def parse_vector_text(text: str, name: str) -> VectorFile:
    """Parse and shape-check the text of a vector file called ``name``."""
    try:
        doc = load_json(text)
    except JSONTextError as exc:
        raise VectorFileError(f"{name}: not JSON ({exc})", fields=("FILE",)) from None
    return _shape(doc, name)


def _fail(name: str, where: str, problem: str) -> VectorFileError:
    return VectorFileError(
        f"{name}: {where}: {problem}" if where else f"{name}: {problem}", fields=("FILE",)
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shape(doc: object, name: str) -> VectorFile:
    if not isinstance(doc, dict):
        raise _fail(name, "", "the top level must be a JSON object")
    for key, kind, label in (
        ("algorithm", str, "a string"),
        ("schema", str, "a string"),
        ("header", list, "a list of strings"),
        ("notes", dict, "an object"),
        ("testGroups", list, "a list"),
    ):
        if key not in doc:
            raise _fail(name, "", f"missing '{key}'")
        if not isinstance(doc[key], kind):
            raise _fail(name, key, f"must be {label}")
    if not _is_int(doc.get("numberOfTests")):
        raise _fail(name, "numberOfTests", "missing, or not an integer")
    if not all(isinstance(line, str) for line in doc["header"]):
        raise _fail(name, "header", "must be a list of strings")
    shaper = _Shaper(name, doc["notes"])
    groups = [shaper.group(f"testGroups[{gi}]", g) for gi, g in enumerate(doc["testGroups"])]
    count = sum(len(g.tests) for g in groups)
    if doc["numberOfTests"] != count:
        raise _fail(
            name, "numberOfTests", f"says {doc['numberOfTests']}, the file has {count} tests"
        )
    return VectorFile(name, doc["algorithm"], count, tuple(groups))


class _Shaper:
    """Shape checks for the groups and tests of one file (its notes, the tcIds seen so far)."""

    def __init__(self, name: str, notes: dict[str, Any]) -> None:
        self.name = name
        self.notes = notes
        self.seen: set[int] = set()
        for flag, note in notes.items():
            if not (
                isinstance(note, dict)
                and isinstance(note.get("bugType"), str)
                and isinstance(note.get("description"), str)
            ):
                raise _fail(name, f"notes.{flag}", 'must be {"bugType": str, "description": str}')

    def group(self, where: str, group: object) -> VectorGroup:
        if not isinstance(group, dict):
            raise _fail(self.name, where, "must be an object")
        kind = group.get("type")
        if not isinstance(kind, str) or kind not in GROUP_FIELDS:
            raise _fail(
                self.name,
                f"{where}.type",
                f"unknown test group type {kind!r} (known: {', '.join(GROUP_FIELDS)})",
            )
        tests = group.get("tests")
        if not isinstance(tests, list):
            raise _fail(self.name, f"{where}.tests", "missing, or not a list")
        for ti, test in enumerate(tests):
            self.test(f"{where}.tests[{ti}]", kind, test)
        return VectorGroup(kind, tuple(tests))

    def test(self, where: str, kind: str, test: object) -> None:
        if not isinstance(test, dict):
            raise _fail(self.name, where, "must be an object")
        tc_id = test.get("tcId")
        if not isinstance(tc_id, int) or isinstance(tc_id, bool):
            raise _fail(self.name, where, "'tcId' missing, or not an integer")
        where = f"{where} (tcId {tc_id})"
        if tc_id in self.seen:
            raise _fail(self.name, where, "duplicate tcId")
        self.seen.add(tc_id)
        if not isinstance(test.get("comment"), str):
            raise _fail(self.name, where, "'comment' missing, or not a string")
        flags = test.get("flags")
        if not (isinstance(flags, list) and all(isinstance(f, str) for f in flags)):
            raise _fail(self.name, where, "'flags' missing, or not a list of strings")
        undefined = [f for f in flags if f not in self.notes]
        if undefined:
            raise _fail(self.name, where, f"flags without a note: {', '.join(undefined)}")
        if test.get("result") not in RESULTS:
            raise _fail(self.name, where, f"'result' must be one of {', '.join(RESULTS)}")
        required, optional, outputs = GROUP_FIELDS[kind]
        demanded = tuple(f for f in outputs if f not in INTERMEDIATES)
        needed = required + (demanded if test["result"] != "invalid" else ())
        for field in needed:
            if field not in test:
                raise _fail(self.name, where, f"missing field '{field}'")
        for field in needed + optional + outputs:
            if field in test and not isinstance(test[field], str):
                raise _fail(self.name, where, f"field '{field}' must be a string")
