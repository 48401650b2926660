"""`srpkit refresh` against a live `srpkit serve`: the refresh token from env or stdin, DEVICE_KEY from the device file.

The tokens to refresh come from `srpkit login` run in this process (cheap); the
refreshes that matter most run as `python -m srpkit refresh`, as a user runs it.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from paths import REPO
from serve_support import PASSWORD, add_user, make_pool, running

from srpkit.__main__ import main
from srpkit._cli import CommandIO

DEVICES = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}
FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")


@pytest.fixture(scope="module")
def serve() -> Iterator[tuple[str, Any, list[str]]]:
    """One in-process `srpkit serve`, an administration client and its request log, for the module."""
    with running() as (handle, client, log):
        yield handle.url, client, log


def claims(token: str) -> dict[str, Any]:
    """A JWT's payload."""
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def options(url: str, pool_id: str, client_id: str, username: str, *extra: str) -> list[str]:
    """The options every command here takes."""
    ids = ["--pool-id", pool_id, "--client-id", client_id, "--username", username]
    return [*ids, "--endpoint-url", url, *extra]


def in_process(
    argv: list[str], env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """A srpkit command in this process, shaped like a subprocess's result."""
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, CommandIO(io.StringIO(stdin), out, err, env))
    return subprocess.CompletedProcess(argv, status, out.getvalue(), err.getvalue())


def child(
    argv: list[str], env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """`python -m srpkit ...` with only the SRPKIT_* variables given in ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SRPKIT_")}
    return subprocess.run(
        [sys.executable, "-m", "srpkit", *argv],
        env={**clean, **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
    )


def signed_in(argv: list[str], env: dict[str, str]) -> dict[str, str]:
    """`srpkit login ... --print env`, read back as the variables it exports."""
    done = in_process(["login", *argv, "--print", "env"], {"SRPKIT_PASSWORD": PASSWORD, **env})
    assert done.returncode == 0, done.stderr
    exported = {}
    for line in done.stdout.splitlines():
        _, assignment = shlex.split(line)
        name, _, value = assignment.partition("=")
        exported[name] = value
    return exported


def one_error_line(done: subprocess.CompletedProcess[str], status: int, *secrets: str) -> str:
    """Exit ``status``, no stdout, one stderr line, no traceback, no secret."""
    assert done.returncode == status, done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("srpkit refresh: error: "), done.stderr
    assert not [s for s in secrets if s in done.stderr]
    return lines[0]


def test_refresh_token_from_the_environment_and_from_stdin(
    serve: tuple[str, Any, list[str]],
) -> None:
    """$SRPKIT_REFRESH_TOKEN (what login --print env exports) or --refresh-token-stdin: new tokens, exit 0."""
    url, admin, _ = serve
    pool_id, client_id, _ = make_pool(admin, flows=FLOWS)
    add_user(admin, pool_id, "rita")
    argv = options(url, pool_id, client_id, "rita")
    exported = signed_in(argv, {})
    token = exported["SRPKIT_REFRESH_TOKEN"]

    done = child(["refresh", *argv], {"SRPKIT_REFRESH_TOKEN": token})
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert done.stdout == json.dumps(printed, indent=4) + "\n"
    tokens = printed["AuthenticationResult"]
    assert claims(tokens["AccessToken"])["username"] == "rita"
    assert tokens["AccessToken"] != exported["SRPKIT_ACCESS_TOKEN"]
    assert "RefreshToken" not in tokens  # REFRESH_TOKEN_AUTH hands out none
    assert token not in done.stdout + done.stderr

    piped = in_process(
        ["refresh", *argv, "--refresh-token-stdin", "--print", "id-token"], {}, token + "\n"
    )
    assert piped.returncode == 0, piped.stderr
    assert claims(piped.stdout.strip())["cognito:username"] == "rita"


def test_wrong_or_missing_refresh_token(serve: tuple[str, Any, list[str]], tmp_path: Path) -> None:
    """A wrong token: exit 1 with Cognito's error, the token not echoed; none at all or no device file: exit 2."""
    url, admin, _ = serve
    pool_id, client_id, _ = make_pool(admin, flows=FLOWS)
    argv = options(url, pool_id, client_id, "sam")
    wrong = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.not-a-token"
    done = child(["refresh", *argv], {"SRPKIT_REFRESH_TOKEN": wrong})
    line = one_error_line(done, 1, wrong)
    assert line.endswith("NotAuthorizedException: Invalid Refresh Token.")
    assert "SRPKIT_REFRESH_TOKEN" in one_error_line(in_process(["refresh", *argv], {}), 2)
    missing = str(tmp_path / "none.device")
    no_file = in_process(
        ["refresh", *argv, "--device-file", missing], {"SRPKIT_REFRESH_TOKEN": wrong}
    )
    assert "no such file" in one_error_line(no_file, 2, wrong)


def test_device_file_sends_device_key_and_user_id_for_srp(
    serve: tuple[str, Any, list[str]], tmp_path: Path
) -> None:
    """Tokens of a device sign-in refresh only with --device-file, whose USER_ID_FOR_SRP signs SECRET_HASH."""
    url, admin, _ = serve
    pool_id, client_id, secret = make_pool(
        admin, secret=True, flows=FLOWS, UsernameAttributes=["email"], DeviceConfiguration=DEVICES
    )
    assert secret is not None
    email = "uma@example.com"
    internal = add_user(admin, pool_id, email, email=email)
    path = tmp_path / "uma.device"
    argv = options(url, pool_id, client_id, email)
    env = {"SRPKIT_CLIENT_SECRET": secret}
    signed_in([*argv, "--device-file", str(path)], env)  # makes and remembers the device
    exported = signed_in([*argv, "--device-file", str(path)], env)  # signs in with it
    key = json.loads(path.read_text())["device_key"]
    assert claims(exported["SRPKIT_ACCESS_TOKEN"])["device_key"] == key
    env["SRPKIT_REFRESH_TOKEN"] = exported["SRPKIT_REFRESH_TOKEN"]

    without = in_process(["refresh", *options(url, pool_id, client_id, internal)], env)
    assert one_error_line(without, 1, secret).endswith("Invalid Refresh Token.")
    done = child(["refresh", *argv, "--device-file", str(path), "--print", "env"], env)
    assert done.returncode == 0, done.stderr
    assert f"export SRPKIT_USER_ID_FOR_SRP={internal}\n" in done.stdout
    access = next(line for line in done.stdout.splitlines() if "SRPKIT_ACCESS_TOKEN" in line)
    assert claims(shlex.split(access)[1].partition("=")[2])["username"] == internal


def test_rotate_uses_get_tokens_from_refresh_token(serve: tuple[str, Any, list[str]]) -> None:
    """--rotate sends GetTokensFromRefreshToken (not InitiateAuth) and prints its tokens."""
    url, admin, log = serve
    pool_id, client_id, _ = make_pool(admin, flows=FLOWS)
    add_user(admin, pool_id, "vic")
    argv = options(url, pool_id, client_id, "vic")
    env = {"SRPKIT_REFRESH_TOKEN": signed_in(argv, {})["SRPKIT_REFRESH_TOKEN"]}
    mark = len(log)
    done = in_process(["refresh", *argv, "--rotate", "--print", "access-token"], env)
    assert done.returncode == 0, done.stderr
    assert claims(done.stdout.strip())["username"] == "vic"
    assert [line.split()[0] for line in log[mark:]] == ["GetTokensFromRefreshToken"]
