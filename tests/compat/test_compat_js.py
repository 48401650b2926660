"""The official JavaScript clients, pinned in compat/, carry a whole session through `srpkit serve`.

One server for the module; each client's scenario (compat/<client>.mjs) runs
once in one node process and prints a line per step, and each step is one test
here. A step is expected to pass ("yes"), to fail because the client cannot do
it (``Limit``: the client's own error, measured), or to fail on a known fault
of srpkit serve (``Finding``: xfail until serve is fixed, then the test fails
so that the table in compat/README.md is brought up to date).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from compat_support import SessionPool, calls, run_scenario, session_pool
from serve_support import PASSWORD, add_user, running

# serve runs the SRP arithmetic of every sign-in: under both backends.
pytestmark = [pytest.mark.usefixtures("srp_backend"), pytest.mark.node]

YES = "yes"


@dataclass(frozen=True)
class Limit:
    """A step the client cannot do: it fails with an error that starts with ``error``."""

    reason: str
    error: str


@dataclass(frozen=True)
class Finding:
    """A step that fails on a fault of srpkit serve, with an error that starts with ``error``."""

    reason: str
    error: str


Outcome = Any  # YES, a Limit or a Finding
# Neither sends SECRET_HASH: identity-js's README says the app client must have no secret ("the
# JavaScript SDK doesn't support apps that have a client secret"), and @aws-amplify/auth 6.21.1's
# code names SECRET_HASH only in its copy of the SDK's types. Cognito then answers
# "Client ... is configured with secret but SECRET_HASH was not received".
_NO_SECRET = "NotAuthorizedException: Client "

IDENTITY_JS: dict[str, Outcome] = {
    "sign_in": YES,
    "sign_in_client_secret": Limit("identity-js has no client-secret option", _NO_SECRET),
    "get_user_attributes": YES,
    "get_user_data": YES,
    "refresh": YES,
    "remember_device": YES,
    "list_devices": YES,
    "get_device": YES,
    "device_sign_in": YES,
    "refresh_with_device": YES,
    "forget_device": YES,
    "sign_out": YES,
    "user_password_auth": YES,
    "global_sign_out": YES,
    "totp_setup": YES,
    "get_mfa_preference": YES,
    "mfa_sign_in": YES,
}
AMPLIFY: dict[str, Outcome] = {
    "sign_in_client_secret": Limit("Amplify v6 has no client-secret option", _NO_SECRET),
    "sign_in": YES,
    "fetch_user_attributes": YES,
    "refresh": YES,
    "remember_device": YES,
    "fetch_devices": YES,
    "device_sign_in": YES,
    "refresh_with_device": YES,
    "forget_device": YES,
    "sign_out": YES,
    "user_password_auth": YES,
    "global_sign_out": YES,
    "totp_setup": YES,
    "fetch_mfa_preference": YES,
    "mfa_sign_in": YES,
}
SDK_V3: dict[str, Outcome] = {
    "sign_in": YES,
    "sign_in_client_secret": YES,
    "get_user": YES,
    "list_users": YES,
    "refresh": YES,
    "refresh_client_secret": YES,
    "get_tokens_from_refresh_token": YES,
    "confirm_device": YES,
    "list_devices": YES,
    "get_device": YES,
    "device_sign_in": YES,
    "refresh_with_device": YES,
    "forget_device": YES,
    "revoke_token": YES,
    "user_password_auth": YES,
    "global_sign_out": YES,
    "totp_setup": YES,
    "get_mfa_preference": YES,
    "mfa_sign_in": YES,
}
SCENARIOS = {"identity_js.mjs": IDENTITY_JS, "amplify.mjs": AMPLIFY, "sdk_v3.mjs": SDK_V3}


@dataclass
class Run:
    """One scenario's steps and the calls the server answered meanwhile."""

    steps: dict[str, dict[str, Any]]
    calls: list[str]


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[SessionPool, list[str]]]:
    """One in-process `srpkit serve` with the session pool, and its request log."""
    with running() as (handle, client, log):
        yield session_pool(handle.url, client), log


