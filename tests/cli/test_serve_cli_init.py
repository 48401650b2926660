"""`srpkit serve --init FILE` and `--issuer aws` as a user runs them: printed ids to paste, exit 2 on a bad file."""

from __future__ import annotations

import io
import json
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest

from srpkit.__main__ import main
from srpkit._cli import CommandIO
from srpkit.aws import authenticate
from tests.serve_support import boto_client

POOL_ID = "eu-west-1_CliInit01"
CLIENT_ID = "cliinit0client0id000000001"
SECRET = "cli-init-client-secret-0123456789"
PASSWORD = "Cli-Init-Passw0rd!"
DOCUMENT = {
    "pools": [
        {
            "name": "clipool",
            "id": POOL_ID,
            "clients": [{"name": "web", "id": CLIENT_ID, "secret": SECRET}, {"name": "spa"}],
            "users": [{"username": "carla", "password": PASSWORD}],
        }
    ]
}


def run_main(*argv: str) -> tuple[int, str, str]:
    """``srpkit`` in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), CommandIO(io.StringIO(), out, err, {}))
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[list[str]]:
    """``srpkit serve --port 0 --init FILE --issuer aws`` as a process; the lines it printed at start."""
    path = tmp_path / "init.json"
    path.write_text(json.dumps(DOCUMENT))
    path.chmod(0o600)
    argv = [sys.executable, "-m", "srpkit", "serve", "--port", "0", "--init", str(path)]
    process = subprocess.Popen(
        [*argv, "--issuer", "aws"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout

    def pump() -> None:
        for line in stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    printed: list[str] = []
    try:
        while not printed or "user carla" not in printed[-1]:
            printed.append(lines.get(timeout=60).rstrip("\n"))
        yield printed
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 0 and "Traceback" not in stderr


@pytest.mark.usefixtures("srp_backend")
def test_init_prints_ids_and_signs_in_with_the_aws_issuer(served: list[str]) -> None:
    """The printed URL and ids sign a user in; tokens name AWS's issuer; no secret is printed."""
    url = re.fullmatch(r"srpkit serve: listening on (\S+) \(state in memory\)", served[0])
    assert url is not None
    text = "\n".join(served)
    assert f"pool clipool: {POOL_ID}" in text
    assert f"issuer https://cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}" in text
    assert f"jwks {url.group(1)}/{POOL_ID}/.well-known/jwks.json" in text
    assert f"client web: {CLIENT_ID} (with a secret" in text
    assert re.search(r"client spa: [a-z0-9]{26} \(no secret\)", text)
    assert SECRET not in text and PASSWORD not in text
    client = boto_client(url.group(1), region="eu-west-1")
    result = authenticate(
        client,
        pool_id=POOL_ID,
        client_id=CLIENT_ID,
        username="carla",
        password=PASSWORD,
        client_secret=SECRET,
    )
    assert result.authentication_result is not None
    claims = jwt.decode(
        result.authentication_result["AccessToken"], options={"verify_signature": False}
    )
    assert claims["iss"] == f"https://cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}"
    # The AWS-form issuer still routes our own checks to the pool.
    assert client.get_user(AccessToken=result.authentication_result["AccessToken"])["Username"] == (
        "carla"
    )


def test_a_bad_init_file_exits_2_naming_the_field(tmp_path: Path) -> None:
    """A wrong field, an unsafe mode, or a refused password: exit 2, one line naming path and field."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"pools": [{"name": "p", "clients": [{"name": "c", "secret": 1}]}]}))
    path.chmod(0o600)
    status, out, err = run_main("serve", "--port", "0", "--init", str(path))
    assert status == 2 and out == ""
    assert (
        err
        == f"srpkit serve: error: {path}: pools[0].clients[0].secret: expected true, false or the secret (a string)\n"
    )
    path.write_text(json.dumps(DOCUMENT))
    path.chmod(0o644)
    status, _, err = run_main("serve", "--port", "0", "--init", str(path))
    assert status == 2 and "readable by others" in err and f"chmod 600 {path}" in err
    weak = {"pools": [{"name": "p", "users": [{"username": "u", "password": "short"}]}]}
    path.write_text(json.dumps(weak))
    path.chmod(0o600)
    status, _, err = run_main("serve", "--port", "0", "--init", str(path))
    assert status == 2 and "pools[0].users[0]: Password did not conform with policy" in err
    assert "short" not in err and "Traceback" not in err


def test_issuer_option_is_a_closed_choice() -> None:
    """--issuer takes local or aws only (argparse's usage error, exit 2, on the command's stderr)."""
    status, _, err = run_main("serve", "--issuer", "cognito")
    assert status == 2 and "invalid choice: 'cognito'" in err
