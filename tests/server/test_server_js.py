"""The official JavaScript clients (amazon-cognito-identity-js, Amplify v6) sign in against srpkit's server."""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from _jsref import TOOLS, require_node
from paths import REPO

from srpkit.endpoint.service import ServiceError, UserPool

pytestmark = pytest.mark.node

ROOT = REPO
SCRIPTS = {
    "identity-js": ROOT / "tests" / "node" / "identity_js_client.mjs",
    "amplify": ROOT / "tests" / "node" / "amplify_client.mjs",
}
POOL_ID = "eu-west-1_Ab3dEfGh1"
CLIENT_ID = "3n4b5urk1ft4fl3mg5e62d9ado"
TIMEOUT = 120.0


@dataclass
class Run:
    """What one scripted session of the JS client did."""

    calls: list[str] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    errors: list[ServiceError] = field(default_factory=list)


def call_name(operation: str, params: dict[str, Any]) -> str:
    """The API call, with the challenge it answers (e.g. RespondToAuthChallenge:DEVICE_SRP_AUTH)."""
    challenge = params.get("ChallengeName")
    return f"{operation}:{challenge}" if challenge else operation


def run_js_client(client: str, pool: UserPool, username: str, password: str, sign_ins: int) -> Run:
    """Run the node script for ``client``, answering each request it makes with ``pool``."""
    node = require_node(client)
    env = {**os.environ, "SRPKIT_JS_TOOLS": str(TOOLS)}
    proc = subprocess.Popen(
        [node, str(SCRIPTS[client])],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    run = Run()
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + TIMEOUT

    def send(obj: dict[str, Any]) -> None:
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(obj) + "\n")
        proc.stdin.flush()

    try:
        config = {
            "pool_id": pool.pool_id,
            "client_id": pool.client_id,
            "username": username,
            "password": password,
            "sign_ins": sign_ins,
        }
        send(config)
        while True:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                pytest.fail("the JS client did not answer in time")
            line = proc.stdout.readline()
            if not line:
                pytest.fail(
                    f"the JS client exited early: {proc.stderr.read() if proc.stderr else ''}"
                )
            message = json.loads(line)
            if "request" in message:
                operation = message["request"]["operation"]
                params = message["request"]["params"]
                run.calls.append(call_name(operation, params))
                try:
                    send({"data": pool.handle(operation, params)})
                except ServiceError as exc:
                    run.errors.append(exc)
                    send({"error": {"code": exc.code, "message": exc.message}})
            elif "result" in message:
                run.results.append(message["result"])
            elif message.get("done"):
                return run
    finally:
        selector.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize("client", ["identity-js", "amplify"])
def test_js_client_signs_in_with_alias_and_remembered_device(client: str) -> None:
    """The JS client passes USER_SRP_AUTH (via an email alias), ConfirmDevice and device SRP."""
    pool = UserPool(POOL_ID, CLIENT_ID)
    pool.add_user("7d2f-user", "Corr3ct horse!", aliases=("ann@example.com",))
    run = run_js_client(client, pool, "ann@example.com", "Corr3ct horse!", sign_ins=2)
    assert run.errors == []
    assert run.results == [{"ok": True, "sign_in": 1}, {"ok": True, "sign_in": 2}]
    assert run.calls == [
        "InitiateAuth",
        "RespondToAuthChallenge:PASSWORD_VERIFIER",
        "ConfirmDevice",
        "InitiateAuth",
        "RespondToAuthChallenge:PASSWORD_VERIFIER",
        "RespondToAuthChallenge:DEVICE_SRP_AUTH",
        "RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER",
    ]


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize("client", ["identity-js", "amplify"])
def test_js_client_wrong_password_is_rejected(client: str) -> None:
    """A JS client with a wrong password gets NotAuthorizedException: the signature does not verify."""
    pool = UserPool(POOL_ID, CLIENT_ID)
    pool.add_user("bob", "the right one")
    run = run_js_client(client, pool, "bob", "the wrong one", sign_ins=1)
    assert run.results[0]["ok"] is False
    assert run.results[0]["code"] == "NotAuthorizedException"
    assert [e.detail.reason for e in run.errors if e.detail] == ["signature"]


def test_missing_node_skips_locally_but_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without node, the interop tests skip on a laptop but fail when CI is "true"."""
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        require_node("identity-js")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        require_node("amplify")
