"""Issue #18 item 7: ``srpkit audit`` prints on an ASCII or latin-1 stdout without crashing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from test_audit import client_transcript

from srpkit.__main__ import main
from srpkit._cli import CommandIO
from srpkit._cli.audit import PASSWORD_ENV
from srpkit._core.encoding import hash_hex, pad_hex

pytestmark = pytest.mark.usefixtures("srp_backend")


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_non_ascii_values_and_name_on_narrow_stdout(tmp_path: Path, encoding: str) -> None:
    """A non-ASCII user id and file name are printed escaped on an ASCII/latin-1 stdout."""
    transcript, _ = client_transcript((1 << 1000) + 5, user_id="ü-用户-\u20ac")
    transcript.pop("password")
    transcript.pop("a")
    path = tmp_path / "tränscript-用.json"
    path.write_text(json.dumps(transcript), encoding="utf-8")
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding=encoding, errors="strict")
    status = main(["audit", str(path)], CommandIO(io.StringIO(""), out, io.StringIO(), {}))
    out.flush()
    text = raw.getvalue().decode(encoding)
    assert status in (0, 3), text
    assert "srpkit audit:" in text
    assert "\\u7528" in text  # 用, escaped rather than refused


@pytest.mark.parametrize("json_output", [False, True])
def test_audit_prints_nothing_from_password_alone(tmp_path: Path, json_output: bool) -> None:
    """With the password given, no output holds x or its fingerprint unless --show-x asks."""
    transcript, intermediates = client_transcript((1 << 1000) + 5)
    password = transcript.pop("password")
    path = tmp_path / "t.json"
    path.write_text(json.dumps(transcript), encoding="utf-8")
    x = int(intermediates["x"], 16)
    fingerprint = hash_hex(pad_hex(x).encode())[:8]

    def run(*extra: str) -> str:
        out = io.StringIO()
        argv = ["audit", str(path), *(["--json"] if json_output else []), *extra]
        status = main(
            argv, CommandIO(io.StringIO(""), out, io.StringIO(), {PASSWORD_ENV: password})
        )
        assert status == 0, out.getvalue()
        return out.getvalue()

    default = run()
    assert fingerprint not in default and format(x, "x") not in default
    assert fingerprint in run("--show-x")  # the option works, so the check above can fail
