"""The official JavaScript clients sign in over real HTTP against `srpkit serve`, devices included."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest
from _jsref import require_node  # skips without node, fails in CI
from paths import REPO
from serve_support import PASSWORD, add_user, make_pool, running

# Every test here runs SRP arithmetic: under both backends.
pytestmark = [pytest.mark.usefixtures("srp_backend"), pytest.mark.node]

ROOT = REPO
SCRIPT = ROOT / "tests" / "node" / "endpoint_client.mjs"
TOOLS = ROOT / "vectors" / "tools"
TIMEOUT = 120


def run_client(client: str, **config: Any) -> list[dict[str, Any]]:
    """Run the official ``client`` against the endpoint in ``config``; one result per sign-in."""
    node = require_node(client)
    proc = subprocess.run(
        [node, str(SCRIPT), json.dumps({"client": client, **config})],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "SRPKIT_JS_TOOLS": str(TOOLS)},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return [json.loads(line) for line in proc.stdout.splitlines()]


def calls(log: list[str]) -> list[str]:
    """The calls a client made (Operation[:flow or challenge]), with their HTTP status."""
    return [line.split(" [", 1)[0] for line in log]


SIGN_IN = ["InitiateAuth:USER_SRP_AUTH 200", "RespondToAuthChallenge:PASSWORD_VERIFIER 200"]
DEVICE_SIGN_IN = [
    *SIGN_IN,
    "RespondToAuthChallenge:DEVICE_SRP_AUTH 200",
    "RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER 200",
]


def test_identity_js_remembers_a_device_and_signs_in_with_it() -> None:
    """amazon-cognito-identity-js signs in by email alias, confirms and remembers its device, then uses it."""
    with running() as (handle, client, log):
        pool_id, client_id, _ = make_pool(
            client,
            AliasAttributes=["email"],
            DeviceConfiguration={
                "ChallengeRequiredOnNewDevice": True,
                "DeviceOnlyRememberedOnUserPrompt": True,
            },
        )
        add_user(client, pool_id, "rita", email="rita@example.com", email_verified="true")
        log.clear()
        results = run_client(
            "identity-js",
            endpoint=handle.url,
            pool_id=pool_id,
            client_id=client_id,
            username="rita@example.com",
            password=PASSWORD,
            sign_ins=2,
        )
    assert results == [
        {"sign_in": 1, "ok": True, "remembered": True},
        {"sign_in": 2, "ok": True, "remembered": False},
    ]
    assert calls(log) == [*SIGN_IN, "ConfirmDevice 200", "UpdateDeviceStatus 200", *DEVICE_SIGN_IN]


def test_amplify_remembers_a_device_and_signs_in_with_it() -> None:
    """Amplify v6 (userPoolEndpoint) signs in, confirms its device, and signs in again with it."""
    with running() as (handle, client, log):
        pool_id, client_id, _ = make_pool(
            client,
            DeviceConfiguration={
                "ChallengeRequiredOnNewDevice": True,
                "DeviceOnlyRememberedOnUserPrompt": False,
            },
        )
        add_user(client, pool_id, "sam")
        log.clear()
        results = run_client(
            "amplify",
            endpoint=handle.url,
            pool_id=pool_id,
            client_id=client_id,
            username="sam",
            password=PASSWORD,
            sign_ins=2,
        )
    assert [r["ok"] for r in results] == [True, True], results
    assert calls(log) == [
        *SIGN_IN,
        "ConfirmDevice 200",
        "RevokeToken 200",
        *DEVICE_SIGN_IN,
        "RevokeToken 200",
    ]


def test_identity_js_wrong_password_gets_not_authorized() -> None:
    """The official client sees NotAuthorizedException, parsed from the AWS-shaped error."""
    with running() as (handle, client, log):
        pool_id, client_id, _ = make_pool(client)
        add_user(client, pool_id, "tom")
        results = run_client(
            "identity-js",
            endpoint=handle.url,
            pool_id=pool_id,
            client_id=client_id,
            username="tom",
            password=PASSWORD + "!",
        )
    assert results[0]["ok"] is False and results[0]["code"] == "NotAuthorizedException"
    assert results[0]["message"] == "Incorrect username or password."
    assert "[signature:" in log[-1]
