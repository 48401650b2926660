"""`srpkit login` at a terminal: the password and a new password are asked with echo off.

The command runs in a pseudo-terminal (``pty.fork``: the child's controlling
terminal, so getpass opens it as /dev/tty) against a live `srpkit serve`; what
the terminal shows is everything read from the pty's master side.
"""

from __future__ import annotations

import json
import os
import select
import sys
import time
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from aws_double_mfa import totp
from paths import REPO
from serve_support import PASSWORD, add_user, make_pool, running

from srpkit import aws

pty = pytest.importorskip("pty")

_TIMEOUT = 120.0


class Terminal:
    """A child process on a pseudo-terminal: what it has shown so far, and a keyboard."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        with warnings.catch_warnings():
            # Python 3.12 warns of fork() in a process with threads (the serve thread); the
            # child only execs, which is what that warning allows.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid, fd = pty.fork()
        if pid == 0:  # the child: never returns into pytest
            try:
                os.chdir(REPO)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.shown = b""

    def wait_for(self, text: bytes) -> None:
        """Read what the terminal shows until ``text`` appears after what was seen so far."""
        start = len(self.shown)
        deadline = time.monotonic() + _TIMEOUT
        while text not in self.shown[start:]:
            if not self._read(deadline - time.monotonic()):
                raise AssertionError(f"{text!r} never shown; the terminal showed {self.shown!r}")

    def type(self, line: str) -> None:
        """Type ``line`` and Enter."""
        os.write(self.fd, line.encode() + b"\r")

    def finish(self) -> int:
        """Read until the child closes the terminal; its exit status."""
        deadline = time.monotonic() + _TIMEOUT
        while self._read(deadline - time.monotonic()):
            pass
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)

    def _read(self, timeout: float) -> bool:
        if timeout <= 0 or not select.select([self.fd], [], [], timeout)[0]:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed its side
            return False
        self.shown += chunk
        return bool(chunk)


@pytest.fixture(scope="module")
def serve() -> Iterator[tuple[str, Any]]:
    """An in-process `srpkit serve` and an administration client."""
    with running() as (handle, client, _):
        yield handle.url, client


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SRPKIT_")}


def test_the_pty_echoes_what_is_typed() -> None:
    """A test of the test: a program that reads with echo on shows the typed line on this pty."""
    term = Terminal([sys.executable, "-c", "input('say: ')"], _env())
    term.wait_for(b"say: ")
    term.type("visible-words")
    assert term.finish() == 0
    assert b"visible-words" in term.shown


def test_password_and_new_password_prompts_do_not_echo(serve: tuple[str, Any]) -> None:
    """At a terminal: the password and NEW_PASSWORD_REQUIRED are asked on /dev/tty, never shown, and work."""
    url, admin = serve
    pool_id, client_id, _ = make_pool(admin)
    add_user(admin, pool_id, "tess", permanent=False)
    new = "N3w-pass-of-tess!"
    argv = [sys.executable, "-m", "srpkit", "login", "--pool-id", pool_id, "--client-id"]
    argv += [client_id, "--username", "tess", "--endpoint-url", url, "--print", "json"]
    term = Terminal(argv, _env())
    term.wait_for(b"Password for tess: ")
    term.type(PASSWORD)
    term.wait_for(b"New password: ")
    term.type(new)
    term.wait_for(b"New password again: ")
    term.type(new)
    assert term.finish() == 0, term.shown
    assert PASSWORD.encode() not in term.shown
    assert new.encode() not in term.shown
    text = term.shown.decode()
    printed = json.loads(text[text.index("{") : text.rindex("}") + 1])
    assert set(printed["AuthenticationResult"]) >= {"AccessToken", "IdToken", "RefreshToken"}


def test_mfa_code_prompt_does_not_echo(serve: tuple[str, Any]) -> None:
    """At a terminal without $SRPKIT_MFA_CODE, SOFTWARE_TOKEN_MFA is asked with echo off, and the code works."""
    url, admin = serve
    pool_id, client_id, _ = make_pool(admin)
    admin.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )
    add_user(admin, pool_id, "uli")
    first = aws.authenticate(
        admin, pool_id=pool_id, client_id=client_id, username="uli", password=PASSWORD
    )
    assert first.authentication_result is not None
    access = first.authentication_result["AccessToken"]
    secret = admin.associate_software_token(AccessToken=access)["SecretCode"]
    admin.verify_software_token(AccessToken=access, UserCode=totp(secret, time.time()))
    admin.set_user_mfa_preference(
        AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    argv = [sys.executable, "-m", "srpkit", "login", "--pool-id", pool_id, "--client-id"]
    argv += [client_id, "--username", "uli", "--endpoint-url", url, "--print", "access-token"]
    term = Terminal(argv, _env())
    term.wait_for(b"Password for uli: ")
    term.type(PASSWORD)
    term.wait_for(b"SOFTWARE_TOKEN_MFA authenticator code: ")
    code = totp(secret, time.time(), offset=1)  # setting up spent this step's code
    term.type(code)
    assert term.finish() == 0, term.shown
    assert PASSWORD.encode() not in term.shown
    assert code.encode() not in term.shown
