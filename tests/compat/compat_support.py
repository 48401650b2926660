"""What the compatibility suite's modules share: the pinned clients in compat/, and the pool they sign in to.

``require_client`` skips (fails in CI, as ``tests/_jsref.py`` does) when node or
compat/node_modules is missing; ``run_scenario`` runs one client's scenario
script against a server and returns its steps; ``session_pool`` creates the
pool every scenario uses, as a real app would configure it: devices tracked and
remembered on the user's say-so, TOTP MFA optional, an app client without a
secret and one with.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest
from paths import REPO

COMPAT = REPO / "compat"
INSTALL = "npm ci --prefix compat"
# The packages each scenario script imports, as compat/package.json pins them.
PACKAGES = {
    "identity_js.mjs": ("amazon-cognito-identity-js",),
    "amplify.mjs": ("aws-amplify",),
    "sdk_v3.mjs": ("cognito-srp-helper", "@aws-sdk/client-cognito-identity-provider"),
}
# A whole session is a dozen sign-ins and calls; this only catches a wedged client.
TIMEOUT = 120
FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH")
DEVICES = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True}


def require_client(script: str) -> str:
    """The node binary; skip when node or the script's pinned packages are missing, but fail in CI."""
    node = shutil.which("node")
    missing = [p for p in PACKAGES[script] if not (COMPAT / "node_modules" / p).is_dir()]
    if node and not missing:
        return node
    what = "node" if not node else f"compat/node_modules/{missing[0]}"
    message = f"{what} is missing (run: {INSTALL})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must run the compatibility suite against the pinned clients")
    pytest.skip(message)


def run_scenario(script: str, url: str, config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Run compat/<script> against ``url``; its steps by name ({"ok", "error"}), in order."""
    node = require_client(script)
    proc = subprocess.run(
        [node, str(COMPAT / script), url],
        # On stdin: the config carries a password and a client secret, and argv is public.
        input=json.dumps(config),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=COMPAT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    found: dict[str, dict[str, Any]] = {}
    for line in proc.stdout.splitlines():
        step = json.loads(line)
        found[step["step"]] = {"ok": step["ok"], "error": step["error"]}
    return found


@dataclass(frozen=True)
class SessionPool:
    """The pool the scenarios use: its id, an app client without a secret and one with."""

    url: str
    client: Any
    pool_id: str
    client_id: str
    secret_client_id: str
    client_secret: str


def session_pool(url: str, client: Any) -> SessionPool:
    """Create, over the API, the pool and app clients a whole session needs."""
    pool_id = client.create_user_pool(PoolName="compat", DeviceConfiguration=DEVICES)["UserPool"][
        "Id"
    ]
    client.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )

    def app(secret: bool) -> dict[str, Any]:
        made: dict[str, Any] = client.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="compat",
            GenerateSecret=secret,
            ExplicitAuthFlows=list(FLOWS),
        )["UserPoolClient"]
        return made

    plain, secret = app(False), app(True)
    return SessionPool(
        url, client, pool_id, plain["ClientId"], secret["ClientId"], secret["ClientSecret"]
    )


def calls(log: list[str]) -> list[str]:
    """The calls the server answered (Operation[:flow or challenge] and HTTP status), in order."""
    return [line.split(" [", 1)[0] for line in log]