@pytest.fixture(scope="module")
def runs() -> dict[tuple[str, str], Run]:
    """Each scenario's run, by (script, backend): a scenario runs once per backend."""
    return {}


def scenario(
    server: tuple[SessionPool, list[str]],
    runs: dict[tuple[str, str], Run],
    backend: str,
    script: str,
) -> Run:
    """Run ``script`` for a fresh user of the session pool (once per backend); its Run."""
    key = (script, backend)
    if key not in runs:
        pool, log = server
        username = f"u{secrets.token_hex(4)}"
        add_user(pool.client, pool.pool_id, username)
        config = {
            "pool_id": pool.pool_id,
            "client_id": pool.client_id,
            "secret_client_id": pool.secret_client_id,
            "client_secret": pool.client_secret,
            "username": username,
            "password": PASSWORD,
        }
        start = len(log)
        steps = run_scenario(script, pool.url, config)
        runs[key] = Run(steps, calls(log[start:]))
    return runs[key]


def check_step(run: Run, expected: dict[str, Outcome], step: str) -> None:
    """The step went as the table says: passed, failed as the client must, or failed on a known finding."""
    outcome, found = expected[step], run.steps[step]
    if outcome == YES:
        assert found == {"ok": True, "error": None}
        return
    assert not found["ok"], f"{step} now passes: mark it yes here and in compat/README.md"
    assert found["error"].startswith(outcome.error), found["error"]
    if isinstance(outcome, Finding):
        pytest.xfail(f"{outcome.reason}: {found['error']}")


CASES = [(script, step) for script, table in SCENARIOS.items() for step in table]


@pytest.mark.parametrize(("script", "step"), CASES, ids=[f"{s[:-4]}-{t}" for s, t in CASES])
def test_step(
    server: tuple[SessionPool, list[str]],
    runs: dict[tuple[str, str], Run],
    srp_backend: str,
    script: str,
    step: str,
) -> None:
    """Each client's step against serve goes as compat/README.md's table says."""
    check_step(scenario(server, runs, srp_backend, script), SCENARIOS[script], step)


@pytest.mark.parametrize("script", list(SCENARIOS))
def test_every_step_reported(
    server: tuple[SessionPool, list[str]],
    runs: dict[tuple[str, str], Run],
    srp_backend: str,
    script: str,
) -> None:
    """The scenario printed exactly the steps of its table, in the table's order."""
    assert list(scenario(server, runs, srp_backend, script).steps) == list(SCENARIOS[script])


# The calls that show each client took the path its steps name (the server's log, not the client's word).
PATHS = {
    "identity_js.mjs": [
        "ConfirmDevice 200",
        "InitiateAuth:REFRESH_TOKEN_AUTH 200",
        "RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER 200",
        "RevokeToken 200",
        "GlobalSignOut 200",
        "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA 200",
    ],
    "amplify.mjs": [
        "GetTokensFromRefreshToken 200",
        "RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER 200",
        "InitiateAuth:USER_PASSWORD_AUTH 200",
        "GlobalSignOut 200",
        "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA 200",
    ],
    "sdk_v3.mjs": [
        "GetTokensFromRefreshToken 200",
        "UpdateDeviceStatus 200",
        "RevokeToken 200",
        "GlobalSignOut 200",
        "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA 200",
    ],
}


@pytest.mark.parametrize("script", list(PATHS))
def test_calls_the_server_answered(
    server: tuple[SessionPool, list[str]],
    runs: dict[tuple[str, str], Run],
    srp_backend: str,
    script: str,
) -> None:
    """The server answered the calls that prove each step's path (device SRP, refresh flow, sign-outs, MFA)."""
    answered = scenario(server, runs, srp_backend, script).calls
    assert [c for c in PATHS[script] if c not in answered] == []
