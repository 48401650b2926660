"""`srpkit demo` and the in-memory user pool it runs against."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from unittest import mock

import pytest

from srpkit import UserSRP, new_device_secret, user_srp_auth_request
from srpkit.__main__ import main
from srpkit._cli import CommandIO
from srpkit.endpoint.service import ServiceError, UserPool

PASSWORD = "Demo-Pa55word-xyz"
STEPS = [
    "AdminCreateUser",
    "InitiateAuth (USER_SRP_AUTH)",
    "RespondToAuthChallenge (PASSWORD_VERIFIER)",
    "ConfirmDevice",
    "InitiateAuth + PASSWORD_VERIFIER, with DEVICE_KEY",
    "RespondToAuthChallenge (DEVICE_SRP_AUTH)",
    "RespondToAuthChallenge (DEVICE_PASSWORD_VERIFIER)",
    "a wrong password: refused",
    "SRP_A = N (a sign-in without the password): refused",
]


def run_demo(*args: str, stdout: io.TextIOBase | None = None) -> tuple[int, str]:
    """Run `srpkit demo` in-process with a known password; (status, output)."""
    out = stdout or io.StringIO()
    with mock.patch("srpkit._cli.demo._draw_password", return_value=PASSWORD):
        status = main(["demo", *args], CommandIO(io.StringIO(), out, io.StringIO(), {}))  # type: ignore[arg-type]
    if isinstance(out, io.StringIO):
        return status, out.getvalue()
    out.flush()
    return status, out.buffer.getvalue().decode("ascii")  # type: ignore[attr-defined]


@pytest.mark.usefixtures("srp_backend")
def test_demo_runs_every_step_and_exits_zero() -> None:
    """The demo signs in as user and device, refuses the forgeries, and exits 0."""
    status, out = run_demo()
    assert status == 0, out
    positions = [out.index(f". {step}") for step in STEPS]
    assert positions == sorted(positions)
    assert "all 9 steps" in out
    assert re.search(r"client +\d+\.\d ms +server +\d+\.\d ms", out)


@pytest.mark.usefixtures("srp_backend")
def test_demo_elides_secrets() -> None:
    """Neither the password, the tokens nor the verifiers are printed."""
    status, out = run_demo("--with-client-secret")
    assert status == 0
    assert PASSWORD not in out
    for key in ("AccessToken", "IdToken", "RefreshToken", "PasswordVerifier", "verifier"):
        assert re.search(rf"\b{key} +<elided>", out), key
    assert "SECRET_HASH" in out


@pytest.mark.usefixtures("srp_backend")
def test_demo_brief_color_and_ascii() -> None:
    """--brief prints step lines only; --color always adds ANSI; a non-UTF-8 terminal gets ASCII."""
    status, out = run_demo("--brief")
    assert status == 0 and "SRP_B" not in out and "\033[" not in out
    status, out = run_demo("--brief", "--color", "always")
    assert status == 0 and "\033[32m" in out
    ascii_out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    status, out = run_demo(stdout=ascii_out)
    assert status == 0 and "ok 9." in out


@pytest.mark.usefixtures("srp_backend")
def test_demo_fails_when_a_forgery_is_accepted() -> None:
    """If the verifier accepted a wrong password, the demo says so and exits non-zero."""
    with mock.patch("srpkit.server.ServerSRP.verify", return_value=None):
        status, out = run_demo()
    assert status == 1
    assert "a wrong password was accepted" in out and "FAILED" in out


@pytest.mark.usefixtures("srp_backend")
def test_demo_fails_when_a_step_fails() -> None:
    """A device whose verifier does not match its password fails DEVICE_PASSWORD_VERIFIER: exit 1."""

    def wrong_secret(group_key: str, device_key: str) -> object:
        real = new_device_secret(group_key, device_key)
        other = new_device_secret(group_key, device_key)
        return mock.Mock(
            device_key=real.device_key,
            device_group_key=real.device_group_key,
            password=real.password,
            verifier_config=other.verifier_config,
        )

    with mock.patch("srpkit._cli.demo.new_device_secret", wrong_secret):
        status, out = run_demo("--brief")
    assert status == 1
    assert "NotAuthorizedException" in out and "[signature]" in out


def test_demo_entry_point() -> None:
    """`python -m srpkit demo` runs as a program and exits 0."""
    proc = subprocess.run(
        [sys.executable, "-m", "srpkit", "demo", "--brief"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.usefixtures("srp_backend")
def test_pool_refuses_misuse() -> None:
    """The pool answers as Cognito would: unknown user, wrong client, reused SECRET_BLOCK, bad op."""
    pool = UserPool("us-east-1_Demo1", "client1")
    pool.add_user("bob", PASSWORD)
    client = UserSRP("us-east-1_Demo1", "client1", "bob", PASSWORD)
    body = user_srp_auth_request(client)
    with pytest.raises(ServiceError, match="UserNotFoundException"):
        pool.handle("InitiateAuth", {**body, "AuthParameters": {"USERNAME": "eve", "SRP_A": "5"}})
    with pytest.raises(ServiceError, match="ResourceNotFoundException"):
        pool.handle("InitiateAuth", {**body, "ClientId": "other"})
    with pytest.raises(ServiceError, match="InvalidAction"):
        pool.handle("SignUp", {})
    challenge = pool.handle("InitiateAuth", body)
    assert "Session" not in challenge  # as Cognito answers USER_SRP_AUTH
    answer = {
        "ClientId": "client1",
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeResponses": client.process_challenge(challenge["ChallengeParameters"]),
    }
    assert "AuthenticationResult" in pool.handle("RespondToAuthChallenge", answer)
    with pytest.raises(ServiceError, match="Invalid session"):
        pool.handle("RespondToAuthChallenge", answer)
    with pytest.raises(ServiceError, match="Invalid Access Token"):
        pool.handle("ConfirmDevice", {"AccessToken": "forged", "DeviceKey": "x"})
