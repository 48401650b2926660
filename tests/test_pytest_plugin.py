"""The pytest plugin, used as an application's test suite would: a user's test file run by pytest.

The user's file is run in a fresh pytest process in a temporary directory, with nothing but the
installed srpkit (its ``pytest11`` entry point, no ``-p``), boto3 and srpkit.aws, so it proves
the plugin is found, its fixtures start and stop real endpoints, and its helpers make pools,
app clients and users that a real boto3 client signs in to.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from paths import REPO

USER_TESTS = """
import socket
from urllib.parse import urlsplit

import boto3
import pytest
from srpkit import aws
from srpkit.pytest_plugin import EndpointError

SEEN = []


def client_for(url, region="us-east-1"):
    return boto3.client("cognito-idp", region_name=region, endpoint_url=url,
                        aws_access_key_id="x", aws_secret_access_key="x")


@pytest.mark.parametrize("secret", [False, True])
def test_sign_in(cognito_endpoint, secret):
    user = cognito_endpoint.pool_with_user("alice", "Corr3ct-horse!", secret=secret)
    assert (user.client_secret is not None) == secret
    result = aws.authenticate(client_for(cognito_endpoint), pool_id=user.pool_id,
                              client_id=user.client_id, username="alice",
                              password="Corr3ct-horse!", client_secret=user.client_secret)
    assert result.signed_in and result.authentication_result["AccessToken"]
    SEEN.append(str(cognito_endpoint))


def test_wrong_password_is_refused(cognito_endpoint_session):
    user = cognito_endpoint_session.pool_with_user()
    with pytest.raises(client_for(cognito_endpoint_session).exceptions.NotAuthorizedException):
        aws.authenticate(client_for(cognito_endpoint_session), pool_id=user.pool_id,
                         client_id=user.client_id, username=user.username, password="Wr0ng-pw!")


def test_helpers_one_by_one(cognito_endpoint_session):
    pool_id = cognito_endpoint_session.create_pool(UsernameAttributes=["email"])
    app = cognito_endpoint_session.create_app_client(pool_id, secret=True)
    name = cognito_endpoint_session.create_user(pool_id, "bob@example.com", "Corr3ct-horse!",
                                                email="bob@example.com")
    assert name != "bob@example.com"  # an email pool names its users by UUID, as Cognito does
    result = aws.authenticate(client_for(cognito_endpoint_session), pool_id=pool_id,
                              client_id=app.client_id, username="bob@example.com",
                              password="Corr3ct-horse!", client_secret=app.client_secret)
    assert result.signed_in
    with pytest.raises(EndpointError) as refused:
        cognito_endpoint_session.create_app_client("us-east-1_nosuchpool")
    assert refused.value.code == "ResourceNotFoundException"


def test_function_endpoints_were_fresh_and_are_stopped(cognito_endpoint_session):
    assert len(SEEN) == 2 and SEEN[0] != SEEN[1]  # one endpoint per test
    for url in SEEN:
        parts = urlsplit(url)
        with pytest.raises(OSError):
            socket.create_connection((parts.hostname, parts.port), timeout=5).close()
"""


def test_a_users_suite_passes_with_the_plugin(tmp_path: Path) -> None:
    """A user's test file using cognito_endpoint, its session variant and the helpers passes."""
    (tmp_path / "test_app.py").write_text(USER_TESTS)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_app.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "5 passed" in run.stdout


def test_plugin_is_registered_under_the_name_srpkit() -> None:
    """pyproject declares the pytest11 entry point srpkit = srpkit.pytest_plugin."""
    text = (REPO / "pyproject.toml").read_text()
    assert '[project.entry-points.pytest11]\nsrpkit = "srpkit.pytest_plugin"' in text
